import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { SecretBox } from '../../../server/crypto';
import { CLOSE_REVOKED } from '../../../server/streams';
import { dbKinds, openTestDb, raw, startTestServer, type TestDb, type TestServer, waitFor } from './harness';

/** The probe's findings against the configuration server, on both databases. */

function openStream(url: string, token: string): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/events`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.once('message', () => resolve({ ws, closed }));
    ws.once('error', reject);
  });
}

describe.each(dbKinds)('configuration server security (%s)', (kind) => {
  let tdb: TestDb;
  let t: TestServer;
  const log = new PassThrough();
  let logged = '';
  log.on('data', (c: Buffer) => (logged += c.toString()));

  beforeAll(async () => {
    tdb = await openTestDb(kind);
    t = await startTestServer(tdb.db, {
      streamRecheckMs: 300,
      logger: { stream: log },
      secretBox: SecretBox.fromKey(randomBytes(32)),
    });
    await t.admin.addSite('ams', 'primary');
  });
  afterAll(async () => {
    await t?.close();
    await tdb?.drop();
  });

  it('refuses NUL and other control characters in a path, a query and a body with a 400, not a 500', async () => {
    for (const path of ['/api/v1/plans/a%00b', '/api/v1/sites/a%1bb', '/api/v1/audit?before=1%00']) {
      const r = await raw(t.url, 'GET', path, { token: t.secrets.admin });
      expect(r.status, path).toBe(400);
      expect(r.json.error?.message).toContain('control character');
    }
    const body = await raw(t.url, 'POST', '/api/v1/sites', {
      token: t.secrets.admin,
      body: JSON.stringify({ name: 'x\u0000y', role: 'primary' }),
    });
    expect(body.status).toBe(400);
    expect(body.json.error).toMatchObject({ code: 'invalid-input' });
    expect((await t.admin.listSites()).map((s) => s.name)).toEqual(['ams']);
    expect(logged).not.toContain('"level":50');
  });

  it("answers the router's own refusals (bad %-escape, overlong segment) in the API's error shape", async () => {
    const bad = await raw(t.url, 'GET', '/api/v1/plans/%E0%A4%A', { token: t.secrets.admin });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'invalid-input' });
    const long = await raw(t.url, 'GET', `/api/v1/plans/${'x'.repeat(300)}`, { token: t.secrets.admin });
    expect(long.status).toBe(414);
    expect(long.json.error?.message).toContain('longer than 256 characters');
    expect(JSON.stringify(long.json)).not.toContain('x'.repeat(300));
    // Ids up to the schema's 200 characters reach the route.
    const id = await raw(t.url, 'GET', `/api/v1/plans/${'x'.repeat(200)}`, { token: t.secrets.admin });
    expect(id.status).toBe(404);
  });

  it('refuses an endpoint whose URL carries credentials, and stores nothing', async () => {
    const r = await raw(t.url, 'POST', '/api/v1/endpoints', {
      token: t.secrets.admin,
      body: JSON.stringify({
        site: 'ams',
        name: 'vc',
        target: { kind: 'vsphere', url: 'https://root:hunter2@vc.example/sdk', username: 'root' },
        secrets: { password: 'x' },
        trustOnFirstUse: true,
      }),
    });
    expect(r.status).toBe(400);
    expect(r.json.error?.message).toContain('put no user name or password in the URL');
    expect(JSON.stringify(r.json)).not.toContain('hunter2');
    expect(await t.admin.listEndpoints()).toEqual([]);
  });

  it('refuses a 100,000-deep job input and out-of-range numbers with a 400', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const r = await raw(t.url, 'POST', '/api/v1/jobs', {
      token: t.secrets.operator,
      body: `{"kind":"resync","dryRun":true,"input":{"x":${deep}}}`,
    });
    expect(r.status).toBe(400);
    expect(r.json.error?.message).toContain('nested deeper than 32 levels');
    const before = await raw(t.url, 'GET', '/api/v1/audit?before=99999999999999999999', {
      token: t.secrets.admin,
    });
    expect(before.status).toBe(400);
    expect(before.json.error?.code).toBe('invalid-input');
  });

  it('refuses prototype-pollution keys', async () => {
    for (const body of [
      '{"__proto__":{"polluted":1},"name":"p","role":"primary"}',
      '{"constructor":{"prototype":{"polluted":1}},"name":"p","role":"primary"}',
    ]) {
      const r = await raw(t.url, 'POST', '/api/v1/sites', { token: t.secrets.admin, body });
      expect(r.status, body).toBe(400);
    }
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
  });

  it('audits a refused call with a NUL in its path, escaped', async () => {
    const r = await raw(t.url, 'POST', '/api/v1/tokens/a%00b/revoke');
    expect(r.status).toBe(401);
    // The audit row is written once the answer is sent: wait for it rather than race it.
    const row = await waitFor(
      async () =>
        (await t.admin.audit()).find(
          (e) => e.action === 'POST /api/v1/tokens/:id/revoke' && e.outcome === 'refused',
        ),
      'the audit row of the refused call',
    );
    expect(row.target).toBe('a\\u0000b');
  });

  it('closes a revoked token’s open event stream at once', async () => {
    const token = await t.admin.createToken('watcher', 'viewer');
    const stream = await openStream(t.url, token.secret);
    await t.admin.revokeToken('watcher');
    expect(await stream.closed).toBe(CLOSE_REVOKED);
    // And it cannot come back.
    await expect(openStream(t.url, token.secret)).rejects.toThrow(/401/);
  });

  it('re-checks open streams: a token revoked behind the server’s back loses its stream too', async () => {
    const token = await t.admin.createToken('watcher-2', 'viewer');
    const stream = await openStream(t.url, token.secret);
    const other = await openStream(t.url, t.secrets.viewer);
    // As another instance would: straight in the database, no event this instance sees.
    await tdb.db.query('UPDATE tokens SET revoked_at = now() WHERE id = $1', [token.token.id]);
    expect(await stream.closed).toBe(CLOSE_REVOKED);
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
    other.ws.close();
  });

  it('logs requests without the values of their query strings', async () => {
    await fetch(`${t.url}/healthz?token=sst_in_the_query&since=12`);
    await waitFor(() => logged.includes('/healthz?'), 'the request log line');
    expect(logged).toContain('/healthz?token=***&since=***');
    expect(logged).not.toContain('sst_in_the_query');
    expect(logged).not.toContain(t.secrets.admin);
  });

  it('never lets an audit write fail silently', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await tdb.db.query('ALTER TABLE audit_log RENAME TO audit_log_away');
    try {
      const r = await raw(t.url, 'POST', '/api/v1/sites', {
        token: t.secrets.admin,
        body: JSON.stringify({ name: 'fra', role: 'secondary' }),
      });
      expect(r.status).toBe(201);
      await waitFor(
        () =>
          stderr.mock.calls.some((c) => String(c[0]).includes('AUDIT WRITE FAILED for POST /api/v1/sites')),
        'the audit failure on stderr',
      );
    } finally {
      await tdb.db.query('ALTER TABLE audit_log_away RENAME TO audit_log');
      stderr.mockRestore();
    }
    const metrics = await fetch(`${t.url}/metrics`, {
      headers: { authorization: `Bearer ${t.secrets.viewer}` },
    });
    expect(await metrics.text()).toMatch(/siteshift_audit_write_failures_total [1-9]/);
  });
});
