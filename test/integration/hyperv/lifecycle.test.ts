import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HvReplication, HypervClient } from '../../../core/hyperv/client';
import { PowerShellError } from '../../../core/hyperv/powershell';
import type { SshSession } from '../../../core/hyperv/ssh';
import type { ApiError } from '../../../shared/errors';
import { type HypervDoublePair, startHypervDoublePair } from '../../hyperv-double';
import { CERTIFICATE_REPLICA_SEED, clientOf, sessionTo, waitFor } from './helpers';

/** The whole Hyper-V Replica life cycle, over real SSH, between a primary and a replica double. */
describe('Hyper-V Replica life cycle', () => {
  let pair: HypervDoublePair;
  let ps: SshSession;
  let rs: SshSession;
  let primary: HypervClient;
  let replica: HypervClient;
  const kerberos = () => ({
    replicaServer: pair.replica.fqdn,
    auth: 'Kerberos' as const,
    frequencySec: 30 as const,
    recoveryHistory: 4,
  });

  beforeAll(async () => {
    // Slow enough to observe InitialReplicationInProgress between two commands.
    pair = await startHypervDoublePair({ timing: { initialReplicationMs: 1500, resyncMs: 600 } });
    ps = sessionTo(pair, pair.primary);
    rs = sessionTo(pair, pair.replica);
    primary = clientOf(ps);
    replica = clientOf(rs);
  });

  afterAll(async () => {
    await ps?.close();
    await rs?.close();
    await pair?.stop();
  });

  /** Expects a typed PowerShell error and that the host state did not move. */
  async function rejectsUnchanged(
    client: HypervClient,
    vm: string,
    action: () => Promise<unknown>,
    code: string,
    message: RegExp,
  ): Promise<void> {
    const before = await client.getReplication({ name: vm });
    const err = await action().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PowerShellError);
    expect((err as PowerShellError).code).toBe(code);
    expect((err as PowerShellError).message).toMatch(message);
    const after = await client.getReplication({ name: vm });
    expect(after?.state).toBe(before?.state);
    expect(after?.mode).toBe(before?.mode);
  }

  it('enable → initial replication → replicating → planned failover → complete → reverse', async () => {
    const vm = { name: 'web01' };
    const enabled = await primary.enableReplication(vm, {
      ...kerberos(),
      vssFrequencyHours: 4,
      compression: true,
    });
    expect(enabled).toMatchObject({
      vmName: 'web01',
      mode: 'Primary',
      state: 'ReadyForInitialReplication',
      replicaServer: 'hv-replica.lab.local',
      primaryServer: 'hv-primary.lab.local',
      replicaPort: 80,
      auth: 'Kerberos',
      frequencySec: 30,
      recoveryHistory: 4,
      vssSnapshotFrequencyHours: 4,
      compression: true,
      lastReplicationTime: null,
    });
    const onReplica = await replica.getReplication(vm);
    expect(onReplica).toMatchObject({ mode: 'Replica', state: 'WaitingForInitialReplication' });
    expect((await replica.getVM(vm)).id).toBe(enabled.vmId);

    // Failing over before anything was copied is refused, and nothing moves.
    await rejectsUnchanged(
      primary,
      'web01',
      () => primary.startFailover(vm, { mode: 'prepare' }),
      'conflict',
      /prepared|running|Replicating/i,
    );
    await rejectsUnchanged(
      replica,
      'web01',
      () => replica.startFailover(vm, { mode: 'failover' }),
      'conflict',
      /cannot fail over/,
    );

    const started = await primary.startInitialReplication(vm);
    expect(started.state).toBe('InitialReplicationInProgress');
    await rejectsUnchanged(
      primary,
      'web01',
      () => primary.startInitialReplication(vm),
      'conflict',
      /initial replication/,
    );

    const replicating = await waitFor(
      () => primary.getReplication(vm),
      (r) => r?.state === 'Replicating',
    );
    expect(replicating?.health).toBe('Normal');
    expect(replicating?.lastReplicationTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    await waitFor(
      () => replica.getReplication(vm),
      (r) => r?.state === 'Replicating',
    );
    const points = await waitFor(
      () => replica.getSnapshots(vm),
      (s) => s.length >= 2,
    );
    expect(points.every((p) => p.type === 'Replica' || p.type === 'AppConsistentReplica')).toBe(true);
    expect(points.length).toBeLessThanOrEqual(5);
    const [stats] = await primary.measureReplication(vm);
    expect(stats).toMatchObject({ vmName: 'web01', state: 'Replicating', health: 'Normal' });
    expect(stats!.successCount).toBeGreaterThan(0);

    // Suspend and resume.
    expect((await primary.suspendReplication(vm)).state).toBe('Suspended');
    await rejectsUnchanged(
      primary,
      'web01',
      () => primary.suspendReplication(vm),
      'conflict',
      /cannot suspend/,
    );
    expect((await primary.resumeReplication(vm)).state).toBe('Replicating');

    // A replica VM cannot be started while it replicates.
    const startReplica = await replica.startVM(vm).catch((e: unknown) => e);
    expect(startReplica).toBeInstanceOf(PowerShellError);
    expect((startReplica as PowerShellError).message).toMatch(
      /Replica virtual machine and cannot be started/,
    );
    expect((await replica.getVM(vm)).state).toBe('Off');

    // Planned failover: the primary must be off first.
    await rejectsUnchanged(
      primary,
      'web01',
      () => primary.startFailover(vm, { mode: 'prepare' }),
      'conflict',
      /Shut down the virtual machine/,
    );
    expect((await primary.stopVM(vm)).state).toBe('Off');
    expect((await primary.startFailover(vm, { mode: 'prepare' })).state).toBe('PreparedForFailover');
    // Reverse belongs on the replica after failover, not on the primary.
    await rejectsUnchanged(primary, 'web01', () => primary.reverseReplication(vm), 'conflict', /reverse/);

    expect((await replica.startFailover(vm, { mode: 'failover' })).state).toBe('FailedOverWaitingCompletion');
    expect((await replica.completeFailover(vm)).state).toBe('FailedOver');
    await rejectsUnchanged(
      replica,
      'web01',
      () => replica.completeFailover(vm),
      'conflict',
      /cannot complete failover/,
    );

    const reversed = await replica.reverseReplication(vm);
    expect(reversed).toMatchObject({
      mode: 'Primary',
      state: 'Replicating',
      primaryServer: 'hv-replica.lab.local',
      replicaServer: 'hv-primary.lab.local',
    });
    expect(await primary.getReplication(vm)).toMatchObject({ mode: 'Replica', state: 'Replicating' });
    expect((await replica.startVM(vm)).state).toBe('Running');
    // The former primary is now a replica: it must not start.
    const startOld = await primary.startVM(vm).catch((e: unknown) => e);
    expect((startOld as ApiError).code).toBe('conflict');
    expect((await primary.getVM(vm)).state).toBe('Off');

    // Replication carries on in the new direction.
    const before = (await primary.getReplication(vm))!.lastReplicationTime;
    await waitFor(
      () => primary.getReplication(vm),
      (r) => r?.lastReplicationTime !== before,
    );
  });

  it('test failover creates "<name> - Test" on the replica and Stop-VMFailover removes it', async () => {
    const vm = { name: 'db01' };
    await primary.enableReplication(vm, kerberos());
    await primary.startInitialReplication(vm);
    await waitFor(
      () => replica.getReplication(vm),
      (r) => r?.state === 'Replicating',
    );
    await waitFor(
      () => replica.getSnapshots(vm),
      (s) => s.length >= 1,
    );

    // Test failover belongs to the replica.
    await rejectsUnchanged(
      primary,
      'db01',
      () => primary.startFailover(vm, { mode: 'test' }),
      'conflict',
      /Replica virtual machine/,
    );
    expect((await replica.startFailover(vm, { mode: 'test' })).state).toBe('Replicating');
    const test = await replica.getVM({ name: 'db01 - Test' });
    expect(test).toMatchObject({ replicationMode: 'TestReplica', state: 'Off' });
    const second = await replica.startFailover(vm, { mode: 'test' }).catch((e: unknown) => e);
    expect((second as ApiError).code).toBe('conflict');
    expect((await replica.getVMs()).filter((v) => v.name === 'db01 - Test')).toHaveLength(1);
    expect((await replica.stopFailover(vm)).state).toBe('Replicating');
    expect((await replica.getVMs()).some((v) => v.name === 'db01 - Test')).toBe(false);
    await rejectsUnchanged(
      replica,
      'db01',
      () => replica.stopFailover(vm),
      'conflict',
      /cannot cancel failover/,
    );
  });

  it('unplanned failover to a chosen recovery point while the primary is unreachable', async () => {
    const vm = { name: 'db01' };
    const points = await waitFor(
      () => replica.getSnapshots(vm),
      (s) => s.length >= 2,
    );
    pair.fabric.linkDown = true;
    try {
      const oldest = points[0]!;
      const missing = await replica
        .startFailover(vm, { mode: 'failover', recoverySnapshot: { name: 'no such point' } })
        .catch((e: unknown) => e);
      expect((missing as ApiError).code).toBe('not-found');
      expect((await replica.getReplication(vm))?.state).toBe('Replicating');

      const failed = await replica.startFailover(vm, {
        mode: 'failover',
        recoverySnapshot: { id: oldest.id },
      });
      expect(failed.state).toBe('FailedOverWaitingCompletion');
      expect(failed.lastReplicationTime).toBe(oldest.created);
      // The operator may still go back on an uncommitted failover.
      expect((await replica.stopFailover(vm)).state).toBe('Replicating');
      expect((await replica.startFailover(vm, { mode: 'failover' })).state).toBe(
        'FailedOverWaitingCompletion',
      );
      expect((await replica.completeFailover(vm)).state).toBe('FailedOver');
      expect(await replica.getSnapshots(vm)).toEqual([]);
      expect((await replica.startVM(vm)).state).toBe('Running');
      // Reverse needs the old primary reachable.
      const rev = await replica.reverseReplication(vm).catch((e: unknown) => e);
      expect((rev as PowerShellError).message).toMatch(/connection with the server was lost/);
      // The primary keeps piling up changes it cannot send.
      const [stats] = await primary.measureReplication(vm);
      expect(stats!.health).not.toBe('NotApplicable');
    } finally {
      pair.fabric.linkDown = false;
    }
  });

  it('resynchronisation: plain resume is refused, -Resynchronize brings it back', async () => {
    const vm = { name: 'app01' };
    await primary.enableReplication(vm, { ...kerberos(), frequencySec: 300 });
    await primary.startInitialReplication(vm);
    await waitFor(
      () => primary.getReplication(vm),
      (r) => r?.state === 'Replicating',
    );
    pair.primary.model.requireResync('app01');
    expect(await primary.getReplication(vm)).toMatchObject({
      state: 'WaitingForStartResynchronize',
      health: 'Critical',
    });
    await rejectsUnchanged(
      primary,
      'app01',
      () => primary.resumeReplication(vm),
      'conflict',
      /Resynchronization is required/,
    );
    expect((await primary.resumeReplication(vm, { resynchronize: true })).state).toBe('Resynchronizing');
    await waitFor(
      () => primary.getReplication(vm),
      (r) => r?.state === 'Replicating' && r.health === 'Normal',
    );
  });

  it('remove replication, and the errors of enabling it wrongly', async () => {
    const vm = { name: 'app01' };
    const again = await primary.enableReplication(vm, kerberos()).catch((e: unknown) => e);
    expect((again as ApiError).code).toBe('conflict');
    expect((again as ApiError).message).toMatch(/already enabled/);
    await primary.removeReplication(vm);
    expect(await primary.getReplication(vm)).toBeNull();
    expect((await primary.getVM(vm)).replicationMode).toBe('None');
    const gone = await primary.removeReplication(vm).catch((e: unknown) => e);
    expect((gone as ApiError).code).toBe('conflict');

    // The replica VM from the earlier relationship is still on the replica host: Hyper-V refuses a duplicate.
    const dup = await primary.enableReplication(vm, kerberos()).catch((e: unknown) => e);
    expect((dup as PowerShellError).message).toMatch(/same ID already exists/);
    const wrongPort = await primary
      .enableReplication(vm, { ...kerberos(), replicaPort: 8080 })
      .catch((e: unknown) => e);
    expect((wrongPort as PowerShellError).message).toMatch(/not configured to accept replication/);
    const unknown = await primary
      .enableReplication(vm, { ...kerberos(), replicaServer: 'hv-nowhere.lab.local' })
      .catch((e: unknown) => e);
    expect((unknown as PowerShellError).message).toMatch(/could not be established/);
    const cert = await primary
      .enableReplication(vm, { ...kerberos(), auth: 'Certificate' })
      .catch((e: unknown) => e);
    expect((cert as ApiError).code).toBe('invalid-input');
    expect(await primary.getReplication(vm)).toBeNull();
  });
});

