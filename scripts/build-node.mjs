// Bundles the Node-side entry points with esbuild: it is fast, needs no second tsconfig, and gives
// Electron the CommonJS main and sandboxed preload it loads. Vite builds the renderer separately.
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
};

const cli = async () => {
  // Chunk names carry a hash: without this, every build would leave the previous chunks behind.
  await rm('dist/cli', { recursive: true, force: true });
  const result = await build({
    ...common,
    entryPoints: { siteshift: 'cli/entry.ts' },
    outdir: 'dist/cli',
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    // Each command's dynamic imports become chunks loaded when that command runs, so a call
    // loads only what it uses (the exporter, the server, the database drivers are not loaded
    // for `siteshift --help` or a REST call).
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    packages: 'external',
    banner: { js: '#!/usr/bin/env node' },
    metafile: true,
  });
  // The project files the bundle was built from: bin/siteshift.mjs runs the sources instead when
  // one of them is newer than the bundle (package.json included: it carries the version).
  const sources = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/'));
  await pgliteWorker(result.metafile);
  await writeFile('dist/cli/sources.json', `${JSON.stringify([...sources, PGLITE_WORKER])}\n`);
};

/**
 * server/db.ts runs PGlite on a worker thread whose entry it looks for beside itself
 * (`new URL('./pglite-worker.mjs', import.meta.url)`): bundle that entry next to every output file
 * that holds server/db.ts.
 */
const PGLITE_WORKER = 'server/pglite-worker.ts';
const pgliteWorker = async (metafile) => {
  const dirs = Object.entries(metafile.outputs)
    .filter(([file, out]) => file.endsWith('js') && out.inputs['server/db.ts'])
    .map(([file]) => dirname(file));
  if (dirs.length === 0)
    throw new Error('build: no output holds server/db.ts; where does the PGlite worker go?');
  await Promise.all(
    [...new Set(dirs)].map((dir) =>
      build({
        ...common,
        entryPoints: [PGLITE_WORKER],
        outfile: join(dir, 'pglite-worker.mjs'),
        format: 'esm',
        packages: 'external',
      }),
    ),
  );
};

/** The database template a new PGlite data folder starts from (scripts/pglite-template.mjs). */
const pgliteTemplate = () =>
  new Promise((resolve, reject) => {
    // A process of its own: PGlite's initdb peaks near 700 MB, which this one need not keep.
    const child = spawn(process.execPath, ['scripts/pglite-template.mjs'], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`pglite-template exited ${code}`)),
    );
  });

// `--cli`: the CLI bundle alone (the `prepare` script, on every install).
if (process.argv.includes('--cli')) {
  await Promise.all([cli(), pgliteTemplate()]);
  process.exit(0);
}

await Promise.all([
  build({
    ...common,
    metafile: true,
    entryPoints: ['electron/main.ts'],
    outfile: 'dist/electron/main.cjs',
    format: 'cjs',
    // Electron's main is CommonJS: give import.meta.url its CJS meaning so that the PGlite worker
    // is found beside the bundle (built there by pgliteWorker).
    define: { 'import.meta.url': '__siteshiftModuleUrl' },
    banner: { js: "const __siteshiftModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    external: [
      'electron',
      'ssh2',
      'cpu-features',
      'pg-native',
      '@electric-sql/pglite',
      '@resvg/resvg-js',
      'pdfkit',
      // The one pdfkit uses (it parses the export fonts for both).
      'fontkit',
    ],
  }).then((result) => pgliteWorker(result.metafile)),
  build({
    ...common,
    entryPoints: ['electron/preload.ts'],
    outfile: 'dist/electron/preload.cjs',
    format: 'cjs',
    // A sandboxed preload may only require 'electron': everything else is bundled in.
    external: ['electron'],
  }),
  cli(),
  pgliteTemplate(),
]);
