import { ApiError } from '../../shared/errors';
import { sayOp } from '../../shared/i18n/operation-words';
import type {
  BootOptions,
  DatastoreSpace,
  Firmware,
  GuestCustomization,
  ScsiControllerKind,
} from '../inventory/operations';

import type { VimClient } from './client';
import { isFault } from './faults';
import { displayName, readDevices, sameName } from './inventory';
import { PropertyCollector } from './property';
import { cancelTask, runTask, type TaskOptions, waitForProperties } from './tasks';
import {
  arrayOf,
  asObject,
  bool,
  type MoRef,
  moRef,
  num,
  type SoapObject,
  text,
  toSoap,
  type XmlValue,
  xsiType,
} from './xml';

/**
 * The VM operations the DR workflows are made of. Each `…_Task` waits for its task and throws
 * the typed fault (InvalidPowerState, FileNotFound, …) when it fails. Objects are passed as
 * managed object references; `vmRef('vm-42')` builds one from an inventory id.
 */

export const vmRef = (id: string): MoRef => ({ type: 'VirtualMachine', value: id });
export const datastoreRef = (id: string): MoRef => ({ type: 'Datastore', value: id });
export const folderRef = (id: string): MoRef => ({ type: 'Folder', value: id });
export const poolRef = (id: string): MoRef => ({ type: 'ResourcePool', value: id });
export const hostRef = (id: string): MoRef => ({ type: 'HostSystem', value: id });

const SCSI_TYPES: Record<ScsiControllerKind, string> = {
  pvscsi: 'ParaVirtualSCSIController',
  lsilogic: 'VirtualLsiLogicController',
  'lsilogic-sas': 'VirtualLsiLogicSASController',
  buslogic: 'VirtualBusLogicController',
};

export interface ControllerInfo {
  key: number;
  type: string;
  busNumber: number;
  /** Units in use on this controller. */
  units: number[];
}

export interface VmHardware {
  disks: ReturnType<typeof readDevices>['disks'];
  nics: ReturnType<typeof readDevices>['nics'];
  scsiControllers: ControllerInfo[];
}

export interface NewDisk {
  capacityBytes: number;
  controllerKey: number;
  unitNumber: number;
  thin?: boolean;
  /** "[datastore] folder/name.vmdk"; omitted: vCenter names it beside the VM. */
  fileName?: string;
}

export interface ExistingDisk {
  /** "[datastore] folder/name.vmdk" */
  fileName: string;
  controllerKey: number;
  unitNumber: number;
}

export type NicAdapter = keyof typeof NIC_TYPES;

export interface NewNic {
  network: MoRef;
  adapter?: NicAdapter;
  /** Keeps this MAC (addressType manual); omitted: vCenter generates one. */
  macAddress?: string;
}

/** What a recovered VM must carry over from its source to boot the same way. */
export interface SourceVmSettings {
  guestId: string;
  cpus: number;
  memoryMB: number;
  firmware: Firmware;
  bootOptions: BootOptions;
  scsiControllers: Array<{ busNumber: number; kind: ScsiControllerKind }>;
  /** In device order; `macAddress` is the source's, to keep it (set it on NewNic). */
  nics: Array<{ adapter: NicAdapter; macAddress: string; addressType: string }>;
}

export interface CreateVmSpec {
  name: string;
  /** The VM folder to create it in. */
  folder: MoRef;
  pool: MoRef;
  host?: MoRef;
  /** "[datastore]" or "[datastore] folder": where the .vmx goes. */
  vmPathName: string;
  guestId: string;
  cpus: number;
  memoryMB: number;
  /**
   * SCSI controllers to create, bus numbers 0..3; disks refer to them by bus number. Default:
   * one LSI Logic SAS on bus 0, whose driver every supported Windows and Linux guest has (a
   * guest without the PVSCSI driver does not boot from PVSCSI). Copy the source's kinds.
   */
  scsiControllers?: Array<{ busNumber: number; kind: ScsiControllerKind }>;
  /** Existing disk files (replicas) to attach. */
  disks?: Array<{ fileName: string; busNumber: number; unitNumber: number }>;
  nics?: NewNic[];
  /** The source's firmware: an EFI guest created as BIOS does not boot. Default: vCenter's (BIOS). */
  firmware?: Firmware;
  bootOptions?: BootOptions;
}

