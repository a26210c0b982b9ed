// Renders build/icon.svg, the one icon source, to every size and format the installers and the
// window need: resvg (a maintained Rust SVG renderer, prebuilt in its npm package) draws each PNG
// size from the vector, so small sizes stay crisp instead of being shrunk from one bitmap;
// png2icons packs the Windows .ico and macOS .icns from those. Output is generated, not committed.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';

export const SOURCE = 'build/icon.svg';
export const OUT = 'build/icons';
/** Linux hicolor sizes (electron-builder takes a folder of NxN.png) plus macOS's 1024. */
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

export function renderPng(svg, size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' })
    .render()
    .asPng();
}

export async function renderIcons() {
  const svg = await readFile(SOURCE);
  await mkdir(OUT, { recursive: true });
  const pngs = new Map(PNG_SIZES.map((size) => [size, renderPng(svg, size)]));
  await Promise.all([...pngs].map(([size, png]) => writeFile(`${OUT}/${size}x${size}.png`, png)));
  const big = pngs.get(1024);
  // ICO: 16–256 with PNG-compressed entries, as Windows Vista and later read them.
  const ico = png2icons.createICO(big, png2icons.BICUBIC2, 0, true, true);
  const icns = png2icons.createICNS(big, png2icons.BICUBIC2, 0);
  if (!ico || !icns) throw new Error('png2icons could not build the .ico/.icns from build/icon.svg');
  await Promise.all([
    writeFile(`${OUT}/icon.ico`, ico),
    writeFile(`${OUT}/icon.icns`, icns),
    writeFile(`${OUT}/icon.png`, big),
  ]);
  // The running app's window, tray and notification icon ship inside the asar beside main.cjs.
  await mkdir('dist/electron', { recursive: true });
  await writeFile('dist/electron/icon.png', pngs.get(256));
  await writeFile('dist/electron/tray.png', pngs.get(32));
  await writeFile('dist/electron/tray@2x.png', pngs.get(64));
}

if (import.meta.url === `file://${process.argv[1]}`) await renderIcons();
