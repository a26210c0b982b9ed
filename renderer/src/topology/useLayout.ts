import { useEffect, useRef, useState } from 'react';
import type { DisplayGraph } from './display';
import type { Positions } from './layout';

/** Lays a graph out in the worker; the newest request wins, older answers are dropped. */
export function useLayout(graph: DisplayGraph | null): { positions: Positions | null; error: string | null } {
  const worker = useRef<Worker | null>(null);
  const seq = useRef(0);
  const [state, setState] = useState<{ positions: Positions | null; error: string | null }>({
    positions: null,
    error: null,
  });

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
    if (!graph || !worker.current) return;
    seq.current += 1;
    worker.current.postMessage({ id: seq.current, graph });
  }, [graph]);

  return state;
}
