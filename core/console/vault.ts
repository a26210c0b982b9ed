import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Encrypts connection secrets before they touch the disk. The desktop shell uses Electron's
 * safeStorage (OS keychain, see electron/vault.ts); the web host and the CLI use a key file
 * readable only by the user (0600), kept apart from the connection list.
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

  constructor(private readonly keyPath: string) {}

  private async loadKey(): Promise<Buffer> {
    if (this.key) return this.key;
    try {
      const raw = await readFile(this.keyPath);
      if (raw.length !== 32) throw new Error(`vault key ${this.keyPath} is damaged (expected 32 bytes)`);
      this.key = raw;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await mkdir(dirname(this.keyPath), { recursive: true, mode: 0o700 });
      const fresh = randomBytes(32);
      await writeFile(this.keyPath, fresh, { mode: 0o600, flag: 'wx' });
      await chmod(this.keyPath, 0o600);
      this.key = fresh;
    }
    return this.key;
  }

  async encrypt(plain: string): Promise<string> {
    const key = await this.loadKey();
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
      throw new Error('stored secret has an unknown format');
    const decipher = createDecipheriv('aes-256-gcm', await this.loadKey(), Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }
}
