import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ConsoleBackend } from '../../core/console/backend';
import { startWebHost, type WebHost } from '../../core/console/webhost';
import { webSocketApi } from '../../renderer/src/api/client';
import type { SiteshiftApi } from '../../shared/contract';
import { ApiError } from '../../shared/errors';
import { tempBackend } from '../support/backend';

// A backend whose connection test waits until it is cancelled: proves the signal crosses the wire.
let host: WebHost;
let env: Awaited<ReturnType<typeof tempBackend>>;
let api: SiteshiftApi;
let sawAbort: Promise<void>;

beforeAll(async () => {
  env = await tempBackend();
  let resolveAbort: () => void = () => undefined;
  sawAbort = new Promise((r) => {
    resolveAbort = r;
  });
  const backend: Pick<ConsoleBackend, 'handlers' | 'onEvent'> = {
    onEvent: (l) => env.backend.onEvent(l),
    handlers: {
      ...env.backend.handlers,
      'connections:test': (_input, { signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            resolveAbort();
            reject(new ApiError('aborted', 'The connection test was cancelled.'));
          });
        }),
    },
  };
  host = await startWebHost({ backend, port: 0, rendererDir: 'does-not-exist' });
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  api = webSocketApi(`ws://127.0.0.1:${host.port}/api/ws?token=${host.token}`, () => undefined);
});

afterAll(async () => {
  await host.close();
  await env.dispose();
});

describe('cancelling a long call over the WebSocket', () => {
  it('aborts the handler on the server and rejects the caller with aborted', async () => {
    const controller = new AbortController();
    const call = api['connections:test'](
      {
        target: { kind: 'vsphere', url: 'https://vcsa.example/sdk', username: 'u' },
        secrets: {},
      },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 100);
    await sawAbort;
    await expect(call).rejects.toMatchObject({ code: 'aborted' });
  });
});
