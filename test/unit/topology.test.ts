import { describe, expect, it } from 'vitest';
import { openLab } from '../../core/console/lab-connections';
import { createLabEstate } from '../../core/lab/estate';
import { buildTopology, type TopologySourceInput } from '../../core/topology/build';
import { diffTopology } from '../../core/topology/diff';
import type { HypervInventory, VsphereInventory } from '../../shared/schemas/inventory';
import type { ProtectionSnapshot } from '../../shared/schemas/protection';
import { applyTopologyChange, topologySchema } from '../../shared/schemas/topology';
import { toDisplayGraph } from '../../shared/topology/display';
import { combineSites, toElkGraphs } from '../../shared/topology/layout';

async function labInputs(vms?: number): Promise<TopologySourceInput[]> {
  return Promise.all(
    openLab(vms === undefined ? undefined : createLabEstate({ vms })).map(async ({ connection, source }) => ({
      connection,
      inventory: await source.fetchInventory(),
      error: null,
    })),
  );
}

describe('topology', () => {
  it('builds sites, vCenters, clusters, hosts, VMs and Hyper-V replication edges from the lab', async () => {
    const t = buildTopology(await labInputs(), 1, new Date('2026-11-26T00:00:00Z'));
    expect(topologySchema.parse(t)).toEqual(t);
    const kinds = (k: string) => t.nodes.filter((n) => n.kind === k).length;
    expect(kinds('site')).toBe(2);
    expect(kinds('vcenter')).toBe(2);
    // 48 protectable VMs and the primary's 2 master targets, the secondary's 3 (2 MTs and a process server).
    expect(kinds('vm')).toBe(48 + 2 + 3);
    expect(kinds('hyperv-host')).toBe(2);
    const replicates = t.edges.filter((e) => e.kind === 'replicates');
    expect(replicates).toHaveLength(5);
    // Edges run from the primary copy to the replica, and take the worse health of the two ends.
    for (const e of replicates) {
      expect(t.nodes.find((n) => n.id === e.source)?.site).toBe('primary');
      expect(t.nodes.find((n) => n.id === e.target)?.site).toBe('secondary');
    }
    expect(replicates.map((e) => e.health).sort()).toEqual(['critical', 'ok', 'ok', 'ok', 'warning']);
    expect(t.nodes.find((n) => n.id === 'site:primary')?.health).toBe('critical');
  });

  it('draws a Hyper-V pair from the running VM to its replica in either direction, by id or by name', async () => {
    const inputs = await labInputs();
    const hv = inputs.find((i) => i.connection.id === 'lab-hyperv-primary')!.inventory as HypervInventory;
    const [sql, web] = hv.vms;
    // A replica whose id differs from its primary's (a replica re-created by hand): found by name.
    const replicaInv = inputs.find((i) => i.connection.id === 'lab-hyperv-replica')!
      .inventory as HypervInventory;
    replicaInv.vms.find((v) => v.name === web!.name)!.id = '00000000-0000-4000-8000-000000000001';
    const at = '2026-11-26T00:00:00.000Z';
    const pair = (id: string, vm: { id: string; name: string }, direction: 'forward' | 'reverse') => ({
      id,
      planId: null,
      sourceVmId: vm.id,
      sourceVmName: vm.name,
      sourceSiteId: 's1',
      targetSiteId: 's2',
      masterTargetId: null,
      processServerId: null,
      osFamily: 'windows' as const,
      state: 'protected' as const,
      direction,
      health: 'warning' as const,
      stats: null,
      rpoThresholdSec: 300,
      platform: 'hyperv' as const,
      resyncScheduledAt: null,
      retry: null,
      lastHeartbeatAt: null,
      stateChangedAt: at,
      createdAt: at,
    });
    const snapshot: ProtectionSnapshot = {
      connectionId: 'cs',
      connectionName: 'Config server',
      url: 'https://cs.lab.local',
      error: null,
      sites: [
        { id: 's1', name: 'ams', role: 'primary', createdAt: at },
        { id: 's2', name: 'rtm', role: 'secondary', createdAt: at },
      ],
      processServers: [],
      masterTargets: [],
      plans: [],
      pairs: [pair('p1', sql!, 'forward'), pair('p2', web!, 'forward')],
      alerts: [],
    };
    const t = buildTopology(inputs, 1, new Date(at), [snapshot]);
    const edge = (id: string) => t.edges.find((e) => e.id === `pair:cs:${id}`)!;
    expect(edge('p1')).toMatchObject({
      source: `c:lab-hyperv-primary:vm:${sql!.id}`,
      target: `c:lab-hyperv-replica:vm:${sql!.id}`,
      health: 'warning',
      label: 'protected',
    });
    expect(t.edges.some((e) => e.id === `replicates:c:lab-hyperv-primary:vm:${sql!.id}`)).toBe(false);
    expect(t.nodes.find((n) => n.id === edge('p2').target)).toMatchObject({
      kind: 'hyperv-vm',
      label: web!.name,
      site: 'secondary',
    });

    // After failover and reverse the VM runs at the secondary (Primary there) and replicates back.
    hv.vms.find((v) => v.id === sql!.id)!.replication!.mode = 'Replica';
    replicaInv.vms.find((v) => v.id === sql!.id)!.replication!.mode = 'Primary';
    const back = buildTopology(inputs, 2, new Date(at), [
      { ...snapshot, pairs: [pair('p1', sql!, 'reverse')] },
    ]);
    expect(back.edges.find((e) => e.id === 'pair:cs:p1')).toMatchObject({
      source: `c:lab-hyperv-replica:vm:${sql!.id}`,
      target: `c:lab-hyperv-primary:vm:${sql!.id}`,
    });
  });

  it('reports a source that could not be read and still draws the others', async () => {
    const inputs = await labInputs();
    inputs[1] = { ...inputs[1]!, inventory: null, error: 'connect ECONNREFUSED 10.0.0.1:443' };
    const t = buildTopology(inputs, 1);
    expect(t.errors).toEqual([
      { source: 'Lab vCenter Rotterdam', message: 'connect ECONNREFUSED 10.0.0.1:443' },
    ]);
    expect(t.nodes.some((n) => n.kind === 'vcenter')).toBe(true);
  });

  it('diffs two builds into a change that applies back exactly', async () => {
    const inputs = await labInputs();
    const before = buildTopology(inputs, 1);
    const doc = inputs[0]!.inventory as VsphereInventory;
    doc.vms[0]!.powerState = doc.vms[0]!.powerState === 'poweredOn' ? 'poweredOff' : 'poweredOn';
    doc.vms.pop();
    const after = buildTopology(inputs, 2);
    const change = diffTopology(before, after);
    // The toggled VM, and the host that lost a VM (its VM count changed).
    expect(change.upsertNodes.map((n) => n.kind).sort()).toEqual(['esxi-host', 'vm']);
    expect(change.removeNodes).toHaveLength(1);
    const applied = applyTopologyChange(before, change)!;
    const sort = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
    expect(sort(applied.nodes)).toEqual(sort(after.nodes));
    expect(applied.revision).toBe(2);
    expect(applyTopologyChange({ ...before, revision: 5 }, change)).toBeNull();
  });

  it('groups unprotected VMs per host on the map and keeps replicating VMs individual', async () => {
    const t = buildTopology(await labInputs(5000), 1);
    const g = toDisplayGraph(t, { vmLimit: 300, search: '', site: 'all' });
    expect(g.nodes.filter((n) => n.kind === 'vm')).toHaveLength(0);
    expect(g.nodes.filter((n) => n.kind === 'hyperv-vm')).toHaveLength(10);
    const groups = g.nodes.filter((n) => n.kind === 'vm-group');
    expect(groups.reduce((s, n) => s + Number(n.label.split(' ')[0]), 0)).toBe(5000 + 2 + 3 + 1);
    expect(g.nodes.length).toBeLessThan(200);
    expect(g.edges.filter((e) => e.kind === 'replicates')).toHaveLength(5);

    const found = toDisplayGraph(t, { vmLimit: 300, search: 'web-0011', site: 'primary' });
    const labels = found.nodes.filter((n) => n.kind === 'vm').map((n) => n.label);
    expect(labels).toEqual(['ams-w-web-0011']);
    expect(found.hiddenVms).toBe(5000 + 2 + 6 - 1);
    expect(found.nodes.every((n) => n.site !== 'secondary')).toBe(true);
  });

  it('lays the primary site out to the left of the secondary', async () => {
    const t = buildTopology(await labInputs(), 1);
    const g = toDisplayGraph(t, { vmLimit: 300, search: '', site: 'all' });
    const requests = toElkGraphs(g);
    expect(requests.map((r) => r.elk.layoutOptions?.['elk.direction'])).toEqual(['RIGHT', 'LEFT']);
    const fake = requests.map(({ site, elk }) => ({
      site,
      elk: { ...elk, width: 100, height: 50, children: elk.children?.map((c, i) => ({ ...c, x: i, y: i })) },
    }));
    const pos = combineSites(fake);
    const primaryX = Math.max(...g.nodes.filter((n) => n.site === 'primary').map((n) => pos[n.id]!.x));
    const secondaryX = Math.min(...g.nodes.filter((n) => n.site === 'secondary').map((n) => pos[n.id]!.x));
    expect(secondaryX).toBeGreaterThan(primaryX);
  });
});
