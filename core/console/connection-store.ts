import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../shared/errors';
import { sayClient } from '../../shared/i18n/client-words';
import {
  type Connection,
  type ConnectionAddInput,
  connectionAddInputSchema,
  connectionSchema,
} from '../../shared/schemas/connection';
import type { ConnectionSecrets } from '../inventory/source';
import { writeFileDurably } from './atomic-file';
import type { SecretVault } from './vault';

const storedSchema = connectionSchema.omit({ hasSecret: true, lab: true }).extend({
  sealedSecrets: z.string().nullable(),
});
type Stored = z.infer<typeof storedSchema>;
const fileSchema = z.object({ version: z.literal(1), connections: z.array(storedSchema) });

/**
 * The saved connections: metadata in a JSON file, secrets sealed by the vault. Written durably
 * (temporary file, fsync, rename), so a crash never leaves half a file.
 */
export class ConnectionStore {
  private cache: Stored[] | undefined;

  constructor(
    private readonly path: string,
    private readonly vault: SecretVault,
  ) {}

  private async load(): Promise<Stored[]> {
    if (this.cache) return this.cache;
    try {
      const parsed = fileSchema.safeParse(JSON.parse(await readFile(this.path, 'utf8')));
      if (!parsed.success) {
        throw new ApiError('invalid-input', sayClient('client.connectionFile', { path: this.path }));
      }
      this.cache = parsed.data.connections;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.cache = [];
    }
    return this.cache;
  }

  private async save(list: Stored[]): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await writeFileDurably(this.path, `${JSON.stringify({ version: 1, connections: list }, null, 2)}\n`);
    this.cache = list;
  }

  async list(): Promise<Connection[]> {
    return (await this.load()).map(toPublic);
  }

  async get(id: string): Promise<Connection | undefined> {
    const found = (await this.load()).find((c) => c.id === id);
    return found && toPublic(found);
  }

  async secrets(id: string): Promise<ConnectionSecrets> {
    const found = (await this.load()).find((c) => c.id === id);
    if (!found?.sealedSecrets) return {};
    return JSON.parse(await this.vault.decrypt(found.sealedSecrets)) as ConnectionSecrets;
  }

  async add(input: ConnectionAddInput): Promise<Connection> {
    const parsed = connectionAddInputSchema.parse(input);
    const list = await this.load();
    if (list.some((c) => c.name.toLowerCase() === parsed.name.toLowerCase())) {
      throw new ApiError('conflict', sayClient('client.connectionExists', { name: parsed.name }));
    }
    const hasSecret = Object.values(parsed.secrets).some(Boolean);
    const stored: Stored = {
      id: randomUUID(),
      name: parsed.name,
      site: parsed.site,
      target: parsed.target,
      trust: parsed.trust,
      sealedSecrets: hasSecret ? await this.vault.encrypt(JSON.stringify(parsed.secrets)) : null,
    };
    await this.save([...list, stored]);
    return toPublic(stored);
  }

  async remove(id: string): Promise<boolean> {
    const list = await this.load();
    const next = list.filter((c) => c.id !== id);
    if (next.length === list.length) return false;
    await this.save(next);
    return true;
  }
}

function toPublic(c: Stored): Connection {
  const { sealedSecrets, ...rest } = c;
  return { ...rest, hasSecret: sealedSecrets !== null, lab: false };
}
