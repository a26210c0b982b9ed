import { existsSync } from 'node:fs';
import { build } from 'vite';

/** Browser tests need the built renderer; `npm test` builds it first, a lone run builds it here. */
export async function ensureRendererBuilt(): Promise<string> {
  const dir = 'dist/renderer';
  if (!existsSync(`${dir}/index.html`)) await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
  return dir;
}
