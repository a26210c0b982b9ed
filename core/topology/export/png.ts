import { Resvg } from '@resvg/resvg-js';
import type { Diagram } from './svg';

/** Above this many pixels the picture is scaled down: a 5,000-VM map stays a file people can open. */
const MAX_PIXELS = 40_000_000;

/** Rasterises the export's SVG with resvg (Rust, prebuilt in its npm package); system fonts for the text. */
export function renderPng(diagram: Diagram): Buffer {
  const scale = Math.min(1, Math.sqrt(MAX_PIXELS / (diagram.width * diagram.height)));
  const resvg = new Resvg(diagram.svg, {
    fitTo: { mode: 'width', value: Math.max(1, Math.round(diagram.width * scale)) },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: '#f4f6f9',
  });
  return resvg.render().asPng();
}
