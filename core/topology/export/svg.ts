import type { Locale } from '../../../shared/i18n/locale';
import type { Topology } from '../../../shared/schemas/topology';
import type { ExportFold } from '../../../shared/topology/export-view';
import type { Positions } from '../../../shared/topology/layout';
import type { MapGraph } from '../../../shared/topology/map';
import { accentPath, buildScene, MARGIN, palette, type SceneText } from './scene';

export { healthColour } from './scene';

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface Diagram {
  svg: string;
  width: number;
  height: number;
  graph: MapGraph;
  /** Each node's top-left on the map, before the picture's margin and header. */
  positions: Positions;
}

const f = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

function text(t: SceneText): string {
  const anchor = t.anchor ? ` text-anchor="${t.anchor}"` : '';
  const weight = t.bold ? ' font-weight="bold"' : '';
  const spacing = t.spacing ? ` letter-spacing="${t.spacing}"` : '';
  return `<text x="${f(t.x)}" y="${f(t.y)}" font-size="${t.size}"${weight}${spacing}${anchor} fill="${t.fill}">${escapeXml(t.text)}</text>`;
}

/**
 * The console's map drawn as SVG (scene.ts): the same graph, folded as `fold` says, the same
 * layout, the two sites facing each other, boxes, status colours and edges as the console draws
 * them, in `locale`'s words. Each box is a `g.node` with its id and label, for the HTML export's search.
 */
export function renderDiagram(
  topology: Topology,
  title: string,
  fold: ExportFold,
  locale: Locale = 'en',
): Diagram {
  const scene = buildScene(topology, title, fold, locale);
  const { width, height } = scene;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" role="img" xml:lang="${locale}" aria-label="${escapeXml(title)}">`,
    `<rect width="${width}" height="${height}" fill="${palette.background}"/>`,
    `<text x="${MARGIN}" y="34" font-size="20" font-weight="bold" fill="${palette.ink}">${escapeXml(title)}</text>`,
    `<text x="${width - MARGIN}" y="34" font-size="13" text-anchor="end" fill="${palette.muted}">${escapeXml(scene.summary)}</text>`,
  );
  out.push('<g class="edges" fill="none">');
  for (const e of scene.edges) {
    const [x1, y1, c1x, c1y, c2x, c2y, x2, y2] = e.points.map(f);
    const d = `M${x1},${y1} C${c1x},${c1y} ${c2x},${c2y} ${x2},${y2}`;
    const cls = e.edge.kind === 'replicates' ? ' class="replication"' : '';
    const dash = e.dash ? ' stroke-dasharray="6 4"' : '';
    const attrs = `${cls} d="${d}" stroke="${e.stroke}" stroke-width="${e.width}"${dash}`;
    out.push(e.title ? `<path${attrs}><title>${escapeXml(e.title)}</title></path>` : `<path${attrs}/>`);
  }
  out.push('</g>');
  out.push('<g class="edge-labels">');
  for (const l of scene.labels)
    out.push(
      `<g class="edge-label"><rect x="${f(l.x)}" y="${f(l.y)}" width="${f(l.width)}" height="${l.height}" rx="3" fill="${palette.panel}"/>${text({ x: l.x + l.width / 2, y: l.y + 13, text: l.text, size: 11, fill: palette.ink, anchor: 'middle' })}</g>`,
    );
  out.push('</g>');
  out.push('<g class="nodes">');
  for (const n of scene.nodes) {
    out.push(
      `<g class="node" data-id="${escapeXml(n.node.id)}" data-kind="${n.node.kind}" data-label="${escapeXml(n.node.label.toLowerCase())}" transform="translate(${n.x.toFixed(1)},${n.y.toFixed(1)})">`,
      `<title>${escapeXml(n.title)}</title>`,
      `<rect x="0.5" y="0.5" width="${n.width - 1}" height="${n.height - 1}" rx="8" fill="${n.fill}" stroke="${n.border}"/>`,
      `<path d="${accentPath(n.height)}" fill="none" stroke="${n.accent}" stroke-width="4"/>`,
    );
    if (n.dot) out.push(`<circle cx="17.5" cy="12.5" r="4.5" fill="${n.dot}"/>`);
    for (const t of n.texts) out.push(text(t));
    out.push('</g>');
  }
  out.push('</g></svg>');
  return { svg: out.join('\n'), width, height, graph: scene.graph, positions: scene.positions };
}
