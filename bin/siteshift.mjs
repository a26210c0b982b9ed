#!/usr/bin/env node
// Runs the esbuild bundle of the CLI (dist/cli/siteshift.mjs, built on install by `prepare`): it
// starts several times faster than the sources through tsx. In a development checkout where a
// file the bundle was built from (dist/cli/sources.json, written by the build) is newer than the
// bundle, or there is no bundle, it runs the sources through tsx, so that an edit is never hidden
// behind a stale bundle. The check reads only file times.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}dist/cli/siteshift.mjs`;

function bundleIsCurrent() {
  let built;
  let sources;
  try {
    built = statSync(bundle).mtimeMs;
    sources = JSON.parse(readFileSync(`${root}dist/cli/sources.json`, 'utf8'));
  } catch {
    return false;
  }
  return sources.every((file) => {
    try {
      return statSync(`${root}${file}`).mtimeMs <= built;
    } catch {
      // A source that is gone was moved or deleted since the build: the bundle is stale.
      return false;
    }
  });
}

if (bundleIsCurrent()) await import(bundle);
else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../cli/main.ts');
  process.exitCode = await main(process.argv);
}
