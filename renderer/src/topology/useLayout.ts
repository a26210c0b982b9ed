import { useEffect, useMemo, useRef, useState } from 'react';
import type { DisplayGraph } from '../../../shared/topology/display';
import type { Positions } from '../../../shared/topology/layout';

/** What the layout depends on: node ids and sizes and containment. Health and labels do not move boxes. */
export function structureKey(graph: DisplayGraph): string {
  const nodes = graph.nodes.map((n) => `${n.id}:${n.width}x${n.height}`).join('|');
  const edges = graph.edges
    .filter((e) => e.kind === 'contains')
    .map((e) => `${e.source}>${e.target}`)
    .join('|');
  return `${nodes}#${edges}`;
}

/**
 * Lays a graph out in the worker, again only when its structure changes: live health updates
 * repaint the map without moving anything. The newest request wins; older answers are dropped.
 */
export function useLayout(graph: DisplayGraph | null): { positions: Positions | null; error: string | null } {
  const worker = useRef<Worker | null>(null);
  const seq = useRef(0);
  const [state, setState] = useState<{ positions: Positions | null; error: string | null }>({
    positions: null,
    error: null,
  });
  const key = useMemo(() => (graph ? structureKey(graph) : null), [graph]);
  const latest = useRef(graph);
  latest.current = graph;

  useEffect(() => {
    const w = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    w.onmessage = (ev: MessageEvent<{ id: number; positions?: Positions; error?: string }>) => {
      if (ev.data.id !== seq.current) return;
      setState({ positions: ev.data.positions ?? null, error: ev.data.error ?? null });
    };
    return () => w.terminate();
  }, []);

  useEffect(() => {
    if (key === null || !worker.current || !latest.current) return;
    seq.current += 1;
    worker.current.postMessage({ id: seq.current, graph: latest.current });
  }, [key]);

  return state;
}
