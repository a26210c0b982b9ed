import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatch } from '../../shared/dispatch';
import type { Connection } from '../../shared/schemas/connection';
import type { ProtectionSnapshot } from '../../shared/schemas/protection';
import type { Topology } from '../../shared/schemas/topology';
import { tempBackend } from '../support/backend';

// The console with no saved connection opens the whole lab: two vCenters, a Hyper-V pair and the
// lab configuration server (PGlite in the data folder) with its agent.
let env: Awaited<ReturnType<typeof tempBackend>>;
let call: Dispatch;

beforeAll(async () => {
  env = await tempBackend({ lab: { vms: 12 } });
  call = createDispatcher(env.backend.handlers);
});
afterAll(async () => {
  await env?.dispose();
});

describe('the console lab', () => {
  it('lists the lab configuration server beside the lab inventories', async () => {
    const list = (await call('connections:list', {})) as Connection[];
    expect(list.map((c) => c.id)).toEqual([
      'lab-vcenter-primary',
      'lab-vcenter-secondary',
      'lab-hyperv-primary',
      'lab-hyperv-replica',
      'lab-configserver',
    ]);
    expect(list.every((c) => c.lab)).toBe(true);
  });

  it('serves its protection state and puts it on the map', async () => {
    const [snapshot] = (await call('protection:get', {})) as ProtectionSnapshot[];
    expect(snapshot).toMatchObject({ connectionId: 'lab-configserver', error: null });
    expect(snapshot!.pairs.length).toBeGreaterThan(10);
    // Two on each site: the secondary's receive, the primary's take reprotect and failback.
    expect(snapshot!.masterTargets).toHaveLength(4);
    const topology = (await call('topology:get', {})) as Topology;
    await expect
      .poll(
        async () =>
          ((await call('topology:get', {})) as Topology).nodes.filter((n) => n.kind === 'master-target')
            .length,
        {
          timeout: 10_000,
        },
      )
      .toBe(4);
    expect(topology.nodes.some((n) => n.kind === 'site')).toBe(true);
  });

  it('draws the Hyper-V pairs on the Hyper-V VMs themselves, to their replicas', async () => {
    const [snapshot] = (await call('protection:get', {})) as ProtectionSnapshot[];
    await expect
      .poll(
        async () =>
          ((await call('topology:get', {})) as Topology).edges.filter((e) => e.id.startsWith('pair:')).length,
        {
          timeout: 10_000,
        },
      )
      .toBe(snapshot!.pairs.length);
    const topology = (await call('topology:get', {})) as Topology;
    const node = (id: string) => topology.nodes.find((n) => n.id === id);
    const hypervPairs = snapshot!.pairs.filter((p) => p.sourceVmName.includes('-hv-'));
    expect(hypervPairs.length).toBe(5);
    for (const pair of hypervPairs) {
      const edge = topology.edges.find((e) => e.id === `pair:lab-configserver:${pair.id}`)!;
      expect(node(edge.source)).toMatchObject({
        kind: 'hyperv-vm',
        label: pair.sourceVmName,
        site: 'primary',
      });
      expect(node(edge.target)).toMatchObject({
        kind: 'hyperv-vm',
        label: pair.sourceVmName,
        site: 'secondary',
      });
      expect(node(edge.source)?.attributes.pairState).toBe(pair.state);
      // One edge per Hyper-V VM: the pair's replaces the one the two hosts' inventories give.
      expect(topology.edges.filter((e) => e.source === edge.source)).toHaveLength(1);
    }
    // No stand-in VM nodes under the configuration server for VMs the console reads itself.
    expect(topology.nodes.filter((n) => n.parent === 'cs:lab-configserver' && n.kind === 'vm')).toEqual([]);
  });

  it('refuses to remove a lab connection', async () => {
    await expect(call('connections:remove', { id: 'lab-configserver' })).rejects.toMatchObject({
      code: 'conflict',
    });
  });
});