export interface CloneSpec {
  name: string;
  folder: MoRef;
  pool?: MoRef;
  host?: MoRef;
  datastore?: MoRef;
  powerOn?: boolean;
  template?: boolean;
}

export interface RegisterVmSpec {
  /** "[datastore] folder/name.vmx" */
  vmxPath: string;
  /** The inventory name; omitted: the name in the .vmx. */
  name?: string;
  folder: MoRef;
  pool: MoRef;
  host?: MoRef;
  asTemplate?: boolean;
}

const NO_GUEST_SHUTDOWN = ['ToolsUnavailable', 'InvalidState', 'NotSupported'];

const NIC_TYPES = {
  vmxnet3: 'VirtualVmxnet3',
  vmxnet2: 'VirtualVmxnet2',
  e1000e: 'VirtualE1000e',
  e1000: 'VirtualE1000',
  pcnet32: 'VirtualPCNet32',
};

/** Temporary device keys are negative, unique within one spec. */
function deviceChange(
  operation: 'add' | 'edit' | 'remove',
  device: SoapObject,
  fileOperation?: 'create' | 'destroy',
): SoapObject {
  return { $type: 'VirtualDeviceConfigSpec', operation, fileOperation, device };
}

function scsiController(key: number, busNumber: number, kind: ScsiControllerKind): SoapObject {
  if (busNumber < 0 || busNumber > 3) {
    throw new ApiError('invalid-input', sayOp('op.scsiBus', { bus: String(busNumber) }));
  }
  return { $type: SCSI_TYPES[kind], key, busNumber, sharedBus: 'noSharing' };
}

/** PVSCSI takes 64 units per controller (hardware version 14 on), the others 16. */
function maxUnit(controllerType: string): number {
  return controllerType === SCSI_TYPES.pvscsi ? 63 : 15;
}

function checkUnit(unitNumber: number, controllerType: string): void {
  const max = maxUnit(controllerType);
  if (!Number.isInteger(unitNumber) || unitNumber < 0 || unitNumber > max || unitNumber === 7) {
    throw new ApiError(
      'invalid-input',
      sayOp('op.scsiUnitOn', { unit: String(unitNumber), controllerType, max: String(max) }),
    );
  }
}

/**
 * `capacityInKB` is required by vCenter even for an existing file (InvalidRequest otherwise):
 * 0 there, as govmomi sends, and vCenter reads the size from the file.
 */
function diskDevice(
  key: number,
  controller: { key: number; type: string },
  unitNumber: number,
  backing: SoapObject,
  capacityInKB: number,
): SoapObject {
  checkUnit(unitNumber, controller.type);
  const controllerKey = controller.key;
  return { $type: 'VirtualDisk', key, backing, controllerKey, unitNumber, capacityInKB };
}

function nicDevice(key: number, adapter: NicAdapter, backing: SoapObject, macAddress?: string): SoapObject {
  if (macAddress !== undefined && !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(macAddress)) {
    throw new ApiError('invalid-input', sayOp('op.mac', { mac: macAddress }));
  }
  return {
    $type: NIC_TYPES[adapter],
    key,
    backing,
    connectable: { startConnected: true, allowGuestControl: true, connected: false },
    addressType: macAddress ? 'manual' : 'generated',
    macAddress,
  };
}

/** WSDL order of VirtualMachineBootOptions. */
function bootOptionsSoap(b: BootOptions): SoapObject {
  return {
    bootDelay: b.bootDelayMs,
    enterBIOSSetup: b.enterBIOSSetup,
    efiSecureBootEnabled: b.efiSecureBootEnabled,
    bootRetryEnabled: b.bootRetryEnabled,
    bootRetryDelay: b.bootRetryDelayMs,
    networkBootProtocol: b.networkBootProtocol,
  };
}

