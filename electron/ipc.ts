import { ipcMain, type WebContents } from 'electron';
import type { Dispatch } from '../shared/dispatch';
import { ApiError, toErrorPayload } from '../shared/errors';
import type { CallOutcome } from '../shared/wire';
import { isAppUrl } from './security';

export const IPC_CALL = 'siteshift:call';
export const IPC_ABORT = 'siteshift:abort';
export const IPC_EVENT = 'siteshift:event';

/**
 * Serves the contract over IPC: one invoke channel for every call (the name travels in the
 * message and is checked by the dispatcher), one channel to abort, one to push events. Only frames
 * showing the app itself may call.
 */
export function serveIpc(dispatch: Dispatch): () => void {
  const inFlight = new Map<string, AbortController>();
  ipcMain.handle(IPC_CALL, async (event, message: { name?: unknown; input?: unknown; callId?: unknown }) => {
    const senderUrl = event.senderFrame?.url ?? '';
    if (!isAppUrl(senderUrl)) {
      return {
        error: new ApiError('unauthorized', 'Calls are only accepted from the Siteshift window.').toPayload(),
      };
    }
    const key = `${event.sender.id}:${String(message?.callId)}`;
    const controller = new AbortController();
    inFlight.set(key, controller);
    try {
      const result = await dispatch(message?.name, message?.input, controller.signal);
      return { result } satisfies CallOutcome;
    } catch (err) {
      return { error: toErrorPayload(err) } satisfies CallOutcome;
    } finally {
      inFlight.delete(key);
    }
  });
  const onAbort = (event: Electron.IpcMainEvent, callId: unknown) => {
    inFlight.get(`${event.sender.id}:${String(callId)}`)?.abort();
  };
  ipcMain.on(IPC_ABORT, onAbort);
  return () => {
    ipcMain.removeHandler(IPC_CALL);
    ipcMain.removeListener(IPC_ABORT, onAbort);
    for (const c of inFlight.values()) c.abort();
  };
}

export function pushEvent(contents: WebContents, name: string, payload: unknown): void {
  if (!contents.isDestroyed()) contents.send(IPC_EVENT, { name, payload });
}
