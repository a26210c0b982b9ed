import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../../server/crypto';
import { type Db, openDb } from '../../../server/db';
import { EventHub } from '../../../server/events';
import { JobRunner, Jobs, type Workflow } from '../../../server/jobs';
import { migrate, migrations } from '../../../server/migrations';
import { Store } from '../../../server/store';
import { say } from '../../../shared/i18n/worded';
import type { Job, JobKind } from '../../../shared/schemas/job';
import { dbKinds, openTestDb, type TestDb, waitFor } from './harness';

/** The store on both databases: the same SQL must behave the same on PGlite and PostgreSQL. */
describe.each(dbKinds)('store on %s', (kind) => {
  let tdb: TestDb;
  let hub: EventHub;
  let store: Store;

  beforeAll(async () => {
    tdb = await openTestDb(kind);
    expect(await migrate(tdb.db)).toBe(migrations.length);
    hub = new EventHub(tdb.db, 50);
    await hub.start();
    store = new Store(tdb.db, hub);
  });

  afterAll(async () => {
    hub?.stop();
    await tdb?.drop();
  });

  it('migrations are versioned and run once', async () => {
    expect(await migrate(tdb.db)).toBe(0);
    const rows = await tdb.db.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
  });

  it('keeps entities and refuses duplicates as conflicts', async () => {
    const a = await store.sites.create('ams', 'primary');
    await store.sites.create('rtm', 'secondary');
    expect((await store.sites.resolve('ams')).id).toBe(a.id);
    await expect(store.sites.create('ams', 'secondary')).rejects.toThrow("a site named 'ams' already exists");
    await expect(store.sites.resolve('nowhere')).rejects.toThrow("no site named 'nowhere'");
  });

  it('event ids become visible in commit order, even with concurrent writers', async () => {
    const src = await store.sites.resolve('ams');
    const dst = await store.sites.resolve('rtm');
    const pair = await store.pairs.create({
      sourceVmId: 'vm-c',
      sourceVmName: 'c',
      sourceSite: src.id,
      targetSite: dst.id,
      osFamily: 'linux',
      rpoThresholdSec: 900,
    });
    await store.pairs.transition(pair.id, 'initial-replication', null);
    await hub.flush();
    const got: string[] = [];
    const sub = await hub.subscribe(
      {
        types: null,
        send: (json) => {
          const frame = JSON.parse(json);
          for (const ev of Array.isArray(frame) ? frame : [frame]) got.push(ev.id);
          return true;
        },
      },
      null,
    );
    const start = hub.head;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        store.telemetry.pairStats(pair.id, {
          rpoSec: i,
          pendingChangeBytes: 0,
          diskSizeBytes: 1e9,
          throughputBps: 1,
          progress: 0.1,
        }),
      ),
    );
    const rows = await tdb.db.query<{ id: string }>(
      'SELECT id::text AS id FROM events WHERE events.id > $1 ORDER BY events.id',
      [start.toString()],
    );
    expect(rows).toHaveLength(40);
    await waitFor(() => got.length >= 40, 'forty events');
    expect(got).toEqual(rows.map((r) => r.id));
    sub.unsubscribe();
  });

  it('seals endpoint credentials with a key kept outside the database', async () => {
    const box = SecretBox.fromKey(randomBytes(32));
    const site = await store.sites.resolve('ams');
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const ep = await store.endpoints.create({
      siteId: site.id,
      name: 'vc',
      target: { kind: 'vsphere', url: 'https://vc.example/sdk', username: 'u' },
      trust: { kind: 'thumbprint', thumbprint: 'ab'.repeat(32).match(/../g)!.join(':') },
      product: 'VMware vCenter Server 8',
      sealedSecret: box.seal(JSON.stringify({ password })),
    });
    expect(ep.hasSecret).toBe(true);
    const dump = JSON.stringify(await tdb.db.query('SELECT * FROM endpoints'));
    expect(dump).not.toContain(password);
    const { sealedSecret } = await store.endpoints.withSecret('vc');
    expect(JSON.parse(box.open(sealedSecret!)).password).toBe(password);
    expect(() => SecretBox.fromKey(randomBytes(32)).open(sealedSecret!)).toThrow('key file does not match');
  });
});

