import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleBackend, type ConsoleBackendOptions } from '../../core/console/backend';
import { KeyFileVault } from '../../core/console/vault';
import { startConsoleLabServer } from '../../server/lab/console';

/** A console backend on a fresh temporary data folder; `dispose` closes it and removes the folder. */
export async function tempBackend(options: Partial<ConsoleBackendOptions> = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'siteshift-test-'));
  const backend = new ConsoleBackend({
    dataDir,
    vault: new KeyFileVault(join(dataDir, 'vault.key')),
    host: 'test',
    connectors: {},
    // The lab configuration server (PGlite) takes seconds to start: only tests that need it ask.
    lab: { server: false },
    startLabServer: startConsoleLabServer,
    ...options,
  });
  return {
    backend,
    dataDir,
    async dispose() {
      await backend.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
