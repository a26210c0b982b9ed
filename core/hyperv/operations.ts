import { ApiError, errorSaid } from '../../shared/errors';
import { sayOp } from '../../shared/i18n/operation-words';
import {
  type EndpointOperations,
  mergeOptions,
  type OperationName,
  type OperationOptions,
  type ShutdownOutcome,
  type TaskRef,
  unsupported,
  type VmInfo,
  type VmPowerState,
  type VmQuery,
} from '../inventory/operations';
import type {
  EnableReplicationOptions,
  FailoverOptions,
  HvHost,
  HvReplication,
  HvSnapshot,
  HvVm,
  HypervClient,
  ReplicationSettings,
  ReverseOptions,
  VmRef,
} from './client';

/**
 * The connector-neutral operations over the Hyper-V cmdlets of client.ts, where they apply. A
 * Hyper-V host recovers a machine through Hyper-V Replica (its own failover cmdlets), not by
 * building a VM from disk files, so creating VMs, moving disks and datastore space are not
 * offered here; power and lookups are. Cmdlets run synchronously: there are no tasks to record.
 */

const SUPPORTED: ReadonlySet<OperationName> = new Set<OperationName>([
  'findVm',
  'powerOn',
  'powerOff',
  'shutdownGuest',
  'waitForTask',
  'cancelTask',
]);

const WHY = sayOp('op.why.replicaWorkflow');
const REPLICA_POINTS = sayOp('op.why.replicaPoints');

/** Hyper-V VM states → the power states the workflows compare. */
function powerStateOf(state: string): VmPowerState {
  if (state === 'Off' || state === 'OffCritical') return 'poweredOff';
  if (state === 'Saved' || state === 'Paused' || state === 'SavedCritical' || state === 'PausedCritical')
    return 'suspended';
  return 'poweredOn';
}

const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

export class HypervOperations implements EndpointOperations {
  readonly kind = 'hyperv' as const;
  readonly supports = SUPPORTED;

  constructor(
    readonly client: HypervClient,
    private readonly defaults: OperationOptions = {},
  ) {}

  bind(defaults: OperationOptions): EndpointOperations {
    return new HypervOperations(this.client, mergeOptions(this.defaults, defaults));
  }

  private call(options?: OperationOptions) {
    return { signal: mergeOptions(this.defaults, options).signal };
  }

  private async get(vmId: string, options?: OperationOptions): Promise<HvVm> {
    return this.client.getVM(this.ref(vmId), this.call(options));
  }

  private ref(vmId: string): VmRef {
    return GUID.test(vmId) ? { id: vmId } : { name: vmId };
  }

