import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rmdir, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * The configuration server's data folder holds the PGlite database and the credential key: it is
 * private to the account that runs the server (0700), and one server at a time opens it.
 */

/** Creates the folder 0700, or makes an existing one of ours private; refuses one owned by another account. */
export async function preparePrivateDataDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await stat(dir);
  if (!info.isDirectory()) throw new Error(`the data folder ${dir} is not a folder`);
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) {
    throw new Error(
      `the data folder ${dir} belongs to another account (uid ${info.uid}); run the server as that account or give a folder of your own with --data`,
    );
  }
  // mkdir's mode does not apply to a folder that already existed (and is masked by umask).
  if ((info.mode & 0o077) !== 0) await chmod(dir, 0o700);
  const pgdata = join(dir, 'pgdata');
  const pg = await stat(pgdata).catch(() => null);
  if (pg?.isDirectory() && (pg.mode & 0o077) !== 0) await chmod(pgdata, 0o700);
}

export interface DataDirLock {
  readonly path: string;
  release(): Promise<void>;
}

interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
  startedAt: string;
}

const LOCK_FILE = 'server.lock';

/**
 * An exclusive lock file (created with O_EXCL) naming the process that holds the folder. Written
 * here rather than taken from a lock library: the mtime-refresh libraries (proper-lockfile) make a
 * server restarted right after a crash wait for the stale period, while a process-id check lets it
 * take over a dead server's lock at once and still refuses a live one. A crashed holder is
 * recognised only on the same host: a folder shared over the network is not a supported setup.
 */
export async function lockDataDir(dir: string): Promise<DataDirLock> {
  const path = join(dir, LOCK_FILE);
  const mine: LockOwner = {
    pid: process.pid,
    host: hostname(),
    nonce: randomBytes(8).toString('hex'),
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await createExclusive(path, mine)) return held(path, mine);
    const owner = await readOwner(path);
    if (owner && isAlive(owner)) {
      throw new Error(
        `the data folder ${dir} is in use by another Siteshift server (process ${owner.pid} on ${owner.host}, started ${owner.startedAt}); stop it first. Two servers on one PGlite folder lose each other's writes.`,
      );
    }
    await takeOverStale(dir, path, owner);
  }
  throw new Error(
    `cannot lock the data folder ${dir}: another server is starting on it at the same time; try again`,
  );
}

async function createExclusive(path: string, owner: LockOwner): Promise<boolean> {
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(owner)}\n`);
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

async function readOwner(path: string): Promise<LockOwner | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return null;
    return {
      pid: parsed.pid,
      host: parsed.host,
      nonce: String(parsed.nonce ?? ''),
      startedAt: String(parsed.startedAt ?? 'at an unknown time'),
    };
  } catch {
    // Unreadable or half-written: treated as stale only if it stays so (see takeOverStale).
    return null;
  }
}

function isAlive(owner: LockOwner): boolean {
  // Another host's process cannot be checked from here: assume it runs.
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Two servers starting together after a crash must not both remove the stale lock and both
 * create their own: the takeover itself is serialised by a directory created exclusively, and the
 * lock is removed only if it is still the one found stale.
 */
async function takeOverStale(dir: string, path: string, seen: LockOwner | null): Promise<void> {
  const guard = join(dir, `${LOCK_FILE}.takeover`);
  try {
    await mkdir(guard);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new Error(
        `cannot lock the data folder ${dir}: another server is taking it over (or one crashed while doing so: remove ${guard} if no server runs)`,
      );
    }
    throw err;
  }
  try {
    const now = await readOwner(path);
    if (seen === null && now === null) {
      // A lock file no one can read: give a writer that is mid-write a moment, then decide.
      await new Promise((r) => setTimeout(r, 200));
      if ((await readOwner(path)) !== null) return;
    } else if (now?.nonce !== seen?.nonce) return;
    await unlink(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  } finally {
    await rmdir(guard).catch(() => {});
  }
}

function held(path: string, owner: LockOwner): DataDirLock {
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      // Remove only our own lock: never one a later server took over.
      if ((await readOwner(path))?.nonce === owner.nonce) await unlink(path).catch(() => {});
    },
  };
}
