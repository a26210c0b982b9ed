import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realConnectors } from '../../../core/connectors';
import { type HvReplication, HypervClient } from '../../../core/hyperv/client';
import { SshSession } from '../../../core/hyperv/ssh';
import { LabAgent } from '../../../server/lab/agent';
import { planSpecOf } from '../../../shared/configserver';
import type { VsphereVm } from '../../../shared/schemas/inventory';
import type { Job, JobKind } from '../../../shared/schemas/job';
import { type HypervDoubleEndpoint, type HypervDoublePair, startHypervDoublePair } from '../../hyperv-double';
import { unworded } from '../../support/job-words';
import { readSim, startVcsim, type Vcsim } from '../../vcsim/harness';
import { openTestDb, startTestServer, type TestDb, type TestServer, waitFor } from './harness';

/**
 * One plan holding vSphere machines (two strict vcsim vCenters, a master target) and Hyper-V
 * machines (two SSH Hyper-V host doubles replicating with Hyper-V Replica), with boot groups and
 * a dependency across the two platforms. The same jobs run it end to end — protect, test
 * failover, cleanup, planned failover, commit, reprotect, failback — each machine through its own
 * platform, and after
 * each step both platforms are read back from the endpoints themselves.
 */
let tdb: TestDb;
let t: TestServer;
let primaryVc: Vcsim;
let secondaryVc: Vcsim;
let hv: HypervDoublePair;
let agent: LabAgent;
let vsMachines: string[];
let mtName: string;
let amsMtName: string;
const hvMachines = ['web01', 'db01'];
const sessions: SshSession[] = [];

function hvClient(ep: HypervDoubleEndpoint): HypervClient {
  const s = new SshSession({
    host: ep.host,
    port: ep.port,
    username: hv.credentials.username,
    password: hv.credentials.password,
    hostKey: ep.fingerprint,
  });
  sessions.push(s);
  return new HypervClient(s);
}
let hvPrimary: HypervClient;
let hvReplica: HypervClient;

/** Both platforms as their endpoints report them. */
async function world() {
  const [source, target] = await Promise.all([readSim(primaryVc), readSim(secondaryVc)]);
  const repl = async (c: HypervClient, name: string): Promise<HvReplication | null> =>
    (await c.getVMs()).some((v) => v.name === name) ? c.getReplication({ name }) : null;
  const hvVms = async (c: HypervClient) =>
    new Map((await c.getVMs()).map((v) => [v.name, { state: v.state, mode: v.replicationMode }]));
  return {
    /** Power state of each VM of the primary and the secondary vCenter, by name. */
    vm: Object.fromEntries(source.vms.map((v: VsphereVm) => [v.name, v.powerState])),
    recovered: Object.fromEntries(target.vms.map((v: VsphereVm) => [v.name, v.powerState])),
    mtReplicaDisks: target.vms
      .find((v) => v.name === mtName)!
      .disks.filter((d) => d.fileName.includes('siteshift-replicas/')).length,
    hvPrimary: Object.fromEntries(await hvVms(hvPrimary)),
    hvReplica: Object.fromEntries(await hvVms(hvReplica)),
    primaryRepl: Object.fromEntries(
      await Promise.all(hvMachines.map(async (n) => [n, (await repl(hvPrimary, n))?.state ?? null] as const)),
    ),
    replicaRepl: Object.fromEntries(
      await Promise.all(hvMachines.map(async (n) => [n, (await repl(hvReplica, n))?.state ?? null] as const)),
    ),
    /** Hyper-V Replica's direction of each machine, as the primary host's object reports it. */
    hvDirection: Object.fromEntries(
      await Promise.all(
        hvMachines.map(async (n) => {
          const r = await repl(hvPrimary, n);
          return [n, r ? `${r.primaryServer} -> ${r.replicaServer}` : null] as const;
        }),
      ),
    ),
    /** The disks on the original site's master target (reprotect puts the original disks there). */
    amsMtDisks: source.vms.find((v) => v.name === amsMtName)?.disks.map((d) => d.fileName) ?? [],
    /** Disks of each vSphere original VM. */
    vsDisks: Object.fromEntries(
      source.vms
        .filter((v) => vsMachines.includes(v.name))
        .map((v) => [v.name, v.disks.map((d) => d.fileName)]),
    ),
  };
}

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

