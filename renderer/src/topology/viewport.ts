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

/** Below this zoom a node's name is too small to read: its 12.5 px text would draw under 9 px. */
export const READABLE_ZOOM = 0.75;
export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 1.5;
const PADDING = 48;

export function boundsOf(
  ids: Iterable<string>,
  positions: Positions,
  sizes: ReadonlyMap<string, { width: number; height: number }>,
): Box | null {
  const boxes: Box[] = [];
  for (const id of ids) {
    const p = positions[id];
    const s = sizes.get(id);
    if (p && s) boxes.push({ x: p.x, y: p.y, width: s.width, height: s.height });
  }
  return unionOf(boxes);
}

/** The box around boxes (nodes and edge labels alike). */
export function unionOf(boxes: Iterable<Box>): Box | null {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const b of boxes) {
    x1 = Math.min(x1, b.x);
    y1 = Math.min(y1, b.y);
    x2 = Math.max(x2, b.x + b.width);
    y2 = Math.max(y2, b.y + b.height);
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

/** Screen pixels kept between a node drawn at the canvas's edge and the edge itself. */
const EDGE_MARGIN = 12;

/**
 * Where along one axis a view of `span` starting near `start` cuts no box: each box either lies
 * inside (with the margin) or wholly outside. The candidates are the starts that put a box's edge
 * just inside or just past a view edge; the nearest with fewest cuts wins, `keep` inside if it fits.
 */
function settleAxis(
  start: number,
  span: number,
  margin: number,
  boxes: ReadonlyArray<readonly [number, number]>,
  keep: readonly [number, number] | null,
): number {
  const cuts = (s: number) => {
    let n = 0;
    for (const [lo, hi] of boxes)
      if (lo < s + span && hi > s && (lo < s + margin || hi > s + span - margin)) n++;
    return n;
  };
  const keepFits = keep !== null && keep[1] - keep[0] <= span - 2 * margin;
  const score = (s: number) =>
    (keepFits && (keep[0] < s + margin || keep[1] > s + span - margin) ? 1e12 : 0) +
    cuts(s) * 1e6 +
    Math.abs(s - start);
  const candidates = [start];
  for (const [lo, hi] of boxes) {
    // Only boxes near the view's edges can decide where they go.
    if (hi < start - span || lo > start + 2 * span) continue;
    // Inside by the margin, or out past the edge by a little (no sliver of a border left showing).
    candidates.push(lo - margin, hi + margin / 4, hi + margin - span, lo - margin / 4 - span);
  }
  let best = start;
  let bestScore = score(start);
  for (const c of candidates) {
    const v = score(c);
    if (v < bestScore) {
      best = c;
      bestScore = v;
    }
  }
  return best;
}

/**
 * The view moved the least so that no node is cut at the canvas's edges: each is drawn whole or not
 * at all (an operator reads a half node as a whole one). The zoom stays; `keep` stays inside.
 */
export function settle(
  view: Viewport,
  boxes: readonly Box[],
  area: { width: number; height: number },
  keep: Box | null = null,
): Viewport {
  const z = view.zoom;
  let left = -view.x / z;
  let top = -view.y / z;
  const w = area.width / z;
  const h = area.height / z;
  const m = EDGE_MARGIN / z;
  // Twice: settling one axis changes which boxes lie across the other.
  for (let pass = 0; pass < 2; pass++) {
    const rows = boxes.filter((b) => b.y < top + h && b.y + b.height > top);
    left = settleAxis(
      left,
      w,
      m,
      rows.map((b) => [b.x, b.x + b.width] as const),
      keep && [keep.x, keep.x + keep.width],
    );
    const columns = boxes.filter((b) => b.x < left + w && b.x + b.width > left);
    top = settleAxis(
      top,
      h,
      m,
      columns.map((b) => [b.y, b.y + b.height] as const),
      keep && [keep.y, keep.y + keep.height],
    );
  }
  return { x: -left * z, y: -top * z, zoom: z };
}

/**
 * A readable view of `focus`: the zoom that fits it, never below READABLE_ZOOM nor above `maxZoom`;
 * what does not fit is left to panning, and no node is cut at the edges.
 */
export function readableView(
  focus: Box,
  boxes: readonly Box[],
  area: { width: number; height: number },
  { maxZoom = 1, keep = focus }: { maxZoom?: number; keep?: Box | null } = {},
): Viewport {
  const view = viewportFor(focus, area, {
    minZoom: READABLE_ZOOM,
    maxZoom: Math.max(READABLE_ZOOM, maxZoom),
  });
  return settle(view, boxes, area, keep);
}

/**
 * Where the map opens, and where its fit button goes: the whole estate when it fits at a readable
 * zoom; otherwise at the readable zoom (as much of the estate as can be read) centred on what needs
 * attention, or on the estate's middle, where the sites face each other. No node is cut at the edges.
 */
export function openingViewport(
  all: Box,
  attention: Box | null,
  area: { width: number; height: number },
  boxes: readonly Box[] = [],
): Viewport {
  if (fitZoom(all, area) >= READABLE_ZOOM) return viewportFor(all, area, { maxZoom: 1 });
  return readableView(attention ?? all, boxes, area, { maxZoom: READABLE_ZOOM, keep: attention });
}

/** Each drawn node's box on the map. */
export function boxesOf(
  positions: Positions,
  sizes: ReadonlyMap<string, { width: number; height: number }>,
): Box[] {
  const out: Box[] = [];
  for (const [id, p] of Object.entries(positions)) {
    const s = sizes.get(id);
    if (s) out.push({ x: p.x, y: p.y, width: s.width, height: s.height });
  }
  return out;
}
