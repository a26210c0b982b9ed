import type { Positions } from '../../../shared/topology/layout';

/**
 * Where the map looks: pure functions from positions and the canvas size to a React Flow viewport,
 * so that opening, searching, filtering and expanding each land somewhere an operator can read.
 */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/** Below this zoom a node's name is too small to read (12.5 px text at 0.7 is under 9 px). */
export const READABLE_ZOOM = 0.7;
export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 1.5;
const PADDING = 48;

export function boundsOf(
  ids: Iterable<string>,
  positions: Positions,
  sizes: ReadonlyMap<string, { width: number; height: number }>,
): Box | null {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const id of ids) {
    const p = positions[id];
    const s = sizes.get(id);
    if (!p || !s) continue;
    x1 = Math.min(x1, p.x);
    y1 = Math.min(y1, p.y);
    x2 = Math.max(x2, p.x + s.width);
    y2 = Math.max(y2, p.y + s.height);
  }
  return x1 === Infinity ? null : { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

/** The zoom at which a box fits the area with a margin. */
export function fitZoom(box: Box, area: { width: number; height: number }): number {
  const w = Math.max(1, area.width - 2 * PADDING);
  const h = Math.max(1, area.height - 2 * PADDING);
  return Math.min(w / Math.max(box.width, 1), h / Math.max(box.height, 1));
}

/** A viewport centred on a box, at the zoom that fits it, kept within [minZoom, maxZoom]. */
export function viewportFor(
  box: Box,
  area: { width: number; height: number },
  { minZoom = MIN_ZOOM, maxZoom = 1 }: { minZoom?: number; maxZoom?: number } = {},
): Viewport {
  const zoom = Math.min(maxZoom, Math.max(minZoom, fitZoom(box, area)));
  return {
    x: area.width / 2 - (box.x + box.width / 2) * zoom,
    y: area.height / 2 - (box.y + box.height / 2) * zoom,
    zoom,
  };
}

/**
 * Where the map opens: the whole estate when it fits at a readable zoom; otherwise centred on what
 * needs attention (or on the whole estate's middle, where the sites face each other) at a zoom that
 * can still be read.
 */
export function openingViewport(
  all: Box,
  attention: Box | null,
  area: { width: number; height: number },
): Viewport {
  if (fitZoom(all, area) >= READABLE_ZOOM) return viewportFor(all, area, { maxZoom: 1 });
  return viewportFor(attention ?? all, area, { minZoom: READABLE_ZOOM, maxZoom: 1 });
}
