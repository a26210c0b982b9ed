import type { VsphereInventory, VsphereVm } from '../../shared/schemas/inventory';
import type { InventoryChange } from '../inventory/source';
import type { VimClient } from './client';
import {
  isMissingObject,
  type ObjectContent,
  objectsFilterSpec,
  PropertyCollector,
  type PropertySpec,
  viewFilterSpec,
} from './property';
import {
  arrayOf,
  asArray,
  asObject,
  bool,
  detach,
  detachString,
  type MoRef,
  moRef,
  num,
  optText,
  type SkipElements,
  text,
  type XmlObject,
  type XmlValue,
  xsiType,
} from './xml';

/**
 * The inventory document, built from one property-collector read per estate. Only the
 * properties the document needs are requested; the largest is the VMs' device list, which
 * carries disks, controllers and NICs.
 */
const ESCAPED = /%(2f|5c|25)/gi;
const UNESCAPED: Record<string, string> = { '2f': '/', '5c': '\\', '25': '%' };

/**
 * A managed entity's name as the operator typed it: vCenter stores `/`, `\` and `%` in names
 * escaped (`%2f`, `%5c`, `%25`); names sent back to vCenter stay as it has them.
 */
export function displayName(raw: string): string {
  return raw.includes('%') ? raw.replace(ESCAPED, (_, hex: string) => UNESCAPED[hex.toLowerCase()]!) : raw;
}

const TO_ESCAPE = /[%/\\]/g;
const ESCAPES: Record<string, string> = { '/': '%2f', '\\': '%5c', '%': '%25' };

/** A name as vCenter stores it: `/`, `\` and `%` escaped (the inverse of displayName). */
export function escapeName(name: string): string {
  return name.replace(TO_ESCAPE, (c) => ESCAPES[c]!);
}

/**
 * Whether a name vCenter has (escaped) is the one given: its unescaped form, or the stored
 * form itself, as a datastore path's "[name]" may carry either.
 */
export function sameName(stored: string, typed: string): boolean {
  return stored === typed || displayName(stored) === typed;
}

export const INVENTORY_SPECS: PropertySpec[] = [
  { type: 'Folder', pathSet: ['name', 'parent'] },
  { type: 'Datacenter', pathSet: ['name', 'parent'] },
  { type: 'ComputeResource', pathSet: ['name', 'parent'] },
  { type: 'VirtualApp', pathSet: ['name', 'parentFolder'] },
  {
    type: 'HostSystem',
    pathSet: [
      'name',
      'parent',
      'runtime.connectionState',
      'runtime.powerState',
      'summary.config.product.fullName',
      'summary.hardware.numCpuCores',
      'summary.hardware.memorySize',
    ],
  },
  {
    type: 'Datastore',
    pathSet: [
      'name',
      'parent',
      'summary.type',
      'summary.capacity',
      'summary.freeSpace',
      'summary.accessible',
    ],
  },
  { type: 'Network', pathSet: ['name', 'parent'] },
  // config.uplink: a switch's uplink port group carries host uplinks, no VM can use it.
  { type: 'DistributedVirtualPortgroup', pathSet: ['name', 'parent', 'config.uplink'] },
  {
    type: 'VirtualMachine',
    pathSet: [
      'name',
      'parent',
      'parentVApp',
      'config.uuid',
      'config.instanceUuid',
      'config.guestId',
      'config.hardware.numCPU',
      'config.hardware.memoryMB',
      'config.hardware.device',
      'config.template',
      'runtime.powerState',
      'runtime.connectionState',
      'runtime.host',
      'guest.ipAddress',
      'guest.net',
    ],
  },
];

export type VsphereCollection = 'datacenters' | 'clusters' | 'hosts' | 'datastores' | 'networks' | 'vms';
export type VsphereEntry = VsphereInventory[VsphereCollection][number];

export function collectionOf(type: string): VsphereCollection | null {
  switch (type) {
    case 'Datacenter':
      return 'datacenters';
    case 'ClusterComputeResource':
      return 'clusters';
    case 'HostSystem':
      return 'hosts';
    case 'Datastore':
      return 'datastores';
    case 'Network':
    case 'DistributedVirtualPortgroup':
    case 'OpaqueNetwork':
      return 'networks';
    case 'VirtualMachine':
      return 'vms';
    default:
      return null;
  }
}

