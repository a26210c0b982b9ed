import { masterTargetLevel, pairStatus, unprotectedStatus } from '../../shared/configserver/risk';
import type { Worded } from '../../shared/i18n/worded';
import type { Connection } from '../../shared/schemas/connection';
import { worseOf } from '../../shared/schemas/health';
import type { HypervInventory, InventoryDocument, VsphereInventory } from '../../shared/schemas/inventory';
import type { ProtectionSnapshot } from '../../shared/schemas/protection';
import type { Health, Topology, TopologyEdge, TopologyNode } from '../../shared/schemas/topology';

export interface TopologySourceInput {
  connection: Connection;
  inventory: InventoryDocument | null;
  error: string | null;
  /** The words of `error` when the console said it (client-words.ts): a console words it. */
  errorWords?: Worded;
}

type Site = 'primary' | 'secondary';

/**
 * Builds the estate graph from every connection's inventory. Pure: the same inputs give the same
 * graph, so diffs between two builds are exact and cheap to test.
 */
export function buildTopology(
  sources: readonly TopologySourceInput[],
  revision: number,
  now = new Date(),
  protection: readonly ProtectionSnapshot[] = [],
): Topology {
  const nodes: TopologyNode[] = [];
  const edges: TopologyEdge[] = [];
  const errors: Topology['errors'] = [];

  for (const site of ['primary', 'secondary'] as const) {
    nodes.push({
      id: `site:${site}`,
      kind: 'site',
      label: site === 'primary' ? 'Primary site' : 'Secondary site',
      parent: null,
      site,
      health: 'ok',
      attributes: {},
    });
  }

  const replicaVms = new Map<string, { id: string; health: Health }>();
  const primaryVms: Array<{ id: string; name: string; health: Health; frequency: number | null }> = [];

  for (const { connection, inventory, error, errorWords } of sources) {
    if (error)
      errors.push({ source: connection.name, message: error, ...(errorWords ? { words: errorWords } : {}) });
    if (!inventory) continue;
    if (inventory.source.kind === 'vsphere') addVsphere(nodes, connection, inventory as VsphereInventory);
    else addHyperv(nodes, connection, inventory as HypervInventory, replicaVms, primaryVms);
  }

  for (const vm of primaryVms) {
    const replica = replicaVms.get(vm.name);
    if (!replica) continue;
    edges.push({
      id: `replicates:${vm.id}`,
      kind: 'replicates',
      source: vm.id,
      target: replica.id,
      health: worseOf(vm.health, replica.health),
      label: null,
      frequencySec: vm.frequency || null,
    });
  }

  for (const snapshot of protection) addProtection(nodes, edges, errors, snapshot, now);

  for (const node of nodes) {
    if (node.kind === 'site') node.health = rollUp(nodes, node.id);
  }
  return { revision, generatedAt: now.toISOString(), nodes, edges, errors };
}

function addVsphere(nodes: TopologyNode[], connection: Connection, inv: VsphereInventory): void {
  const site = connection.site;
  const root = `c:${connection.id}`;
  const id = (moref: string) => `${root}:${moref}`;
  nodes.push({
    id: root,
    kind: 'vcenter',
    label: connection.name,
    parent: `site:${site}`,
    site,
    health: 'ok',
    attributes: { product: inv.source.about.fullName, url: inv.source.url, lab: connection.lab },
  });
  for (const cluster of inv.clusters) {
    nodes.push({
      id: id(cluster.id),
      kind: 'cluster',
      label: cluster.name,
      parent: root,
      site,
      health: 'ok',
      attributes: {},
    });
  }
  const vmsPerHost = new Map<string, number>();
  for (const vm of inv.vms) if (vm.host) vmsPerHost.set(vm.host, (vmsPerHost.get(vm.host) ?? 0) + 1);
  for (const host of inv.hosts) {
    const connected = host.connectionState === 'connected';
    nodes.push({
      id: id(host.id),
      kind: 'esxi-host',
      label: host.name,
      parent: host.cluster ? id(host.cluster) : root,
      site,
      health: connected ? 'ok' : 'critical',
      attributes: {
        connectionState: host.connectionState,
        vms: vmsPerHost.get(host.id) ?? 0,
        cpuCores: host.cpuCores,
      },
    });
  }
  for (const vm of inv.vms) {
    nodes.push({
      id: id(vm.id),
      kind: 'vm',
      label: vm.name,
      parent: vm.host ? id(vm.host) : root,
      site,
      // Whether it is protected is the configuration server's to say (addProtection): until one
      // does, not knowing is not shown as healthy.
      health: 'unknown',
      attributes: {
        powerState: vm.powerState,
        guestOs: vm.guestOs,
        ip: vm.ipAddresses[0] ?? null,
        disks: vm.disks.length,
      },
    });
  }
}

const replicationHealth: Record<string, Health> = {
  Normal: 'ok',
  Warning: 'warning',
  Critical: 'critical',
  NotApplicable: 'unknown',
};

