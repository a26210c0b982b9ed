import { ApiError } from '../../shared/errors';
import { sayOp } from '../../shared/i18n/operation-words';
import type { Said } from '../../shared/i18n/worded';

/**
 * What a DR workflow step may do to an endpoint, with one shape for vSphere, Hyper-V and the lab:
 * a step is written once and runs on all three (DESIGN.md, "Acting on endpoints"). Objects are
 * named by their inventory ids (vSphere managed object values such as `vm-42`, Hyper-V VM GUIDs),
 * the ids the inventory documents already carry.
 *
 * Power operations look before they act (powering off a VM that is off is not an error), so that
 * a step run twice changes nothing the second time. Operations an endpoint kind cannot do are
 * absent from `supports` and throw an `ApiError('conflict')` that says so.
 */

export type VmPowerState = 'poweredOn' | 'poweredOff' | 'suspended';
export type Firmware = 'bios' | 'efi';
export type ScsiControllerKind = 'pvscsi' | 'lsilogic' | 'lsilogic-sas' | 'buslogic';
export type NicAdapter = 'vmxnet3' | 'e1000e' | 'e1000' | 'vmxnet2' | 'pcnet32';

export const operationNames = [
  'findVm',
  'recoverySettings',
  'powerOn',
  'powerOff',
  'shutdownGuest',
  'createVm',
  'deleteVm',
  'ensureScsiController',
  'attachDisk',
  'detachDisk',
  'createDisk',
  'copyDisk',
  'deleteFile',
  'existingFiles',
  'createSnapshot',
  'removeSnapshot',
  'datastoreSpace',
  'customizeGuest',
  'waitForTask',
  'cancelTask',
] as const;
export type OperationName = (typeof operationNames)[number];

/** A task an endpoint runs on its own (a vCenter Task). Recorded before waiting, so a restarted step waits on it again. */
export interface TaskRef {
  /** The endpoint's own id of the task (vSphere: `task-123`). */
  id: string;
  /** The method that started it, for messages. */
  operation: string;
}

export interface OperationOptions {
  signal?: AbortSignal;
  /** Called once the endpoint accepted a task, before waiting on it. */
  onTask?: (task: TaskRef) => void | Promise<void>;
  /** Progress of the running task, 0..1. */
  onProgress?: (fraction: number) => void;
  /**
   * Runs each endpoint task, from its start to its end, under the caller's cap (the
   * configuration server's concurrent-task limit per vCenter). Reads (property collector,
   * inventory look-ups) run outside it: vCenter's limits are on tasks, not on reads.
   */
  taskSlot?: TaskSlot;
}

/** Holds a slot of a concurrency cap while `task` runs (see OperationOptions.taskSlot). */
export type TaskSlot = <T>(task: () => Promise<T>) => Promise<T>;

export interface VmDiskInfo {
  /** "[datastore] folder/name.vmdk" (vSphere, the lab) or a .vhdx path (Hyper-V). */
  fileName: string;
  /** Datastore id (null where the endpoint has none, e.g. Hyper-V). */
  datastore: string | null;
  capacityBytes: number;
  /** SCSI bus number (vSphere) or controller number (Hyper-V). */
  controller: number;
  unit: number;
}

export interface VmInfo {
  id: string;
  name: string;
  /** BIOS uuid (vSphere config.uuid), the VM id on Hyper-V. */
  uuid: string | null;
  powerState: VmPowerState;
  guestOs: string | null;
  cpus: number;
  memoryMB: number;
  firmware: Firmware | null;
  host: string | null;
  disks: VmDiskInfo[];
  nics: Array<{ network: string | null; mac: string | null }>;
  /** SCSI buses present (vSphere, the lab); Hyper-V lists its SCSI controller numbers. */
  scsiControllers: Array<{ bus: number; kind: string; units: number[] }>;
}

export type VmQuery = { id: string } | { name: string } | { uuid: string };

/** The boot options a recovered VM keeps (vSphere's VirtualMachineBootOptions, less the boot order). */
export interface BootOptions {
  bootDelayMs?: number;
  enterBIOSSetup?: boolean;
  efiSecureBootEnabled?: boolean;
  bootRetryEnabled?: boolean;
  bootRetryDelayMs?: number;
  networkBootProtocol?: string;
}