const POWER_STATES = new Set(['poweredOn', 'poweredOff', 'suspended']);

/**
 * The estate as raw property values keyed by object id, plus the derivations that turn it into
 * the document. Live updates change the raw values and rebuild only the entries they touch.
 */
export class InventoryModel {
  readonly objects = new Map<string, ModelObject>();
  private pathMemo = new Map<string, string>();
  private dcMemo = new Map<string, string | null>();

  constructor(readonly source: VsphereInventory['source']) {}

  /** The document entry of a VM that is not kept in the model (streamVsphereInventory). */
  vmEntry(content: ObjectContent): VsphereVm {
    const o: ModelObject = content;
    const raw = o.props.get(DEVICE_PROP);
    if (raw !== undefined) o.devices = readDevices(raw);
    return this.vm(o);
  }

  set(content: ModelObject): void {
    const raw = content.props.get(DEVICE_PROP);
    if (raw !== undefined) {
      // Decoded once; the raw tree is dropped to keep a big estate's model small.
      content.devices = detachDevices(readDevices(raw));
      content.props.delete(DEVICE_PROP);
    }
    // What the model keeps must not keep the whole response it came in (see detachString).
    for (const [k, v] of content.props) content.props.set(k, detach(v));
    content.obj = { type: detachString(content.obj.type), value: detachString(content.obj.value) };
    this.objects.set(content.obj.value, content);
    this.invalidate(content.obj.type);
  }

  delete(id: string): ModelObject | undefined {
    const o = this.objects.get(id);
    this.objects.delete(id);
    if (o) this.invalidate(o.obj.type);
    return o;
  }

  private invalidate(type: string): void {
    // Paths and datacenters only depend on containers; a VM changing its power state keeps them.
    if (
      type !== 'VirtualMachine' &&
      type !== 'HostSystem' &&
      type !== 'Datastore' &&
      collectionOf(type) !== 'networks'
    ) {
      this.pathMemo.clear();
      this.dcMemo.clear();
    }
  }

  /** The name as vCenter has it (escaped): inventory paths keep `%2f` so that `/` separates. */
  private name(id: string): string {
    return text(this.objects.get(id)?.props.get('name'));
  }

  private parentOf(o: ObjectContent): MoRef | null {
    return (
      moRef(o.props.get('parent')) ?? moRef(o.props.get('parentFolder')) ?? moRef(o.props.get('parentVApp'))
    );
  }

  /** "/DC0/vm/sub": names from (not including) the root folder down to the object. */
  pathOf(id: string): string {
    const memo = this.pathMemo.get(id);
    if (memo !== undefined) return memo;
    const o = this.objects.get(id);
    let path = '';
    if (o) {
      const parent = this.parentOf(o);
      path = parent ? `${this.pathOf(parent.value)}/${this.name(id)}` : '';
    }
    this.pathMemo.set(id, path);
    return path;
  }

  datacenterOf(id: string): string | null {
    const memo = this.dcMemo.get(id);
    if (memo !== undefined) return memo;
    const o = this.objects.get(id);
    let dc: string | null = null;
    if (o) {
      if (o.obj.type === 'Datacenter') dc = id;
      else {
        const parent = this.parentOf(o);
        dc = parent ? this.datacenterOf(parent.value) : null;
      }
    }
    this.dcMemo.set(id, dc);
    return dc;
  }

