import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tServer, useLocale } from '../../../renderer/src/i18n';
import { SecretBox } from '../../../server/crypto';
import { migrate, migrations } from '../../../server/migrations';
import { endedText } from '../../../shared/i18n/job-words';
import { englishOf } from '../../support/words';
import { dbKinds, openTestDb, startTestServer, type TestDb, type TestServer } from './harness';

/**
 * A job for no plan says what it acts on (Job.subject): the master target a configure job
 * configures, the machines of the pairs a resync takes, named when the job is made. Jobs stored
 * before the column get theirs from the migration where it is still known.
 */
describe.each(dbKinds)('job subject on %s', (kind) => {
  let tdb: TestDb;
  let t: TestServer;

  beforeAll(async () => {
    tdb = await openTestDb(kind);
    // The schema before subjects, with jobs made then: the migration names what they act on.
    await migrate(tdb.db, migrations.length - 1);
    const q = (sql: string, params: unknown[] = []) => tdb.db.query(sql, params);
    await q(`INSERT INTO sites (id, name, role) VALUES ('s1','ams','primary'), ('s2','rtm','secondary')`);
    await q(
      `INSERT INTO pairs (id, source_vm_id, source_vm_name, source_site_id, target_site_id, os_family, state, rpo_threshold_sec)
       VALUES ('pair_old1', 'vm-o1', 'old-02', 's1', 's2', 'linux', 'protected', 300),
              ('pair_old2', 'vm-o2', 'old-01', 's1', 's2', 'linux', 'protected', 300)`,
    );
    const job = (id: string, kindName: string, pairIds: string[], input: object) =>
      q(
        `INSERT INTO jobs (id, kind, state, dry_run, plan_id, pair_ids, input, steps, created_by)
         VALUES ($1, $2, 'succeeded', false, NULL, $3::jsonb, $4::jsonb, '[]', 'test')`,
        [id, kindName, JSON.stringify(pairIds), JSON.stringify(input)],
      );
    await job('job_old_mt', 'configure-master-target', [], { site: 'rtm', vm: 'rtm-mt-old' });
    await job('job_old_named', 'configure-master-target', [], { site: 'rtm', vm: 'rtm-mt-x', name: 'mt-x' });
    await job('job_old_resync', 'resync', ['pair_old1', 'pair_old2'], {});
    // A pair removed since: what the job acted on is no longer known, and it is not guessed.
    await job('job_old_gone', 'resync', ['pair_old1', 'pair_removed'], {});

    t = await startTestServer(tdb.db, { runJobs: false, secretBox: SecretBox.fromKey(randomBytes(32)) });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await tdb?.drop();
  });

  afterEach(() => useLocale.setState({ locale: 'en' }));

  const addPair = (name: string) =>
    t.as.operator.addPair({
      sourceSite: 'ams',
      targetSite: 'rtm',
      sourceVmId: `vm-${name}`,
      sourceVmName: name,
      osFamily: 'linux',
      disks: ['disk-0'],
    });

  it('names the master target a configure job configures: its name, else its VM', async () => {
    const byVm = await t.admin.configureMasterTarget({ site: 'rtm', vm: 'ams-mt-lnx-01' }, { dryRun: true });
    expect(byVm.subject).toBe('ams-mt-lnx-01');
    expect(byVm.subjectWords).toBeUndefined();
    const named = await t.admin.configureMasterTarget({ site: 'rtm', vm: 'rtm-mt-lnx-02', name: 'mt-02' });
    expect(named.subject).toBe('mt-02');
    // As the list and a read return it, not only the create.
    expect((await t.as.viewer.getJob(named.id)).subject).toBe('mt-02');
    expect((await t.as.viewer.listJobs()).find((j) => j.id === byVm.id)?.subject).toBe('ams-mt-lnx-01');
    expect(endedText('nl', { ...named, state: 'succeeded' }).title).toBe(
      'Master target configureren voor mt-02 is voltooid',
    );
  });

  it('names the machines of a resync, up to three, then how many more in the console’s words', async () => {
    const few = [await addPair('web-02'), await addPair('web-01')];
    const two = await t.as.operator.createJob({
      kind: 'resync',
      pairIds: few.map((p) => p.id),
      dryRun: true,
    });
    expect(two.subject).toBe('web-01, web-02');
    expect(two.subjectWords).toBeUndefined();
    // Its steps name each machine too, not the pair's id.
    expect(two.steps.map((s) => s.name)).toEqual(['start resync of web-02', 'start resync of web-01']);

    const more = [...few];
    for (const name of ['db-01', 'db-02', 'app-01']) more.push(await addPair(name));
    const five = await t.as.operator.createJob({
      kind: 'resync',
      pairIds: more.map((p) => p.id),
      dryRun: true,
    });
    expect(five.subject).toBe('app-01, db-01, db-02 and 2 more');
    expect(englishOf(five.subjectWords!)).toBe(five.subject);
    useLocale.setState({ locale: 'nl' });
    expect(tServer(five.subject!, five.subjectWords)).toBe('app-01, db-01, db-02 en nog 2');
  });

  it('gives jobs made before the column what they acted on, where it is still known', async () => {
    const byId = new Map((await t.as.viewer.listJobs()).map((j) => [j.id, j]));
    expect(byId.get('job_old_mt')?.subject).toBe('rtm-mt-old');
    expect(byId.get('job_old_named')?.subject).toBe('mt-x');
    expect(byId.get('job_old_resync')?.subject).toBe('old-01, old-02');
    expect(byId.get('job_old_gone')?.subject).toBeNull();
    expect(await migrate(tdb.db)).toBe(0);
  });
});
