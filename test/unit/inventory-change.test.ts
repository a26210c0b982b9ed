import { describe, expect, it } from 'vitest';
import { createLabEstate } from '../../core/lab/estate';
import { applyInventoryChange } from '../../shared/schemas/inventory';

describe('applyInventoryChange', () => {
  const doc = createLabEstate({ vms: 3 }).primary;

  it('merges an upsert into the existing record and leaves the input untouched', () => {
    const id = doc.vms[0]!.id;
    const next = applyInventoryChange(doc, {
      type: 'upsert',
      collection: 'vms',
      id,
      value: { id, powerState: 'suspended' },
    });
    expect(next.vms[0]).toEqual({ ...doc.vms[0], powerState: 'suspended' });
    expect(doc.vms[0]!.powerState).not.toBe('suspended');
    expect(next.hosts).toBe(doc.hosts);
  });

  it('adds an unknown record and removes a known one', () => {
    const added = applyInventoryChange(doc, {
      type: 'upsert',
      collection: 'vms',
      id: 'vm-new',
      value: { ...doc.vms[0]!, id: 'vm-new', name: 'new' },
    });
    expect(added.vms.map((v) => v.id)).toEqual([...doc.vms.map((v) => v.id), 'vm-new']);
    const removed = applyInventoryChange(added, { type: 'remove', collection: 'vms', id: doc.vms[1]!.id });
    expect(removed.vms.map((v) => v.id)).toEqual([
      doc.vms[0]!.id,
      ...doc.vms.slice(2).map((v) => v.id),
      'vm-new',
    ]);
  });

  it('returns the same document for an unknown collection or a missing id to remove', () => {
    expect(applyInventoryChange(doc, { type: 'remove', collection: 'vms', id: 'vm-missing' })).toBe(doc);
    expect(applyInventoryChange(doc, { type: 'remove', collection: 'nonsense', id: 'x' })).toBe(doc);
  });
});