  /** The document entry of one object, or null for containers that are not in the document. */
  entry(o: ObjectContent): { collection: VsphereCollection; value: VsphereEntry } | null {
    const collection = collectionOf(o.obj.type);
    if (!collection) return null;
    const id = o.obj.value;
    const p = o.props;
    const name = displayName(text(p.get('name')));
    switch (collection) {
      case 'datacenters':
        return { collection, value: { id, name, path: this.pathOf(id) } };
      case 'clusters':
        return { collection, value: { id, name, datacenter: this.datacenterOf(id) ?? '' } };
      case 'hosts': {
        const parent = moRef(p.get('parent'));
        return {
          collection,
          value: {
            id,
            name,
            datacenter: this.datacenterOf(id) ?? '',
            cluster: parent?.type === 'ClusterComputeResource' ? parent.value : null,
            connectionState: text(p.get('runtime.connectionState')),
            powerState: text(p.get('runtime.powerState')),
            product: optText(p.get('summary.config.product.fullName')),
            cpuCores: num(p.get('summary.hardware.numCpuCores')),
            memoryBytes: num(p.get('summary.hardware.memorySize')),
          },
        };
      }
      case 'datastores':
        return {
          collection,
          value: {
            id,
            name,
            datacenter: this.datacenterOf(id) ?? '',
            type: text(p.get('summary.type')),
            capacityBytes: num(p.get('summary.capacity')),
            freeBytes: num(p.get('summary.freeSpace')),
            accessible: bool(p.get('summary.accessible'), true),
          },
        };
      case 'networks':
        if (bool(p.get('config.uplink'))) return null;
        return {
          collection,
          value: {
            id,
            name,
            datacenter: this.datacenterOf(id) ?? '',
            kind: o.obj.type === 'DistributedVirtualPortgroup' ? 'distributed' : 'standard',
          },
        };
      case 'vms':
        return { collection, value: this.vm(o) };
    }
  }

  private vm(o: ModelObject): VsphereVm {
    const id = o.obj.value;
    const p = o.props;
    const host = moRef(p.get('runtime.host'));
    const parent = this.parentOf(o);
    const power = text(p.get('runtime.powerState'));
    const nicIps = guestNicIps(p.get('guest.net'));
    const disks = o.devices?.disks ?? [];
    const nics = (o.devices?.nics ?? []).map((n) => ({ ...n, ipAddresses: nicIps.get(n.key) ?? [] }));
    const ips: string[] = [];
    for (const list of nicIps.values()) for (const ip of list) if (!ips.includes(ip)) ips.push(ip);
    const primary = optText(p.get('guest.ipAddress'));
    if (primary && !ips.includes(primary)) ips.unshift(primary);
    return {
      id,
      name: displayName(text(p.get('name'))),
      uuid: optText(p.get('config.uuid')),
      instanceUuid: optText(p.get('config.instanceUuid')),
      powerState: (POWER_STATES.has(power) ? power : 'poweredOff') as VsphereVm['powerState'],
      template: bool(p.get('config.template')),
      connectionState: text(p.get('runtime.connectionState')) || 'connected',
      host: host?.value ?? null,
      hostName: host ? displayName(this.name(host.value)) || null : null,
      // From the parent: a VM read page by page (streamVsphereInventory) is not in the model.
      datacenter: parent ? this.datacenterOf(parent.value) : null,
      folderPath: parent ? this.pathOf(parent.value) : '',
      guestOs: optText(p.get('config.guestId')),
      cpus: num(p.get('config.hardware.numCPU')),
      memoryMB: num(p.get('config.hardware.memoryMB')),
      ipAddresses: ips,
      disks,
      nics,
    };
  }

  build(): VsphereInventory {
    const doc: VsphereInventory = {
      source: this.source,
      datacenters: [],
      clusters: [],
      hosts: [],
      datastores: [],
      networks: [],
      vms: [],
    };
    for (const o of this.objects.values()) {
      const e = this.entry(o);
      if (e) (doc[e.collection] as VsphereEntry[]).push(e.value);
    }
    return doc;
  }

  /** The change to emit for an object whose raw values changed (or that left). */
  changeFor(id: string, left: ObjectContent | undefined): InventoryChange<VsphereInventory> | null {
    if (left) {
      const collection = collectionOf(left.obj.type);
      return collection ? { type: 'remove', collection, id } : null;
    }
    const o = this.objects.get(id);
    const e = o && this.entry(o);
    return e ? { type: 'upsert', collection: e.collection, id, value: e.value } : null;
  }
}

type Disk = VsphereVm['disks'][number];
type Nic = VsphereVm['nics'][number];
export interface DeviceSummary {
  disks: Disk[];
  /** ipAddresses come from guest.net when the entry is built. */
  nics: Nic[];
}