describe('certificate-based replication and a pre-replicated lab pair', () => {
  let pair: HypervDoublePair;
  let ps: SshSession;
  let rs: SshSession;

  beforeAll(async () => {
    pair = await startHypervDoublePair({
      timing: { initialReplicationMs: 200 },
      replicaSeed: CERTIFICATE_REPLICA_SEED,
      replicating: ['db01'],
    });
    ps = sessionTo(pair, pair.primary);
    rs = sessionTo(pair, pair.replica);
  });
  afterAll(async () => {
    await ps?.close();
    await rs?.close();
    await pair?.stop();
  });

  it('enables replication with certificate authentication on port 443', async () => {
    const primary = clientOf(ps);
    const thumbprint = 'AB12'.repeat(10);
    const r = await primary.enableReplication(
      { name: 'web01' },
      {
        replicaServer: pair.replica.fqdn,
        auth: 'Certificate',
        certificateThumbprint: thumbprint,
        frequencySec: 900,
        compression: false,
      },
    );
    expect(r).toMatchObject({
      auth: 'Certificate',
      replicaPort: 443,
      certificateThumbprint: thumbprint,
      frequencySec: 900,
      compression: false,
    });
    const host = await clientOf(rs).getVMHost();
    expect(host.replicaServer).toMatchObject({ enabled: true, auth: 'CertificateAndKerberos' });
  });

  it('startHypervDoublePair({ replicating }) hands over VMs already replicating', async () => {
    const r = await waitFor(
      () => clientOf(ps).getReplication({ name: 'db01' }),
      (x) => x?.state === 'Replicating',
    );
    expect(r).toMatchObject({ mode: 'Primary', health: 'Normal', vssSnapshotFrequencyHours: 4 });
    expect(await clientOf(rs).getReplication({ name: 'db01' })).toMatchObject({
      mode: 'Replica',
      state: 'Replicating',
    });
  });

  it("Set-VMReplication changes a running replication's settings on its primary; the replica refuses", async () => {
    const vm = { name: 'db01' };
    await waitFor(
      () => clientOf(ps).getReplication(vm),
      (x) => x?.state === 'Replicating',
    );
    const settings = (r: HvReplication | null) => [
      r?.state,
      r?.frequencySec,
      r?.recoveryHistory,
      r?.vssSnapshotFrequencyHours,
    ];
    const set = await clientOf(ps).setReplicationSettings(vm, {
      frequencySec: 30,
      recoveryHistory: 2,
      vssFrequencyHours: 6,
    });
    expect(settings(set)).toEqual(['Replicating', 30, 2, 6]);
    expect(settings(await clientOf(rs).getReplication(vm))).toEqual(['Replicating', 30, 2, 6]);
    // Without a VSS frequency the points are crash-consistent only (-DisableVSSSnapshotReplication).
    const crash = await clientOf(ps).setReplicationSettings(vm, { frequencySec: 300, recoveryHistory: 0 });
    expect(settings(crash)).toEqual(['Replicating', 300, 0, 0]);
    const refused = await clientOf(rs)
      .setReplicationSettings(vm, { frequencySec: 900 })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PowerShellError);
    expect((refused as PowerShellError).message).toMatch(/change them on the primary server/);
    await expect(clientOf(ps).setReplicationSettings(vm, { recoveryHistory: 25 })).rejects.toThrow(
      /Recovery history 25 is out of range/,
    );
    expect(settings(await clientOf(ps).getReplication(vm))).toEqual(['Replicating', 300, 0, 0]);
  });
});
