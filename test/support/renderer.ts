import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

/** What the renderer bundle is built from (renderer/ imports shared/ only). */
const SOURCES = ['renderer', 'shared', 'vite.config.ts', 'package.json'];

/** The newest modification time under a file or folder. */
function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let time = stat.mtimeMs;
  for (const entry of readdirSync(path)) time = Math.max(time, newest(join(path, entry)));
  return time;
}

/**
 * Browser tests need the built renderer; `npm test` builds it first, a lone run builds it here,
 * and so does a run after an edit: a bundle older than a source would test the code before it.
 */
export async function ensureRendererBuilt(): Promise<string> {
  const dir = 'dist/renderer';
  const index = `${dir}/index.html`;
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (SOURCES.some((s) => existsSync(s) && newest(s) > built)) await buildRenderer();
  return dir;
}

/** Builds the renderer as it ships (vite build, React's production build). */
export async function buildRenderer(): Promise<void> {
  // Vitest sets NODE_ENV=test and Vite keeps a NODE_ENV it finds: React would be bundled in its
  // development build, several times slower, and the tests would not run what ships.
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
  } finally {
    if (env === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = env;
  }
}
