#!/usr/bin/env node
// Runs the esbuild bundle of the CLI (dist/cli/siteshift.mjs, built on install by `prepare`): it
// starts several times faster than the sources through tsx. In a development checkout where a
// source is newer than the bundle (or there is no bundle), it runs the sources through tsx, so
// that an edit is never hidden behind a stale bundle. The check reads only file times.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}dist/cli/siteshift.mjs`;
const sourceDirs = ['cli', 'core', 'server', 'shared'];

function newerThan(dir, time) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const e of entries) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory() ? newerThan(path, time) : statSync(path).mtimeMs > time) return true;
  }
  return false;
}

function bundleIsCurrent() {
  if (!existsSync(bundle)) return false;
  const built = statSync(bundle).mtimeMs;
  return !sourceDirs.some((d) => newerThan(`${root}${d}`, built));
}

if (bundleIsCurrent()) await import(bundle);
else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../cli/main.ts');
  process.exitCode = await main(process.argv);
}
