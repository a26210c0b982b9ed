import type { ExportWordKey } from '../../../shared/i18n/export-words';
import type { Values } from '../../../shared/i18n/speak';
import { fallbackChain, runs, textWidth } from './fonts';
import { accentPath, type Box, clip, palette, type Scene, type SceneText } from './scene';

type Doc = PDFKit.PDFDocument;

/** A4, landscape or portrait, whichever prints the map on fewer pages. */
const A4 = { long: 841.89, short: 595.28 };
const M = 40;
const TITLE = 34;
/**
 * The smallest scale a printed map is drawn at: a name (12.5 px) prints at 6 pt, a box's facts at
 * 5.5 pt, still readable on paper. A map that only fits a page smaller than that is printed once
 * whole, to see where things are, and then in pages at this scale or more.
 */
export const READABLE_SCALE = 0.5;

interface Plan {
  page: { width: number; height: number };
  area: { width: number; height: number };
  /** The scale at which the whole map fits one page. */
  fit: number;
  columns: number;
  rows: number;
  /** The scale of the parts: at least READABLE_SCALE, as large as the same number of pages allows. */
  scale: number;
  pages: number;
}

function plan(scene: Scene, page: { width: number; height: number }): Plan {
  const area = { width: page.width - 2 * M, height: page.height - 2 * M - TITLE };
  const fit = Math.min(1, area.width / scene.width, area.height / scene.height);
  if (fit >= READABLE_SCALE) return { page, area, fit, columns: 1, rows: 1, scale: fit, pages: 1 };
  const columns = Math.ceil((scene.width * READABLE_SCALE) / area.width);
  const rows = Math.ceil((scene.height * READABLE_SCALE) / area.height);
  const scale = Math.min(1, (columns * area.width) / scene.width, (rows * area.height) / scene.height);
  return { page, area, fit, columns, rows, scale, pages: 1 + columns * rows };
}

/** A line of the scene at (x0, y0), each character in a face that has it (fonts.ts), as the SVG aligns it. */
function sceneText(doc: Doc, t: SceneText, x0: number, y0: number): void {
  const parts = runs(t.text, fallbackChain(t.bold ?? false));
  doc.fontSize(t.size);
  const options = { lineBreak: false, baseline: 'alphabetic', characterSpacing: t.spacing ?? 0 } as const;
  const widths = parts.map((r) => doc.font(r.face).widthOfString(r.text, options));
  const total = widths.reduce((s, w) => s + w, 0);
  let x = x0 + t.x - (t.anchor === 'end' ? total : t.anchor === 'middle' ? total / 2 : 0);
  doc.fillColor(t.fill);
  parts.forEach((r, i) => {
    doc.font(r.face).text(r.text, x, y0 + t.y, options);
    x += widths[i]!;
  });
}

const meets = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Draws the part `view` of the scene (scene pixels) into the page's map area, `scale` points a pixel. */
function drawView(doc: Doc, scene: Scene, view: Box, scale: number): void {
  doc.save();
  doc.rect(M, M + TITLE, view.width * scale, view.height * scale).clip();
  doc
    .translate(M, M + TITLE)
    .scale(scale)
    .translate(-view.x, -view.y);
  doc.rect(view.x, view.y, view.width, view.height).fill(palette.background);
  for (const e of scene.edges) {
    const [x1, y1, c1x, c1y, c2x, c2y, x2, y2] = e.points;
    const bounds = {
      x: Math.min(x1, c1x, c2x, x2),
      y: Math.min(y1, y2),
      width: Math.abs(Math.max(x1, c1x, c2x, x2) - Math.min(x1, c1x, c2x, x2)) + 1,
      height: Math.abs(y2 - y1) + 1,
    };
    if (!meets(bounds, view)) continue;
    doc.moveTo(x1, y1).bezierCurveTo(c1x, c1y, c2x, c2y, x2, y2).lineWidth(e.width);
    if (e.dash) doc.dash(6, { space: 4 });
    doc.stroke(e.stroke);
    if (e.dash) doc.undash();
  }
  for (const l of scene.labels) {
    if (!meets(l, view)) continue;
    doc.roundedRect(l.x, l.y, l.width, l.height, 3).fill(palette.panel);
    sceneText(
      doc,
      { x: l.width / 2, y: 13, text: l.text, size: 11, fill: palette.ink, anchor: 'middle' },
      l.x,
      l.y,
    );
  }
  for (const n of scene.nodes) {
    if (!meets(n, view)) continue;
    doc.save().translate(n.x, n.y);
    doc
      .roundedRect(0.5, 0.5, n.width - 1, n.height - 1, 8)
      .lineWidth(1)
      .fillAndStroke(n.fill, n.border);
    doc.path(accentPath(n.height)).lineWidth(4).stroke(n.accent);
    if (n.dot) doc.circle(17.5, 12.5, 4.5).fill(n.dot);
    for (const t of n.texts) sceneText(doc, t, 0, 0);
    doc.restore();
  }
  doc.restore();
}

