import { ApiError } from '../../shared/errors';
import { sayOp } from '../../shared/i18n/operation-words';
import type {
  HypervInventory,
  HypervVm,
  InventoryDocument,
  VsphereInventory,
  VsphereVm,
} from '../../shared/schemas/inventory';
import type { EnableReplicationOptions, HvHost, HvReplication, ReplicationSettings } from '../hyperv/client';
import {
  checkScsiSlot,
  type DatastoreSpace,
  type EndpointOperations,
  type GuestCustomization,
  mergeOptions,
  type NewDiskSpec,
  type NewVmSpec,
  type OperationName,
  type OperationOptions,
  operationNames,
  type RecoverySettings,
  type ScsiControllerKind,
  type ShutdownOutcome,
  type SnapshotInfo,
  type TaskRef,
  unsupported,
  type VmInfo,
  type VmPowerState,
  type VmQuery,
} from '../inventory/operations';
import { type LabEndpoint, type LabTiming, labEndpointOf } from './endpoint';
import {
  labEnableReplication,
  labReplicaHost,
  labReplicaStorage,
  labReplication,
  labReplicaUnsupported,
  labSetReplicationSettings,
  labStartInitialReplication,
} from './hyperv-replica';

/**
 * The operations on the lab's estate, with the rules a vCenter enforces (a disk file attached
 * to one VM only, a free SCSI slot, a controller on the bus, a unique name in the folder) and
 * tasks that take the time of `LabTiming`: every workflow runs on the lab exactly as on vCenter,
 * and in fast unit tests. Lab Hyper-V hosts offer what the Hyper-V connector offers.
 */

const HYPERV_SUPPORTED: ReadonlySet<OperationName> = new Set<OperationName>([
  'findVm',
  'powerOn',
  'powerOff',
  'shutdownGuest',
  'waitForTask',
  'cancelTask',
]);
const HYPERV_WHY = sayOp('op.why.replica');

const SCSI_NAMES: Record<ScsiControllerKind, string> = {
  pvscsi: 'ParaVirtualSCSIController',
  lsilogic: 'VirtualLsiLogicController',
  'lsilogic-sas': 'VirtualLsiLogicSASController',
  buslogic: 'VirtualBusLogicController',
};

function datastorePathName(fileName: string): string | null {
  return /^\[([^\]]+)\]/.exec(fileName)?.[1] ?? null;
}

export class LabOperations implements EndpointOperations {
  readonly kind: 'vsphere' | 'hyperv';
  readonly supports: ReadonlySet<OperationName>;
  private readonly ep: LabEndpoint;

  constructor(
    doc: InventoryDocument,
    private readonly defaults: OperationOptions = {},
  ) {
    this.ep = labEndpointOf(doc);
    this.kind = doc.source.kind;
    this.supports = this.kind === 'vsphere' ? new Set(operationNames) : HYPERV_SUPPORTED;
  }

  bind(defaults: OperationOptions): EndpointOperations {
    return new LabOperations(this.ep.doc, mergeOptions(this.defaults, defaults));
  }

  private get vsphere(): VsphereInventory {
    if (this.ep.doc.source.kind !== 'vsphere') throw new ApiError('internal', 'not a lab vCenter');
    return this.ep.doc as VsphereInventory;
  }

  private get where(): string {
    const s = this.ep.doc.source;
    return s.kind === 'vsphere' ? s.url : s.kind === 'hyperv' ? s.host : 'the lab';
  }

  private vsphereOnly(op: OperationName): VsphereInventory {
    if (this.kind !== 'vsphere') throw unsupported('hyperv', op, HYPERV_WHY);
    return this.vsphere;
  }

  private emitVm(vm: VsphereVm | HypervVm): void {
    this.ep.emit({ type: 'upsert', collection: 'vms', id: vm.id, value: structuredClone(vm) });
  }

  private emitDatastore(id: string): void {
    const ds = this.vsphere.datastores.find((d) => d.id === id);
    if (ds) this.ep.emit({ type: 'upsert', collection: 'datastores', id, value: structuredClone(ds) });
  }

  /**
   * Runs one task: announced (onTask) at once, applied atomically when its time is up, so a task
   * interrupted by a crash has either happened entirely or not at all. Aborting the signal cancels
   * the task, as the vSphere connector asks vCenter to (CancelTask); a task whose waiter died (a
   * killed server) runs on.
   */
  private async task<T>(
    operation: string,
    duration: keyof LabTiming,
    options: OperationOptions | undefined,
    apply: () => T,
  ): Promise<T> {
    const o = mergeOptions(this.defaults, options);
    return o.taskSlot
      ? o.taskSlot(() => this.runTask(operation, duration, o, apply))
      : this.runTask(operation, duration, o, apply);
  }

