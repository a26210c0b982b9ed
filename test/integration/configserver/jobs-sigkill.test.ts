import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigServerClient } from '../../../core/configserver';
import { LabAgent } from '../../../server/lab/agent';
import type { VsphereInventory } from '../../../shared/schemas/inventory';
import type { Job } from '../../../shared/schemas/job';
import { readSim, startVcsim, type Vcsim } from '../../vcsim/harness';
import { createPgDatabase, ServerProcesses, waitFor } from './harness';

/**
 * A failover job whose configuration server is killed (SIGKILL) in the middle of creating the
 * recovered VMs, against two strict vcsim vCenters whose CreateVM_Task takes seconds (DelayConfig):
 * the creates the dead server sent still finish on vCenter after it died. Restarted on the same
 * data (PGlite), the server resumes the job once its lease runs out; on PostgreSQL with two
 * instances, the survivor takes the job over. Either way the world afterwards holds each
 * recovered VM once, every replica disk on exactly one VM, and the job ends succeeded.
 */
const LEASE_SEC = 5;
const servers = new ServerProcesses();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'siteshift-sigkill-'));
});

afterAll(async () => {
  await servers.killAll();
  rmSync(dir, { recursive: true, force: true });
});

const startServer = (args: string[]) => servers.start(['--job-lease-seconds', String(LEASE_SEC), ...args]);

interface World {
  primary: Vcsim;
  secondary: Vcsim;
  source: VsphereInventory;
  machines: string[];
  mtVm: string;
}

async function startWorld(): Promise<World> {
  const [primary, secondary] = await Promise.all([
    startVcsim({ username: 'admin@ams', password: 'ams-secret' }),
    // The creates take long enough for the kill to land while they are in flight.
    startVcsim({
      username: 'admin@rtm',
      password: 'rtm-secret',
      methodDelay: { CreateVM_Task: 3000, PowerOnVM_Task: 500 },
    }),
  ]);
  const source = await readSim(primary);
  const target = await readSim(secondary);
  return {
    primary,
    secondary,
    source,
    machines: source.vms.filter((v) => v.name.startsWith('DC0_C0_')).map((v) => v.name),
    mtVm: target.vms.find((v) => v.name.startsWith('DC0_H0_'))!.name,
  };
}

/** Sites, endpoints, the master target (configured by its job), the plan, protect: a plan ready to fail over. */
async function prepare(c: ConfigServerClient, w: World): Promise<void> {
  await c.addSite('ams', 'primary');
  await c.addSite('rtm', 'secondary');
  for (const [site, vc] of [
    ['ams', w.primary],
    ['rtm', w.secondary],
  ] as const)
    await c.addEndpoint({
      site,
      name: `vc-${site}`,
      target: { kind: 'vsphere', url: vc.url, username: vc.username },
      secrets: { password: vc.password },
      trust: { kind: 'thumbprint', thumbprint: vc.thumbprint },
    });
  const mt = await finished(
    c,
    (await c.configureMasterTarget({ site: 'rtm', vm: w.mtVm, name: 'mt-01' })).id,
  );
  expectOk(mt);
  await c.applyPlan({
    name: 'web',
    source: { site: 'ams' },
    target: {
      site: 'rtm',
      masterTarget: 'mt-01',
      placement: { cluster: 'DC0_C0', datastore: 'LocalDS_0', folder: '/Recovered' },
      networks: Object.fromEntries(w.source.networks.map((n) => [n.name, 'VM Network'])),
    },
    parallelism: 4,
    machines: w.machines.map((vm, i) => ({
      vm,
      bootGroup: 1 + (i % 2),
      recoveredName: `${vm}-dr`,
      // Re-IP through vSphere guest customization (CustomizeVM_Task, strict vcsim), applied at power-on.
      ...(i === 0
        ? { reip: { nic: 0, address: '10.20.0.11/24', gateway: '10.20.0.1', dns: ['10.20.0.2'] } }
        : {}),
    })),
  });
  expectOk(await finished(c, (await c.createJob({ kind: 'protect', planId: 'web' })).id));
  await waitFor(
    async () => {
      for (const p of await c.listPairs()) if ((await c.recoveryPoints(p.id)).length === 0) return false;
      return true;
    },
    'a recovery point for every pair',
    60_000,
  );
}

async function finished(c: ConfigServerClient, id: string, timeoutMs = 120_000): Promise<Job> {
  return waitFor(
    async () => {
      const j = await c.getJob(id);
      return ['succeeded', 'failed', 'cancelled'].includes(j.state) ? j : null;
    },
    `job ${id}`,
    timeoutMs,
  );
}

function expectOk(job: Job): void {
  if (job.state !== 'succeeded') {
    const logs = job.steps.flatMap((s) => s.log.map((l) => `${s.name}: ${l.message}`));
    throw new Error(`${job.kind} ${job.state}: ${job.error}\n${logs.join('\n')}`);
  }
}

/** Starts an unplanned failover and returns once it is creating the recovered VMs (their creates in flight). */
async function failoverInFlight(c: ConfigServerClient): Promise<Job> {
  const job = await c.createJob({
    kind: 'unplanned-failover',
    planId: 'web',
    input: { point: 'latest', acceptSplitBrain: true },
  });
  await waitFor(
    async () => {
      const j = await c.getJob(job.id);
      if (['failed', 'cancelled', 'succeeded'].includes(j.state))
        throw new Error(`the failover ended before the kill: ${j.state} ${j.error}`);
      return j.steps.find((s) => s.name === 'create the recovered VMs')?.state === 'running';
    },
    'the create step',
    120_000,
  );
  // The step reads the sources first; the creates go out within a moment and take 3 s on vCenter.
  await new Promise((r) => setTimeout(r, 1500));
  return job;
}

