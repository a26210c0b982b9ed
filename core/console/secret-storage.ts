import { join } from 'node:path';
import type { SecretFallback, Settings, SettingsState } from '../../shared/schemas/settings';
import type { SettingsHost } from './settings';
import { KeyFileVault, MemoryVault, type SecretVault, SecretVaultRouter } from './vault';

export type NoKeychainReason = NonNullable<SettingsState['secrets']['reason']>;

export interface SecretStorage {
  vault: SecretVaultRouter;
  /** Follows the operator's setting; call at start and whenever settings change. */
  apply(settings: Settings): void;
  describe(settings: Settings): SettingsState['secrets'];
}

/**
 * The host's secret storage: the OS keychain when it has one; otherwise memory only, unless the
 * operator explicitly chose the key-file fallback in Settings.
 */
export function createSecretStorage(options: {
  dataDir: string;
  osKeychain: SecretVault | null;
  /** Why there is no keychain; the console says it to the operator in their language. */
  noKeychainReason: NoKeychainReason;
}): SecretStorage {
  let fallback: SecretFallback = 'memory';
  const keyPath = join(options.dataDir, 'vault.key');
  const vault = new SecretVaultRouter(
    { osKeychain: options.osKeychain, keyFile: new KeyFileVault(keyPath), memory: new MemoryVault() },
    () => (options.osKeychain ? 'os-keychain' : fallback),
  );
  return {
    vault,
    apply(settings) {
      fallback = settings.secretFallback;
    },
    describe(settings) {
      if (options.osKeychain)
        return { storage: 'os-keychain', keychainAvailable: true, reason: null, keyFile: null };
      const keyFile = settings.secretFallback === 'key-file';
      return {
        storage: keyFile ? 'key-file' : 'memory',
        keychainAvailable: false,
        reason: options.noKeychainReason,
        keyFile: keyFile ? keyPath : null,
      };
    },
  };
}

/**
 * The browser console's secret storage and settings facts, for every host that serves it
 * (`siteshift web`, `siteshift lab --web`): no keychain, so the operator's fallback choice decides.
 * Call `follow` with the saved settings once the backend exists.
 */
export function webHostSettings(dataDir: string, logsDir: string) {
  const storage = createSecretStorage({
    dataDir,
    osKeychain: null,
    noKeychainReason: { kind: 'browser', backend: null },
  });
  const settingsHost: SettingsHost = {
    logsDir,
    secrets: storage.describe,
    updates: () => ({
      supported: false,
      url: null,
      status: { kind: 'package-manager' },
    }),
    applied: storage.apply,
  };
  return { vault: storage.vault, settingsHost, follow: storage.apply };
}
