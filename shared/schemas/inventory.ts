import { z } from 'zod';

/**
 * The inventory documents the connectors produce (issue 3 for vSphere, issue 4 for Hyper-V).
 * `id` is the source's own identifier (a managed object reference value for vSphere, the VM
 * id / name for Hyper-V); references between objects use ids.
 */

export const vmPowerStateSchema = z.enum(['poweredOn', 'poweredOff', 'suspended']);

export const vsphereDiskSchema = z.object({
  key: z.number().int(),
  label: z.string(),
  fileName: z.string(),
  datastore: z.string().nullable(),
  capacityBytes: z.number().nonnegative(),
  controllerKey: z.number().int().nullable(),
  busNumber: z.number().int().nullable(),
  unitNumber: z.number().int().nullable(),
  thin: z.boolean(),
});

export const vsphereNicSchema = z.object({
  key: z.number().int(),
  mac: z.string().nullable(),
  network: z.string().nullable(),
  connected: z.boolean(),
  ipAddresses: z.array(z.string()),
});

export const vsphereVmSchema = z.object({
  id: z.string(),
  name: z.string(),
  uuid: z.string().nullable(),
  instanceUuid: z.string().nullable(),
  powerState: vmPowerStateSchema,
  /**
   * config.template: a template cannot be powered on; it is listed, not protected as a VM.
   * Defaults keep documents written before the field readable.
   */
  template: z.boolean().default(false),
  /**
   * runtime.connectionState: connected, disconnected (its host is), orphaned (its host no
   * longer knows it), inaccessible (its files are unreachable) or invalid.
   */
  connectionState: z.string().default('connected'),
  host: z.string().nullable(),
  hostName: z.string().nullable(),
  datacenter: z.string().nullable(),
  folderPath: z.string(),
  guestOs: z.string().nullable(),
  cpus: z.number().int().nonnegative(),
  memoryMB: z.number().int().nonnegative(),
  ipAddresses: z.array(z.string()),
  disks: z.array(vsphereDiskSchema),
  nics: z.array(vsphereNicSchema),
});
export type VsphereVm = z.infer<typeof vsphereVmSchema>;

export const vsphereInventorySchema = z.object({
  source: z.object({
    kind: z.literal('vsphere'),
    url: z.string(),
    about: z.object({ fullName: z.string(), apiVersion: z.string(), instanceUuid: z.string().nullable() }),
  }),
  datacenters: z.array(z.object({ id: z.string(), name: z.string(), path: z.string() })),
  clusters: z.array(z.object({ id: z.string(), name: z.string(), datacenter: z.string() })),
  hosts: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      datacenter: z.string(),
      cluster: z.string().nullable(),
      connectionState: z.string(),
      powerState: z.string(),
      product: z.string().nullable(),
      cpuCores: z.number().int().nonnegative(),
      memoryBytes: z.number().nonnegative(),
    }),
  ),
  datastores: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      datacenter: z.string(),
      type: z.string(),
      capacityBytes: z.number().nonnegative(),
      freeBytes: z.number().nonnegative(),
      accessible: z.boolean(),
    }),
  ),
  networks: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      datacenter: z.string(),
      kind: z.enum(['standard', 'distributed']),
    }),
  ),
  vms: z.array(vsphereVmSchema),
});
export type VsphereInventory = z.infer<typeof vsphereInventorySchema>;

