import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ConfigServerClient } from '../../../core/configserver';
import type { ServerEvent } from '../../../shared/configserver';
import type { ApiError } from '../../../shared/errors';
import { createPgDatabase, type ServerProcess, ServerProcesses, waitFor } from './harness';

/**
 * Several `siteshift server` processes on one PostgreSQL database, as a deployment that outgrows
 * one machine runs them: what one instance writes, the others serve at once.
 */
const servers = new ServerProcesses();
let dir: string;
let pgdb: Awaited<ReturnType<typeof createPgDatabase>>;
let a: ServerProcess;
let b: ServerProcess;
let adminToken: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siteshift-instances-'));
  pgdb = await createPgDatabase();
  const common = ['--database-url', pgdb.url, '--key-file', join(dir, 'server.key')];
  a = await servers.start([...common, '--bootstrap-token-file', join(dir, 'token')]);
  adminToken = readFileSync(join(dir, 'token'), 'utf8').trim();
  b = await servers.start(common);
}, 180_000);

afterAll(async () => {
  await servers.killAll();
  await pgdb?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('two server instances on one PostgreSQL', () => {
  it('delivers an event written on A to a watcher on B, with the id A gives it', async () => {
    const onA = new ConfigServerClient({ url: a.url, token: adminToken });
    const onB = new ConfigServerClient({ url: b.url, token: adminToken });
    const seenA: ServerEvent[] = [];
    const seenB: ServerEvent[] = [];
    const ready = { a: false, b: false };
    const subA = onA.subscribe((ev) => seenA.push(ev), {
      onStatus: (s) => {
        if (s.type === 'ready') ready.a = true;
      },
    });
    const subB = onB.subscribe((ev) => seenB.push(ev), {
      onStatus: (s) => {
        if (s.type === 'ready') ready.b = true;
      },
    });
    await waitFor(() => ready.a && ready.b, 'both streams to be ready');
    const site = await onA.addSite('instances-a', 'primary');
    const match = (ev: ServerEvent) =>
      ev.type === 'entity.changed' && (ev.payload as { id?: string }).id === site.id;
    const onStreamB = await waitFor(() => seenB.find(match), 'the site event on B');
    const onStreamA = await waitFor(() => seenA.find(match), 'the site event on A');
    expect(onStreamB.id).toBe(onStreamA.id);

    // Resuming on B from an id A handed out gives exactly what came after it.
    await onA.addSite('instances-b', 'secondary');
    const resumed: ServerEvent[] = [];
    const subR = onB.subscribe((ev) => resumed.push(ev), { since: onStreamA.id });
    await waitFor(
      () => resumed.some((ev) => ev.type === 'entity.changed' && ev.payload.entity === 'site'),
      'the resumed stream on B',
    );
    expect(BigInt(resumed[0]!.id)).toBeGreaterThan(BigInt(onStreamA.id));
    subA.close();
    subB.close();
    subR.close();
    onA.close();
    onB.close();
  });

  it('closes on A the streams of a token revoked on B and refuses the token there from then on', async () => {
    const adminB = new ConfigServerClient({ url: b.url, token: adminToken });
    const viewer = await adminB.createToken('revoked-elsewhere', 'viewer');
    const viewerA = new ConfigServerClient({ url: a.url, token: viewer.secret });
    // Served once on A, so A's token cache holds it as valid.
    expect((await viewerA.whoami()).name).toBe('revoked-elsewhere');
    const ws = new WebSocket(`${a.url.replace(/^http/, 'ws')}/api/v1/events`, {
      headers: { authorization: `Bearer ${viewer.secret}` },
    });
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    await new Promise<void>((res, rej) => {
      ws.once('message', () => res());
      ws.once('error', rej);
    });

    await adminB.revokeToken(viewer.token.id);
    // B answers only once every instance has emptied its token cache: the very next request to A
    // is refused (well inside the 5 s the cache would otherwise hold the token), and A closes the
    // stream 30 s before its periodic re-check would.
    const refused = await viewerA.whoami().then(
      () => null,
      (e: ApiError) => e,
    );
    expect(refused?.message).toMatch(/unknown or revoked/);
    expect(await closed).toBe(4401);
    // Without B waiting, A hears the NOTIFY about as soon as the client hears B: repeat the race.
    for (let i = 0; i < 10; i++) {
      const t = await adminB.createToken(`revoked-elsewhere-${i}`, 'viewer');
      const onA = new ConfigServerClient({ url: a.url, token: t.secret });
      await onA.whoami();
      await adminB.revokeToken(t.token.id);
      const next = await onA.whoami().then(
        () => 'accepted',
        (e: ApiError) => e.message,
      );
      expect(next, `token ${i}`).toMatch(/unknown or revoked/);
      onA.close();
    }
    viewerA.close();
    adminB.close();
  });
});
