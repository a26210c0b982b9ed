import { createHash } from 'node:crypto';
import { ApiError } from '../../shared/errors';
import type { HypervInventory, HypervVm, InventoryDocument } from '../../shared/schemas/inventory';
import type { EnableReplicationOptions, HvHost, HvReplication, ReplicationSettings } from '../hyperv/client';
import { labEndpointOf } from './endpoint';

/**
 * Hyper-V Replica on the lab's Hyper-V hosts, as far as protecting a machine goes: the replica
 * server's settings (Get-VMReplicationServer), its storage location, Enable-VMReplication (the
 * replica VM appears, off, on the replica host with the primary's id) and
 * Start-VMInitialReplication, whose copy takes `hypervInitialCopyMs` before both ends report
 * Replicating. Failing a lab replica over is not modelled: those cmdlets refuse with why.
 */

/** The replica host a primary lab Hyper-V host replicates to (set when the estate is built). */
const partners = new WeakMap<InventoryDocument, HypervInventory>();

export function linkLabReplica(primary: HypervInventory, replica: HypervInventory): void {
  partners.set(primary, replica);
}

const inventory = (doc: InventoryDocument): HypervInventory => {
  if (doc.source.kind !== 'hyperv') throw new ApiError('internal', 'not a lab Hyper-V host');
  return doc as HypervInventory;
};

function vmOf(doc: HypervInventory, vmId: string): HypervVm {
  const vm = doc.vms.find((v) => v.id === vmId || v.name === vmId);
  if (!vm) throw new ApiError('not-found', `VM ${vmId} was not found on ${doc.source.host}`);
  return vm;
}

function emit(doc: InventoryDocument, vm: HypervVm): void {
  labEndpointOf(doc).emit({ type: 'upsert', collection: 'vms', id: vm.id, value: structuredClone(vm) });
}

/** A stable certificate thumbprint per lab host (40 hex digits, as Hyper-V shows one). */
const thumbprint = (host: string) =>
  createHash('sha1').update(`siteshift-lab:${host}`).digest('hex').toUpperCase();

export function labReplicaHost(doc: InventoryDocument): HvHost {
  const inv = inventory(doc);
  const h = inv.hosts[0]!;
  const rs = h.replicaServer;
  const cert = rs.auth === 'Certificate' || rs.auth === 'CertificateAndKerberos';
  const kerberos = rs.auth === 'Kerberos' || rs.auth === 'CertificateAndKerberos';
  return {
    name: h.name.split('.')[0]!.toUpperCase(),
    fqdn: h.name,
    os: h.os ?? null,
    osVersion: null,
    logicalProcessors: h.cpuCores * 2,
    cpuCores: h.cpuCores,
    memoryBytes: h.memoryBytes,
    replicaServer: {
      enabled: rs.enabled,
      auth: rs.auth,
      kerberosPort: kerberos ? (rs.port ?? 80) : null,
      certificatePort: cert ? (rs.port ?? 443) : null,
      certificateThumbprint: thumbprint(h.name),
    },
  };
}

/** The replica server's default storage location and its volume (Get-VMReplicationServer). */
export function labReplicaStorage(doc: InventoryDocument) {
  const inv = inventory(doc);
  if (!inv.hosts[0]?.replicaServer.enabled) return null;
  const TiB = 1024 ** 4;
  const used = inv.vms.reduce((n, v) => n + v.disks.reduce((m, d) => m + (d.sizeBytes ?? 0), 0), 0);
  return { path: 'D:\\Hyper-V\\Replica', volume: 'D:', freeBytes: 8 * TiB - used, sizeBytes: 8 * TiB };
}

export function labReplication(doc: InventoryDocument, vmId: string): HvReplication | null {
  const vm = vmOf(inventory(doc), vmId);
  const r = vm.replication;
  if (!r) return null;
  const settings = labEndpointOf(doc).replicaSettings.get(vm.id);
  return {
    vmId: vm.id,
    vmName: vm.name,
    state: r.state as HvReplication['state'],
    health: r.health as HvReplication['health'],
    mode: r.mode as HvReplication['mode'],
    primaryServer: r.primaryServer,
    replicaServer: r.replicaServer,
    replicaPort: settings?.replicaPort ?? null,
    auth: settings?.auth ?? null,
    certificateThumbprint: settings?.certificateThumbprint ?? null,
    frequencySec: r.frequencySec,
    recoveryHistory: settings?.recoveryHistory ?? null,
    vssSnapshotFrequencyHours: settings?.vssFrequencyHours ?? null,
    compression: settings?.compression ?? true,
    lastReplicationTime: r.lastReplicationTime,
  };
}

