import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { createFromTemplate } from './pglite-template';
import type {
  PgliteFailure,
  PgliteMemory,
  PgliteReply,
  PgliteRequest,
  PgliteWorkerData,
} from './pglite-worker';

/**
 * One SQL dialect (PostgreSQL) over two drivers: PGlite embedded in the process, or a real
 * server through `pg`. Everything above this file sees only `Queryable` and `Db`.
 */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction; a throw rolls it back. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the size of its WebAssembly memory (PostgreSQL's whole address space). */
  wasmMemoryBytes?(): number;
  /** PGlite only: the V8 heap of the thread it runs on (the process's own heap figures exclude it). */
  threadHeap?(): { used: number; total: number } | null;
  /**
   * PostgreSQL only: calls fn for every NOTIFY on these channels, from one dedicated connection
   * that reconnects by itself. `onState` tells when that connection is up (true) or lost (false):
   * while it is down, nothing the other instances announce can be heard.
   */
  listen?(
    channels: string[],
    fn: (channel: string, payload: string) => void,
    onState: (up: boolean) => void,
  ): void;
}

/** The application_name of each instance's LISTEN session: counting them counts the instances. */
export const LISTEN_APPLICATION_NAME = 'siteshift-server-listen';

export interface DbOptions {
  /** PGlite data folder; omitted (and no url) means an in-memory PGlite. */
  dataDir?: string;
  /** postgres://… selects a real PostgreSQL server. */
  databaseUrl?: string;
  /** Connections in the pool (PostgreSQL only). */
  poolSize?: number;
}

export async function openDb(options: DbOptions): Promise<Db> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir);
}

/**
 * PostgreSQL settings for the embedded database, passed at every start (a data folder created
 * before keeps working: the -c options override its postgresql.conf). PGlite's initdb writes
 * PostgreSQL's server defaults, sized for a machine of its own: shared_buffers = 128MB lives inside
 * the WebAssembly memory, which never gives memory back, so the buffer pool alone would grow the
 * server by 128 MB as tables are touched. One configuration server's working set (pairs, the
 * newest events, jobs) fits in 16 MB; pages beyond it are read back through the OS page cache.
 * maintenance_work_mem bounds what a VACUUM or CREATE INDEX may take (64MB by default).
 */
export const PGLITE_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '16MB',
  maintenance_work_mem: '16MB',
};

/** After PGlite's own defaults (the worker adds those: PGlite's module loads there only). */
function pgliteSettingParams(): string[] {
  return Object.entries(PGLITE_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

/**
 * V8 compiles PGlite's 9 MB WebAssembly module twice by default: Liftoff (a quick baseline) at
 * start, then TurboFan in background threads for the functions that turn hot. The second
 * compiler's memory stays with the process (malloc arenas of its threads, ~40-70 MB measured by
 * `npm run bench:server -- --memory`), and on two shared cores its threads compete with the
 * queries themselves. Liftoff alone keeps the server's memory flat and its latency no worse there.
 *
 * An embedded database is the one-machine deployment, whose memory is shared with everything
 * else on it, so V8 is also asked to favour size (`--optimize-for-size`). On a machine with
 * gigabytes free, V8 lets a heap grow to four times what survived its last full collection
 * before collecting again: under the bench's load the main thread's heap reached 70-80 MB
 * (140 MB in some runs) around ~30 MB of live data, and the server's peak RSS 246-263 MB.
 * Favouring size keeps the growth conservative and the young generation small: both heaps
 * stay near their live data (main 31-40 MB before the load) and peak RSS was 199-224 MB, at
 * the same CPU per report. Node offers no API for a running isolate's heap limits (the
 * command line is the CLI's launcher's, Electron's for the desktop app), so the flags go
 * through `setFlagsFromString`; V8 reads these two where it decides, not only at start. They
 * are set before the database's thread starts, whose isolate then has them from its creation.
 */
let v8FlagsSet = false;
function selectPgliteV8Flags(): void {
  if (v8FlagsSet) return;
  v8FlagsSet = true;
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--optimize-for-size');
}

async function openPglite(dataDir: string | undefined): Promise<Db> {
  selectPgliteV8Flags();
  if (dataDir) await createFromTemplate(dataDir);
  const worker = startPgliteWorker({ dataDir, settingParams: pgliteSettingParams() });
  let wasmBytes = 0;
  let heap: { used: number; total: number } | null = null;
  const note = (m: PgliteMemory) => {
    if (m.wasmBytes > 0) wasmBytes = m.wasmBytes;
    if (m.heap) heap = m.heap;
  };
  const pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (err: Error) => void }>();
  let nextId = 1;
  let dead: Error | null = null;
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (reply: PgliteReply) => {
      if ('ready' in reply) {
        if (reply.ready) {
          note(reply);
          resolve();
        } else reject(databaseError(reply.error));
        return;
      }
      note(reply);
      const call = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.ok) call?.resolve(reply.rows);
      else call?.reject(databaseError(reply.error));
    });
    const fail = (err: Error) => {
      // The first cause stays: the exit that follows a thread's error says less.
      dead ??= err;
      reject(err);
      for (const call of pending.values()) call.reject(err);
      pending.clear();
    };
    worker.on('error', (err) => fail(new Error(`the embedded database stopped: ${err.message}`)));
    worker.on('exit', (code) => fail(new Error(`the embedded database stopped (thread exit ${code})`)));
  });
  await ready;
  const send = (req: DistributiveOmit<PgliteRequest, 'id'>): Promise<unknown[]> =>
    new Promise((resolve, reject) => {
      if (dead) return reject(dead);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...req, id });
    });
  // One transaction at a time, and no statement of another caller inside it: PGlite has a single
  // connection, and its own mutex (which did this in-process) sits on the other thread.
  const exclusive = mutex();
  const run = <T>(sql: string, params?: unknown[]) => send({ op: 'query', sql, params }) as Promise<T[]>;
  return {
    kind: 'pglite',
    wasmMemoryBytes: () => wasmBytes,
    threadHeap: () => heap,
    query<T>(sql: string, params?: unknown[]) {
      return exclusive(() => run<T>(sql, params));
    },
    tx<T>(fn: (q: Queryable) => Promise<T>) {
      return exclusive(async () => {
        // BEGIN travels with the first statement; a function that ran none has nothing to commit.
        let begun = false;
        const q: Queryable = {
          query<R>(sql: string, params?: unknown[]) {
            const first = !begun;
            begun = true;
            return send({ op: 'query', sql, params, ...(first ? { begin: true as const } : {}) }) as Promise<
              R[]
            >;
          },
        };
        let out: T;
        try {
          out = await fn(q);
        } catch (err) {
          if (begun) await send({ op: 'rollback' }).catch(() => {});
          throw err;
        }
        if (begun) await send({ op: 'commit' });
        return out;
      });
    },
    async exec(sql: string) {
      await exclusive(() => send({ op: 'exec', sql }));
    },
    async close() {
      if (!dead) await exclusive(() => send({ op: 'close' })).catch(() => {});
      await worker.terminate();
    },
  };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Runs one task at a time, in call order. */
