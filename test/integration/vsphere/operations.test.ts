import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  datastoreRef,
  InvalidPowerState,
  type MoRef,
  moRef,
  PropertyCollector,
  runTask,
  type TaskProgress,
  text,
  type VsphereInventorySource,
  vmRef,
} from '../../../core/vsphere';
import type { ApiError } from '../../../shared/errors';
import type { VsphereInventory } from '../../../shared/schemas/inventory';
import { openSim, startVcsim, type Vcsim } from '../../vcsim/harness';

describe('vSphere VM operations against vcsim', () => {
  let sim: Vcsim;
  let source: VsphereInventorySource;
  let inv: VsphereInventory;
  let vm: MoRef;
  let folder: MoRef;
  let pool: MoRef;
  let dsName: string;
  let dsPath: string;

  const ops = () => source.vm;
  const props = async (obj: MoRef, paths: string[]) => {
    const [o] = await new PropertyCollector(source.client).retrieveObjects(
      [obj],
      [{ type: obj.type, pathSet: paths }],
    );
    return o!.props;
  };
  /** The local directory behind a vcsim datastore: files can be checked on disk. */
  const fileOnDisk = (fileName: string) => join(dsPath, fileName.replace(/^\[[^\]]+\]\s*/, ''));

  beforeAll(async () => {
    sim = await startVcsim({ clusters: 1, clusterHosts: 2, standaloneHosts: 0, vmsPerPool: 3 });
    source = await openSim(sim);
    inv = await source.fetchInventory();
    const first = inv.vms[0]!;
    vm = vmRef(first.id);
    const p = await props(vm, ['parent', 'resourcePool']);
    folder = moRef(p.get('parent'))!;
    pool = moRef(p.get('resourcePool'))!;
    const ds = inv.datastores[0]!;
    dsName = ds.name;
    const dp = await props(datastoreRef(ds.id), ['info.url']);
    dsPath = text(dp.get('info.url')).replace(/^file:\/\//, '');
  });
  afterAll(async () => {
    await source?.close();
    await sim?.stop();
  });

  it('powers off and on through tasks, reporting progress', async () => {
    const seen: TaskProgress[] = [];
    await ops().powerOff(vm, { onProgress: (p) => seen.push(p) });
    expect(await ops().powerState(vm)).toBe('poweredOff');
    expect(seen.at(-1)).toMatchObject({ state: 'success', progress: 100, task: { type: 'Task' } });
    await ops().powerOn(vm);
    expect(await ops().powerState(vm)).toBe('poweredOn');
  });

  it('a power operation in the wrong state is InvalidPowerState', async () => {
    const err = await ops()
      .powerOn(vm)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidPowerState);
    expect((err as ApiError).code).toBe('conflict');
    expect((err as ApiError).message).toMatch(/PowerOnVM_Task: the VM is not in a power state/);
  });

  it('guest shutdown with timeout ends with the VM off', async () => {
    // vcsim's guests always run Tools, so the guest shuts down without the power-off fallback.
    expect(await ops().shutdownGuest(vm, { timeoutMs: 5000 })).toBe('guest-shutdown');
    expect(await ops().powerState(vm)).toBe('poweredOff');
    expect(await ops().shutdownGuest(vm, { timeoutMs: 1000 })).toBe('already-off');
    await ops().powerOn(vm);
  });

  it('waiting for a power state gives up after the timeout (through WaitForUpdatesEx, not polling)', async () => {
    const start = Date.now();
    expect(await ops().waitForPowerState(vm, 'suspended', 1500)).toBe(false);
    expect(Date.now() - start).toBeGreaterThanOrEqual(1400);
    expect(await ops().waitForPowerState(vm, 'poweredOn', 1500)).toBe(true);
  });

  let controllerKey = 0;
  let newDiskFile = '';

  it('adds a SCSI controller on a free bus and refuses a taken bus', async () => {
    controllerKey = await ops().addScsiController(vm, 1, 'pvscsi');
    const hw = await ops().hardware(vm);
    expect(hw.scsiControllers.find((c) => c.key === controllerKey)).toMatchObject({
      busNumber: 1,
      type: 'ParaVirtualSCSIController',
    });
    const err = (await ops()
      .addScsiController(vm, 1)
      .catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('conflict');
    const bad = (await ops()
      .addScsiController(vm, 4)
      .catch((e: unknown) => e)) as ApiError;
    expect(bad.message).toMatch(/SCSI buses 0 to 3/);
  });

  it('creates a new thin disk, removes it keeping the file, and attaches the file again', async () => {
    await ops().makeDirectory(`[${dsName}] replica-1`, { type: 'Datacenter', value: inv.datacenters[0]!.id });
    expect(existsSync(join(dsPath, 'replica-1'))).toBe(true);
    await ops().addNewDisk(vm, {
      capacityBytes: 8 * 1024 * 1024,
      controllerKey,
      unitNumber: 0,
      thin: true,
      fileName: `[${dsName}] replica-1/disk-a.vmdk`,
    });
    let hw = await ops().hardware(vm);
    const disk = hw.disks.find((d) => d.controllerKey === controllerKey && d.unitNumber === 0)!;
    expect(disk).toBeDefined();
    expect(disk.capacityBytes).toBe(8 * 1024 * 1024);
    expect(disk.busNumber).toBe(1);
    newDiskFile = disk.fileName;
    expect(existsSync(fileOnDisk(newDiskFile))).toBe(true);

    await ops().removeDisk(vm, disk.key);
    hw = await ops().hardware(vm);
    expect(hw.disks.some((d) => d.key === disk.key)).toBe(false);
    expect(existsSync(fileOnDisk(newDiskFile))).toBe(true);

    await ops().addExistingDisk(vm, { fileName: newDiskFile, controllerKey, unitNumber: 1 });
    hw = await ops().hardware(vm);
    expect(hw.disks.find((d) => d.fileName === newDiskFile)).toMatchObject({
      controllerKey,
      unitNumber: 1,
      busNumber: 1,
    });
  });

  it('refuses unit 7 (the controller itself) and a missing disk key with what to do', async () => {
    const unit7 = (await ops()
      .addExistingDisk(vm, { fileName: newDiskFile, controllerKey, unitNumber: 7 })
      .catch((e: unknown) => e)) as ApiError;
    expect(unit7.code).toBe('invalid-input');
    expect(unit7.message).toMatch(/unit 7 is the controller/);
    const missing = (await ops()
      .removeDisk(vm, 999_999)
      .catch((e: unknown) => e)) as ApiError;
    expect(missing.code).toBe('not-found');
  });

  it('moves a NIC to a standard network and back to its distributed port group', async () => {
    const hw = await ops().hardware(vm);
    const nic = hw.nics[0]!;
    const standard = inv.networks.find((n) => n.kind === 'standard')!;
    await ops().setNicNetwork(vm, nic.key, { type: 'Network', value: standard.id });
    expect((await ops().hardware(vm)).nics[0]!.network).toBe(standard.id);
    const dvpg = inv.networks.find((n) => n.kind === 'distributed' && !n.name.includes('Uplinks'))!;
    await ops().setNicNetwork(vm, nic.key, { type: 'DistributedVirtualPortgroup', value: dvpg.id });
    expect((await ops().hardware(vm)).nics[0]!.network).toBe(dvpg.id);
  });

  it('creates and removes a snapshot', async () => {
    const snap = await ops().createSnapshot(vm, { name: 'before-failover', description: 'siteshift test' });
    expect(snap.type).toBe('VirtualMachineSnapshot');
    expect((await props(vm, ['snapshot'])).has('snapshot')).toBe(true);
    await ops().removeSnapshot(snap);
    expect((await props(vm, ['snapshot'])).has('snapshot')).toBe(false);
  });

  let created: MoRef;

  it('creates a VM with existing disks (a replica) and a NIC', async () => {
    created = await ops().createVm({
      name: 'replica-of-vm0',
      folder,
      pool,
      vmPathName: `[${dsName}]`,
      guestId: 'otherGuest64',
      cpus: 2,
      memoryMB: 512,
      scsiControllers: [{ busNumber: 0, kind: 'pvscsi' }],
      disks: [{ fileName: newDiskFile, busNumber: 0, unitNumber: 3 }],
      nics: [{ network: { type: 'Network', value: inv.networks.find((n) => n.kind === 'standard')!.id } }],
    });
    expect(created.type).toBe('VirtualMachine');
    const doc = await source.fetchInventory();
    const entry = doc.vms.find((v) => v.id === created.value)!;
    expect(entry).toMatchObject({ name: 'replica-of-vm0', cpus: 2, memoryMB: 512, guestOs: 'otherGuest64' });
    expect(entry.disks).toEqual([
      expect.objectContaining({ fileName: newDiskFile, busNumber: 0, unitNumber: 3 }),
    ]);
    expect(entry.nics).toHaveLength(1);
  });

  it('a recovered VM carries firmware, boot options, controller kind and MAC of its source', async () => {
    const src = vmRef(inv.vms[2]!.id);
    await ops()
      .powerOff(src)
      .catch(() => {});
    await runTask(source.client, 'ReconfigVM_Task', src, [
      ['spec', { bootOptions: { bootDelay: 3000, efiSecureBootEnabled: true }, firmware: 'efi' }],
    ]);
    const settings = await ops().sourceSettings(src);
    expect(settings).toMatchObject({
      firmware: 'efi',
      bootOptions: { bootDelayMs: 3000, efiSecureBootEnabled: true },
    });
    expect(settings.nics.length).toBeGreaterThan(0);
    const mac = settings.nics[0]!.macAddress;
    const recovered = await ops().createVm({
      name: 'recovered-efi',
      folder,
      pool,
      vmPathName: `[${dsName}]`,
      guestId: settings.guestId,
      cpus: settings.cpus,
      memoryMB: settings.memoryMB,
      firmware: settings.firmware,
      bootOptions: settings.bootOptions,
      scsiControllers: [
        { busNumber: 0, kind: 'pvscsi' },
        { busNumber: 1, kind: 'lsilogic' },
      ],
      nics: [
        {
          network: { type: 'Network', value: inv.networks.find((n) => n.kind === 'standard')!.id },
          adapter: settings.nics[0]!.adapter,
          macAddress: mac,
        },
      ],
    });
    const p = await props(recovered, ['config.firmware', 'config.bootOptions', 'config.hardware.device']);
    expect(text(p.get('config.firmware'))).toBe('efi');
    const boot = p.get('config.bootOptions') as Record<string, unknown>;
    expect(text(boot.efiSecureBootEnabled as never)).toBe('true');
    expect(text(boot.bootDelay as never)).toBe('3000');
    const hw = await ops().hardware(recovered);
    expect(hw.scsiControllers.map((c) => [c.busNumber, c.type])).toEqual([
      [0, 'ParaVirtualSCSIController'],
      [1, 'VirtualLsiLogicController'],
    ]);
    expect(hw.nics[0]).toMatchObject({ mac });

    // PVSCSI takes units up to 63; the LSI Logic controller stops at 15.
    const pv = hw.scsiControllers[0]!.key;
    await ops().addNewDisk(recovered, { capacityBytes: 1 << 20, controllerKey: pv, unitNumber: 40 });
    const disks = (await ops().hardware(recovered)).disks;
    expect(disks.some((d) => d.controllerKey === pv && d.unitNumber === 40)).toBe(true);
    const lsi = hw.scsiControllers[1]!.key;
    const err = (await ops()
      .addNewDisk(recovered, { capacityBytes: 1 << 20, controllerKey: lsi, unitNumber: 40 })
      .catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('invalid-input');
    expect(err.message).toMatch(/use 0-6 or 8-15/);
    await ops().destroy(recovered);
  });

  it('without controller kinds, a new VM gets LSI Logic SAS (every guest has its driver)', async () => {
    const vm2 = await ops().createVm({
      name: 'default-controller',
      folder,
      pool,
      vmPathName: `[${dsName}]`,
      guestId: 'windows9Server64Guest',
      cpus: 1,
      memoryMB: 256,
    });
    expect((await ops().hardware(vm2)).scsiControllers.map((c) => c.type)).toEqual([
      'VirtualLsiLogicSASController',
    ]);
    await ops().destroy(vm2);
  });

  it('a disk on a bus the spec does not create is refused before calling vCenter', async () => {
    const err = (await ops()
      .createVm({
        name: 'x',
        folder,
        pool,
        vmPathName: `[${dsName}]`,
        guestId: 'otherGuest',
        cpus: 1,
        memoryMB: 64,
        disks: [{ fileName: newDiskFile, busNumber: 2, unitNumber: 0 }],
      })
      .catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('invalid-input');
    expect(err.message).toMatch(/SCSI bus 2/);
  });

  it('clones a VM', async () => {
    const clone = await ops().cloneVm(vmRef(inv.vms[2]!.id), { name: 'clone-of-vm2', folder, pool });
    const doc = await source.fetchInventory();
    expect(doc.vms.find((v) => v.id === clone.value)?.name).toBe('clone-of-vm2');
    await ops().destroy(clone);
  });

  it('unregisters a VM (files stay), registers it again from its .vmx, and destroys another', async () => {
    const before = await props(created, ['name', 'config.files.vmPathName']);
    const vmx = text(before.get('config.files.vmPathName'));
    await ops().unregister(created);
    let doc = await source.fetchInventory();
    expect(doc.vms.some((v) => v.id === created.value)).toBe(false);
    expect(existsSync(fileOnDisk(newDiskFile))).toBe(true);

    // Without a name: vcsim looks for the .nvram under the new name, vCenter keeps the .vmx's.
    const back = await ops().registerVm({ vmxPath: vmx, folder, pool });
    const [again] = await new PropertyCollector(source.client).retrieveObjects(
      [back],
      [{ type: 'VirtualMachine', pathSet: ['name', 'config.files.vmPathName'] }],
    );
    expect(text(again!.props.get('name'))).toBe(text(before.get('name')));
    expect(text(again!.props.get('config.files.vmPathName'))).toBe(vmx);
    const bad = (await ops()
      .registerVm({ vmxPath: 'app01.vmx', folder, pool })
      .catch((e: unknown) => e)) as ApiError;
    expect(bad.code).toBe('invalid-input');
    expect(bad.message).toMatch(/\[datastore\] folder\/name\.vmx/);

    const victim = vmRef(inv.vms[1]!.id);
    await ops().powerOff(victim);
    await ops().destroy(victim);
    doc = await source.fetchInventory();
    expect(doc.vms.some((v) => v.id === victim.value)).toBe(false);
    const err = (await ops()
      .powerOn(victim)
      .catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('not-found');
  });

  it('reads datastore capacity and free space', async () => {
    const [space] = await ops().datastoreSpace([datastoreRef(inv.datastores[0]!.id)]);
    expect(space).toMatchObject({ id: inv.datastores[0]!.id, name: dsName, accessible: true });
    expect(space!.capacityBytes).toBeGreaterThan(0);
    expect(space!.freeBytes).toBeGreaterThan(0);
    expect(space!.freeBytes).toBeLessThanOrEqual(space!.capacityBytes);
  });
});
