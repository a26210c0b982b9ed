import type { Topology, TopologyChange } from '../../shared/schemas/topology';

/** The smallest change that turns `prev` into `next`, compared by id and content. */
export function diffTopology(prev: Topology, next: Topology): TopologyChange {
  const change: TopologyChange = {
    fromRevision: prev.revision,
    revision: next.revision,
    upsertNodes: [],
    removeNodes: [],
    upsertEdges: [],
    removeEdges: [],
  };
  diffList(prev.nodes, next.nodes, change.upsertNodes, change.removeNodes);
  diffList(prev.edges, next.edges, change.upsertEdges, change.removeEdges);
  return change;
}

function diffList<T extends { id: string }>(prev: T[], next: T[], upserts: T[], removes: string[]): void {
  const before = new Map(prev.map((x) => [x.id, x]));
  for (const item of next) {
    const old = before.get(item.id);
    if (old === undefined || !sameJson(old, item)) upserts.push(item);
    before.delete(item.id);
  }
  removes.push(...before.keys());
}

/**
 * Whether two JSON values are equal, key order aside. The live topology is rebuilt and compared
 * with the last one after every change (every second or so on a busy estate): comparing field by
 * field allocates nothing, where serialising both sides of 5,000 nodes took most of a rebuild.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameJson(x, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let count = 0;
  for (const key in ra) {
    const value = ra[key];
    // JSON leaves undefined out: a key holding it is a key that is not there.
    if (value === undefined) continue;
    count++;
    if (!sameJson(value, rb[key])) return false;
  }
  for (const key in rb) if (rb[key] !== undefined) count--;
  return count === 0;
}
