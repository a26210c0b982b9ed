import { ApiError } from '../../shared/errors';
import { sayOp } from '../../shared/i18n/operation-words';
import {
  checkScsiSlot,
  type DatastoreSpace,
  type EndpointOperations,
  type Firmware,
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
  type VmInfo,
  type VmPowerState,
  type VmQuery,
} from '../inventory/operations';
import type { VimClient } from './client';
import { isFault } from './faults';
import { displayName, escapeName, readDevices, sameName } from './inventory';
import { PropertyCollector } from './property';
import { cancelTask, type TaskOptions, waitForTask } from './tasks';
import { datastoreRef, hostRef, VmOperations, vmRef } from './vm';
import {
  arrayOf,
  asArray,
  asObject,
  type MoRef,
  moRef,
  num,
  optText,
  text,
  type XmlValue,
  xsiType,
} from './xml';

/**
 * The connector-neutral operations (core/inventory/operations.ts) over the vSphere VM operations
 * (vm.ts) and tasks (tasks.ts). A thin adapter: it turns inventory ids into managed object
 * references and buses into controller keys, looks before acting, and leaves the SOAP requests
 * to vm.ts.
 */

const VM_PROPS = [
  'name',
  'config.uuid',
  'config.guestId',
  'config.hardware.numCPU',
  'config.hardware.memoryMB',
  'config.hardware.device',
  'config.firmware',
  'runtime.powerState',
  'runtime.host',
];

/** A VM placement's references in vCenter. */
interface PlacementRefs {
  pool: MoRef;
  folder: MoRef;
  dsName: string;
}

/** How long references read for one call are reused by the next ones (VsphereOperations.cached). */
const CACHE_TTL_MS = 60_000;

/** Standard networks are `network-N`, distributed port groups `dvportgroup-N` (their managed object ids). */
export function networkRef(id: string): MoRef {
  return { type: id.startsWith('dvportgroup-') ? 'DistributedVirtualPortgroup' : 'Network', value: id };
}

/** "[datastore] path/file.vmdk" → datastore name and path. */
export function splitDatastorePath(fileName: string): { datastore: string; path: string } {
  const m = /^\[([^\]]+)\]\s*(.*)$/.exec(fileName);
  if (!m) {
    throw new ApiError('invalid-input', sayOp('op.dsPathFile', { path: fileName }));
  }
  return { datastore: m[1]!, path: m[2]! };
}

export class VsphereOperations implements EndpointOperations {
  readonly kind = 'vsphere' as const;
  readonly supports: ReadonlySet<OperationName> = new Set(operationNames);
  readonly vm: VmOperations;
  private readonly pc: PropertyCollector;

  constructor(
    readonly client: VimClient,
    private readonly defaults: OperationOptions = {},
    /** Shared by every binding of one session (see `cached`). */
    private readonly cache: Map<string, { at: number; value: Promise<unknown> }> = new Map(),
  ) {
    this.vm = new VmOperations(client);
    this.pc = new PropertyCollector(client);
  }

  bind(defaults: OperationOptions): EndpointOperations {
    return new VsphereOperations(this.client, mergeOptions(this.defaults, defaults), this.cache);
  }

  private opts(options?: OperationOptions): TaskOptions {
    const o = mergeOptions(this.defaults, options);
    return {
      signal: o.signal,
      slot: o.taskSlot,
      onTask: o.onTask ? (task) => o.onTask!({ id: task.value, operation: 'vSphere task' }) : undefined,
      onProgress: o.onProgress
        ? (p) => {
            if (p.progress !== null) o.onProgress!(p.progress / 100);
          }
        : undefined,
    };
  }

  private async props(obj: MoRef, pathSet: string[], signal?: AbortSignal): Promise<Map<string, XmlValue>> {
    const [o] = await this.pc
      .retrieveObjects([obj], [{ type: obj.type, pathSet }], signal)
      .catch((err: unknown) => {
        if (isFault(err, 'ManagedObjectNotFound')) return [];
        throw err;
      });
    if (!o) throw new ApiError('not-found', sayOp('op.notFound', { type: obj.type, id: obj.value }));
    return o.props;
  }