/** What a recovered VM carries over from its source to boot the same way. */
export interface RecoverySettings {
  guestId: string;
  cpus: number;
  memoryMB: number;
  firmware: Firmware;
  bootOptions: BootOptions;
  scsiControllers: Array<{ bus: number; kind: ScsiControllerKind }>;
  /** In device order, with the source's MAC to keep. */
  nics: Array<{ adapter: NicAdapter; mac: string | null }>;
}

export interface NewVmSpec {
  name: string;
  placement: {
    /** Cluster id: the VM goes to the cluster's root resource pool. */
    cluster?: string;
    /** Host id: the VM goes to the host (its compute resource's pool). One of cluster/host. */
    host?: string;
    /** Folder id or inventory path under the datacenter's VM folder (`/Recovered`); default the VM folder. */
    folder?: string;
    /** Datastore id: where the VM's configuration files go. */
    datastore: string;
  };
  guestId: string;
  cpus: number;
  memoryMB: number;
  firmware?: Firmware;
  bootOptions?: BootOptions;
  /** Default: one LSI Logic SAS controller on bus 0 (every guest has its driver); copy the source's. */
  scsiControllers?: Array<{ bus: number; kind: ScsiControllerKind }>;
  /** Existing disk files (replicas) to attach. */
  disks?: Array<{ fileName: string; controller: number; unit: number }>;
  /** Network ids (standard or distributed port groups); `mac` keeps the source's address. */
  nics?: Array<{ network: string; adapter?: NicAdapter; mac?: string }>;
}

export interface NewDiskSpec {
  /** Datastore id the file goes to. */
  datastore: string;
  /** Path inside the datastore, e.g. `replicas/web-01/disk-0.vmdk`. */
  path: string;
  capacityBytes: number;
  controller: number;
  unit: number;
  /** Default true. */
  thin?: boolean;
}

export interface DatastoreSpace {
  id: string;
  name: string;
  capacityBytes: number;
  freeBytes: number;
  accessible: boolean;
}

export interface SnapshotInfo {
  id: string;
  name: string;
  createdAt: string | null;
}

export type ShutdownOutcome = 'already-off' | 'guest-shutdown' | 'powered-off';

/**
 * Re-addressing a recovered VM's guest (vSphere guest customization, applied by VMware Tools at
 * the next power-on). One entry per NIC, in device order: a NIC the plan does not re-address
 * gets DHCP, since vSphere's customization sets every NIC.
 */
export interface GuestCustomization {
  /**
   * Linux: LinuxPrep. Windows: Sysprep, which gives the server a new SID and takes it out of its
   * domain (it joins `workgroup`); a domain join needs a domain account's password, which a plan
   * file must not hold.
   */
  osFamily: 'linux' | 'windows';
  /** The guest's host name (kept: the source VM's name; a Windows computer name has at most 15 characters). */
  hostName: string;
  /** Linux: the DNS domain the guest's FQDN is in. Windows: the re-addressed NIC's DNS suffix ('' for none). */
  domain: string;
  /** Windows: the workgroup the guest joins. */
  workgroup?: string;
  nics: Array<
    { dhcp: true } | { dhcp?: false; address: string; subnetMask: string; gateway?: string; dns: string[] }
  >;
  /** DNS servers for the whole guest (Linux resolv.conf). */
  dnsServers: string[];
}

export interface EndpointOperations {
  readonly kind: 'vsphere' | 'hyperv';
  readonly supports: ReadonlySet<OperationName>;
  /** The same operations with defaults for every call (a step's signal and task recorder). */
  bind(defaults: OperationOptions): EndpointOperations;

