import type { InventoryDocument } from '../../shared/schemas/inventory';
import type { EnableReplicationOptions } from '../hyperv/client';
import type { GuestCustomization } from '../inventory/operations';
import type { LabEstate } from './estate';

/**
 * How long the lab's tasks take, in milliseconds. The defaults are those of a healthy vCenter
 * (power-on 2 s, create 3 s, reconfigure 1 s), so that a lab failover shows progress the way a
 * real one does; tests set them to 0 or a few ms.
 */
export interface LabTiming {
  powerOnMs: number;
  powerOffMs: number;
  shutdownGuestMs: number;
  createVmMs: number;
  deleteVmMs: number;
  reconfigureMs: number;
  createDiskMs: number;
  deleteFileMs: number;
  snapshotMs: number;
  /** Hyper-V Replica's initial copy of a lab VM, from Start-VMInitialReplication to Replicating. */
  hypervInitialCopyMs: number;
}

export const REALISTIC_LAB_TIMING: LabTiming = {
  powerOnMs: 2000,
  powerOffMs: 1000,
  shutdownGuestMs: 3000,
  createVmMs: 3000,
  deleteVmMs: 1000,
  reconfigureMs: 1000,
  createDiskMs: 1000,
  deleteFileMs: 500,
  snapshotMs: 1000,
  hypervInitialCopyMs: 5000,
};

export const INSTANT_LAB_TIMING: LabTiming = {
  powerOnMs: 0,
  powerOffMs: 0,
  shutdownGuestMs: 0,
  createVmMs: 0,
  deleteVmMs: 0,
  reconfigureMs: 0,
  createDiskMs: 0,
  deleteFileMs: 0,
  snapshotMs: 0,
  hypervInitialCopyMs: 0,
};

/**
 * One change as the lab emits it. A document's sources narrow it to their InventoryChange<D>: the
 * lab only ever names collections of its own document.
 */
export type LabChange =
  | { type: 'upsert'; collection: string; id: string; value: { id: string } & Record<string, unknown> }
  | { type: 'remove'; collection: string; id: string };

export interface LabFile {
  capacityBytes: number;
  thin: boolean;
  datastore: string | null;
}

export interface LabTask {
  id: string;
  operation: string;
  state: 'running' | 'success' | 'error';
  done: Promise<void>;
  cancel(): void;
}

/**
 * The state of one lab endpoint beyond its inventory document, shared by every source opened on
 * that document (the console's and the lab server's see the same changes): watchers, running
 * tasks, datastore files, SCSI controllers, snapshots and the timing of its tasks.
 */
export class LabEndpoint {
  readonly listeners = new Set<(change: LabChange) => void>();
  readonly tasks = new Map<string, LabTask>();
  /** Datastore files by "[datastore] path", built from the VMs' disks on first use. */
  private fileTable: Map<string, LabFile> | null = null;
  /** SCSI buses per VM beyond those its disks show. */
  readonly controllers = new Map<string, Map<number, string>>();
  readonly firmware = new Map<string, 'bios' | 'efi'>();
  /** Guest customizations queued on a VM, applied (its NICs' addresses) at its next power-on. */
  readonly customizations = new Map<string, GuestCustomization>();
  readonly snapshots = new Map<string, Array<{ id: string; name: string; createdAt: string }>>();
  /** Hyper-V Replica settings of each VM that replicates (what Enable-VMReplication was given). */
  readonly replicaSettings = new Map<string, EnableReplicationOptions>();
  timing: LabTiming = REALISTIC_LAB_TIMING;
  private seq = 0;

  constructor(readonly doc: InventoryDocument) {}

  nextId(prefix: string): string {
    this.seq++;
    return `${prefix}-${this.seq}`;
  }

  get files(): Map<string, LabFile> {
    if (!this.fileTable) {
      this.fileTable = new Map();
      if (this.doc.source.kind === 'vsphere') {
        for (const vm of this.doc.vms as Array<{
          disks: Array<{ fileName: string; capacityBytes: number; thin: boolean; datastore: string | null }>;
        }>) {
          for (const d of vm.disks) {
            this.fileTable.set(d.fileName, {
              capacityBytes: d.capacityBytes,
              thin: d.thin,
              datastore: d.datastore,
            });
          }
        }
      }
    }
    return this.fileTable;
  }

  emit(change: LabChange): void {
    for (const l of this.listeners) l(change);
  }
}

const endpoints = new WeakMap<InventoryDocument, LabEndpoint>();

/** The one LabEndpoint of a lab document. */
export function labEndpointOf(doc: InventoryDocument): LabEndpoint {
  let ep = endpoints.get(doc);
  if (!ep) {
    ep = new LabEndpoint(doc);
    endpoints.set(doc, ep);
  }
  return ep;
}

/** Sets how long the tasks of every endpoint of a lab estate take. */
export function setLabTiming(estate: LabEstate, timing: Partial<LabTiming>): void {
  for (const doc of [estate.primary, estate.secondary, estate.hypervPrimary, estate.hypervReplica]) {
    const ep = labEndpointOf(doc);
    ep.timing = { ...ep.timing, ...timing };
  }
}
