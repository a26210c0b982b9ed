import type { HypervInventory } from '../../shared/schemas/inventory';
import { labEndpointOf } from './endpoint';
import type { LabEstate } from './estate';

const clocks = new WeakMap<LabEstate, NodeJS.Timeout>();

/**
 * Hyper-V Replica's cycle on the lab hosts: a VM that replicates with Normal health sends its
 * changes every `frequencySec`, so its last replication is never older than one cycle, on the
 * primary and on the replica alike (each change reaches the watchers like a real host's would).
 * A VM in Warning or Critical health is the one whose cycles stopped: its time stays where it was.
 * One clock per estate, whoever opens it first (the console and its lab server share one); it
 * never keeps the process alive.
 */
export function startReplicaClock(estate: LabEstate, tickMs = 1000): void {
  if (clocks.has(estate)) return;
  const timer = setInterval(() => advanceReplicaClock(estate, Date.now()), tickMs);
  timer.unref();
  clocks.set(estate, timer);
}

export function stopReplicaClock(estate: LabEstate): void {
  const timer = clocks.get(estate);
  if (timer) clearInterval(timer);
  clocks.delete(estate);
}

/** One step of the clock at `now`; exposed for tests. */
export function advanceReplicaClock(estate: LabEstate, now: number): void {
  const primary = estate.hypervPrimary;
  const replica = estate.hypervReplica;
  for (const vm of primary.vms) {
    const r = vm.replication;
    if (r?.state !== 'Replicating' || r.health !== 'Normal' || !r.frequencySec || !r.lastReplicationTime)
      continue;
    const cycleMs = r.frequencySec * 1000;
    const elapsed = now - Date.parse(r.lastReplicationTime);
    if (elapsed < cycleMs) continue;
    const at = new Date(
      Date.parse(r.lastReplicationTime) + Math.floor(elapsed / cycleMs) * cycleMs,
    ).toISOString();
    set(primary, vm.id, at);
    const copy = replica.vms.find((v) => v.id === vm.id || v.name === vm.name);
    if (copy) set(replica, copy.id, at);
  }
}

function set(doc: HypervInventory, id: string, at: string): void {
  const vm = doc.vms.find((v) => v.id === id);
  if (!vm?.replication) return;
  vm.replication.lastReplicationTime = at;
  labEndpointOf(doc).emit({ type: 'upsert', collection: 'vms', id, value: structuredClone(vm) });
}