/** Enable-VMReplication: the primary is ReadyForInitialReplication, the replica VM exists, off. */
export function labEnableReplication(
  doc: InventoryDocument,
  vmId: string,
  o: EnableReplicationOptions,
): HvReplication {
  const inv = inventory(doc);
  const vm = vmOf(inv, vmId);
  if (vm.replication)
    throw new ApiError(
      'conflict',
      `Enable-VMReplication: ${vm.name} already replicates (${vm.replication.state}) to ${vm.replication.replicaServer}`,
    );
  const replica = partners.get(doc);
  const replicaHost = replica?.hosts[0];
  if (!replica || !replicaHost || replicaHost.name.toLowerCase() !== o.replicaServer.toLowerCase())
    throw new ApiError(
      'remote-error',
      `Enable-VMReplication: the replica server ${o.replicaServer} could not be reached from ${inv.source.host}`,
    );
  if (!replicaHost.replicaServer.enabled)
    throw new ApiError(
      'conflict',
      `Enable-VMReplication: ${o.replicaServer} is not a Hyper-V Replica server`,
    );
  const frequencySec = o.frequencySec ?? 300;
  vm.replication = {
    state: 'ReadyForInitialReplication',
    health: 'Normal',
    mode: 'Primary',
    primaryServer: inv.hosts[0]!.name,
    replicaServer: replicaHost.name,
    frequencySec,
    lastReplicationTime: null,
    pendingBytes: vm.disks.reduce((n, d) => n + (d.sizeBytes ?? 0), 0),
  };
  labEndpointOf(doc).replicaSettings.set(vm.id, o);
  const copy: HypervVm = {
    ...structuredClone(vm),
    host: replicaHost.name,
    state: 'Off',
    uptimeSec: 0,
    nics: vm.nics.map((n) => ({ ...n, ipAddresses: [] })),
    replication: {
      ...vm.replication,
      mode: 'Replica',
      state: 'WaitingForInitialReplication',
      pendingBytes: null,
    },
  };
  replica.vms = [...replica.vms.filter((v) => v.id !== vm.id), copy];
  labEndpointOf(replica).replicaSettings.set(vm.id, o);
  emit(doc, vm);
  emit(replica, copy);
  return labReplication(doc, vm.id)!;
}

/**
 * Set-VMReplication of a replication's settings, on its primary: both ends keep the new frequency,
 * recovery history and VSS frequency (none: crash-consistent points only).
 */
export function labSetReplicationSettings(
  doc: InventoryDocument,
  vmId: string,
  o: ReplicationSettings,
): HvReplication {
  const vm = vmOf(inventory(doc), vmId);
  const r = vm.replication;
  if (r?.mode !== 'Primary')
    throw new ApiError(
      'conflict',
      `Set-VMReplication: ${vm.name} is not the primary of a replication (${r ? `${r.state}, ${r.mode}` : 'not enabled'})`,
    );
  const frequencySec = o.frequencySec ?? 300;
  const change = (d: InventoryDocument, v: HypervVm) => {
    const ep = labEndpointOf(d);
    const before = ep.replicaSettings.get(v.id);
    if (before) {
      const { vssFrequencyHours: _, ...rest } = before;
      ep.replicaSettings.set(v.id, { ...rest, ...o, frequencySec });
    }
    if (v.replication) v.replication.frequencySec = frequencySec;
    emit(d, v);
  };
  change(doc, vm);
  const replica = partners.get(doc);
  const copy = replica?.vms.find((v) => v.id === vm.id);
  if (replica && copy) change(replica, copy);
  return labReplication(doc, vm.id)!;
}

/**
 * Start-VMInitialReplication: the copy runs for the lab's initial-copy time, then both ends
 * replicate with Normal health (the replica clock moves their last replication on).
 */
export function labStartInitialReplication(doc: InventoryDocument, vmId: string): HvReplication {
  const inv = inventory(doc);
  const vm = vmOf(inv, vmId);
  if (vm.replication?.state !== 'ReadyForInitialReplication')
    throw new ApiError(
      'conflict',
      `Start-VMInitialReplication: ${vm.name} is ${vm.replication?.state ?? 'not replicating'}, not ReadyForInitialReplication`,
    );
  const replica = partners.get(doc)!;
  const set = (state: 'InitialReplicationInProgress' | 'Replicating', at: string | null) => {
    for (const [d, v] of [
      [doc, vm],
      [replica, replica.vms.find((x) => x.id === vm.id)],
    ] as const) {
      if (!v?.replication) continue;
      v.replication = {
        ...v.replication,
        state,
        lastReplicationTime: at,
        pendingBytes:
          v.replication.mode === 'Primary'
            ? state === 'Replicating'
              ? 0
              : v.replication.pendingBytes
            : null,
      };
      emit(d, v);
    }
  };
  set('InitialReplicationInProgress', null);
  const timer = setTimeout(() => {
    if (vm.replication?.state === 'InitialReplicationInProgress')
      set('Replicating', new Date().toISOString());
  }, labEndpointOf(doc).timing.hypervInitialCopyMs);
  timer.unref?.();
  return labReplication(doc, vm.id)!;
}

/** The cmdlets that fail a replica over: the lab's hosts do not model them. */
export function labReplicaUnsupported(cmdlet: string, doc: InventoryDocument): never {
  throw new ApiError(
    'conflict',
    `${cmdlet}: the lab's Hyper-V host ${inventory(doc).source.host} replicates (protect) but does not model Hyper-V Replica failover; fail Hyper-V machines over on a real host`,
  );
}
