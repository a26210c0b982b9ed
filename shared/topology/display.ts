import { worseOf } from '../schemas/health';
import type { Health, Topology, TopologyNodeKind } from '../schemas/topology';

export type DisplayKind = TopologyNodeKind | 'vm-group';

export interface DisplayNode {
  id: string;
  kind: DisplayKind;
  label: string;
  health: Health;
  site: 'primary' | 'secondary' | null;
  detail: string;
  width: number;
  height: number;
}

export interface DisplayEdge {
  id: string;
  source: string;
  target: string;
  kind: 'contains' | 'replicates';
  health: Health;
}

export interface DisplayGraph {
  nodes: DisplayNode[];
  edges: DisplayEdge[];
  hiddenVms: number;
}

export interface DisplayOptions {
  /**
   * Unprotected VMs are drawn as one group per host (thousands of boxes help nobody); protected ones
   * stay individual up to this many, so every replication edge can be followed.
   */
  vmLimit: number;
  search: string;
  site: 'all' | 'primary' | 'secondary';
}

/** What each kind of box is called on the map (console and exports). */
export const displayKindLabel: Record<string, string> = {
  site: 'Site',
  vcenter: 'vCenter',
  cluster: 'Cluster',
  'esxi-host': 'ESXi host',
  vm: 'VM',
  'hyperv-host': 'Hyper-V host',
  'hyperv-vm': 'Hyper-V VM',
  'vm-group': 'VMs',
  'master-target': 'Master target',
  'process-server': 'Process server',
  'config-server': 'Configuration server',
};

/** Protected VMs stay individual boxes up to this many (see DisplayOptions.vmLimit). */
export const MAP_VM_LIMIT = 300;

const sizes: Partial<Record<DisplayKind, [number, number]>> = {
  site: [200, 56],
  vcenter: [220, 56],
  'hyperv-host': [220, 56],
  cluster: [210, 56],
  'esxi-host': [220, 56],
  vm: [190, 44],
  'hyperv-vm': [190, 44],
  'vm-group': [170, 52],
  'config-server': [220, 56],
  'process-server': [200, 52],
  'master-target': [200, 52],
};

const vmKinds = new Set<DisplayKind>(['vm', 'hyperv-vm']);

/** Width and height of a kind's box (the map and the exports draw the same boxes). */
export function nodeSize(kind: DisplayKind): [number, number] {
  return sizes[kind] ?? [180, 44];
}

/** "1 VM", "2 VMs". */
export const countOf = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** One line of facts about a node, as the map and the exports print it under its name. */
export function detailOf(attrs: Record<string, string | number | boolean | null>, kind: DisplayKind): string {
  switch (kind) {
    case 'vm':
      return [
        attrs.powerState === 'poweredOn'
          ? 'on'
          : attrs.powerState === 'poweredOff'
            ? 'off'
            : attrs.powerState,
        attrs.ip,
      ]
        .filter(Boolean)
        .join(' · ');
    case 'hyperv-vm':
      return [attrs.state, attrs.replicationState].filter(Boolean).join(' · ');
    case 'esxi-host':
      return `${countOf(Number(attrs.vms ?? 0), 'VM')} · ${attrs.connectionState}`;
    case 'vcenter':
      return String(attrs.url ?? '')
        .replace(/^https:\/\//, '')
        .replace(/\/sdk$/, '');
    case 'hyperv-host':
      return attrs.replicaServer ? 'Replica server enabled' : 'Replica server off';
    case 'config-server':
      return `${attrs.pairs ?? 0} pairs · ${attrs.alerts ?? 0} alerts`;
    case 'process-server':
      return attrs.cpu === null || attrs.cpu === undefined
        ? 'no health report'
        : `CPU ${attrs.cpu}% · cache free ${attrs.cacheFree}%`;
    case 'master-target':
      return `${attrs.slotsUsed ?? 0} slots used · ${attrs.slotsFree ?? 0} free`;
    default:
      return '';
  }
}

/** Pure: the graph the map draws, derived from the topology and the operator's filters. */
export function toDisplayGraph(topology: Topology, options: DisplayOptions): DisplayGraph {
  const search = options.search.trim().toLowerCase();
  const inSite = (site: string | null) => options.site === 'all' || site === null || site === options.site;
  const all = topology.nodes.filter((n) => inSite(n.site));
  const replicating = new Set<string>();
  for (const e of topology.edges) {
    if (e.kind === 'replicates') replicating.add(e.source).add(e.target);
  }
  const groupProtected = replicating.size > options.vmLimit;
  const individual = (id: string) => Boolean(search) || (replicating.has(id) && !groupProtected);
  const matches = (label: string) => !search || label.toLowerCase().includes(search);

  const nodes: DisplayNode[] = [];
  const edges: DisplayEdge[] = [];
  const alias = new Map<string, string>();
  const groups = new Map<string, DisplayNode & { count: number }>();
  let hiddenVms = 0;

  for (const n of all) {
    if (vmKinds.has(n.kind)) {
      if (!individual(n.id) && n.parent) {
        const groupId = `group:${n.parent}`;
        let g = groups.get(groupId);
        if (!g) {
          g = {
            id: groupId,
            kind: 'vm-group',
            label: '',
            health: 'ok',
            site: n.site,
            detail: '',
            width: 170,
            height: 52,
            count: 0,
          };
          groups.set(groupId, g);
          edges.push({
            id: `contains:${groupId}`,
            source: n.parent,
            target: groupId,
            kind: 'contains',
            health: 'ok',
          });
        }
        g.count++;
        g.health = worseOf(g.health, n.health);
        alias.set(n.id, groupId);
        continue;
      }
      if (!matches(n.label)) {
        hiddenVms++;
        continue;
      }
    }
    const [width, height] = nodeSize(n.kind);
    nodes.push({
      id: n.id,
      kind: n.kind,
      label: n.label,
      health: n.health,
      site: n.site,
      detail: detailOf(n.attributes, n.kind),
      width,
      height,
    });
    if (n.parent)
      edges.push({ id: `contains:${n.id}`, source: n.parent, target: n.id, kind: 'contains', health: 'ok' });
  }
  for (const g of groups.values()) {
    g.label = countOf(g.count, 'VM');
    g.detail = g.health === 'ok' ? 'all healthy' : `worst: ${g.health}`;
    const { count: _count, ...node } = g;
    nodes.push(node);
  }

  const present = new Set(nodes.map((n) => n.id));
  const seen = new Set<string>();
  for (const e of topology.edges) {
    if (e.kind !== 'replicates') continue;
    const source = alias.get(e.source) ?? e.source;
    const target = alias.get(e.target) ?? e.target;
    const id = `replicates:${source}->${target}`;
    if (!present.has(source) || !present.has(target) || seen.has(id)) continue;
    seen.add(id);
    edges.push({ id, source, target, kind: 'replicates', health: e.health });
  }
  return { nodes, edges: edges.filter((e) => present.has(e.source) && present.has(e.target)), hiddenVms };
}
