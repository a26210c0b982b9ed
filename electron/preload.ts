import { contextBridge, ipcRenderer } from 'electron';
import type { PreloadBridge } from '../shared/bridge';
import { type CallName, callNames, type EventName, isEventName } from '../shared/contract';
import type { CallOutcome } from '../shared/wire';

// The bridge exposes the contract and nothing else: no ipcRenderer, no generic send.
const IPC_CALL = 'siteshift:call';
const IPC_ABORT = 'siteshift:abort';
const IPC_EVENT = 'siteshift:event';

const calls = Object.fromEntries(
  callNames.map((name) => [
    name,
    (input: unknown, callId: number): Promise<CallOutcome> =>
      ipcRenderer.invoke(IPC_CALL, { name, input, callId }),
  ]),
) as Record<CallName, (input: unknown, callId: number) => Promise<CallOutcome>>;

const bridge: PreloadBridge = {
  calls,
  abort: (callId) => ipcRenderer.send(IPC_ABORT, callId),
  subscribe(name: EventName, listener: (payload: unknown) => void) {
    if (!isEventName(name)) throw new Error(`unknown event ${String(name)}`);
    const handler = (_event: unknown, message: { name: string; payload: unknown }) => {
      if (message.name === name) listener(message.payload);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler);
    };
  },
};

contextBridge.exposeInMainWorld('siteshift', bridge);
