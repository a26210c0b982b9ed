import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HypervClient } from '../../../core/hyperv/client';
import { HypervOperations } from '../../../core/hyperv/operations';
import { SshSession } from '../../../core/hyperv/ssh';
import { ApiError } from '../../../shared/errors';
import { saidIn } from '../../../shared/i18n/said-words';
import { errorWords } from '../../../shared/i18n/step-words';
import { type HypervDoublePair, PRIMARY_SEED, startHypervDoublePair } from '../../hyperv-double';
import { CERTIFICATE_REPLICA_SEED, clientOf, sessionTo, waitFor } from './helpers';

/**
 * The defects a line-by-line review against Microsoft's cmdlet documentation found (issue 12),
 * each held against the strict double: it answers through documented members only, writes what
 * the cmdlets really write and refuses what a host refuses.
 */

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

const THUMBPRINT = 'AB12'.repeat(10);

describe('Hyper-V connector defects 1–12 against the strict double', () => {
  let pair: HypervDoublePair;
  let ps: SshSession;
  let rs: SshSession;
  let primary: HypervClient;
  let replica: HypervClient;
  const sent = (ep: 'primary' | 'replica', op: string) => pair[ep].double.log.filter((e) => e.op === op);

  beforeAll(async () => {
    pair = await startHypervDoublePair({
      timing: { initialReplicationMs: 100 },
      primarySeed: {
        ...PRIMARY_SEED,
        vms: [
          ...PRIMARY_SEED.vms!,
          { name: 'nogis01', state: 'Running', shutdownService: 'absent', disks: [], nics: [] },
          { name: 'stale01', state: 'Running', shutdownService: 'no-contact', disks: [], nics: [] },
        ],
      },
      replicaSeed: CERTIFICATE_REPLICA_SEED,
      replicating: ['db01'],
    });
    ps = sessionTo(pair, pair.primary);
    rs = sessionTo(pair, pair.replica);
    primary = clientOf(ps);
    replica = clientOf(rs);
    await waitFor(
      () => replica.getReplication({ name: 'db01' }),
      (r) => r?.state === 'Replicating' && r.lastReplicationTime !== null,
    );
  });
  afterAll(async () => {
    await ps?.close();
    await rs?.close();
    await pair?.stop();
  });

  it('1: a test failover reads back as JSON although Start-VMFailover -AsTest writes the test VM', async () => {
    const r = await replica.startFailover({ name: 'db01' }, { mode: 'test' });
    expect(r).toMatchObject({ vmName: 'db01', mode: 'Replica', state: 'Replicating' });
    expect((await replica.getVMs()).map((v) => v.name)).toContain('db01 - Test');
    await replica.stopFailover({ name: 'db01' });
    // From a chosen recovery point too.
    const [point] = (await replica.getSnapshots({ name: 'db01' })).filter((s) => s.type !== 'Standard');
    await replica.startFailover({ name: 'db01' }, { mode: 'test', recoverySnapshot: { id: point!.id } });
    expect((await replica.getVMs()).map((v) => v.name)).toContain('db01 - Test');
    await replica.stopFailover({ name: 'db01' });
    expect((await replica.getVMs()).map((v) => v.name)).not.toContain('db01 - Test');
  });

  it('2: replication is read through its documented members (ReplicationState, PrimaryServerName …)', async () => {
    const r = await primary.getReplication({ name: 'db01' });
    expect(r).toMatchObject({
      state: 'Replicating',
      health: 'Normal',
      mode: 'Primary',
      primaryServer: pair.primary.fqdn,
      replicaServer: pair.replica.fqdn,
      replicaPort: 80,
      auth: 'Kerberos',
      frequencySec: 300,
    });
    const [stats] = await primary.measureReplication({ name: 'db01' });
    expect(stats).toMatchObject({ state: 'Replicating', health: 'Normal' });
    expect(pair.primary.double.log.every((e) => e.missingMembers.length === 0)).toBe(true);
  });

  it('3: a replica that extends replication onward is read by its Simple relationship only', async () => {
    pair.replica.model.extendReplication('db01', 'hv-dr.lab.local');
    try {
      const all = await replica.getReplications();
      expect(all.filter((r) => r.vmName === 'db01')).toHaveLength(1);
      expect(all.find((r) => r.vmName === 'db01')).toMatchObject({
        primaryServer: pair.primary.fqdn,
        replicaServer: pair.replica.fqdn,
      });
      const inv = await replica.getInventory();
      expect(inv.replication.filter((r) => r.vmName === 'db01')).toHaveLength(1);
      expect(inv.replication.find((r) => r.vmName === 'db01')?.replicaServer).toBe(pair.replica.fqdn);
      expect(inv.stats.filter((r) => r.vmName === 'db01')).toHaveLength(1);
    } finally {
      pair.replica.model.vmByName('db01')!.repl!.extended = undefined;
    }
  });

  it('4: a VSS snapshot frequency without recovery history is refused before anything is sent', async () => {
    const err = await failure(
      primary.enableReplication(
        { name: 'app01' },
        { replicaServer: pair.replica.fqdn, auth: 'Kerberos', vssFrequencyHours: 4, recoveryHistory: 0 },
      ),
    );
    expect(err.code).toBe('invalid-input');
    expect(err.message).toMatch(/recovery history/i);
    expect(sent('primary', 'Enable-VMReplication')).toHaveLength(0);
    expect(await primary.getReplication({ name: 'app01' })).toBeNull();
  });

  it('5: reversing certificate-authenticated replication needs the new primary certificate thumbprint', async () => {
    await primary.enableReplication(
      { name: 'app01' },
      { replicaServer: pair.replica.fqdn, auth: 'Certificate', certificateThumbprint: THUMBPRINT },
    );
    const explicit = await failure(primary.reverseReplication({ name: 'web01' }, { auth: 'Certificate' }));
    expect(explicit.code).toBe('invalid-input');
    expect(explicit.message).toMatch(/thumbprint/);
    // Without auth given, the current relationship's (certificate) counts.
    const implied = await failure(primary.reverseReplication({ name: 'app01' }));
    expect(implied.code).toBe('invalid-input');
    expect(implied.message).toMatch(/thumbprint/);
    expect(sent('primary', 'Set-VMReplication')).toHaveLength(0);
    await primary.removeReplication({ name: 'app01' });
    await replica.removeReplication({ name: 'app01' });
  });

  it('6: a graceful stop without the guest Shutdown service is refused, not turned into a power-off', async () => {
    for (const name of ['nogis01', 'stale01']) {
      const err = await failure(primary.stopVM({ name }));
      expect(err.message).toMatch(/Shutdown integration service/);
      expect((await primary.getVM({ name })).state).toBe('Running');
      expect(pair.primary.model.vmByName(name)!.lastStop).toBeUndefined();
    }
    // The workflows' shutdownGuest fails too: it never falls back to turning the VM off.
    const ops = new HypervOperations(primary);
    const id = (await primary.getVM({ name: 'nogis01' })).id;
    const viaOps = await failure(ops.shutdownGuest(id, { timeoutMs: 5000 }));
    expect(viaOps.code).toBe('conflict');
    expect(viaOps.message).toMatch(/did not shut down through its guest .*it was not turned off/);
    // A Dutch console reads it in Dutch, the host's own failure worded inside.
    expect(saidIn('nl', viaOps.message, errorWords(viaOps))).toMatch(
      /^nogis01 op .* is niet via het gastbesturingssysteem afgesloten \(.*\); de VM is niet uitgeschakeld\. Herstel/,
    );
    expect((await primary.getVM({ name: 'nogis01' })).state).toBe('Running');
    expect(pair.primary.model.vmByName('nogis01')!.lastStop).toBeUndefined();
    expect(
      sent('primary', 'Stop-VM').filter((e) => (e.params as { turnOff?: boolean }).turnOff),
    ).toHaveLength(0);
    // Turning off stays possible, on purpose.
    expect((await primary.stopVM({ name: 'nogis01' }, { turnOff: true })).state).toBe('Off');
    // A VM with the service shuts down through its guest.
    expect((await primary.stopVM({ name: 'web01' })).state).toBe('Off');
    expect(pair.primary.model.vmByName('web01')!.lastStop).toBe('shut-down');
    await primary.startVM({ name: 'web01' });
  });

  it('7: a replica server given as an IP address is refused (Kerberos and certificates need its name)', async () => {
    for (const replicaServer of ['10.0.0.5', '::1', '[fe80::1]']) {
      const err = await failure(
        primary.enableReplication({ name: 'web01' }, { replicaServer, auth: 'Kerberos' }),
      );
      expect(err.code).toBe('invalid-input');
      expect(err.message).toMatch(/IP address/);
    }
    const rev = await failure(primary.reverseReplication({ name: 'web01' }, { replicaServer: '10.0.0.5' }));
    expect(rev.code).toBe('invalid-input');
    expect(sent('primary', 'Enable-VMReplication')).toHaveLength(1);
  });

  it('8: recovery points read as Replica / AppConsistentReplica from the numbers Windows writes (6, 7)', async () => {
    pair.replica.double.enums = 'numeric';
    const points = await replica.getSnapshots({ name: 'db01' });
    expect(points.length).toBeGreaterThan(0);
    for (const p of points) expect(['Replica', 'AppConsistentReplica']).toContain(p.type);
    const log = pair.replica.double.log.filter((e) => e.op === 'Get-VMSnapshot').at(-1)!;
    expect(log.exitCode).toBe(0);
  });

  it('9: a standard checkpoint is never taken for a recovery point', async () => {
    const cp = pair.replica.model.checkpoint('db01', 'before patching');
    const before = await replica.getReplication({ name: 'db01' });
    for (const recoverySnapshot of [{ id: cp.id }, { name: 'before patching' }]) {
      const err = await failure(
        replica.startFailover({ name: 'db01' }, { mode: 'failover', recoverySnapshot }),
      );
      expect(err.code).toBe('not-found');
      expect(err.message).toMatch(/Recovery point "(before patching|[0-9a-f-]{36})" of "db01" was not found/);
    }
    expect((await replica.getReplication({ name: 'db01' }))?.state).toBe(before?.state);
  });

  it('10: "never" is null, as the module writes it', async () => {
    const r = await primary.enableReplication(
      { name: 'web01' },
      { replicaServer: pair.replica.fqdn, auth: 'Kerberos' },
    );
    expect(r.state).toBe('ReadyForInitialReplication');
    expect(r.lastReplicationTime).toBeNull();
    const [stats] = await primary.measureReplication({ name: 'web01' });
    expect(stats?.lastReplicationTime).toBeNull();
  });

  it('12: an error record 5.1 cut at its width reads whole', async () => {
    pair.primary.double.errorWidth = 64;
    let err: ApiError;
    try {
      err = await failure(primary.startInitialReplication({ name: 'db01' }));
    } finally {
      pair.primary.double.errorWidth = 120;
    }
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(
      /The operation cannot be performed while the object is in its current state\./,
    );
    expect((err.details as { errorId: string }).errorId).toBe(
      'InvalidState,Microsoft.HyperV.PowerShell.Commands.StartVMInitialReplication',
    );
  });
});

