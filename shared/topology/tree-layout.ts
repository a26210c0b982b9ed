import type { LayoutBox, Positions } from './layout';

/**
 * The console map's layout. The map draws a containment forest (site > vCenter > cluster > host >
 * VM, and the configuration server's parts), so a tree layout places it exactly, in time linear
 * in the nodes: depth is the column, each subtree a block of rows, a parent centred on its
 * children, and a long list of leaves (a host's VMs) folded into a grid. The primary site grows to
 * the right and the secondary to the left, so the two face each other across the gap where the
 * replication edges run.
 *
 * Incremental: each subtree's arrangement is kept under a hash of its shape; opening or closing a
 * host lays out that host and the blocks above it again, nothing else.
 */

/** Distance from a node's left edge to its children's. */
export const COLUMN_PITCH = 290;
/** Gap between two sibling blocks. */
export const ROW_GAP = 14;
/** Gap between the two sites. */
export const SITE_GAP = 360;
/** A parent with at least this many VMs (and nothing else) below it draws them as a grid. */
const GRID_FROM = 12;
const gridKinds = new Set(['vm', 'hyperv-vm']);
const GRID_COLUMN_GAP = 16;

interface Subtree {
  hash: number;
  width: number;
  height: number;
  /** The root's offset from the block's top. */
  rootY: number;
  /** Each child block's top-left, from this block's top-left. */
  children: Array<{ id: string; dx: number; dy: number }>;
}

/** Arrangements of subtrees kept between layouts, by node id (checked against the hash). */
export type TreeLayoutCache = Map<string, Subtree>;

function fnv(text: string, seed = 0x811c9dc5): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface TreeLayoutInput {
  nodes: Array<LayoutBox & { kind?: string }>;
  /** Containment, parent to child: the tree the layout follows. */
  edges: Array<{ source: string; target: string; kind: string }>;
}

export function layoutTree(graph: TreeLayoutInput, cache: TreeLayoutCache = new Map()): Positions {
  const box = new Map(graph.nodes.map((n) => [n.id, n]));
  const kids = new Map<string, string[]>();
  const hasParent = new Set<string>();
  for (const e of graph.edges) {
    if (e.kind !== 'contains' || !box.has(e.source) || !box.has(e.target)) continue;
    const list = kids.get(e.source);
    if (list) list.push(e.target);
    else kids.set(e.source, [e.target]);
    hasParent.add(e.target);
  }

  const arrange = (id: string): Subtree => {
    const own = box.get(id)!;
    const children = (kids.get(id) ?? []).map((c) => ({ id: c, sub: arrange(c) }));
    let text = `${own.width}x${own.height}`;
    for (const c of children) text += `|${c.id}:${c.sub.hash}`;
    const hash = fnv(text);
    const kept = cache.get(id);
    if (kept && kept.hash === hash) return kept;

    const placed: Subtree['children'] = [];
    let blockHeight = 0;
    let width = own.width;
    if (
      children.length >= GRID_FROM &&
      children.every((c) => c.sub.children.length === 0 && gridKinds.has(box.get(c.id)!.kind ?? ''))
    ) {
      // Leaves in columns of roughly a third of their number's square root rows each: 96 VMs in 6 × 17.
      const rows = Math.max(GRID_FROM, Math.ceil(Math.sqrt(children.length * 3)));
      const cellW = Math.max(...children.map((c) => c.sub.width)) + GRID_COLUMN_GAP;
      const cellH = Math.max(...children.map((c) => c.sub.height)) + ROW_GAP;
      children.forEach((c, i) => {
        const dx = COLUMN_PITCH + Math.floor(i / rows) * cellW;
        placed.push({ id: c.id, dx, dy: (i % rows) * cellH });
        width = Math.max(width, dx + c.sub.width);
      });
      blockHeight = Math.min(rows, children.length) * cellH - ROW_GAP;
    } else {
      let y = 0;
      for (const c of children) {
        placed.push({ id: c.id, dx: COLUMN_PITCH, dy: y });
        width = Math.max(width, COLUMN_PITCH + c.sub.width);
        y += c.sub.height + ROW_GAP;
      }
      blockHeight = Math.max(0, y - ROW_GAP);
    }
    let sub: Subtree;
    if (blockHeight >= own.height) {
      // The parent sits level with the middle of its children's block.
      sub = { hash, width, height: blockHeight, rootY: (blockHeight - own.height) / 2, children: placed };
    } else {
      const shift = (own.height - blockHeight) / 2;
      sub = {
        hash,
        width,
        height: own.height,
        rootY: 0,
        children: placed.map((p) => ({ ...p, dy: p.dy + shift })),
      };
    }
    cache.set(id, sub);
    return sub;
  };

  const out: Positions = {};
  const sites: Array<{ site: 'primary' | 'secondary'; width: number; height: number; at: Positions }> = [];
  for (const site of ['primary', 'secondary'] as const) {
    const roots = graph.nodes.filter((n) => (n.site ?? 'primary') === site && !hasParent.has(n.id));
    const at: Positions = {};
    let top = 0;
    let width = 0;
    for (const r of roots) {
      const sub = arrange(r.id);
      const place = (id: string, s: Subtree, x: number, y: number) => {
        at[id] = { x, y: y + s.rootY };
        for (const c of s.children) place(c.id, cache.get(c.id)!, x + c.dx, y + c.dy);
      };
      place(r.id, sub, 0, top);
      top += sub.height + ROW_GAP * 3;
      width = Math.max(width, sub.width);
    }
    sites.push({ site, width, height: Math.max(0, top - ROW_GAP * 3), at });
  }
  const [primary, secondary] = sites as [(typeof sites)[0], (typeof sites)[0]];
  const tallest = Math.max(primary.height, secondary.height);
  for (const [id, p] of Object.entries(primary.at))
    out[id] = { x: p.x, y: p.y + (tallest - primary.height) / 2 };
  const offset = primary.width + (primary.width > 0 ? SITE_GAP : 0);
  for (const [id, p] of Object.entries(secondary.at)) {
    // Mirrored: the secondary's site node on the far right, its leaves facing the primary's.
    out[id] = {
      x: offset + secondary.width - p.x - box.get(id)!.width,
      y: p.y + (tallest - secondary.height) / 2,
    };
  }
  return out;
}
