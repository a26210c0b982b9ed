/**
 * The embedded PostgreSQL (PGlite) on a thread of its own. PGlite runs every statement as
 * synchronous WebAssembly: on the server's own thread a statistics batch held the event loop for
 * 5-12 ms, during which no request was parsed and no event frame was written; at 1,000 reports a
 * second that was half the thread's time and most of the event latency. Here it runs beside the
 * event loop, on the second core. server/db.ts is the other end: it serialises access (one
 * transaction at a time, as PGlite's own mutex did) and turns these messages back into `Db` calls.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';

export interface PgliteWorkerData {
  dataDir: string | undefined;
  /** `-c name=value` pairs, after PGlite's defaults. */
  settingParams: string[];
}

export type PgliteRequest =
  | { id: number; op: 'query'; sql: string; params: unknown[] | undefined; begin?: true }
  | { id: number; op: 'exec'; sql: string }
  | { id: number; op: 'commit' | 'rollback' | 'close' };

/** A database error as plain data: structured cloning keeps an Error's message but not its code. */
export interface PgliteFailure {
  message: string;
  code?: string;
  detail?: string;
  hint?: string;
  constraint?: string;
}

/** This thread's memory: the WebAssembly memory's size, and (at most once a second) its V8 heap. */
export interface PgliteMemory {
  wasmBytes: number;
  heap?: { used: number; total: number };
}

export type PgliteReply =
  | ({ id: number; ok: true; rows: unknown[] } & PgliteMemory)
  | ({ id: number; ok: false; error: PgliteFailure } & PgliteMemory)
  | ({ id: 0; ready: true } & PgliteMemory)
  | { id: 0; ready: false; error: PgliteFailure };

function failure(err: unknown): PgliteFailure {
  const e = err as Partial<PgliteFailure> & { message?: unknown };
  const out: PgliteFailure = { message: typeof e?.message === 'string' ? e.message : String(err) };
  for (const key of ['code', 'detail', 'hint', 'constraint'] as const)
    if (typeof e?.[key] === 'string') out[key] = e[key];
  return out;
}

async function serve(port: NonNullable<typeof parentPort>, data: PgliteWorkerData): Promise<void> {
  let db: PGlite;
  try {
    db = new PGlite({
      dataDir: data.dataDir,
      startParams: [...PGlite.defaultStartParams, ...data.settingParams],
    });
    await db.waitReady;
  } catch (err) {
    port.postMessage({ id: 0, ready: false, error: failure(err) } satisfies PgliteReply);
    return;
  }
  let heapReadAt = 0;
  const memory = (): PgliteMemory => {
    const wasmBytes = db.Module.HEAPU8.byteLength;
    if (Date.now() - heapReadAt < 1000) return { wasmBytes };
    heapReadAt = Date.now();
    const h = getHeapStatistics();
    return { wasmBytes, heap: { used: h.used_heap_size, total: h.total_heap_size } };
  };
  port.postMessage({ id: 0, ready: true, ...memory() } satisfies PgliteReply);
  // db.ts sends one request at a time within a transaction, and nothing of another caller while one
  // is open (its mutex); statements outside transactions are serialised by PGlite's own mutex.
  const reply = (id: number, result: Promise<unknown[]>) =>
    result.then(
      (rows) => port.postMessage({ id, ok: true, rows, ...memory() } satisfies PgliteReply),
      (err) => port.postMessage({ id, ok: false, error: failure(err), ...memory() } satisfies PgliteReply),
    );
  // The open transaction, run through PGlite's own transaction(): it commits, rolls back on a
  // failure, and refuses a COMMIT that PostgreSQL turned into a ROLLBACK, as in-process.
  let open: { tx: Transaction; end: (commit: boolean) => void } | null = null;
  let ended: Promise<void> = Promise.resolve();
  /** Opens a transaction; resolves once BEGIN ran, rejects if it failed. */
  const begin = (): Promise<void> => {
    let started!: () => void;
    const begun = new Promise<void>((resolve) => (started = resolve));
    const done = db.transaction(async (tx) => {
      const commit = await new Promise<boolean>((end) => {
        open = { tx, end };
        started();
      });
      if (!commit) await tx.rollback();
    });
    ended = done.finally(() => {
      open = null;
    });
    ended.catch(() => {});
    // A BEGIN that failed rejects `done` before `begun` resolves.
    return Promise.race([begun, done]);
  };
  port.on('message', (req: PgliteRequest) => {
    switch (req.op) {
      case 'query': {
        // The first statement of a transaction carries its BEGIN: one message less per transaction.
        const ready = req.begin ? begin() : Promise.resolve();
        return reply(
          req.id,
          ready.then(() => (open ? open.tx : db).query(req.sql, req.params)).then((r) => r.rows),
        );
      }
      case 'exec':
        return reply(
          req.id,
          db.exec(req.sql).then(() => []),
        );
      case 'commit':
      case 'rollback': {
        const current = open;
        if (!current) return reply(req.id, Promise.reject(new Error(`${req.op} without a transaction`)));
        current.end(req.op === 'commit');
        return reply(
          req.id,
          ended.then(() => []),
        );
      }
      case 'close':
        // No memory figures: a closed PGlite has no WebAssembly module left to measure.
        return db
          .close()
          .then(
            () => port.postMessage({ id: req.id, ok: true, rows: [], wasmBytes: 0 } satisfies PgliteReply),
            (err) =>
              port.postMessage({
                id: req.id,
                ok: false,
                error: failure(err),
                wasmBytes: 0,
              } satisfies PgliteReply),
          )
          .then(() => port.close());
    }
  });
}

if (parentPort && (workerData as { pglite?: PgliteWorkerData } | null)?.pglite)
  void serve(parentPort, (workerData as { pglite: PgliteWorkerData }).pglite);
