import { describe, expect, it } from 'vitest';
import type { HvRawInventory } from '../../../core/hyperv/client';
import { diffInventory, toInventoryDocument } from '../../../core/hyperv/inventory';
import { hypervInventorySchema } from '../../../shared/schemas/inventory';

const VM_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

function raw(): HvRawInventory {
  return {
    host: {
      name: 'HV01',
      fqdn: 'hv01.corp.example',
      os: 'Microsoft Windows Server 2019 Standard',
      osVersion: '10.0.17763',
      logicalProcessors: 24,
      cpuCores: 12,
      memoryBytes: 128 * 1024 ** 3,
      replicaServer: {
        enabled: true,
        auth: 'Certificate',
        kerberosPort: 80,
        certificatePort: 443,
        certificateThumbprint: 'AB'.repeat(20),
      },
    },
    switches: [{ id: 'sw-1', name: 'Uplink', kind: 'External' }],
    vms: [
      {
        id: VM_ID,
        name: 'sql01',
        state: 'Running',
        generation: 2,
        cpus: 8,
        memoryStartupBytes: 32 * 1024 ** 3,
        memoryAssignedBytes: 32 * 1024 ** 3,
        uptimeSec: 1000,
        host: 'HV01',
        replicationMode: 'Primary',
        replicationState: 'Replicating',
        replicationHealth: 'Warning',
      },
    ],
    disks: [
      {
        vmId: VM_ID,
        vmName: 'sql01',
        path: 'D:\\sql01.vhdx',
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: 1,
        sizeBytes: 1e11,
      },
      // A pass-through disk has no file and no size.
      {
        vmId: VM_ID,
        vmName: 'sql01',
        path: null,
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: 2,
        sizeBytes: null,
      },
    ],
    nics: [
      { vmId: VM_ID, vmName: 'sql01', name: 'Network Adapter', mac: null, switchName: null, ipAddresses: [] },
    ],
    replication: [
      {
        vmId: VM_ID,
        vmName: 'sql01',
        state: 'Replicating',
        health: 'Warning',
        mode: 'Primary',
        primaryServer: 'hv01.corp.example',
        replicaServer: 'hv02.corp.example',
        replicaPort: 443,
        auth: 'Certificate',
        certificateThumbprint: 'AB'.repeat(20),
        frequencySec: 300,
        recoveryHistory: 4,
        vssSnapshotFrequencyHours: 4,
        compression: true,
        lastReplicationTime: '2026-11-26T22:00:00.000Z',
      },
    ],
    stats: [
      {
        vmId: VM_ID,
        vmName: 'sql01',
        state: 'Replicating',
        health: 'Warning',
        lastReplicationTime: '2026-11-26T22:05:00.000Z',
        pendingBytes: 123456,
        averageBytes: 1,
        successCount: 10,
        missedCount: 2,
      },
    ],
  };
}

describe('Hyper-V inventory document', () => {
  it('maps the host, switches and VMs onto hypervInventorySchema', () => {
    const doc = hypervInventorySchema.parse(
      toInventoryDocument(raw(), { host: 'hv01.corp.example', port: 2222 }),
    );
    expect(doc.source).toEqual({ kind: 'hyperv', host: 'hv01.corp.example', port: 2222 });
    expect(doc.hosts[0]).toEqual({
      id: 'HV01',
      name: 'hv01.corp.example',
      os: 'Microsoft Windows Server 2019 Standard',
      cpuCores: 12,
      memoryBytes: 128 * 1024 ** 3,
      replicaServer: { enabled: true, port: 443, auth: 'Certificate' },
    });
    const vm = doc.vms[0]!;
    expect(vm.disks[1]).toEqual({
      path: '',
      controllerType: 'SCSI',
      controllerNumber: 0,
      controllerLocation: 2,
      sizeBytes: null,
    });
    expect(vm.nics[0]).toEqual({ name: 'Network Adapter', mac: null, switch: null, ipAddresses: [] });
    expect(vm.replication).toEqual({
      state: 'Replicating',
      health: 'Warning',
      mode: 'Primary',
      primaryServer: 'hv01.corp.example',
      replicaServer: 'hv02.corp.example',
      frequencySec: 300,
      // Measure-VMReplication is the fresher source.
      lastReplicationTime: '2026-11-26T22:05:00.000Z',
      pendingBytes: 123456,
    });
  });

  it('a host that is not a replica server has no port or auth', () => {
    const r = raw();
    r.host.replicaServer = {
      enabled: false,
      auth: null,
      kerberosPort: 80,
      certificatePort: 443,
      certificateThumbprint: null,
    };
    r.replication = [];
    r.stats = [];
    const doc = hypervInventorySchema.parse(toInventoryDocument(r, { host: 'h', port: 22 }));
    expect(doc.hosts[0]!.replicaServer).toEqual({ enabled: false, port: null, auth: null });
    expect(doc.vms[0]!.replication).toBeNull();
  });

  it('diffs two documents by collection and id, ignoring uptime alone', () => {
    const a = toInventoryDocument(raw(), { host: 'h', port: 22 });
    const uptimeOnly = toInventoryDocument(
      { ...raw(), vms: raw().vms.map((v) => ({ ...v, uptimeSec: 2000 })) },
      { host: 'h', port: 22 },
    );
    expect(diffInventory(a, uptimeOnly)).toEqual([]);

    const b = toInventoryDocument(
      {
        ...raw(),
        vms: raw().vms.map((v) => ({ ...v, state: 'Off' })),
        switches: [{ id: 'sw-2', name: 'Backup', kind: 'Internal' }],
      },
      { host: 'h', port: 22 },
    );
    const changes = diffInventory(a, b);
    expect(changes).toEqual([
      {
        type: 'upsert',
        collection: 'switches',
        id: 'sw-2',
        value: { id: 'sw-2', name: 'Backup', kind: 'Internal' },
      },
      { type: 'remove', collection: 'switches', id: 'sw-1' },
      { type: 'upsert', collection: 'vms', id: VM_ID, value: expect.objectContaining({ state: 'Off' }) },
    ]);
  });
});

describe('replication health as operators read it', () => {
  it('maps Normal / Warning / Critical onto topology levels and words', async () => {
    const { replicationHealthLevel, describeReplication } = await import('../../../core/hyperv/inventory');
    expect(
      ['Normal', 'Warning', 'Critical', 'NotApplicable', null].map((h) => replicationHealthLevel(h as never)),
    ).toEqual(['ok', 'warning', 'critical', 'unknown', 'unknown']);
    expect(describeReplication({ state: 'Replicating', health: 'Normal' })).toBe('Replicating · Normal');
    expect(describeReplication({ state: 'FailedOverWaitingCompletion', health: 'Warning' })).toBe(
      'Failed over waiting completion · Warning',
    );
    expect(describeReplication(null)).toBe('Not replicated');
  });
});
