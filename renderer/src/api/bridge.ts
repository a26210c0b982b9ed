import type { CallName, EventName } from '../../../shared/contract';
import type { CallOutcome } from '../../../shared/wire';

/**
 * What electron/preload.ts exposes as `window.siteshift`: one function per call returning the
 * outcome (`{result}` or `{error}`), an abort by call id, and subscribe. Errors are rebuilt into
 * ApiError on this side because class identity does not survive the context bridge.
 */
export interface PreloadBridge {
  calls: Record<CallName, (input: unknown, callId: number) => Promise<CallOutcome>>;
  abort(callId: number): void;
  subscribe(name: EventName, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    siteshift?: PreloadBridge;
  }
}
