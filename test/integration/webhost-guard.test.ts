import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../core/console/webhost';
import { tempBackend } from '../support/backend';

// The probe's requests against the web host, sent byte for byte over a raw socket so that no
// client library normalises the path, the request line or the headers first.

let host: WebHost;
let env: Awaited<ReturnType<typeof tempBackend>>;
let rendererDir: string;

beforeAll(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'siteshift-renderer-'));
  await mkdir(join(rendererDir, 'assets'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Siteshift</title>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1);\n//# sourceMappingURL=app.js.map');
  await writeFile(join(rendererDir, 'assets', 'app.js.map'), '{"version":3,"sources":["secret.ts"]}');
  env = await tempBackend();
  host = await startWebHost({ backend: env.backend, port: 0, rendererDir });
});
afterAll(async () => {
  await host.close();
  await env.dispose();
  await rm(rendererDir, { recursive: true, force: true });
});

interface RawResponse {
  status: number;
  body: string;
}

/** Sends one request exactly as written and reads the status line and what follows. */
function raw(requestLine: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const hostHeader = { Host: `127.0.0.1:${host.port}`, ...headers };
  const lines = [
    requestLine,
    ...Object.entries(hostHeader).map(([k, v]) => `${k}: ${v}`),
    'Connection: close',
  ];
  if (hostHeader.Host === '') lines.splice(1, 1);
  return new Promise((resolve, reject) => {
    const socket = connect(host.port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => socket.destroy(new Error(`no answer to ${requestLine}`)), 5_000);
    socket.on('connect', () => socket.write(`${lines.join('\r\n')}\r\n\r\n`));
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      // An accepted upgrade keeps the socket open: the status line is all we need.
      if (data.startsWith('HTTP/1.1 101')) socket.end();
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0);
      resolve({ status, body: data.slice(data.indexOf('\r\n\r\n') + 4) });
    });
  });
}

const upgradeHeaders = {
  Upgrade: 'websocket',
  Connection: 'Upgrade',
  'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
  'Sec-WebSocket-Version': '13',
};
function upgrade(path: string, extra: Record<string, string> = {}): Promise<RawResponse> {
  return raw(`GET ${path} HTTP/1.1`, { ...upgradeHeaders, ...extra });
}

describe('web host: the token is required for every route but the static files', () => {
  const bypasses = [
    '/%61pi/health',
    '/ap%69/health',
    '/%2561pi/health',
    '/API/health',
    '/Api/health',
    '/api/Health',
    '/api/health/',
    '/assets/../api/health',
    '/./api/health',
    '/api/./health',
    '/assets/%2e%2e/api/health',
    '/%2e%2e/api/health',
    '/api%2fhealth',
    '/api/health;token=x',
  ];
  for (const path of bypasses) {
    it(`GET ${path} without the token: 401 and no data`, async () => {
      const res = await raw(`GET ${path} HTTP/1.1`);
      expect(res.status).toBe(401);
      expect(res.body).not.toContain('"status":"ok"');
    });
  }

  it('refuses other methods without the token, on routes and off them', async () => {
    for (const line of ['POST /api/health HTTP/1.1', 'DELETE /api/ws HTTP/1.1', 'PUT /index.html HTTP/1.1']) {
      expect((await raw(line, { 'Content-Length': '0' })).status, line).toBe(401);
    }
  });

  for (const path of ['/api/ws', '/%61pi/ws', '/ap%69/ws', '/%2561pi/ws', '/API/ws', '/index.html', '/']) {
    it(`refuses a WebSocket upgrade on ${path} without the token (401)`, async () => {
      expect((await upgrade(path)).status).toBe(401);
    });
  }

  it('refuses absolute-form and double-slash request targets (403)', async () => {
    for (const target of [
      `http://127.0.0.1:${host.port}/api/health`,
      `http://127.0.0.1:${host.port}/api/health?token=${host.token}`,
      `HTTP://127.0.0.1:${host.port}/%61pi/health`,
      `//127.0.0.1:${host.port}/api/health`,
      '//api/health',
      '*',
    ]) {
      expect((await raw(`GET ${target} HTTP/1.1`)).status, target).toBe(403);
    }
    expect((await upgrade(`http://127.0.0.1:${host.port}/api/ws`)).status).toBe(403);
  });

  it('refuses any Host but 127.0.0.1:PORT and localhost:PORT, even with the token (DNS rebinding)', async () => {
    const path = `/api/health?token=${host.token}`;
    for (const name of [
      'evil.example',
      `evil.example:${host.port}`,
      `127.0.0.1:${host.port + 1}`,
      '127.0.0.1',
      `127.0.0.1.evil.example:${host.port}`,
      `[::1]:${host.port}`,
      `0.0.0.0:${host.port}`,
    ]) {
      expect((await raw(`GET ${path} HTTP/1.1`, { Host: name })).status, name).toBe(403);
    }
    expect((await raw(`GET /index.html HTTP/1.1`, { Host: `rebind.example:${host.port}` })).status).toBe(403);
    expect((await raw(`GET ${path} HTTP/1.0`, { Host: '' })).status).toBe(403);
    expect((await raw(`GET ${path} HTTP/1.1`, { Host: `localhost:${host.port}` })).status).toBe(200);
    expect((await raw(`GET ${path} HTTP/1.1`, { Host: `LOCALHOST:${host.port}` })).status).toBe(200);
  });

  it("refuses a WebSocket upgrade whose Origin is not the console's own, even with the token", async () => {
    const path = `/api/ws?token=${host.token}`;
    for (const origin of [
      'http://evil.example',
      `http://evil.example:${host.port}`,
      `http://127.0.0.1:${host.port + 1}`,
      `https://127.0.0.1:${host.port}`,
      'null',
      'file://',
      'not a url',
    ]) {
      expect((await upgrade(path, { Origin: origin })).status, origin).toBe(403);
    }
    expect((await upgrade(path, { Origin: `http://127.0.0.1:${host.port}` })).status).toBe(101);
    expect((await upgrade(path, { Origin: `http://localhost:${host.port}` })).status).toBe(101);
    expect((await upgrade(path)).status).toBe(101);
  });

  it('still answers the API with the token, by query or bearer header', async () => {
    const res = await raw(`GET /api/health?token=${host.token} HTTP/1.1`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('"status":"ok"');
    expect((await raw('GET /api/health HTTP/1.1', { Authorization: `Bearer ${host.token}` })).status).toBe(
      200,
    );
  });

  it('serves the static files without the token, but never a source map', async () => {
    expect((await raw('GET / HTTP/1.1')).status).toBe(200);
    expect((await raw('GET /index.html HTTP/1.1')).status).toBe(200);
    expect((await raw('GET /?token=whatever HTTP/1.1')).status).toBe(200);
    const js = await raw('GET /assets/app.js HTTP/1.1');
    expect(js.status).toBe(200);
    expect(js.body).toContain('console.log(1)');
    expect((await raw('GET /nothing-here HTTP/1.1')).status).toBe(404);
    expect((await raw('GET /assets/app.js.map HTTP/1.1')).status).toBe(404);
    const map = await raw(`GET /assets/app.js.map?token=${host.token} HTTP/1.1`);
    expect(map.status).toBe(404);
    expect(map.body).not.toContain('secret.ts');
  });
});
