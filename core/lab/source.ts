import type { InventoryDocument } from '../../shared/schemas/inventory';
import type { InventoryChange, InventorySource } from '../inventory/source';

/**
 * An in-memory estate behind the same InventorySource interface as the real connectors. Changes
 * made through `mutate` reach watchers exactly like vSphere property-collector updates do.
 */
export class LabInventorySource<D extends InventoryDocument> implements InventorySource<D> {
  private readonly listeners = new Set<(change: InventoryChange<D>) => void>();
  private closed = false;

  constructor(private readonly doc: D) {}

  get kind(): D['source']['kind'] {
    return this.doc.source.kind;
  }

  async fetchInventory(signal?: AbortSignal): Promise<D> {
    signal?.throwIfAborted();
    if (this.closed) throw new Error('lab source closed');
    return structuredClone(this.doc);
  }

  watch(listener: (change: InventoryChange<D>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Changes one object of the estate in place and tells the watchers. */
  mutate<C extends InventoryChange<D>['collection']>(
    collection: C,
    id: string,
    update: (value: Record<string, unknown>) => void,
  ): boolean {
    const list = this.doc[collection] as unknown as Array<{ id: string } & Record<string, unknown>>;
    const item = list.find((x) => x.id === id);
    if (!item) return false;
    update(item);
    const change = { type: 'upsert', collection, id, value: structuredClone(item) } as InventoryChange<D>;
    for (const l of this.listeners) l(change);
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }
}
