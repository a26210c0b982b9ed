import type { HypervInventory } from '../../shared/schemas/inventory';
import type { InventoryChange, InventoryCollection } from '../inventory/source';
import type { HvRawInventory } from './client';

/** The inventory document of one Hyper-V host (shared/schemas/inventory.ts hypervInventorySchema). */
export function toInventoryDocument(
  raw: HvRawInventory,
  source: { host: string; port: number },
): HypervInventory {
  const h = raw.host;
  const hostId = h.name;
  const rs = h.replicaServer;
  const port = !rs.enabled
    ? null
    : rs.auth === 'Certificate'
      ? rs.certificatePort
      : (rs.kerberosPort ?? rs.certificatePort);
  const replByVm = new Map(raw.replication.map((r) => [r.vmId, r]));
  const statsByVm = new Map(raw.stats.map((s) => [s.vmId, s]));
  return {
    source: { kind: 'hyperv', host: source.host, port: source.port },
    hosts: [
      {
        id: hostId,
        name: h.fqdn ?? h.name,
        os: h.os,
        cpuCores: h.cpuCores,
        memoryBytes: h.memoryBytes,
        replicaServer: { enabled: rs.enabled, port: port ?? null, auth: rs.enabled ? rs.auth : null },
      },
    ],
    switches: raw.switches.map((s) => ({ id: s.id, name: s.name, kind: s.kind })),
    vms: raw.vms.map((vm) => {
      const r = replByVm.get(vm.id);
      const st = statsByVm.get(vm.id);
      return {
        id: vm.id,
        name: vm.name,
        state: vm.state,
        host: hostId,
        generation: vm.generation,
        cpus: vm.cpus,
        memoryBytes: vm.memoryStartupBytes,
        uptimeSec: vm.uptimeSec,
        disks: raw.disks
          .filter((d) => d.vmId === vm.id)
          .map((d) => ({
            path: d.path ?? '',
            controllerType: d.controllerType,
            controllerNumber: d.controllerNumber,
            controllerLocation: d.controllerLocation,
            sizeBytes: d.sizeBytes,
          })),
        nics: raw.nics
          .filter((n) => n.vmId === vm.id)
          .map((n) => ({ name: n.name, mac: n.mac, switch: n.switchName, ipAddresses: n.ipAddresses })),
        replication: r
          ? {
              state: r.state,
              health: r.health,
              mode: r.mode,
              primaryServer: r.primaryServer,
              replicaServer: r.replicaServer,
              frequencySec: r.frequencySec,
              lastReplicationTime: st?.lastReplicationTime ?? r.lastReplicationTime,
              pendingBytes: st?.pendingBytes ?? null,
            }
          : null,
      };
    }),
  };
}

type Collection = InventoryCollection<HypervInventory>;
const COLLECTIONS: Collection[] = ['hosts', 'switches', 'vms'];

/** Uptime grows on every poll; it is reported with a change, but is not one by itself. */
function comparable(collection: Collection, value: { id: string }): string {
  if (collection === 'vms') {
    const { uptimeSec: _ignored, ...rest } = value as { id: string; uptimeSec?: number };
    return JSON.stringify(rest);
  }
  return JSON.stringify(value);
}

/** The changes that turn `before` into `after`, collection by collection, keyed by id. */
export function diffInventory(
  before: HypervInventory,
  after: HypervInventory,
): InventoryChange<HypervInventory>[] {
  const changes: InventoryChange<HypervInventory>[] = [];
  for (const collection of COLLECTIONS) {
    const prev = new Map<string, { id: string }>(before[collection].map((o) => [o.id, o]));
    const next = new Map<string, { id: string }>(after[collection].map((o) => [o.id, o]));
    for (const [id, value] of next) {
      const old = prev.get(id);
      if (!old || comparable(collection, old) !== comparable(collection, value)) {
        changes.push({
          type: 'upsert',
          collection,
          id,
          value: value as { id: string } & Record<string, unknown>,
        });
      }
    }
    for (const id of prev.keys()) {
      if (!next.has(id)) changes.push({ type: 'remove', collection, id });
    }
  }
  return changes;
}

/** How the console shows replication health: Hyper-V's Normal / Warning / Critical as topology levels. */
export function replicationHealthLevel(
  health: 'NotApplicable' | 'Normal' | 'Warning' | 'Critical' | null | undefined,
): 'ok' | 'warning' | 'critical' | 'unknown' {
  switch (health) {
    case 'Normal':
      return 'ok';
    case 'Warning':
      return 'warning';
    case 'Critical':
      return 'critical';
    default:
      return 'unknown';
  }
}

/** "Replicating · Normal", "Failed over waiting completion · Warning", or "Not replicated". */
export function describeReplication(r: { state: string; health: string } | null): string {
  if (!r) return 'Not replicated';
  const words = r.state.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const state = words.charAt(0).toUpperCase() + words.slice(1);
  return r.health === 'NotApplicable' ? state : `${state} · ${r.health}`;
}
