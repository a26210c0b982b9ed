import { describe, expect, it, vi } from 'vitest';
import { callNames } from '../../shared/contract';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async (_channel: string, _message: unknown) => ({ result: 'ok' }));
const send = vi.fn();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
  ipcRenderer: { invoke, send, on: vi.fn(), removeListener: vi.fn() },
}));

await import('../../electron/preload');

describe('preload bridge', () => {
  it('exposes one function per call of the contract, abort and subscribe, and nothing else', () => {
    expect(Object.keys(exposed)).toEqual(['siteshift']);
    const bridge = exposed.siteshift as { calls: Record<string, unknown> } & Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual(['abort', 'calls', 'subscribe']);
    expect(Object.keys(bridge.calls).sort()).toEqual([...callNames].sort());
    expect(JSON.stringify(Object.keys(bridge))).not.toContain('ipcRenderer');
  });

  it('sends each call on the one call channel with its name and id', async () => {
    const bridge = exposed.siteshift as {
      calls: Record<string, (i: unknown, id: number) => Promise<unknown>>;
      abort(id: number): void;
    };
    await bridge.calls['topology:get']!({}, 3);
    expect(invoke).toHaveBeenCalledWith('siteshift:call', { name: 'topology:get', input: {}, callId: 3 });
    bridge.abort(3);
    expect(send).toHaveBeenCalledWith('siteshift:abort', 3);
  });

  it('refuses to subscribe to an unknown event', () => {
    const bridge = exposed.siteshift as { subscribe(name: string, l: () => void): () => void };
    expect(() => bridge.subscribe('secrets:leak', () => undefined)).toThrow(/unknown event/);
    expect(typeof bridge.subscribe('topology:changed', () => undefined)).toBe('function');
  });
});
