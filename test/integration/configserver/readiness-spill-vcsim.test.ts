import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigServerClient } from '../../../core/configserver';
import { realConnectors } from '../../../core/connectors';
import type { VsphereInventorySource } from '../../../core/vsphere';
import { LabAgent } from '../../../server/lab/agent';
import type { ReadinessKind } from '../../../shared/configserver';
import { openSim, readSim, startVcsim, type Vcsim } from '../../vcsim/harness';
import { addSites, expectOk, finished } from './failover-world';
import { openTestDb, startTestServer, type TestDb, type TestServer } from './harness';

/**
 * Master-target spill against two strict vcsim vCenters: 61 single-disk machines, a plan whose
 * master target mt-a has 59 free slots (60 less its own disk) and a second one, mt-b, on the same
 * vCenter. Readiness counts mt-b's slots only while mt-b is there and on; protect puts 59 replica
 * disks on mt-a and the other 2 on mt-b, as read back through the vSphere API. Before a failover,
 * readiness wants mt-b on (it holds pairs) and every replica disk file on its datastore.
 */
let tdb: TestDb;
let t: TestServer;
let primary: Vcsim;
let secondary: Vcsim;
let rtm: VsphereInventorySource;
let agent: LabAgent;
let machines: string[];
let mtA: { id: string; name: string };
let mtB: { id: string; name: string };

const check = async (c: ConfigServerClient, kind: ReadinessKind, id: string, title?: RegExp) => {
  const report = await c.planReadiness('spill', kind);
  const found = report.checks.filter((x) => x.id === id && (!title || title.test(x.title)));
  expect(found, `${kind}: ${id} ${title ?? ''} in ${JSON.stringify(report.checks)}`).toHaveLength(1);
  return found[0]!;
};

beforeAll(async () => {
  [primary, secondary, tdb] = await Promise.all([
    startVcsim({
      username: 'admin@ams',
      password: 'ams-secret',
      clusterHosts: 1,
      standaloneHosts: 0,
      vmsPerPool: 61,
    }),
    startVcsim({ username: 'admin@rtm', password: 'rtm-secret' }),
    openTestDb('pglite'),
  ]);
  rtm = await openSim(secondary);
  t = await startTestServer(tdb.db, { connectors: realConnectors });
  const c = t.admin;
  await addSites(c, primary, secondary);
  const [source, target] = await Promise.all([readSim(primary), readSim(secondary)]);
  machines = source.vms.filter((v) => v.name.startsWith('DC0_C0_')).map((v) => v.name);
  expect(machines).toHaveLength(61);
  expect(source.vms.filter((v) => machines.includes(v.name)).every((v) => v.disks.length === 1)).toBe(true);
  const [a, b] = target.vms.filter((v) => v.name.startsWith('DC0_H0_'));
  mtA = { id: a!.id, name: a!.name };
  mtB = { id: b!.id, name: b!.name };
  for (const [vm, name] of [
    [mtA.name, 'mt-a'],
    [mtB.name, 'mt-b'],
  ] as const)
    expectOk(await finished(c, (await c.configureMasterTarget({ site: 'rtm', vm, name })).id));
  await c.applyPlan({
    name: 'spill',
    source: { site: 'ams' },
    target: {
      site: 'rtm',
      masterTarget: 'mt-a',
      placement: { cluster: 'DC0_C0', datastore: 'LocalDS_0' },
      networks: Object.fromEntries(source.networks.map((n) => [n.name, 'VM Network'])),
    },
    parallelism: 8,
    machines: machines.map((vm) => ({ vm, bootGroup: 1, recoveredName: `${vm}-dr` })),
  });
  agent = new LabAgent(t.as.agent, { tickMs: 200, burstChance: 0, errorChance: 0, rateMbps: 50_000_000 });
  agent.start();
}, 300_000);

afterAll(async () => {
  await agent?.stop();
  await t?.close();
  await tdb?.drop();
  await rtm?.close();
  await Promise.all([primary?.stop(), secondary?.stop()]);
});

