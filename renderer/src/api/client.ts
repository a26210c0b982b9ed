import type { PreloadBridge } from '../../../shared/bridge';
import type { CallName, CallOptions, CallOutput, EventName, SiteshiftApi } from '../../../shared/contract';
import { ApiError } from '../../../shared/errors';
import { type CallOutcome, serverMessageSchema } from '../../../shared/wire';
import { t } from '../i18n';
import { measureSince } from '../timing';

type Invoke = (name: CallName, input: unknown, callId: number) => Promise<CallOutcome>;
type Subscribe = (name: EventName, listener: (payload: unknown) => void) => () => void;

/**
 * Builds the typed API from any transport that can invoke, abort and subscribe. Each call's
 * function is made on first use from its name ("topology:get"): the renderer needs no list of
 * the calls, so its first script does not build the contract's zod schemas (the server checks
 * every input and output against them).
 */
function buildApi(invoke: Invoke, abort: (callId: number) => void, subscribe: Subscribe): SiteshiftApi {
  let nextId = 1;
  const made = new Map<string, unknown>();
  const call =
    (name: CallName) =>
    async (input: unknown, options: CallOptions = {}) => {
      const callId = nextId++;
      const { signal } = options;
      if (signal?.aborted) throw new ApiError('aborted', t('api.cancelled'));
      const onAbort = () => abort(callId);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const outcome = await invoke(name, input, callId);
        if ('error' in outcome) throw ApiError.fromPayload(outcome.error);
        return outcome.result as CallOutput<typeof name>;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    };
  return new Proxy({ subscribe } as Record<string, unknown>, {
    get(target, name) {
      if (name === 'subscribe') return target.subscribe;
      // Call names are "area:verb"; anything else (then, toJSON …) is not a call.
      if (typeof name !== 'string' || !name.includes(':')) return undefined;
      if (!made.has(name)) made.set(name, call(name as CallName));
      return made.get(name);
    },
  }) as unknown as SiteshiftApi;
}

export function bridgeApi(bridge: PreloadBridge): SiteshiftApi {
  return buildApi(
    (name, input, callId) => bridge.calls[name](input, callId),
    (callId) => bridge.abort(callId),
    (name, listener) => bridge.subscribe(name, listener),
  );
}

const BIG_MESSAGE = 100_000;

/**
 * The web host's transport: one WebSocket, calls matched to results by id, reconnecting with
 * backoff. Calls made while disconnected wait for the connection; calls in flight when it drops
 * fail with `unreachable` (the server aborts them too).
 */
export function webSocketApi(
  url: string,
  onStatus: (status: 'connecting' | 'open' | 'closed') => void,
): SiteshiftApi {
  const pending = new Map<number, (outcome: CallOutcome) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  let ready: Promise<WebSocket>;
  let delay = 250;

  const connect = (): Promise<WebSocket> => {
    onStatus('connecting');
    return new Promise((resolve) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        delay = 250;
        socket = ws;
        onStatus('open');
        resolve(ws);
      };
      ws.onmessage = (ev) => {
        const text = String(ev.data);
        const arrived = performance.now();
        const parsed = serverMessageSchema.safeParse(JSON.parse(text));
        // Big messages (a whole topology) are timed for npm run bench:ui, which reads this entry.
        if (text.length > BIG_MESSAGE) measureSince('siteshift:parse', arrived, { bytes: text.length });
        if (!parsed.success) return;
        const msg = parsed.data;
        if (msg.type === 'event') {
          for (const l of listeners.get(msg.name) ?? []) l(msg.payload);
        } else if (msg.id !== null) {
          const done = pending.get(msg.id);
          pending.delete(msg.id);
          done?.(msg.type === 'result' ? { result: msg.result } : { error: msg.error });
        }
      };
      ws.onclose = () => {
        socket = null;
        onStatus('closed');
        for (const [id, done] of pending) {
          pending.delete(id);
          done({
            error: {
              code: 'unreachable',
              message: t('api.lost'),
            },
          });
        }
        setTimeout(() => {
          ready = connect();
          ready.then(resolve);
        }, delay);
        delay = Math.min(delay * 2, 5000);
      };
    });
  };
  ready = connect();

  return buildApi(
    async (name, input, callId) => {
      const ws = socket ?? (await ready);
      return new Promise<CallOutcome>((resolve) => {
        pending.set(callId, resolve);
        ws.send(JSON.stringify({ type: 'call', id: callId, name, input }));
      });
    },
    (callId) => socket?.send(JSON.stringify({ type: 'abort', id: callId })),
    (name, listener) => {
      let set = listeners.get(name);
      if (!set) {
        set = new Set();
        listeners.set(name, set);
      }
      set.add(listener);
      return () => set.delete(listener);
    },
  );
}

/** Picks the transport: the preload bridge inside Electron, the WebSocket in a browser. */
export function createApi(onStatus: (status: 'connecting' | 'open' | 'closed') => void): SiteshiftApi {
  if (window.siteshift) {
    onStatus('open');
    return bridgeApi(window.siteshift);
  }
  const params = new URLSearchParams(window.location.search);
  const token = params.get('token') ?? sessionStorage.getItem('siteshift.token') ?? '';
  sessionStorage.setItem('siteshift.token', token);
  // Keep the token out of the address bar (screenshots, screen sharing) once it is read.
  if (params.has('token')) window.history.replaceState(null, '', window.location.pathname);
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return webSocketApi(
    `${scheme}://${window.location.host}/api/ws?token=${encodeURIComponent(token)}`,
    onStatus,
  );
}