  /** All objects of one type with some properties, through a container view on the root folder. */
  private async listAll(type: string, pathSet: string[], signal?: AbortSignal) {
    const view = await this.pc.createContainerView(
      this.client.serviceContent.rootFolder,
      [type],
      true,
      signal,
    );
    try {
      return await this.pc.retrieveAll(
        {
          $type: 'PropertyFilterSpec',
          objectSet: [
            {
              obj: view,
              skip: true,
              selectSet: [{ $type: 'TraversalSpec', type: 'ContainerView', path: 'view', skip: false }],
            },
          ],
          propSet: [{ type, pathSet }],
        },
        { signal },
      );
    } finally {
      await this.pc.destroyView(view).catch(() => {});
    }
  }

  private toVmInfo(id: string, p: Map<string, XmlValue>): VmInfo {
    const raw = p.get('config.hardware.device');
    const { disks, nics } = readDevices(raw);
    const units = new Map<number, number[]>();
    for (const d of disks) {
      if (d.busNumber === null || d.unitNumber === null) continue;
      units.set(d.busNumber, [...(units.get(d.busNumber) ?? []), d.unitNumber]);
    }
    const scsiControllers = arrayOf(raw)
      .filter((d) => asObject(d).scsiCtlrUnitNumber !== undefined)
      .map((d) => ({
        bus: num(asObject(d).busNumber),
        kind: xsiType(d) ?? 'scsi',
        units: units.get(num(asObject(d).busNumber)) ?? [],
      }));
    const firmware = optText(p.get('config.firmware'));
    return {
      id,
      name: displayName(text(p.get('name'))),
      uuid: optText(p.get('config.uuid')),
      powerState: (text(p.get('runtime.powerState')) || 'poweredOff') as VmPowerState,
      guestOs: optText(p.get('config.guestId')),
      cpus: num(p.get('config.hardware.numCPU')),
      memoryMB: num(p.get('config.hardware.memoryMB')),
      firmware: firmware === 'efi' || firmware === 'bios' ? (firmware as Firmware) : null,
      host: moRef(p.get('runtime.host'))?.value ?? null,
      disks: disks.map((d) => ({
        fileName: d.fileName,
        datastore: d.datastore,
        capacityBytes: d.capacityBytes,
        controller: d.busNumber ?? -1,
        unit: d.unitNumber ?? -1,
      })),
      nics: nics.map((n) => ({ network: n.network, mac: n.mac })),
      scsiControllers,
    };
  }