/** A model object: raw properties, with the device list decoded once on arrival. */
export interface ModelObject extends ObjectContent {
  devices?: DeviceSummary;
}

const DEVICE_PROP = 'config.hardware.device';

/**
 * Device types the document never reads. Dropped from the XML before parsing: they are most of
 * a VM's device list, and parsing them was most of the inventory's time.
 */
export const IGNORED_DEVICE_TYPES: ReadonlySet<string> = new Set([
  'VirtualKeyboard',
  'VirtualPointingDevice',
  'VirtualMachineVideoCard',
  'VirtualMachineVMCIDevice',
  'VirtualMachineVMIROM',
  'VirtualCdrom',
  'VirtualFloppy',
  'VirtualPCIController',
  'VirtualPS2Controller',
  'VirtualSIOController',
  'VirtualUSBController',
  'VirtualUSBXHCIController',
  'VirtualUSB',
  'VirtualSerialPort',
  'VirtualParallelPort',
  'VirtualSoundBlaster16',
  'VirtualEnsoniq1371',
  'VirtualHdAudioCard',
  'VirtualTPM',
  'VirtualWDT',
  'VirtualPrecisionClock',
]);

/** Devices the document never reads: the parser passes over them (far cheaper than parsing them). */
export const dropIgnoredDevices: SkipElements = { tag: 'VirtualDevice', types: IGNORED_DEVICE_TYPES };

function detachDevices(d: DeviceSummary): DeviceSummary {
  for (const disk of d.disks) {
    disk.label = detachString(disk.label);
    disk.fileName = detachString(disk.fileName);
    if (disk.datastore) disk.datastore = detachString(disk.datastore);
  }
  for (const nic of d.nics) {
    if (nic.mac) nic.mac = detachString(nic.mac);
    if (nic.network) nic.network = detachString(nic.network);
  }
  return d;
}

/** Disks and NICs from config.hardware.device, with bus numbers from their controllers. */
export function readDevices(devices: XmlValue | undefined): DeviceSummary {
  const busOf = new Map<number, number>();
  const disks: Disk[] = [];
  const nics: Nic[] = [];
  const diskNodes: XmlObject[] = [];
  for (const d of arrayOf(devices)) {
    const dev = asObject(d);
    if (dev.busNumber !== undefined) busOf.set(num(dev.key), num(dev.busNumber));
    if (xsiType(d) === 'VirtualDisk') diskNodes.push(dev);
    else if (dev.macAddress !== undefined || xsiType(dev.backing)?.startsWith('VirtualEthernetCard')) {
      const backing = asObject(dev.backing);
      nics.push({
        key: num(dev.key),
        mac: optText(dev.macAddress),
        network: moRef(backing.network)?.value ?? optText(asObject(backing.port).portgroupKey),
        connected: bool(asObject(dev.connectable).connected),
        ipAddresses: [],
      });
    }
  }
  for (const dev of diskNodes) {
    const backing = asObject(dev.backing);
    const controllerKey = dev.controllerKey === undefined ? null : num(dev.controllerKey);
    disks.push({
      key: num(dev.key),
      label: text(asObject(dev.deviceInfo).label),
      fileName: text(backing.fileName),
      datastore: moRef(backing.datastore)?.value ?? null,
      capacityBytes:
        dev.capacityInBytes !== undefined ? num(dev.capacityInBytes) : num(dev.capacityInKB) * 1024,
      controllerKey,
      busNumber: controllerKey === null ? null : (busOf.get(controllerKey) ?? null),
      unitNumber: dev.unitNumber === undefined ? null : num(dev.unitNumber),
      thin: bool(backing.thinProvisioned),
    });
  }
  return { disks, nics };
}

function guestNicIps(guestNet: XmlValue | undefined): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const n of arrayOf(guestNet)) {
    const g = asObject(n);
    if (g.deviceConfigId !== undefined) out.set(num(g.deviceConfigId), asArray(g.ipAddress).map(text));
  }
  return out;
}

const NON_VM_SPECS = INVENTORY_SPECS.filter((s) => s.type !== 'VirtualMachine');
export const VM_SPEC = INVENTORY_SPECS.find((s) => s.type === 'VirtualMachine')!;
/** VMs per request; a few requests are in flight so the server prepares one while we parse another. */
const VM_BATCH = 250;
const VM_CONCURRENCY = 3;