function pageTitle(doc: Doc, width: number, text: string, note: string): void {
  sceneText(
    doc,
    { x: 0, y: 13, text: clip(text, width, 11, { bold: true }), size: 11, fill: palette.ink, bold: true },
    M,
    M,
  );
  // A long note (Dutch runs longer) is set smaller before it is cut.
  const size = Math.max(7, Math.min(8.5, (8.5 * width) / textWidth(note, 8.5)));
  sceneText(doc, { x: 0, y: 27, text: clip(note, width, size), size, fill: palette.muted }, M, M);
}

/** One part of a map printed in parts: its place in the grid and what of the scene it shows (scene pixels). */
export interface MapPart {
  row: number;
  column: number;
  view: Box;
}

const holds = (view: Box, b: Box) => {
  const x = b.x + b.width / 2;
  const y = b.y + b.height / 2;
  return x >= view.x && x < view.x + view.width && y >= view.y && y < view.y + view.height;
};

/**
 * The parts a map is printed in: the cells of the grid that hold the middle of a box or of an edge's
 * label. The grid is cut by size alone, and a map is mostly room between its columns: the cells
 * that only an edge or the edge of a box crosses would print as empty pages. Each box's middle is
 * in exactly one cell, so every box is still on a part's page.
 */
export function mapParts(scene: Scene, p: Pick<Plan, 'columns' | 'rows' | 'area' | 'scale'>): MapPart[] {
  const size = { width: p.area.width / p.scale, height: p.area.height / p.scale };
  const parts: MapPart[] = [];
  for (let r = 0; r < p.rows; r++)
    for (let c = 0; c < p.columns; c++) {
      const x = c * size.width;
      const y = r * size.height;
      const view = {
        x,
        y,
        width: Math.min(size.width, scene.width - x),
        height: Math.min(size.height, scene.height - y),
      };
      if (scene.nodes.some((n) => holds(view, n)) || scene.labels.some((l) => holds(view, l)))
        parts.push({ row: r, column: c, view });
    }
  return parts;
}

/** How a scene is laid on A4: the page and grid that print it on the fewest pages, at the largest scale. */
export function mapLayout(scene: Scene): Plan & { parts: MapPart[] } {
  const plans = [
    plan(scene, { width: A4.long, height: A4.short }),
    plan(scene, { width: A4.short, height: A4.long }),
  ].map((p) => {
    const parts = p.pages === 1 ? [] : mapParts(scene, p);
    return { ...p, parts, pages: p.pages === 1 ? 1 : 1 + parts.length };
  });
  return plans.reduce((best, x) =>
    x.pages < best.pages || (x.pages === best.pages && x.scale > best.scale) ? x : best,
  );
}

/**
 * The runbook's topology: the console map (scene.ts) on A4 pages. A map that fits one page at a
 * readable scale is printed on one; a bigger one is printed whole on a first page (at whatever scale
 * fits, with the parts marked) and then in parts, a page each, titled with their row and column,
 * so an estate of any size is on paper at a size its names can be read. A part with nothing on it
 * gets no page (mapParts).
 */
export function mapPages(
  doc: Doc,
  scene: Scene,
  heading: string,
  w: (key: ExportWordKey, values?: Values) => string,
): void {
  const p = mapLayout(scene);
  const whole: Box = { x: 0, y: 0, width: scene.width, height: scene.height };
  doc.addPage({ size: [p.page.width, p.page.height], margin: M });
  const parts = p.parts.length;
  const cells = p.columns * p.rows;
  const grid = w('map.grid', { count: p.rows, columns: p.columns });
  pageTitle(
    doc,
    p.area.width,
    heading,
    p.pages === 1
      ? scene.summary
      : parts === cells
        ? w('map.inParts', { parts, grid, summary: scene.summary })
        : w('map.inPartsLeftOut', {
            parts,
            grid,
            leftOut: w('map.leftOut', { count: cells - parts }),
            summary: scene.summary,
          }),
  );
  drawView(doc, scene, whole, p.fit);
  if (p.pages === 1) return;
  const view = { width: p.area.width / p.scale, height: p.area.height / p.scale };
  // Where each printed part is, on the whole: numbered where the part is big enough on the page to hold it.
  const numberSize = Math.min(10, view.height * p.fit * 0.4, view.width * p.fit * 0.2);
  doc
    .save()
    .translate(M, M + TITLE)
    .scale(p.fit);
  for (const { row: r, column: c, view: part } of p.parts) {
    doc
      .rect(part.x, part.y, part.width, part.height)
      .lineWidth(1 / p.fit)
      .dash(4 / p.fit, { space: 3 / p.fit })
      .stroke(palette.muted);
    doc.undash();
    if (numberSize >= 4)
      sceneText(
        doc,
        {
          x: 3 / p.fit,
          y: (numberSize + 2) / p.fit,
          text: `${r + 1}.${c + 1}`,
          size: numberSize / p.fit,
          fill: palette.muted,
          bold: true,
        },
        part.x,
        part.y,
      );
  }
  doc.restore();
  p.parts.forEach(({ row: r, column: c, view: part }, i) => {
    doc.addPage({ size: [p.page.width, p.page.height], margin: M });
    pageTitle(
      doc,
      p.area.width,
      w('map.part', { heading, part: `${r + 1}.${c + 1}` }),
      w('map.partWhere', { row: r + 1, rows: p.rows, column: c + 1, columns: p.columns, page: i + 1, parts }),
    );
    drawView(doc, scene, part, p.scale);
  });
}