/** The world after the job: each recovered VM once, powered on, every replica disk on exactly one VM. */
async function expectSoundWorld(w: World): Promise<void> {
  const target = await readSim(w.secondary);
  for (const name of w.machines) {
    const copies = target.vms.filter((v) => v.name === `${name}-dr`);
    expect(copies, `${name}-dr`).toHaveLength(1);
    expect(copies[0]!.powerState).toBe('poweredOn');
  }
  // The re-addressed machine came up with the plan's address (the customization ran at power-on).
  const reip = target.vms.find((v) => v.name === `${w.machines[0]}-dr`)!;
  expect(reip.ipAddresses).toContain('10.20.0.11');
  const holders = new Map<string, string[]>();
  for (const vm of target.vms)
    for (const d of vm.disks)
      if (d.fileName.includes('siteshift-replicas/'))
        holders.set(d.fileName, [...(holders.get(d.fileName) ?? []), vm.name]);
  // One replica disk per source disk, each attached once, and to its recovered VM (not the MT).
  const sourceDisks = w.source.vms
    .filter((v) => w.machines.includes(v.name))
    .reduce((n, v) => n + v.disks.length, 0);
  expect(holders.size).toBe(sourceDisks);
  for (const [file, vms] of holders) {
    expect(vms, file).toHaveLength(1);
    expect(vms[0], file).not.toBe(w.mtVm);
  }
}

describe('a failover job through SIGKILL of its configuration server', () => {
  it('PGlite: the restarted server resumes the job; no duplicate VM, no disk on two VMs', async () => {
    const w = await startWorld();
    const data = join(dir, 'pglite');
    const tokenFile = join(dir, 'token');
    let agent: LabAgent | null = null;
    try {
      const first = await startServer(['--data', data, '--bootstrap-token-file', tokenFile]);
      const token = readFileSync(tokenFile, 'utf8').trim();
      const c = new ConfigServerClient({ url: first.url, token });
      agent = new LabAgent(c, { tickMs: 200, burstChance: 0, errorChance: 0, rateMbps: 50_000_000 });
      agent.start();
      await prepare(c, w);
      const job = await failoverInFlight(c);
      await agent.stop();
      agent = null;
      c.close();
      await servers.kill(first.child);

      const second = await startServer(['--data', data, '--bootstrap-token-file', tokenFile]);
      const c2 = new ConfigServerClient({ url: second.url, token });
      const done = await finished(c2, job.id);
      expectOk(done);
      expect((await c2.listPairs()).map((p) => p.state)).toEqual(w.machines.map(() => 'failover-pending'));
      await expectSoundWorld(w);
      // The master target lost exactly the replica disks the failover moved.
      const mt = await c2.getMasterTarget('mt-01');
      const mtVm = (await readSim(w.secondary)).vms.find((v) => v.name === w.mtVm)!;
      expect(mtVm.disks.filter((d) => d.fileName.includes('siteshift-replicas/'))).toHaveLength(0);
      expect(mt.slots.every((s) => s.fileName)).toBe(true);
      c2.close();
      await servers.kill(second.child);
    } finally {
      await agent?.stop();
      await Promise.all([w.primary.stop(), w.secondary.stop()]);
    }
  }, 600_000);

  it('PostgreSQL, two instances: the survivor takes over the dead instance’s job after its lease', async () => {
    const w = await startWorld();
    const pgdb = await createPgDatabase();
    const args = (n: string) => [
      '--database-url',
      pgdb.url,
      '--key-file',
      join(dir, 'pg.key'),
      '--bootstrap-token-file',
      join(dir, `pg-token-${n}`),
    ];
    let agent: LabAgent | null = null;
    const db = new pg.Client({ connectionString: pgdb.url });
    try {
      const a = await startServer(args('a'));
      const token = readFileSync(join(dir, 'pg-token-a'), 'utf8').trim();
      const b = await startServer(args('b'));
      const ca = new ConfigServerClient({ url: a.url, token });
      const cb = new ConfigServerClient({ url: b.url, token });
      const ids = { a: (await ca.healthz()).instanceId, b: (await cb.healthz()).instanceId };
      expect(ids.a).not.toBe(ids.b);
      agent = new LabAgent(ca, { tickMs: 200, burstChance: 0, errorChance: 0, rateMbps: 50_000_000 });
      agent.start();
      await prepare(ca, w);
      const job = await failoverInFlight(ca);
      await db.connect();
      const claimed = async () =>
        String((await db.query('SELECT claimed_by FROM jobs WHERE id = $1', [job.id])).rows[0]?.claimed_by);
      const owner = await claimed();
      expect([ids.a, ids.b]).toContain(owner);
      const [dead, survivor, survivorClient] = owner === ids.a ? [a, ids.b, cb] : [b, ids.a, ca];
      await agent.stop();
      agent = null;
      await servers.kill(dead.child);

      const done = await finished(survivorClient, job.id);
      expectOk(done);
      expect(await claimed()).toBe(survivor);
      await expectSoundWorld(w);
      ca.close();
      cb.close();
      await servers.kill((owner === ids.a ? b : a).child);
    } finally {
      await agent?.stop();
      await db.end().catch(() => {});
      await pgdb.drop();
      await Promise.all([w.primary.stop(), w.secondary.stop()]);
    }
  }, 600_000);
});
