import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realConnectors } from '../../../core/connectors';
import { LabAgent } from '../../../server/lab/agent';
import type { VsphereInventory, VsphereVm } from '../../../shared/schemas/inventory';
import type { Job, JobKind } from '../../../shared/schemas/job';
import { openSim, startVcsim, type Vcsim } from '../../vcsim/harness';
import { openTestDb, startTestServer, type TestDb, type TestServer, waitFor } from './harness';

/**
 * Reprotect and failback against two strict vcsim vCenters (primary and secondary), each with a
 * master target: protect → planned failover → commit → reprotect → failback, and after each the
 * vCenters are read back through the vSphere API: where every disk file is (on which VM, at
 * which controller and unit), which VMs exist and their power. Strict mode refuses any request
 * a real vCenter would refuse.
 */
let tdb: TestDb;
let t: TestServer;
let primary: Vcsim;
let secondary: Vcsim;
let agent: LabAgent;
let machines: string[];
let originals: VsphereVm[];
let amsMt: string;
let rtmMt: string;

async function read(vc: Vcsim): Promise<VsphereInventory> {
  const s = await openSim(vc);
  try {
    return (await s.fetchInventory()) as VsphereInventory;
  } finally {
    await s.close();
  }
}

const disksOf = (vm: VsphereVm | undefined) =>
  (vm?.disks ?? []).map((d) => ({ fileName: d.fileName, controller: d.busNumber, unit: d.unitNumber }));

async function run(kind: JobKind, dryRun = false): Promise<Job> {
  const job = await t.admin.createJob({ kind, planId: 'vc', dryRun });
  const done = await waitFor(
    async () => {
      const j = await t.admin.getJob(job.id);
      return ['succeeded', 'failed', 'cancelled'].includes(j.state) ? j : null;
    },
    `${kind} job`,
    120_000,
  );
  if (done.state !== 'succeeded')
    throw new Error(
      `${kind} ${done.state}: ${done.error}\n${done.steps.flatMap((s) => s.log.map((l) => `${s.name}: ${l.message}`)).join('\n')}`,
    );
  return done;
}

const pairStates = async () => (await t.admin.listPairs()).map((p) => `${p.state}:${p.direction}`);

beforeAll(async () => {
  [primary, secondary, tdb] = await Promise.all([
    startVcsim({ username: 'admin@ams', password: 'ams-secret' }),
    startVcsim({ username: 'admin@rtm', password: 'rtm-secret' }),
    openTestDb('pglite'),
  ]);
  t = await startTestServer(tdb.db, { connectors: realConnectors });
  await t.admin.addSite('ams', 'primary');
  await t.admin.addSite('rtm', 'secondary');
  for (const [site, vc] of [
    ['ams', primary],
    ['rtm', secondary],
  ] as const)
    await t.admin.addEndpoint({
      site,
      name: `vc-${site}`,
      target: { kind: 'vsphere', url: vc.url, username: vc.username },
      secrets: { password: vc.password },
      trust: { kind: 'thumbprint', thumbprint: vc.thumbprint },
    });
  const [source, target] = await Promise.all([read(primary), read(secondary)]);
  machines = source.vms
    .filter((v) => v.name.startsWith('DC0_C0_'))
    .slice(0, 2)
    .map((v) => v.name);
  originals = machines.map((n) => source.vms.find((v) => v.name === n)!);
  // A master target on each site: the secondary's receives, the primary's takes the way back.
  rtmMt = target.vms.find((v) => v.name.startsWith('DC0_H0_'))!.name;
  amsMt = source.vms.find((v) => v.name.startsWith('DC0_H0_'))!.name;
  await t.admin.addMasterTarget({ site: 'rtm', vm: rtmMt, name: 'mt-rtm' });
  await t.admin.addMasterTarget({ site: 'ams', vm: amsMt, name: 'mt-ams' });
  const nets = new Set(
    originals.flatMap((v) => v.nics.map((n) => source.networks.find((x) => x.id === n.network)?.name ?? '')),
  );
  await t.admin.applyPlan({
    name: 'vc',
    source: { site: 'ams' },
    target: {
      site: 'rtm',
      masterTarget: 'mt-rtm',
      placement: { cluster: target.clusters[0]!.name, datastore: target.datastores[0]!.name },
      networks: Object.fromEntries([...nets].filter(Boolean).map((n) => [n, 'VM Network'])),
    },
    parallelism: 2,
    // Both simulators name their VMs alike: the recovered ones get their own names.
    machines: machines.map((vm, i) => ({ vm, bootGroup: i + 1, recoveredName: `${vm}-dr` })),
  });
  agent = new LabAgent(t.as.agent, { tickMs: 100, burstChance: 0, errorChance: 0, rateMbps: 50_000_000 });
  agent.start();
}, 180_000);

