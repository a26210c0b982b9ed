// Child process of test/integration/atomic-write.test.ts: rewrites one file as fast as it can
// until it is killed. `raw` alternates two large contents; `settings` flips the theme through the
// settings store; `connections` keeps adding saved connections.

import { writeFileDurably } from '../../core/console/atomic-file';
import { ConnectionStore } from '../../core/console/connection-store';
import { SettingsStore } from '../../core/console/settings';
import { KeyFileVault } from '../../core/console/vault';

const [mode, path, keyPath] = process.argv.slice(2);
if (!mode || !path) throw new Error('usage: write-loop.ts raw|settings|connections FILE [KEY]');

let round = 0;
const announce = () => {
  // The parent kills only after at least one whole write, so "old" always exists.
  if (round++ === 1) process.stdout.write('writing\n');
};

if (mode === 'raw') {
  const versions = ['A', 'B'].map((c) => c.repeat(4 * 1024 * 1024));
  for (;;) {
    await writeFileDurably(path, versions[round % 2]!);
    announce();
  }
} else if (mode === 'settings') {
  const store = new SettingsStore(path);
  for (;;) {
    await store.update({ theme: round % 2 ? 'dark' : 'light', updates: { enabled: round % 3 === 0 } });
    announce();
  }
} else {
  const store = new ConnectionStore(path, new KeyFileVault(keyPath!));
  for (;;) {
    await store.add({
      name: `vCenter ${process.pid}-${round} ${'x'.repeat(60)}`,
      site: 'primary',
      target: { kind: 'vsphere', url: 'https://vcsa.example/sdk', username: 'administrator@vsphere.local' },
      secrets: { password: 'Correct-Horse-Battery-Staple!' },
      trust: { kind: 'thumbprint', thumbprint: 'ab'.repeat(32) },
    });
    announce();
  }
}