describe('11: a host key pinned with its type', () => {
  let pair: HypervDoublePair;
  beforeAll(async () => {
    pair = await startHypervDoublePair({ hostKeyTypes: ['ed25519', 'rsa'] });
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it('connects with the RSA fingerprint the operator copied from ssh-keygen -lf, and refuses a wrong one', async () => {
    const rsa = pair.primary.double.fingerprints['ssh-rsa']!;
    expect(rsa).toMatch(/^SHA256:/);
    const s = sessionTo(pair, pair.primary, { hostKey: rsa, hostKeyAlgorithm: 'ssh-rsa' });
    try {
      expect((await clientOf(s).getVMHost()).name).toBe('HV-PRIMARY');
      expect(s.presentedKey).toEqual({ fingerprint: rsa, algorithm: 'ssh-rsa' });
    } finally {
      await s.close();
    }
    const ed = pair.primary.double.fingerprints['ssh-ed25519']!;
    const wrong = sessionTo(pair, pair.primary, {
      hostKey: ed,
      hostKeyAlgorithm: 'ssh-rsa',
      connectAttempts: 1,
    });
    try {
      expect((await failure(wrong.connect())).code).toBe('identity-changed');
    } finally {
      await wrong.close();
    }
    expect(
      () =>
        new SshSession({
          host: '127.0.0.1',
          port: 1,
          username: 'u',
          password: 'p',
          hostKey: rsa,
          hostKeyAlgorithm: 'ssh-dss',
        }),
    ).toThrow(/not a type of SSH host key/);
  });
});