async function run(
  kind: JobKind,
  options: { dryRun?: boolean; input?: Record<string, unknown> } = {},
): Promise<Job> {
  const job = await t.admin.createJob({
    kind,
    planId: 'mixed',
    dryRun: options.dryRun ?? false,
    input: options.input ?? {},
  });
  return waitFor(
    async () => {
      const j = await t.admin.getJob(job.id);
      return ['succeeded', 'failed', 'cancelled'].includes(j.state) ? j : null;
    },
    `${kind} job`,
    120_000,
  );
}

function expectOk(job: Job): void {
  if (job.state !== 'succeeded') {
    const logs = job.steps.flatMap((s) => s.log.map((l) => `${s.name}: ${l.message}`));
    throw new Error(`${job.kind} ${job.state}: ${job.error}\n${logs.join('\n')}`);
  }
  // Every step name and line of both platforms' steps comes with its words, for a Dutch console.
  expect(unworded(job), job.kind).toEqual([]);
}

const stepState = (job: Job, name: string) => job.steps.find((s) => s.name === name)?.state;
const pairDirections = async () =>
  Object.fromEntries((await t.admin.listPairs()).map((p) => [p.sourceVmName, `${p.state}:${p.direction}`]));
const pairStates = async () =>
  Object.fromEntries((await t.admin.listPairs()).map((p) => [p.sourceVmName, `${p.platform}:${p.state}`]));

beforeAll(async () => {
  [primaryVc, secondaryVc, hv, tdb] = await Promise.all([
    startVcsim({ username: 'admin@ams', password: 'ams-secret' }),
    startVcsim({ username: 'admin@rtm', password: 'rtm-secret' }),
    startHypervDoublePair({ timing: { initialReplicationMs: 300 } }),
    openTestDb('pglite'),
  ]);
  hvPrimary = hvClient(hv.primary);
  hvReplica = hvClient(hv.replica);
  t = await startTestServer(tdb.db, { connectors: realConnectors });
  await t.admin.addSite('ams', 'primary');
  await t.admin.addSite('rtm', 'secondary');
  for (const [site, vc] of [
    ['ams', primaryVc],
    ['rtm', secondaryVc],
  ] as const)
    await t.admin.addEndpoint({
      site,
      name: `vc-${site}`,
      target: { kind: 'vsphere', url: vc.url, username: vc.username },
      secrets: { password: vc.password },
      trust: { kind: 'thumbprint', thumbprint: vc.thumbprint },
    });
  for (const [site, ep] of [
    ['ams', hv.primary],
    ['rtm', hv.replica],
  ] as const)
    await t.admin.addEndpoint({
      site,
      name: `hv-${site}`,
      target: { kind: 'hyperv', host: ep.host, port: ep.port, username: hv.credentials.username },
      secrets: { password: hv.credentials.password },
      trust: { kind: 'host-key', fingerprint: ep.fingerprint },
    });
  const [source, target] = await Promise.all([readSim(primaryVc), readSim(secondaryVc)]);
  vsMachines = source.vms
    .filter((v) => v.name.startsWith('DC0_C0_'))
    .slice(0, 2)
    .map((v) => v.name);
  mtName = target.vms.find((v) => v.name.startsWith('DC0_H0_'))!.name;
  await t.admin.addMasterTarget({ site: 'rtm', vm: mtName, name: 'mt-01' });
  // Failback's vSphere machines replicate back to a master target on the original site.
  amsMtName = source.vms.find((v) => v.name.startsWith('DC0_H0_'))!.name;
  await t.admin.addMasterTarget({ site: 'ams', vm: amsMtName, name: 'mt-ams' });
  const nets = new Set(
    source.vms
      .filter((v) => vsMachines.includes(v.name))
      .flatMap((v) => v.nics.map((n) => source.networks.find((x) => x.id === n.network)?.name ?? '')),
  );
  const prod = target.networks.find((n) => n.name === 'VM Network')!.name;
  const bubble = target.networks.find((n) => n.name !== prod)!.name;
  const [vs1, vs2] = vsMachines as [string, string];
  await t.admin.applyPlan({
    name: 'mixed',
    source: { site: 'ams' },
    target: {
      site: 'rtm',
      masterTarget: 'mt-01',
      placement: { cluster: target.clusters[0]!.name, datastore: target.datastores[0]!.name },
      networks: Object.fromEntries([...nets].filter(Boolean).map((n) => [n, prod])),
      testNetwork: bubble,
    },
    parallelism: 2,
    // Boot groups across both platforms; a vSphere VM waits for a Hyper-V one.
    machines: [
      { vm: 'db01', bootGroup: 1 },
      { vm: vs1, bootGroup: 1, recoveredName: `${vs1}-dr` },
      { vm: 'web01', bootGroup: 2, dependsOn: ['db01'] },
      { vm: vs2, bootGroup: 2, dependsOn: ['web01'], recoveredName: `${vs2}-dr` },
    ],
  });
  // The lab agent plays the agents of the vSphere machines; Hyper-V Replica drives the others.
  agent = new LabAgent(t.as.agent, {
    tickMs: 100,
    burstChance: 0,
    errorChance: 0,
    rateMbps: 50_000_000,
    platforms: ['vsphere'],
  });
  agent.start();
}, 180_000);

