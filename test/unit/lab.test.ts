import { describe, expect, it } from 'vitest';
import { createLabEstate } from '../../core/lab/estate';
import { advanceReplicaClock } from '../../core/lab/replica-clock';
import { LabInventorySource } from '../../core/lab/source';
import { hypervInventorySchema, vsphereInventorySchema } from '../../shared/schemas/inventory';

describe('lab estate', () => {
  it('is shaped exactly like the connectors output, and deterministic', () => {
    // Deterministic for a seed and a moment (Hyper-V's replication times are relative to it).
    const now = Date.parse('2026-11-26T12:00:00Z');
    const a = createLabEstate({ vms: 30, now });
    vsphereInventorySchema.parse(a.primary);
    vsphereInventorySchema.parse(a.secondary);
    hypervInventorySchema.parse(a.hypervPrimary);
    hypervInventorySchema.parse(a.hypervReplica);
    // 30 protectable VMs and the original site's two master targets (failback goes through one).
    expect(a.primary.vms).toHaveLength(32);
    expect(a.primary.vms.slice(30).map((v) => v.name)).toEqual(['ams-mt-win-01', 'ams-mt-lnx-01']);
    expect(createLabEstate({ vms: 30, now })).toEqual(a);
    expect(createLabEstate({ vms: 30, seed: 1, now })).not.toEqual(a);
    expect(a.secondary.vms.map((v) => v.name)).toContain('rtm-mt-win-01');
  });

  it('scales to a 5,000-VM estate with unique ids and names', () => {
    const big = createLabEstate({ vms: 5000 });
    expect(new Set(big.primary.vms.map((v) => v.id)).size).toBe(5002);
    expect(new Set(big.primary.vms.map((v) => v.name)).size).toBe(5002);
    const hostIds = new Set(big.primary.hosts.map((h) => h.id));
    expect(big.primary.vms.every((v) => v.host && hostIds.has(v.host))).toBe(true);
  });

  it('tells watchers about changes, and hands out copies', async () => {
    const source = new LabInventorySource(createLabEstate({ vms: 3 }).primary);
    const seen: unknown[] = [];
    const stop = source.watch((c) => seen.push(c));
    const doc = await source.fetchInventory();
    doc.vms[0]!.name = 'changed by a reader';
    expect(source.mutate('vms', doc.vms[0]!.id, (vm) => (vm.powerState = 'suspended'))).toBe(true);
    expect(source.mutate('vms', 'vm-missing', () => undefined)).toBe(false);
    stop();
    source.mutate('vms', doc.vms[0]!.id, (vm) => (vm.powerState = 'poweredOn'));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ type: 'upsert', collection: 'vms', value: { powerState: 'suspended' } });
    expect((await source.fetchInventory()).vms[0]!.name).not.toBe('changed by a reader');
  });

  it('replicates Hyper-V VMs on their frequency: a Normal replica is never older than one cycle', () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    const estate = createLabEstate({ vms: 3, now });
    const age = (vm: { replication: { lastReplicationTime: string | null } | null }, at: number) =>
      (at - Date.parse(vm.replication!.lastReplicationTime!)) / 1000;
    const replicated = estate.hypervPrimary.vms.filter((v) => v.replication);
    const normal = replicated.filter((v) => v.replication!.health === 'Normal');
    expect(normal.length).toBeGreaterThan(0);
    for (const vm of normal) expect(age(vm, now)).toBeLessThan(vm.replication!.frequencySec!);
    // The VM whose cycles stopped shows it: Critical, last replicated hours ago.
    const critical = replicated.find((v) => v.replication!.health === 'Critical')!;
    expect(age(critical, now)).toBeGreaterThan(3600);

    const source = new LabInventorySource(estate.hypervReplica);
    const seen: string[] = [];
    source.watch((c) => seen.push(c.id));
    const later = now + 3_600_000;
    advanceReplicaClock(estate, later);
    for (const vm of normal) {
      expect(age(vm, later)).toBeLessThan(vm.replication!.frequencySec!);
      const copy = estate.hypervReplica.vms.find((v) => v.id === vm.id)!;
      expect(copy.replication!.lastReplicationTime).toBe(vm.replication!.lastReplicationTime);
    }
    expect(seen.length).toBe(normal.length);
    expect(age(critical, later)).toBeGreaterThan(2 * 3600);
  });
});
