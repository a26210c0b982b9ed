import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/main';
import {
  createHypervConnector,
  type HypervInventorySource,
  hypervConnector,
} from '../../../core/hyperv/connector';
import type { InventoryChange } from '../../../core/inventory/source';
import type { ApiError } from '../../../shared/errors';
import { connectionTestResultSchema } from '../../../shared/schemas/connection';
import { type HypervInventory, hypervInventorySchema } from '../../../shared/schemas/inventory';
import { type HypervDoublePair, startHypervDoublePair } from '../../hyperv-double';
import { waitFor } from './helpers';

describe('hypervConnector against the doubles', () => {
  let pair: HypervDoublePair;
  const target = () => ({
    kind: 'hyperv' as const,
    host: '127.0.0.1',
    port: pair.primary.port,
    username: pair.credentials.username,
  });
  const trust = () => ({ kind: 'host-key' as const, fingerprint: pair.primary.fingerprint });

  beforeAll(async () => {
    pair = await startHypervDoublePair({ timing: { initialReplicationMs: 100 } });
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it('test(): confirm-identity, then ok with the product, all valid against the contract', async () => {
    const first = await hypervConnector.test(target(), { password: pair.credentials.password }, undefined);
    expect(connectionTestResultSchema.parse(first).status).toBe('confirm-identity');
    const ok = await hypervConnector.test(target(), { password: pair.credentials.password }, trust());
    expect(connectionTestResultSchema.parse(ok)).toEqual({
      status: 'ok',
      identity: { kind: 'host-key', fingerprint: pair.primary.fingerprint, algorithm: 'ssh-ed25519' },
      product: 'Hyper-V on Microsoft Windows Server 2022 Datacenter (hv-primary.lab.local)',
      // A Dutch console words the sentence; the OS name and the host are values, as the host sent them.
      productWords: {
        key: 'client.product.hyperv',
        params: { os: 'Microsoft Windows Server 2022 Datacenter', host: 'hv-primary.lab.local' },
      },
    });
    const viaKey = await hypervConnector.test(target(), { privateKey: pair.credentials.privateKey }, trust());
    expect(viaKey.status).toBe('ok');
  });

  it('test(): wrong password, wrong kind of trust, no secret', async () => {
    const bad = await hypervConnector.test(target(), { password: 'wrong' }, trust()).catch((e: unknown) => e);
    expect((bad as ApiError).code).toBe('invalid-login');
    const thumb = await hypervConnector
      .test(
        target(),
        { password: pair.credentials.password },
        { kind: 'thumbprint', thumbprint: 'aa'.repeat(32) },
      )
      .catch((e: unknown) => e);
    expect((thumb as ApiError).code).toBe('invalid-input');
    expect((thumb as ApiError).message).toMatch(/SSH host key/);
    const none = await hypervConnector.test(target(), {}, trust()).catch((e: unknown) => e);
    expect((none as ApiError).code).toBe('invalid-input');
  });

  it('open(): the inventory document matches hypervInventorySchema, before and after replication', async () => {
    const source = (await hypervConnector.open(
      target(),
      { password: pair.credentials.password },
      trust(),
    )) as unknown as HypervInventorySource;
    const replicaSource = (await hypervConnector.open(
      { ...target(), port: pair.replica.port },
      { password: pair.credentials.password },
      { kind: 'host-key', fingerprint: pair.replica.fingerprint },
    )) as unknown as HypervInventorySource;
    try {
      expect(source.kind).toBe('hyperv');
      const doc = hypervInventorySchema.parse(await source.fetchInventory());
      expect(doc.source).toEqual({ kind: 'hyperv', host: '127.0.0.1', port: pair.primary.port });
      expect(doc.hosts).toEqual([
        {
          id: 'HV-PRIMARY',
          name: 'hv-primary.lab.local',
          os: 'Microsoft Windows Server 2022 Datacenter',
          cpuCores: 16,
          memoryBytes: 256 * 1024 ** 3,
          replicaServer: { enabled: true, port: 80, auth: 'Kerberos' },
        },
      ]);
      expect(doc.switches).toEqual([{ id: expect.any(String), name: 'LAN', kind: 'External' }]);
      expect(doc.vms.map((v) => v.name)).toEqual(['web01', 'db01', 'app01']);
      const db = doc.vms.find((v) => v.name === 'db01')!;
      expect(db).toMatchObject({
        state: 'Running',
        host: 'HV-PRIMARY',
        generation: 2,
        cpus: 4,
        memoryBytes: 16 * 1024 ** 3,
        replication: null,
      });
      expect(db.disks).toEqual([
        {
          path: 'C:\\VMs\\db01\\db01-os.vhdx',
          controllerType: 'SCSI',
          controllerNumber: 0,
          controllerLocation: 0,
          sizeBytes: 80 * 1024 ** 3,
        },
        {
          path: 'E:\\VMs\\db01\\db01-data.vhdx',
          controllerType: 'SCSI',
          controllerNumber: 0,
          controllerLocation: 1,
          sizeBytes: 500 * 1024 ** 3,
        },
      ]);
      expect(db.nics).toEqual([
        {
          name: 'Network Adapter',
          mac: expect.stringMatching(/^00:15:5D:/),
          switch: 'LAN',
          ipAddresses: ['10.0.0.21'],
        },
      ]);

      // The typed client rides on the same session.
      await source.client.enableReplication(
        { name: 'web01' },
        { replicaServer: pair.replica.fqdn, auth: 'Kerberos', frequencySec: 30 },
      );
      await source.client.startInitialReplication({ name: 'web01' });
      await waitFor(
        () => source.client.getReplication({ name: 'web01' }),
        (r) => r?.state === 'Replicating',
      );
      const after = hypervInventorySchema.parse(await source.fetchInventory());
      expect(after.vms.find((v) => v.name === 'web01')!.replication).toMatchObject({
        state: 'Replicating',
        health: 'Normal',
        mode: 'Primary',
        primaryServer: 'hv-primary.lab.local',
        replicaServer: 'hv-replica.lab.local',
        frequencySec: 30,
        lastReplicationTime: expect.stringMatching(/Z$/),
        pendingBytes: expect.any(Number),
      });
      const onReplica = hypervInventorySchema.parse(await replicaSource.fetchInventory());
      const replicaVm = onReplica.vms.find((v) => v.name === 'web01')!;
      expect(replicaVm.replication).toMatchObject({ mode: 'Replica', state: 'Replicating' });
      expect(replicaVm.state).toBe('Off');
      expect(replicaVm.disks[0]!.path).toMatch(/^D:\\Replica\\Hyper-V Replica\\Virtual hard disks\\/);
    } finally {
      await source.close();
      await replicaSource.close();
    }
  });

  it('watch(): polls and reports what changed, and stops cleanly', async () => {
    const connector = createHypervConnector({ pollIntervalMs: 150 });
    const source = (await connector.open(
      target(),
      { password: pair.credentials.password },
      trust(),
    )) as unknown as HypervInventorySource;
    const changes: InventoryChange<HypervInventory>[] = [];
    const errors: Error[] = [];
    try {
      await source.fetchInventory();
      const stop = source.watch(
        (c) => changes.push(c),
        (e) => errors.push(e),
      );
      // db01 runs and does not replicate: only its uptime moves, which is not a change.
      await new Promise((r) => setTimeout(r, 500));
      expect(
        changes.filter((c) => c.type === 'upsert' && (c.value as { name?: string }).name === 'db01'),
      ).toEqual([]);
      await source.client.startVM({ name: 'app01' });
      await waitFor(
        async () => changes,
        (cs) =>
          cs.some((c) => c.type === 'upsert' && c.id && (c.value as { name?: string }).name === 'app01'),
      );
      const upsert = changes.find(
        (c) => c.type === 'upsert' && (c.value as { name?: string }).name === 'app01',
      );
      expect(upsert).toMatchObject({ collection: 'vms', value: { state: 'Running' } });
      // A failed poll is reported and polling goes on.
      pair.primary.double.injectFault({ op: 'Get-SiteshiftInventory', kind: 'malformed-json', times: 2 });
      await waitFor(
        async () => errors,
        (e) => e.length >= 1,
      );
      expect((errors[0] as ApiError).code).toBe('protocol-error');
      await source.client.stopVM({ name: 'app01' }, { turnOff: true });
      await waitFor(
        async () => changes,
        (cs) => cs.some((c) => c.type === 'upsert' && (c.value as { state?: string }).state === 'Off'),
      );
      stop();
      const n = changes.length;
      await source.client.startVM({ name: 'app01' });
      await new Promise((r) => setTimeout(r, 400));
      expect(changes.length).toBe(n);
    } finally {
      await source.close();
    }
  });
});

describe('siteshift inventory hyperv', () => {
  let pair: HypervDoublePair;
  let dir: string;
  const cli = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          'bin/siteshift.mjs',
          'inventory',
          'hyperv',
          '--host',
          '127.0.0.1',
          '--port',
          String(pair.primary.port),
          '--username',
          pair.credentials.username,
          ...args,
        ],
        { env: { ...process.env, ...env }, timeout: 60_000 },
        (err, stdout, stderr) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    // Like Windows OpenSSH, the host has more than one key.
    pair = await startHypervDoublePair({ hostKeyTypes: ['ed25519', 'rsa'] });
    dir = await mkdtemp(join(tmpdir(), 'siteshift-hv-'));
  });
  afterAll(async () => {
    await pair?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints the inventory document as JSON with a pinned key and a password from the environment', async () => {
    const r = await cli(['--host-key', pair.primary.fingerprint, '--password-env', 'HV_TEST_PW', '--json'], {
      HV_TEST_PW: pair.credentials.password,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = hypervInventorySchema.parse(JSON.parse(r.stdout));
    expect(doc.vms).toHaveLength(3);
    expect(r.stdout).not.toContain(pair.credentials.password);
  });

  it('connects with the RSA fingerprint ssh-keygen -lf printed when told its type', async () => {
    const rsa = pair.primary.double.fingerprints['ssh-rsa']!;
    const env = { HV_TEST_PW: pair.credentials.password };
    const typed = await cli(
      ['--host-key', rsa, '--host-key-type', 'RSA', '--password-env', 'HV_TEST_PW'],
      env,
    );
    expect(typed.stderr).toBe('');
    expect(typed.code).toBe(0);
    expect(typed.stdout).toMatch(/web01\s+Running/);
    // Without the type the host shows its ED25519 key, and the message says what to do.
    const untyped = await cli(['--host-key', rsa, '--password-env', 'HV_TEST_PW'], env);
    expect(untyped.code).toBe(1);
    expect(untyped.stderr).toMatch(/its ssh-ed25519 key.*pin it with that type.*\(identity-changed\)/);
    const bad = await cli(['--host-key', rsa, '--host-key-type', 'DSA', '--password-env', 'HV_TEST_PW'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--host-key-type: "DSA" is not ED25519, RSA or ECDSA/);
  });

  it('trusts on first use with a key file and says which key it trusted', async () => {
    const keyFile = join(dir, 'id_ed25519');
    await writeFile(keyFile, pair.credentials.privateKey, { mode: 0o600 });
    const r = await cli(['--trust-on-first-use', '--identity', keyFile]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`presents the ssh-ed25519 host key ${pair.primary.fingerprint}`);
    expect(r.stdout).toMatch(/VM\s+STATE\s+CPUS/);
    expect(r.stdout).toMatch(/web01\s+Running/);
  });

  it('refuses a changed key, a wrong password and contradictory options with readable errors', async () => {
    const changed = await cli(['--host-key', pair.replica.fingerprint, '--password-env', 'HV_TEST_PW'], {
      HV_TEST_PW: pair.credentials.password,
    });
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(
      /^siteshift: The SSH host key of 127\.0\.0\.1:\d+ has changed.*\(identity-changed\)\n$/,
    );
    const wrong = await cli(['--host-key', pair.primary.fingerprint, '--password-env', 'HV_TEST_PW'], {
      HV_TEST_PW: 'nope',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/refused the credentials.*\(invalid-login\)/);
    // Usage errors need no host: run the program in-process.
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const base = [
        'node',
        'siteshift',
        'inventory',
        'hyperv',
        '--host',
        'h',
        '--username',
        'u',
        '--password-env',
        'HV_TEST_PW',
      ];
      process.env.HV_TEST_PW = 'x';
      expect(await main(base)).toBe(2);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(/exactly one of --host-key/);
      stderr.mockClear();
      expect(await main([...base, '--host-key', 'SHA256:abc'])).toBe(2);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(/43 base64 characters/);
      stderr.mockClear();
      expect(await main([...base, '--port', '70000', '--trust-on-first-use'])).not.toBe(0);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(
        /--port must be a number from 1 to 65535, not "70000"/,
      );
    } finally {
      stderr.mockRestore();
      delete process.env.HV_TEST_PW;
    }
  });
});
