import { createRequire } from 'node:module';

// Read at run time so the CLI, the web host and the shell report the same version as package.json.
const require = createRequire(import.meta.url);
export const appVersion: string = (require('../package.json') as { version: string }).version;