function readBootOptions(v: XmlValue | undefined): BootOptions {
  const o = asObject(v);
  const out: BootOptions = {};
  if (o.bootDelay !== undefined) out.bootDelayMs = num(o.bootDelay);
  if (o.enterBIOSSetup !== undefined) out.enterBIOSSetup = bool(o.enterBIOSSetup);
  if (o.efiSecureBootEnabled !== undefined) out.efiSecureBootEnabled = bool(o.efiSecureBootEnabled);
  if (o.bootRetryEnabled !== undefined) out.bootRetryEnabled = bool(o.bootRetryEnabled);
  if (o.bootRetryDelay !== undefined) out.bootRetryDelayMs = num(o.bootRetryDelay);
  if (o.networkBootProtocol !== undefined) out.networkBootProtocol = text(o.networkBootProtocol);
  return out;
}

export class VmOperations {
  private readonly pc: PropertyCollector;

  constructor(readonly client: VimClient) {
    this.pc = new PropertyCollector(client);
  }

  private async props(obj: MoRef, pathSet: string[]): Promise<Map<string, XmlValue>> {
    const [o] = await this.pc.retrieveObjects([obj], [{ type: obj.type, pathSet }]);
    if (!o) throw new ApiError('not-found', sayOp('op.notFoundRefresh', { type: obj.type, id: obj.value }));
    return o.props;
  }

  async powerState(vm: MoRef): Promise<string> {
    return text((await this.props(vm, ['runtime.powerState'])).get('runtime.powerState'));
  }

  /** config.tools.pendingCustomization: non-empty while a customization waits for the next power-on. */
  async pendingCustomization(vm: MoRef): Promise<string> {
    return text(
      (await this.props(vm, ['config.tools.pendingCustomization'])).get('config.tools.pendingCustomization'),
    );
  }

  /**
   * CustomizeVM_Task with a Linux identity (CustomizationLinuxPrep) or a Windows one
   * (CustomizationSysprep: guiUnattended, userData and identification are required) and one
   * adapter mapping per NIC: a fixed address where given, DHCP elsewhere. Elements in WSDL
   * order; the polymorphic ones carry xsi:type.
   */
  async customize(vm: MoRef, spec: GuestCustomization, options?: TaskOptions): Promise<void> {
    const name = { $type: 'CustomizationFixedName', name: spec.hostName };
    const windows = spec.osFamily === 'windows';
    const identity: SoapObject = windows
      ? {
          $type: 'CustomizationSysprep',
          // No password: the local Administrator's is not changed by Siteshift (a plan file holds
          // no secret); 85 is Windows' GMT Standard Time index.
          guiUnattended: { timeZone: 85, autoLogon: false, autoLogonCount: 0 },
          userData: {
            fullName: 'Administrator',
            orgName: 'Siteshift recovery',
            computerName: name,
            productId: '',
          },
          identification: { joinWorkgroup: spec.workgroup ?? 'WORKGROUP' },
        }
      : { $type: 'CustomizationLinuxPrep', hostName: name, domain: spec.domain };
    const customization: SoapObject = {
      identity,
      // dnsServerList and dnsSuffixList of the global settings are Linux's; Windows takes them per NIC.
      globalIPSettings: windows
        ? {}
        : { dnsServerList: spec.dnsServers.length ? spec.dnsServers : undefined },
      nicSettingMap: spec.nics.map((n) => ({
        adapter: n.dhcp
          ? { ip: { $type: 'CustomizationDhcpIpGenerator' } }
          : {
              ip: { $type: 'CustomizationFixedIp', ipAddress: n.address },
              subnetMask: n.subnetMask,
              gateway: n.gateway ? [n.gateway] : undefined,
              dnsServerList: n.dns.length ? n.dns : undefined,
              dnsDomain: windows && spec.domain ? spec.domain : undefined,
            },
      })),
    };
    await runTask(this.client, 'CustomizeVM_Task', vm, [['spec', customization]], options);
  }

  async powerOn(vm: MoRef, options?: TaskOptions): Promise<void> {
    await runTask(this.client, 'PowerOnVM_Task', vm, [], options);
  }

