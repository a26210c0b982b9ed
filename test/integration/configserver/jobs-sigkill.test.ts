import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigServerClient } from '../../../core/configserver';
import { LabAgent } from '../../../server/lab/agent';
import type { Job } from '../../../shared/schemas/job';
import { readSim } from '../../vcsim/harness';
import { expectOk, expectSoundWorld, finished, prepare, startWorld, type World } from './failover-world';
import { createPgDatabase, ServerProcesses } from './harness';

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

/**
 * Starts an unplanned failover and returns once the secondary vCenter has received a CreateVM_Task
 * (in flight there for its 3 s: the server that sent it will not read the answer).
 */
async function failoverInFlight(c: ConfigServerClient, w: World): Promise<Job> {
  const sent = w.secondary.nextLog(/^call: CreateVM_Task$/, 120_000);
  const job = await c.createJob({
    kind: 'unplanned-failover',
    planId: 'web',
    input: { point: 'latest', acceptSplitBrain: true },
  });
  if (!(await sent)) {
    const j = await c.getJob(job.id);
    throw new Error(`no create reached vCenter before the kill: ${j.state} ${j.error}`);
  }
  return job;
}

describe('a failover job through SIGKILL of its configuration server', () => {
  it('PGlite: the restarted server resumes the job; no duplicate VM, no disk on two VMs', async () => {
    const w = await startWorld({ logCalls: ['CreateVM_Task'] });
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
      const job = await failoverInFlight(c, w);
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
    const w = await startWorld({ logCalls: ['CreateVM_Task'] });
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
      const job = await failoverInFlight(ca, w);
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
