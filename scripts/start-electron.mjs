// `npm start`: opens the desktop console, or says in one sentence what to do when Electron's
// binary is not installed (machines without network install with ELECTRON_SKIP_BINARY_DOWNLOAD=1).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let binary = null;
try {
  binary = require('electron');
} catch {
  binary = null;
}
if (typeof binary !== 'string' || !existsSync(binary)) {
  process.stderr.write(
    "Siteshift: Electron's binary is not installed; run `npm install electron` on a machine with network access to get it, or use `npm run start:web`, which runs the same console in your browser without it.\n",
  );
  process.exit(1);
}
const child = spawn(binary, ['.'], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