function addHyperv(
  nodes: TopologyNode[],
  connection: Connection,
  inv: HypervInventory,
  replicaVms: Map<string, { id: string; health: Health }>,
  primaryVms: Array<{ id: string; name: string; health: Health; frequency: number | null }>,
): void {
  const site: Site = connection.site;
  const root = `c:${connection.id}`;
  for (const host of inv.hosts) {
    nodes.push({
      id: `${root}:${host.id}`,
      kind: 'hyperv-host',
      label: host.name,
      parent: `site:${site}`,
      site,
      health: 'ok',
      attributes: { os: host.os, replicaServer: host.replicaServer.enabled, connection: connection.name },
    });
  }
  const fallbackHost = inv.hosts[0]?.id;
  for (const vm of inv.vms) {
    // A VM Hyper-V Replica does not copy is unprotected, which Hyper-V itself tells.
    const health = vm.replication
      ? (replicationHealth[vm.replication.health] ?? 'unknown')
      : unprotectedStatus.level;
    const nodeId = `${root}:vm:${vm.id}`;
    nodes.push({
      id: nodeId,
      kind: 'hyperv-vm',
      label: vm.name,
      parent: `${root}:${inv.hosts.some((h) => h.id === vm.host) ? vm.host : fallbackHost}`,
      site,
      health,
      attributes: {
        state: vm.state,
        replicationState: vm.replication?.state ?? null,
        replicationHealth: vm.replication?.health ?? null,
        replicationMode: vm.replication?.mode ?? null,
        ...(vm.replication ? {} : { status: unprotectedStatus.reason }),
      },
    });
    if (vm.replication?.mode === 'Replica') replicaVms.set(vm.name, { id: nodeId, health });
    if (vm.replication?.mode === 'Primary') {
      primaryVms.push({ id: nodeId, name: vm.name, health, frequency: vm.replication.frequencySec });
    }
  }
}

function rollUp(nodes: TopologyNode[], siteId: string): Health {
  let h: Health = 'ok';
  for (const n of nodes)
    if (n.site && `site:${n.site}` === siteId && n.kind !== 'vm') h = worseOf(h, n.health);
  return h === 'unknown' ? 'ok' : h;
}

const levelHealth: Record<string, Health> = {
  ok: 'ok',
  warning: 'warning',
  critical: 'critical',
  unknown: 'unknown',
};

/**
 * A configuration server's part of the map: the server, its process servers and master targets,
 * and one replication edge per pair from the protected VM to its master target. A pair's VM is
 * found among the VMs the console reads itself (same site role and VM id); where the console does
 * not read that vCenter, the pair's VM is drawn from the server's own record.
 */
