import { describe, expect, it } from 'vitest';
import type { TaskRef } from '../../core/inventory/operations';
import { createLabEstate, INSTANT_LAB_TIMING, LabInventorySource, setLabTiming } from '../../core/lab';
import { ApiError } from '../../shared/errors';

/** The lab's operations follow vCenter's rules, so a workflow that passes on the lab is not luckier than on vCenter. */
function lab(timing = {}) {
  const estate = createLabEstate({ vms: 6 });
  setLabTiming(estate, { ...INSTANT_LAB_TIMING, ...timing });
  const secondary = new LabInventorySource(estate.secondary);
  const mt = estate.secondary.vms.find((v) => v.name === 'rtm-mt-lnx-01')!;
  return { estate, secondary, ops: secondary.operations, mt, ds: estate.secondary.datastores[0]! };
}

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('lab operations', () => {
  it('power operations look first, and every source of the estate sees the change', async () => {
    const { estate, ops, mt } = lab();
    const other = new LabInventorySource(estate.secondary);
    const seen: string[] = [];
    other.watch((c) => seen.push(`${c.type}:${c.id}`));
    expect(await ops.powerOff(mt.id)).toBe('powered-off');
    expect(await ops.powerOff(mt.id)).toBe('already-off');
    expect((await ops.findVm({ name: mt.name }))?.powerState).toBe('poweredOff');
    expect(await ops.powerOn(mt.id)).toBe('powered-on');
    expect(await ops.shutdownGuest(mt.id)).toBe('guest-shutdown');
    expect(await ops.shutdownGuest(mt.id)).toBe('already-off');
    expect(seen).toEqual([`upsert:${mt.id}`, `upsert:${mt.id}`, `upsert:${mt.id}`]);
  });

  it('creates thin replica disks in free slots, detaches them keeping the file, and attaches them to a new VM', async () => {
    const { ops, mt, ds, estate } = lab();
    expect(await ops.ensureScsiController(mt.id, 1)).toBe('added');
    expect(await ops.ensureScsiController(mt.id, 1)).toBe('present');
    const free = ds.freeBytes;
    const { fileName } = await ops.createDisk(mt.id, {
      datastore: ds.id,
      path: 'replicas/web-01/disk-0.vmdk',
      capacityBytes: 40 * 2 ** 30,
      controller: 1,
      unit: 0,
    });
    expect(fileName).toBe(`[${ds.name}] replicas/web-01/disk-0.vmdk`);
    expect(ds.freeBytes).toBe(free); // thin
    const info = await ops.findVm({ id: mt.id });
    expect(info!.disks.find((d) => d.fileName === fileName)).toMatchObject({ controller: 1, unit: 0 });
    expect(info!.scsiControllers.map((c) => c.bus)).toEqual([0, 1]);

    // Slot taken, unit 7, bus without controller: each refused with what to do.
    expect((await refusal(ops.attachDisk(mt.id, { fileName: 'x', controller: 1, unit: 7 }))).message).toMatch(
      /unit 7 is the controller/,
    );
    expect(
      (
        await refusal(
          ops.createDisk(mt.id, {
            datastore: ds.id,
            path: 'r/d1.vmdk',
            capacityBytes: 1,
            controller: 1,
            unit: 0,
          }),
        )
      ).message,
    ).toMatch(/SCSI 1:0 of rtm-mt-lnx-01 already holds/);
    expect(
      (
        await refusal(
          ops.createDisk(mt.id, {
            datastore: ds.id,
            path: 'r/d2.vmdk',
            capacityBytes: 1,
            controller: 2,
            unit: 0,
          }),
        )
      ).message,
    ).toMatch(/no SCSI controller on bus 2/);

    // The file is locked while attached.
    expect((await refusal(ops.deleteFile(fileName))).code).toBe('conflict');
    const recovered = await refusal(
      ops.createVm({
        name: 'web-01',
        placement: { cluster: estate.secondary.clusters[0]!.id, datastore: ds.id, folder: '/Recovered' },
        guestId: 'rhel9_64Guest',
        cpus: 2,
        memoryMB: 4096,
        disks: [{ fileName, controller: 0, unit: 0 }],
      }),
    );
    expect(recovered.message).toMatch(/attached to rtm-mt-lnx-01/);

    expect(await ops.detachDisk(mt.id, fileName)).toBe('detached');
    expect(await ops.detachDisk(mt.id, fileName)).toBe('not-attached');
    const vm = await ops.createVm({
      name: 'web-01',
      placement: { cluster: estate.secondary.clusters[0]!.id, datastore: ds.id, folder: '/Recovered' },
      guestId: 'rhel9_64Guest',
      cpus: 2,
      memoryMB: 4096,
      firmware: 'efi',
      disks: [{ fileName, controller: 0, unit: 0 }],
      nics: [{ network: estate.secondary.networks[1]!.id }],
    });
    expect(vm).toMatchObject({ name: 'web-01', powerState: 'poweredOff', firmware: 'efi', cpus: 2 });
    expect(vm.disks).toEqual([expect.objectContaining({ fileName, controller: 0, unit: 0 })]);
    expect(vm.nics[0]!.network).toBe(estate.secondary.networks[1]!.id);
    // Same name in the same folder: vCenter's DuplicateName.
    expect(
      (
        await refusal(
          ops.createVm({
            name: 'web-01',
            placement: { cluster: estate.secondary.clusters[0]!.id, datastore: ds.id, folder: '/Recovered' },
            guestId: 'rhel9_64Guest',
            cpus: 1,
            memoryMB: 1024,
          }),
        )
      ).message,
    ).toMatch(/already exists in \/Rotterdam\/vm\/Recovered/);

    // Detach before delete keeps the replica; delete then removes the file itself.
    expect(await ops.detachDisk(vm.id, fileName)).toBe('detached');
    expect(await ops.deleteVm(vm.id)).toBe('deleted');
    expect(await ops.findVm({ id: vm.id })).toBeNull();
    expect(await ops.deleteFile(fileName)).toBe('deleted');
    expect(await ops.deleteFile(fileName)).toBe('not-found');
  });

  it('tasks are announced before they finish, can be waited on again and cancelled', async () => {
    const { ops, mt } = lab({ powerOffMs: 200, powerOnMs: 5000 });
    const tasks: TaskRef[] = [];
    const off = ops.powerOff(mt.id, { onTask: (t) => void tasks.push(t) });
    await new Promise((r) => setTimeout(r, 20));
    expect(tasks).toEqual([{ id: expect.stringMatching(/^task-/), operation: 'PowerOffVM_Task' }]);
    expect((await ops.findVm({ id: mt.id }))!.powerState).toBe('poweredOn'); // not yet
    expect(await ops.waitForTask(tasks[0]!)).toBe('succeeded');
    await off;
    expect(await ops.waitForTask({ id: 'task-999999', operation: 'x' })).toBe('unknown');

    const on = ops.powerOn(mt.id, { onTask: (t) => void tasks.push(t) }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    await ops.cancelTask(tasks[1]!);
    expect(((await on) as ApiError).code).toBe('aborted');
    expect((await ops.findVm({ id: mt.id }))!.powerState).toBe('poweredOff');
  });

  it('a bound signal that aborts cancels the task, like CancelTask in vCenter', async () => {
    const { ops, mt } = lab({ powerOffMs: 150 });
    const controller = new AbortController();
    const bound = ops.bind({ signal: controller.signal });
    const p = bound.powerOff(mt.id).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 20);
    expect(((await p) as ApiError).message).toMatch(
      /PowerOffVM_Task: stopped; the task task-\d+ was cancelled/,
    );
    await new Promise((r) => setTimeout(r, 250));
    expect((await ops.findVm({ id: mt.id }))!.powerState).toBe('poweredOn');
  });

  it('a lab Hyper-V host offers what a Hyper-V host offers, and says why not the rest', async () => {
    const { estate } = lab();
    const hv = new LabInventorySource(estate.hypervPrimary).operations;
    expect(hv.kind).toBe('hyperv');
    expect(hv.supports.has('powerOff')).toBe(true);
    expect(hv.supports.has('createVm')).toBe(false);
    const running = estate.hypervPrimary.vms.find((v) => v.state === 'Running')!;
    expect(await hv.powerOff(running.id)).toBe('powered-off');
    expect(running.state).toBe('Off');
    const err = await refusal(hv.attachDisk('x', { fileName: 'y', controller: 0, unit: 0 }));
    expect(err.message).toMatch(
      /attachDisk is not available on hyperv endpoints: Hyper-V recovers machines through Hyper-V Replica/,
    );
  });
});