  findVm(query: VmQuery, options?: OperationOptions): Promise<VmInfo | null>;
  /** The source settings a recovered copy of this VM needs (firmware, controllers, NIC kinds and MACs). */
  recoverySettings(vmId: string, options?: OperationOptions): Promise<RecoverySettings>;
  powerOn(vmId: string, options?: OperationOptions): Promise<'already-on' | 'powered-on'>;
  powerOff(vmId: string, options?: OperationOptions): Promise<'already-off' | 'powered-off'>;
  /** Asks the guest to shut down, powers off after `timeoutMs` (default 300 s). */
  shutdownGuest(vmId: string, options?: OperationOptions & { timeoutMs?: number }): Promise<ShutdownOutcome>;
  createVm(spec: NewVmSpec, options?: OperationOptions): Promise<VmInfo>;
  /** Removes the VM and the files of the disks still attached to it: detach what must stay first. */
  deleteVm(vmId: string, options?: OperationOptions): Promise<'deleted' | 'not-found'>;
  /** Adds a SCSI controller on `bus` unless one is there. */
  ensureScsiController(
    vmId: string,
    bus: number,
    kind?: ScsiControllerKind,
    options?: OperationOptions,
  ): Promise<'present' | 'added'>;
  attachDisk(
    vmId: string,
    disk: { fileName: string; controller: number; unit: number },
    options?: OperationOptions,
  ): Promise<'attached' | 'already-attached'>;
  /** Detaches the disk backed by `fileName`, keeping the file. */
  detachDisk(
    vmId: string,
    fileName: string,
    options?: OperationOptions,
  ): Promise<'detached' | 'not-attached'>;
  /** Creates an empty disk file and attaches it at controller/unit; returns its file name. */
  createDisk(vmId: string, disk: NewDiskSpec, options?: OperationOptions): Promise<{ fileName: string }>;
  /** Copies a disk file to "[datastore] path" (a test failover's copy of a replica); an existing copy is kept. */
  copyDisk(source: string, destination: string, options?: OperationOptions): Promise<'copied' | 'exists'>;
  /** Deletes a file ("[datastore] path"); a missing file is 'not-found', not an error. */
  deleteFile(fileName: string, options?: OperationOptions): Promise<'deleted' | 'not-found'>;
  /** Which of these "[datastore] path" files are on their datastores (a missing folder: none of its files). */
  existingFiles(fileNames: string[], options?: OperationOptions): Promise<string[]>;
  createSnapshot(
    vmId: string,
    snapshot: { name: string; description?: string; quiesce?: boolean },
    options?: OperationOptions,
  ): Promise<SnapshotInfo>;
  removeSnapshot(vmId: string, snapshotId: string, options?: OperationOptions): Promise<void>;
  /** By datastore id; unknown ids are left out. */
  datastoreSpace(datastores: string[], options?: OperationOptions): Promise<DatastoreSpace[]>;
  /**
   * Queues a guest customization that VMware Tools applies at the VM's next power-on; the VM
   * must be off. 'pending' when one is queued already (a run before an interruption did it).
   */
  customizeGuest(
    vmId: string,
    spec: GuestCustomization,
    options?: OperationOptions,
  ): Promise<'customized' | 'pending'>;
  /** 'unknown' when the endpoint no longer knows the task (it restarted or forgot it). */
  waitForTask(task: TaskRef, options?: OperationOptions): Promise<'succeeded' | 'unknown'>;
  cancelTask(task: TaskRef, options?: OperationOptions): Promise<void>;
}

/** The error for an operation an endpoint kind does not have. */
export function unsupported(kind: string, operation: OperationName, why: Said): ApiError {
  return new ApiError('conflict', sayOp('op.unsupported', { operation, kind, why }));
}

/** Merges per-call options over bound defaults; both signals abort the call. */
export function mergeOptions<T extends OperationOptions>(defaults: OperationOptions, options?: T): T {
  const merged = { ...defaults, ...options } as T;
  if (defaults.signal && options?.signal && defaults.signal !== options.signal) {
    merged.signal = AbortSignal.any([defaults.signal, options.signal]);
  }
  if (defaults.onTask && options?.onTask && defaults.onTask !== options.onTask) {
    const a = defaults.onTask;
    const b = options.onTask;
    merged.onTask = async (t) => {
      await a(t);
      await b(t);
    };
  }
  return merged;
}

/** Checks a SCSI slot the same way everywhere: 4 buses, units 0-15 without 7 (the controller). */
export function checkScsiSlot(controller: number, unit: number): void {
  if (!Number.isInteger(controller) || controller < 0 || controller > 3) {
    throw new ApiError('invalid-input', sayOp('op.scsiController', { controller: String(controller) }));
  }
  if (!Number.isInteger(unit) || unit < 0 || unit > 15 || unit === 7) {
    throw new ApiError('invalid-input', sayOp('op.scsiUnit', { unit: String(unit) }));
  }
}
