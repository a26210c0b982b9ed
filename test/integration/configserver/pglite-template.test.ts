import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigServerClient } from '../../../core/configserver';
import { createConfigServer } from '../../../server/app';
import { openDb } from '../../../server/db';
import { createFromTemplate, extractTarGz, findTemplate } from '../../../server/pglite-template';

const root = resolve(import.meta.dirname, '../../..');
let work: string;
let template: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'siteshift-template-'));
  // The build's tarball when it is current; otherwise the build script makes one here.
  const built = findTemplate(root);
  if (built) template = built;
  else {
    execFileSync(process.execPath, [join(root, 'scripts/pglite-template.mjs')], { cwd: work });
    template = findTemplate(work)!;
  }
  expect(template).toMatch(/pgdata\.tar\.gz$/);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** One ustar entry, written the way tar does (header checksum included). */
function tarEntry(name: string, body: Buffer, type = '0'): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000600\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write(type, 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  header.fill(32, 148, 156);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const pad = Buffer.alloc((512 - (body.length % 512)) % 512);
  return Buffer.concat([header, body, pad]);
}

function tarGz(entries: Buffer[], end = true): string {
  const file = join(work, `t-${Math.random().toString(36).slice(2)}.tar.gz`);
  writeFileSync(file, gzipSync(Buffer.concat([...entries, ...(end ? [Buffer.alloc(1024)] : [])])));
  return file;
}

describe('PGlite database template', () => {
  it('a new data folder is unpacked from the template and opens as a database', async () => {
    const pgdata = join(work, 'a', 'pgdata');
    mkdirSync(join(work, 'a'));
    expect(await createFromTemplate(pgdata, template)).toBe(true);
    expect(existsSync(join(pgdata, 'PG_VERSION'))).toBe(true);
    // The lock file of the process that made the template is not carried over.
    expect(existsSync(join(pgdata, 'postmaster.pid'))).toBe(false);
    // Nothing half-made is left beside it.
    expect(readdirSync(join(work, 'a'))).toEqual(['pgdata']);
    // A folder that already holds a database is left alone.
    expect(await createFromTemplate(pgdata, template)).toBe(false);
    const db = await openDb({ dataDir: pgdata });
    try {
      await db.exec('CREATE TABLE t (id int primary key, v text)');
      await db.query('INSERT INTO t VALUES (1, $1)', ['kept']);
      const [row] = await db.query<{ shared_buffers: string }>('SHOW shared_buffers');
      expect(row?.shared_buffers).toBe('16MB');
    } finally {
      await db.close();
    }
    const again = await openDb({ dataDir: pgdata });
    try {
      expect(await again.query('SELECT v FROM t')).toEqual([{ v: 'kept' }]);
    } finally {
      await again.close();
    }
  }, 120_000);

  it('a configuration server on a new data folder starts from it and serves', async () => {
    const dataDir = join(work, 'server');
    const server = await createConfigServer({ dataDir });
    try {
      const url = await server.listen({ port: 0, host: '127.0.0.1' });
      const client = new ConfigServerClient({ url, token: server.bootstrapToken! });
      await client.addSite('t-site', 'primary');
      expect((await client.listSites()).map((s) => s.name)).toContain('t-site');
      client.close();
    } finally {
      await server.close();
    }
    expect(existsSync(join(dataDir, 'pgdata', 'PG_VERSION'))).toBe(true);
  }, 120_000);

  it('refuses an entry that would land outside the folder', async () => {
    const file = tarGz([tarEntry('../escaped', Buffer.from('x'))]);
    await expect(extractTarGz(file, join(work, 'evil'))).rejects.toThrow(/outside its folder: \.\.\/escaped/);
    expect(existsSync(join(work, 'escaped'))).toBe(false);
  });

  it('refuses a link, a damaged header and a tarball cut short', async () => {
    await expect(
      extractTarGz(tarGz([tarEntry('link', Buffer.alloc(0), '2')]), join(work, 'l')),
    ).rejects.toThrow(/unexpected kind \(2\): link/);
    const damaged = tarEntry('f', Buffer.from('hello'));
    damaged[0] = 'g'.charCodeAt(0);
    await expect(extractTarGz(tarGz([damaged]), join(work, 'd'))).rejects.toThrow(/checksum does not match/);
    await expect(
      extractTarGz(tarGz([tarEntry('f', Buffer.from('hello'))], false), join(work, 'c')),
    ).rejects.toThrow(/cut short/);
  });

  it('unpacks folders and files of any size, across chunk boundaries', async () => {
    const big = Buffer.alloc(200_000, 7);
    const file = tarGz([
      tarEntry('/dir/', Buffer.alloc(0), '5'),
      tarEntry('/dir/big', big),
      tarEntry('/e', Buffer.alloc(0)),
    ]);
    const dest = join(work, 'ok');
    await extractTarGz(file, dest);
    expect(readdirSync(dest).sort()).toEqual(['dir', 'e']);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(dest, 'dir', 'big')).equals(big)).toBe(true);
  });
});
