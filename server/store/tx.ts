import { randomUUID } from 'node:crypto';
import type { ServerEventType } from '../../shared/configserver';
import { ApiError } from '../../shared/errors';
import { sayRefusal } from '../../shared/i18n/refusal-words';
import type { Said } from '../../shared/i18n/worded';
import type { Db, Queryable } from '../db';
import type { EventHub } from '../events';

/** NOTIFY channels the instances sharing one PostgreSQL database listen on. */
export const EVENTS_CHANNEL = 'siteshift_events';
export const TOKENS_CHANNEL = 'siteshift_tokens';
/** Each instance answers a TOKENS_CHANNEL notification here, with its payload, once it has acted on it. */
export const TOKENS_HEARD_CHANNEL = 'siteshift_tokens_heard';

export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
}

/** A transaction plus the events it will publish when (and only when) it commits. */
export interface Writer {
  readonly q: Queryable;
  readonly now: Date;
  emit(type: ServerEventType, payload: unknown): void;
}

/** Maps PostgreSQL constraint violations to operator-readable conflicts. */
export function mapDbError(err: unknown, what: Said): never {
  const code = (err as { code?: string }).code;
  if (code === '23505') throw new ApiError('conflict', sayRefusal('refusal.exists', { what }));
  if (code === '23503') {
    throw new ApiError('conflict', sayRefusal('refusal.referenced', { what }));
  }
  throw err;
}

/** The database, the clock and the one way to write: what every aggregate module is built on. */
export class Transactions {
  constructor(
    readonly db: Db,
    private readonly hub: EventHub,
    readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Set by the server on PostgreSQL: resolves once every instance listening on the database has
   * emptied its token cache after the token change announced with this id. A token change waits
   * for it before it returns, so that when the caller hears "revoked", no instance accepts the
   * token any more (rather than a few milliseconds later, when each has heard the NOTIFY).
   */
  tokenChangeHeard: ((announcement: string) => Promise<void>) | null = null;

  /**
   * Runs fn in a transaction; its events are appended last, under a lock, so ids follow commit
   * order. On PostgreSQL, telemetry (statistics, heartbeats, health) commits without waiting for
   * the WAL flush: the event lock is held through the commit, and a flush per batch would cap the
   * agent API at the disk's flush rate. Only a crash of PostgreSQL itself can lose the last
   * fraction of a second of telemetry (the next report replaces it); a killed server process
   * loses nothing. PGlite lives inside the server process, so there every commit is flushed.
   */
  async write<T>(fn: (w: Writer) => Promise<T>, options: { telemetry?: boolean } = {}): Promise<T> {
    const events: Array<{ type: string; payload: unknown }> = [];
    let ids: string[] = [];
    let written: string[] = [];
    let types: string[] = [];
    const now = this.clock();
    let announcement: string | null = null;
    const result = await this.db.tx(async (q) => {
      if (options.telemetry && this.db.kind === 'postgres')
        await q.query('SET LOCAL synchronous_commit = off');
      const out = await fn({ q, now, emit: (type, payload) => events.push({ type, payload }) });
      if (events.length > 0) {
        // PGlite has one connection: its transactions already commit one after another.
        if (this.db.kind === 'postgres') await q.query('SELECT pg_advisory_xact_lock(710171)');
        types = events.map((e) => e.type);
        const payloads = events.map((e) => JSON.stringify(e.payload));
        if (this.db.kind === 'postgres') {
          // NOTIFY is delivered at commit, to every instance listening on this database: their
          // hubs read the new rows at once instead of at the next poll, and a token change
          // empties their token caches before the caller hears that the change was made.
          const tokens = events.some(
            (e) =>
              e.type === 'entity.changed' && (e.payload as { entity?: unknown } | null)?.entity === 'token',
          );
          announcement = tokens ? randomUUID() : null;
          const [row] = await q.query<{ ids: string[] }>(
            `WITH ins AS (INSERT INTO events (at, type, payload) SELECT $1, t, p::jsonb
                            FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS u(t, p, o) ORDER BY o RETURNING id)
             SELECT pg_notify('${EVENTS_CHANNEL}', (SELECT max(id) FROM ins)::text),
                    CASE WHEN $4::text IS NOT NULL THEN pg_notify('${TOKENS_CHANNEL}', $4) END,
                    (SELECT array_agg(id::text ORDER BY id) FROM ins) AS ids`,
            [now.toISOString(), types, payloads, announcement],
          );
          ids = row?.ids ?? [];
        } else
          ids = (
            await q.query<{ id: string }>(
              `INSERT INTO events (at, type, payload) SELECT $1, t, p::jsonb
                 FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS u(t, p, o) ORDER BY o RETURNING id::text AS id`,
              [now.toISOString(), types, payloads],
            )
          )
            .map((r) => r.id)
            .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
        written = payloads;
      }
      return out;
    });
    if (events.length > 0) {
      // Ids follow the rows' order (ORDER BY o): the hub sends these payloads as serialised
      // here instead of reading them back.
      if (ids.length === written.length) this.hub.remember(ids, now.toISOString(), types, written);
      this.hub.poke();
    }
    if (announcement && this.tokenChangeHeard) await this.tokenChangeHeard(announcement);
    return result;
  }
}
