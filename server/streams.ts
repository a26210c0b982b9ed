import type { WebSocket } from 'ws';
import type { TokenAuth } from './auth';
import type { EventHub } from './events';
import type { Store } from './store';

/** WebSocket close code for "the credentials of this connection are no longer valid". */
export const CLOSE_REVOKED = 4401;

/**
 * The open event streams by the token that opened them. A token is checked when a stream opens;
 * without this a revoked token would keep reading events for as long as its socket stays up.
 * A revoke is seen through the event hub (the store writes entity.changed for every token change,
 * and the hub reads every instance's events), and a periodic re-check of all open streams' tokens
 * is the backstop for anything the hub could miss.
 */
export class StreamGuard {
  private readonly byToken = new Map<string, Set<WebSocket>>();
  private timer: NodeJS.Timeout | null = null;
  private stopWatching: (() => void) | null = null;
  private checking: Promise<void> | null = null;
  closedForRevoke = 0;

  constructor(
    private readonly store: Store,
    private readonly auth: TokenAuth,
    private readonly hub: EventHub,
    private readonly recheckMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  async start(): Promise<void> {
    const sub = await this.hub.subscribe(
      {
        internal: true,
        types: new Set(['entity.changed']),
        send: (json) => {
          if (tokenChanged(json)) this.recheckSoon();
          return true;
        },
      },
      null,
    );
    this.stopWatching = sub.unsubscribe;
    if (this.recheckMs > 0) {
      this.timer = setInterval(() => this.recheckSoon(), this.recheckMs);
      this.timer.unref();
    }
  }

  stop(): void {
    this.stopWatching?.();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  add(tokenId: string, socket: WebSocket): void {
    const set = this.byToken.get(tokenId) ?? new Set<WebSocket>();
    this.byToken.set(tokenId, set);
    set.add(socket);
    socket.once('close', () => {
      set.delete(socket);
      if (set.size === 0 && this.byToken.get(tokenId) === set) this.byToken.delete(tokenId);
    });
  }

  get openStreams(): number {
    let n = 0;
    for (const set of this.byToken.values()) n += set.size;
    return n;
  }

  /** Closes every stream opened with this token (the revoke route calls it on its own instance). */
  closeToken(tokenId: string): number {
    const set = this.byToken.get(tokenId);
    if (!set) return 0;
    this.byToken.delete(tokenId);
    for (const socket of set) socket.close(CLOSE_REVOKED, 'the API token of this stream was revoked');
    this.closedForRevoke += set.size;
    return set.size;
  }

  /** Checks the tokens of all open streams against the database now. */
  recheck(): Promise<void> {
    this.checking ??= this.checkAll().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private recheckSoon(): void {
    this.recheck().catch(this.onError);
  }

  private async checkAll(): Promise<void> {
    if (this.byToken.size === 0) return;
    // Whatever the auth cache holds may predate the revoke.
    this.auth.forget();
    const live = new Set((await this.store.tokens.list()).filter((t) => !t.revokedAt).map((t) => t.id));
    for (const tokenId of [...this.byToken.keys()]) if (!live.has(tokenId)) this.closeToken(tokenId);
  }
}

function tokenChanged(json: string): boolean {
  // Cheap pre-check before parsing: most entity changes are not tokens.
  if (!json.includes('"entity":"token"')) return false;
  const parsed = JSON.parse(json) as unknown;
  const events = Array.isArray(parsed) ? parsed : [parsed];
  return events.some((ev) => (ev as { payload?: { entity?: unknown } } | null)?.payload?.entity === 'token');
}
