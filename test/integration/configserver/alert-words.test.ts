import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tServer, useLocale } from '../../../renderer/src/i18n';
import { SecretBox } from '../../../server/crypto';
import { migrate } from '../../../server/migrations';
import type { Alert } from '../../../shared/configserver';
import { englishOf } from '../../support/words';
import { dbKinds, openTestDb, startTestServer, stats, type TestDb, type TestServer } from './harness';

/**
 * An alert's words (its word-book key and values, beside its English message) go into the alerts
 * table and come back unchanged, on PostgreSQL as on PGlite; an alert raised before the words
 * were stored lists as before and gets them when it is raised again.
 */
describe.each(dbKinds)('alert words on %s', (kind) => {
  let now = new Date('2026-11-26T09:00:00Z');
  let tdb: TestDb;
  let t: TestServer;

  beforeAll(async () => {
    tdb = await openTestDb(kind);
    t = await startTestServer(tdb.db, {
      clock: () => now,
      runJobs: false,
      secretBox: SecretBox.fromKey(randomBytes(32)),
    });
    await t.admin.addSite('ams', 'primary');
    await t.admin.addSite('rtm', 'secondary');
    await t.as.operator.applyPlan({
      name: 'plan-words',
      source: { site: 'ams' },
      target: { site: 'rtm' },
      policy: { rpoThresholdMinutes: 5, retentionHours: 24, appConsistentEveryMinutes: 60 },
    });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await tdb?.drop();
  });

  afterEach(() => useLocale.setState({ locale: 'en' }));

  const openAlerts = async (subjectId: string) =>
    (await t.as.viewer.listAlerts()).filter((a) => a.subjectId === subjectId);

  /** The English message is exactly what its words say in English. */
  const expectWorded = (a: Alert | undefined) => {
    expect(a?.messageWords).toBeDefined();
    expect(englishOf(a!.messageWords!)).toBe(a!.message);
  };

  it('stores and returns the words of every alert it raises', async () => {
    const p = await t.as.operator.addPair({
      plan: 'plan-words',
      sourceSite: 'ams',
      targetSite: 'rtm',
      sourceVmId: 'vm-w1',
      sourceVmName: 'web-01',
      osFamily: 'linux',
    });
    await t.as.agent.reportProgress(p.id, 'initial-replication-started');
    await t.as.agent.reportProgress(p.id, 'initial-replication-complete');
    await t.as.agent.reportStats(p.id, stats({ rpoSec: 700 }));
    const rpo = (await openAlerts(p.id)).find((a) => a.key.endsWith(':rpo'));
    expect(rpo?.messageWords).toEqual({
      key: 'alert.pair.rpoTwice',
      params: { vm: 'web-01', rpo: 700, threshold: 300 },
    });
    expectWorded(rpo);
    useLocale.setState({ locale: 'nl' });
    expect(tServer(rpo!.message, rpo!.messageWords)).toBe(
      'web-01: RPO 700 s ligt boven tweemaal de drempel van 300 s',
    );
    useLocale.setState({ locale: 'en' });

    await t.as.agent.reportError(p.id, 'network', 'connection reset');
    const error = (await openAlerts(p.id)).find((a) => a.key.endsWith(':error'));
    expect(error?.messageWords?.key).toBe('alert.pair.retried.network');
    expectWorded(error);

    // The server's own reason for a move is worded with the alert it raises.
    await t.as.agent.reportStats(p.id, stats({ pendingChangeBytes: 60e9, diskSizeBytes: 100e9 }));
    const resync = (await openAlerts(p.id)).find((a) => a.key.endsWith(':resync'));
    expect(resync?.message).toMatch(
      /^web-01: resync required \(change log at 60% of the disk \(limit 50%\)\); scheduled for /,
    );
    expect(resync?.messageWords?.parts).toEqual({
      reason: { key: 'alert.reason.changeLog', params: { percent: 60 } },
    });
    expectWorded(resync);
    useLocale.setState({ locale: 'nl' });
    expect(tServer(resync!.message, resync!.messageWords)).toMatch(
      /^web-01: hersynchronisatie nodig \(wijzigingslog op 60% van de schijf \(grens 50%\)\); gepland voor /,
    );
    useLocale.setState({ locale: 'en' });

    const ps = await t.admin.addProcessServer({ site: 'ams', name: 'ps-words', host: 'ps.local' });
    await t.as.agent.reportProcessServerHealth(ps.id, {
      cpuPercent: 97,
      memoryPercent: 85,
      cacheFreePercent: 20,
      uploadBacklogSec: 40 * 60,
    });
    const found = await openAlerts(ps.id);
    expect(found.map((a) => a.messageWords?.key).sort()).toEqual([
      'alert.processServer.backlog',
      'alert.processServer.cache',
      'alert.processServer.cpu',
      'alert.processServer.memory',
    ]);
    for (const a of found) expectWorded(a);

    now = new Date(now.getTime() + 16 * 60_000);
    await t.server.sweep();
    const heartbeat = (await openAlerts(ps.id)).find((a) => a.key.endsWith(':heartbeat'));
    expect(heartbeat?.messageWords).toEqual({
      key: 'alert.processServer.heartbeat',
      params: { name: 'ps-words' },
    });
    expectWorded(heartbeat);
  });

  it('lists an alert raised before words were stored in its English, and words it at its next raise', async () => {
    const ps = await t.admin.addProcessServer({ site: 'ams', name: 'ps-old', host: 'ps-old.local' });
    const key = `process-server:${ps.id}:cpu`;
    await tdb.db.query(
      `INSERT INTO alerts (id, key, severity, subject_kind, subject_id, message, raised_at, updated_at)
       VALUES ('alert-old', $1, 'critical', 'process-server', $2, 'ps-old: CPU 99% is above 95%', $3, $3)`,
      [key, ps.id, now.toISOString()],
    );
    const [old] = await openAlerts(ps.id);
    expect(old?.message).toBe('ps-old: CPU 99% is above 95%');
    expect(old?.messageWords).toBeUndefined();
    useLocale.setState({ locale: 'nl' });
    expect(tServer(old!.message, old!.messageWords)).toBe('ps-old: CPU 99% is above 95%');
    useLocale.setState({ locale: 'en' });

    await t.as.agent.reportProcessServerHealth(ps.id, {
      cpuPercent: 99,
      memoryPercent: 10,
      cacheFreePercent: 90,
      uploadBacklogSec: 0,
    });
    const [again] = await openAlerts(ps.id);
    expect(again?.id).toBe('alert-old');
    expect(again?.messageWords).toEqual({
      key: 'alert.processServer.cpu',
      params: { name: 'ps-old', value: 99, limit: 95 },
    });
    expectWorded(again);
  });

  it('adds the column once: migrating again changes nothing', async () => {
    expect(await migrate(tdb.db)).toBe(0);
    const columns = await tdb.db.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'alerts' AND column_name = 'message_words'",
    );
    expect(columns).toHaveLength(1);
  });
});
