import { describe, expect, it } from 'vitest';
import { createLabEstate } from '../../core/lab/estate';
import { LabInventorySource } from '../../core/lab/source';
import { hypervInventorySchema, vsphereInventorySchema } from '../../shared/schemas/inventory';

describe('lab estate', () => {
  it('is shaped exactly like the connectors output, and deterministic', () => {
    const a = createLabEstate({ vms: 30 });
    vsphereInventorySchema.parse(a.primary);
    vsphereInventorySchema.parse(a.secondary);
    hypervInventorySchema.parse(a.hypervPrimary);
    hypervInventorySchema.parse(a.hypervReplica);
    // 30 protectable VMs and the original site's two master targets (failback goes through one).
    expect(a.primary.vms).toHaveLength(32);
    expect(a.primary.vms.slice(30).map((v) => v.name)).toEqual(['ams-mt-win-01', 'ams-mt-lnx-01']);
    expect(createLabEstate({ vms: 30 })).toEqual(a);
    expect(createLabEstate({ vms: 30, seed: 1 })).not.toEqual(a);
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
});
