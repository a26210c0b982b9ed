/**
 * Where a replication edge's words go, and whether they go at all: one rule for the console's map
 * (renderer/src/views/TopologyView.tsx) and the exported picture (core/topology/export/scene.ts). A
 * label sits at the middle of its edge's curve; a label that would cover a node's box or a label
 * already placed is left out, its edge keeping its colour and its accessible name or tooltip.
 */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Side = 'left' | 'right';

/** Edge labels' text size on screen and on paper. */
export const LABEL_PX = 11;

/** Boxes on the map, bucketed in a grid so that a 5,000-box map is checked in linear time. */
export class Boxes {
  private readonly cells = new Map<string, Box[]>();
  private static readonly CELL = 256;
  private keys(b: Box): string[] {
    const c = Boxes.CELL;
    const out: string[] = [];
    for (let i = Math.floor(b.x / c); i <= Math.floor((b.x + b.width) / c); i++)
      for (let j = Math.floor(b.y / c); j <= Math.floor((b.y + b.height) / c); j++) out.push(`${i},${j}`);
    return out;
  }
  add(b: Box): void {
    for (const k of this.keys(b)) {
      const list = this.cells.get(k);
      if (list) list.push(b);
      else this.cells.set(k, [b]);
    }
  }
  hits(b: Box): boolean {
    return this.keys(b).some((k) =>
      (this.cells.get(k) ?? []).some(
        (o) => b.x < o.x + o.width && o.x < b.x + b.width && b.y < o.y + o.height && o.y < b.y + b.height,
      ),
    );
  }
  /** Takes the box if it is free, and says whether it was. */
  claim(b: Box): boolean {
    if (this.hits(b)) return false;
    this.add(b);
    return true;
  }
}

/** React Flow's bezier control point (getBezierPath, curvature 0.25), so edges bend as on screen. */
export function control(side: Side, x1: number, y1: number, x2: number): [number, number] {
  const offset = (d: number) => (d >= 0 ? 0.5 * d : 0.25 * 25 * Math.sqrt(-d));
  return side === 'left' ? [x1 - offset(x1 - x2), y1] : [x1 + offset(x2 - x1), y1];
}

/** An edge's curve: start, the two control points, end. */
export function curve(
  from: { x: number; y: number; side: Side },
  to: { x: number; y: number; side: Side },
): [number, number, number, number, number, number, number, number] {
  const [c1x, c1y] = control(from.side, from.x, from.y, to.x);
  const [c2x, c2y] = control(to.side, to.x, to.y, from.x);
  return [from.x, from.y, c1x, c1y, c2x, c2y, to.x, to.y];
}

/** The box of a label at the middle of a curve (where React Flow draws it), sized for its text. */
export function labelBox(points: readonly number[], text: string): Box {
  const [x1, y1, c1x, c1y, c2x, c2y, x2, y2] = points as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const lx = x1 * 0.125 + c1x * 0.375 + c2x * 0.375 + x2 * 0.125;
  const ly = y1 * 0.125 + c1y * 0.375 + c2y * 0.375 + y2 * 0.125;
  const w = text.length * LABEL_PX * 0.6 + 8;
  return { x: lx - w / 2, y: ly - 9, width: w, height: 18 };
}
