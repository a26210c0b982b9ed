import { Resvg } from '@resvg/resvg-js';
import { fontFiles } from './fonts';
import type { Diagram } from './svg';

/** Above this many pixels the picture is scaled down: a 5,000-VM map stays a file people can open. */
const MAX_PIXELS = 40_000_000;

/**
 * resvg's fonts: the files the PDF embeds (fonts.ts), not the machine's, so a name in any script
 * renders the same everywhere; resvg falls back per character to the loaded font that has it.
 */
export function pngFontOptions() {
  return { loadSystemFonts: false, fontFiles: fontFiles(), defaultFontFamily: 'DejaVu Sans' };
}

/** Rasterises the export's SVG with resvg (Rust, prebuilt in its npm package). */
export function renderPng(diagram: Diagram): Buffer {
  const scale = Math.min(1, Math.sqrt(MAX_PIXELS / (diagram.width * diagram.height)));
  const resvg = new Resvg(diagram.svg, {
    fitTo: { mode: 'width', value: Math.max(1, Math.round(diagram.width * scale)) },
    font: pngFontOptions(),
    background: '#f4f6f9',
  });
  return resvg.render().asPng();
}
