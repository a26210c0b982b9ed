import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createFromTemplate } from './pglite-template';

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

export function pgliteStartParams(): string[] {
  return [
    ...PGlite.defaultStartParams,
    ...Object.entries(PGLITE_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ];
}

/**
 * V8 compiles PGlite's 9 MB WebAssembly module twice by default: Liftoff (a quick baseline) at
 * start, then TurboFan in background threads for the functions that turn hot. The second
 * compiler's memory stays with the process (malloc arenas of its threads, ~40-70 MB measured by
 * `npm run bench:server -- --memory`), and on two shared cores its threads compete with the
 * queries themselves. Liftoff alone keeps the server's memory flat and its latency no worse there.
 * The flag is read when a module is compiled, so it must be set before the first PGlite starts;
 * it applies to the whole process, which runs no other WebAssembly of note.
 */
let wasmFlagsSet = false;
function selectBaselineWasmCompiler(): void {
  if (wasmFlagsSet) return;
  wasmFlagsSet = true;
  setFlagsFromString('--liftoff-only');
}

async function openPglite(dataDir: string | undefined): Promise<Db> {
  selectBaselineWasmCompiler();
  if (dataDir) await createFromTemplate(dataDir);
  const db = new PGlite({ dataDir, startParams: pgliteStartParams() });
  await db.waitReady;
  return {
    kind: 'pglite',
    wasmMemoryBytes: () => db.Module.HEAPU8.byteLength,
    async query<T>(sql: string, params?: unknown[]) {
      return (await db.query<T>(sql, params as unknown[] | undefined)).rows;
    },
    tx<T>(fn: (q: Queryable) => Promise<T>) {
      return db.transaction((t) =>
        fn({
          async query<R>(sql: string, params?: unknown[]) {
            return (await t.query<R>(sql, params as unknown[] | undefined)).rows;
          },
        }),
      );
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    async close() {
      await db.close();
    },
  };
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