  async findVm(query: VmQuery, options?: OperationOptions): Promise<VmInfo | null> {
    const { signal } = mergeOptions(this.defaults, options);
    let id: string | null = null;
    if ('id' in query) id = query.id;
    else if ('uuid' in query) {
      const index = this.client.serviceContent.searchIndex;
      if (!index) throw new ApiError('unknown-call', sayOp('op.noSearchIndexVm'));
      const found = await this.client.invoke(
        'FindByUuid',
        index,
        [
          ['uuid', query.uuid],
          ['vmSearch', true],
          ['instanceUuid', false],
        ],
        signal,
      );
      id = moRef(found)?.value ?? null;
    } else {
      // vCenter has no search by VM name: list the names (one small property per VM). vCenter
      // has `/`, `\` and `%` escaped in them; the query is the name as the operator typed it.
      const all = await this.listAll('VirtualMachine', ['name'], signal);
      const matches = all.filter((o) => displayName(text(o.props.get('name'))) === query.name);
      if (matches.length > 1) {
        throw new ApiError(
          'conflict',
          sayOp('op.vmsNamed', { count: matches.length, name: query.name, endpoint: this.client.url }),
        );
      }
      id = matches[0]?.obj.value ?? null;
    }
    if (!id) return null;
    try {
      return this.toVmInfo(id, await this.props(vmRef(id), VM_PROPS, signal));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'not-found') return null;
      throw err;
    }
  }

  async recoverySettings(vmId: string): Promise<RecoverySettings> {
    const s = await this.vm.sourceSettings(vmRef(vmId));
    return {
      guestId: s.guestId,
      cpus: s.cpus,
      memoryMB: s.memoryMB,
      firmware: s.firmware,
      bootOptions: s.bootOptions,
      scsiControllers: s.scsiControllers.map((c) => ({ bus: c.busNumber, kind: c.kind })),
      nics: s.nics.map((n) => ({ adapter: n.adapter, mac: n.macAddress || null })),
    };
  }

  private async mustFind(vmId: string, options?: OperationOptions): Promise<VmInfo> {
    const vm = await this.findVm({ id: vmId }, options);
    if (!vm) throw new ApiError('not-found', sayOp('op.vmNotFound', { vm: vmId, endpoint: this.client.url }));
    return vm;
  }

  async powerOn(vmId: string, options?: OperationOptions): Promise<'already-on' | 'powered-on'> {
    if ((await this.vm.powerState(vmRef(vmId))) === 'poweredOn') return 'already-on';
    await this.vm.powerOn(vmRef(vmId), this.opts(options));
    return 'powered-on';
  }

  async powerOff(vmId: string, options?: OperationOptions): Promise<'already-off' | 'powered-off'> {
    if ((await this.vm.powerState(vmRef(vmId))) === 'poweredOff') return 'already-off';
    await this.vm.powerOff(vmRef(vmId), this.opts(options));
    return 'powered-off';
  }

  shutdownGuest(vmId: string, options?: OperationOptions & { timeoutMs?: number }): Promise<ShutdownOutcome> {
    return this.vm.shutdownGuest(vmRef(vmId), {
      timeoutMs: options?.timeoutMs,
      signal: this.opts(options).signal,
    });
  }

  /** The datacenter above an object (its parent chain ends there). */
  private async datacenterOf(obj: MoRef, signal?: AbortSignal): Promise<MoRef> {
    let current: MoRef | null = obj;
    for (let depth = 0; current && depth < 32; depth++) {
      if (current.type === 'Datacenter') return current;
      current = moRef((await this.props(current, ['parent'], signal)).get('parent'));
    }
    throw new ApiError('not-found', sayOp('op.notInDatacenter', { type: obj.type, id: obj.value }));
  }

  private async resolveFolder(datacenter: MoRef, folder: string | undefined, signal?: AbortSignal) {
    const vmFolder = moRef((await this.props(datacenter, ['vmFolder'], signal)).get('vmFolder'));
    if (!vmFolder)
      throw new ApiError('protocol-error', sayOp('op.noVmFolder', { datacenter: datacenter.value }));
    if (!folder || folder === '/') return vmFolder;
    if (!folder.startsWith('/')) return { type: 'Folder', value: folder };
    const index = this.client.serviceContent.searchIndex;
    if (!index) throw new ApiError('unknown-call', sayOp('op.noSearchIndexFolder'));
    let current = vmFolder;
    // A path's segments are names as vCenter has them (a `/` inside a name is `%2f`, as in the
    // inventory's folder paths); a `%` that escapes nothing is the character itself.
    for (const segment of folder.split('/').filter(Boolean)) {
      const name = displayName(segment);
      const findChild = async (parent: MoRef) =>
        moRef(
          await this.client.invoke(
            'FindChild',
            index,
            [
              ['entity', parent],
              ['name', escapeName(name)],
            ],
            signal,
          ),
        );
      const parent = current;
      // A missing folder of the plan's placement is created, as an operator would before a
      // failover; vCenter escapes the name it is given.
      current =
        (await findChild(parent)) ??
        ((await this.client
          .invoke('CreateFolder', parent, [['name', name]], signal)
          .then(moRef, async (err) => {
            // The VMs of one failover are created side by side: a concurrent create made the
            // folder between the look and the create (DuplicateName), and it is the same folder.
            const made = isFault(err, 'DuplicateName') ? await findChild(parent) : null;
            if (!made) throw err;
            return made;
          })) as MoRef);
    }
    return current;
  }

  /** The resource pool, VM folder and datastore name of a placement, read from vCenter. */
  private async resolvePlacement(
    placement: NewVmSpec['placement'],
    name: string,
    signal?: AbortSignal,
  ): Promise<PlacementRefs> {
    const { cluster, host, datastore } = placement;
    const compute: MoRef = host
      ? (moRef((await this.props(hostRef(host), ['parent'], signal)).get('parent')) as MoRef)
      : { type: 'ClusterComputeResource', value: cluster! };
    const pool = moRef((await this.props(compute, ['resourcePool'], signal)).get('resourcePool'));
    if (!pool) throw new ApiError('not-found', sayOp('op.noPool', { compute: compute.value, vm: name }));
    const dc = await this.datacenterOf(compute, signal);
    const folder = await this.resolveFolder(dc, placement.folder, signal);
    const dsName = text((await this.props(datastoreRef(datastore), ['name'], signal)).get('name'));
    return { pool, folder, dsName };
  }

  /**
   * `read`, shared by the calls of one session that need it within CACHE_TTL_MS: the references
   * behind a placement or a datastore name (parents up to the datacenter, its VM folder, the
   * folder path, the datastore's name), some seven reads per VM or disk otherwise. A read that
   * fails is not kept; `forget` drops one whose references failed a call (a folder or pool
   * removed meanwhile is then looked up again).
   */
  private cached<T>(key: string, read: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.value as Promise<T>;
    const value = read();
    this.cache.set(key, { at: Date.now(), value });
    value.catch(() => this.forget(key, value));
    return value;
  }

  private forget(key: string, value: Promise<unknown>): void {
    if (this.cache.get(key)?.value === value) this.cache.delete(key);
  }

  async createVm(spec: NewVmSpec, options?: OperationOptions): Promise<VmInfo> {
    const { signal } = mergeOptions(this.defaults, options);
    const { cluster, host } = spec.placement;
    if (!cluster && !host) {
      throw new ApiError('invalid-input', sayOp('op.placement', { vm: spec.name }));
    }
    for (const d of spec.disks ?? []) checkScsiSlot(d.controller, d.unit);
    const key = JSON.stringify(['placement', cluster, host, spec.placement.datastore, spec.placement.folder]);
    const placed = this.cached(key, () => this.resolvePlacement(spec.placement, spec.name, signal));
    const { pool, folder, dsName } = await placed;
    const ref = await this.vm
      .createVm(
        {
          name: spec.name,
          folder,
          pool,
          host: host ? hostRef(host) : undefined,
          vmPathName: `[${dsName}]`,
          guestId: spec.guestId,
          cpus: spec.cpus,
          memoryMB: spec.memoryMB,
          scsiControllers: spec.scsiControllers?.map((c) => ({ busNumber: c.bus, kind: c.kind })),
          disks: spec.disks?.map((d) => ({
            fileName: d.fileName,
            busNumber: d.controller,
            unitNumber: d.unit,
          })),
          nics: spec.nics?.map((n) => ({
            network: networkRef(n.network),
            adapter: n.adapter,
            macAddress: n.mac,
          })),
          firmware: spec.firmware,
          bootOptions: spec.bootOptions,
        },
        this.opts(options),
      )
      .catch((err: unknown) => {
        this.forget(key, placed);
        throw err;
      });
    return this.mustFind(ref.value, options);
  }

  async deleteVm(vmId: string, options?: OperationOptions): Promise<'deleted' | 'not-found'> {
    const vm = await this.findVm({ id: vmId }, options);
    if (!vm) return 'not-found';
    if (vm.powerState !== 'poweredOff') await this.vm.powerOff(vmRef(vmId), this.opts(options));
    await this.vm.destroy(vmRef(vmId), this.opts(options));
    return 'deleted';
  }

  async ensureScsiController(
    vmId: string,
    bus: number,
    kind: ScsiControllerKind = 'pvscsi',
    options?: OperationOptions,
  ): Promise<'present' | 'added'> {
    const hw = await this.vm.hardware(vmRef(vmId));
    if (hw.scsiControllers.some((c) => c.busNumber === bus)) return 'present';
    await this.vm.addScsiController(vmRef(vmId), bus, kind, this.opts(options));
    return 'added';
  }

  private async controllerKey(vmId: string, bus: number): Promise<number> {
    const hw = await this.vm.hardware(vmRef(vmId));
    const c = hw.scsiControllers.find((x) => x.busNumber === bus);
    if (!c) {
      throw new ApiError('not-found', sayOp('op.noControllerOnBus', { vm: vmId, bus: String(bus) }));
    }
    return c.key;
  }

  async attachDisk(
    vmId: string,
    disk: { fileName: string; controller: number; unit: number },
    options?: OperationOptions,
  ): Promise<'attached' | 'already-attached'> {
    checkScsiSlot(disk.controller, disk.unit);
    const vm = await this.mustFind(vmId, options);
    const same = vm.disks.find((d) => d.fileName === disk.fileName);
    if (same) {
      if (same.controller === disk.controller && same.unit === disk.unit) return 'already-attached';
      throw new ApiError(
        'conflict',
        sayOp('op.diskAttachedElsewhere', {
          file: disk.fileName,
          vm: vm.name,
          at: `${same.controller}:${same.unit}`,
          wanted: `${disk.controller}:${disk.unit}`,
        }),
      );
    }
    const taken = vm.disks.find((d) => d.controller === disk.controller && d.unit === disk.unit);
    if (taken) {
      throw new ApiError(
        'conflict',
        sayOp('op.slotTaken', { slot: `${disk.controller}:${disk.unit}`, vm: vm.name, file: taken.fileName }),
      );
    }
    const controllerKey = await this.controllerKey(vmId, disk.controller);
    await this.vm.addExistingDisk(
      vmRef(vmId),
      { fileName: disk.fileName, controllerKey, unitNumber: disk.unit },
      this.opts(options),
    );
    return 'attached';
  }

  async detachDisk(
    vmId: string,
    fileName: string,
    options?: OperationOptions,
  ): Promise<'detached' | 'not-attached'> {
    const hw = await this.vm.hardware(vmRef(vmId));
    const disk = hw.disks.find((d) => d.fileName === fileName);
    if (!disk) return 'not-attached';
    await this.vm.removeDisk(vmRef(vmId), disk.key, { ...this.opts(options), deleteFile: false });
    return 'detached';
  }

  async createDisk(
    vmId: string,
    disk: NewDiskSpec,
    options?: OperationOptions,
  ): Promise<{ fileName: string }> {
    const { signal } = mergeOptions(this.defaults, options);
    checkScsiSlot(disk.controller, disk.unit);
    const dsName = text((await this.props(datastoreRef(disk.datastore), ['name'], signal)).get('name'));
    const fileName = `[${dsName}] ${disk.path}`;
    const vm = await this.mustFind(vmId, options);
    const existing = vm.disks.find((d) => d.fileName === fileName);
    if (existing) return { fileName };
    const dir = disk.path.includes('/') ? disk.path.slice(0, disk.path.lastIndexOf('/')) : '';
    if (dir) {
      const dc = await this.datacenterOf(datastoreRef(disk.datastore), signal);
      await this.vm.makeDirectory(`[${dsName}] ${dir}`, dc, signal);
    }
    const controllerKey = await this.controllerKey(vmId, disk.controller);
    await this.vm.addNewDisk(
      vmRef(vmId),
      {
        capacityBytes: disk.capacityBytes,
        controllerKey,
        unitNumber: disk.unit,
        thin: disk.thin ?? true,
        fileName,
      },
      this.opts(options),
    );
    return { fileName };
  }

  private async datastoreByName(name: string, signal?: AbortSignal): Promise<MoRef> {
    const all = await this.listAll('Datastore', ['name'], signal);
    const ds = all.find((o) => sameName(text(o.props.get('name')), name));
    if (!ds) throw new ApiError('not-found', sayOp('op.noDatastore', { name, endpoint: this.client.url }));
    return ds.obj;
  }

  /**
   * One SearchDatastoreSubFolders_Task per datastore and top folder (a plan's replica disks sit
   * under one folder), matching the files' names, rather than a call per file.
   */
  async existingFiles(fileNames: string[], options?: OperationOptions): Promise<string[]> {
    const { signal } = mergeOptions(this.defaults, options);
    const groups = new Map<string, { datastore: string; top: string; names: Set<string> }>();
    for (const f of fileNames) {
      const { datastore, path } = splitDatastorePath(f);
      const top = path.includes('/') ? path.slice(0, path.indexOf('/')) : '';
      const key = `${datastore}\u0000${top}`;
      const g = groups.get(key) ?? { datastore, top, names: new Set<string>() };
      g.names.add(path.slice(path.lastIndexOf('/') + 1));
      groups.set(key, g);
    }
    // "[ds] a/b" and "[ds]a/b/" name the same file or folder.
    const norm = (f: string) => {
      const { datastore, path } = splitDatastorePath(f);
      return `[${datastore}] ${path.replace(/\/+$/, '')}`;
    };
    const found = new Set<string>();
    const o = this.opts(options);
    for (const g of groups.values()) {
      const ds = await this.datastoreByName(g.datastore, signal);
      const browser = moRef((await this.props(ds, ['browser'], signal)).get('browser'));
      if (!browser) throw new ApiError('protocol-error', sayOp('op.noBrowser', { datastore: g.datastore }));
      let result: XmlValue | undefined;
      try {
        const task = moRef(
          await this.client.invoke(
            'SearchDatastoreSubFolders_Task',
            browser,
            [
              ['datastorePath', `[${g.datastore}] ${g.top}`],
              ['searchSpec', { matchPattern: [...g.names] }],
            ],
            signal,
          ),
        );
        if (!task)
          throw new ApiError(
            'protocol-error',
            sayOp('op.noTask', { method: 'SearchDatastoreSubFolders_Task' }),
          );
        result = await waitForTask(this.client, task, 'SearchDatastoreSubFolders_Task', o);
      } catch (err) {
        if (isFault(err, 'FileNotFound')) continue;
        throw err;
      }
      for (const r of arrayOf(result)) {
        const folder = norm(text(asObject(r).folderPath));
        for (const file of asArray(asObject(r).file))
          found.add(norm(`${folder}${folder.endsWith('] ') ? '' : '/'}${text(asObject(file).path)}`));
      }
    }
    return fileNames.filter((f) => found.has(norm(f)));
  }

  /** The datacenter of the datastore a "[datastore] path" names (cached: one read for many disks). */
  private datacenterOfFile(fileName: string, signal?: AbortSignal): Promise<MoRef> {
    const { datastore } = splitDatastorePath(fileName);
    return this.cached(JSON.stringify(['datastore-dc', datastore]), async () =>
      this.datacenterOf(await this.datastoreByName(datastore, signal), signal),
    );
  }

  async deleteFile(fileName: string, options?: OperationOptions): Promise<'deleted' | 'not-found'> {
    const { signal } = mergeOptions(this.defaults, options);
    const dc = await this.datacenterOfFile(fileName, signal);
    const sc = this.client.serviceContent;
    // A .vmdk is a descriptor and its extents: the disk manager deletes them together.
    const disk = fileName.endsWith('.vmdk');
    const manager = disk ? sc.virtualDiskManager : sc.fileManager;
    if (!manager)
      throw new ApiError(
        'unknown-call',
        sayOp('op.noManager', { manager: disk ? 'VirtualDiskManager' : 'FileManager' }),
      );
    const o = this.opts(options);
    const slot = o.slot ?? ((run) => run());
    try {
      await slot(async () => {
        const task = moRef(
          await this.client.invoke(
            disk ? 'DeleteVirtualDisk_Task' : 'DeleteDatastoreFile_Task',
            manager,
            [
              ['name', fileName],
              ['datacenter', dc],
            ],
            signal,
          ),
        );
        if (!task)
          throw new ApiError(
            'protocol-error',
            sayOp('op.noTask', { method: disk ? 'DeleteVirtualDisk_Task' : 'DeleteDatastoreFile_Task' }),
          );
        await o.onTask?.(task);
        await waitForTask(this.client, task, disk ? 'DeleteVirtualDisk_Task' : 'DeleteDatastoreFile_Task', o);
      });
      return 'deleted';
    } catch (err) {
      if (isFault(err, 'FileNotFound')) return 'not-found';
      throw err;
    }
  }

  async copyDisk(
    source: string,
    destination: string,
    options?: OperationOptions,
  ): Promise<'copied' | 'exists'> {
    const { signal } = mergeOptions(this.defaults, options);
    const manager = this.client.serviceContent.virtualDiskManager;
    if (!manager)
      throw new ApiError('unknown-call', sayOp('op.noManager', { manager: 'VirtualDiskManager' }));
    const srcDc = await this.datacenterOfFile(source, signal);
    const dst = splitDatastorePath(destination);
    const dstDc = await this.datacenterOfFile(destination, signal);
    const dir = dst.path.includes('/') ? dst.path.slice(0, dst.path.lastIndexOf('/')) : '';
    if (dir) await this.vm.makeDirectory(`[${dst.datastore}] ${dir}`, dstDc, signal);
    const o = this.opts(options);
    const slot = o.slot ?? ((run) => run());
    try {
      await slot(async () => {
        const task = moRef(
          await this.client.invoke(
            'CopyVirtualDisk_Task',
            manager,
            [
              ['sourceName', source],
              ['sourceDatacenter', srcDc],
              ['destName', destination],
              ['destDatacenter', dstDc],
              ['force', false],
            ],
            signal,
          ),
        );
        if (!task)
          throw new ApiError('protocol-error', sayOp('op.noTask', { method: 'CopyVirtualDisk_Task' }));
        await o.onTask?.(task);
        await waitForTask(this.client, task, 'CopyVirtualDisk_Task', o);
      });
      return 'copied';
    } catch (err) {
      if (isFault(err, 'FileAlreadyExists')) return 'exists';
      throw err;
    }
  }

  async createSnapshot(
    vmId: string,
    snapshot: { name: string; description?: string; quiesce?: boolean },
    options?: OperationOptions,
  ): Promise<SnapshotInfo> {
    const ref = await this.vm.createSnapshot(vmRef(vmId), { ...snapshot, memory: false }, this.opts(options));
    return { id: ref.value, name: snapshot.name, createdAt: new Date().toISOString() };
  }

  async removeSnapshot(_vmId: string, snapshotId: string, options?: OperationOptions): Promise<void> {
    await this.vm.removeSnapshot({ type: 'VirtualMachineSnapshot', value: snapshotId }, this.opts(options));
  }

  async customizeGuest(
    vmId: string,
    spec: GuestCustomization,
    options?: OperationOptions,
  ): Promise<'customized' | 'pending'> {
    if (await this.vm.pendingCustomization(vmRef(vmId))) return 'pending';
    await this.vm.customize(vmRef(vmId), spec, this.opts(options));
    return 'customized';
  }

  async datastoreSpace(datastores: string[], options?: OperationOptions): Promise<DatastoreSpace[]> {
    const { signal } = mergeOptions(this.defaults, options);
    return this.vm.datastoreSpace(datastores.map(datastoreRef), signal);
  }

  async waitForTask(task: TaskRef, options?: OperationOptions): Promise<'succeeded' | 'unknown'> {
    const o = this.opts(options);
    // A task started before a restart still runs in vCenter: waiting on it holds a slot of the cap.
    const slot = o.slot ?? ((run) => run());
    try {
      await slot(() => waitForTask(this.client, { type: 'Task', value: task.id }, task.operation, o));
      return 'succeeded';
    } catch (err) {
      if (isFault(err, 'ManagedObjectNotFound')) return 'unknown';
      throw err;
    }
  }

  async cancelTask(task: TaskRef, options?: OperationOptions): Promise<void> {
    const { signal } = mergeOptions(this.defaults, options);
    try {
      // False when it already ended or cannot be cancelled: its own outcome then stands.
      await cancelTask(this.client, { type: 'Task', value: task.id }, signal);
    } catch (err) {
      if (isFault(err, 'ManagedObjectNotFound')) return;
      throw err;
    }
  }
}
