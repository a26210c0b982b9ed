import type { InventoryDocument } from '../../shared/schemas/inventory';
import type { InventoryChange } from './source';

/** Applies one live change to a cached inventory document in place; unknown collections are ignored. */
export function applyInventoryChange(doc: InventoryDocument, change: InventoryChange): void {
  const list = (doc as unknown as Record<string, unknown>)[change.collection];
  if (!Array.isArray(list)) return;
  const items = list as Array<{ id: string }>;
  const index = items.findIndex((x) => x.id === change.id);
  if (change.type === 'remove') {
    if (index >= 0) items.splice(index, 1);
  } else if (index >= 0) {
    items[index] = { ...items[index], ...change.value };
  } else {
    items.push(change.value);
  }
}
