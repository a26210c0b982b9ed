import type { CallName, EventName } from './contract';
import type { CallOutcome } from './wire';

/**
 * What electron/preload.ts exposes as `window.siteshift`: one function per call returning the
 * outcome (`{result}` or `{error}`), an abort by call id, and subscribe. Errors are rebuilt into
 * ApiError on the renderer's side because class identity does not survive the context bridge.
 * It lives in shared/ because both sides implement it and neither may import the other.
 */
export interface PreloadBridge {
  calls: Record<CallName, (input: unknown, callId: number) => Promise<CallOutcome>>;
  abort(callId: number): void;
  subscribe(name: EventName, listener: (payload: unknown) => void): () => void;
}
