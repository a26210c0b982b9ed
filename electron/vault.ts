import { safeStorage } from 'electron';
import type { SecretVault } from '../core/console/vault';

/**
 * Secrets sealed by the operating system's keychain (DPAPI, Keychain, libsecret). Where Linux has
 * no keyring Electron would fall back to a fixed key ('basic_text'); that is refused here and the
 * shell uses the key-file vault instead, which at least keeps the key out of the data it guards.
 */
export class SafeStorageVault implements SecretVault {
  readonly kind = 'os-keychain';

  static available(): boolean {
    if (!safeStorage.isEncryptionAvailable()) return false;
    const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
    return backend !== 'basic_text' && backend !== 'unknown';
  }

  async encrypt(plain: string): Promise<string> {
    return `os:${safeStorage.encryptString(plain).toString('base64')}`;
  }

  async decrypt(sealed: string): Promise<string> {
    if (!sealed.startsWith('os:')) throw new Error('stored secret was not sealed by the OS keychain');
    return safeStorage.decryptString(Buffer.from(sealed.slice(3), 'base64'));
  }
}
