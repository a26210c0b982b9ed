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
  const before = new Map(prev.map((x) => [x.id, JSON.stringify(x)]));
  for (const item of next) {
    const old = before.get(item.id);
    if (old === undefined || old !== JSON.stringify(item)) upserts.push(item);
    before.delete(item.id);
  }
  removes.push(...before.keys());
}
