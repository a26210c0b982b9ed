import { ApiError } from '../../shared/errors';
import type { VsphereInventory } from '../../shared/schemas/inventory';
import type { InventoryChange } from '../inventory/source';
import type { VimClient } from './client';
import { dropIgnoredDevices, INVENTORY_SPECS, type InventoryModel, type ModelObject } from './inventory';
import { type ObjectUpdate, PropertyCollector, type UpdateSet, viewFilterSpec } from './property';
import { applyChanges } from './tasks';
import type { MoRef } from './xml';

export type VsphereChange = InventoryChange<VsphereInventory>;

export interface WatchOptions {
  /** How long one WaitForUpdatesEx may wait before answering empty. */
  maxWaitSeconds?: number;
  /** Delays between reconnect attempts; the last one repeats. */
  backoffMs?: number[];
}

const REQUESTED = new Map(INVENTORY_SPECS.map((s) => [s.type, new Set(s.pathSet)]));
const CONTAINERS = new Set([
  'Folder',
  'Datacenter',
  'ComputeResource',
  'ClusterComputeResource',
  'VirtualApp',
]);

/** The property paths requested for an object type (subtypes share their parent's spec). */
function requestedPaths(type: string): Set<string> | undefined {
  if (type === 'ClusterComputeResource') return REQUESTED.get('ComputeResource');
  if (type === 'DistributedVirtualPortgroup' || type === 'OpaqueNetwork') return REQUESTED.get('Network');
  if (type === 'StoragePod') return REQUESTED.get('Folder');
  return REQUESTED.get(type);
}

/**
 * Applies the updates of one WaitForUpdatesEx answer to the model and returns the document
 * changes. Objects whose change names a path below a requested one (vCenter may report
 * `config.hardware.device[4000].connectable.connected`) are returned for a fresh read instead.
 */
export function applyUpdates(
  model: InventoryModel,
  updates: ObjectUpdate[],
): { changes: VsphereChange[]; refetch: MoRef[]; containersChanged: boolean } {
  const changes: VsphereChange[] = [];
  const refetch: MoRef[] = [];
  let containersChanged = false;
  for (const u of updates) {
    const id = u.obj.value;
    if (CONTAINERS.has(u.obj.type)) containersChanged = true;
    if (u.kind === 'leave') {
      const left = model.delete(id);
      const c = model.changeFor(id, left);
      if (c) changes.push(c);
      continue;
    }
    const existing = model.objects.get(id);
    const o: ModelObject =
      u.kind === 'enter' || !existing ? { obj: u.obj, props: new Map(), missing: [] } : existing;
    const paths = requestedPaths(u.obj.type);
    const exact = u.changes.filter((c) => !paths || paths.has(c.name));
    applyChanges(o.props, exact);
    model.set(o);
    if (exact.length < u.changes.length) {
      refetch.push(u.obj);
      continue;
    }
    const c = model.changeFor(id, undefined);
    if (c) changes.push(c);
  }
  return { changes, refetch, containersChanged };
}

/**
 * Live updates: a private property collector with one filter over a container view of the
 * whole estate, and a WaitForUpdatesEx loop. The first answer is the full state; it is
 * reconciled with the model (what changed since the last fetch is emitted). On a network error
 * or a lost session the loop reconnects with backoff and reconciles again.
 */
export function watchInventory(
  client: VimClient,
  model: InventoryModel,
  listener: (change: VsphereChange) => void,
  onError?: (err: Error) => void,
  options: WatchOptions = {},
): () => void {
  const maxWait = options.maxWaitSeconds ?? 20;
  const backoff = options.backoffMs ?? [1000, 2000, 4000, 8000, 15000, 30000];
  const abort = new AbortController();
  const signal = abort.signal;
  const emit = (changes: VsphereChange[]) => {
    for (const c of changes) {
      try {
        listener(c);
      } catch (err) {
        onError?.(err instanceof Error ? err : new Error(String(err)));
      }
    }
  };
  const emitAll = () => {
    const all: VsphereChange[] = [];
    for (const id of model.objects.keys()) {
      const c = model.changeFor(id, undefined);
      if (c) all.push(c);
    }
    emit(all);
  };

  const session = async () => {
    const root = new PropertyCollector(client);
    const pc = await root.createPrivate(signal);
    let view: MoRef | undefined;
    try {
      view = await root.createContainerView(
        client.serviceContent.rootFolder,
        INVENTORY_SPECS.map((s) => s.type),
        true,
        signal,
      );
      await pc.createFilter(viewFilterSpec(view, INVENTORY_SPECS), false, signal);
      let version = '';
      let initial = true;
      const seen = new Set<string>([client.serviceContent.rootFolder.value]);
      const before = new Map<string, string>();
      for (const [id] of model.objects) {
        const c = model.changeFor(id, undefined);
        if (c?.type === 'upsert') before.set(id, JSON.stringify(c.value));
      }
      while (!signal.aborted) {
        const update: UpdateSet | null = await pc.waitForUpdates(version, maxWait, signal, {
          maxObjectUpdates: 1000,
          bodyFilter: dropIgnoredDevices,
        });
        attempt = 0;
        if (!update) continue;
        version = update.version;
        if (initial) {
          // The first answer re-enters every object: emit only what differs from the model.
          for (const u of update.objects) seen.add(u.obj.value);
          const { refetch } = applyUpdates(model, update.objects);
          await refresh(root, refetch);
          if (update.truncated) continue;
          initial = false;
          const changes: VsphereChange[] = [];
          for (const id of [...model.objects.keys()]) {
            if (!seen.has(id)) {
              const c = model.changeFor(id, model.delete(id));
              if (c) changes.push(c);
              continue;
            }
            const c = model.changeFor(id, undefined);
            if (c?.type === 'upsert' && before.get(id) !== JSON.stringify(c.value)) changes.push(c);
          }
          emit(changes);
          continue;
        }
        const { changes, refetch, containersChanged } = applyUpdates(model, update.objects);
        await refresh(root, refetch);
        if (containersChanged) emitAll();
        else {
          emit(changes);
          for (const r of refetch) {
            const c = model.changeFor(r.value, undefined);
            if (c) emit([c]);
          }
        }
      }
    } finally {
      // Not with `signal`: these must run after a stop too.
      if (view) await root.destroyView(view).catch(() => {});
      await pc.destroy().catch(() => {});
    }
  };

  const refresh = async (pc: PropertyCollector, refs: MoRef[]) => {
    if (refs.length === 0) return;
    const byType = new Map<string, MoRef[]>();
    for (const r of refs) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
    for (const [type, list] of byType) {
      const paths = requestedPaths(type);
      if (!paths) continue;
      const objects = await pc.retrieveObjects(list, [{ type, pathSet: [...paths] }], signal);
      for (const o of objects) model.set(o);
    }
  };

  let attempt = 0;
  const loop = async () => {
    while (!signal.aborted) {
      try {
        await session();
      } catch (err) {
        if (signal.aborted) break;
        const e = err instanceof Error ? err : new Error(String(err));
        onError?.(
          e instanceof ApiError
            ? new ApiError(e.code, `live updates interrupted, reconnecting: ${e.message}`, e.details)
            : new Error(`live updates interrupted, reconnecting: ${e.message}`),
        );
        const delay = backoff[Math.min(attempt, backoff.length - 1)]!;
        attempt++;
        await new Promise<void>((res) => {
          const t = setTimeout(res, delay);
          signal.addEventListener(
            'abort',
            () => {
              clearTimeout(t);
              res();
            },
            { once: true },
          );
        });
      }
    }
  };
  void loop();
  return () => abort.abort();
}
