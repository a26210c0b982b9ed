import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Pair } from '../../../shared/configserver';
import { ApiError } from '../../../shared/errors';
import { openTestDb, startTestServer, stats, type TestDb, type TestServer } from './harness';

/** The agent API rules with a clock the test moves: no waiting 15 minutes for a heartbeat. */
let now = new Date('2026-11-26T09:00:00Z'); // Thursday 10:00 in CET (office hours)
const clock = () => now;
const advance = (minutes: number) => {
  now = new Date(now.getTime() + minutes * 60_000);
};

let tdb: TestDb;
let t: TestServer;
let seq = 0;

beforeAll(async () => {
  tdb = await openTestDb('pglite');
  t = await startTestServer(tdb.db, { clock, runJobs: false });
  await t.admin.addSite('ams', 'primary');
  await t.admin.addSite('rtm', 'secondary');
  await t.admin.putSettings({
    officeHours: { utcOffsetMin: 60, startHour: 8, endHour: 18, days: [1, 2, 3, 4, 5] },
    resyncImmediately: false,
  });
  await t.as.operator.applyPlan({
    name: 'plan-300',
    source: { site: 'ams' },
    target: { site: 'rtm' },
    policy: { rpoThresholdMinutes: 5, retentionHours: 24, appConsistentEveryMinutes: 60 },
  });
});

afterAll(async () => {
  await t?.close();
  await tdb?.drop();
});

beforeEach(() => {
  now = new Date('2026-11-26T09:00:00Z');
});

async function protectedPair(): Promise<Pair> {
  seq++;
  const p = await t.as.operator.addPair({
    plan: 'plan-300',
    sourceSite: 'ams',
    targetSite: 'rtm',
    sourceVmId: `vm-${seq}`,
    sourceVmName: `vm-${seq}`,
    osFamily: 'linux',
  });
  expect(p.rpoThresholdSec).toBe(300);
  await t.as.agent.reportProgress(p.id, 'initial-replication-started');
  await t.as.agent.reportStats(p.id, stats({ progress: 0.5, rpoSec: 10_000 }));
  await t.as.agent.reportProgress(p.id, 'initial-replication-complete');
  return t.as.agent.reportStats(p.id, stats());
}

const openAlerts = async (subjectId: string) =>
  (await t.as.viewer.listAlerts()).filter((a) => a.subjectId === subjectId);

describe('RPO', () => {
  it('is not judged during initial replication', async () => {
    const p = await protectedPair();
    expect(await openAlerts(p.id)).toEqual([]);
    expect(p.health).toBe('ok');
  });

  it('above the threshold warns, above twice is critical, back under clears', async () => {
    const p = await protectedPair();
    let pair = await t.as.agent.reportStats(p.id, stats({ rpoSec: 301 }));
    expect(pair.health).toBe('warning');
    let alerts = await openAlerts(p.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'warning', key: `pair:${p.id}:rpo` });
    expect(alerts[0]!.message).toContain('above the threshold of 300 s');
    pair = await t.as.agent.reportStats(p.id, stats({ rpoSec: 601 }));
    expect(pair.health).toBe('critical');
    alerts = await openAlerts(p.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.severity).toBe('critical');
    expect(alerts[0]!.message).toContain('twice');
    pair = await t.as.agent.reportStats(p.id, stats({ rpoSec: 20 }));
    expect(pair.health).toBe('ok');
    expect(await openAlerts(p.id)).toEqual([]);
    const all = (await t.as.viewer.listAlerts({ all: true })).filter((a) => a.subjectId === p.id);
    expect(all[0]!.clearedAt).not.toBeNull();
  });
});

