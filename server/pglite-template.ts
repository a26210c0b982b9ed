import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';

/**
 * A new PGlite data folder costs about 700 MB and 15-25 s at its first open: PGlite runs initdb in
 * a second PostgreSQL WebAssembly instance beside the first (plus a copy of its whole memory) and
 * copies the result over. The build does that once per PGlite version in a process of its own
 * (scripts/pglite-template.mjs) and keeps the database it made as a tarball; a server whose data
 * folder holds no database yet unpacks that instead and opens it the way a restart would.
 * Without the tarball (a checkout that was never built), or with one made by another PGlite
 * version, PGlite creates the database itself as before.
 */

export const TEMPLATE_DIR = join('dist', 'pglite');
export const TEMPLATE_FILE = 'pgdata.tar.gz';
/** Beside the tarball: which PGlite made it (`{"pglite": "0.5.16"}`). */
export const TEMPLATE_INFO = 'pgdata.json';

export function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  // The package's exports map does not list its package.json; its entry point sits in dist/.
  const pkg = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

/**
 * The project root: the nearest folder above this module with a package.json (the checkout when
 * run from source or from dist/cli, app.asar in the packaged app).
 */
function projectRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

/** The template tarball for the installed PGlite, or null when there is none (or a stale one). */
export function findTemplate(root = projectRoot()): string | null {
  if (!root) return null;
  const dir = join(root, TEMPLATE_DIR);
  try {
    const info = JSON.parse(readFileSync(join(dir, TEMPLATE_INFO), 'utf8')) as { pglite?: unknown };
    if (info.pglite !== pgliteVersion()) return null;
  } catch {
    return null;
  }
  const file = join(dir, TEMPLATE_FILE);
  return existsSync(file) ? file : null;
}

/**
 * Makes `pgdata` a database unpacked from the template, if it holds none yet and a template exists.
 * Unpacked beside it and renamed into place, so a crash halfway leaves no half database that a
 * later start would take for a real one. Returns whether it did.
 */
export async function createFromTemplate(pgdata: string, template = findTemplate()): Promise<boolean> {
  if (!template) return false;
  if (existsSync(join(pgdata, 'PG_VERSION'))) return false;
  if (existsSync(pgdata)) {
    // An empty folder (made by hand, or left by an earlier attempt) is replaced; anything else is
    // left for PGlite to judge.
    if ((await readdir(pgdata)).length > 0) return false;
    await rmdir(pgdata);
  }
  const partial = `${pgdata}.partial-${randomBytes(4).toString('hex')}`;
  try {
    await extractTarGz(template, partial);
    await rename(partial, pgdata);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  return true;
}

/**
 * Unpacks a gzipped tar (the ustar subset PGlite's dumpDataDir writes: folders and plain files)
 * as a stream, so that memory holds one 64 KB chunk at a time, never the 40 MB database.
 * Entries that would land outside `dest` or are of another kind are refused.
 */
export async function extractTarGz(file: string, dest: string): Promise<void> {
  await mkdir(dest, { recursive: true, mode: 0o700 });
  let pending: Buffer = Buffer.alloc(0);
  /** The file being written and the bytes of it still to come. */
  let current: { handle: Awaited<ReturnType<typeof open>> | null; left: number; pad: number } | null = null;
  let ended = false;
  const target = (name: string): string | null => {
    const rel = normalize(name.replace(/^\/+/, ''));
    if (rel === '.' || rel === '') return null;
    if (rel.split(sep).includes('..') || rel.startsWith(sep))
      throw new Error(`the database template holds an entry outside its folder: ${name}`);
    return join(dest, rel);
  };
  try {
    for await (const chunk of createReadStream(file).pipe(createGunzip())) {
      pending = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
      for (;;) {
        if (current) {
          if (current.left > 0) {
            const n = Math.min(current.left, pending.length);
            if (n === 0) break;
            for (let at = 0; current.handle && at < n; )
              at += (await current.handle.write(pending, at, n - at)).bytesWritten;
            current.left -= n;
            pending = pending.subarray(n);
            if (current.left > 0) break;
          }
          if (pending.length < current.pad) break;
          pending = pending.subarray(current.pad);
          await current.handle?.close();
          current = null;
        }
        if (ended || pending.length < 512) break;
        const header = pending.subarray(0, 512);
        pending = pending.subarray(512);
        if (header.every((b) => b === 0)) {
          ended = true;
          break;
        }
        const field = (from: number, len: number) =>
          header.toString('utf8', from, from + len).replace(/\0.*$/s, '');
        // The header checksum: the sum of its bytes with the checksum field read as spaces.
        let sum = 0;
        for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
        if (Number.parseInt(field(148, 8).trim(), 8) !== sum)
          throw new Error(`the database template ${file} is damaged (a header checksum does not match)`);
        const prefix = field(345, 155);
        const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
        const size = Number.parseInt(field(124, 12).trim() || '0', 8);
        const type = String.fromCharCode(header[156]!);
        const path = target(name);
        if (type === '5') {
          if (path) await mkdir(path, { recursive: true, mode: 0o700 });
          continue;
        }
        if (type !== '0' && type !== '\0')
          throw new Error(`the database template holds an entry of an unexpected kind (${type}): ${name}`);
        // The lock file of the process that made the template: no process of this server.
        const skip = path === null || name.replace(/^\/+/, '') === 'postmaster.pid';
        let handle = null;
        if (!skip) {
          await mkdir(dirname(path), { recursive: true, mode: 0o700 });
          handle = await open(path, 'wx', 0o600);
        }
        current = { handle, left: size, pad: (512 - (size % 512)) % 512 };
      }
    }
    if (current || !ended) throw new Error(`the database template ${file} is cut short`);
  } finally {
    await current?.handle?.close();
  }
}