afterAll(async () => {
  await agent?.stop();
  await t?.close();
  await tdb?.drop();
  await Promise.all([primary?.stop(), secondary?.stop()]);
});

describe('reprotect and failback on vcsim', { timeout: 240_000 }, () => {
  it('protect, planned failover and commit leave the recovered VMs running on the secondary', async () => {
    await run('protect');
    await run('planned-failover');
    await run('commit');
    expect(await pairStates()).toEqual(['failed-over:forward', 'failed-over:forward']);
    const target = await read(secondary);
    for (const vm of machines) expect(target.vms.find((v) => v.name === vm)?.powerState).toBe('poweredOn');
  });

  it('reprotect: the dry run changes nothing; then the original disks sit on the primary master target', async () => {
    const before = JSON.stringify([await read(primary), await read(secondary)]);
    const dry = await run('reprotect', true);
    expect(JSON.stringify([await read(primary), await read(secondary)])).toBe(before);
    const lines = dry.steps.flatMap((s) => s.log.map((l) => l.message));
    for (const vm of originals)
      for (const d of vm.disks)
        expect(lines).toContainEqual(
          expect.stringContaining(
            `dry run: would detach ${d.fileName} from ${vm.name} SCSI ${d.busNumber}:${d.unitNumber} (file kept) and attach it to ${amsMt} SCSI`,
          ),
        );

    await run('reprotect');
    expect(await pairStates()).toEqual(['protected:reverse', 'protected:reverse']);
    const source = await read(primary);
    const mtDisks = disksOf(source.vms.find((v) => v.name === amsMt)).map((d) => d.fileName);
    const slots = (await t.admin.getMasterTarget('mt-ams')).slots;
    for (const vm of originals) {
      const shell = source.vms.find((v) => v.id === vm.id)!;
      expect(shell.powerState).toBe('poweredOff');
      expect(shell.disks).toEqual([]);
      for (const d of vm.disks) expect(mtDisks).toContain(d.fileName);
    }
    expect(slots).toHaveLength(originals.reduce((n, v) => n + v.disks.length, 0));
    expect(primary.refusals()).toEqual([]);
  });

  it('failback: the original VMs run again on their own disks; the secondary holds replicas again', async () => {
    const job = await run('failback');
    expect(job.steps.filter((s) => s.state === 'succeeded').map((s) => s.name)).toContainEqual(
      expect.stringMatching(/^phase 2\/4 fail over back to ams — attach the disks to the original VMs$/),
    );
    expect(await pairStates()).toEqual(['protected:forward', 'protected:forward']);
    const [source, target] = await Promise.all([read(primary), read(secondary)]);
    for (const vm of originals) {
      const home = source.vms.find((v) => v.id === vm.id)!;
      expect(home.powerState).toBe('poweredOn');
      expect(disksOf(home)).toEqual(disksOf(vm));
      expect(target.vms.find((v) => v.name === `${vm.name}-dr`)).toBeUndefined();
    }
    expect(
      disksOf(source.vms.find((v) => v.name === amsMt)).filter((d) => d.fileName.includes('DC0_C0_')),
    ).toEqual([]);
    const rtmSlots = (await t.admin.getMasterTarget('mt-rtm')).slots;
    const onRtm = disksOf(target.vms.find((v) => v.name === rtmMt));
    for (const s of rtmSlots)
      expect(
        onRtm.some(
          (d) =>
            d.controller === s.controller && d.unit === s.unit && d.fileName.includes('siteshift-replicas/'),
        ),
      ).toBe(true);
    expect((await t.admin.getMasterTarget('mt-ams')).slots).toEqual([]);
    expect([...primary.refusals(), ...secondary.refusals()]).toEqual([]);
  });
});
