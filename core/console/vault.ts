import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ApiError } from '../../shared/errors';
import { sayClient } from '../../shared/i18n/client-words';
import type { Said } from '../../shared/i18n/worded';
import { rememberSecret } from '../log';

/**
 * Encrypts connection secrets before they touch the disk. The desktop shell uses Electron's
 * safeStorage (OS keychain, see electron/vault.ts). Where there is no keychain (Linux without a
 * keyring, the web host) secrets stay in memory only, unless the operator explicitly chose a key
 * file readable only by the user (0600), kept apart from the connection list.
 */
export interface SecretVault {
  readonly kind: string;
  encrypt(plain: string): Promise<string>;
  decrypt(sealed: string): Promise<string>;
}

const VERSION = 'v1';

export class KeyFileVault implements SecretVault {
  readonly kind = 'key-file';
  private key: Buffer | undefined;

  constructor(readonly keyPath: string) {}

  /** Only sealing creates the key: unsealing without one says the key is gone rather than minting another. */
  private async loadKey(create: boolean): Promise<Buffer> {
    if (this.key) return this.key;
    try {
      const raw = await readFile(this.keyPath);
      if (raw.length !== 32)
        throw new SecretUnavailableError(sayClient('client.vaultKeyDamaged', { path: this.keyPath }));
      this.key = raw;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      if (!create) {
        throw new SecretUnavailableError(sayClient('client.vaultKeyGone', { path: this.keyPath }));
      }
      await mkdir(dirname(this.keyPath), { recursive: true, mode: 0o700 });
      const fresh = randomBytes(32);
      await writeFile(this.keyPath, fresh, { mode: 0o600, flag: 'wx' });
      await chmod(this.keyPath, 0o600);
      this.key = fresh;
    }
    return this.key;
  }

  async encrypt(plain: string): Promise<string> {
    const key = await this.loadKey(true);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      VERSION,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      body.toString('base64'),
    ].join(':');
  }

  async decrypt(sealed: string): Promise<string> {
    const [version, iv, tag, body] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || body === undefined)
      throw new SecretUnavailableError(sayClient('client.vaultFormat'));
    const decipher = createDecipheriv('aes-256-gcm', await this.loadKey(false), Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }
}

/** A sealed secret that cannot be opened any more (memory-only after a restart, key file gone). */
export class SecretUnavailableError extends ApiError {
  constructor(message: Said) {
    super('secret-unavailable', message);
  }
}

/** Secrets kept in this process only: nothing reaches the disk, and a restart forgets them. */
export class MemoryVault implements SecretVault {
  readonly kind = 'memory';
  private readonly secrets = new Map<string, string>();

  async encrypt(plain: string): Promise<string> {
    const id = randomUUID();
    this.secrets.set(id, plain);
    return `mem:${id}`;
  }

  async decrypt(sealed: string): Promise<string> {
    const plain = this.secrets.get(sealed.slice('mem:'.length));
    if (plain === undefined) {
      throw new SecretUnavailableError(sayClient('client.vaultForgotten'));
    }
    return plain;
  }
}

export type SecretStorageKind = 'os-keychain' | 'key-file' | 'memory';

/**
 * Seals new secrets with the storage in force now (the OS keychain when there is one, otherwise
 * the operator's fallback choice) and opens each stored secret with the vault that sealed it,
 * told by its prefix, so that changing the choice never strands what was saved before.
 */
export class SecretVaultRouter implements SecretVault {
  constructor(
    private readonly vaults: { osKeychain: SecretVault | null; keyFile: SecretVault; memory: SecretVault },
    private readonly current: () => SecretStorageKind,
  ) {}

  get kind(): SecretStorageKind {
    return this.current();
  }

  private vault(kind: SecretStorageKind): SecretVault {
    if (kind === 'os-keychain') {
      if (!this.vaults.osKeychain) throw new SecretUnavailableError(sayClient('client.vaultNoKeychain'));
      return this.vaults.osKeychain;
    }
    return kind === 'key-file' ? this.vaults.keyFile : this.vaults.memory;
  }

  encrypt(plain: string): Promise<string> {
    rememberSecretValues(plain);
    return this.vault(this.current()).encrypt(plain);
  }

  async decrypt(sealed: string): Promise<string> {
    const kind: SecretStorageKind = sealed.startsWith('os:')
      ? 'os-keychain'
      : sealed.startsWith('mem:')
        ? 'memory'
        : 'key-file';
    const plain = await this.vault(kind).decrypt(sealed);
    rememberSecretValues(plain);
    return plain;
  }
}

/** Sealed payloads are JSON objects of secrets (password, token …): each value is remembered for the logs. */
function rememberSecretValues(plain: string): void {
  rememberSecret(plain);
  try {
    const parsed: unknown = JSON.parse(plain);
    if (parsed && typeof parsed === 'object') for (const v of Object.values(parsed)) rememberSecret(v);
  } catch {
    // not JSON: the whole value was remembered above
  }
}
