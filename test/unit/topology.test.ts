import { describe, expect, it } from 'vitest';
import { openLab } from '../../core/console/lab-connections';
import { createLabEstate } from '../../core/lab/estate';
import { buildTopology, type TopologySourceInput } from '../../core/topology/build';
import { diffTopology, sameJson } from '../../core/topology/diff';
import type { HypervInventory, VsphereInventory } from '../../shared/schemas/inventory';
import type { ProtectionSnapshot } from '../../shared/schemas/protection';
import { applyTopologyChange, topologyEdgeSchema, topologySchema } from '../../shared/schemas/topology';

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
    // How often each sends is data (the map words it in its language), not English text.
    for (const e of replicates) {
      expect(e.label).toBeNull();
      expect([30, 300, 900]).toContain(e.frequencySec);
    }
    // An edge from an export written before edges carried how often still reads.
    const { frequencySec: _, ...older } = replicates[0]!;
    expect(topologyEdgeSchema.parse(older).frequencySec).toBeNull();
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

  it('shows one status per machine: unprotected VMs at risk, a full master target critical', async () => {
    const inputs = await labInputs(12);
    const bare = buildTopology(inputs, 1);
    // No configuration server: whether a vSphere VM is protected is not known, so it is not green.
    expect(bare.nodes.filter((n) => n.kind === 'vm').every((n) => n.health === 'unknown')).toBe(true);
    const vcenter = inputs.find((i) => i.connection.id === 'lab-vcenter-primary')!
      .inventory as VsphereInventory;
    const hv = inputs.find((i) => i.connection.id === 'lab-hyperv-primary')!.inventory as HypervInventory;
    const [web] = vcenter.vms;
    const app = hv.vms.find((v) => v.replication?.health === 'Critical')!;
    const at = '2026-11-26T00:00:00.000Z';
    const stats = {
      rpoSec: 30,
      pendingChangeBytes: 0,
      diskSizeBytes: 1,
      throughputBps: 0,
      progress: 1,
      reportedAt: at,
    };
    const base = {
      planId: null,
      sourceSiteId: 's1',
      targetSiteId: 's2',
      masterTargetId: 'mt1',
      processServerId: null,
      osFamily: 'windows' as const,
      direction: 'forward' as const,
      health: 'ok' as const,
      rpoThresholdSec: 300,
      resyncScheduledAt: null,
      retry: null,
      lastHeartbeatAt: null,
      stateChangedAt: at,
      createdAt: at,
    };
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
      masterTargets: [
        {
          id: 'mt1',
          name: 'rtm-mt-win-01',
          siteId: 's2',
          vmId: 'vm-x',
          vmName: 'rtm-mt-win-01',
          osFamily: 'windows',
          slotsUsed: 58,
          slotsFree: 0,
          retentionFreeBytes: null,
        } as ProtectionSnapshot['masterTargets'][number],
        {
          id: 'mt2',
          name: 'ams-mt-win-01',
          siteId: 's1',
          vmId: 'vm-y',
          vmName: 'ams-mt-win-01',
          osFamily: 'windows',
          slotsUsed: 0,
          slotsFree: 58,
          retentionFreeBytes: null,
        } as ProtectionSnapshot['masterTargets'][number],
      ],
      plans: [],
      pairs: [
        {
          ...base,
          id: 'p1',
          sourceVmId: web!.id,
          sourceVmName: web!.name,
          platform: 'vsphere',
          state: 'initial-replication',
          stats: { ...stats, rpoSec: 0 },
        },
        {
          ...base,
          id: 'p2',
          sourceVmId: app.id,
          sourceVmName: app.name,
          platform: 'hyperv',
          masterTargetId: null,
          state: 'protected',
          stats,
        },
      ],
      alerts: [],
    };
    const t = buildTopology(inputs, 2, new Date(at), [snapshot]);
    const vm = (label: string, site = 'primary') =>
      t.nodes.filter((n) => n.label === label && n.site === site);
    // An initial copy has no recovery point yet: at risk, not green with an RPO of 0 s.
    expect(vm(web!.name)[0]).toMatchObject({
      health: 'warning',
      attributes: { status: 'no-recovery-point' },
    });
    // Hyper-V Replica says Critical, the server says protected: the machine is critical, on both copies.
    expect(vm(app.name)[0]).toMatchObject({
      health: 'critical',
      attributes: { status: 'replica-unhealthy' },
    });
    expect(vm(app.name, 'secondary')[0]).toMatchObject({ health: 'critical' });
    expect(t.edges.find((e) => e.id === 'pair:cs:p2')?.health).toBe('critical');
    const other = vcenter.vms[1]!;
    expect(vm(other.name)[0]).toMatchObject({ health: 'warning', attributes: { status: 'unprotected' } });
    // Master targets are the protection itself, not unprotected machines.
    expect(vm('ams-mt-win-01')[0]!.attributes.status).toBeUndefined();
    expect(t.nodes.find((n) => n.id === 'cs:cs:mt:mt1')?.health).toBe('critical');
    expect(t.nodes.find((n) => n.id === 'cs:cs:mt:mt2')?.health).toBe('ok');
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
});

describe('sameJson (the topology diff compares without serialising)', () => {
  it('is JSON equality: key order and undefined keys aside, types and nesting counted', () => {
    expect(sameJson({ a: 1, b: { c: 'x', d: null } }, { b: { d: null, c: 'x' }, a: 1 })).toBe(true);
    expect(sameJson({ a: 1, gone: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(sameJson({ a: 1 }, { a: '1' })).toBe(false);
    expect(sameJson({ a: { b: 1 } }, { a: null })).toBe(false);
    expect(sameJson([1, { x: true }], [1, { x: true }])).toBe(true);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson({ attributes: { rpoSec: 30 } }, { attributes: { rpoSec: 31 } })).toBe(false);
  });
});
