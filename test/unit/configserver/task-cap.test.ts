import { describe, expect, it } from 'vitest';
import type { TaskRef } from '../../../core/inventory/operations';
import { createLabEstate, INSTANT_LAB_TIMING, LabInventorySource, setLabTiming } from '../../../core/lab';
import { Limiter, limitOperations } from '../../../server/sessions';
import { type MasterTarget, spillOrder } from '../../../shared/configserver';

describe('per-vCenter task cap', () => {
  it('holds a slot for each task from start to end; reads pass while every slot is taken', async () => {
    const estate = createLabEstate({ vms: 4 });
    // The first power-off runs until it is cancelled: the test does not depend on timing.
    setLabTiming(estate, { ...INSTANT_LAB_TIMING, powerOffMs: 600_000 });
    const ops = new LabInventorySource(estate.secondary).operations;
    const [a, b] = estate.secondary.vms.filter((v) => v.powerState === 'poweredOn');
    const limiter = new Limiter(1);
    const capped = limitOperations(ops, limiter);
    const started: TaskRef[] = [];
    const controller = new AbortController();
    const first = capped
      .powerOff(a!.id, { signal: controller.signal, onTask: (t) => void started.push(t) })
      .catch((e: unknown) => e);
    await expect.poll(() => started.length, { timeout: 30_000 }).toBe(1);
    // A read is not a task: it is answered while the only slot is held.
    expect((await capped.findVm({ id: b!.id }))?.name).toBe(b!.name);
    expect(await capped.datastoreSpace([estate.secondary.datastores[0]!.id])).toHaveLength(1);
    // A second task waits for the slot: its task starts only once the first ended.
    setLabTiming(estate, { ...INSTANT_LAB_TIMING });
    const second = capped.powerOff(b!.id, { onTask: (t) => void started.push(t) });
    await new Promise((r) => setImmediate(r));
    expect(started).toHaveLength(1);
    controller.abort();
    await first;
    expect(await second).toBe('powered-off');
    expect(started).toHaveLength(2);
    expect(limiter.peak).toBe(1);
  });
});

describe('master target spill order', () => {
  const mt = (id: string, over: Partial<MasterTarget> = {}): MasterTarget => ({
    id,
    siteId: 'site-b',
    endpointId: 'ep-b',
    name: id,
    vmId: `vm-${id}`,
    vmName: id,
    osFamily: 'linux',
    slots: [],
    reservedSlots: [],
    slotsUsed: 0,
    slotsFree: 60,
    retentionDatastore: null,
    retentionFreeBytes: null,
    createdAt: '2026-11-29T00:00:00.000Z',
    ...over,
  });

  it("the plan's own first, then those of its site, OS family and vCenter by name", () => {
    const own = mt('mt-2');
    const all = [
      mt('mt-3'),
      own,
      mt('mt-1'),
      mt('mt-win', { osFamily: 'windows' }),
      mt('mt-other-site', { siteId: 'site-a' }),
      mt('mt-other-vc', { endpointId: 'ep-c' }),
    ];
    expect(spillOrder(own, all).map((m) => m.id)).toEqual(['mt-2', 'mt-1', 'mt-3']);
  });
});