  private async runTask<T>(
    operation: string,
    duration: keyof LabTiming,
    o: OperationOptions,
    apply: () => T,
  ): Promise<T> {
    o.signal?.throwIfAborted();
    const id = this.ep.nextId('task');
    const ms = this.ep.timing[duration];
    let cancelled = false;
    let timer: NodeJS.Timeout | undefined;
    let ticker: NodeJS.Timeout | undefined;
    let result!: T;
    let wake: () => void = () => {};
    const done = new Promise<void>((resolve, reject) => {
      wake = () => {
        clearInterval(ticker);
        if (cancelled) {
          record.state = 'error';
          reject(new ApiError('aborted', `${operation} (${id}) was cancelled`));
          return;
        }
        try {
          result = apply();
          record.state = 'success';
          resolve();
        } catch (err) {
          record.state = 'error';
          reject(err);
        }
      };
    });
    const record = {
      id,
      operation,
      state: 'running' as 'running' | 'success' | 'error',
      done,
      cancel: () => {
        if (record.state !== 'running') return;
        cancelled = true;
        clearTimeout(timer);
        wake();
      },
    };
    done.catch(() => {});
    this.ep.tasks.set(id, record);
    // vCenter keeps finished tasks for a while, not for ever; so does the lab.
    if (this.ep.tasks.size > 1000) {
      for (const [k, t] of this.ep.tasks) {
        if (this.ep.tasks.size <= 1000) break;
        if (t.state !== 'running') this.ep.tasks.delete(k);
      }
    }
    await o.onTask?.({ id, operation });
    const started = Date.now();
    if (ms > 0 && o.onProgress) {
      ticker = setInterval(() => o.onProgress?.(Math.min(0.99, (Date.now() - started) / ms)), 250);
    }
    timer = setTimeout(() => wake(), ms);
    try {
      await this.waitFor(done, o.signal, operation);
    } catch (err) {
      if (!o.signal?.aborted || record.state !== 'running') throw err;
      record.cancel();
      throw new ApiError('aborted', `${operation}: stopped; the task ${id} was cancelled`);
    }
    o.onProgress?.(1);
    return result;
  }

