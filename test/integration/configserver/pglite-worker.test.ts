import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDb } from '../../../server/db';
import { EventHub, type EventSink } from '../../../server/events';
import { migrate } from '../../../server/migrations';
import { mapDbError, Transactions } from '../../../server/store/tx';
import { sayRefusal } from '../../../shared/i18n/refusal-words';

/** PGlite on its own thread (server/pglite-worker.ts) keeps the semantics it had in-process. */
describe('PGlite on a worker thread', () => {
  let db: Db;

  beforeAll(async () => {
    db = await openDb({});
    await db.exec('CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)');
  });

  afterAll(async () => {
    await db?.close();
  });

  it('keeps PostgreSQL error fields across the thread: a duplicate is still a readable conflict', async () => {
    await db.query('INSERT INTO t VALUES (1, $1)', ['one']);
    const err = await db.query('INSERT INTO t VALUES (1, $1)', ['again']).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('23505');
    expect(() => mapDbError(err, sayRefusal('refusal.what.site', { name: 'ams' }))).toThrow(
      "a site named 'ams' already exists",
    );
  });

  it('returns rows with their types (timestamps, jsonb, arrays)', async () => {
    const [row] = await db.query<{ at: Date; doc: { a: number[] }; ids: string[] }>(
      `SELECT '2026-11-30T03:00:00Z'::timestamptz AS at, '{"a":[1,2]}'::jsonb AS doc, ARRAY['x','y'] AS ids`,
    );
    expect(row!.at).toBeInstanceOf(Date);
    expect(row!.at.toISOString()).toBe('2026-11-30T03:00:00.000Z');
    expect(row!.doc).toEqual({ a: [1, 2] });
    expect(row!.ids).toEqual(['x', 'y']);
  });

  it('rolls a transaction back when its function throws', async () => {
    await expect(
      db.tx(async (q) => {
        await q.query('INSERT INTO t VALUES (2, $1)', ['two']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await db.query('SELECT * FROM t WHERE id = 2')).toEqual([]);
  });

  it('refuses to commit a transaction in which a statement failed, even when the caller went on', async () => {
    const committed = db.tx(async (q) => {
      await q.query('INSERT INTO t VALUES (3, $1)', ['three']);
      await q.query('INSERT INTO t VALUES (1, $1)', ['duplicate']).catch(() => {});
      return 'done';
    });
    await expect(committed).rejects.toThrow();
    expect(await db.query('SELECT * FROM t WHERE id = 3')).toEqual([]);
    // The connection is usable afterwards (no transaction left open on the thread).
    expect(await db.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 1 }]);
  });

  it('runs another caller’s statement after an open transaction, never inside it', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const tx = db.tx(async (q) => {
      await q.query('INSERT INTO t VALUES (4, $1)', ['four']);
      order.push('tx inserted');
      await held;
      order.push('tx commits');
    });
    // Let the transaction start and insert before the outside read is issued.
    while (!order.includes('tx inserted')) await new Promise((r) => setTimeout(r, 5));
    const outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM t WHERE id = 4').then((rows) => {
      order.push('outside read');
      return rows[0]!.n;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual(['tx inserted']);
    release();
    await tx;
    expect(await outside).toBe(1);
    expect(order).toEqual(['tx inserted', 'tx commits', 'outside read']);
  });

  it('says the database stopped when it is used after closing, instead of hanging', async () => {
    const other = await openDb({});
    await other.close();
    // The thread ended because it was closed, not because closing crashed it.
    await expect(other.query('SELECT 1')).rejects.toThrow(/embedded database stopped \(thread exit \d+\)/);
  });
});

/** The event hub as the sole writer of an embedded database delivers what it committed without reading it back. */
describe('event hub, sole writer (PGlite)', () => {
  let db: Db;
  let hub: EventHub;
  let tx: Transactions;

  beforeAll(async () => {
    db = await openDb({});
    await migrate(db);
    hub = new EventHub(db, 60_000, true);
    await hub.start();
    tx = new Transactions(db, hub);
  });

  afterAll(async () => {
    hub?.stop();
    await db?.close();
  });

  const collect = () => {
    const got: Array<{ id: string; type: string; payload: unknown }> = [];
    const sink: EventSink = {
      types: null,
      send(json) {
        const doc = JSON.parse(json);
        got.push(...(Array.isArray(doc) ? doc : [doc]));
        return true;
      },
    };
    return { got, sink };
  };

  it('delivers events in id order, the same documents a reader of the table gets, across a gap in the ids', async () => {
    const live = collect();
    await hub.subscribe(live.sink, null);
    await tx.write(async (w) => w.emit('entity.changed', { entity: 'site', id: 'a', change: 'created' }));
    // An id taken by a transaction that rolled back: no commit announces it.
    await db.query("SELECT nextval('events_id_seq')");
    await tx.write(async (w) => {
      w.emit('entity.changed', { entity: 'site', id: 'b', change: 'created' });
      w.emit('entity.changed', { entity: 'site', id: 'c', change: 'created' });
    });
    await hub.flush();
    expect(live.got.map((e) => (e.payload as { id: string }).id)).toEqual(['a', 'b', 'c']);
    const ids = live.got.map((e) => BigInt(e.id));
    expect(ids[2]! - ids[1]!).toBe(1n);
    expect(ids[1]! - ids[0]!).toBe(2n);
    // A reconnecting client replays from the table: the same documents.
    const replay = collect();
    await hub.subscribe(replay.sink, ids[0]! - 1n);
    expect(replay.got).toEqual(live.got);
  });
});
