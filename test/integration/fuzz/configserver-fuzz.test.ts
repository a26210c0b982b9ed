import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configServerApi, type RouteDef } from '../../../shared/configserver/routes';
import { fuzzParams, hostileString, invalidInputFor, invalidQueryFor } from '../../support/fuzz';
import { openTestDb, startTestServer, type TestDb, type TestServer } from '../configserver/harness';

/**
 * Every route of the configuration server's route table, fuzzed from its zod schemas: a new
 * route is fuzzed as soon as it is in shared/configserver/routes.ts. Each hostile request is
 * answered with a 4xx (never a 5xx, never a dropped connection), nothing in the database changes,
 * and the server still answers afterwards.
 */

let tdb: TestDb;
let t: TestServer;

/** Every table but the logs (audit rows and events are written for refused calls, by design). */
async function snapshot(): Promise<string> {
  const tables = await tdb.db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
       AND table_name NOT IN ('audit_log', 'events', 'schema_migrations') ORDER BY 1`,
  );
  const parts: string[] = [];
  for (const { name } of tables) {
    const rows = await tdb.db.query<{ row: string }>(
      `SELECT (to_jsonb(t) - 'last_used_at')::text AS row FROM "${name}" t ORDER BY 1`,
    );
    parts.push(`${name}:${rows.map((r) => r.row).join('\n')}`);
  }
  return parts.join('\n\n');
}

interface Case {
  params: Record<string, string>;
  query: Record<string, string> | null;
  body: unknown;
}

function caseFor(def: RouteDef): fc.Arbitrary<Case> {
  const names = [...def.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  const params = fc.record(
    Object.fromEntries(names.map((n) => [n, hostileString.filter((s) => s.length < 2000)])),
  );
  // With a body, the body is what is invalid; without, the query; without either, the params
  // (a hostile id names nothing, so the route can only refuse or not find).
  const query = def.query && !def.body ? invalidQueryFor(def.query) : fc.constant(null);
  const body = def.body ? invalidInputFor(def.body) : fc.constant(undefined);
  return fc.record({ params, query, body }) as fc.Arbitrary<Case>;
}

function urlOf(prefix: string, def: RouteDef, c: Case): string {
  const path =
    prefix +
    def.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(c.params[name] ?? ''));
  if (!c.query) return path;
  return `${path}?${new URLSearchParams(c.query).toString()}`;
}

const routes = Object.values(configServerApi).flatMap((resource) =>
  Object.entries(resource.routes).map(([name, def]) => ({
    label: `${(def as RouteDef).method} ${resource.prefix}${(def as RouteDef).path} (${name})`,
    prefix: resource.prefix,
    def: def as RouteDef,
  })),
);

beforeAll(async () => {
  tdb = await openTestDb('pglite');
  t = await startTestServer(tdb.db, { runJobs: false });
  await t.admin.addSite('fuzz-primary-site-7f3a', 'primary');
  await t.admin.addSite('fuzz-secondary-site-7f3a', 'secondary');
});
afterAll(async () => {
  await t?.close();
  await tdb?.drop();
});

describe('configuration server routes under fuzzing', () => {
  it('the route table is enumerated (new routes are fuzzed without a change here)', () => {
    expect(routes.length).toBeGreaterThan(40);
  });

  for (const { label, prefix, def } of routes) {
    const hasInput = Boolean(def.body || def.query || def.params);
    it(`${label}: hostile input is refused with a 4xx and changes nothing`, async () => {
      const before = await snapshot();
      await fc.assert(
        fc.asyncProperty(caseFor(def), async (c) => {
          const res = await t.server.app.inject({
            method: def.method,
            url: urlOf(prefix, def, c),
            headers: {
              authorization: `Bearer ${t.secrets.admin}`,
              ...(c.body !== undefined ? { 'content-type': 'application/json' } : {}),
            },
            ...(c.body !== undefined ? { payload: JSON.stringify(c.body) } : {}),
          });
          const detail = `${res.statusCode} ${res.body.slice(0, 300)}`;
          if (hasInput) {
            expect(res.statusCode, detail).toBeGreaterThanOrEqual(400);
          }
          expect(res.statusCode, detail).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expect(JSON.parse(res.body), detail).toMatchObject({
              error: { code: expect.any(String), message: expect.any(String) },
            });
          }
        }),
        fuzzParams,
      );
      expect(await snapshot()).toBe(before);
    });
  }

  it('still answers over HTTP after all of it', async () => {
    expect((await t.admin.healthz()).status).toBe('ok');
    expect((await t.admin.listSites()).map((s) => s.name).sort()).toEqual([
      'fuzz-primary-site-7f3a',
      'fuzz-secondary-site-7f3a',
    ]);
  });
});
