import type { Db } from './db';

/** One row of the events table, already serialised once for every subscriber. */
export interface StoredEvent {
  id: bigint;
  json: string;
  /** UTF-8 of json, encoded once for all subscribers. */
  bytes: Buffer;
}

export interface EventSink {
  /** Sends one frame; returns false when the subscriber is too far behind and was dropped. */
  send(json: string, bytes: Buffer): boolean;
  readonly types: ReadonlySet<string> | null;
  /** The server's own watcher (token revokes), not a client: not counted as a stream client. */
  readonly internal?: boolean;
}

interface Subscriber {
  sink: EventSink;
  cursor: bigint;
  replaying: boolean;
}

type Row = { id: string; at: Date | string; type: string; payload: unknown };

/**
 * Fans committed events out to event-stream subscribers. Events live in the events table (ids
 * from one sequence, inserted under an advisory lock so ids become visible in commit order); the
 * hub reads forward from the last id it delivered, so a subscriber that reconnects with its last
 * id gets exactly what it missed, and several server instances on one database see each other's
 * events (picked up by a short poll).
 */
export class EventHub {
  private lastId = 0n;
  private readonly subscribers = new Set<Subscriber>();
  private pumping: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  published = 0;
  delivered = 0;
  /**
   * Events this instance committed, by id, until the pump has passed them: it reads their rows
   * without the payload (a job's progress event carries the whole job, and reading it back out of
   * jsonb costs more than everything else the pump does), or, as the sole writer, not at all.
   */
  private readonly own = new Map<bigint, OwnEvent>();
  constructor(
    private readonly db: Db,
    private readonly pollMs = 500,
    /**
     * Every event in the table is written through this hub's Transactions (an embedded PGlite:
     * no other process can open its database). Then the pump delivers what was committed here
     * without reading the table, and reads it only to step over an id that no commit announced
     * (a rolled-back insert's sequence value) or one announced late.
     */
    private readonly soleWriter = false,
  ) {}

