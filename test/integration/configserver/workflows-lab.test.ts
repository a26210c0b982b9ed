import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../../core/inventory/source';
import { createLabEstate, type LabEstate, labEndpointOf, setLabTiming } from '../../../core/lab';
import { LabAgent } from '../../../server/lab/agent';
import { labConnectors } from '../../../server/lab/connectors';
import { ApiError } from '../../../shared/errors';
import type { ConnectionTarget } from '../../../shared/schemas/connection';
import type { VsphereVm } from '../../../shared/schemas/inventory';
import type { Job, JobKind } from '../../../shared/schemas/job';
import { unworded } from '../../support/job-words';
import { openTestDb, startLabTestServer, type TestDb, type TestServer, waitFor } from './harness';

/**
 * The DR workflows end to end on the lab: protect → test failover → cleanup → planned failover
 * → rollback → unplanned failover (split brain refused, then accepted) → commit → reprotect →
 * failback, asserting the lab vCenters' state after each, with dry runs that change nothing and
 * the engine's rules (one job per plan, message steps acknowledged, cancel).
 */
let estate: LabEstate;
let tdb: TestDb;
let t: TestServer;
let agent: LabAgent;
let machines: string[];
/** The original VMs as they were before reprotect moved their disks (failback puts them back). */
let originals: VsphereVm[] = [];
/** Set to make the original site's vCenter refuse connections (the lab's connector, wrapped). */
let primaryDown = false;

