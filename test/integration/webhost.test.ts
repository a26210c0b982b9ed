import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from '../../core/console/webhost';
import { webSocketApi } from '../../renderer/src/api/client';
import type { SiteshiftApi } from '../../shared/contract';
import { ApiError } from '../../shared/errors';
import { tempBackend } from '../support/backend';

let host: WebHost;
let env: Awaited<ReturnType<typeof tempBackend>>;

beforeAll(async () => {
  env = await tempBackend();
  host = await startWebHost({ backend: env.backend, port: 0, rendererDir: 'does-not-exist' });
});
afterAll(async () => {
  await host.close();
  await env.dispose();
});

const base = () => `http://127.0.0.1:${host.port}`;

function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', (err) => {
      if (!String(err.message).includes('Unexpected server response')) reject(err);
    });
  });
}

describe('web host', () => {
  it('prints a URL on 127.0.0.1 with a fresh random token', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
    const env2 = await tempBackend();
    const other = await startWebHost({ backend: env2.backend, port: 0 });
    expect(other.token).not.toBe(host.token);
    await other.close();
    await env2.dispose();
  });

  it('answers /api/health with 401 without a token, 401 with a wrong one, 200 with the right one', async () => {
    expect((await fetch(`${base()}/api/health`)).status).toBe(401);
    expect((await fetch(`${base()}/api/health?token=wrong`)).status).toBe(401);
    expect((await fetch(`${base()}/api/health?token=${host.token}x`)).status).toBe(401);
    const ok = await fetch(`${base()}/api/health?token=${host.token}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok' });
    const bearer = await fetch(`${base()}/api/health`, {
      headers: { authorization: `Bearer ${host.token}` },
    });
    expect(bearer.status).toBe(200);
  });

  it('refuses the WebSocket upgrade without the right token', async () => {
    expect(await upgradeStatus(`ws://127.0.0.1:${host.port}/api/ws`)).toBe(401);
    expect(await upgradeStatus(`ws://127.0.0.1:${host.port}/api/ws?token=nope`)).toBe(401);
    expect(await upgradeStatus(`ws://127.0.0.1:${host.port}/api/ws?token=${host.token}`)).toBe(101);
  });

  it('listens on 127.0.0.1 only', async () => {
    const { networkInterfaces } = await import('node:os');
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && a.address !== '127.0.0.1')
      .map((a) => a!.address);
    for (const address of others) {
      await expect(fetch(`http://${address}:${host.port}/api/health?token=${host.token}`)).rejects.toThrow();
    }
    await expect(fetch(`http://[::1]:${host.port}/api/health?token=${host.token}`)).rejects.toThrow();
  });

  it('sends a strict Content-Security-Policy', async () => {
    const res = await fetch(`${base()}/api/health?token=${host.token}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
  });

  describe('the contract over the WebSocket', () => {
    let api: SiteshiftApi;
    beforeAll(() => {
      (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
      api = webSocketApi(`ws://127.0.0.1:${host.port}/api/ws?token=${host.token}`, () => undefined);
    });

    it('answers a call with a result that matches the contract', async () => {
      const info = await api['app:info']({});
      expect(info).toMatchObject({ name: 'Siteshift', host: 'test', lab: true });
    });

    it('keeps error codes and messages across the transport as real Errors', async () => {
      const err = await api['connections:remove']({ id: 'lab-vcenter-primary' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toBeInstanceOf(Error);
      expect(err).toMatchObject({ code: 'conflict', message: expect.stringContaining('cannot be removed') });

      const invalid = await api['inventory:get']({ connectionId: '' }).catch((e: unknown) => e);
      expect(invalid).toMatchObject({ code: 'invalid-input' });

      const extra = await (api['app:info'] as (input: unknown) => Promise<unknown>)({ extra: 1 }).catch(
        (e: unknown) => e,
      );
      expect(extra).toMatchObject({ code: 'invalid-input' });
    });

    it('rejects an unknown call name sent on the wire', async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/ws?token=${host.token}`);
      await new Promise((r) => ws.once('open', r));
      const reply = new Promise<unknown>((r) => ws.once('message', (m) => r(JSON.parse(String(m)))));
      ws.send(JSON.stringify({ type: 'call', id: 7, name: 'vms:deleteAll', input: {} }));
      expect(await reply).toMatchObject({ type: 'error', id: 7, error: { code: 'unknown-call' } });
      const malformed = new Promise<unknown>((r) => ws.once('message', (m) => r(JSON.parse(String(m)))));
      ws.send('{not json');
      expect(await malformed).toMatchObject({ type: 'error', id: null, error: { code: 'invalid-input' } });
      ws.close();
    });

    it('cancels a call through its abort signal', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(api['topology:get']({}, { signal: controller.signal })).rejects.toMatchObject({
        code: 'aborted',
      });
    });

    it('serves the lab topology and inventory', async () => {
      const topology = await api['topology:get']({});
      expect(topology.nodes.filter((n) => n.kind === 'site')).toHaveLength(2);
      expect(topology.edges.some((e) => e.kind === 'replicates')).toBe(true);
      const inv = await api['inventory:get']({ connectionId: 'lab-vcenter-primary' });
      expect(inv.source.kind).toBe('vsphere');
    });
  });
});
