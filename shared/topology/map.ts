import { type HealthLevel, worseOf } from '../schemas/health';
import type { Topology, TopologyNode } from '../schemas/topology';
import { type DisplayKind, detailOf, nodeSize } from './display';

/**
 * The console's map graph: the estate with clusters and hosts folded into one node each (with
 * counts) until the operator expands them, so a 5,000-VM estate draws tens of nodes, not
 * thousands. Pure: the renderer draws it, the unit tests read it.
 */

/** Kinds that fold their children away until expanded. Sites, vCenters and the configuration server stay open. */
export const collapsibleKinds: ReadonlySet<string> = new Set(['cluster', 'esxi-host', 'hyperv-host']);

const vmKinds: ReadonlySet<string> = new Set(['vm', 'hyperv-vm']);

/** What a folded node holds. */
export interface FoldedCounts {
  hosts: number;
  vms: number;
  /** VMs with a pair (any state). */
  protectedVms: number;
  /** Descendants whose own health is warning or critical. */
  attention: number;
}

export interface MapNode {
  id: string;
  kind: DisplayKind;
  label: string;
  /** Own health, or for a node that folds the worst of it and everything inside it, open or not. */
  health: HealthLevel;
  site: 'primary' | 'secondary' | null;
  /** One line of facts for leaves (power and IP, slots …); folded nodes carry `counts` instead. */
  detail: string;
  width: number;
  height: number;
  /** Null when the node cannot fold; else whether it is open now. */
  expanded: boolean | null;
  /** Set on collapsible nodes: what they hold (shown while folded, kept when open). */
  counts: FoldedCounts | null;
  /** A search hit itself. */
  hit: boolean;
  /** Search hits folded inside this node (beyond what the search opens). */
  hitsInside: number;
  /** The topology node, for the details panel. */
  source: TopologyNode;
  /** Hyper-V: the replica of this VM on the other site, folded into this node (never drawn twice). */
  replica: TopologyNode | null;
}

export interface MapEdge {
  id: string;
  source: string;
  target: string;
  kind: 'contains' | 'replicates';
  /** The worst status among the pairs (shared/configserver/risk.ts grades RPO, state and errors). */
  health: HealthLevel;
  /** Pairs this edge stands for (more than one between folded nodes). */
  pairs: number;
  /** Worst RPO in seconds among the pairs that report one; null when none does yet. */
  worstRpoSec: number | null;
  /** Pairs with no recovery point yet (initial replication, resync). */
  noPoint: number;
  /** The pair state, for a single pair. */
  state: string | null;
  /** How often Hyper-V Replica sends, in seconds, for a single edge with no pair state. */
  frequencySec: number | null;
}

export interface MapGraph {
  /** In walk order: each node right after its parent (Tab follows the tree). */
  nodes: MapNode[];
  edges: MapEdge[];
  /** VMs the search hides. */
  hiddenVms: number;
  /** Every search hit in the filtered estate (drawn or folded). */
  hitCount: number;
  /** Ids of drawn nodes that are hits, or hold hits. */
  hitIds: string[];
  /** Hits drawn as nodes of their own (the rest are counted on their folds). */
  drawnHits: number;
  /** Ids of drawn nodes that need attention (warning or critical), worst first. */
  attention: string[];
}

export interface MapOptions {
  /** Collapsible nodes the operator opened. */
  expanded: ReadonlySet<string>;
  search: string;
  site: 'all' | 'primary' | 'secondary';
  /** The search opens the folds around at most this many hits; the rest are counted on their folds. */
  searchLimit?: number;
}

export const SEARCH_REVEAL_LIMIT = 200;

const noPointStates = new Set(['enabling', 'initial-replication', 'resync-required', 'resyncing']);

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The VM id at the end of a topology id (Hyper-V Replica keeps the VM id on the replica). */
const vmIdOf = (id: string) => id.slice(id.lastIndexOf(':') + 1);