/** A workflow whose steps record who ran them, to prove each job runs once. */
function recordingWorkflow(kind: JobKind, runs: Map<string, string[]>, steps = 2, stepMs = 5): Workflow {
  return {
    kind,
    steps: (job: Job) =>
      Array.from({ length: steps }, (_, i) => ({
        name: `step ${i}`,
        async run(ctx) {
          const key = `${job.id}#${i}`;
          runs.set(key, [...(runs.get(key) ?? []), ctx.job.id]);
          await new Promise((r) => setTimeout(r, stepMs));
          await ctx.progress(0.5);
          await ctx.log('info', say({ 'test.stepDone': 'step {i} done' }, 'test.stepDone', { i }));
          return undefined;
        },
      })),
  };
}

describe.each(dbKinds)('job runner on %s', (kind) => {
  let tdb: TestDb;
  let second: Db | null = null;

  beforeAll(async () => {
    tdb = await openTestDb(kind);
    await migrate(tdb.db);
    // On PostgreSQL the second "instance" has its own connection pool, as a second server would.
    second = tdb.url ? await openDb({ databaseUrl: tdb.url }) : null;
  });

  afterAll(async () => {
    await second?.close();
    await tdb?.drop();
  });

  it('two runners on one database never run a job twice', async () => {
    const runs = new Map<string, string[]>();
    const wf = new Map([['remove' as JobKind, recordingWorkflow('remove', runs)]]);
    const hubA = new EventHub(tdb.db);
    const hubB = new EventHub(second ?? tdb.db);
    await hubA.start();
    await hubB.start();
    const storeA = new Store(tdb.db, hubA);
    const storeB = new Store(second ?? tdb.db, hubB);
    const jobs = new Jobs(storeA, wf);
    const created = [];
    for (let i = 0; i < 24; i++) created.push(await jobs.create({ kind: 'remove' }, 'test'));
    const a = new JobRunner(storeA, wf, { workerId: 'A', pollMs: 20, concurrency: 3 });
    const b = new JobRunner(storeB, wf, { workerId: 'B', pollMs: 20, concurrency: 3 });
    a.start();
    b.start();
    const done = await waitFor(
      async () => {
        const list = await jobs.list(100);
        return list.filter((j) => j.state === 'succeeded').length === created.length ? list : null;
      },
      'all jobs',
      30_000,
    );
    await a.stop();
    await b.stop();
    hubA.stop();
    hubB.stop();
    for (const job of created) {
      expect(runs.get(`${job.id}#0`)).toHaveLength(1);
      expect(runs.get(`${job.id}#1`)).toHaveLength(1);
    }
    const claimedBy = await tdb.db.query<{ claimed_by: string; n: number }>(
      'SELECT claimed_by, count(*)::int AS n FROM jobs GROUP BY claimed_by',
    );
    if (kind === 'postgres') expect(claimedBy.map((r) => r.claimed_by).sort()).toEqual(['A', 'B']);
    expect(done.every((j) => j.progress === 1 && j.steps.every((s) => s.state === 'succeeded'))).toBe(true);
  });

  it('a job left by a dead instance is resumed at its first unfinished step', async () => {
    const runs = new Map<string, string[]>();
    const wf = new Map([['rollback' as JobKind, recordingWorkflow('rollback', runs, 3)]]);
    const hub = new EventHub(tdb.db);
    await hub.start();
    const store = new Store(tdb.db, hub);
    const jobs = new Jobs(store, wf);
    const job = await jobs.create({ kind: 'rollback' }, 'test');
    // Instance "dead" claims the job, finishes step 0, then dies (its lease runs out).
    const dead = new JobRunner(store, wf, { workerId: 'dead', leaseSec: 1 });
    const claimed = await dead.claim();
    expect(claimed?.id).toBe(job.id);
    const steps = claimed!.steps.map((s, i) =>
      i === 0 ? { ...s, state: 'succeeded' as const, progress: 1 } : s,
    );
    await tdb.db.query('UPDATE jobs SET steps = $2::jsonb WHERE id = $1', [job.id, JSON.stringify(steps)]);
    const early = new JobRunner(store, wf, { workerId: 'early', pollMs: 20 });
    expect(await early.claim()).toBeNull(); // lease still held
    await new Promise((r) => setTimeout(r, 1200));
    const survivor = new JobRunner(store, wf, { workerId: 'survivor', pollMs: 20 });
    survivor.start();
    const finished = await waitFor(async () => {
      const j = await jobs.get(job.id);
      return j.state === 'succeeded' ? j : null;
    }, 'the resumed job');
    await survivor.stop();
    hub.stop();
    expect(runs.has(`${job.id}#0`)).toBe(false);
    expect(runs.get(`${job.id}#1`)).toHaveLength(1);
    expect(runs.get(`${job.id}#2`)).toHaveLength(1);
    expect(finished.steps.map((s) => s.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });
});
