import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { installZod } from '../../../server/http';
import { type RouteDeps, registerRoutes } from '../../../server/routes';
import { configServerApi, type RouteDef, routePath } from '../../../shared/configserver';

/** The route plugins with a store that answers one call, and nothing else reachable. */
async function serverWith(store: Partial<Record<string, unknown>>) {
  const app = Fastify();
  installZod(app);
  const served: string[] = [];
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (m !== 'HEAD') served.push(`${m} ${r.url}`);
  });
  await registerRoutes(app, { store, runner: null } as unknown as RouteDeps);
  await app.ready();
  return { app, served };
}

const table = Object.values(configServerApi).flatMap((res) =>
  Object.values(res.routes as Record<string, RouteDef>).map((d) => `${d.method} ${res.prefix}${d.path}`),
);

describe('REST route table', () => {
  it('is what the server serves: every entry, and no route outside it', async () => {
    const { app, served } = await serverWith({});
    // /healthz is served by the app itself (it reads the database and the uptime).
    expect(served.sort()).toEqual(table.filter((r) => r !== 'GET /healthz').sort());
    await app.close();
  });

  it('sends an answer through its schema: a field outside the schema does not leak', async () => {
    const site = { id: 'site_1', name: 'ams', role: 'primary', createdAt: '2026-11-29T00:00:00.000Z' };
    const { app } = await serverWith({
      sites: { list: async () => [{ ...site, secret: 'sealed-password', internalColumn: 1 }] },
    });
    const res = await app.inject({ method: 'GET', url: '/api/v1/sites' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [site] });
    expect(res.body).not.toContain('sealed-password');
    await app.close();
  });

  it('refuses to send an answer that breaks its schema (a server error, not a malformed answer)', async () => {
    const { app } = await serverWith({ sites: { list: async () => [{ id: 'site_1' }] } });
    const res = await app.inject({ method: 'GET', url: '/api/v1/sites' });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('internal');
    await app.close();
  });

  it('builds a path from its prefix and encoded parameters, and says which one is missing', () => {
    const { prefix, routes } = configServerApi.pairs;
    expect(routePath(prefix, routes.transition, { id: 'a/b c' })).toBe('/api/v1/pairs/a%2Fb%20c/transition');
    expect(() => routePath(prefix, routes.get)).toThrow('route GET /api/v1/pairs/:id needs id');
  });
});
