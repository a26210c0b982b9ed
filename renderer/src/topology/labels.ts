import { type Box, Boxes, curve, labelBox } from '../../../shared/topology/edge-labels';
import type { Positions } from '../../../shared/topology/layout';
import type { MapEdge, MapGraph, MapNode } from '../../../shared/topology/map';

/**
 * The replication edges that carry words on the map, and where those words lie. Words only where
 * they matter (a problem, or the selection's own edges): thirty labels stacked in the gap between
 * the sites read as noise. The colour says the rest, and so does a label left out because it would
 * cover a node or a label placed before it (the export's rule): the selection's first, then the
 * worst. The boxes count like nodes when the view keeps what it shows whole (topology/viewport.ts).
 */
export function placeLabels(
  graph: MapGraph,
  positions: Positions,
  chosen: ReadonlySet<string>,
  textOf: (e: MapEdge) => string,
): Map<string, { text: string; box: Box }> {
  const placed = new Map<string, { text: string; box: Box }>();
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const taken = new Boxes();
  for (const n of graph.nodes) {
    const p = positions[n.id];
    if (p) taken.add({ x: p.x, y: p.y, width: n.width, height: n.height });
  }
  const rank = (e: MapEdge) =>
    chosen.has(e.source) || chosen.has(e.target) ? 0 : e.health === 'critical' ? 1 : 2;
  const wanted = graph.edges
    .filter((e) => e.kind === 'replicates' && (e.health !== 'ok' || rank(e) === 0))
    .sort((a, b) => rank(a) - rank(b));
  // Replication leaves and arrives on the side facing the other site (handlesOf in TopologyView).
  const end = (n: MapNode | undefined) => {
    const p = n && positions[n.id];
    if (!n || !p) return null;
    const left = n.site === 'secondary';
    return { x: left ? p.x : p.x + n.width, y: p.y + n.height / 2, side: left ? 'left' : 'right' } as const;
  };
  for (const e of wanted) {
    const from = end(byId.get(e.source));
    const to = end(byId.get(e.target));
    const text = textOf(e);
    if (!from || !to || !text) continue;
    const box = labelBox(curve(from, to), text);
    if (taken.claim(box)) placed.set(e.id, { text, box });
  }
  return placed;
}