function siteshift(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/siteshift.mjs', ...args], {
      env: { ...process.env, SS_TOKEN: t.secrets.operator },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const snapshot = () => JSON.stringify([estate.primary, estate.secondary]);
const secondaryVm = (name: string) => estate.secondary.vms.find((v) => v.name === name);
const mt = () => estate.secondary.vms.find((v) => v.name === 'rtm-mt-lnx-01')!;
const primaryVm = (name: string) => estate.primary.vms.find((v) => v.name === name)!;
const amsMt = () => primaryVm('ams-mt-lnx-01');
const lines = (job: Job) => job.steps.flatMap((s) => s.log.map((l) => l.message));
const replicaFiles = () => mt().disks.filter((d) => d.fileName.includes('siteshift-replicas/'));

async function run(
  kind: JobKind,
  options: { dryRun?: boolean; input?: Record<string, unknown>; ack?: boolean } = {},
): Promise<Job> {
  const job = await t.admin.createJob({
    kind,
    planId: 'web',
    dryRun: options.dryRun ?? false,
    input: options.input ?? {},
  });
  const done = await waitFor(
    async () => {
      const j = await t.admin.getJob(job.id);
      if (options.ack && j.steps.some((s) => s.state === 'running' && s.prompt && !s.acknowledgedBy))
        await t.admin.acknowledgeJob(j.id);
      return ['succeeded', 'failed', 'cancelled'].includes(j.state) ? j : null;
    },
    `${kind} job`,
    60_000,
  );
  // Every step name, line and error, dry run or not, failed or not, comes with its words.
  expect(unworded(done), kind).toEqual([]);
  return done;
}

const expectOk = (job: Job) => {
  if (job.state !== 'succeeded') {
    const logs = job.steps.flatMap((s) => s.log.map((l) => `${s.name}: ${l.message}`));
    throw new Error(`${job.kind} ${job.state}: ${job.error}\n${logs.join('\n')}`);
  }
};

/** The plan under test; `datastore` is its placement (changed after protect in one test). */
const webPlan = (datastore: string) => ({
  name: 'web',
  source: { site: 'ams' },
  target: {
    site: 'rtm',
    masterTarget: 'mt-linux-01',
    placement: { cluster: 'DR', datastore, folder: '/Recovered' },
    networks: Object.fromEntries(estate.primary.networks.map((n) => [n.name, 'dvPG-DR-210'])),
    testNetwork: 'dvPG-Bubble-299',
  },
  parallelism: 2,
  machines: [
    { vm: machines[0]!, bootGroup: 1 },
    { vm: machines[1]!, bootGroup: 2, recoveredName: `${machines[1]}-dr` },
    {
      vm: machines[2]!,
      bootGroup: 2,
      dependsOn: [machines[1]!],
      reip: { nic: 0, address: '10.20.0.13/24', gateway: '10.20.0.1', dns: ['10.20.0.2'] },
    },
  ],
  steps: [{ after: 1, message: 'Check the database replicas before starting group 2' }],
});

beforeAll(async () => {
  estate = createLabEstate({ vms: 9 });
  setLabTiming(estate, {
    powerOnMs: 5,
    powerOffMs: 5,
    shutdownGuestMs: 5,
    createVmMs: 5,
    deleteVmMs: 5,
    reconfigureMs: 5,
    createDiskMs: 5,
    deleteFileMs: 5,
    snapshotMs: 5,
  });
  tdb = await openTestDb('pglite');
  const lab = labConnectors(estate);
  const down = (target: ConnectionTarget) => {
    if (primaryDown && target.kind === 'vsphere' && target.url === estate.primary.source.url)
      throw new ApiError('unreachable', `${target.url}: connection refused`);
  };
  const vsphere: Connector = {
    kind: 'vsphere',
    test: async (target, secrets, trust) => {
      down(target);
      return lab.vsphere.test(target, secrets, trust);
    },
    open: async (target, secrets, trust) => {
      down(target);
      return lab.vsphere.open(target, secrets, trust);
    },
  };
  t = await startLabTestServer(tdb.db, estate, { connectors: { ...lab, vsphere } });
  await t.admin.addMasterTarget({ site: 'rtm', vm: 'rtm-mt-lnx-01', name: 'mt-linux-01' });
  // Failback replicates back through a master target on the original site.
  await t.admin.addMasterTarget({ site: 'ams', vm: 'ams-mt-lnx-01', name: 'mt-ams-linux' });
  machines = estate.primary.vms.filter((v) => v.name.startsWith('ams-l-')).map((v) => v.name);
  for (const name of machines) {
    const vm = estate.primary.vms.find((v) => v.name === name)!;
    vm.powerState = 'poweredOn';
  }
  await t.admin.applyPlan(webPlan('rtm-vsan-01'));
  agent = new LabAgent(t.as.agent, { tickMs: 100, burstChance: 0, errorChance: 0, rateMbps: 50_000_000 });
  agent.start();
}, 120_000);

afterAll(async () => {
  await agent?.stop();
  await t?.close();
  await tdb?.drop();
});

describe('DR workflows on the lab', () => {
  it('a protect dry run lists the changes and changes nothing', async () => {
    const before = snapshot();
    const job = await run('protect', { dryRun: true });
    expectOk(job);
    expect(snapshot()).toBe(before);
    const lines = job.steps.flatMap((s) => s.log.map((l) => l.message));
    expect(lines.some((l) => /dry run: would protect ams-l-/.test(l))).toBe(true);
    expect(await t.admin.listPairs()).toHaveLength(0);
  });

  it('protect: pairs, controllers and thin replica disks in their slots, then protected', async () => {
    const job = await run('protect');
    expectOk(job);
    const pairs = await t.admin.listPairs();
    expect(pairs.map((p) => p.state)).toEqual(['protected', 'protected', 'protected']);
    const sourceDisks = machines
      .slice(0, 3)
      .reduce((n, name) => n + estate.primary.vms.find((v) => v.name === name)!.disks.length, 0);
    expect(replicaFiles()).toHaveLength(sourceDisks);
    const m = await t.admin.getMasterTarget('mt-linux-01');
    for (const s of m.slots) {
      // Each slot records its disk's file, where the replica disk sits on the master target.
      expect(
        replicaFiles().some(
          (d) => d.busNumber === s.controller && d.unitNumber === s.unit && d.fileName === s.fileName,
        ),
      ).toBe(true);
    }
    // The master target's own disks hold slots too: free = 60 - replicas - own disks.
    const own = mt().disks.filter((d) => !d.fileName.includes('siteshift-replicas/'));
    expect(m.reservedSlots).toHaveLength(own.length);
    expect(own.length).toBeGreaterThan(0);
    expect(m.slotsFree).toBe(60 - m.slots.length - own.length);
    // Again: nothing to do.
    const again = await run('protect');
    expectOk(again);
    expect(again.steps.slice(2, 5).map((s) => s.state)).toEqual(['skipped', 'skipped', 'skipped']);
  });

  it('one job at a time on a plan: a second is refused with the running job id', async () => {
    setLabTiming(estate, { shutdownGuestMs: 5000 });
    const first = await t.admin.createJob({ kind: 'planned-failover', planId: 'web' });
    await waitFor(async () => {
      const j = await t.admin.getJob(first.id);
      return j.steps.find((s) => s.name === 'shut down the source VMs')?.state === 'running';
    }, 'the shutdown step');
    const err = await t.admin.createJob({ kind: 'test-failover', planId: 'web' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toContain(first.id);
    expect(((err as ApiError).details as { jobId: string }).jobId).toBe(first.id);
    await t.admin.cancelJob(first.id);
    const ended = await waitFor(async () => {
      const j = await t.admin.getJob(first.id);
      return j.state === 'cancelled' && !j.steps.some((s) => s.state === 'running') ? j : null;
    }, 'the cancelled job');
    expect(ended.error).toMatch(/cancelled/);
    setLabTiming(estate, { shutdownGuestMs: 5 });
    expect(machines.slice(0, 3).map((n) => estate.primary.vms.find((v) => v.name === n)!.powerState)).toEqual(
      Array(3).fill('poweredOn'),
    );
    expect((await t.admin.listPairs()).map((p) => p.state)).toEqual(Array(3).fill('protected'));
  });

  it('test failover on the test network, waiting on the plan message; cleanup removes exactly that', async () => {
    await waitFor(
      async () => {
        const pairs = await t.admin.listPairs();
        for (const p of pairs) {
          const points = await t.admin.recoveryPoints(p.id);
          if (p.state !== 'protected' || !points.some((x) => x.consistency === 'app')) return false;
        }
        return true;
      },
      'protected pairs with an app-consistent point',
      60_000,
    );
    const mtBefore = JSON.stringify(mt().disks);
    const job = await run('test-failover', { ack: true });
    expectOk(job);
    const msg = job.steps.find((s) => s.name === 'message after group 1')!;
    expect(msg.prompt).toBe('Check the database replicas before starting group 2');
    expect(msg.acknowledgedBy).toBeTruthy();
    const bubble = estate.secondary.networks.find((n) => n.name === 'dvPG-Bubble-299')!.id;
    for (const name of [`${machines[0]}-test`, `${machines[1]}-dr-test`, `${machines[2]}-test`]) {
      const vm = secondaryVm(name)!;
      expect(vm.powerState).toBe('poweredOn');
      expect(vm.nics.every((n) => n.network === bubble)).toBe(true);
      expect(vm.disks.every((d) => d.fileName.includes('siteshift-test/'))).toBe(true);
    }
    expect(JSON.stringify(mt().disks)).toBe(mtBefore);
    expect((await t.admin.listPairs()).map((p) => p.state)).toEqual(Array(3).fill('test-failover-running'));

    // Cleanup through the CLI, as an operator's script would run it: plain lines, exit 0.
    const cli = await siteshift(['cleanup', 'web', '--server', t.url, '--token-env', 'SS_TOKEN']);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/step 1\/2 remove the test VMs and their disk copies: running/);
    expect(cli.stdout).toMatch(/job job_\w+: succeeded/);
    const cleanup = (await t.admin.listJobs()).find((j) => j.kind === 'cleanup-test')!;
    expectOk(cleanup);
    expect(estate.secondary.vms.filter((v) => v.name.endsWith('-test'))).toHaveLength(0);
    expect(
      [...labEndpointOf(estate.secondary).files.keys()].filter((f) => f.includes('siteshift-test/')),
    ).toHaveLength(0);
    expect(JSON.stringify(mt().disks)).toBe(mtBefore);
    expect(cleanup.steps[0]!.log.map((l) => l.message).join('\n')).toMatch(/removed: .*-test/);
    expect((await t.admin.listPairs()).map((p) => p.state)).toEqual(Array(3).fill('protected'));
  });

  it('planned failover: a dry run changes nothing; then sources off, disks moved, VMs up in order; rollback undoes it', async () => {
    // The placement changes after protect: the replica disks stay where protect put them, and
    // the failover finds them there.
    await t.admin.applyPlan(webPlan('rtm-retention-01'));
    const before = snapshot();
    const dry = await run('planned-failover', { dryRun: true });
    expectOk(dry);
    expect(snapshot()).toBe(before);
    const dryLines = dry.steps.flatMap((s) => s.log.map((l) => l.message));
    expect(
      dryLines.some((l) =>
        /dry run: would detach \[rtm-vsan-01\] siteshift-replicas\/.* SCSI \d:\d+/.test(l),
      ),
    ).toBe(true);
    expect(
      dryLines.some((l) => /dry run: would create .*-dr on DR\/rtm-retention-01 in \/Recovered/.test(l)),
    ).toBe(true);

    const files = replicaFiles().map((d) => d.fileName);
    const job = await run('planned-failover', { ack: true });
    expectOk(job);
    for (const name of machines.slice(0, 3)) {
      expect(estate.primary.vms.find((v) => v.name === name)!.powerState).toBe('poweredOff');
    }
    expect(replicaFiles()).toHaveLength(0);
    const dr = estate.secondary.networks.find((n) => n.name === 'dvPG-DR-210')!.id;
    const recovered = [machines[0]!, `${machines[1]}-dr`, machines[2]!].map((n) => secondaryVm(n)!);
    // Re-IP: the guest customization queued before power-on gave NIC 0 the plan's address.
    expect(secondaryVm(machines[2]!)!.nics[0]!.ipAddresses).toEqual(['10.20.0.13']);
    expect(
      job.steps
        .find((s) => s.name === 're-address the recovered VMs')!
        .log.map((l) => l.message)
        .join('\n'),
    ).toMatch(/customization queued: NIC 0 of .* to 10\.20\.0\.13\/24 via 10\.20\.0\.1/);
    for (const vm of recovered) {
      expect(vm.powerState).toBe('poweredOn');
      expect(vm.folderPath).toBe('/Rotterdam/vm/Recovered');
      expect(vm.nics.every((n) => n.network === dr)).toBe(true);
    }
    expect(recovered.flatMap((v) => v.disks.map((d) => d.fileName)).sort()).toEqual([...files].sort());
    expect((await t.admin.listPairs()).map((p) => p.state)).toEqual(Array(3).fill('failover-pending'));

    // Reprotect follows a committed failover only: refused here, nothing written.
    const early = await t.admin.createJob({ kind: 'reprotect', planId: 'web' }).catch((e: unknown) => e);
    expect((early as ApiError).message).toMatch(
      /reprotect follows a committed failover: the failover of .* is not committed yet; commit it first \(siteshift commit web\) or roll it back/,
    );

    const rollback = await run('rollback');
    expectOk(rollback);
    expect(recovered.map((v) => secondaryVm(v.name))).toEqual([undefined, undefined, undefined]);
    expect(
      replicaFiles()
        .map((d) => d.fileName)
        .sort(),
    ).toEqual([...files].sort());
    expect((await t.admin.listPairs()).map((p) => p.state)).toEqual(Array(3).fill('protected'));
    await t.admin.applyPlan(webPlan('rtm-vsan-01'));
  });

  it('unplanned failover: refuses a split brain, goes on when it is accepted, then commit', async () => {
    for (const name of machines.slice(0, 3))
      estate.primary.vms.find((v) => v.name === name)!.powerState = 'poweredOn';
    const refused = await run('unplanned-failover', { input: { point: 'latest' } });
    expect(refused.state).toBe('failed');
    expect(refused.error).toMatch(/split brain: .* --accept-split-brain/);
    expect(replicaFiles().length).toBeGreaterThan(0);

    const bad = await t.admin
      .createJob({ kind: 'unplanned-failover', planId: 'web', input: { point: 'yesterday' } })
      .catch((e: unknown) => e);
    expect((bad as ApiError).message).toMatch(/not one of latest, latest-app, time:<ISO>, tag:<name>/);

    const job = await run('unplanned-failover', {
      input: { point: 'latest-app', acceptSplitBrain: true },
      ack: true,
    });
    expectOk(job);
    const log = job.steps.flatMap((s) => s.log.map((l) => l.message)).join('\n');
    expect(log).toMatch(/operator accepted the split brain/);
    expect(log).toMatch(/recovery point .* \(app-consistent/);
    expect(secondaryVm(machines[0]!)?.powerState).toBe('poweredOn');

    const cli = await siteshift([
      'commit',
      'web',
      '--yes',
      '--json',
      '--server',
      t.url,
      '--token-env',
      'SS_TOKEN',
    ]);
    expect(cli.code).toBe(0);
    const records = cli.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Job);
    expect(records.at(-1)!.state).toBe('succeeded');
    expect(records.at(-1)!.kind).toBe('commit');
    expect((await t.admin.listPairs()).map((p) => p.state)).toEqual(Array(3).fill('failed-over'));
    expect(secondaryVm(machines[0]!)).toBeDefined();
  });

  it('reprotect: a dry run lists the disk moves and changes nothing; then the original disks resync on the original site', async () => {
    originals = machines.slice(0, 3).map((n) => structuredClone(primaryVm(n)));
    const before = snapshot();
    const dry = await run('reprotect', { dryRun: true });
    expectOk(dry);
    expect(snapshot()).toBe(before);
    const planned = lines(dry);
    for (const vm of originals)
      for (const d of vm.disks)
        expect(planned).toContainEqual(
          expect.stringMatching(
            new RegExp(
              `^dry run: would detach ${escapeRegExp(d.fileName)} from ${vm.name} SCSI ${d.busNumber}:${d.unitNumber} \\(file kept\\) and attach it to ams-mt-lnx-01 SCSI \\d:\\d+$`,
            ),
          ),
        );
    expect(
      planned.some((l) => /dry run: .* would go 'failed over' → 'committed' → 'reprotecting'/.test(l)),
    ).toBe(true);

    // Through the CLI, as an operator runs it.
    const cli = await siteshift(['reprotect', 'web', '--yes', '--server', t.url, '--token-env', 'SS_TOKEN']);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/job job_\w+: succeeded/);
    const job = (await t.admin.listJobs()).find((j) => j.kind === 'reprotect' && !j.dryRun)!;
    expectOk(job);
    // The unplanned failover left the sources running (split brain accepted): powered off now.
    expect(lines(job).some((l) => /is poweredOn on ams .*split brain.*powered off/.test(l))).toBe(true);
    const slots = (await t.admin.getMasterTarget('mt-ams-linux')).slots;
    for (const vm of originals) {
      const shell = primaryVm(vm.name);
      expect(shell.powerState).toBe('poweredOff');
      expect(shell.disks).toEqual([]);
      const pair = (await t.admin.listPairs()).find((p) => p.sourceVmName === vm.name)!;
      expect(pair).toMatchObject({ state: 'protected', direction: 'reverse' });
      expect(slots.filter((s) => s.pairId === pair.id)).toHaveLength(vm.disks.length);
      for (const d of vm.disks) {
        const onMt = amsMt().disks.find((x) => x.fileName === d.fileName);
        expect(onMt).toBeDefined();
        expect(slots.some((s) => s.controller === onMt!.busNumber && s.unit === onMt!.unitNumber)).toBe(true);
      }
    }
    // The recovered VMs run on: they are the sources now. The points of the old replicas are gone.
    expect(secondaryVm(machines[0]!)?.powerState).toBe('poweredOn');
    expect(lines(job).some((l) => /recovery points? of the replicas on rtm dropped/.test(l))).toBe(true);

    // Again: every step finds its work done.
    const again = await run('reprotect');
    expectOk(again);
    expect(again.steps.slice(1, 5).map((s) => s.state)).toEqual(Array(4).fill('skipped'));
  }, 180_000);

  it('failback is refused while the original site is not ready or not reachable', async () => {
    amsMt().powerState = 'poweredOff';
    const notReady = await run('failback');
    expect(notReady.state).toBe('failed');
    expect(notReady.error).toMatch(
      /the plan is not ready: .*Master target mt-ams-linux exists and is powered on/,
    );
    expect(lines(notReady).join('\n')).toMatch(/ams-mt-lnx-01 is poweredOff — fix: power ams-mt-lnx-01 on/);
    amsMt().powerState = 'poweredOn';

    primaryDown = true;
    try {
      const unreachable = await run('failback');
      expect(unreachable.state).toBe('failed');
      expect(unreachable.error).toMatch(/the plan is not ready/);
      expect(lines(unreachable).join('\n')).toMatch(/connection refused/);
    } finally {
      primaryDown = false;
    }
    expect((await t.admin.listPairs()).map((p) => [p.state, p.direction])).toEqual(
      Array(3).fill(['protected', 'reverse']),
    );
    expect(secondaryVm(machines[0]!)?.powerState).toBe('poweredOn');
  }, 180_000);

  it('failback: a dry run changes nothing; cancelled mid-way it stops cleanly, and run again it lands home', async () => {
    const replicaSlots = (await t.admin.getMasterTarget('mt-linux-01')).slots;
    const before = snapshot();
    const dry = await run('failback', { dryRun: true });
    expectOk(dry);
    expect(snapshot()).toBe(before);
    const planned = lines(dry);
    expect(dry.steps.map((s) => s.name)).toContainEqual(
      expect.stringMatching(/^phase 2\/4 fail over back to ams — shut down the recovered VMs on rtm$/),
    );
    expect(planned).toContain(`dry run: would power on ${machines[0]} on ams`);
    expect(planned.some((l) => /^dry run: would attach .* to ams-l-.* at SCSI 0:\d+$/.test(l))).toBe(true);
    expect(
      planned.some((l) =>
        /^dry run: would attach \[rtm-vsan-01\] siteshift-replicas\/.* to rtm-mt-lnx-01 at SCSI/.test(l),
      ),
    ).toBe(true);

    // Cancel while the recovered VMs shut down: the job stops, nothing half-moved.
    setLabTiming(estate, { shutdownGuestMs: 5000 });
    const first = await t.admin.createJob({ kind: 'failback', planId: 'web' });
    await waitFor(
      async () => {
        const j = await t.admin.getJob(first.id);
        return j.steps.find((s) => / shut down the recovered VMs/.test(s.name))?.state === 'running';
      },
      'the shutdown step',
      60_000,
    );
    await t.admin.cancelJob(first.id);
    const stopped = await waitFor(async () => {
      const j = await t.admin.getJob(first.id);
      return j.state === 'cancelled' && !j.steps.some((s) => s.state === 'running') ? j : null;
    }, 'the cancelled failback');
    expect(stopped.error).toMatch(/cancelled/);
    setLabTiming(estate, { shutdownGuestMs: 5 });
    expect((await t.admin.listPairs()).map((p) => [p.state, p.direction])).toEqual(
      Array(3).fill(['protected', 'reverse']),
    );
    expect(
      amsMt().disks.filter((d) => originals.some((o) => o.disks.some((x) => x.fileName === d.fileName))),
    ).toHaveLength(originals.reduce((n, o) => n + o.disks.length, 0));

    // Run again: it goes through every phase (acknowledging the plan's message) to the end.
    const job = await run('failback', { ack: true });
    expectOk(job);
    expect(job.steps.find((s) => /message after group 1/.test(s.name))?.acknowledgedBy).toBeTruthy();
    for (const vm of originals) {
      const home = primaryVm(vm.name);
      expect(home.powerState).toBe('poweredOn');
      expect(home.disks.map((d) => [d.fileName, d.busNumber, d.unitNumber])).toEqual(
        vm.disks.map((d) => [d.fileName, d.busNumber, d.unitNumber]),
      );
      expect(home.nics.map((n) => n.mac)).toEqual(vm.nics.map((n) => n.mac));
      expect(amsMt().disks.some((d) => vm.disks.some((x) => x.fileName === d.fileName))).toBe(false);
    }
    // The recovered VMs are gone; their disks are the replicas again, in their slots.
    expect([machines[0]!, `${machines[1]}-dr`, machines[2]!].map((n) => secondaryVm(n))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    for (const s of replicaSlots)
      expect(replicaFiles().some((d) => d.busNumber === s.controller && d.unitNumber === s.unit)).toBe(true);
    expect(replicaFiles()).toHaveLength(replicaSlots.length);
    expect((await t.admin.getMasterTarget('mt-ams-linux')).slots).toEqual([]);
    const pairs = await t.admin.listPairs();
    expect(pairs.map((p) => [p.state, p.direction])).toEqual(Array(3).fill(['protected', 'forward']));
    const mtId = (await t.admin.getMasterTarget('mt-linux-01')).id;
    expect(pairs.every((p) => p.masterTargetId === mtId)).toBe(true);

    // Nothing left to fail back: refused at once.
    const none = await t.admin.createJob({ kind: 'failback', planId: 'web' }).catch((e: unknown) => e);
    expect((none as ApiError).message).toMatch(/runs on its original site ams .*nothing to fail back/);
  }, 180_000);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
