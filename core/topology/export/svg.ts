import ELK from 'elkjs/lib/elk.bundled.js';
import type { Health, Topology } from '../../../shared/schemas/topology';
import {
  type DisplayGraph,
  type DisplayNode,
  displayKindLabel,
  MAP_VM_LIMIT,
  toDisplayGraph,
} from '../../../shared/topology/display';
import { layoutDisplayGraph, type Positions } from '../../../shared/topology/layout';

export const healthColour: Record<Health, string> = {
  ok: '#1f9d55',
  warning: '#d98a00',
  critical: '#d64545',
  unknown: '#8a94a3',
};

const siteColour = { primary: '#2f6fed', secondary: '#7a4ff0' } as const;
const MARGIN = 32;
const HEADER = 56;

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Cut to what fits in the box: SVG text does not wrap or clip by itself. */
function clip(text: string, width: number, px: number): string {
  const max = Math.max(4, Math.floor(width / (px * 0.6)));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface Diagram {
  svg: string;
  width: number;
  height: number;
  graph: DisplayGraph;
}

/**
 * The map as the console lays it out: the same display graph (unprotected VMs collapsed per host
 * with counts, so 5,000 VMs stay readable) and the same ELK layout function, drawn as SVG.
 */
export async function renderDiagram(topology: Topology, title: string): Promise<Diagram> {
  const graph = toDisplayGraph(topology, { vmLimit: MAP_VM_LIMIT, search: '', site: 'all' });
  const positions: Positions = await layoutDisplayGraph(new ELK(), graph);
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
  const at = (n: DisplayNode) => {
    const p = positions[n.id]!;
    return { x: p.x + MARGIN, y: p.y + MARGIN + HEADER };
  };

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" role="img" aria-label="${escapeXml(title)}">`,
    `<rect width="${width}" height="${height}" fill="#f4f6f9"/>`,
    `<text x="${MARGIN}" y="34" font-size="20" font-weight="bold" fill="#1b2330">${escapeXml(title)}</text>`,
  );
  const counts = topology.nodes.reduce(
    (c, n) => {
      if (n.kind === 'vm' || n.kind === 'hyperv-vm') c.vms++;
      if (n.kind === 'esxi-host' || n.kind === 'hyperv-host') c.hosts++;
      return c;
    },
    { vms: 0, hosts: 0 },
  );
  const replicating = topology.edges.filter((e) => e.kind === 'replicates').length;
  out.push(
    `<text x="${width - MARGIN}" y="34" font-size="13" text-anchor="end" fill="#5b6675">${counts.hosts} hosts · ${counts.vms} VMs · ${replicating} replicating</text>`,
  );

  out.push('<g class="edges" fill="none">');
  for (const e of graph.edges) {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    if (!s || !t || !positions[s.id] || !positions[t.id]) continue;
    const a = at(s);
    const b = at(t);
    // Edges leave the side facing their target: right-growing primary, left-growing secondary.
    const rightwards = a.x <= b.x;
    const x1 = rightwards ? a.x + s.width : a.x;
    const x2 = rightwards ? b.x : b.x + t.width;
    const y1 = a.y + s.height / 2;
    const y2 = b.y + t.height / 2;
    const mid = (x1 + x2) / 2;
    const d = `M${x1.toFixed(1)},${y1.toFixed(1)} C${mid.toFixed(1)},${y1.toFixed(1)} ${mid.toFixed(1)},${y2.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}`;
    if (e.kind === 'replicates') {
      out.push(`<path d="${d}" stroke="${healthColour[e.health]}" stroke-width="2" stroke-dasharray="6 4"/>`);
    } else {
      out.push(`<path d="${d}" stroke="#b7c0cc" stroke-width="1"/>`);
    }
  }
  out.push('</g>');

  out.push('<g class="nodes">');
  for (const n of graph.nodes) {
    if (!positions[n.id]) continue;
    const { x, y } = at(n);
    const accent = n.site ? siteColour[n.site] : '#5b6675';
    const border = n.health === 'ok' || n.health === 'unknown' ? '#cfd6df' : healthColour[n.health];
    out.push(
      `<g class="node" data-id="${escapeXml(n.id)}" data-kind="${n.kind}" data-label="${escapeXml(n.label.toLowerCase())}" transform="translate(${x.toFixed(1)},${y.toFixed(1)})">`,
      `<title>${escapeXml(`${displayKindLabel[n.kind] ?? n.kind}: ${n.label}${n.detail ? ` (${n.detail})` : ''}`)}</title>`,
      `<rect width="${n.width}" height="${n.height}" rx="6" fill="#ffffff" stroke="${border}" stroke-width="${border === '#cfd6df' ? 1 : 2}"/>`,
      `<rect width="4" height="${n.height}" rx="2" fill="${accent}"/>`,
      `<circle cx="14" cy="11" r="4" fill="${healthColour[n.health]}"/>`,
      `<text x="23" y="14" font-size="10" fill="#5b6675">${escapeXml(displayKindLabel[n.kind] ?? n.kind)}</text>`,
      `<text x="10" y="28" font-size="12" font-weight="bold" fill="#1b2330">${escapeXml(clip(n.label, n.width - 16, 12))}</text>`,
    );
    if (n.detail) {
      out.push(
        `<text x="10" y="${n.height - 5}" font-size="10" fill="#5b6675">${escapeXml(clip(n.detail, n.width - 16, 10))}</text>`,
      );
    }
    out.push('</g>');
  }
  out.push('</g></svg>');
  return { svg: out.join('\n'), width, height, graph };
}
