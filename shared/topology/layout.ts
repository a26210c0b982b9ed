import type { ElkNode } from 'elkjs/lib/elk-api';
import type { DisplayGraph } from './display';

export interface Positions {
  [id: string]: { x: number; y: number };
}

/** What a layout reads of a node: its box and its site. Health and labels move nothing. */
export interface LayoutBox {
  id: string;
  site: 'primary' | 'secondary' | null;
  width: number;
  height: number;
}

/** Gap between the two sites, where the replication edges cross. */
export const SITE_GAP = 320;

/**
 * Pure: one ELK request per site. The primary site's tree grows to the right and the secondary's
 * to the left, so the two estates face each other and replication runs across the middle.
 */
export function toElkGraphs(graph: DisplayGraph): Array<{ site: 'primary' | 'secondary'; elk: ElkNode }> {
  return (['primary', 'secondary'] as const).map((site) => {
    const nodes = graph.nodes.filter((n) => (n.site ?? 'primary') === site);
    const ids = new Set(nodes.map((n) => n.id));
    return {
      site,
      elk: {
        id: `root-${site}`,
        layoutOptions: {
          'elk.algorithm': 'layered',
          'elk.direction': site === 'primary' ? 'RIGHT' : 'LEFT',
          'elk.layered.spacing.nodeNodeBetweenLayers': '60',
          'elk.spacing.nodeNode': '12',
          'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
          'elk.separateConnectedComponents': 'false',
        },
        children: nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
        edges: graph.edges
          .filter((e) => e.kind === 'contains' && ids.has(e.source) && ids.has(e.target))
          .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
      },
    };
  });
}

/** Places the laid-out sites side by side, vertically centred on each other. */
export function combineSites(results: Array<{ site: 'primary' | 'secondary'; elk: ElkNode }>): Positions {
  const out: Positions = {};
  const primary = results.find((r) => r.site === 'primary')?.elk;
  const secondary = results.find((r) => r.site === 'secondary')?.elk;
  const pw = primary?.width ?? 0;
  const ph = primary?.height ?? 0;
  const sh = secondary?.height ?? 0;
  const tallest = Math.max(ph, sh);
  for (const child of primary?.children ?? [])
    out[child.id] = { x: child.x ?? 0, y: (child.y ?? 0) + (tallest - ph) / 2 };
  const offset = pw + (pw > 0 ? SITE_GAP : 0);
  for (const child of secondary?.children ?? []) {
    out[child.id] = { x: offset + (child.x ?? 0), y: (child.y ?? 0) + (tallest - sh) / 2 };
  }
  return out;
}

/** The part of an ELK instance the layout needs: the worker's and Node's elkjs both fit. */
export interface ElkLayouter {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/**
 * The console's map layout, whole: both sites laid out by the given ELK and placed side by side.
 * The console runs it in a Web Worker, the exports (SVG, PNG, HTML) in Node, so the picture on
 * paper is the picture on screen.
 */
export async function layoutDisplayGraph(elk: ElkLayouter, graph: DisplayGraph): Promise<Positions> {
  const results = await Promise.all(
    toElkGraphs(graph).map(async ({ site, elk: request }) => ({ site, elk: await elk.layout(request) })),
  );
  return combineSites(results);
}