describe('change log and resync', () => {
  it('past 50 % of the disk the pair needs a resync, scheduled after office hours', async () => {
    const p = await protectedPair();
    const at50 = await t.as.agent.reportStats(
      p.id,
      stats({ pendingChangeBytes: 50e9, diskSizeBytes: 100e9 }),
    );
    expect(at50.state).toBe('protected');
    const pair = await t.as.agent.reportStats(
      p.id,
      stats({ pendingChangeBytes: 51e9, diskSizeBytes: 100e9 }),
    );
    expect(pair.state).toBe('resync-required');
    // 10:00 CET on a Thursday: the resync waits for 18:00 CET (17:00 UTC).
    expect(pair.resyncScheduledAt).toBe('2026-11-26T17:00:00.000Z');
    const alerts = await openAlerts(p.id);
    expect(alerts.map((a) => a.key)).toContain(`pair:${p.id}:resync`);
    expect(alerts.find((a) => a.key.endsWith(':resync'))!.message).toContain('51%');

    advance(60);
    expect((await t.server.sweep()).resyncsStarted).toBe(0);
    expect((await t.as.viewer.getPair(p.id)).state).toBe('resync-required');
    now = new Date('2026-11-26T17:00:30Z');
    expect((await t.server.sweep()).resyncsStarted).toBeGreaterThanOrEqual(1);
    expect((await t.as.viewer.getPair(p.id)).state).toBe('resyncing');
    const done = await t.as.agent.reportProgress(p.id, 'resync-complete');
    expect(done.state).toBe('protected');
    expect((await openAlerts(p.id)).some((a) => a.key.endsWith(':resync'))).toBe(false);
  });

  it('outside office hours the resync is due at once; an operator can start one any time', async () => {
    now = new Date('2026-11-28T11:00:00Z'); // Saturday
    const p = await protectedPair();
    const pair = await t.as.agent.reportStats(
      p.id,
      stats({ pendingChangeBytes: 70e9, diskSizeBytes: 100e9 }),
    );
    expect(pair.resyncScheduledAt).toBe(now.toISOString());

    now = new Date('2026-11-26T09:00:00Z');
    const q = await protectedPair();
    const started = await t.as.operator.resyncPair(q.id);
    expect(started.state).toBe('resyncing');
  });
});

describe('heartbeats', () => {
  it('15 minutes without a heartbeat is critical; the next report clears it', async () => {
    const p = await protectedPair();
    const ps = await t.admin.addProcessServer({ site: 'ams', name: `ps-hb-${seq}`, host: 'ps.local' });
    await t.as.agent.reportProcessServerHealth(ps.id, {
      cpuPercent: 10,
      memoryPercent: 10,
      cacheFreePercent: 90,
      uploadBacklogSec: 0,
    });
    const agent = await t.as.agent.agentRegister({
      kind: 'mobility',
      name: `agent-${seq}`,
      host: 'vm',
      version: '1.0',
      pairId: p.id,
    });
    advance(14);
    expect((await t.server.sweep()).heartbeatAlerts).toBe(0);
    advance(2);
    expect((await t.server.sweep()).heartbeatAlerts).toBeGreaterThanOrEqual(2);
    const pairAlerts = await openAlerts(p.id);
    expect(pairAlerts.find((a) => a.key.endsWith(':heartbeat'))).toMatchObject({ severity: 'critical' });
    expect((await t.as.viewer.getPair(p.id)).health).toBe('critical');
    expect((await openAlerts(ps.id)).find((a) => a.key.endsWith(':heartbeat'))?.severity).toBe('critical');
    // Idempotent: a second sweep raises nothing new.
    expect((await t.server.sweep()).heartbeatAlerts).toBe(0);
    await t.as.agent.agentHeartbeat(agent.id);
    expect((await openAlerts(p.id)).some((a) => a.key.endsWith(':heartbeat'))).toBe(false);
    await t.as.agent.reportProcessServerHealth(ps.id, {
      cpuPercent: 10,
      memoryPercent: 10,
      cacheFreePercent: 90,
      uploadBacklogSec: 0,
    });
    expect(await openAlerts(ps.id)).toEqual([]);
  });
});