export function newModel(client: VimClient): InventoryModel {
  const sc = client.serviceContent;
  const model = new InventoryModel({
    kind: 'vsphere',
    url: client.url,
    about: {
      fullName: sc.about.fullName,
      apiVersion: sc.about.apiVersion,
      instanceUuid: sc.about.instanceUuid,
    },
  });
  // The root folder is not in its own view; it is the top of every path.
  model.set({ obj: sc.rootFolder, props: new Map([['name', 'Datacenters']]), missing: [] });
  return model;
}

/**
 * Reads the whole estate through one recursive container view from the root folder: first
 * every container, host, datastore and network with the VMs' references, then the VMs in
 * batches, each with the properties the document needs.
 */
export async function fetchInventoryModel(
  client: VimClient,
  options: { maxObjects?: number; signal?: AbortSignal } = {},
): Promise<InventoryModel> {
  const model = newModel(client);
  await readEstate(client, model, options, undefined, (o) => model.set(o));
  return model;
}

/**
 * The inventory document without holding the estate in memory: `onHead` gets the document
 * without its VMs (everything else is read first), then `onVm` each VM as soon as its page is
 * decoded, after which the page is dropped. Memory stays that of a few pages whatever the
 * estate's size. VMs come in the order their pages arrive, as in fetchInventory.
 */
export async function streamInventory(
  client: VimClient,
  onHead: (doc: VsphereInventory) => void,
  onVm: (vm: VsphereVm) => void,
  options: { maxObjects?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const model = newModel(client);
  await readEstate(
    client,
    model,
    options,
    () => onHead(model.build()),
    (o) => onVm(model.vmEntry(o)),
  );
}

async function readEstate(
  client: VimClient,
  model: InventoryModel,
  options: { maxObjects?: number; signal?: AbortSignal },
  listed: (() => void) | undefined,
  onVm: (o: ObjectContent) => void,
): Promise<void> {
  const { maxObjects, signal } = options;
  const pc = new PropertyCollector(client);
  const sc = client.serviceContent;
  const view = await pc.createContainerView(
    sc.rootFolder,
    INVENTORY_SPECS.map((s) => s.type),
    true,
    signal,
  );
  try {
    const vms: MoRef[] = [];
    await pc.retrieve(
      viewFilterSpec(view, [...NON_VM_SPECS, { type: 'VirtualMachine', pathSet: [] }]),
      { maxObjects, signal },
      (objects) => {
        for (const o of objects) {
          if (o.obj.type === 'VirtualMachine') vms.push(o.obj);
          else model.set(o);
        }
      },
    );
    listed?.();
    const batches: MoRef[][] = [];
    for (let i = 0; i < vms.length; i += VM_BATCH) batches.push(vms.slice(i, i + VM_BATCH));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        await retrieveVms(pc, batch, { maxObjects, signal }, onVm);
      }
    };
    await Promise.all(Array.from({ length: Math.min(VM_CONCURRENCY, batches.length) }, worker));
  } finally {
    await pc.destroyView(view);
  }
}

/**
 * VM properties for a list of VMs in one read; VMs deleted since they were listed are left out
 * by vCenter itself (reportMissingObjectsInResults), not by reading the batch again.
 */
async function retrieveVms(
  pc: PropertyCollector,
  refs: MoRef[],
  options: { maxObjects?: number; signal?: AbortSignal },
  onObject: (o: ObjectContent) => void,
): Promise<void> {
  if (refs.length === 0) return;
  await pc.retrieve(
    objectsFilterSpec(refs, [VM_SPEC], { skipMissing: true }),
    { ...options, bodyFilter: dropIgnoredDevices },
    (objects) => {
      for (const o of objects) if (!isMissingObject(o)) onObject(o);
    },
  );
}

export async function fetchInventory(
  client: VimClient,
  options: { maxObjects?: number; signal?: AbortSignal } = {},
): Promise<VsphereInventory> {
  return (await fetchInventoryModel(client, options)).build();
}
