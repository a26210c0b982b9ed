import { useMemo, useRef } from 'react';
import type { LayoutBox, Positions } from '../../../shared/topology/layout';
import { layoutTree, type TreeLayoutCache } from '../../../shared/topology/tree-layout';
import { timed } from '../timing';

export interface LayoutGraph {
  nodes: Array<LayoutBox & { kind?: string }>;
  edges: Array<{ source: string; target: string; kind: string }>;
}

/** What the layout depends on: node ids, sizes and sites, and containment. Health and labels move nothing. */
export function structureKey(graph: LayoutGraph): string {
  const nodes = graph.nodes.map((n) => `${n.id}:${n.width}x${n.height}:${n.site}:${n.kind}`).join('|');
  const edges = graph.edges
    .filter((e) => e.kind === 'contains')
    .map((e) => `${e.source}>${e.target}`)
    .join('|');
  return `${nodes}#${edges}`;
}

// Kept for the console's session, beyond the map view: reopening the map or folding a host back
// reuses every subtree whose shape is unchanged (shared/topology/tree-layout.ts).
const subtrees: TreeLayoutCache = new Map();
const kept = new Map<string, Positions>();
const KEPT_ENTRIES = 16;

/** The layout of a structure: from this session's cache, or laid out now (linear in the nodes). */
export function layoutOf(graph: LayoutGraph, key = structureKey(graph)): Positions {
  const known = kept.get(key);
  if (known) return known;
  const positions = timed('siteshift:map-layout', () => layoutTree(graph, subtrees));
  kept.set(key, positions);
  if (kept.size > KEPT_ENTRIES) kept.delete(kept.keys().next().value!);
  return positions;
}

/**
 * Positions for a graph, recomputed only when its structure changes: live health updates repaint
 * the map without moving anything, and the same positions object keeps React Flow's nodes still.
 */
export function useLayout(graph: LayoutGraph | null): Positions | null {
  const key = useMemo(() => (graph ? structureKey(graph) : null), [graph]);
  const latest = useRef(graph);
  latest.current = graph;
  return useMemo(() => (key && latest.current ? layoutOf(latest.current, key) : null), [key]);
}