  private async waitFor(done: Promise<void>, signal: AbortSignal | undefined, operation: string) {
    if (!signal) return done;
    let onAbort: () => void = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () =>
        reject(new ApiError('aborted', `${operation}: stopped waiting (the task may still finish)`));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([done, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  // ------------------------------------------------------------------ reads

  private vsphereVm(vmId: string): VsphereVm {
    const vm = this.vsphere.vms.find((v) => v.id === vmId);
    if (!vm) throw new ApiError('not-found', `VM ${vmId} was not found on ${this.where}`);
    return vm;
  }

  private hypervVm(vmId: string): HypervVm {
    const vm = (this.ep.doc as HypervInventory).vms.find((v) => v.id === vmId || v.name === vmId);
    if (!vm) throw new ApiError('not-found', `VM ${vmId} was not found on ${this.where}`);
    return vm;
  }

  private anyVm(vmId: string): VsphereVm | HypervVm {
    return this.kind === 'vsphere' ? this.vsphereVm(vmId) : this.hypervVm(vmId);
  }

  private powerOf(vm: VsphereVm | HypervVm): VmPowerState {
    if ('powerState' in vm) return vm.powerState;
    return vm.state === 'Off'
      ? 'poweredOff'
      : vm.state === 'Saved' || vm.state === 'Paused'
        ? 'suspended'
        : 'poweredOn';
  }

  private setPower(vm: VsphereVm | HypervVm, on: boolean): void {
    if ('powerState' in vm) {
      vm.powerState = on ? 'poweredOn' : 'poweredOff';
      for (const n of vm.nics) n.connected = on;
      if (!on) {
        vm.ipAddresses = [];
        for (const n of vm.nics) n.ipAddresses = [];
      }
    } else {
      vm.state = on ? 'Running' : 'Off';
      if (!on) vm.uptimeSec = 0;
    }
    this.emitVm(vm);
  }

  private buses(vm: VsphereVm): Map<number, string> {
    const out = new Map<number, string>(this.ep.controllers.get(vm.id) ?? []);
    for (const d of vm.disks)
      if (d.busNumber !== null && !out.has(d.busNumber)) out.set(d.busNumber, SCSI_NAMES.pvscsi);
    return out;
  }

  private info(vm: VsphereVm | HypervVm): VmInfo {
    if ('powerState' in vm) {
      const units = new Map<number, number[]>();
      for (const d of vm.disks) {
        if (d.busNumber === null || d.unitNumber === null) continue;
        units.set(d.busNumber, [...(units.get(d.busNumber) ?? []), d.unitNumber]);
      }
      return {
        id: vm.id,
        name: vm.name,
        uuid: vm.uuid,
        powerState: vm.powerState,
        guestOs: vm.guestOs,
        cpus: vm.cpus,
        memoryMB: vm.memoryMB,
        firmware: this.ep.firmware.get(vm.id) ?? (vm.guestOs?.startsWith('windows') ? 'efi' : 'bios'),
        host: vm.host,
        disks: vm.disks.map((d) => ({
          fileName: d.fileName,
          datastore: d.datastore,
          capacityBytes: d.capacityBytes,
          controller: d.busNumber ?? -1,
          unit: d.unitNumber ?? -1,
        })),
        nics: vm.nics.map((n) => ({ network: n.network, mac: n.mac })),
        scsiControllers: [...this.buses(vm)]
          .sort(([a], [b]) => a - b)
          .map(([bus, kind]) => ({ bus, kind, units: units.get(bus) ?? [] })),
      };
    }
    return {
      id: vm.id,
      name: vm.name,
      uuid: vm.id,
      powerState: this.powerOf(vm),
      guestOs: null,
      cpus: vm.cpus,
      memoryMB: Math.round(vm.memoryBytes / (1024 * 1024)),
      firmware: vm.generation === 2 ? 'efi' : 'bios',
      host: vm.host,
      disks: vm.disks.map((d) => ({
        fileName: d.path,
        datastore: null,
        capacityBytes: d.sizeBytes ?? 0,
        controller: d.controllerNumber,
        unit: d.controllerLocation,
      })),
      nics: vm.nics.map((n) => ({ network: n.switch, mac: n.mac })),
      scsiControllers: [],
    };
  }

  async findVm(query: VmQuery, options?: OperationOptions): Promise<VmInfo | null> {
    mergeOptions(this.defaults, options).signal?.throwIfAborted();
    const vms: Array<VsphereVm | HypervVm> = this.ep.doc.vms;
    const matches = vms.filter((v) =>
      'id' in query
        ? v.id === query.id
        : 'uuid' in query
          ? 'uuid' in v
            ? v.uuid === query.uuid
            : v.id === query.uuid
          : v.name === query.name,
    );
    if (matches.length > 1) {
      throw new ApiError(
        'conflict',
        `${matches.length} VMs are named '${'name' in query ? query.name : ''}' on ${this.where}; use the id`,
      );
    }
    return matches[0] ? this.info(matches[0]) : null;
  }

  async recoverySettings(vmId: string): Promise<RecoverySettings> {
    this.vsphereOnly('recoverySettings');
    const vm = this.vsphereVm(vmId);
    const info = this.info(vm);
    return {
      guestId: vm.guestOs ?? 'otherGuest64',
      cpus: vm.cpus,
      memoryMB: vm.memoryMB,
      firmware: info.firmware ?? 'bios',
      bootOptions: {},
      scsiControllers: [...this.buses(vm)].map(([bus, name]) => ({
        bus,
        kind: (Object.entries(SCSI_NAMES).find(([, n]) => n === name)?.[0] ??
          'lsilogic-sas') as ScsiControllerKind,
      })),
      nics: vm.nics.map((n) => ({ adapter: 'vmxnet3' as const, mac: n.mac })),
    };
  }

  // ------------------------------------------------------------------ power

  async powerOn(vmId: string, options?: OperationOptions): Promise<'already-on' | 'powered-on'> {
    const vm = this.anyVm(vmId);
    if (this.powerOf(vm) === 'poweredOn') return 'already-on';
    await this.task('PowerOnVM_Task', 'powerOnMs', options, () => {
      const now = this.anyVm(vmId);
      if (this.powerOf(now) === 'poweredOn')
        throw new ApiError('conflict', `PowerOnVM_Task: ${now.name} is already powered on`);
      this.setPower(now, true);
      // VMware Tools applies a queued customization at power-on: the guest takes its addresses.
      const custom = this.ep.customizations.get(vmId);
      if (custom && 'powerState' in now) {
        this.ep.customizations.delete(vmId);
        custom.nics.forEach((n: GuestCustomization['nics'][number], i: number) => {
          const nic = now.nics[i];
          if (nic && !n.dhcp) nic.ipAddresses = [n.address];
        });
        now.ipAddresses = now.nics.flatMap((n) => n.ipAddresses);
        this.emitVm(now);
      }
    });
    return 'powered-on';
  }

  async powerOff(vmId: string, options?: OperationOptions): Promise<'already-off' | 'powered-off'> {
    const vm = this.anyVm(vmId);
    if (this.powerOf(vm) === 'poweredOff') return 'already-off';
    await this.task('PowerOffVM_Task', 'powerOffMs', options, () => {
      const now = this.anyVm(vmId);
      if (this.powerOf(now) === 'poweredOff')
        throw new ApiError('conflict', `PowerOffVM_Task: ${now.name} is already powered off`);
      this.setPower(now, false);
    });
    return 'powered-off';
  }

  async shutdownGuest(
    vmId: string,
    options?: OperationOptions & { timeoutMs?: number },
  ): Promise<ShutdownOutcome> {
    const vm = this.anyVm(vmId);
    if (this.powerOf(vm) === 'poweredOff') return 'already-off';
    // The guest goes down on its own (no task in vCenter); the lab's guests always cooperate.
    const o = mergeOptions(this.defaults, options);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, this.ep.timing.shutdownGuestMs);
      o.signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(new ApiError('aborted', 'ShutdownGuest: stopped waiting'));
        },
        { once: true },
      );
    });
    const now = this.anyVm(vmId);
    if (this.powerOf(now) !== 'poweredOff') this.setPower(now, false);
    return 'guest-shutdown';
  }

  // ------------------------------------------------------------------ VMs

  async createVm(spec: NewVmSpec, options?: OperationOptions): Promise<VmInfo> {
    const inv = this.vsphereOnly('createVm');
    const { cluster, host, datastore, folder } = spec.placement;
    const hostRec = host
      ? inv.hosts.find((h) => h.id === host)
      : inv.hosts.find((h) => h.cluster === cluster && h.connectionState === 'connected');
    if (!hostRec) {
      throw new ApiError(
        'not-found',
        host
          ? `no host ${host} on ${this.where}`
          : `cluster ${cluster ?? '(none)'} has no connected host on ${this.where}`,
      );
    }
    const ds = inv.datastores.find((d) => d.id === datastore);
    if (!ds) throw new ApiError('not-found', `no datastore ${datastore} on ${this.where}`);
    const dc = inv.datacenters.find((d) => d.id === hostRec.datacenter) ?? inv.datacenters[0]!;
    const folderPath = `${dc.path}/vm${folder && folder !== '/' ? (folder.startsWith('/') ? folder : `/${folder}`) : ''}`;
    const buses = new Map<number, string>();
    for (const c of spec.scsiControllers ?? [{ bus: 0, kind: 'lsilogic-sas' as const }]) {
      checkScsiSlot(c.bus, 0);
      buses.set(c.bus, SCSI_NAMES[c.kind]);
    }
    const slots = new Set<string>();
    for (const d of spec.disks ?? []) {
      checkScsiSlot(d.controller, d.unit);
      if (!buses.has(d.controller))
        throw new ApiError(
          'invalid-input',
          `disk ${d.fileName} is on SCSI bus ${d.controller}, which the spec does not create`,
        );
      if (slots.has(`${d.controller}:${d.unit}`))
        throw new ApiError(
          'invalid-input',
          `two disks of ${spec.name} are on SCSI ${d.controller}:${d.unit}`,
        );
      slots.add(`${d.controller}:${d.unit}`);
    }
    for (const n of spec.nics ?? []) {
      if (!inv.networks.some((x) => x.id === n.network))
        throw new ApiError('not-found', `no network ${n.network} on ${this.where}`);
    }
    return this.task('CreateVM_Task', 'createVmMs', options, () => {
      if (inv.vms.some((v) => v.name === spec.name && v.folderPath === folderPath)) {
        throw new ApiError(
          'conflict',
          `CreateVM_Task: a VM named '${spec.name}' already exists in ${folderPath}`,
        );
      }
      for (const d of spec.disks ?? []) this.checkAttachable(d.fileName);
      const id = this.newVmId(inv);
      let key = 2000;
      const vm: VsphereVm = {
        id,
        name: spec.name,
        uuid: this.uuid(),
        instanceUuid: this.uuid(),
        powerState: 'poweredOff',
        template: false,
        connectionState: 'connected',
        host: hostRec.id,
        hostName: hostRec.name,
        datacenter: dc.id,
        folderPath,
        guestOs: spec.guestId,
        cpus: spec.cpus,
        memoryMB: spec.memoryMB,
        ipAddresses: [],
        disks: (spec.disks ?? []).map((d, i) => {
          const f = this.ep.files.get(d.fileName)!;
          return {
            key: key++,
            label: `Hard disk ${i + 1}`,
            fileName: d.fileName,
            datastore: f.datastore,
            capacityBytes: f.capacityBytes,
            controllerKey: 1000 + d.controller,
            busNumber: d.controller,
            unitNumber: d.unit,
            thin: f.thin,
          };
        }),
        nics: (spec.nics ?? []).map((n, i) => ({
          key: 4000 + i,
          mac: n.mac ?? this.mac(),
          network: n.network,
          connected: false,
          ipAddresses: [],
        })),
      };
      inv.vms.push(vm);
      this.ep.controllers.set(id, buses);
      if (spec.firmware) this.ep.firmware.set(id, spec.firmware);
      this.emitVm(vm);
      return this.info(vm);
    });
  }

  private newVmId(inv: VsphereInventory): string {
    const max = inv.vms.reduce((m, v) => Math.max(m, Number(/^vm-(\d+)$/.exec(v.id)?.[1] ?? 0)), 0);
    return `vm-${Math.max(max + 1, 5000)}`;
  }

  private uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  }

  private mac(): string {
    const b = Array.from({ length: 3 }, () =>
      Math.floor(Math.random() * 256)
        .toString(16)
        .padStart(2, '0'),
    );
    return ['00', '50', '56', ...b].join(':');
  }

  /** The disk file exists and no VM holds it. */
  private checkAttachable(fileName: string): void {
    if (!this.ep.files.has(fileName)) {
      throw new ApiError('not-found', `file ${fileName} was not found on ${this.where} (FileNotFound)`);
    }
    const holder = this.vsphere.vms.find((v) => v.disks.some((d) => d.fileName === fileName));
    if (holder) {
      throw new ApiError(
        'conflict',
        `${fileName} is attached to ${holder.name}; detach it there first (file locked)`,
      );
    }
  }

  async deleteVm(vmId: string, options?: OperationOptions): Promise<'deleted' | 'not-found'> {
    const inv = this.vsphereOnly('deleteVm');
    if (!inv.vms.some((v) => v.id === vmId)) return 'not-found';
    return this.task('Destroy_Task', 'deleteVmMs', options, () => {
      const index = inv.vms.findIndex((v) => v.id === vmId);
      if (index < 0) return 'not-found' as const;
      const [vm] = inv.vms.splice(index, 1);
      for (const d of vm!.disks) this.removeFile(d.fileName);
      this.ep.controllers.delete(vmId);
      this.ep.firmware.delete(vmId);
      this.ep.snapshots.delete(vmId);
      this.ep.emit({ type: 'remove', collection: 'vms', id: vmId });
      return 'deleted' as const;
    });
  }

  // ------------------------------------------------------------------ disks

  async ensureScsiController(
    vmId: string,
    bus: number,
    kind: ScsiControllerKind = 'pvscsi',
    options?: OperationOptions,
  ): Promise<'present' | 'added'> {
    this.vsphereOnly('ensureScsiController');
    checkScsiSlot(bus, 0);
    if (this.buses(this.vsphereVm(vmId)).has(bus)) return 'present';
    await this.task('ReconfigVM_Task', 'reconfigureMs', options, () => {
      const vm = this.vsphereVm(vmId);
      const buses = this.buses(vm);
      buses.set(bus, SCSI_NAMES[kind]);
      this.ep.controllers.set(vmId, buses);
      this.emitVm(vm);
    });
    return 'added';
  }

  async attachDisk(
    vmId: string,
    disk: { fileName: string; controller: number; unit: number },
    options?: OperationOptions,
  ): Promise<'attached' | 'already-attached'> {
    this.vsphereOnly('attachDisk');
    checkScsiSlot(disk.controller, disk.unit);
    const vm = this.vsphereVm(vmId);
    const same = vm.disks.find((d) => d.fileName === disk.fileName);
    if (same) {
      if (same.busNumber === disk.controller && same.unitNumber === disk.unit) return 'already-attached';
      throw new ApiError(
        'conflict',
        `${disk.fileName} is already attached to ${vm.name} at SCSI ${same.busNumber}:${same.unitNumber}, not ${disk.controller}:${disk.unit}`,
      );
    }
    await this.task('ReconfigVM_Task', 'reconfigureMs', options, () => {
      const now = this.vsphereVm(vmId);
      this.checkSlot(now, disk.controller, disk.unit);
      this.checkAttachable(disk.fileName);
      this.addDisk(now, disk.fileName, disk.controller, disk.unit);
    });
    return 'attached';
  }

  private checkSlot(vm: VsphereVm, controller: number, unit: number): void {
    if (!this.buses(vm).has(controller)) {
      throw new ApiError(
        'not-found',
        `VM ${vm.name} has no SCSI controller on bus ${controller}; add one (configure the master target) first`,
      );
    }
    const taken = vm.disks.find((d) => d.busNumber === controller && d.unitNumber === unit);
    if (taken)
      throw new ApiError(
        'conflict',
        `SCSI ${controller}:${unit} of ${vm.name} already holds ${taken.fileName}`,
      );
  }

  private addDisk(vm: VsphereVm, fileName: string, controller: number, unit: number): void {
    const f = this.ep.files.get(fileName)!;
    const key = vm.disks.reduce((m, d) => Math.max(m, d.key), 1999) + 1;
    vm.disks.push({
      key,
      label: `Hard disk ${vm.disks.length + 1}`,
      fileName,
      datastore: f.datastore,
      capacityBytes: f.capacityBytes,
      controllerKey: 1000 + controller,
      busNumber: controller,
      unitNumber: unit,
      thin: f.thin,
    });
    this.emitVm(vm);
  }

  async detachDisk(
    vmId: string,
    fileName: string,
    options?: OperationOptions,
  ): Promise<'detached' | 'not-attached'> {
    this.vsphereOnly('detachDisk');
    if (!this.vsphereVm(vmId).disks.some((d) => d.fileName === fileName)) return 'not-attached';
    return this.task('ReconfigVM_Task', 'reconfigureMs', options, () => {
      const vm = this.vsphereVm(vmId);
      const disk = vm.disks.find((d) => d.fileName === fileName);
      if (!disk) return 'not-attached' as const;
      vm.disks = vm.disks.filter((d) => d !== disk);
      // The file stays on its datastore. The file table is built from the attached disks on its
      // first use, which may come after this detach: the file is put there explicitly.
      if (!this.ep.files.has(fileName))
        this.ep.files.set(fileName, {
          capacityBytes: disk.capacityBytes,
          thin: disk.thin,
          datastore: disk.datastore,
        });
      this.emitVm(vm);
      return 'detached' as const;
    });
  }

  async createDisk(
    vmId: string,
    disk: NewDiskSpec,
    options?: OperationOptions,
  ): Promise<{ fileName: string }> {
    const inv = this.vsphereOnly('createDisk');
    checkScsiSlot(disk.controller, disk.unit);
    if (!(disk.capacityBytes > 0))
      throw new ApiError('invalid-input', 'a new disk needs a capacity above 0 bytes');
    const ds = inv.datastores.find((d) => d.id === disk.datastore);
    if (!ds) throw new ApiError('not-found', `no datastore ${disk.datastore} on ${this.where}`);
    const fileName = `[${ds.name}] ${disk.path}`;
    const vm = this.vsphereVm(vmId);
    if (vm.disks.some((d) => d.fileName === fileName)) return { fileName };
    const thin = disk.thin ?? true;
    await this.task('ReconfigVM_Task', 'createDiskMs', options, () => {
      const now = this.vsphereVm(vmId);
      this.checkSlot(now, disk.controller, disk.unit);
      if (this.ep.files.has(fileName))
        throw new ApiError('conflict', `${fileName} already exists (FileAlreadyExists)`);
      const used = thin ? 0 : disk.capacityBytes;
      if (used > ds.freeBytes)
        throw new ApiError('conflict', `datastore ${ds.name} has ${ds.freeBytes} bytes free, ${used} needed`);
      ds.freeBytes -= used;
      this.ep.files.set(fileName, { capacityBytes: disk.capacityBytes, thin, datastore: ds.id });
      this.addDisk(now, fileName, disk.controller, disk.unit);
      this.emitDatastore(ds.id);
    });
    return { fileName };
  }

  private removeFile(fileName: string): void {
    const f = this.ep.files.get(fileName);
    if (!f) return;
    this.ep.files.delete(fileName);
    const ds = this.vsphere.datastores.find((d) => d.id === f.datastore);
    if (ds && !f.thin) {
      ds.freeBytes = Math.min(ds.capacityBytes, ds.freeBytes + f.capacityBytes);
      this.emitDatastore(ds.id);
    }
  }

  async copyDisk(
    source: string,
    destination: string,
    options?: OperationOptions,
  ): Promise<'copied' | 'exists'> {
    const inv = this.vsphereOnly('copyDisk');
    const dsName = datastorePathName(destination);
    const ds = inv.datastores.find((d) => d.name === dsName);
    if (!ds)
      throw new ApiError('not-found', `no datastore named '${dsName ?? destination}' on ${this.where}`);
    if (!this.ep.files.has(source))
      throw new ApiError('not-found', `file ${source} was not found on ${this.where} (FileNotFound)`);
    if (this.ep.files.has(destination)) return 'exists';
    return this.task('CopyVirtualDisk_Task', 'createDiskMs', options, () => {
      const f = this.ep.files.get(source);
      if (!f) throw new ApiError('not-found', `file ${source} was not found on ${this.where} (FileNotFound)`);
      if (this.ep.files.has(destination)) return 'exists' as const;
      this.ep.files.set(destination, { capacityBytes: f.capacityBytes, thin: true, datastore: ds.id });
      return 'copied' as const;
    });
  }

  async existingFiles(fileNames: string[]): Promise<string[]> {
    this.vsphereOnly('existingFiles');
    return fileNames.filter((f) => this.ep.files.has(f));
  }

  async deleteFile(fileName: string, options?: OperationOptions): Promise<'deleted' | 'not-found'> {
    const inv = this.vsphereOnly('deleteFile');
    const dsName = datastorePathName(fileName);
    if (!dsName)
      throw new ApiError(
        'invalid-input',
        `"${fileName}" is not a datastore path: write it as "[datastore] folder/file.vmdk"`,
      );
    if (!inv.datastores.some((d) => d.name === dsName))
      throw new ApiError('not-found', `no datastore named '${dsName}' on ${this.where}`);
    if (!this.ep.files.has(fileName)) return 'not-found';
    return this.task(
      fileName.endsWith('.vmdk') ? 'DeleteVirtualDisk_Task' : 'DeleteDatastoreFile_Task',
      'deleteFileMs',
      options,
      () => {
        const holder = inv.vms.find((v) => v.disks.some((d) => d.fileName === fileName));
        if (holder)
          throw new ApiError(
            'conflict',
            `${fileName} is attached to ${holder.name} (file locked); detach it first`,
          );
        if (!this.ep.files.has(fileName)) return 'not-found' as const;
        this.removeFile(fileName);
        return 'deleted' as const;
      },
    );
  }

  // ------------------------------------------------------------------ snapshots, space, tasks

  async createSnapshot(
    vmId: string,
    snapshot: { name: string; description?: string; quiesce?: boolean },
    options?: OperationOptions,
  ): Promise<SnapshotInfo> {
    this.vsphereOnly('createSnapshot');
    this.vsphereVm(vmId);
    return this.task('CreateSnapshot_Task', 'snapshotMs', options, () => {
      const s = { id: this.ep.nextId('snapshot'), name: snapshot.name, createdAt: new Date().toISOString() };
      this.ep.snapshots.set(vmId, [...(this.ep.snapshots.get(vmId) ?? []), s]);
      return s;
    });
  }

  async customizeGuest(
    vmId: string,
    spec: GuestCustomization,
    options?: OperationOptions,
  ): Promise<'customized' | 'pending'> {
    this.vsphereOnly('customizeGuest');
    const vm = this.vsphereVm(vmId);
    if (this.ep.customizations.has(vmId)) return 'pending';
    if (vm.powerState !== 'poweredOff')
      throw new ApiError('conflict', `CustomizeVM_Task: ${vm.name} must be powered off to be customized`);
    if (spec.nics.length !== vm.nics.length)
      throw new ApiError(
        'invalid-input',
        `CustomizeVM_Task: ${spec.nics.length} NIC setting(s) for the ${vm.nics.length} NIC(s) of ${vm.name}`,
      );
    await this.task('CustomizeVM_Task', 'reconfigureMs', options, () => {
      this.ep.customizations.set(vmId, structuredClone(spec));
    });
    return 'customized';
  }

  async removeSnapshot(vmId: string, snapshotId: string, options?: OperationOptions): Promise<void> {
    this.vsphereOnly('removeSnapshot');
    const list = this.ep.snapshots.get(vmId) ?? [];
    if (!list.some((s) => s.id === snapshotId))
      throw new ApiError('not-found', `VM ${vmId} has no snapshot ${snapshotId} on ${this.where}`);
    await this.task('RemoveSnapshot_Task', 'snapshotMs', options, () => {
      this.ep.snapshots.set(
        vmId,
        (this.ep.snapshots.get(vmId) ?? []).filter((s) => s.id !== snapshotId),
      );
    });
  }

  async datastoreSpace(datastores: string[], options?: OperationOptions): Promise<DatastoreSpace[]> {
    const inv = this.vsphereOnly('datastoreSpace');
    mergeOptions(this.defaults, options).signal?.throwIfAborted();
    return inv.datastores
      .filter((d) => datastores.includes(d.id))
      .map((d) => ({
        id: d.id,
        name: d.name,
        capacityBytes: d.capacityBytes,
        freeBytes: d.freeBytes,
        accessible: d.accessible,
      }));
  }

  async waitForTask(task: TaskRef, options?: OperationOptions): Promise<'succeeded' | 'unknown'> {
    const t = this.ep.tasks.get(task.id);
    if (!t) return 'unknown';
    const o = mergeOptions(this.defaults, options);
    const wait = () => this.waitFor(t.done, o.signal, task.operation);
    await (o.taskSlot ? o.taskSlot(wait) : wait());
    return 'succeeded';
  }

  async cancelTask(task: TaskRef): Promise<void> {
    this.ep.tasks.get(task.id)?.cancel();
  }

  // ------------------------------------------------------------------ Hyper-V Replica (hyperv-replica.ts)

  private hypervOnly(cmdlet: string): InventoryDocument {
    if (this.kind !== 'hyperv')
      throw new ApiError('invalid-input', `${cmdlet}: ${this.where} is a vCenter, not a Hyper-V host`);
    return this.ep.doc;
  }

  async host(options?: OperationOptions): Promise<HvHost> {
    mergeOptions(this.defaults, options).signal?.throwIfAborted();
    return labReplicaHost(this.hypervOnly('Get-VMHost'));
  }

  async replicaStorage(options?: OperationOptions) {
    mergeOptions(this.defaults, options).signal?.throwIfAborted();
    return labReplicaStorage(this.hypervOnly('Get-VMReplicationServer'));
  }

  async replication(vmId: string, options?: OperationOptions): Promise<HvReplication | null> {
    mergeOptions(this.defaults, options).signal?.throwIfAborted();
    return labReplication(this.hypervOnly('Get-VMReplication'), vmId);
  }

  async enableReplication(
    vmId: string,
    o: EnableReplicationOptions,
    options?: OperationOptions,
  ): Promise<HvReplication> {
    mergeOptions(this.defaults, options).signal?.throwIfAborted();
    return labEnableReplication(this.hypervOnly('Enable-VMReplication'), vmId, o);
  }

  async setReplicationSettings(
    vmId: string,
    o: ReplicationSettings,
    options?: OperationOptions,
  ): Promise<HvReplication> {
    mergeOptions(this.defaults, options).signal?.throwIfAborted();
    return labSetReplicationSettings(this.hypervOnly('Set-VMReplication'), vmId, o);
  }

  async startInitialReplication(vmId: string, options?: OperationOptions): Promise<HvReplication> {
    mergeOptions(this.defaults, options).signal?.throwIfAborted();
    return labStartInitialReplication(this.hypervOnly('Start-VMInitialReplication'), vmId);
  }

  async testReplicationConnection(): Promise<void> {
    labReplicaUnsupported('Test-VMReplicationConnection', this.hypervOnly('Test-VMReplicationConnection'));
  }

  async resumeReplication(): Promise<HvReplication> {
    labReplicaUnsupported('Resume-VMReplication', this.hypervOnly('Resume-VMReplication'));
  }

  async recoveryPoints(): Promise<never[]> {
    labReplicaUnsupported('Get-VMSnapshot', this.hypervOnly('Get-VMSnapshot'));
  }

  async startFailover(): Promise<HvReplication> {
    labReplicaUnsupported('Start-VMFailover', this.hypervOnly('Start-VMFailover'));
  }

  async stopFailover(): Promise<HvReplication> {
    labReplicaUnsupported('Stop-VMFailover', this.hypervOnly('Stop-VMFailover'));
  }

  async completeFailover(): Promise<HvReplication> {
    labReplicaUnsupported('Complete-VMFailover', this.hypervOnly('Complete-VMFailover'));
  }

  async reverseReplication(): Promise<HvReplication> {
    labReplicaUnsupported('Set-VMReplication -Reverse', this.hypervOnly('Set-VMReplication'));
  }
}
