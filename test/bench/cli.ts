import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
let built: string | null = null;

/**
 * The CLI as an installed Siteshift runs it: the esbuild bundle, built now from the sources in
 * this checkout. bin/siteshift.mjs falls back to the sources through tsx when a source is newer
 * than the bundle (an edit since the last build), and tsx's loader thread and transform caches
 * add some 90 MB and seconds of start: a benchmark that went through it would measure the
 * development fallback, not the product.
 */
export function bundledCli(): string {
  if (built) return built;
  keepOperatorDataAside();
  process.stdout.write('building the CLI bundle (scripts/build-node.mjs --cli)…\n');
  execFileSync(process.execPath, [join(root, 'scripts', 'build-node.mjs'), '--cli'], {
    cwd: root,
    stdio: 'inherit',
  });
  built = join(root, 'dist', 'cli', 'siteshift.mjs');
  return built;
}

/**
 * The CLI keeps its log (and a console's settings) in the operator's data folder
 * (core/console/data-dir.ts): the processes a benchmark starts get a temporary one instead,
 * through the environment they inherit, removed when the benchmark ends.
 */
function keepOperatorDataAside(): void {
  if (process.env.SITESHIFT_DATA_DIR) return;
  const dir = mkdtempSync(join(tmpdir(), 'siteshift-bench-data-'));
  process.env.SITESHIFT_DATA_DIR = dir;
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
}