describe('process-server health', () => {
  it('raises one alert per threshold at the right level and clears them', async () => {
    const ps = await t.admin.addProcessServer({ site: 'ams', name: 'ps-health', host: 'ps2.local' });
    let r = await t.as.agent.reportProcessServerHealth(ps.id, {
      cpuPercent: 85,
      memoryPercent: 96,
      cacheFreePercent: 28,
      uploadBacklogSec: 46 * 60,
    });
    expect(r.level).toBe('critical');
    const levels = Object.fromEntries(
      (await openAlerts(ps.id)).map((a) => [a.key.split(':').pop(), a.severity]),
    );
    expect(levels).toEqual({ cpu: 'warning', memory: 'critical', cache: 'warning', backlog: 'critical' });
    r = await t.as.agent.reportProcessServerHealth(ps.id, {
      cpuPercent: 50,
      memoryPercent: 50,
      cacheFreePercent: 24,
      uploadBacklogSec: 31 * 60,
    });
    const again = Object.fromEntries(
      (await openAlerts(ps.id)).map((a) => [a.key.split(':').pop(), a.severity]),
    );
    expect(again).toEqual({ cache: 'critical', backlog: 'warning' });
    r = await t.as.agent.reportProcessServerHealth('ps-health', {
      cpuPercent: 50,
      memoryPercent: 50,
      cacheFreePercent: 60,
      uploadBacklogSec: 60,
    });
    expect(r.level).toBe('ok');
    expect(await openAlerts(ps.id)).toEqual([]);
  });
});

describe('replication errors', () => {
  it('recoverable errors are retried after 1, 2, 4, 8, 10, then 30 minutes; a good report clears them', async () => {
    const p = await protectedPair();
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const pair = await t.as.agent.reportError(p.id, 'network', 'connection reset');
      expect(pair.retry?.attempt).toBe(i + 1);
      expect(pair.state).toBe('protected');
      delays.push((Date.parse(pair.retry!.nextAt!) - now.getTime()) / 60_000);
    }
    expect(delays).toEqual([1, 2, 4, 8, 10, 30, 30]);
    const alert = (await openAlerts(p.id)).find((a) => a.key.endsWith(':error'));
    expect(alert?.severity).toBe('warning');
    expect(alert?.message).toContain('retry 7');
    const ok = await t.as.agent.reportStats(p.id, stats());
    expect(ok.retry).toBeNull();
    expect((await openAlerts(p.id)).some((a) => a.key.endsWith(':error'))).toBe(false);
    // A new error after recovery starts the schedule again.
    expect((await t.as.agent.reportError(p.id, 'low-disk', 'retention volume full')).retry?.attempt).toBe(1);
  });

  it('unrecoverable errors are not retried and stop the pair', async () => {
    for (const kind of ['authentication', 'authorisation', 'invalid-replica-state'] as const) {
      const p = await protectedPair();
      const pair = await t.as.agent.reportError(p.id, kind, 'refused');
      expect(pair.retry).toMatchObject({ recoverable: false, nextAt: null, kind });
      expect(pair.state).toBe('error');
      expect(pair.health).toBe('critical');
      const alerts = await openAlerts(p.id);
      expect(alerts.find((a) => a.key.endsWith(':error'))?.message).toContain('not retried');
      // Statistics are refused while the pair is in error: nothing to report until it is repaired.
      const err = await t.as.agent.reportStats(p.id, stats()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe('conflict');
    }
  });
});

describe('recovery points', () => {
  it('come after initial replication and are listed newest first', async () => {
    const p = await t.as.operator.addPair({
      sourceSite: 'ams',
      targetSite: 'rtm',
      sourceVmId: 'vm-rp',
      sourceVmName: 'rp',
      osFamily: 'windows',
    });
    const early = await t.as.agent.addRecoveryPoint(p.id, { consistency: 'crash' }).catch((e: unknown) => e);
    expect((early as ApiError).message).toContain('no full copy yet');
    await t.as.agent.reportProgress(p.id, 'initial-replication-started');
    await t.as.agent.reportProgress(p.id, 'initial-replication-complete');
    await t.as.agent.addRecoveryPoint(p.id, { consistency: 'crash', at: '2026-11-26T08:00:00.000Z' });
    await t.as.agent.addRecoveryPoint(p.id, {
      consistency: 'app',
      tag: 'before-patch',
      at: '2026-11-26T08:30:00.000Z',
    });
    const points = await t.as.viewer.recoveryPoints(p.id);
    expect(points.map((x) => [x.consistency, x.tag])).toEqual([
      ['app', 'before-patch'],
      ['crash', null],
    ]);
  });
});