  async findVm(query: VmQuery, options?: OperationOptions): Promise<VmInfo | null> {
    const ref: VmRef = 'name' in query ? { name: query.name } : { id: 'id' in query ? query.id : query.uuid };
    let vms: HvVm[];
    try {
      vms = await this.client.getVMs(ref, this.call(options));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'not-found') return null;
      throw err;
    }
    if (vms.length === 0) return null;
    if (vms.length > 1) {
      throw new ApiError(
        'conflict',
        sayOp('op.hvVmsNamed', {
          count: vms.length,
          name: 'name' in query ? query.name : '',
          endpoint: this.client.endpoint,
        }),
      );
    }
    const vm = vms[0]!;
    const [disks, nics] = await Promise.all([
      this.client.getHardDiskDrives({ id: vm.id }, this.call(options)),
      this.client.getNetworkAdapters({ id: vm.id }, this.call(options)),
    ]);
    const scsi = new Map<number, number[]>();
    for (const d of disks) {
      if (d.controllerType !== 'SCSI') continue;
      scsi.set(d.controllerNumber, [...(scsi.get(d.controllerNumber) ?? []), d.controllerLocation]);
    }
    return {
      id: vm.id,
      name: vm.name,
      uuid: vm.id,
      powerState: powerStateOf(vm.state),
      guestOs: null,
      cpus: vm.cpus,
      memoryMB: Math.round(vm.memoryStartupBytes / (1024 * 1024)),
      firmware: vm.generation === 2 ? 'efi' : 'bios',
      host: vm.host,
      disks: disks.map((d) => ({
        fileName: d.path ?? '',
        datastore: null,
        capacityBytes: d.sizeBytes ?? 0,
        controller: d.controllerNumber,
        unit: d.controllerLocation,
      })),
      nics: nics.map((n) => ({ network: n.switchName, mac: n.mac })),
      scsiControllers: [...scsi].map(([bus, units]) => ({ bus, kind: 'SCSI', units })),
    };
  }

  async powerOn(vmId: string, options?: OperationOptions): Promise<'already-on' | 'powered-on'> {
    const vm = await this.get(vmId, options);
    if (powerStateOf(vm.state) === 'poweredOn') return 'already-on';
    await this.client.startVM({ id: vm.id }, this.call(options));
    return 'powered-on';
  }

  async powerOff(vmId: string, options?: OperationOptions): Promise<'already-off' | 'powered-off'> {
    const vm = await this.get(vmId, options);
    if (powerStateOf(vm.state) === 'poweredOff') return 'already-off';
    await this.client.stopVM({ id: vm.id }, { turnOff: true }, this.call(options));
    return 'powered-off';
  }

  /**
   * Stop-VM asks the guest through its Shutdown integration service and waits for it. When the
   * guest cannot be asked (service missing, disabled, no contact) or does not stop in time, this
   * fails rather than turning the VM off: a planned failover from a VM turned off would start
   * the replica from a crash-consistent disk and lose what the guest had not written. Turning it
   * off is the operator's choice (powerOff), never a silent fallback.
   */
  async shutdownGuest(
    vmId: string,
    options?: OperationOptions & { timeoutMs?: number },
  ): Promise<ShutdownOutcome> {
    const vm = await this.get(vmId, options);
    if (powerStateOf(vm.state) === 'poweredOff') return 'already-off';
    try {
      await this.client.stopVM(
        { id: vm.id },
        { turnOff: false },
        { ...this.call(options), timeoutMs: options?.timeoutMs ?? 300_000 },
      );
      return 'guest-shutdown';
    } catch (err) {
      if (!(err instanceof ApiError) || err.code === 'aborted' || err.code === 'unauthorized') throw err;
      throw new ApiError(
        err.code === 'timeout' ? 'timeout' : 'conflict',
        sayOp('op.hvNoShutdown', { vm: vm.name, endpoint: this.client.endpoint, error: errorSaid(err) }),
      );
    }
  }

  // ---- Hyper-V Replica, for the Hyper-V platform of the DR workflows (server/workflows/platforms)

  /** The host and its replica server settings (Get-VMHost, Get-VMReplicationServer). */
  host(options?: OperationOptions): Promise<HvHost> {
    return this.client.getVMHost(this.call(options));
  }

  /** On a primary: can it replicate to this replica server (Test-VMReplicationConnection)? */
  testReplicationConnection(
    o: Parameters<HypervClient['testReplicationConnection']>[0],
    options?: OperationOptions,
  ): Promise<void> {
    return this.client.testReplicationConnection(o, this.call(options));
  }

  /** On a replica server: its default storage location and that volume's free space. */
  replicaStorage(options?: OperationOptions): ReturnType<HypervClient['replicaStorage']> {
    return this.client.replicaStorage(this.call(options));
  }

  /** The VM's (Simple) replication, or null when it has none. */
  replication(vmId: string, options?: OperationOptions): Promise<HvReplication | null> {
    return this.client.getReplication(this.ref(vmId), this.call(options));
  }

  enableReplication(
    vmId: string,
    o: EnableReplicationOptions,
    options?: OperationOptions,
  ): Promise<HvReplication> {
    return this.client.enableReplication(this.ref(vmId), o, this.call(options));
  }

  /** A running replication's frequency, recovery history and VSS frequency (on its primary). */
  setReplicationSettings(
    vmId: string,
    o: ReplicationSettings,
    options?: OperationOptions,
  ): Promise<HvReplication> {
    return this.client.setReplicationSettings(this.ref(vmId), o, this.call(options));
  }

  startInitialReplication(vmId: string, options?: OperationOptions): Promise<HvReplication> {
    return this.client.startInitialReplication(this.ref(vmId), this.call(options));
  }

  resumeReplication(
    vmId: string,
    o: { resynchronize?: boolean } = {},
    options?: OperationOptions,
  ): Promise<HvReplication> {
    return this.client.resumeReplication(this.ref(vmId), o, this.call(options));
  }

  /** The recovery points of a replica VM (Replica and AppConsistentReplica snapshots), oldest first. */
  async recoveryPoints(vmId: string, options?: OperationOptions): Promise<HvSnapshot[]> {
    const all = await this.client.getSnapshots(this.ref(vmId), this.call(options));
    return all
      .filter((s) => s.type === 'Replica' || s.type === 'AppConsistentReplica')
      .sort((a, b) => (a.created ?? '').localeCompare(b.created ?? ''));
  }

  startFailover(vmId: string, o: FailoverOptions, options?: OperationOptions): Promise<HvReplication> {
    return this.client.startFailover(this.ref(vmId), o, this.call(options));
  }

  completeFailover(vmId: string, options?: OperationOptions): Promise<HvReplication> {
    return this.client.completeFailover(this.ref(vmId), this.call(options));
  }

  stopFailover(vmId: string, options?: OperationOptions): Promise<HvReplication> {
    return this.client.stopFailover(this.ref(vmId), this.call(options));
  }

  reverseReplication(
    vmId: string,
    o: ReverseOptions = {},
    options?: OperationOptions,
  ): Promise<HvReplication> {
    return this.client.reverseReplication(this.ref(vmId), o, this.call(options));
  }

  async recoverySettings(): Promise<never> {
    throw unsupported('hyperv', 'recoverySettings', WHY);
  }
  async createVm(): Promise<never> {
    throw unsupported('hyperv', 'createVm', WHY);
  }
  async deleteVm(): Promise<never> {
    throw unsupported('hyperv', 'deleteVm', WHY);
  }
  async ensureScsiController(): Promise<never> {
    throw unsupported('hyperv', 'ensureScsiController', WHY);
  }
  async attachDisk(): Promise<never> {
    throw unsupported('hyperv', 'attachDisk', WHY);
  }
  async detachDisk(): Promise<never> {
    throw unsupported('hyperv', 'detachDisk', WHY);
  }
  async createDisk(): Promise<never> {
    throw unsupported('hyperv', 'createDisk', WHY);
  }
  async copyDisk(): Promise<never> {
    throw unsupported('hyperv', 'copyDisk', WHY);
  }
  async existingFiles(): Promise<never> {
    throw unsupported('hyperv', 'existingFiles', WHY);
  }
  async deleteFile(): Promise<never> {
    throw unsupported('hyperv', 'deleteFile', WHY);
  }
  async createSnapshot(): Promise<never> {
    throw unsupported('hyperv', 'createSnapshot', REPLICA_POINTS);
  }
  async customizeGuest(): Promise<never> {
    throw unsupported('hyperv', 'customizeGuest', sayOp('op.why.noCustomization'));
  }

  async removeSnapshot(): Promise<never> {
    throw unsupported('hyperv', 'removeSnapshot', REPLICA_POINTS);
  }
  async datastoreSpace(): Promise<never> {
    throw unsupported('hyperv', 'datastoreSpace', sayOp('op.why.volumes'));
  }

  /** Cmdlets finish before they return, so no task is ever recorded; a stray reference is unknown. */
  async waitForTask(_task: TaskRef): Promise<'succeeded' | 'unknown'> {
    return 'unknown';
  }

  async cancelTask(_task: TaskRef): Promise<void> {}
}
