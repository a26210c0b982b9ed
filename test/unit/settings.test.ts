import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionStore } from '../../core/console/connection-store';
import { SettingsStore } from '../../core/console/settings';
import {
  KeyFileVault,
  MemoryVault,
  type SecretStorageKind,
  SecretVaultRouter,
} from '../../core/console/vault';
import { createDispatcher } from '../../shared/dispatch';
import { toErrorPayload } from '../../shared/errors';
import { defaultSettings } from '../../shared/schemas/settings';
import { tempBackend } from '../support/backend';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'siteshift-settings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('settings store', () => {
  it('starts from the defaults, merges changes and writes a private file', async () => {
    const path = join(dir, 'settings.json');
    const store = new SettingsStore(path);
    expect(await store.get()).toEqual(defaultSettings);
    expect(defaultSettings.updates.enabled).toBe(false);
    await store.update({ updates: { channel: 'beta' } });
    const after = await store.update({ theme: 'dark', language: 'nl', updates: { enabled: true } });
    expect(after).toEqual({
      theme: 'dark',
      language: 'nl',
      updates: { enabled: true, channel: 'beta' },
      secretFallback: 'memory',
      export: { signingKeyPath: null, trustedKeys: [] },
    });
    expect(await new SettingsStore(path).get()).toEqual(after);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('reads a settings file written before exports were signed, with no signing key, no trusted key and no language', async () => {
    const path = join(dir, 'settings.json');
    await writeFile(
      path,
      JSON.stringify({
        version: 1,
        settings: { theme: 'dark', updates: { enabled: false, channel: 'stable' }, secretFallback: 'memory' },
      }),
    );
    const read = await new SettingsStore(path).get();
    expect(read.export).toEqual({ signingKeyPath: null, trustedKeys: [] });
    // Nor a language: the console follows the system's.
    expect(read.language).toBe('system');
  });

  it('keeps the signing key by path and the trusted keys, and leaves the one alone when the other changes', async () => {
    const path = join(dir, 'settings.json');
    const store = new SettingsStore(path);
    const key = { name: 'DR team', fingerprint: `SHA256:${'A'.repeat(43)}` };
    await store.update({ export: { signingKeyPath: '/keys/export.pem' } });
    const after = await store.update({ export: { trustedKeys: [key] } });
    expect(after.export).toEqual({ signingKeyPath: '/keys/export.pem', trustedKeys: [key] });
    expect((await store.update({ export: { signingKeyPath: null } })).export.trustedKeys).toEqual([key]);
  });

  it('reports a damaged file instead of silently resetting it', async () => {
    const path = join(dir, 'settings.json');
    await writeFile(path, '{"version":1,"settings":{"theme":"pink"');
    await expect(new SettingsStore(path).get()).rejects.toThrow(
      /not a Siteshift settings file; move it away/,
    );
    expect(await readFile(path, 'utf8')).toContain('pink');
  });

  it('is served by the contract, refuses unknown keys and tells every window', async () => {
    const { backend, dispose } = await tempBackend();
    try {
      const dispatch = createDispatcher(backend.handlers);
      const heard: unknown[] = [];
      backend.onEvent((name, payload) => {
        if (name === 'settings:changed') heard.push(payload);
      });
      const state = (await dispatch('settings:update', { theme: 'light' })) as {
        settings: { theme: string };
      };
      expect(state.settings.theme).toBe('light');
      expect(heard).toEqual([state]);
      await expect(
        dispatch('settings:update', { theme: 'light', updateUrl: 'https://x' }),
      ).rejects.toMatchObject({
        code: 'invalid-input',
      });
      expect(await dispatch('settings:get', {})).toMatchObject({ settings: { theme: 'light' } });
    } finally {
      await dispose();
    }
  });
});

describe('secret vaults without an OS keychain', () => {
  const input = {
    name: 'ESXi 7',
    site: 'primary' as const,
    target: { kind: 'vsphere' as const, url: 'https://esx.example/sdk', username: 'root' },
    secrets: { password: 'Memory-Only-Secret-42' },
    trust: { kind: 'thumbprint' as const, thumbprint: 'cd'.repeat(32) },
  };

  it('keeps secrets in memory only by default: nothing on disk, gone after a restart with a clear error', async () => {
    let choice: SecretStorageKind = 'memory';
    const vaults = () => ({
      osKeychain: null,
      keyFile: new KeyFileVault(join(dir, 'vault.key')),
      memory: new MemoryVault(),
    });
    const router = new SecretVaultRouter(vaults(), () => choice);
    const store = new ConnectionStore(join(dir, 'connections.json'), router);
    const saved = await store.add(input);
    expect(await store.secrets(saved.id)).toEqual(input.secrets);
    const onDisk = await readFile(join(dir, 'connections.json'), 'utf8');
    expect(onDisk).not.toContain('Memory-Only-Secret-42');
    await expect(stat(join(dir, 'vault.key'))).rejects.toThrow();

    // A second process (a restart) cannot open it, and says what to do.
    const restarted = new ConnectionStore(
      join(dir, 'connections.json'),
      new SecretVaultRouter(vaults(), () => choice),
    );
    const err = await restarted.secrets(saved.id).catch((e: unknown) => e);
    expect(toErrorPayload(err)).toMatchObject({ code: 'secret-unavailable' });
    expect((err as Error).message).toMatch(/memory only.*add it again, or choose the key-file fallback/);

    // Choosing the key file seals new secrets with it; the memory-sealed one stays as it was.
    choice = 'key-file';
    const second = await restarted.add({ ...input, name: 'ESXi 8' });
    expect((await stat(join(dir, 'vault.key'))).mode & 0o777).toBe(0o600);
    const again = new ConnectionStore(
      join(dir, 'connections.json'),
      new SecretVaultRouter(vaults(), () => 'memory'),
    );
    expect(await again.secrets(second.id)).toEqual(input.secrets);
  });

  it('a key-file secret whose key is gone is reported, not replaced by a new key', async () => {
    const sealed = await new KeyFileVault(join(dir, 'a.key')).encrypt('x');
    const err = await new KeyFileVault(join(dir, 'missing.key')).decrypt(sealed).catch((e: unknown) => e);
    expect(toErrorPayload(err)).toMatchObject({ code: 'secret-unavailable' });
    await expect(stat(join(dir, 'missing.key'))).rejects.toThrow();
  });
});
