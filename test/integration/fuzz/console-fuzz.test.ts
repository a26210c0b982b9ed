import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from '../../../core/console/webhost';
import { callNames, calls } from '../../../shared/contract';
import { createDispatcher } from '../../../shared/dispatch';
import { tempBackend } from '../../support/backend';
import { fuzzParams, hostileValue, invalidInputFor } from '../../support/fuzz';

/**
 * Every console call of the contract (shared/contract.ts), fuzzed from its input schema over both
 * transports the console has: Electron IPC (the real serveIpc, with Electron's module replaced)
 * and the web host's WebSocket. A new call is fuzzed as soon as it is in the contract. Each
 * hostile input is refused as invalid input, nothing the backend keeps changes, and the
 * transports keep answering.
 */

const ipcHandlers = new Map<string, (event: unknown, message: unknown) => Promise<unknown>>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, message: unknown) => Promise<unknown>) =>
      ipcHandlers.set(channel, fn),
    on: () => undefined,
    removeHandler: (channel: string) => ipcHandlers.delete(channel),
    removeListener: () => undefined,
  },
  shell: {},
}));
const { serveIpc } = await import('../../../electron/ipc');
const appFrame = { sender: { id: 1 }, senderFrame: { url: 'siteshift://app/index.html' } };

let env: Awaited<ReturnType<typeof tempBackend>>;
let host: WebHost;
let stopIpc: () => void;
let ws: WebSocket;
let nextId = 1;
const pending = new Map<number, (message: unknown) => void>();
const orphanReplies: unknown[] = [];

/** What the backend keeps: every file of its data folder. */
async function snapshot(): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else hash.update(path).update(await readFile(path));
    }
  };
  await walk(env.dataDir);
  return hash.digest('hex');
}

function wsCall(name: string, input: unknown): Promise<unknown> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${name} over the WebSocket`)), 10_000);
    pending.set(id, (message) => {
      clearTimeout(timer);
      resolve(message);
    });
    ws.send(JSON.stringify({ type: 'call', id, name, input }));
  });
}

beforeAll(async () => {
  env = await tempBackend();
  stopIpc = serveIpc(createDispatcher(env.backend.handlers));
  host = await startWebHost({ backend: env.backend, port: 0, rendererDir: 'does-not-exist' });
  ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/ws?token=${host.token}`);
  ws.on('message', (raw) => {
    const message = JSON.parse(String(raw)) as { type: string; id?: number | null };
    if (message.type === 'event') return;
    const resolve = typeof message.id === 'number' ? pending.get(message.id) : undefined;
    if (resolve) {
      pending.delete(message.id as number);
      resolve(message);
    } else orphanReplies.push(message);
  });
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
});
afterAll(async () => {
  ws?.close();
  stopIpc?.();
  await host?.close();
  await env?.dispose();
});

describe('console calls under fuzzing', () => {
  it('the contract is enumerated (new calls are fuzzed without a change here)', () => {
    expect(callNames.length).toBeGreaterThanOrEqual(10);
  });

  for (const name of callNames) {
    it(`${name}: hostile input is refused over IPC and over the WebSocket, and changes nothing`, async () => {
      const before = await snapshot();
      const call = ipcHandlers.get('siteshift:call')!;
      await fc.assert(
        fc.asyncProperty(
          invalidInputFor(calls[name].input, (input) => input ?? {}),
          async (input) => {
            // IPC carries structured clones; the WebSocket carries JSON.
            const overIpc = await call(appFrame, { name, input: structuredClone(input), callId: nextId++ });
            expect(overIpc, JSON.stringify(overIpc).slice(0, 300)).toMatchObject({
              error: { code: 'invalid-input', message: expect.stringContaining(name) },
            });
            const overWs = await wsCall(name, input);
            expect(overWs, JSON.stringify(overWs).slice(0, 300)).toMatchObject({
              type: 'error',
              error: { code: 'invalid-input' },
            });
          },
        ),
        fuzzParams,
      );
      expect(await snapshot()).toBe(before);
    });
  }

  it('malformed frames on the WebSocket are refused one by one and the socket stays open', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileValue.map((v) => JSON.stringify(v) ?? 'null'),
          fc.string({ maxLength: 50 }),
          fc
            .record({ type: fc.constant('call'), id: hostileValue, name: hostileValue, input: hostileValue })
            .map((m) => JSON.stringify(m)),
        ),
        async (frame) => {
          const before = orphanReplies.length;
          ws.send(frame);
          // The refusal of a frame without a usable id comes back with id null.
          const deadline = Date.now() + 5_000;
          while (orphanReplies.length === before && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 5));
          expect(orphanReplies.at(-1)).toMatchObject({ type: 'error', error: { code: expect.any(String) } });
        },
      ),
      fuzzParams,
    );
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(await wsCall('app:info', {})).toMatchObject({ type: 'result', result: { name: 'Siteshift' } });
  });
});
