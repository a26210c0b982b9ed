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

type Sizes = ReadonlyMap<string, { width: number; height: number }>;

/** The boxes of the nodes named that are drawn. */
export function boxesIn(ids: Iterable<string>, positions: Positions, sizes: Sizes): Box[] {
  const boxes: Box[] = [];
  for (const id of ids) {
    const p = positions[id];
    const s = sizes.get(id);
    if (p && s) boxes.push({ x: p.x, y: p.y, width: s.width, height: s.height });
  }
  return boxes;
}

export function boundsOf(ids: Iterable<string>, positions: Positions, sizes: Sizes): Box | null {
  return unionOf(boxesIn(ids, positions, sizes));
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
 * What the view must show, in order: `keep` inside whole; of `focus`, as many boxes whole as fit.
 * Nodes come next (none cut), then edge labels, which the map leaves out where the view would cut
 * them (`cutBy`): words are worth keeping whole, but not at the cost of a node.
 */
export interface SettleGoal {
  keep?: Box | null;
  focus?: readonly Box[];
}

type Span = readonly [number, number];

/**
 * Where along one axis a view of `span` starting near `start` cuts no box: each box either lies
 * inside (with the margin) or wholly outside. The candidates are the starts that put a box's edge
 * just inside or just past a view edge. Ranked in order: `keep` inside if it fits; most of `focus`
 * drawn whole, and fewest of it cut; fewest nodes cut, then labels; the least move. The focus comes
 * before the cuts: where a grid of VMs is wider than the view, pushing all of it past the edge cuts
 * none of them, and shows none of what the operator opened; a node of another branch cut at the
 * edge costs them less.
 */
function settleAxis(
  start: number,
  span: number,
  margin: number,
  boxes: ReadonlyArray<Span>,
  labels: ReadonlyArray<Span>,
  keep: Span | null,
  focus: ReadonlyArray<Span>,
): number {
  const inside = (s: number, [lo, hi]: Span) => lo >= s + margin && hi <= s + span - margin;
  const cut = (s: number, [lo, hi]: Span) =>
    lo < s + span && hi > s && (lo < s + margin || hi > s + span - margin);
  const count = (spans: ReadonlyArray<Span>, test: (b: Span) => boolean) =>
    spans.reduce((n, b) => n + (test(b) ? 1 : 0), 0);
  const keepFits = keep !== null && keep[1] - keep[0] <= span - 2 * margin;
  const rank = (s: number) => [
    keepFits && !inside(s, keep) ? 1 : 0,
    count(focus, (b) => !inside(s, b)),
    count(focus, (b) => cut(s, b)),
    count(boxes, (b) => cut(s, b)),
    count(labels, (b) => cut(s, b)),
    Math.abs(s - start),
  ];
  const before = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
    return false;
  };
  const candidates = [start];
  for (const [lo, hi] of [...boxes, ...labels]) {
    // Only boxes near the view's edges can decide where they go.
    if (hi < start - span || lo > start + 2 * span) continue;
    // Inside by the margin, or out past the edge by a little (no sliver of a border left showing).
    candidates.push(lo - margin, hi + margin / 4, hi + margin - span, lo - margin / 4 - span);
  }
  let best = start;
  let bestRank = rank(start);
  for (const c of candidates) {
    const r = rank(c);
    if (before(r, bestRank)) {
      best = c;
      bestRank = r;
    }
  }
  return best;
}

/**
 * The view moved the least so that no node is cut at the canvas's edges: each is drawn whole or not
 * at all (an operator reads a half node as a whole one). The zoom stays; `goal.keep` stays inside,
 * and as much of `goal.focus` as can be drawn whole is.
 */
export function settle(
  view: Viewport,
  boxes: readonly Box[],
  area: { width: number; height: number },
  { keep = null, focus = [] }: SettleGoal = {},
  labels: readonly Box[] = [],
): Viewport {
  const z = view.zoom;
  let left = -view.x / z;
  let top = -view.y / z;
  const w = area.width / z;
  const h = area.height / z;
  const m = EDGE_MARGIN / z;
  const across = (a: number, b: number, from: number, to: number) => a < to && b > from;
  // Twice: settling one axis changes which boxes lie across the other.
  for (let pass = 0; pass < 2; pass++) {
    const inRows = (b: Box) => across(b.y, b.y + b.height, top, top + h);
    const xs = (of: readonly Box[]) => of.filter(inRows).map((b) => [b.x, b.x + b.width] as const);
    left = settleAxis(left, w, m, xs(boxes), xs(labels), keep && [keep.x, keep.x + keep.width], xs(focus));
    const inColumns = (b: Box) => across(b.x, b.x + b.width, left, left + w);
    const ys = (of: readonly Box[]) => of.filter(inColumns).map((b) => [b.y, b.y + b.height] as const);
    top = settleAxis(top, h, m, ys(boxes), ys(labels), keep && [keep.y, keep.y + keep.height], ys(focus));
  }
  return { x: -left * z, y: -top * z, zoom: z };
}

/**
 * A readable view of `focus`: the zoom that fits it, never below READABLE_ZOOM nor above `maxZoom`;
 * what does not fit is left to panning, and no node is cut at the edges. Of the boxes in `show`
 * (what the operator asked to see: search hits, an opened host's VMs) as many are drawn as fit.
 */
export function readableView(
  focus: Box,
  boxes: readonly Box[],
  area: { width: number; height: number },
  {
    maxZoom = 1,
    keep = focus,
    show = [],
    labels = [],
  }: { maxZoom?: number; keep?: Box | null; show?: readonly Box[]; labels?: readonly Box[] } = {},
): Viewport {
  const view = viewportFor(focus, area, {
    minZoom: READABLE_ZOOM,
    maxZoom: Math.max(READABLE_ZOOM, maxZoom),
  });
  return settle(view, boxes, area, { keep, focus: show }, labels);
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
  labels: readonly Box[] = [],
): Viewport {
  if (fitZoom(all, area) >= READABLE_ZOOM) return viewportFor(all, area, { maxZoom: 1 });
  return readableView(attention ?? all, boxes, area, {
    maxZoom: READABLE_ZOOM,
    keep: attention,
    labels,
  });
}

/** Whether a view draws a box across the canvas's edge: partly inside, partly out. */
export function cutBy(view: Viewport, box: Box, area: { width: number; height: number }): boolean {
  const x1 = box.x * view.zoom + view.x;
  const y1 = box.y * view.zoom + view.y;
  const x2 = x1 + box.width * view.zoom;
  const y2 = y1 + box.height * view.zoom;
  const shown = x1 < area.width && x2 > 0 && y1 < area.height && y2 > 0;
  return shown && (x1 < 0 || y1 < 0 || x2 > area.width || y2 > area.height);
}

/** Each drawn node's box on the map. */
export function boxesOf(positions: Positions, sizes: Sizes): Box[] {
  return boxesIn(Object.keys(positions), positions, sizes);
}
