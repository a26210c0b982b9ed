import type { Locale } from '../../../shared/i18n/locale';
import type { Health, Topology } from '../../../shared/schemas/topology';
import { type Box, Boxes, curve, labelBox, type Side } from '../../../shared/topology/edge-labels';
import { type ExportFold, exportMap } from '../../../shared/topology/export-view';
import type { Positions } from '../../../shared/topology/layout';
import type { MapEdge, MapGraph, MapNode } from '../../../shared/topology/map';
import {
  edgeWords,
  foldedFacts,
  healthName,
  kindName,
  mapWord,
  summaryWords,
} from '../../../shared/topology/map-text';
import { textWidth } from './fonts';

/**
 * The exported picture as plain shapes, drawn once here and written out by svg.ts (SVG, and so PNG
 * and HTML) and pdf.ts (the runbook's topology pages): the console map's graph
 * (shared/topology/map.ts) laid out by the console's layout (shared/topology/tree-layout.ts), with
 * the console's boxes, status colours and edges (renderer/src/views/TopologyView.tsx, styles.css),
 * and the console's words for them in the exporter's language (shared/topology/map-text.ts).
 */

/** The console's light palette (renderer/src/styles.css): the export is the map on paper. */
export const healthColour: Record<Health, string> = {
  ok: '#178045',
  warning: '#a86400',
  critical: '#c53030',
  unknown: '#8a94a3',
};
export const palette = {
  background: '#f4f6f9',
  ink: '#1c2430',
  muted: '#667085',
  line: '#dde3ea',
  containment: '#c3ccd8',
  primary: '#2f6fed',
  secondary: '#7a4ff0',
  siteFill: '#1f2a3b',
  siteMuted: '#aab6c7',
  tint: '#f1f5ff',
  panel: '#ffffff',
} as const;

export const MARGIN = 32;
export const HEADER = 56;

/**
 * Cut to what fits in the box, measured in the face the PDF and PNG embed (fonts.ts): neither SVG
 * nor the PDF clips text. Measured rather than guessed, so that a longer Dutch phrase keeps every
 * letter that fits.
 */
export function clip(
  text: string,
  width: number,
  size: number,
  style: { bold?: boolean; spacing?: number } = {},
): string {
  const fits = (s: string) => textWidth(s, size, style.bold, style.spacing) <= width;
  if (fits(text)) return text;
  const chars = [...text];
  let n = chars.length - 1;
  while (n > 3 && !fits(`${chars.slice(0, n).join('').trimEnd()}…`)) n--;
  return `${chars.slice(0, n).join('').trimEnd()}…`;
}

export type { Box } from '../../../shared/topology/edge-labels';

/** One line of text in a box, from the box's top-left; `y` is the baseline. */
export interface SceneText {
  x: number;
  y: number;
  text: string;
  size: number;
  fill: string;
  bold?: boolean;
  anchor?: 'middle' | 'end';
  /** Letter spacing (the console's kind line). */
  spacing?: number;
}

export interface SceneNode extends Box {
  node: MapNode;
  fill: string;
  border: string;
  /** The thick left edge: the site's colour, or the problem's. */
  accent: string;
  /** The health dot of the kind line (VMs have none, as on screen). */
  dot: string | null;
  texts: SceneText[];
  /** The tooltip: kind, name, facts and health. */
  title: string;
}

export interface SceneEdge {
  edge: MapEdge;
  /** Start, the two bezier control points, end. */
  points: [number, number, number, number, number, number, number, number];
  stroke: string;
  width: number;
  dash: boolean;
  title: string | null;
}

export interface SceneLabel extends Box {
  text: string;
}

export interface Scene {
  width: number;
  height: number;
  title: string;
  /** "13 hosts · 64 VMs · 51 replicating · 60 need attention". */
  summary: string;
  /** Containment first, then replication over it, as the console stacks them. */
  edges: SceneEdge[];
  /** Under the boxes, over the edges, as React Flow stacks them. */
  labels: SceneLabel[];
  nodes: SceneNode[];
  graph: MapGraph;
  /** Each node's top-left on the map, before the picture's margin and header. */
  positions: Positions;
}