function addProtection(
  nodes: TopologyNode[],
  edges: TopologyEdge[],
  errors: Topology['errors'],
  snapshot: ProtectionSnapshot,
  now: Date,
): void {
  if (snapshot.error)
    errors.push({
      source: snapshot.connectionName,
      message: snapshot.error,
      ...(snapshot.errorWords ? { words: snapshot.errorWords } : {}),
    });
  const root = `cs:${snapshot.connectionId}`;
  const roleOf = new Map(snapshot.sites.map((s) => [s.id, s.role]));
  const primarySite = snapshot.sites.find((s) => s.role === 'primary');
  nodes.push({
    id: root,
    kind: 'config-server',
    label: snapshot.connectionName,
    parent: 'site:primary',
    site: 'primary',
    health: snapshot.error ? 'critical' : 'ok',
    attributes: {
      url: snapshot.url,
      pairs: snapshot.pairs.length,
      alerts: snapshot.alerts.length,
      site: primarySite?.name ?? null,
    },
  });
  for (const ps of snapshot.processServers) {
    const site = roleOf.get(ps.siteId) ?? 'primary';
    nodes.push({
      id: `${root}:ps:${ps.id}`,
      kind: 'process-server',
      label: ps.name,
      parent: root,
      site,
      health: levelHealth[ps.level] ?? 'unknown',
      attributes: {
        host: ps.host,
        cpu: ps.health ? Math.round(ps.health.cpuPercent) : null,
        memory: ps.health ? Math.round(ps.health.memoryPercent) : null,
        cacheFree: ps.health ? Math.round(ps.health.cacheFreePercent) : null,
        backlogMin: ps.health ? Math.round(ps.health.uploadBacklogSec / 60) : null,
      },
    });
  }
  for (const mt of snapshot.masterTargets) {
    const site = roleOf.get(mt.siteId) ?? 'secondary';
    nodes.push({
      id: `${root}:mt:${mt.id}`,
      kind: 'master-target',
      label: mt.name,
      parent: `site:${site}`,
      site,
      health: masterTargetLevel(mt),
      attributes: { vm: mt.vmName, os: mt.osFamily, slotsUsed: mt.slotsUsed, slotsFree: mt.slotsFree },
    });
  }
  // The VMs the console reads itself, vSphere and Hyper-V alike, by site role and VM id (a moref,
  // or a Hyper-V VM id, which Hyper-V Replica keeps on the replica); Hyper-V replicas by name too.
  const vmIndex = new Map<string, string>();
  const hypervReplicas = new Map<string, string>();
  for (const n of nodes) {
    if ((n.kind !== 'vm' && n.kind !== 'hyperv-vm') || !n.site) continue;
    const vmId = n.id.slice(n.id.lastIndexOf(':') + 1);
    if (n.kind === 'hyperv-vm' && n.attributes.replicationMode === 'Replica') {
      hypervReplicas.set(`${n.site}:${vmId}`, n.id);
      hypervReplicas.set(`${n.site}:name:${n.label}`, n.id);
    } else vmIndex.set(`${n.site}:${vmId}`, n.id);
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const planNames = new Map(snapshot.plans.map((p) => [p.id, p.name]));
  const superseded = new Set<string>();
  const paired = new Set<string>();
  for (const pair of snapshot.pairs) {
    const forward = pair.direction === 'forward';
    const sourceRole = roleOf.get(forward ? pair.sourceSiteId : pair.targetSiteId) ?? 'primary';
    const otherRole = roleOf.get(forward ? pair.targetSiteId : pair.sourceSiteId) ?? 'secondary';
    let vmNode = vmIndex.get(`${sourceRole}:${pair.sourceVmId}`);
    if (!vmNode) {
      vmNode = `${root}:vm:${pair.sourceVmId}`;
      nodes.push({
        id: vmNode,
        kind: 'vm',
        label: pair.sourceVmName,
        parent: root,
        site: sourceRole,
        health: 'unknown',
        attributes: { powerState: null, protected: true },
      });
      byId.set(vmNode, nodes[nodes.length - 1]!);
    }
    const vm = byId.get(vmNode);
    const replicaHealth = vm?.kind === 'hyperv-vm' ? vm.attributes.replicationHealth : null;
    const status = pairStatus(pair, typeof replicaHealth === 'string' ? replicaHealth : null, now.getTime());
    paired.add(vmNode);
    if (vm) {
      vm.health = status.level;
      // The map's details panel shows and acts on these: the plan (the recovery wizards take a
      // plan) and how far behind the replica is.
      vm.attributes = {
        ...vm.attributes,
        pairState: pair.state,
        status: status.reason,
        plan: (pair.planId && planNames.get(pair.planId)) || null,
        configServer: snapshot.connectionId,
        rpoSec: pair.stats ? Math.round(pair.stats.rpoSec) : null,
        rpoThresholdSec: pair.rpoThresholdSec,
      };
    }
    // A Hyper-V pair replicates through Hyper-V Replica to the replica VM, not to a master target:
    // its edge replaces the one drawn from the two hosts' inventories.
    const replica =
      vm?.kind === 'hyperv-vm' && pair.platform === 'hyperv'
        ? (hypervReplicas.get(`${otherRole}:${pair.sourceVmId}`) ??
          hypervReplicas.get(`${otherRole}:name:${pair.sourceVmName}`))
        : undefined;
    if (replica) {
      superseded.add(`replicates:${vmNode}`);
      // The replica is the same machine: it shows the machine's one status, not a second one.
      const copy = byId.get(replica);
      if (copy) {
        copy.health = status.level;
        copy.attributes = { ...copy.attributes, pairState: pair.state, status: status.reason };
      }
    }
    const targetNode = replica ?? (pair.masterTargetId ? `${root}:mt:${pair.masterTargetId}` : root);
    edges.push({
      id: `pair:${snapshot.connectionId}:${pair.id}`,
      kind: 'replicates',
      // Hyper-V Replica always sends from the VM that runs to its replica, in either direction.
      source: forward || replica ? vmNode : targetNode,
      target: forward || replica ? targetNode : vmNode,
      health: status.level,
      label: pair.state,
      frequencySec: null,
    });
  }
  // A machine on a site this server protects from, with no pair, is at risk: nothing would be
  // recovered. Master targets are the protection itself; replicas and the receiving site's own
  // machines are not sources.
  if (!snapshot.error) {
    const sourceRoles = new Set(
      snapshot.pairs.map((p) => roleOf.get(p.direction === 'forward' ? p.sourceSiteId : p.targetSiteId)),
    );
    const infrastructure = new Set(
      snapshot.masterTargets.map((mt) => `${roleOf.get(mt.siteId) ?? ''}:${mt.vmName}`),
    );
    for (const n of nodes) {
      if (n.kind !== 'vm' || !n.site || paired.has(n.id) || n.attributes.status) continue;
      if (!sourceRoles.has(n.site) || infrastructure.has(`${n.site}:${n.label}`)) continue;
      n.health = unprotectedStatus.level;
      n.attributes = { ...n.attributes, status: unprotectedStatus.reason };
    }
  }
  if (superseded.size > 0) {
    const kept = edges.filter((e) => !superseded.has(e.id));
    edges.length = 0;
    edges.push(...kept);
  }
}
