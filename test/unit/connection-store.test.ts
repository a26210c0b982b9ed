import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionStore } from '../../core/console/connection-store';
import { KeyFileVault } from '../../core/console/vault';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'siteshift-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const input = {
  name: 'vCenter Amsterdam',
  site: 'primary' as const,
  target: {
    kind: 'vsphere' as const,
    url: 'https://vcsa.example/sdk',
    username: 'administrator@vsphere.local',
  },
  secrets: { password: 'Correct-Horse-Battery-Staple!' },
  trust: { kind: 'thumbprint' as const, thumbprint: 'AB'.repeat(32) },
};

describe('connection store', () => {
  it('never writes a secret in plain text, and gives it back through the vault', async () => {
    const vault = new KeyFileVault(join(dir, 'vault.key'));
    const store = new ConnectionStore(join(dir, 'connections.json'), vault);
    const saved = await store.add(input);
    expect(saved).toMatchObject({ name: 'vCenter Amsterdam', hasSecret: true, lab: false });
    expect(JSON.stringify(saved)).not.toContain('Correct-Horse');
    const onDisk = await readFile(join(dir, 'connections.json'), 'utf8');
    expect(onDisk).not.toContain('Correct-Horse');
    expect(onDisk).toContain('ab:ab:ab');
    expect((await stat(join(dir, 'vault.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'connections.json'))).mode & 0o777).toBe(0o600);

    const reopened = new ConnectionStore(
      join(dir, 'connections.json'),
      new KeyFileVault(join(dir, 'vault.key')),
    );
    expect(await reopened.secrets(saved.id)).toEqual({ password: 'Correct-Horse-Battery-Staple!' });
  });

  it('cannot read secrets with another key', async () => {
    const store = new ConnectionStore(
      join(dir, 'connections.json'),
      new KeyFileVault(join(dir, 'vault.key')),
    );
    const saved = await store.add(input);
    const other = new ConnectionStore(
      join(dir, 'connections.json'),
      new KeyFileVault(join(dir, 'other.key')),
    );
    await expect(other.secrets(saved.id)).rejects.toThrow();
  });

  it('refuses a duplicate name and removes by id', async () => {
    const store = new ConnectionStore(
      join(dir, 'connections.json'),
      new KeyFileVault(join(dir, 'vault.key')),
    );
    const saved = await store.add(input);
    await expect(store.add({ ...input, name: 'VCENTER amsterdam' })).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(await store.remove(saved.id)).toBe(true);
    expect(await store.remove(saved.id)).toBe(false);
    expect(await store.list()).toEqual([]);
  });

  it('reports a damaged connection file instead of silently starting empty', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'connections.json'), '{"hello": 1}');
    const store = new ConnectionStore(
      join(dir, 'connections.json'),
      new KeyFileVault(join(dir, 'vault.key')),
    );
    await expect(store.list()).rejects.toThrow(/not a Siteshift connection file/);
  });
});
