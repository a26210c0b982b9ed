import { ApiError, errorSaid } from '../../shared/errors';
import { sayClient } from '../../shared/i18n/client-words';
import type { VsphereInventory } from '../../shared/schemas/inventory';
import type { InventoryChange } from '../inventory/source';
import type { VimClient } from './client';
import { isFault } from './faults';
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
  const own = REQUESTED.get(type);
  if (own) return own;
  if (type === 'ClusterComputeResource') return REQUESTED.get('ComputeResource');
  if (type === 'OpaqueNetwork') return REQUESTED.get('Network');
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

/** Faults after which the collector (or its version) is gone: only a new one can go on. */
function collectorLost(err: unknown): boolean {
  return (
    isFault(err, 'NotAuthenticated') ||
    isFault(err, 'ManagedObjectNotFound') ||
    isFault(err, 'InvalidCollectorVersion')
  );
}

/** One private collector with its filter over a view of the estate, and where it got to. */
interface Collector {
  pc: PropertyCollector;
  view: MoRef;
  version: string;
  /** Until the first (full) answer is complete: it is reconciled with the model. */
  initial: boolean;
  seen: Set<string>;
  /** The model's documents when the collector was made, to emit only what differs. */
  before: Map<string, string>;
}

/**
 * Live updates: a private property collector with one filter over a container view of the
 * whole estate, and a WaitForUpdatesEx loop. The first answer is the full state; it is
 * reconciled with the model (what changed since the last fetch is emitted). A failed wait
 * (the network dropped, a timeout) is retried with backoff on the same collector from the last
 * version, so vCenter sends only what changed meanwhile; the collector is made again only when
 * it is gone (NotAuthenticated: the session ended; ManagedObjectNotFound) or its version is
 * (InvalidCollectorVersion). Destroying the old one is queued when vCenter cannot be reached.
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
  const root = new PropertyCollector(client);
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

  const open = async (): Promise<Collector> => {
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
    } catch (err) {
      // Not with `signal`: these must run after a stop too.
      if (view) await root.destroyView(view, pc.generation);
      await pc.destroy();
      throw err;
    }
    const before = new Map<string, string>();
    for (const [id] of model.objects) {
      const c = model.changeFor(id, undefined);
      if (c?.type === 'upsert') before.set(id, JSON.stringify(c.value));
    }
    return {
      pc,
      view,
      version: '',
      initial: true,
      seen: new Set([client.serviceContent.rootFolder.value]),
      before,
    };
  };
  const close = async (c: Collector) => {
    await root.destroyView(c.view, c.pc.generation);
    await c.pc.destroy();
  };

  /** Objects to read again whose changes are not emitted yet (kept if the read fails). */
  let pending: { refs: MoRef[]; all: boolean; changes: VsphereChange[] } | undefined;

  const settle = async () => {
    if (!pending) return;
    await refresh(pending.refs);
    const p = pending;
    pending = undefined;
    if (p.all) return emitAll();
    emit(p.changes);
    for (const r of p.refs) {
      const c = model.changeFor(r.value, undefined);
      if (c) emit([c]);
    }
  };

  const handle = async (c: Collector, update: UpdateSet) => {
    if (c.initial) {
      // The first answer re-enters every object: emit only what differs from the model.
      for (const u of update.objects) c.seen.add(u.obj.value);
      const { refetch } = applyUpdates(model, update.objects);
      await refresh(refetch);
      // After the read: should it fail, the same part is asked for again.
      c.version = update.version;
      if (update.truncated) return;
      c.initial = false;
      const changes: VsphereChange[] = [];
      for (const id of [...model.objects.keys()]) {
        if (!c.seen.has(id)) {
          const ch = model.changeFor(id, model.delete(id));
          if (ch) changes.push(ch);
          continue;
        }
        const ch = model.changeFor(id, undefined);
        if (ch?.type === 'upsert' && c.before.get(id) !== JSON.stringify(ch.value)) changes.push(ch);
      }
      emit(changes);
      return;
    }
    const { changes, refetch, containersChanged } = applyUpdates(model, update.objects);
    // The model holds the update: the next wait starts after it, whatever the read below does.
    c.version = update.version;
    pending = {
      refs: [...(pending?.refs ?? []), ...refetch],
      all: (pending?.all ?? false) || containersChanged,
      changes: [...(pending?.changes ?? []), ...changes],
    };
    await settle();
  };

  const refresh = async (refs: MoRef[]) => {
    if (refs.length === 0) return;
    const byType = new Map<string, MoRef[]>();
    for (const r of refs) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
    for (const [type, list] of byType) {
      const paths = requestedPaths(type);
      if (!paths) continue;
      const objects = await root.retrieveObjects(list, [{ type, pathSet: [...paths] }], signal);
      for (const o of objects) model.set(o);
    }
  };

  const pause = (ms: number) =>
    new Promise<void>((res) => {
      if (ms <= 0 || signal.aborted) return res();
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        res();
      }
      signal.addEventListener('abort', done, { once: true });
    });

  const loop = async () => {
    let current: Collector | undefined;
    let attempt = 0;
    while (!signal.aborted) {
      try {
        current ??= await open();
        await settle();
        const update = await current.pc.waitForUpdates(current.version, maxWait, signal, {
          maxObjectUpdates: 1000,
          bodyFilter: dropIgnoredDevices,
        });
        attempt = 0;
        if (update) await handle(current, update);
      } catch (err) {
        if (signal.aborted) break;
        const e = err instanceof Error ? err : new Error(String(err));
        const lost = collectorLost(err);
        if (lost && current) {
          // After a new login the old session's objects are gone: nothing to destroy.
          if (!isFault(err, 'NotAuthenticated')) await close(current);
          current = undefined;
        }
        // The map shows it as the vCenter's error: worded around the fault, which keeps its words.
        const said = sayClient(lost ? 'client.watch.restart' : 'client.watch.interrupted', {
          error: errorSaid(e),
        });
        onError?.(new ApiError(e instanceof ApiError ? e.code : 'internal', said, (e as ApiError).details));
        // A collector to make again is made at once the first time; a failing server is waited for.
        const delay = lost && attempt === 0 ? 0 : backoff[Math.min(attempt, backoff.length - 1)]!;
        attempt++;
        await pause(delay);
      }
    }
    if (current) await close(current);
  };
  void loop();
  return () => abort.abort();
}
