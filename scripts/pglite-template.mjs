// Creates dist/pglite/pgdata.tar.gz, the database a new PGlite data folder starts from (see
// server/pglite-template.ts): PGlite's own initdb, run here once per PGlite version instead of in
// every server's first start, where it costs ~700 MB. Run by scripts/build-node.mjs; skips the
// work when the tarball for the installed PGlite is already there.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const require = createRequire(import.meta.url);
const version = JSON.parse(
  readFileSync(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8'),
).version;
const dir = join('dist', 'pglite');
const file = join(dir, 'pgdata.tar.gz');
const infoFile = join(dir, 'pgdata.json');
const current = (() => {
  try {
    return JSON.parse(readFileSync(infoFile, 'utf8')).pglite === version && existsSync(file);
  } catch {
    return false;
  }
})();
if (!current || process.argv.includes('--force')) {
  const started = Date.now();
  const db = await PGlite.create();
  // Everything in the data files, not only in the WAL: the template opens without recovery.
  await db.exec('CHECKPOINT');
  const dump = await db.dumpDataDir('gzip');
  await db.close();
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${file}.tmp`, Buffer.from(await dump.arrayBuffer()));
  renameSync(`${file}.tmp`, file);
  writeFileSync(infoFile, `${JSON.stringify({ pglite: version })}\n`);
  process.stderr.write(
    `pglite-template: ${file} for PGlite ${version} (${Math.round(dump.size / 1024)} KB) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