  async start(): Promise<void> {
    const [row] = await this.db.query<{ max: string | null }>('SELECT max(id)::text AS max FROM events');
    this.lastId = BigInt(row?.max ?? '0');
    this.timer = setInterval(() => this.poke(), this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.subscribers.clear();
  }

  get head(): bigint {
    return this.lastId;
  }

  get subscriberCount(): number {
    let n = 0;
    for (const sub of this.subscribers) if (!sub.sink.internal) n++;
    return n;
  }

  /** The events this instance just committed (see `own`): ids, with what was inserted. */
  remember(ids: string[], at: string, types: string[], payloads: string[]): void {
    ids.forEach((id, i) => {
      const key = BigInt(id);
      // Already delivered (the pump read the row first): nothing to keep.
      if (key > this.lastId) this.own.set(key, { at, type: types[i]!, payload: payloads[i]! });
    });
  }

  /** Called after a commit that wrote events, and by the poll. */
  poke(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump()
      .catch(() => {
        // A failed read is retried by the next poke or poll; events stay in the table.
      })
      .finally(() => {
        this.pumping = null;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }

  /** Waits until everything committed so far has been handed to subscribers (tests, shutdown). */
  async flush(): Promise<void> {
    this.poke();
    while (this.pumping) await this.pumping;
  }

  private async pump(): Promise<void> {
    for (;;) {
      const from = this.lastId;
      const rows = (this.soleWriter && this.committedAfter(from, 2000)) || (await this.read(from, 2000));
      if (rows.length === 0) return;
      this.lastId = rows[rows.length - 1]!.id;
      for (const id of this.own.keys()) if (id <= this.lastId) this.own.delete(id);
      // Live subscribers with the same filter get one shared frame per batch: a JSON array when
      // the batch holds several events. One write per subscriber per batch instead of one per
      // event is what keeps 50 watchers of 1,000 reports a second cheap.
      const frames = new Map<string, { json: string; bytes: Buffer; count: number } | null>();
      for (const sub of this.subscribers) {
        if (sub.replaying) continue;
        if (sub.cursor !== from) {
          for (const ev of rows) if (ev.id > sub.cursor) this.deliver(sub, ev, typeOf(ev));
          continue;
        }
        const key = sub.sink.types ? [...sub.sink.types].sort().join(',') : '*';
        let frame = frames.get(key);
        if (frame === undefined) {
          const picked = sub.sink.types ? rows.filter((ev) => sub.sink.types!.has(typeOf(ev))) : rows;
          if (picked.length === 0) frame = null;
          else if (picked.length === 1) frame = { json: picked[0]!.json, bytes: picked[0]!.bytes, count: 1 };
          else {
            const json = `[${picked.map((ev) => ev.json).join(',')}]`;
            frame = { json, bytes: Buffer.from(json), count: picked.length };
          }
          frames.set(key, frame);
        }
        sub.cursor = this.lastId;
        if (!frame) continue;
        this.delivered += frame.count;
        if (!sub.sink.send(frame.json, frame.bytes)) this.subscribers.delete(sub);
      }
      if (rows.length < 2000) return;
    }
  }

  private deliver(sub: Subscriber, ev: StoredEvent, type: string): void {
    sub.cursor = ev.id;
    if (sub.sink.types && !sub.sink.types.has(type)) return;
    this.delivered++;
    if (!sub.sink.send(ev.json, ev.bytes)) this.subscribers.delete(sub);
  }

  /**
   * As the sole writer: the events committed here that follow `after` without a gap, or null when
   * the next id was not announced (the table decides), or [] when nothing was committed since.
   */
  private committedAfter(after: bigint, limit: number): StoredEvent[] | null {
    if (this.own.size === 0) return [];
    const out: StoredEvent[] = [];
    for (let id = after + 1n; out.length < limit; id++) {
      const ev = this.own.get(id);
      if (!ev) break;
      out.push(stored(id, ev.at, ev.type, ev.payload));
    }
    return out.length > 0 ? out : null;
  }

  private async read(after: bigint, limit: number): Promise<StoredEvent[]> {
    // What is known now: the pump may forget entries while this read is under way.
    const known = new Map([...this.own].filter(([id]) => id > after));
    const own = [...known.keys()].map(String);
    const rows = await this.db.query<Row>(
      `SELECT id::text AS id, at, type, CASE WHEN id = ANY($3::bigint[]) THEN NULL ELSE payload END AS payload
         FROM events WHERE events.id > $1 ORDER BY events.id LIMIT $2`,
      [after.toString(), limit, own],
    );
    return rows.map((r) => {
      const at = r.at instanceof Date ? r.at.toISOString() : new Date(r.at).toISOString();
      const id = BigInt(r.id);
      const mine = r.payload === null ? known.get(id) : undefined;
      return stored(id, at, r.type, mine?.payload ?? JSON.stringify(r.payload));
    });
  }

  /**
   * Adds a subscriber. With `since` it first replays every event after that id, then goes live;
   * without, it starts at the present. Returns 'reset' when `since` is no longer in the table
   * (pruned, or from another database): the client must reload state and resume from lastId.
   */
  async subscribe(
    sink: EventSink,
    since: bigint | null,
  ): Promise<{ status: 'ready' | 'reset'; lastId: bigint; unsubscribe: () => void }> {
    const sub: Subscriber = { sink, cursor: this.lastId, replaying: since !== null };
    const unsubscribe = () => {
      this.subscribers.delete(sub);
    };
    if (since === null) {
      this.subscribers.add(sub);
      return { status: 'ready', lastId: sub.cursor, unsubscribe };
    }
    const [bounds] = await this.db.query<{ min: string | null; max: string | null }>(
      'SELECT min(id)::text AS min, max(id)::text AS max FROM events',
    );
    const min = BigInt(bounds?.min ?? '0');
    const max = BigInt(bounds?.max ?? '0');
    if (since > max || (min > 0n && since < min - 1n)) {
      sub.cursor = max > this.lastId ? this.lastId : max;
      sub.replaying = false;
      this.subscribers.add(sub);
      return { status: 'reset', lastId: sub.cursor, unsubscribe };
    }
    sub.cursor = since;
    this.subscribers.add(sub);
    for (;;) {
      const rows = await this.read(sub.cursor, 1000);
      for (const ev of rows) {
        if (!this.subscribers.has(sub)) return { status: 'ready', lastId: sub.cursor, unsubscribe };
        this.deliver(sub, ev, typeOf(ev));
      }
      // Synchronous check-and-flip: the pump cannot run between them, so nothing is skipped.
      if (rows.length < 1000 && sub.cursor >= this.lastId) {
        sub.replaying = false;
        return { status: 'ready', lastId: sub.cursor, unsubscribe };
      }
    }
  }
}

interface OwnEvent {
  at: string;
  type: string;
  /** As JSON. */
  payload: string;
}

/** The same document as JSON.stringify({ id, at, type, payload }) would make, with the payload as serialised. */
function stored(id: bigint, at: string, type: string, payload: string): StoredEvent {
  const json = `{"id":"${id}","at":${JSON.stringify(at)},"type":${JSON.stringify(type)},"payload":${payload}}`;
  return { id, json, bytes: Buffer.from(json) };
}

function typeOf(ev: StoredEvent): string {
  // The type sits at a fixed place in our own serialisation; avoid re-parsing every frame.
  const m = /"type":"([^"]+)"/.exec(ev.json);
  return m?.[1] ?? '';
}
