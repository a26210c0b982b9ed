import { describe, expect, it, vi } from 'vitest';
import { createDispatcher, type Handlers } from '../../shared/dispatch';
import { ApiError } from '../../shared/errors';

const handlers = new Map<string, (event: unknown, message: unknown) => Promise<unknown>>();
const listeners = new Map<string, (event: unknown, arg: unknown) => void>();

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, message: unknown) => Promise<unknown>) =>
      handlers.set(channel, fn),
    on: (channel: string, fn: (event: unknown, arg: unknown) => void) => listeners.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
    removeListener: (channel: string) => listeners.delete(channel),
  },
  shell: {},
}));

const { serveIpc } = await import('../../electron/ipc');

const appEvent = { sender: { id: 1 }, senderFrame: { url: 'siteshift://app/index.html' } };

describe('Electron IPC transport', () => {
  it('serves the contract, keeps error codes, refuses foreign frames, and aborts by call id', async () => {
    let aborted = false;
    const dispatch = createDispatcher({
      'app:info': async () => ({
        name: 'Siteshift',
        version: '1',
        host: 'electron',
        platform: 'x',
        lab: false,
      }),
      'connections:remove': async () => {
        throw new ApiError('conflict', 'no');
      },
      'topology:get': (_i: unknown, { signal }: { signal: AbortSignal }) =>
        new Promise((_r, reject) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new ApiError('aborted', 'cancelled'));
          }),
        ),
    } as unknown as Handlers);
    const stop = serveIpc(dispatch);
    const call = handlers.get('siteshift:call')!;

    expect(await call(appEvent, { name: 'app:info', input: {}, callId: 1 })).toMatchObject({
      result: { host: 'electron' },
    });
    expect(await call(appEvent, { name: 'connections:remove', input: { id: 'x' }, callId: 2 })).toEqual({
      error: { code: 'conflict', message: 'no' },
    });
    expect(await call(appEvent, { name: 'nope', input: {}, callId: 3 })).toMatchObject({
      error: { code: 'unknown-call' },
    });
    expect(
      await call(
        { ...appEvent, senderFrame: { url: 'https://evil.example/' } },
        { name: 'app:info', input: {}, callId: 4 },
      ),
    ).toMatchObject({ error: { code: 'unauthorized' } });

    const pending = call(appEvent, { name: 'topology:get', input: {}, callId: 5 });
    listeners.get('siteshift:abort')!(appEvent, 5);
    expect(await pending).toMatchObject({ error: { code: 'aborted' } });
    expect(aborted).toBe(true);
    stop();
    expect(handlers.size).toBe(0);
  });
});