describe('master-target spill', () => {
  it('protect readiness counts a spill master target only while it is there and on', async () => {
    await rtm.operations.powerOff(mtB.id);
    const off = await check(t.admin, 'protect', 'master-target.exists', /mt-b \(spill\)/);
    expect(off.status).toBe('warn');
    expect(off.message).toBe(`${mtB.name} is poweredOff; no pair spills onto it`);
    expect(off.fix).toBe(`power ${mtB.name} on`);
    const short = await check(t.admin, 'protect', 'master-target.slots');
    expect(short.status).toBe('fail');
    expect(short.message).toMatch(/^61 disks to attach, 59 free slots on mt-a /);

    await rtm.operations.powerOn(mtB.id);
    const on = await check(t.admin, 'protect', 'master-target.exists', /mt-b \(spill\)/);
    expect(on.status).toBe('pass');
    const room = await check(t.admin, 'protect', 'master-target.slots');
    expect(room).toMatchObject({ status: 'pass', subject: 'mt-a, mt-b' });
    expect(room.message).toBe('61 disks to attach, 118 free slots');
  }, 120_000);

  it('protect fills mt-a, spills the rest onto mt-b; each replica disk on exactly one VM', async () => {
    expectOk(
      await finished(t.admin, (await t.admin.createJob({ kind: 'protect', planId: 'spill' })).id, 600_000),
    );
    const target = await readSim(secondary);
    const replicas = (name: string) =>
      target.vms
        .find((v) => v.name === name)!
        .disks.filter((d) => d.fileName.includes('siteshift-replicas/'))
        .map((d) => d.fileName);
    expect(replicas(mtA.name)).toHaveLength(59);
    expect(replicas(mtB.name)).toHaveLength(2);
    const all = target.vms.flatMap((v) => v.disks.filter((d) => d.fileName.includes('siteshift-replicas/')));
    expect(new Set(all.map((d) => d.fileName)).size).toBe(all.length);
    const [a, b] = await Promise.all([t.admin.getMasterTarget('mt-a'), t.admin.getMasterTarget('mt-b')]);
    const pairs = await t.admin.listPairs();
    expect(pairs).toHaveLength(61);
    expect(pairs.filter((p) => p.masterTargetId === b.id)).toHaveLength(2);
    expect(pairs.filter((p) => p.masterTargetId === a.id)).toHaveLength(59);
    // What the store says each slot holds is what vCenter has on that master target.
    expect(b.slots.map((s) => s.fileName).sort()).toEqual(replicas(mtB.name).sort());
    expect(a.slotsFree).toBe(0);
  }, 600_000);

  it('failover readiness: the spill master target must be on, and every replica disk file on its datastore', async () => {
    const files = await check(t.admin, 'unplanned', 'replica.files');
    expect(files).toMatchObject({
      status: 'pass',
      message: '61 replica disk files found on their datastores',
    });

    await rtm.operations.powerOff(mtB.id);
    const off = await check(t.admin, 'unplanned', 'master-target.exists', /^Master target mt-b /);
    expect(off).toMatchObject({
      status: 'fail',
      message: `${mtB.name} is poweredOff`,
      fix: `power ${mtB.name} on`,
    });
    await rtm.operations.powerOn(mtB.id);
    expect((await check(t.admin, 'unplanned', 'master-target.exists', /^Master target mt-b /)).status).toBe(
      'pass',
    );

    // A replica lost on the datastore (detached and deleted behind the server's back).
    const b = await t.admin.getMasterTarget('mt-b');
    const lost = b.slots[0]!;
    expect(await rtm.operations.detachDisk(mtB.id, lost.fileName!)).toBe('detached');
    expect(await rtm.operations.deleteFile(lost.fileName!)).toBe('deleted');
    const pair = (await t.admin.listPairs()).find((p) => p.id === lost.pairId)!;
    const missing = await check(t.admin, 'unplanned', 'replica.files');
    expect(missing.status).toBe('fail');
    expect(missing.message).toBe(`1 replica disk file missing: ${pair.sourceVmName}: ${lost.fileName}`);
    expect(missing.fix).toMatch(/siteshift protect spill/);
    const report = await t.admin.planReadiness('spill', 'unplanned');
    expect(report.ready).toBe(false);
  }, 120_000);
});
