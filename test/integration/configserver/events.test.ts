import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigServerClient } from '../../../core/configserver';
import { EventHub } from '../../../server/events';
import type { Pair, ServerEvent } from '../../../shared/configserver';
import { openTestDb, startTestServer, stats, type TestDb, type TestServer, waitFor } from './harness';

let tdb: TestDb;
let t: TestServer;
let pair: Pair;

beforeAll(async () => {
  tdb = await openTestDb('pglite');
  t = await startTestServer(tdb.db, { runJobs: false, eventPollMs: 100 });
  await t.admin.addSite('ams', 'primary');
  await t.admin.addSite('rtm', 'secondary');
  pair = await t.as.operator.addPair({
    sourceSite: 'ams',
    targetSite: 'rtm',
    sourceVmId: 'vm-ev',
    sourceVmName: 'ev',
    osFamily: 'linux',
  });
  await t.as.agent.reportProgress(pair.id, 'initial-replication-started');
  await t.as.agent.reportProgress(pair.id, 'initial-replication-complete');
});

afterAll(async () => {
  await t?.close();
  await tdb?.drop();
});

async function burst(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await t.as.agent.reportStats(pair.id, stats({ rpoSec: 10 + i }));
}

async function dbIdsAfter(id: string): Promise<string[]> {
  const rows = await t.server.db.query<{ id: string }>(
    'SELECT id::text AS id FROM events WHERE events.id > $1 ORDER BY events.id',
    [id],
  );
  return rows.map((r) => r.id);
}

