import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the web host and the CLI keep the console's state; the desktop shell uses Electron's userData. */
export function defaultDataDir(): string {
  if (process.env.SITESHIFT_DATA_DIR) return process.env.SITESHIFT_DATA_DIR;
  const base = process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  return join(base, 'siteshift');
}
