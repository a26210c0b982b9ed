import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  moRef,
  PropertyCollector,
  type VsphereChange,
  type VsphereInventorySource,
  vmRef,
} from '../../../core/vsphere';
import type { VsphereInventory } from '../../../shared/schemas/inventory';
import { vsphereVmSchema } from '../../../shared/schemas/inventory';
import { openSim, startVcsim, type Vcsim } from '../../vcsim/harness';

/** Resolves with the first change that matches, or rejects after `ms`. */
function nextChange(
  changes: VsphereChange[],
  match: (c: VsphereChange) => boolean,
  ms: number,
): Promise<VsphereChange> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const hit = changes.find(match);
      if (hit) return resolve(hit);
      if (Date.now() - start > ms)
        return reject(
          new Error(
            `no matching change within ${ms} ms; got ${JSON.stringify(changes.map((c) => [c.type, c.collection, c.id]))}`,
          ),
        );
      setTimeout(tick, 20);
    };
    tick();
  });
}

describe('vSphere live updates (WaitForUpdatesEx) against vcsim', () => {
  let sim: Vcsim;
  let source: VsphereInventorySource;
  let inv: VsphereInventory;
  const changes: VsphereChange[] = [];
  const errors: Error[] = [];
  let stop: () => void;

  beforeAll(async () => {
    sim = await startVcsim({ clusters: 1, clusterHosts: 2, standaloneHosts: 1, vmsPerPool: 2 });
    source = await openSim(sim, { watch: { maxWaitSeconds: 2 } });
    inv = await source.fetchInventory();
    stop = source.watch(
      (c) => changes.push(c),
      (e) => errors.push(e),
    );
    // Nothing changed since the fetch: the first (full) answer must not emit anything.
    await new Promise((r) => setTimeout(r, 500));
  });
  afterAll(async () => {
    stop?.();
    await source?.close();
    await sim?.stop();
  });

  it('emits nothing for an estate that did not change since the fetch', () => {
    expect(changes).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('a VM powered off in vCenter arrives as an upsert within 2 seconds', async () => {
    const vm = inv.vms[0]!;
    const start = Date.now();
    await source.vm.powerOff(vmRef(vm.id));
    const c = await nextChange(
      changes,
      (x) =>
        x.type === 'upsert' &&
        x.id === vm.id &&
        (x.value as { powerState?: string }).powerState === 'poweredOff',
      2000,
    );
    expect(Date.now() - start).toBeLessThan(2000);
    expect(c.collection).toBe('vms');
    if (c.type === 'upsert')
      expect(vsphereVmSchema.parse(c.value)).toMatchObject({ id: vm.id, name: vm.name, host: vm.host });
  });

  it('a new VM enters and a destroyed one leaves', async () => {
    const vm = inv.vms[1]!;
    const [o] = await new PropertyCollector(source.client).retrieveObjects(
      [vmRef(vm.id)],
      [{ type: 'VirtualMachine', pathSet: ['parent', 'resourcePool'] }],
    );
    const clone = await source.vm.cloneVm(vmRef(vm.id), {
      name: 'watched-clone',
      folder: moRef(o!.props.get('parent'))!,
      pool: moRef(o!.props.get('resourcePool'))!,
    });
    const entered = await nextChange(changes, (x) => x.type === 'upsert' && x.id === clone.value, 2000);
    expect(entered.type === 'upsert' ? entered.value.name : null).toBe('watched-clone');
    await source.vm.destroy(clone);
    const left = await nextChange(changes, (x) => x.type === 'remove' && x.id === clone.value, 2000);
    expect(left.collection).toBe('vms');
  });

  it('keeps going after the session is lost (re-login inside the loop)', async () => {
    await source.client.call('Logout', source.client.serviceContent.sessionManager, []);
    const vm = inv.vms[2]!;
    await source.vm.powerOff(vmRef(vm.id));
    await nextChange(
      changes,
      (x) =>
        x.type === 'upsert' &&
        x.id === vm.id &&
        (x.value as { powerState?: string }).powerState === 'poweredOff',
      5000,
    );
  });

  it('stops when asked, and a stopped watch emits nothing more', async () => {
    stop();
    await new Promise((r) => setTimeout(r, 300));
    const count = changes.length;
    await source.vm.powerOn(vmRef(inv.vms[0]!.id));
    await new Promise((r) => setTimeout(r, 800));
    expect(changes.length).toBe(count);
  });
});
