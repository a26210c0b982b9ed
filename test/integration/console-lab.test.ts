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
    expect(snapshot!.masterTargets).toHaveLength(2);
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
      .toBe(2);
    expect(topology.nodes.some((n) => n.kind === 'site')).toBe(true);
  });

  it('refuses to remove a lab connection', async () => {
    await expect(call('connections:remove', { id: 'lab-configserver' })).rejects.toMatchObject({
      code: 'conflict',
    });
  });
});
