import type { Topology } from '../schemas/topology';
import type { Positions } from './layout';
import { collapsibleKinds, type MapGraph, toMapGraph } from './map';
import { layoutTree } from './tree-layout';

/**
 * What an exported picture opens. An export is read away from the console, where nothing can be
 * clicked open, so it must show the estate readably by itself:
 * - from the console, what the operator opened on the map (the picture on paper is the one on
 *   screen);
 * - from the CLI, every cluster, and every host with at most `hostVms` VMs: a small or ordinary
 *   host's VMs are drawn one by one, a host bigger than that (shared/names.ts EXPORT_HOST_VMS by default) stays one node with its counts (its
 *   VMs are still in the HTML's table and the JSON), so a 5,000-VM estate stays a picture that can
 *   be read rather than thousands of boxes at a scale where no name can be.
 */
export type ExportFold = { expanded: readonly string[] } | { hostVms: number | 'all' };

const vmKinds: ReadonlySet<string> = new Set(['vm', 'hyperv-vm']);

/** The nodes an export draws open, as the map's `expanded` set. */
export function exportExpanded(topology: Topology, fold: ExportFold): Set<string> {
  if ('expanded' in fold) return new Set(fold.expanded);
  const vms = new Map<string, number>();
  for (const n of topology.nodes)
    if (vmKinds.has(n.kind) && n.parent) vms.set(n.parent, (vms.get(n.parent) ?? 0) + 1);
  const open = new Set<string>();
  for (const n of topology.nodes) {
    if (!collapsibleKinds.has(n.kind)) continue;
    if (n.kind === 'cluster' || fold.hostVms === 'all' || (vms.get(n.id) ?? 0) <= fold.hostVms)
      open.add(n.id);
  }
  return open;
}

/**
 * The exported picture: the console map's graph (shared/topology/map.ts) of the whole estate, both
 * sites, no search, with the export's folds, laid out by the console's layout (tree-layout.ts).
 */
export function exportMap(topology: Topology, fold: ExportFold): { graph: MapGraph; positions: Positions } {
  const graph = toMapGraph(topology, { expanded: exportExpanded(topology, fold), search: '', site: 'all' });
  return { graph, positions: layoutTree(graph) };
}