  async powerOff(vm: MoRef, options?: TaskOptions): Promise<void> {
    await runTask(this.client, 'PowerOffVM_Task', vm, [], options);
  }

  /**
   * Asks the guest to shut down (VMware Tools), waits up to `timeoutMs` for the VM to be off,
   * then powers it off. Returns how it went down. Planned failover uses this before the last sync.
   */
  async shutdownGuest(
    vm: MoRef,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<'already-off' | 'guest-shutdown' | 'powered-off'> {
    const timeoutMs = options.timeoutMs ?? 300_000;
    if ((await this.powerState(vm)) === 'poweredOff') return 'already-off';
    try {
      await this.client.invoke('ShutdownGuest', vm, [], options.signal);
    } catch (err) {
      // No Tools running in the guest: nothing to ask, power off straight away. Anything else
      // (no permission, unreachable) is the operator's to see.
      if (!NO_GUEST_SHUTDOWN.some((f) => isFault(err, f))) throw err;
      await this.powerOff(vm, { signal: options.signal });
      return 'powered-off';
    }
    if (await this.waitForPowerState(vm, 'poweredOff', timeoutMs, options.signal)) return 'guest-shutdown';
    if ((await this.powerState(vm)) === 'poweredOff') return 'guest-shutdown';
    await this.powerOff(vm, { signal: options.signal });
    return 'powered-off';
  }

  /** Waits (through WaitForUpdatesEx, not polling) until the VM reaches `state`; false on timeout. */
  async waitForPowerState(
    vm: MoRef,
    state: string,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const reached = await waitForProperties(
      this.client,
      vm,
      ['runtime.powerState'],
      (props) => (text(props.get('runtime.powerState')) === state ? true : undefined),
      { signal, timeoutMs },
    );
    return reached === true;
  }

  /** Disks, NICs and SCSI controllers (with used units) as vCenter has them now. */
  async hardware(vm: MoRef): Promise<VmHardware> {
    const raw = (await this.props(vm, ['config.hardware.device'])).get('config.hardware.device');
    const { disks, nics } = readDevices(raw);
    const scsiControllers: ControllerInfo[] = [];
    const units = new Map<number, number[]>();
    for (const d of arrayOf(raw)) {
      const dev = asObject(d);
      if (dev.controllerKey !== undefined && dev.unitNumber !== undefined) {
        const list = units.get(num(dev.controllerKey)) ?? [];
        list.push(num(dev.unitNumber));
        units.set(num(dev.controllerKey), list);
      }
    }
    for (const d of arrayOf(raw)) {
      const dev = asObject(d);
      const type = xsiType(d) ?? '';
      if (dev.scsiCtlrUnitNumber !== undefined || Object.values(SCSI_TYPES).includes(type)) {
        const key = num(dev.key);
        scsiControllers.push({ key, type, busNumber: num(dev.busNumber), units: units.get(key) ?? [] });
      }
    }
    return { disks, nics, scsiControllers };
  }

  private reconfigure(
    vm: MoRef,
    changes: SoapObject[],
    options?: TaskOptions,
  ): Promise<XmlValue | undefined> {
    return runTask(this.client, 'ReconfigVM_Task', vm, [['spec', { deviceChange: changes }]], options);
  }

  private async controller(vm: MoRef, controllerKey: number): Promise<{ key: number; type: string }> {
    const c = (await this.hardware(vm)).scsiControllers.find((x) => x.key === controllerKey);
    if (!c) {
      throw new ApiError(
        'not-found',
        sayOp('op.noControllerKey', { vm: vm.value, key: String(controllerKey) }),
      );
    }
    return c;
  }

  /** Attaches an existing .vmdk (a replica disk) at controller/unit. */
  async addExistingDisk(vm: MoRef, disk: ExistingDisk, options?: TaskOptions): Promise<void> {
    const backing = {
      $type: 'VirtualDiskFlatVer2BackingInfo',
      fileName: disk.fileName,
      diskMode: 'persistent',
    };
    await this.reconfigure(
      vm,
      [
        deviceChange(
          'add',
          diskDevice(-100, await this.controller(vm, disk.controllerKey), disk.unitNumber, backing, 0),
        ),
      ],
      options,
    );
  }

  /** Creates a new disk at controller/unit. */
  async addNewDisk(vm: MoRef, disk: NewDisk, options?: TaskOptions): Promise<void> {
    if (!(disk.capacityBytes > 0)) throw new ApiError('invalid-input', sayOp('op.diskCapacity'));
    const backing = {
      $type: 'VirtualDiskFlatVer2BackingInfo',
      fileName: disk.fileName ?? '',
      diskMode: 'persistent',
      thinProvisioned: disk.thin ?? true,
    };
    const kb = Math.ceil(disk.capacityBytes / 1024);
    await this.reconfigure(
      vm,
      [
        deviceChange(
          'add',
          diskDevice(-101, await this.controller(vm, disk.controllerKey), disk.unitNumber, backing, kb),
          'create',
        ),
      ],
      options,
    );
  }

  /** Detaches a disk; its file stays on the datastore unless `deleteFile` is set. */
  async removeDisk(
    vm: MoRef,
    diskKey: number,
    options: TaskOptions & { deleteFile?: boolean } = {},
  ): Promise<void> {
    const raw = (await this.props(vm, ['config.hardware.device'])).get('config.hardware.device');
    const disk = arrayOf(raw).find((d) => xsiType(d) === 'VirtualDisk' && num(asObject(d).key) === diskKey);
    if (!disk) throw new ApiError('not-found', sayOp('op.noDisk', { vm: vm.value, key: String(diskKey) }));
    // The device goes back exactly as vCenter sent it, as govmomi's RemoveDevice does: vCenter
    // checks it against its own copy, required properties included.
    const device = toSoap(disk) as SoapObject;
    await this.reconfigure(
      vm,
      [deviceChange('remove', device, options.deleteFile ? 'destroy' : undefined)],
      options,
    );
  }

  /** Adds a SCSI controller on `busNumber` and returns its device key. */
  async addScsiController(
    vm: MoRef,
    busNumber: number,
    kind: ScsiControllerKind = 'pvscsi',
    options?: TaskOptions,
  ): Promise<number> {
    const before = await this.hardware(vm);
    if (before.scsiControllers.some((c) => c.busNumber === busNumber)) {
      throw new ApiError('conflict', sayOp('op.controllerTaken', { vm: vm.value, bus: String(busNumber) }));
    }
    await this.reconfigure(vm, [deviceChange('add', scsiController(-102, busNumber, kind))], options);
    const after = await this.hardware(vm);
    const added = after.scsiControllers.find((c) => c.busNumber === busNumber);
    if (!added)
      throw new ApiError(
        'remote-error',
        sayOp('op.controllerMissing', { bus: String(busNumber), vm: vm.value }),
      );
    return added.key;
  }

  /** Moves a NIC to another network (standard port group or distributed port group). */
  async setNicNetwork(vm: MoRef, nicKey: number, network: MoRef, options?: TaskOptions): Promise<void> {
    const raw = (await this.props(vm, ['config.hardware.device'])).get('config.hardware.device');
    const nic = arrayOf(raw).find(
      (d) => num(asObject(d).key) === nicKey && asObject(d).macAddress !== undefined,
    );
    if (!nic) throw new ApiError('not-found', sayOp('op.noNic', { vm: vm.value, key: String(nicKey) }));
    // The device goes back as vCenter sent it, with only the backing replaced.
    const device = toSoap(nic) as SoapObject;
    if (!device.$type)
      throw new ApiError('protocol-error', sayOp('op.nicNoType', { key: String(nicKey), vm: vm.value }));
    device.backing = await this.backingFor(network);
    await this.reconfigure(vm, [deviceChange('edit', device)], options);
  }

  /**
   * The NIC backing for a network. A distributed port group is named by its switch's UUID and
   * its own `key` (not its reference id: they differ on vCenter); an opaque network (NSX) by its
   * id and type; a standard network by name (`deviceName`: vCenter resolves it by name).
   */
  private async backingFor(network: MoRef): Promise<SoapObject> {
    if (network.type === 'DistributedVirtualPortgroup') {
      const p = await this.props(network, ['key', 'config.distributedVirtualSwitch']);
      const dvs = moRef(p.get('config.distributedVirtualSwitch'));
      if (!dvs) throw new ApiError('not-found', sayOp('op.noSwitch', { network: network.value }));
      const switchUuid = text((await this.props(dvs, ['uuid'])).get('uuid'));
      return {
        $type: 'VirtualEthernetCardDistributedVirtualPortBackingInfo',
        port: { switchUuid, portgroupKey: text(p.get('key')) },
      };
    }
    if (network.type === 'OpaqueNetwork') {
      const summary = asObject((await this.props(network, ['summary'])).get('summary'));
      return {
        $type: 'VirtualEthernetCardOpaqueNetworkBackingInfo',
        opaqueNetworkId: text(summary.opaqueNetworkId),
        opaqueNetworkType: text(summary.opaqueNetworkType),
      };
    }
    const name = text((await this.props(network, ['name'])).get('name'));
    return { $type: 'VirtualEthernetCardNetworkBackingInfo', deviceName: name, network };
  }

  /** CreateVM_Task: a new VM with SCSI controllers, existing disk files and NICs; returns the VM. */
  async createVm(spec: CreateVmSpec, options?: TaskOptions): Promise<MoRef> {
    const changes: SoapObject[] = [];
    const controllers = new Map<number, { key: number; type: string }>();
    let key = -1;
    for (const c of spec.scsiControllers ?? [{ busNumber: 0, kind: 'lsilogic-sas' as const }]) {
      controllers.set(c.busNumber, { key, type: SCSI_TYPES[c.kind] });
      changes.push(deviceChange('add', scsiController(key--, c.busNumber, c.kind)));
    }
    for (const d of spec.disks ?? []) {
      const ck = controllers.get(d.busNumber);
      if (ck === undefined)
        throw new ApiError(
          'invalid-input',
          sayOp('op.diskOnBus', { disk: d.fileName, bus: String(d.busNumber) }),
        );
      const backing = {
        $type: 'VirtualDiskFlatVer2BackingInfo',
        fileName: d.fileName,
        diskMode: 'persistent',
      };
      changes.push(deviceChange('add', diskDevice(key--, ck, d.unitNumber, backing, 0)));
    }
    for (const n of spec.nics ?? []) {
      changes.push(
        deviceChange(
          'add',
          nicDevice(key--, n.adapter ?? 'vmxnet3', await this.backingFor(n.network), n.macAddress),
        ),
      );
    }
    // WSDL order of VirtualMachineConfigSpec.
    const config: SoapObject = {
      name: spec.name,
      guestId: spec.guestId,
      files: { vmPathName: spec.vmPathName },
      numCPUs: spec.cpus,
      memoryMB: spec.memoryMB,
      deviceChange: changes,
      bootOptions: spec.bootOptions ? bootOptionsSoap(spec.bootOptions) : undefined,
      firmware: spec.firmware,
    };
    const result = await runTask(
      this.client,
      'CreateVM_Task',
      spec.folder,
      [
        ['config', config],
        ['pool', spec.pool],
        ['host', spec.host],
      ],
      options,
    );
    const vm = moRef(result);
    if (!vm) throw new ApiError('protocol-error', sayOp('op.noNewVm', { method: 'CreateVM_Task' }));
    return vm;
  }

  /** The source VM's guest, size, firmware, boot options, controller kinds and NICs (with MACs). */
  async sourceSettings(vm: MoRef): Promise<SourceVmSettings> {
    const p = await this.props(vm, [
      'config.guestId',
      'config.hardware.numCPU',
      'config.hardware.memoryMB',
      'config.firmware',
      'config.bootOptions',
      'config.hardware.device',
    ]);
    const kinds = Object.fromEntries(Object.entries(SCSI_TYPES).map(([k, v]) => [v, k])) as Record<
      string,
      ScsiControllerKind
    >;
    const adapters = Object.fromEntries(Object.entries(NIC_TYPES).map(([k, v]) => [v, k])) as Record<
      string,
      NicAdapter
    >;
    const scsiControllers: SourceVmSettings['scsiControllers'] = [];
    const nics: SourceVmSettings['nics'] = [];
    for (const d of arrayOf(p.get('config.hardware.device'))) {
      const type = xsiType(d) ?? '';
      const dev = asObject(d);
      if (kinds[type]) scsiControllers.push({ busNumber: num(dev.busNumber), kind: kinds[type] });
      else if (dev.macAddress !== undefined) {
        nics.push({
          adapter: adapters[type] ?? 'e1000e',
          macAddress: text(dev.macAddress),
          addressType: text(dev.addressType),
        });
      }
    }
    const firmware = text(p.get('config.firmware'));
    return {
      guestId: text(p.get('config.guestId')),
      cpus: num(p.get('config.hardware.numCPU'), 1),
      memoryMB: num(p.get('config.hardware.memoryMB'), 1024),
      firmware: firmware === 'efi' ? 'efi' : 'bios',
      bootOptions: readBootOptions(p.get('config.bootOptions')),
      scsiControllers,
      nics,
    };
  }

  async cloneVm(vm: MoRef, spec: CloneSpec, options?: TaskOptions): Promise<MoRef> {
    const cloneSpec: SoapObject = {
      location: { folder: spec.folder, datastore: spec.datastore, pool: spec.pool, host: spec.host },
      template: spec.template ?? false,
      powerOn: spec.powerOn ?? false,
    };
    const result = await runTask(
      this.client,
      'CloneVM_Task',
      vm,
      [
        ['folder', spec.folder],
        ['name', spec.name],
        ['spec', cloneSpec],
      ],
      options,
    );
    const clone = moRef(result);
    if (!clone) throw new ApiError('protocol-error', sayOp('op.noClone', { method: 'CloneVM_Task' }));
    return clone;
  }

  async createSnapshot(
    vm: MoRef,
    snapshot: { name: string; description?: string; memory?: boolean; quiesce?: boolean },
    options?: TaskOptions,
  ): Promise<MoRef> {
    const result = await runTask(
      this.client,
      'CreateSnapshot_Task',
      vm,
      [
        ['name', snapshot.name],
        ['description', snapshot.description ?? ''],
        ['memory', snapshot.memory ?? false],
        ['quiesce', snapshot.quiesce ?? false],
      ],
      options,
    );
    const ref = moRef(result);
    if (!ref) throw new ApiError('protocol-error', sayOp('op.noSnapshot', { method: 'CreateSnapshot_Task' }));
    return ref;
  }

  async removeSnapshot(
    snapshot: MoRef,
    options: TaskOptions & { removeChildren?: boolean; consolidate?: boolean } = {},
  ): Promise<void> {
    await runTask(
      this.client,
      'RemoveSnapshot_Task',
      snapshot,
      [
        ['removeChildren', options.removeChildren ?? false],
        ['consolidate', options.consolidate ?? true],
      ],
      options,
    );
  }

  /** RegisterVM_Task: brings a VM whose files are on a datastore (a .vmx) into the inventory. */
  async registerVm(spec: RegisterVmSpec, options?: TaskOptions): Promise<MoRef> {
    if (!/^\[[^\]]+\]\s*\S.*\.vmx$/.test(spec.vmxPath)) {
      throw new ApiError('invalid-input', sayOp('op.dsPathVmx', { path: spec.vmxPath }));
    }
    const result = await runTask(
      this.client,
      'RegisterVM_Task',
      spec.folder,
      [
        ['path', spec.vmxPath],
        ['name', spec.name],
        ['asTemplate', spec.asTemplate ?? false],
        ['pool', spec.asTemplate ? undefined : spec.pool],
        ['host', spec.host],
      ],
      options,
    );
    const vm = moRef(result);
    if (!vm) throw new ApiError('protocol-error', sayOp('op.noRegisteredVm', { method: 'RegisterVM_Task' }));
    return vm;
  }