describe('event stream', () => {
  it('serialises a batch once: watchers with the same filter are sent the very same bytes', async () => {
    const hub = new EventHub(t.server.db, 60_000);
    await hub.start();
    const sent = { a: [] as Buffer[], b: [] as Buffer[], all: [] as Buffer[] };
    const sink = (into: Buffer[], types: Set<string> | null) => ({
      types,
      send(_json: string, bytes: Buffer) {
        into.push(bytes);
        return true;
      },
    });
    await hub.subscribe(sink(sent.a, new Set(['pair.stats'])), null);
    await hub.subscribe(sink(sent.b, new Set(['pair.stats'])), null);
    await hub.subscribe(sink(sent.all, null), null);
    await burst(5);
    await hub.flush();
    hub.stop();
    expect(sent.a.length).toBeGreaterThan(0);
    expect(sent.b).toHaveLength(sent.a.length);
    // The same Buffer object, not an equal copy: encoded once for every watcher of that filter.
    for (const [i, frame] of sent.a.entries()) expect(sent.b[i]).toBe(frame);
    const frames = sent.a.flatMap((f) => {
      const parsed = JSON.parse(f.toString()) as ServerEvent | ServerEvent[];
      return Array.isArray(parsed) ? parsed : [parsed];
    });
    expect(frames.map((e) => e.type)).toEqual(Array(5).fill('pair.stats'));
    expect(sent.all.length).toBeGreaterThan(0);
  });

  it('delivers typed events live', async () => {
    const got: ServerEvent[] = [];
    let ready = false;
    const sub = t.as.viewer.subscribe((e) => got.push(e), {
      onStatus: (s) => (ready ||= s.type === 'ready'),
    });
    await waitFor(() => ready, 'ready');
    await t.as.agent.reportStats(pair.id, stats({ rpoSec: 1000 }));
    await waitFor(() => got.some((e) => e.type === 'alert.raised'), 'the RPO alert event');
    const statsEvent = got.find((e) => e.type === 'pair.stats');
    expect(statsEvent?.type === 'pair.stats' && statsEvent.payload.health).toBe('warning');
    await t.as.agent.reportStats(pair.id, stats());
    await waitFor(() => got.some((e) => e.type === 'alert.cleared'), 'the cleared event');
    sub.close();
  });

  it('resumes after a dropped connection without missing or repeating an event', async () => {
    const got: ServerEvent[] = [];
    const statuses: string[] = [];
    const sub = t.as.viewer.subscribe((e) => got.push(e), { onStatus: (s) => statuses.push(s.type) });
    await waitFor(() => statuses.includes('ready'), 'ready');
    const start = (
      await t.server.db.query<{ id: string }>('SELECT coalesce(max(id), 0)::text AS id FROM events')
    )[0]!.id;
    await burst(15);
    await waitFor(() => got.length >= 15, 'the first burst');
    // Cut every stream connection from the server side, then keep writing while the client is away.
    for (const socket of t.server.app.websocketServer.clients) socket.terminate();
    await burst(25);
    await waitFor(() => statuses.filter((s) => s === 'ready').length >= 2, 'the reconnect');
    await burst(5);
    const expected = await dbIdsAfter(start);
    expect(expected.length).toBe(45);
    await waitFor(() => got.length >= expected.length, 'every event', 15_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(got.map((e) => e.id)).toEqual(expected);
    expect(statuses).toContain('reconnecting');
    sub.close();
  });

  it('a new subscription resumes from a given id', async () => {
    const from = (await t.server.db.query<{ id: string }>('SELECT max(id)::text AS id FROM events'))[0]!.id;
    await burst(7);
    const expected = await dbIdsAfter(from);
    const got: string[] = [];
    let readyId: string | null = null;
    const sub = t.as.viewer.subscribe((e) => got.push(e.id), {
      since: from,
      onStatus: (s) => {
        if (s.type === 'ready') readyId = s.lastId;
      },
    });
    await waitFor(() => readyId !== null, 'ready');
    expect(got).toEqual(expected);
    expect(sub.lastId).toBe(expected.at(-1));
    sub.close();
  });

  it('says reset when the id is not in the retained history', async () => {
    let status: { type: string; lastId: string | null; message?: string } | null = null;
    const sub = t.as.viewer.subscribe(() => {}, { since: '999999999', onStatus: (s) => (status ??= s) });
    await waitFor(() => status, 'the reset frame');
    expect(status!.type).toBe('reset');
    expect(status!.message).toContain('reload the state');
    sub.close();
  });

  it('filters by type', async () => {
    const got: ServerEvent[] = [];
    let ready = false;
    const sub = t.as.viewer.subscribe((e) => got.push(e), {
      types: ['pair.state'],
      onStatus: (s) => (ready ||= s.type === 'ready'),
    });
    await waitFor(() => ready, 'ready');
    await burst(3);
    await t.as.operator.resyncPair(pair.id);
    await waitFor(() => got.length >= 2, 'state events');
    expect(new Set(got.map((e) => e.type))).toEqual(new Set(['pair.state']));
    const last = got.at(-1)!;
    expect(last.type === 'pair.state' && last.payload.pair.state).toBe('resyncing');
    expect(last.type === 'pair.state' && last.payload.from).toBe('resync-required');
    await t.as.agent.reportProgress(pair.id, 'resync-complete');
    sub.close();
  });

  it('after pruning, an old id gets reset and the stream continues from the oldest kept event', async () => {
    await burst(10);
    await t.server.store.sweep({ eventRetention: 5 });
    const kept = await t.server.db.query<{ min: string }>('SELECT min(id)::text AS min FROM events');
    let status: { type: string; lastId: string | null } | null = null;
    const got: string[] = [];
    const sub = t.as.viewer.subscribe((e) => got.push(e.id), {
      since: '1',
      onStatus: (s) => {
        status ??= s;
      },
    });
    await waitFor(() => status, 'the reset frame');
    expect(status!.type).toBe('reset');
    await burst(1);
    await waitFor(() => got.length > 0, 'a live event after the reset');
    expect(BigInt(got[0]!)).toBeGreaterThan(BigInt(kept[0]!.min));
    sub.close();
  });

  it('refuses a stream without a valid token, and a viewer-less agent token', async () => {
    const anon = new ConfigServerClient({ url: t.url, token: 'sst_wrong' });
    let closed: string | undefined;
    const sub = anon.subscribe(() => {}, {
      onStatus: (s) => {
        if (s.type === 'closed') closed = s.message;
      },
    });
    await waitFor(() => closed, 'the refusal');
    expect(closed).toContain('HTTP 401');
    sub.close();
    anon.close();
    let agentClosed: string | undefined;
    const sub2 = t.as.agent.subscribe(() => {}, {
      onStatus: (s) => {
        if (s.type === 'closed') agentClosed = s.message;
      },
    });
    await waitFor(() => agentClosed, 'the agent refusal');
    expect(agentClosed).toContain('HTTP 403');
    sub2.close();
  });
});