export function buildScene(
  topology: Topology,
  title: string,
  fold: ExportFold,
  locale: Locale = 'en',
): Scene {
  const { graph, positions } = exportMap(topology, fold);
  let maxX = 0;
  let maxY = 0;
  for (const n of graph.nodes) {
    const p = positions[n.id];
    if (!p) continue;
    maxX = Math.max(maxX, p.x + n.width);
    maxY = Math.max(maxY, p.y + n.height);
  }
  const width = Math.ceil(Math.max(640, maxX + 2 * MARGIN));
  const height = Math.ceil(maxY + 2 * MARGIN + HEADER);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const at = (n: MapNode) => {
    const p = positions[n.id]!;
    return { x: p.x + MARGIN, y: p.y + MARGIN + HEADER };
  };

  const counts = { vms: 0, hosts: 0, attention: 0 };
  for (const n of topology.nodes) {
    if (n.kind === 'vm' || n.kind === 'hyperv-vm') counts.vms++;
    if (n.kind === 'esxi-host' || n.kind === 'hyperv-host') counts.hosts++;
    if (n.kind !== 'site' && (n.health === 'warning' || n.health === 'critical')) counts.attention++;
  }
  const replicating = topology.edges.filter((e) => e.kind === 'replicates').length;
  const summary = summaryWords(locale, { ...counts, replicating });

  // Containment runs outward from the site node, replication towards the other site (the handles of
  // renderer/src/views/TopologyView.tsx).
  const outward = (n: MapNode): Side => (n.site === 'secondary' ? 'left' : 'right');
  const inward = (n: MapNode): Side => (n.site === 'secondary' ? 'right' : 'left');
  const taken = new Boxes();
  for (const n of graph.nodes) if (positions[n.id]) taken.add({ ...at(n), width: n.width, height: n.height });

  const edges: SceneEdge[] = [];
  const labels: SceneLabel[] = [];
  const ordered = [
    ...graph.edges.filter((e) => e.kind === 'contains'),
    ...graph.edges.filter((e) => e.kind !== 'contains'),
  ];
  for (const e of ordered) {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    if (!s || !t || !positions[s.id] || !positions[t.id]) continue;
    const a = at(s);
    const b = at(t);
    // Containment leaves outward and arrives inward; replication leaves and arrives on the side
    // facing the other site.
    const fromSide = outward(s);
    const toSide = e.kind === 'contains' ? inward(t) : outward(t);
    const points: SceneEdge['points'] = curve(
      { x: fromSide === 'right' ? a.x + s.width : a.x, y: a.y + s.height / 2, side: fromSide },
      { x: toSide === 'right' ? b.x + t.width : b.x, y: b.y + t.height / 2, side: toSide },
    );
    if (e.kind !== 'replicates') {
      edges.push({ edge: e, points, stroke: palette.containment, width: 1, dash: false, title: null });
      continue;
    }
    const text = edgeWords(locale, e);
    edges.push({
      edge: e,
      points,
      stroke: healthColour[e.health],
      width: 2,
      dash: e.noPoint > 0,
      title: mapWord(locale, 'map.edge.replication', { from: s.label, to: t.label, what: text }),
    });
    // Words where they matter, as on screen: a problem edge says what is wrong; colour says the rest.
    // A label that would cover a box or another label is left to its colour and its tooltip, by the
    // rule the console's map follows (shared/topology/edge-labels.ts).
    if (e.health !== 'ok' && text) {
      const box = labelBox(points, text);
      if (taken.claim(box)) labels.push({ ...box, text });
    }
  }

  const nodes: SceneNode[] = [];
  for (const n of graph.nodes) {
    if (!positions[n.id]) continue;
    const { x, y } = at(n);
    const site = n.kind === 'site';
    const problem = n.health === 'warning' || n.health === 'critical' ? healthColour[n.health] : null;
    const detail = foldedFacts(locale, n);
    const kind = kindName(locale, n.kind);
    const vm = n.kind === 'vm' || n.kind === 'hyperv-vm';
    const strong = site ? '#ffffff' : palette.ink;
    const weak = site ? palette.siteMuted : palette.muted;
    const texts: SceneText[] = [];
    // VMs show no kind line (as on screen): name, then facts.
    let labelY = 19;
    if (!vm) {
      const kindText = kind.toLocaleUpperCase(locale);
      texts.push({
        x: 26,
        y: 16,
        text: clip(kindText, n.width - 52, 10, { spacing: 0.6 }),
        size: 10,
        fill: weak,
        spacing: 0.6,
      });
      // The fold sign, where the console has its toggle: ▸ folded (counts below), ▾ open.
      if (n.expanded !== null)
        texts.push({
          x: n.width - 10,
          y: 17,
          text: n.expanded ? '▾' : '▸',
          size: 13,
          fill: strong,
          anchor: 'end',
        });
      labelY = 34;
    }
    texts.push({
      x: 13,
      y: labelY,
      text: clip(n.label, n.width - 22, 12.5, { bold: true }),
      size: 12.5,
      fill: strong,
      bold: true,
    });
    if (detail)
      texts.push({ x: 13, y: labelY + 15, text: clip(detail, n.width - 22, 11), size: 11, fill: weak });
    nodes.push({
      node: n,
      x,
      y,
      width: n.width,
      height: n.height,
      fill: site
        ? palette.siteFill
        : n.kind === 'vcenter' || n.kind === 'hyperv-host'
          ? palette.tint
          : palette.panel,
      border: problem ?? (site ? palette.siteFill : palette.line),
      accent: problem ?? (site ? palette.siteFill : n.site ? palette[n.site] : healthColour.unknown),
      dot: vm ? null : healthColour[n.health],
      texts,
      title: `${kind}: ${n.label}${detail ? ` (${detail})` : ''}${n.health === 'ok' ? '' : `, ${healthName(locale, n.health)}`}`,
    });
  }
  return { width, height, title, summary, edges, labels, nodes, graph, positions };
}

/** The left edge of a box of this height, from its top-left: a thick stroke following the rounded corners. */
export function accentPath(height: number): string {
  return `M8,0.5 H4 A3.5,7.5 0 0 0 0.5,8 V${height - 8} A3.5,7.5 0 0 0 4,${height - 0.5} H8`;
}