  /** Asks vCenter to cancel a running task; false when it cannot be cancelled (see cancelTask). */
  cancelTask(task: MoRef, signal?: AbortSignal): Promise<boolean> {
    return cancelTask(this.client, task, signal);
  }

  /** Removes the VM from the inventory; its files stay on the datastore. */
  async unregister(vm: MoRef, signal?: AbortSignal): Promise<void> {
    await this.client.invoke('UnregisterVM', vm, [], signal);
  }

  /** Deletes the VM and its files. */
  async destroy(vm: MoRef, options?: TaskOptions): Promise<void> {
    await runTask(this.client, 'Destroy_Task', vm, [], options);
  }

  /** Creates a folder on a datastore ("[ds] replicas/app01"), parents included; exists already is fine. */
  async makeDirectory(path: string, datacenter: MoRef, signal?: AbortSignal): Promise<void> {
    const fileManager = this.client.serviceContent.fileManager;
    if (!fileManager) throw new ApiError('unknown-call', sayOp('op.noManager', { manager: 'FileManager' }));
    const m = /^\[([^\]]+)\]\s*(.*)$/.exec(path);
    if (!m) {
      throw new ApiError('invalid-input', sayOp('op.dsPathFolder', { path }));
    }
    const [, dsName, rel] = m as unknown as [string, string, string];
    const top = rel.split('/')[0]!;
    const ds = top ? await this.datastoreNamed(datacenter, dsName, signal) : undefined;
    if (ds && (ds.type === 'vsan' || ds.type === 'VVOL')) {
      // The top of a vSAN or vVol datastore holds namespace objects, not directories:
      // FileManager refuses to make one there, DatastoreNamespaceManager makes it. Below it,
      // FileManager works as anywhere.
      const nsm = this.client.serviceContent.datastoreNamespaceManager;
      if (!nsm)
        throw new ApiError(
          'unknown-call',
          sayOp('op.noNamespaceManager', { type: ds.type, datastore: dsName }),
        );
      try {
        await this.client.invoke(
          'CreateDirectory',
          nsm,
          [
            ['datastore', ds.ref],
            ['displayName', top],
          ],
          signal,
        );
      } catch (err) {
        if (!isFault(err, 'FileAlreadyExists')) throw err;
      }
      if (!rel.slice(top.length).replace(/^\/+/, '')) return;
    }
    try {
      await this.client.invoke(
        'MakeDirectory',
        fileManager,
        [
          ['name', path],
          ['datacenter', datacenter],
          ['createParentDirectories', true],
        ],
        signal,
      );
    } catch (err) {
      if (!isFault(err, 'FileAlreadyExists')) throw err;
    }
  }

  /** A datacenter's datastore by name, with its type (VMFS, NFS, vsan, VVOL …). */
  private async datastoreNamed(
    datacenter: MoRef,
    name: string,
    signal?: AbortSignal,
  ): Promise<{ ref: MoRef; type: string } | undefined> {
    const [dc] = await this.pc.retrieveObjects(
      [datacenter],
      [{ type: 'Datacenter', pathSet: ['datastore'] }],
      signal,
    );
    const refs = arrayOf(dc?.props.get('datastore'))
      .map(moRef)
      .filter((r): r is MoRef => r !== null);
    const all = await this.pc.retrieveObjects(
      refs,
      [{ type: 'Datastore', pathSet: ['name', 'summary.type'] }],
      signal,
    );
    const o = all.find((x) => sameName(text(x.props.get('name')), name));
    return o ? { ref: o.obj, type: text(o.props.get('summary.type')) } : undefined;
  }

  /** Capacity and free space of datastores, as vCenter last measured them. */
  async datastoreSpace(datastores: MoRef[], signal?: AbortSignal): Promise<DatastoreSpace[]> {
    const objects = await this.pc.retrieveObjects(
      datastores,
      [
        {
          type: 'Datastore',
          pathSet: ['name', 'summary.capacity', 'summary.freeSpace', 'summary.accessible'],
        },
      ],
      signal,
    );
    return objects.map((o) => ({
      id: o.obj.value,
      name: displayName(text(o.props.get('name'))),
      capacityBytes: num(o.props.get('summary.capacity')),
      freeBytes: num(o.props.get('summary.freeSpace')),
      accessible: bool(o.props.get('summary.accessible'), true),
    }));
  }
}