afterAll(async () => {
  await agent?.stop();
  for (const s of sessions) await s.close();
  await t?.close();
  await tdb?.drop();
  await Promise.all([primaryVc?.stop(), secondaryVc?.stop(), hv?.stop()]);
});

describe('a plan mixing vSphere (vcsim) and Hyper-V (host doubles) machines', { timeout: 180_000 }, () => {
  it('the plan validates with both platforms', async () => {
    const v = await t.admin.planReadiness('mixed', 'protect');
    const failed = v.checks.filter((c) => c.status === 'fail');
    expect(failed).toEqual([]);
    expect(v.checks.find((c) => c.id === 'hyperv.replica-server')).toMatchObject({
      status: 'pass',
      message: 'hv-replica.lab.local: Kerberos on port 80',
    });
    // Asked of the hosts themselves: the primary reaches the replica server, whose storage
    // volume has room for the initial copies (web01 60 GB, db01 80 + 500 GB).
    expect(v.checks.find((c) => c.id === 'hyperv.connection')).toMatchObject({
      status: 'pass',
      title: 'hv-ams can replicate to hv-replica.lab.local',
    });
    expect(v.checks.find((c) => c.id === 'hyperv.replica-space')).toMatchObject({
      status: 'pass',
      message: 'the initial copies need 640 GiB; D: (D:\\Replica) has 3.0 TiB free',
    });

    // The link down and the replica volume nearly full: both fail, with what to do.
    hv.fabric.linkDown = true;
    const volumes = hv.replica.model.volumes;
    hv.replica.model.volumes = volumes.map((x) => ({ ...x, freeBytes: 100 * 1024 ** 3 }));
    try {
      const bad = await t.admin.planReadiness('mixed', 'protect');
      expect(bad.ready).toBe(false);
      const conn = bad.checks.find((c) => c.id === 'hyperv.connection')!;
      expect(conn.status).toBe('fail');
      expect(conn.message).toMatch(
        /^Test-VMReplicationConnection hv-replica\.lab\.local 80 Kerberos: .*could not be established/,
      );
      expect(conn.fix).toMatch(/allow inbound TCP 80/);
      expect(bad.checks.find((c) => c.id === 'hyperv.replica-space')).toMatchObject({
        status: 'fail',
        message: 'the initial copies need 640 GiB; D: (D:\\Replica) has 100 GiB free',
      });
    } finally {
      hv.fabric.linkDown = false;
      hv.replica.model.volumes = volumes;
    }
  });

  it('protect: a dry run changes nothing; then vSphere replica disks and Hyper-V Replica, all protected', async () => {
    const before = await world();
    const dry = await run('protect', { dryRun: true });
    expectOk(dry);
    const lines = dry.steps.flatMap((s) => s.log.map((l) => l.message));
    expect(
      lines.some((l) =>
        /dry run: would enable Hyper-V Replica of web01 from hv-ams to hv-replica\.lab\.local \(Kerberos, port 80, every 300 s/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(lines.some((l) => l.startsWith(`dry run: would protect ${vsMachines[0]}`))).toBe(true);
    expect(await world()).toEqual(before);
    expect(await t.admin.listPairs()).toHaveLength(0);

    expectOk(await run('protect'));
    expect(await pairStates()).toEqual({
      db01: 'hyperv:protected',
      web01: 'hyperv:protected',
      [vsMachines[0]!]: 'vsphere:protected',
      [vsMachines[1]!]: 'vsphere:protected',
    });
    const w = await world();
    expect(w.mtReplicaDisks).toBeGreaterThanOrEqual(2);
    expect(w.primaryRepl).toEqual({ web01: 'Replicating', db01: 'Replicating' });
    expect(w.replicaRepl).toEqual({ web01: 'Replicating', db01: 'Replicating' });
    expect(w.hvReplica.web01).toEqual({ state: 'Off', mode: 'Replica' });
    // The Hyper-V pairs took no master-target slot.
    const mt = await t.admin.getMasterTarget('mt-01');
    const hvPairs = (await t.admin.listPairs()).filter((p) => p.platform === 'hyperv').map((p) => p.id);
    expect(mt.slots.some((s) => hvPairs.includes(s.pairId))).toBe(false);
  });

  it('test failover: vSphere test VMs on the test network and Hyper-V -AsTest VMs, sources untouched; cleanup removes both', async () => {
    await waitFor(
      async () => {
        for (const p of await t.admin.listPairs())
          if (p.platform === 'vsphere' && (await t.admin.recoveryPoints(p.id)).length === 0) return false;
        return true;
      },
      'a recovery point for every vSphere pair',
      60_000,
    );
    const job = await run('test-failover', { input: { point: 'latest' } });
    expectOk(job);
    expect(stepState(job, 'Hyper-V: start the test failovers (Start-VMFailover -AsTest)')).toBe('succeeded');
    expect(Object.values(await pairStates()).every((s) => s.endsWith(':test-failover-running'))).toBe(true);
    let w = await world();
    for (const vm of vsMachines) {
      expect(w.recovered[`${vm}-dr-test`] ?? null).toBe('poweredOn');
      expect(w.vm[vm] ?? null).toBe('poweredOn');
    }
    for (const vm of hvMachines) {
      expect(w.hvReplica[`${vm} - Test`]).toEqual({ state: 'Running', mode: 'TestReplica' });
      expect(w.hvPrimary[vm]?.state).toBe('Running');
      expect(w.replicaRepl[vm]).toBe('Replicating');
    }
    // Boot groups across platforms: db01 and the first vSphere VM, then web01 and the second.
    const powered = job.steps
      .filter((s) => s.name.startsWith('power on boot group'))
      .map((s) => s.log.map((l) => l.message).join(' '));
    expect(powered).toEqual(['boot group 1: 2 VMs powered on', 'boot group 2: 2 VMs powered on']);
    const starts = hv.replica.model.applied.filter((a) => a.op === 'Start-VM').map((a) => a.vm);
    expect(starts.indexOf('db01 - Test')).toBeLessThan(starts.indexOf('web01 - Test'));

    // The same CLI verb as for a vSphere plan: one job, each machine through its platform.
    const cli = await siteshift(['cleanup', 'mixed', '--server', t.url, '--token-env', 'SS_TOKEN']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/remove the test VMs and their disk copies/);
    expect(cli.stdout).toMatch(/Hyper-V: remove the test VMs \(Stop-VMFailover\)/);
    expect(Object.values(await pairStates()).every((s) => s.endsWith(':protected'))).toBe(true);
    w = await world();
    for (const vm of vsMachines) expect(w.recovered[`${vm}-dr-test`]).toBeUndefined();
    for (const vm of hvMachines) expect(w.hvReplica[`${vm} - Test`]).toBeUndefined();
    expect(w.replicaRepl).toEqual({ web01: 'Replicating', db01: 'Replicating' });
  });

  it('planned failover: sources shut down, Hyper-V prepared and failed over, everything recovered and running', async () => {
    const dry = await run('planned-failover', { dryRun: true });
    expectOk(dry);
    expect((await world()).primaryRepl).toEqual({ web01: 'Replicating', db01: 'Replicating' });

    const job = await run('planned-failover');
    expectOk(job);
    expect(Object.values(await pairStates()).every((s) => s.endsWith(':failover-pending'))).toBe(true);
    const w = await world();
    for (const vm of vsMachines) {
      expect(w.vm[vm] ?? null).toBe('poweredOff');
      expect(w.recovered[`${vm}-dr`] ?? null).toBe('poweredOn');
    }
    for (const vm of hvMachines) {
      expect(w.hvPrimary[vm]?.state).toBe('Off');
      expect(w.primaryRepl[vm]).toBe('PreparedForFailover');
      expect(w.hvReplica[vm]?.state).toBe('Running');
      expect(w.replicaRepl[vm]).toBe('FailedOverWaitingCompletion');
    }
    // The guests shut down; nothing was turned off.
    for (const vm of hvMachines) expect(hv.primary.model.vmByName(vm)!.lastStop).toBe('shut-down');
  });

  it('rollback undoes it on both platforms; a second planned failover goes through again', async () => {
    expectOk(await run('rollback'));
    expect(Object.values(await pairStates()).every((s) => s.endsWith(':protected'))).toBe(true);
    let w = await world();
    for (const vm of vsMachines) expect(w.recovered[`${vm}-dr`]).toBeUndefined();
    expect(w.mtReplicaDisks).toBeGreaterThanOrEqual(2);
    for (const vm of hvMachines) {
      expect(w.hvReplica[vm]).toEqual({ state: 'Off', mode: 'Replica' });
      expect(w.replicaRepl[vm]).toBe('Replicating');
      expect(w.primaryRepl[vm]).toBe('Replicating');
    }
    // The sources stay off (as the vSphere ones do): the next planned failover finds them so.
    expectOk(await run('planned-failover'));
    w = await world();
    for (const vm of vsMachines) expect(w.recovered[`${vm}-dr`] ?? null).toBe('poweredOn');
    for (const vm of hvMachines) expect(w.replicaRepl[vm]).toBe('FailedOverWaitingCompletion');
  });

  it('commit: Hyper-V failovers completed, vSphere recovered VMs kept, pairs failed-over', async () => {
    expectOk(await run('commit'));
    expect(Object.values(await pairStates()).every((s) => s.endsWith(':failed-over'))).toBe(true);
    const w = await world();
    for (const vm of vsMachines) expect(w.recovered[`${vm}-dr`] ?? null).toBe('poweredOn');
    for (const vm of hvMachines) {
      expect(w.replicaRepl[vm]).toBe('FailedOver');
      expect(w.hvReplica[vm]?.state).toBe('Running');
    }
  });

  it('reprotect: a dry run changes nothing; then Hyper-V Replica reversed and vSphere disks on the original master target, all protected in reverse', async () => {
    const before = await world();
    const dry = await run('reprotect', { dryRun: true });
    expectOk(dry);
    const lines = dry.steps.flatMap((s) => s.log.map((l) => l.message));
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^dry run: would reverse the replication of web01 \(Set-VMReplication -Reverse on hv-rtm\): hv-rtm becomes its primary, replicating to hv-primary\.lab\.local \(Kerberos, port 80\); it holds every change already/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringContaining(
        `its 1 disk [LocalDS_0] DC0_C0_RP0_VM0/disk1.vmdk at SCSI 0:0 becomes the replica on mt-ams`,
      ),
    );
    expect(await world()).toEqual(before);

    const job = await run('reprotect');
    expectOk(job);
    expect(stepState(job, 'Hyper-V: replicate back to ams (Set-VMReplication -Reverse)')).toBe('succeeded');
    expect(Object.values(await pairDirections()).every((s) => s === 'protected:reverse')).toBe(true);
    const w = await world();
    for (const vm of hvMachines) {
      expect(w.hvReplica[vm]).toEqual({ state: 'Running', mode: 'Primary' });
      expect(w.hvPrimary[vm]).toEqual({ state: 'Off', mode: 'Replica' });
      expect(w.replicaRepl[vm]).toBe('Replicating');
      expect(w.primaryRepl[vm]).toBe('Replicating');
      expect(w.hvDirection[vm]).toBe('hv-replica.lab.local -> hv-primary.lab.local');
    }
    // vSphere: the originals are powered-off shells, their disks on the original site's master target.
    for (const vm of vsMachines) {
      expect(w.vm[vm]).toBe('poweredOff');
      expect(w.vsDisks[vm]).toEqual([]);
      expect(w.recovered[`${vm}-dr`]).toBe('poweredOn');
    }
    expect((await t.admin.getMasterTarget('mt-ams')).slots.length).toBeGreaterThanOrEqual(2);
    // The Hyper-V pairs took no slot on the original site's master target.
    const hvPairs = (await t.admin.listPairs()).filter((p) => p.platform === 'hyperv').map((p) => p.id);
    expect((await t.admin.getMasterTarget('mt-ams')).slots.some((s) => hvPairs.includes(s.pairId))).toBe(
      false,
    );
  });

  it('failback: every machine runs on its original site again, replicating forward', async () => {
    const job = await run('failback');
    expectOk(job);
    expect(
      stepState(job, 'Hyper-V: fail over back to ams (Start-VMFailover -Prepare, Start-VMFailover)'),
    ).toBe('succeeded');
    expect(stepState(job, 'Hyper-V: complete the failovers back (Complete-VMFailover)')).toBe('succeeded');
    expect(stepState(job, 'Hyper-V: replicate forward to rtm again (Set-VMReplication -Reverse)')).toBe(
      'succeeded',
    );
    expect(Object.values(await pairDirections()).every((s) => s === 'protected:forward')).toBe(true);
    const w = await world();
    for (const vm of hvMachines) {
      expect(w.hvPrimary[vm]).toEqual({ state: 'Running', mode: 'Primary' });
      expect(w.hvReplica[vm]).toEqual({ state: 'Off', mode: 'Replica' });
      expect(w.primaryRepl[vm]).toBe('Replicating');
      expect(w.replicaRepl[vm]).toBe('Replicating');
      expect(w.hvDirection[vm]).toBe('hv-primary.lab.local -> hv-replica.lab.local');
    }
    // The Hyper-V machines were shut down through their guests on the recovery site.
    for (const vm of hvMachines) expect(hv.replica.model.vmByName(vm)!.lastStop).toBe('shut-down');
    // Boot groups across platforms on the way back too: db01 before web01.
    const starts = hv.primary.model.applied.filter((a) => a.op === 'Start-VM').map((a) => a.vm);
    expect(starts.lastIndexOf('db01')).toBeLessThan(starts.lastIndexOf('web01'));
    for (const vm of vsMachines) {
      expect(w.vm[vm]).toBe('poweredOn');
      expect(w.vsDisks[vm]!.length).toBeGreaterThan(0);
      expect(w.recovered[`${vm}-dr`]).toBeUndefined();
    }
    expect(w.mtReplicaDisks).toBeGreaterThanOrEqual(2);
    expect((await t.admin.getMasterTarget('mt-ams')).slots).toEqual([]);
  });
});

describe('a plan of Hyper-V machines only', { timeout: 180_000 }, () => {
  it('needs no master target or placement; unplanned failover to a chosen recovery point, then rollback', async () => {
    await t.admin.applyPlan({
      name: 'hv-only',
      source: { site: 'ams' },
      target: { site: 'rtm' },
      machines: [{ vm: 'app01' }],
    });
    const ready = await t.admin.planReadiness('hv-only', 'protect');
    expect(ready.checks.filter((c) => c.status === 'fail')).toEqual([]);
    const run1 = async (kind: JobKind, input: Record<string, unknown> = {}) => {
      const job = await t.admin.createJob({ kind, planId: 'hv-only', input });
      return waitFor(
        async () => {
          const j = await t.admin.getJob(job.id);
          return ['succeeded', 'failed', 'cancelled'].includes(j.state) ? j : null;
        },
        `${kind} job`,
        120_000,
      );
    };
    const protect = await run1('protect');
    expectOk(protect);
    expect(stepState(protect, 'create the replica disks on the master target')).toBe('skipped');
    // Wait for a second recovery point, then fail over to the older one by its time.
    const points = await waitFor(
      async () => {
        const p = await hvReplica.getSnapshots({ name: 'app01' });
        const replicas = p.filter((x) => x.type === 'Replica' || x.type === 'AppConsistentReplica');
        return replicas.length >= 2 ? replicas : null;
      },
      'two recovery points of app01',
      60_000,
    );
    const older = [...points].sort((a, b) => a.created!.localeCompare(b.created!))[0]!;
    const job = await run1('unplanned-failover', { point: `time:${older.created}` });
    expectOk(job);
    const chosen = job.steps
      .find((s) => s.name === 'Hyper-V: choose the recovery points')!
      .log.map((l) => l.message)
      .join(' ');
    expect(chosen).toContain(older.name);
    expect(await hvReplica.getReplication({ name: 'app01' })).toMatchObject({
      state: 'FailedOverWaitingCompletion',
    });
    expect((await hvReplica.getVM({ name: 'app01' })).state).toBe('Running');
    const pair = (await t.admin.listPairs()).find((p) => p.sourceVmName === 'app01')!;
    expect(pair).toMatchObject({ platform: 'hyperv', state: 'failover-pending', masterTargetId: null });

    expectOk(await run1('rollback'));
    expect(await hvReplica.getReplication({ name: 'app01' })).toMatchObject({ state: 'Replicating' });
    expect((await hvReplica.getVM({ name: 'app01' })).state).toBe('Off');
    expect((await t.admin.listPairs()).find((p) => p.sourceVmName === 'app01')!.state).toBe('protected');
  });

  it('a changed policy reaches the running Hyper-V replication when the plan is protected again', async () => {
    const run1 = async (dryRun: boolean) => {
      const job = await t.admin.createJob({ kind: 'protect', planId: 'hv-only', dryRun });
      const done = await waitFor(
        async () => {
          const j = await t.admin.getJob(job.id);
          return ['succeeded', 'failed', 'cancelled'].includes(j.state) ? j : null;
        },
        'protect job',
        120_000,
      );
      expectOk(done);
      return done.steps.flatMap((s) => s.log.map((l) => l.message));
    };
    const settings = async (host: HypervClient) => {
      const r = (await host.getReplication({ name: 'app01' }))!;
      return [r.state, r.frequencySec, r.recoveryHistory, r.vssSnapshotFrequencyHours];
    };
    const plan = await t.admin.getPlan('hv-only');
    const enabled = await settings(hvPrimary);
    expect(enabled).toEqual(['Replicating', 300, 24, 1]);
    // Every 15 minutes, 2 recovery points, app-consistent every 4 hours.
    const file = {
      ...planSpecOf(plan),
      policy: { ...plan.policy, rpoThresholdMinutes: 60, retentionHours: 2, appConsistentEveryMinutes: 240 },
    };
    expect((await t.admin.validatePlan(file)).issues.map((i) => i.message)).toEqual([
      'app01 keeps the Hyper-V Replica settings it was enabled with (every 300 s, 24 recovery points, app-consistent every 1 h) until the plan is protected again: Protect sets the new policy on its replication (Set-VMReplication)',
    ]);
    await t.admin.applyPlan(file);
    // Saved on the server; the hosts have not changed.
    expect(await settings(hvPrimary)).toEqual(enabled);

    const set = "app01 to the plan's policy (every 900 s, 2 recovery points, app-consistent every 4 h)";
    expect(await run1(true)).toContain(`dry run: would set Hyper-V Replica of ${set}; it runs every 300 s`);
    expect(await settings(hvPrimary)).toEqual(enabled);

    expect(await run1(false)).toContain(
      "app01: Hyper-V Replica set to the plan's policy (every 900 s, 2 recovery points, app-consistent every 4 h); it ran every 300 s",
    );
    expect(await settings(hvPrimary)).toEqual(['Replicating', 900, 2, 4]);
    expect((await settings(hvReplica)).slice(1)).toEqual([900, 2, 4]);
    expect((await t.admin.listPairs()).find((p) => p.sourceVmName === 'app01')!.state).toBe('protected');
    // Set once: protecting again finds the host as the plan says.
    expect((await run1(false)).filter((l) => /Hyper-V Replica set to/.test(l))).toEqual([]);
  });

  it('after an unplanned failover and commit, reprotect turns the running original off and sends an initial copy back; failback brings it home', async () => {
    const run1 = async (
      kind: JobKind,
      options: { dryRun?: boolean; input?: Record<string, unknown> } = {},
    ) => {
      const job = await t.admin.createJob({
        kind,
        planId: 'hv-only',
        dryRun: options.dryRun ?? false,
        input: options.input ?? {},
      });
      const done = await waitFor(
        async () => {
          const j = await t.admin.getJob(job.id);
          return ['succeeded', 'failed', 'cancelled'].includes(j.state) ? j : null;
        },
        `${kind} job`,
        120_000,
      );
      expectOk(done);
      return done;
    };
    const state = async () => {
      const [p, r] = await Promise.all([
        hvPrimary.getReplication({ name: 'app01' }),
        hvReplica.getReplication({ name: 'app01' }),
      ]);
      const [pv, rv] = await Promise.all([
        hvPrimary.getVM({ name: 'app01' }),
        hvReplica.getVM({ name: 'app01' }),
      ]);
      const pair = (await t.admin.listPairs()).find((x) => x.sourceVmName === 'app01')!;
      return {
        pair: `${pair.state}:${pair.direction}`,
        ams: {
          vm: pv.state,
          mode: p?.mode,
          state: p?.state,
          direction: `${p?.primaryServer} -> ${p?.replicaServer}`,
        },
        rtm: {
          vm: rv.state,
          mode: r?.mode,
          state: r?.state,
          direction: `${r?.primaryServer} -> ${r?.replicaServer}`,
        },
      };
    };
    await run1('unplanned-failover', { input: { point: 'latest' } });
    await run1('commit');
    // The original site comes back with its VM started: both copies run (a split brain).
    await hvPrimary.startVM({ name: 'app01' });
    expect(await state()).toMatchObject({
      pair: 'failed-over:forward',
      ams: { vm: 'Running', mode: 'Primary' },
      rtm: { vm: 'Running', mode: 'Replica', state: 'FailedOver' },
    });

    const before = await state();
    const dry = await run1('reprotect', { dryRun: true });
    const lines = dry.steps.flatMap((s) => s.log.map((l) => l.message));
    expect(lines).toContainEqual('dry run: would turn app01 off on hv-ams (it runs: a split brain)');
    expect(lines).toContainEqual(expect.stringContaining('a full initial copy goes over the network'));
    expect(await state()).toEqual(before);

    // No vSphere pair: no master target on the original site is chosen or needed.
    const reprotect = await run1('reprotect');
    expect(stepState(reprotect, 'record the original VMs on ams')).toBe('skipped');
    const log = reprotect.steps.flatMap((s) => s.log.map((l) => l.message)).join('\n');
    expect(log).toContain('initial copy started from hv-rtm');
    expect(await state()).toEqual({
      pair: 'protected:reverse',
      ams: {
        vm: 'Off',
        mode: 'Replica',
        state: 'Replicating',
        direction: 'hv-replica.lab.local -> hv-primary.lab.local',
      },
      rtm: {
        vm: 'Running',
        mode: 'Primary',
        state: 'Replicating',
        direction: 'hv-replica.lab.local -> hv-primary.lab.local',
      },
    });
    expect(hv.replica.model.applied).toContainEqual({ op: 'Start-VMInitialReplication', vm: 'app01' });

    await run1('failback');
    expect(await state()).toEqual({
      pair: 'protected:forward',
      ams: {
        vm: 'Running',
        mode: 'Primary',
        state: 'Replicating',
        direction: 'hv-primary.lab.local -> hv-replica.lab.local',
      },
      rtm: {
        vm: 'Off',
        mode: 'Replica',
        state: 'Replicating',
        direction: 'hv-primary.lab.local -> hv-replica.lab.local',
      },
    });
  });
});