export function toMapGraph(topology: Topology, options: MapOptions): MapGraph {
  const limit = options.searchLimit ?? SEARCH_REVEAL_LIMIT;
  const search = options.search.trim().toLowerCase();
  const inSite = (site: string | null) => options.site === 'all' || site === null || site === options.site;
  const all = topology.nodes.filter((n) => inSite(n.site));
  const byId = new Map(all.map((n) => [n.id, n]));

  // One node per VM: a Hyper-V replica whose running VM is drawn folds into it.
  const running = new Map<string, TopologyNode>();
  for (const n of all)
    if (n.kind === 'hyperv-vm' && n.attributes.replicationMode !== 'Replica') {
      running.set(`id:${vmIdOf(n.id)}`, n);
      running.set(`name:${n.label}`, n);
    }
  const replicaOf = new Map<string, TopologyNode>();
  const folded = new Map<string, TopologyNode>();
  for (const n of all) {
    if (n.kind !== 'hyperv-vm' || n.attributes.replicationMode !== 'Replica') continue;
    const owner = running.get(`id:${vmIdOf(n.id)}`) ?? running.get(`name:${n.label}`);
    if (!owner || owner.site === n.site) continue;
    replicaOf.set(owner.id, n);
    folded.set(n.id, n);
  }

  const children = new Map<string, TopologyNode[]>();
  const roots: TopologyNode[] = [];
  for (const n of all) {
    if (folded.has(n.id)) continue;
    if (n.parent && byId.has(n.parent)) {
      const list = children.get(n.parent);
      if (list) list.push(n);
      else children.set(n.parent, [n]);
    } else roots.push(n);
  }

  const matches = (n: TopologyNode) =>
    Boolean(search) &&
    (n.label.toLowerCase().includes(search) ||
      (vmKinds.has(n.kind) && typeof n.attributes.ip === 'string' && n.attributes.ip.includes(search)));

  // Hits in walk order; the first `limit` open their folds.
  const hits: TopologyNode[] = [];
  const walkHits = (n: TopologyNode) => {
    if (matches(n)) hits.push(n);
    for (const c of children.get(n.id) ?? []) walkHits(c);
  };
  // No search, no hits: the walk is skipped on every live update of an unsearched map.
  if (search) for (const r of roots) walkHits(r);
  const revealed = new Set<string>();
  const hitSet = new Set(hits.map((h) => h.id));
  for (const h of hits.slice(0, limit)) {
    for (let p = h.parent ? byId.get(h.parent) : undefined; p; p = p.parent ? byId.get(p.parent) : undefined)
      revealed.add(p.id);
  }

  const isOpen = (n: TopologyNode) =>
    !collapsibleKinds.has(n.kind) || options.expanded.has(n.id) || revealed.has(n.id);

  const nodes: MapNode[] = [];
  const edges: MapEdge[] = [];
  /** Where each topology node is drawn: itself, or the fold that holds it. */
  const drawnAs = new Map<string, string>();
  const attentionHealth = new Map<string, HealthLevel>();
  let hiddenVms = 0;

  /** Counts and worst health of everything below `n`, and where each of it is drawn. */
  const fold = (n: TopologyNode, into: string, acc: FoldedCounts & { health: HealthLevel; hits: number }) => {
    for (const c of children.get(n.id) ?? []) {
      drawnAs.set(c.id, into);
      const replica = replicaOf.get(c.id);
      if (replica) drawnAs.set(replica.id, into);
      if (c.kind === 'esxi-host' || c.kind === 'hyperv-host') acc.hosts++;
      if (vmKinds.has(c.kind)) {
        acc.vms++;
        if (c.attributes.pairState) acc.protectedVms++;
      }
      const h = c.health;
      if (h === 'warning' || h === 'critical') acc.attention++;
      acc.health = worseOf(acc.health, h);
      if (hitSet.has(c.id)) acc.hits++;
      fold(c, into, acc);
    }
  };

  const visit = (n: TopologyNode) => {
    if (vmKinds.has(n.kind) && search && !hitSet.has(n.id)) {
      hiddenVms++;
      drawnAs.set(n.id, '');
      return;
    }
    const collapsible = collapsibleKinds.has(n.kind) && (children.get(n.id)?.length ?? 0) > 0;
    const open = isOpen(n);
    const replica = replicaOf.get(n.id) ?? null;
    drawnAs.set(n.id, n.id);
    if (replica) drawnAs.set(replica.id, n.id);
    let counts: FoldedCounts | null = null;
    let health = n.health;
    let hitsInside = 0;
    if (collapsible) {
      const acc = { hosts: 0, vms: 0, protectedVms: 0, attention: 0, health: 'ok' as HealthLevel, hits: 0 };
      fold(n, n.id, acc);
      counts = { hosts: acc.hosts, vms: acc.vms, protectedVms: acc.protectedVms, attention: acc.attention };
      // Open or folded, a node says the worst of what it holds: the details panel and the card
      // must not call a host with 31 VMs at risk healthy because those VMs are now drawn beside it.
      health = worseOf(health, acc.health);
      if (!open) hitsInside = acc.hits;
    }
    const [width, height] = nodeSize(n.kind);
    nodes.push({
      id: n.id,
      kind: n.kind,
      label: n.label,
      health,
      site: n.site,
      detail: collapsible ? '' : detailOf(n.attributes, n.kind),
      width,
      height,
      expanded: collapsible ? open : null,
      counts,
      hit: hitSet.has(n.id),
      hitsInside,
      source: n,
      replica,
    });
    // An open node's trouble is drawn in what it holds: those are what needs attention, not it.
    if ((health === 'warning' || health === 'critical') && n.kind !== 'site' && !(collapsible && open))
      attentionHealth.set(n.id, health);
    if (n.parent && drawnAs.get(n.parent) === n.parent)
      edges.push({
        id: `contains:${n.id}`,
        source: n.parent,
        target: n.id,
        kind: 'contains',
        health: 'ok',
        pairs: 0,
        worstRpoSec: null,
        noPoint: 0,
        state: null,
        frequencySec: null,
      });
    if (collapsible && !open) return;
    for (const c of children.get(n.id) ?? []) visit(c);
  };
  for (const r of roots) visit(r);

  // Replication, from where each end is drawn; pairs between the same two drawn nodes become one edge.
  const replication = new Map<string, MapEdge>();
  const endOf = (id: string): string | undefined => {
    const replica = folded.get(id);
    // A folded replica's end is its host on the other site: that is where its data lands.
    if (replica) return replica.parent ? drawnAs.get(replica.parent) : undefined;
    return drawnAs.get(id);
  };
  for (const e of topology.edges) {
    if (e.kind !== 'replicates') continue;
    const source = endOf(e.source);
    const target = endOf(e.target);
    if (!source || !target || source === target) continue;
    const vm = [byId.get(e.source), byId.get(e.target)].find((n) => n && vmKinds.has(n.kind));
    const state = typeof vm?.attributes.pairState === 'string' ? vm.attributes.pairState : e.label;
    const noPoint = state !== null && noPointStates.has(state) ? 1 : 0;
    // Without a recovery point there is no RPO to show (an initial copy reports 0 s).
    const rpoSec = noPoint ? null : num(vm?.attributes.rpoSec);
    // The pair's one status (shared/configserver/risk.ts): RPO breach, no recovery point, errors.
    const health = e.health;
    const id = `replicates:${source}->${target}`;
    const seen = replication.get(id);
    if (!seen) {
      replication.set(id, {
        id,
        source,
        target,
        kind: 'replicates',
        health,
        pairs: 1,
        worstRpoSec: rpoSec,
        noPoint,
        state,
        frequencySec: e.frequencySec,
      });
      continue;
    }
    seen.pairs++;
    seen.health = worseOf(seen.health, health);
    seen.noPoint += noPoint;
    seen.state = null;
    seen.frequencySec = null;
    if (rpoSec !== null) seen.worstRpoSec = Math.max(seen.worstRpoSec ?? 0, rpoSec);
  }
  edges.push(...replication.values());

  const rank: Record<string, number> = { critical: 0, warning: 1 };
  const attention = [...attentionHealth]
    .sort((a, b) => (rank[a[1]] ?? 2) - (rank[b[1]] ?? 2))
    .map(([id]) => id);
  const hitIds = nodes.filter((n) => n.hit || n.hitsInside > 0).map((n) => n.id);
  const drawnHits = nodes.filter((n) => n.hit).length;
  return { nodes, edges, hiddenVms, hitCount: hits.length, hitIds, drawnHits, attention };
}
