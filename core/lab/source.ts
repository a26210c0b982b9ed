import type { InventoryDocument } from '../../shared/schemas/inventory';
import type { EndpointSource, InventoryChange } from '../inventory/source';
import { type LabChange, type LabEndpoint, labEndpointOf } from './endpoint';
import { LabOperations } from './operations';

/**
 * An in-memory estate behind the same interfaces as the real connectors: inventory and
 * operations. Changes made through `mutate` or the operations reach every watcher of the
 * document (any source opened on it) exactly like vSphere property-collector updates do.
 */
export class LabInventorySource<D extends InventoryDocument> implements EndpointSource<D> {
  readonly operations: LabOperations;
  private readonly endpoint: LabEndpoint;
  private readonly mine = new Set<(change: LabChange) => void>();
  private closed = false;

  constructor(private readonly doc: D) {
    this.endpoint = labEndpointOf(doc);
    this.operations = new LabOperations(doc);
  }

  get kind(): D['source']['kind'] {
    return this.doc.source.kind;
  }

  async fetchInventory(signal?: AbortSignal): Promise<D> {
    signal?.throwIfAborted();
    if (this.closed) throw new Error('lab source closed');
    return structuredClone(this.doc);
  }

  watch(listener: (change: InventoryChange<D>) => void): () => void {
    // The endpoint's changes name collections of this very document.
    const forward = (change: LabChange) => listener(change as InventoryChange<D>);
    this.mine.add(forward);
    this.endpoint.listeners.add(forward);
    return () => {
      this.mine.delete(forward);
      this.endpoint.listeners.delete(forward);
    };
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
    this.endpoint.emit({ type: 'upsert', collection, id, value: structuredClone(item) });
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const l of this.mine) this.endpoint.listeners.delete(l);
    this.mine.clear();
  }
}