function mutex(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>) => {
    const result = tail.then(task);
    tail = result.catch(() => {});
    return result;
  };
}

/** A database error with its PostgreSQL fields (code, detail, …) as the pg driver's errors have them. */
function databaseError(f: PgliteFailure): Error {
  return Object.assign(new Error(f.message), f);
}

/**
 * The worker's entry: built beside the bundle that holds this module (scripts/build-node.mjs), or,
 * when the sources run (tests, tsx), the TypeScript file itself through tsx's loader.
 */
function startPgliteWorker(pglite: PgliteWorkerData): Worker {
  const built = new URL('./pglite-worker.mjs', import.meta.url);
  // The thread allocates little more than the rows it hands over: V8's default young generation
  // (up to 48 MB) only grows its resident heap. 8 MB measured ~15 MB less peak RSS in
  // `npm run bench:server -- --memory` (database thread heap 17/22 MB against 19/32-53 MB).
  const options = { workerData: { pglite }, resourceLimits: { maxYoungGenerationSizeMb: 8 } };
  if (existsSync(built)) return new Worker(built, options);
  const source = new URL('./pglite-worker.ts', import.meta.url).href;
  // tsx's ESM API by its package's own exports map (require.resolve would pick the CommonJS one).
  const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(tsxPackage, 'utf8'));
  const tsx = pathToFileURL(join(dirname(tsxPackage), exports['./esm/api'].import.default)).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(source)}); })`,
    { ...options, eval: true },
  );
}

async function openPostgres(url: string, max: number): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'siteshift-server' });
  // An idle client losing its connection must not crash the server; the pool replaces it.
  pool.on('error', () => {});
  const probe = await pool.connect().catch((err: Error) => {
    throw new Error(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${err.message}`);
  });
  probe.release();
  // LISTEN needs a session of its own: a pooled connection goes back to the pool between queries.
  let listener: {
    channels: string[];
    fn: (c: string, p: string) => void;
    onState: (up: boolean) => void;
  } | null = null;
  let listenClient: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  let closing = false;
  async function connectListener(): Promise<void> {
    if (!listener || closing) return;
    const l = listener;
    const client = new pg.Client({ connectionString: url, application_name: LISTEN_APPLICATION_NAME });
    listenClient = client;
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      l.onState(false);
      client.end().catch(() => {});
      if (!closing) {
        retry = setTimeout(() => void connectListener(), 1000);
        retry.unref();
      }
    };
    client.on('error', onLost);
    client.on('end', onLost);
    client.on('notification', (n) => l.fn(n.channel, n.payload ?? ''));
    try {
      await client.connect();
      for (const c of l.channels) await client.query(`LISTEN ${pg.escapeIdentifier(c)}`);
      if (!lost) l.onState(true);
    } catch {
      onLost();
    }
  }

  return {
    kind: 'postgres',
    async query<T>(sql: string, params?: unknown[]) {
      return (await pool.query(sql, params)).rows as T[];
    },
    async tx<T>(fn: (q: Queryable) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          async query<R>(sql: string, params?: unknown[]) {
            return (await client.query(sql, params)).rows as R[];
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    listen(channels, fn, onState) {
      listener = { channels, fn, onState };
      void connectListener();
    },
    async close() {
      closing = true;
      if (retry) clearTimeout(retry);
      await listenClient?.end().catch(() => {});
      await pool.end();
    },
  };
}

/** Connection strings may carry a password: never print it. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable database URL)';
  }
}
