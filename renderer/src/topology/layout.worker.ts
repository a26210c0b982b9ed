import ELK from 'elkjs/lib/elk.bundled.js';
import type { DisplayGraph } from './display';
import { combineSites, toElkGraphs } from './layout';

// Layout runs here so that a 5,000-VM estate never freezes the window while ELK works.
const elk = new ELK();

self.onmessage = async (ev: MessageEvent<{ id: number; graph: DisplayGraph }>) => {
  const { id, graph } = ev.data;
  try {
    const results = await Promise.all(
      toElkGraphs(graph).map(async ({ site, elk: request }) => ({ site, elk: await elk.layout(request) })),
    );
    self.postMessage({ id, positions: combineSites(results) });
  } catch (err) {
    self.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
