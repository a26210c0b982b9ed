import ELK from 'elkjs/lib/elk.bundled.js';
import type { DisplayGraph } from '../../../shared/topology/display';
import { layoutDisplayGraph } from '../../../shared/topology/layout';

// Layout runs here so that a 5,000-VM estate never freezes the window while ELK works.
const elk = new ELK();

self.onmessage = async (ev: MessageEvent<{ id: number; graph: DisplayGraph }>) => {
  const { id, graph } = ev.data;
  try {
    self.postMessage({ id, positions: await layoutDisplayGraph(elk, graph) });
  } catch (err) {
    self.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