/** Names of Hyper-V's VMReplicationState, VMReplicationHealthState and VMReplicationMode enums. */
export const hypervReplicationStateSchema = z.enum([
  'Disabled',
  'ReadyForInitialReplication',
  'InitialReplicationInProgress',
  'WaitingForInitialReplication',
  'Replicating',
  'PreparedForFailover',
  'FailedOverWaitingCompletion',
  'FailedOver',
  'Suspended',
  'Error',
  'WaitingForStartResynchronize',
  'Resynchronizing',
  'ResynchronizeSuspended',
  'RecoveryInProgress',
  'FailbackInProgress',
  'FailbackComplete',
  'WaitingForUpdateCompletion',
  'UpdateError',
  'WaitingForRepurposeCompletion',
  'PreparedForSyncReplication',
  'PreparedForGroupReverseReplication',
  'FiredrillInProgress',
]);
export type HypervReplicationState = z.infer<typeof hypervReplicationStateSchema>;
export const hypervReplicationHealthSchema = z.enum(['NotApplicable', 'Normal', 'Warning', 'Critical']);
export const hypervReplicationModeSchema = z.enum([
  'None',
  'Primary',
  'Replica',
  'TestReplica',
  'ExtendedReplica',
]);

export const hypervVmSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  host: z.string(),
  generation: z.number().int(),
  cpus: z.number().int().nonnegative(),
  memoryBytes: z.number().nonnegative(),
  uptimeSec: z.number().nonnegative(),
  disks: z.array(
    z.object({
      path: z.string(),
      controllerType: z.string(),
      controllerNumber: z.number().int(),
      controllerLocation: z.number().int(),
      sizeBytes: z.number().nonnegative().nullable(),
    }),
  ),
  nics: z.array(
    z.object({
      name: z.string(),
      mac: z.string().nullable(),
      switch: z.string().nullable(),
      ipAddresses: z.array(z.string()),
    }),
  ),
  replication: z
    .object({
      state: hypervReplicationStateSchema,
      health: hypervReplicationHealthSchema,
      mode: hypervReplicationModeSchema,
      primaryServer: z.string().nullable(),
      replicaServer: z.string().nullable(),
      frequencySec: z.number().int().nullable(),
      lastReplicationTime: z.iso.datetime().nullable(),
      pendingBytes: z.number().nonnegative().nullable(),
    })
    .nullable(),
});
export type HypervVm = z.infer<typeof hypervVmSchema>;

export const hypervInventorySchema = z.object({
  source: z.object({ kind: z.literal('hyperv'), host: z.string(), port: z.number().int() }),
  hosts: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      os: z.string().nullable(),
      cpuCores: z.number().int().nonnegative(),
      memoryBytes: z.number().nonnegative(),
      replicaServer: z.object({
        enabled: z.boolean(),
        port: z.number().int().nullable(),
        auth: z.string().nullable(),
      }),
    }),
  ),
  switches: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string() })),
  vms: z.array(hypervVmSchema),
});
export type HypervInventory = z.infer<typeof hypervInventorySchema>;

export const inventoryDocumentSchema = z.union([vsphereInventorySchema, hypervInventorySchema]);
export type InventoryDocument = z.infer<typeof inventoryDocumentSchema>;

/** A live change to one connection's inventory (vSphere property-collector update, lab change …). */
export const inventoryChangedSchema = z.object({
  connectionId: z.string(),
  change: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('upsert'),
      collection: z.string(),
      id: z.string(),
      value: z.looseObject({ id: z.string() }),
    }),
    z.object({ type: z.literal('remove'), collection: z.string(), id: z.string() }),
  ]),
});
export type InventoryChanged = z.infer<typeof inventoryChangedSchema>;

/**
 * Applies one live change to an inventory document: the backend's cache and the renderer's copy
 * use the same rule. Copy-on-write of the one collection touched; unknown collections are ignored.
 */
export function applyInventoryChange<D extends InventoryDocument>(
  doc: D,
  change: InventoryChanged['change'],
): D {
  const list = (doc as unknown as Record<string, unknown>)[change.collection];
  if (!Array.isArray(list)) return doc;
  const items = list as Array<{ id: string }>;
  const index = items.findIndex((x) => x.id === change.id);
  let next: Array<{ id: string }>;
  if (change.type === 'remove') {
    if (index < 0) return doc;
    next = items.filter((_, i) => i !== index);
  } else if (index >= 0) {
    next = [...items];
    next[index] = { ...items[index], ...change.value };
  } else {
    next = [...items, change.value];
  }
  return { ...doc, [change.collection]: next };
}
