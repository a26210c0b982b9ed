import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointOperations, TaskRef } from '../../../core/inventory/operations';
import {
  datastoreRef,
  moRef,
  PropertyCollector,
  runTask,
  text,
  type VsphereInventorySource,
  vmRef,
} from '../../../core/vsphere';
import { ApiError } from '../../../shared/errors';
import type { VsphereInventory } from '../../../shared/schemas/inventory';
import { openSim, startVcsim, type Vcsim } from '../../vcsim/harness';

/**
 * The connector-neutral operations on vCenter (vcsim): what a DR step does to a master target and
 * a recovered VM, checked through the vSphere API and on the datastore's files.
 */
describe('vSphere EndpointOperations against vcsim', () => {
  let sim: Vcsim;
  let source: VsphereInventorySource;
  let ops: EndpointOperations;
  let inv: VsphereInventory;
  let dsPath: string;

  const onDisk = (fileName: string) => join(dsPath, fileName.replace(/^\[[^\]]+\]\s*/, ''));

  beforeAll(async () => {
    sim = await startVcsim({ clusters: 1, clusterHosts: 2, standaloneHosts: 0, vmsPerPool: 3 });
    source = await openSim(sim);
    ops = source.operations;
    inv = await source.fetchInventory();
    const [o] = await new PropertyCollector(source.client).retrieveObjects(
      [datastoreRef(inv.datastores[0]!.id)],
      [{ type: 'Datastore', pathSet: ['info.url'] }],
    );
    dsPath = text(o!.props.get('info.url')).replace(/^file:\/\//, '');
  });
  afterAll(async () => {
    await source?.close();
    await sim?.stop();
  });

  it('finds VMs by name, id and BIOS uuid; an unknown one is null', async () => {
    const first = inv.vms[0]!;
    const byName = await ops.findVm({ name: first.name });
    expect(byName).toMatchObject({ id: first.id, name: first.name, uuid: first.uuid });
    expect(byName!.scsiControllers.length).toBeGreaterThan(0);
    expect((await ops.findVm({ id: first.id }))?.name).toBe(first.name);
    expect((await ops.findVm({ uuid: first.uuid! }))?.id).toBe(first.id);
    expect(await ops.findVm({ name: 'no-such-vm' })).toBeNull();
    expect(await ops.findVm({ id: 'vm-999999' })).toBeNull();
  });

  it('master target: adds a controller, creates a thin replica disk, detaches it keeping the file; a new VM boots on it', async () => {
    const mt = inv.vms[1]!;
    const ds = inv.datastores[0]!;
    const cluster = inv.clusters[0]!;
    const tasks: TaskRef[] = [];
    const recorded = ops.bind({ onTask: (t) => void tasks.push(t) });
    expect(await recorded.ensureScsiController(mt.id, 1)).toBe('added');
    expect(await recorded.ensureScsiController(mt.id, 1)).toBe('present');
    const { fileName } = await recorded.createDisk(mt.id, {
      datastore: ds.id,
      path: 'siteshift-replicas/web-01/disk-0.vmdk',
      capacityBytes: 2 * 1024 ** 3,
      controller: 1,
      unit: 0,
    });
    expect(fileName).toBe(`[${ds.name}] siteshift-replicas/web-01/disk-0.vmdk`);
    expect(existsSync(onDisk(fileName))).toBe(true);
    const onMt = await ops.findVm({ id: mt.id });
    expect(onMt!.disks.find((d) => d.fileName === fileName)).toMatchObject({
      controller: 1,
      unit: 0,
      capacityBytes: 2 * 1024 ** 3,
    });
    // Every task was announced before the wait.
    expect(tasks.length).toBe(2);
    expect(tasks.every((t) => /^task-/.test(t.id))).toBe(true);

    expect((await refusal(ops.attachDisk(mt.id, { fileName, controller: 1, unit: 1 }))).code).toBe(
      'conflict',
    );
    expect(await ops.attachDisk(mt.id, { fileName, controller: 1, unit: 0 })).toBe('already-attached');
    expect(await ops.detachDisk(mt.id, fileName)).toBe('detached');
    expect(await ops.detachDisk(mt.id, fileName)).toBe('not-attached');
    expect(existsSync(onDisk(fileName))).toBe(true);
    // One search of the folder answers for every file asked (the readiness check before failover).
    const missing = `[${ds.name}] siteshift-replicas/web-01/disk-1.vmdk`;
    const elsewhere = `[${ds.name}] siteshift-nothing/web-01/disk-0.vmdk`;
    expect(await ops.existingFiles([fileName, missing, elsewhere])).toEqual([fileName]);

    const vm = await ops.createVm({
      name: 'web-01-dr',
      placement: { cluster: cluster.id, datastore: ds.id, folder: '/Recovered' },
      guestId: 'otherGuest64',
      cpus: 2,
      memoryMB: 2048,
      firmware: 'efi',
      disks: [{ fileName, controller: 0, unit: 0 }],
      nics: [{ network: inv.networks[0]!.id, mac: '00:50:56:3f:00:01' }],
    });
    expect(await ops.recoverySettings(vm.id)).toMatchObject({
      firmware: 'efi',
      cpus: 2,
      memoryMB: 2048,
      scsiControllers: [{ bus: 0, kind: 'lsilogic-sas' }],
      nics: [{ adapter: 'vmxnet3', mac: '00:50:56:3f:00:01' }],
    });
    expect(vm).toMatchObject({ name: 'web-01-dr', cpus: 2, memoryMB: 2048, powerState: 'poweredOff' });
    expect(vm.disks).toEqual([expect.objectContaining({ fileName, controller: 0, unit: 0 })]);
    expect(vm.nics[0]!.network).toBe(inv.networks[0]!.id);
    const again = await source.fetchInventory();
    expect(again.vms.find((v) => v.id === vm.id)!.folderPath).toMatch(/\/vm\/Recovered$/);
    expect(await ops.powerOn(vm.id)).toBe('powered-on');
    expect(await ops.powerOn(vm.id)).toBe('already-on');

    const snap = await ops.createSnapshot(vm.id, { name: 'before-commit' });
    expect(snap.id).toMatch(/^snapshot-/);
    await ops.removeSnapshot(vm.id, snap.id);

    // Roll back: the disk goes back to the master target in its slot, the recovered VM goes.
    expect(await ops.powerOff(vm.id)).toBe('powered-off');
    expect(await ops.detachDisk(vm.id, fileName)).toBe('detached');
    expect(await ops.deleteVm(vm.id)).toBe('deleted');
    expect(await ops.deleteVm(vm.id)).toBe('not-found');
    expect(await ops.attachDisk(mt.id, { fileName, controller: 1, unit: 0 })).toBe('attached');
    expect(existsSync(onDisk(fileName))).toBe(true);

    // Remove protection: detach, then delete the replica file.
    expect(await ops.detachDisk(mt.id, fileName)).toBe('detached');
    expect(await ops.deleteFile(fileName)).toBe('deleted');
    expect(existsSync(onDisk(fileName))).toBe(false);
    expect(await ops.deleteFile(fileName)).toBe('not-found');
  });

  it('reports datastore space and refuses a bad slot or path before sending anything', async () => {
    const ds = inv.datastores[0]!;
    const [space] = await ops.datastoreSpace([ds.id]);
    expect(space).toMatchObject({ id: ds.id, name: ds.name, accessible: true });
    expect(space!.capacityBytes).toBeGreaterThan(0);
    expect(
      (await refusal(ops.attachDisk(inv.vms[0]!.id, { fileName: '[x] y.vmdk', controller: 0, unit: 7 })))
        .message,
    ).toMatch(/unit 7 is the controller/);
    expect((await refusal(ops.deleteFile('not a datastore path'))).message).toMatch(
      /\[datastore\] folder\/file.vmdk/,
    );
  });

  it('a finished task waited on again succeeds; an unknown one is unknown', async () => {
    const vm = inv.vms[2]!;
    const tasks: TaskRef[] = [];
    await ops.powerOff(vm.id, { onTask: (t) => void tasks.push(t) });
    expect(await ops.waitForTask(tasks[0]!)).toBe('succeeded');
    expect(await ops.waitForTask({ id: 'task-999999', operation: 'PowerOnVM_Task' })).toBe('unknown');
  });

  it('names with a slash: a VM is found and shown by the name typed, a folder path finds the escaped folder', async () => {
    // vCenter stores "db/01" as "db%2f01" (vcsim keeps names as sent, so the stored form is set).
    const vm = inv.vms[0]!;
    await runTask(source.client, 'Rename_Task', vmRef(vm.id), [['newName', 'db%2f01']]);
    const found = await ops.findVm({ name: 'db/01' });
    expect(found).toMatchObject({ id: vm.id, name: 'db/01' });
    expect((await ops.findVm({ id: vm.id }))?.name).toBe('db/01');
    expect(await ops.findVm({ name: 'db%2f01' })).toBeNull();

    // The folder "DR/Apps" as vCenter stores it; the placement path names it as the inventory does.
    const dc = inv.datacenters[0]!;
    const [d] = await new PropertyCollector(source.client).retrieveObjects(
      [{ type: 'Datacenter', value: dc.id }],
      [{ type: 'Datacenter', pathSet: ['vmFolder'] }],
    );
    const vmFolder = moRef(d!.props.get('vmFolder'))!;
    const drApps = moRef(await source.client.invoke('CreateFolder', vmFolder, [['name', 'DR%2fApps']]))!;
    const created = await ops.createVm({
      // Not "app/02": vcsim would make a directory of that name, vCenter escapes it.
      name: 'app-02',
      placement: { cluster: inv.clusters[0]!.id, datastore: inv.datastores[0]!.id, folder: '/DR%2fApps' },
      guestId: 'otherGuest64',
      cpus: 1,
      memoryMB: 512,
    });
    const [c] = await new PropertyCollector(source.client).retrieveObjects(
      [vmRef(created.id)],
      [{ type: 'VirtualMachine', pathSet: ['parent'] }],
    );
    expect(moRef(c!.props.get('parent'))).toEqual(drApps);
    expect((await ops.findVm({ name: 'app-02' }))?.id).toBe(created.id);
  });

  it('VMs created side by side into a folder not there yet: each create succeeds, in one folder', async () => {
    // A failover creates its VMs in parallel: each looks for the placement's folder, finds none and
    // creates it; all but one are answered DuplicateName, and the folder is the one just made. The
    // slow CreateFolder makes every create look before the first folder exists.
    const slow = await startVcsim({
      clusters: 1,
      clusterHosts: 1,
      standaloneHosts: 0,
      vmsPerPool: 1,
      methodDelay: { CreateFolder: 500 },
    });
    const s = await openSim(slow);
    try {
      const target = await s.fetchInventory();
      const names = ['side-0', 'side-1', 'side-2', 'side-3'];
      const created = await Promise.all(
        names.map((name) =>
          s.operations.createVm({
            name,
            placement: {
              cluster: target.clusters[0]!.id,
              datastore: target.datastores[0]!.id,
              folder: '/Side',
            },
            guestId: 'otherGuest64',
            cpus: 1,
            memoryMB: 512,
          }),
        ),
      );
      const parents = await new PropertyCollector(s.client).retrieveObjects(
        created.map((c) => vmRef(c.id)),
        [{ type: 'VirtualMachine', pathSet: ['parent'] }],
      );
      expect(new Set(parents.map((o) => moRef(o.props.get('parent'))!.value)).size).toBe(1);
      const after = await s.fetchInventory();
      expect(after.vms.filter((v) => names.includes(v.name)).map((v) => v.folderPath)).toEqual(
        names.map(() => expect.stringMatching(/\/vm\/Side$/)),
      );
    } finally {
      await s.close();
      await slow.stop();
    }
  });
});

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}
