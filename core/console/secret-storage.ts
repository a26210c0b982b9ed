import { join } from 'node:path';
import type { SecretFallback, Settings, SettingsState } from '../../shared/schemas/settings';
import { KeyFileVault, MemoryVault, type SecretVault, SecretVaultRouter } from './vault';

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
  /** Why there is no keychain, in one sentence for the operator. */
  noKeychainReason: string;
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
      if (options.osKeychain) {
        return {
          storage: 'os-keychain',
          keychainAvailable: true,
          note: "Secrets are sealed by the operating system's keychain.",
        };
      }
      return settings.secretFallback === 'key-file'
        ? {
            storage: 'key-file',
            keychainAvailable: false,
            note: `${options.noKeychainReason} As you chose, secrets are sealed with the key file ${keyPath} (readable only by you); anyone who can read your files can read that key.`,
          }
        : {
            storage: 'memory',
            keychainAvailable: false,
            note: `${options.noKeychainReason} Secrets are kept in memory only and forgotten when Siteshift quits; choose the key file to keep them sealed on disk.`,
          };
    },
  };
}
