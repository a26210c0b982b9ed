import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import faces from './fonts.json';

/**
 * The fonts the PDF and PNG exports embed, so that a VM, plan, site or contact name in any script
 * reads the same on every machine (the runbook is what operators hold during an outage and what
 * auditors keep): DejaVu Sans for Latin, Greek, Cyrillic and symbols (also the SVG's first
 * family), Noto Sans SC for Chinese and Japanese kana, Noto Sans KR for Hangul, Noto Emoji
 * (monochrome outlines: a PDF cannot carry colour bitmaps portably). All are OFL or the
 * Bitstream Vera licence, from npm packages; fonts.json lists them for the packaging too
 * (build/electron-builder.config.cjs unpacks them from the asar, scripts/dist-check.mjs checks).
 * A character none of them has is written as [U+XXXX]: visible, and the code point is kept.
 */

export type FaceId = 'sans' | 'sans-bold' | 'cjk-sc' | 'cjk-kr' | 'emoji';

export interface Face {
  readonly id: FaceId;
  readonly family: string;
  /** Where the file is: outside the asar in the packaged app (resvg reads it natively). */
  readonly path: string;
  readonly data: Buffer;
  readonly font: fontkit.Font;
}

const require = createRequire(import.meta.url);
const loaded = new Map<FaceId, Face>();

/** The file on disk; in the packaged app the font files are unpacked beside app.asar. */
function fontPath(file: string): string {
  let path: string;
  try {
    path = require.resolve(file);
  } catch {
    throw new Error(
      `The export font ${file} is not installed: run npm install (it comes with the package ${file
        .split('/')
        .slice(0, file.startsWith('@') ? 2 : 1)
        .join('/')}).`,
    );
  }
  const unpacked = path.replace(/\.asar([\\/])/, '.asar.unpacked$1');
  return unpacked !== path && existsSync(unpacked) ? unpacked : path;
}

export function face(id: FaceId): Face {
  const known = loaded.get(id);
  if (known) return known;
  const entry = faces.find((f) => f.id === id);
  if (!entry) throw new Error(`No export font ${id} in core/topology/export/fonts.json.`);
  const path = fontPath(entry.file);
  const data = readFileSync(path);
  const font = fontkit.create(data);
  if (!('hasGlyphForCodePoint' in font))
    throw new Error(`${path} is a font collection; the export needs a single font file.`);
  const f: Face = { id, family: entry.family, path, data, font };
  loaded.set(id, f);
  return f;
}

/** Every face's file, for resvg (which reads font files itself). */
export function fontFiles(): string[] {
  return faces.map((f) => face(f.id as FaceId).path);
}

/** The faces tried in order for each character: the text face first, then by script. */
export function fallbackChain(bold: boolean): FaceId[] {
  return [bold ? 'sans-bold' : 'sans', 'cjk-sc', 'cjk-kr', 'emoji'];
}

/** A stretch of text drawn with one face. */
export interface Run {
  face: FaceId;
  text: string;
}

/** What a character no shipped font has becomes: visible, and the code point is not lost. */
export const replacement = (cp: number) => `[U+${cp.toString(16).toUpperCase().padStart(4, '0')}]`;

// Variation selectors and the zero-width joiner shape the character before them; a face
// without them would draw a box, so they stay with that run or are dropped (they have no ink).
const FORMAT = /^[\u200d\ufe00-\ufe0f\u{e0100}-\u{e01ef}]$/u;
const MARK = /^\p{M}$/u;
const SIMPLE = /^[\n\x20-\x7e]*$/;

/**
 * The text split into runs by glyph coverage: each character goes to the first face of the chain
 * that has it, white space and combining marks stay with the run they are in.
 */
export function runs(text: string, chain: readonly FaceId[]): Run[] {
  const first = chain[0]!;
  if (SIMPLE.test(text)) return [{ face: first, text }];
  const out: Run[] = [];
  const add = (id: FaceId, s: string) => {
    const last = out.at(-1);
    if (last && last.face === id) last.text += s;
    else out.push({ face: id, text: s });
  };
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const last = out.at(-1);
    if (ch === '\n' || ch === ' ' || ch === '\t') {
      add(last?.face ?? first, ch);
      continue;
    }
    if (last && (FORMAT.test(ch) || MARK.test(ch))) {
      if (face(last.face).font.hasGlyphForCodePoint(cp)) {
        last.text += ch;
        continue;
      }
      if (FORMAT.test(ch)) continue;
    }
    const id = chain.find((f) => face(f).font.hasGlyphForCodePoint(cp));
    if (id) add(id, ch);
    else if (!FORMAT.test(ch)) add(first, replacement(cp));
  }
  return out.length ? out : [{ face: first, text: '' }];
}

const advances = new Map<string, number>();

/**
 * How wide `text` is in the text face at `size` (units of the size: points in the PDF, pixels in
 * the picture), by each character's advance; a character the face lacks counts as the face's
 * missing-glyph box, near enough for the fallback faces' glyphs.
 */
export function textWidth(text: string, size: number, bold = false, spacing = 0): number {
  const id: FaceId = bold ? 'sans-bold' : 'sans';
  let em = 0;
  let count = 0;
  for (const ch of text) {
    const key = `${id}${ch}`;
    let advance = advances.get(key);
    if (advance === undefined) {
      const font = face(id).font;
      advance = font.glyphForCodePoint(ch.codePointAt(0)!).advanceWidth / font.unitsPerEm;
      advances.set(key, advance);
    }
    em += advance;
    count++;
  }
  return em * size + spacing * count;
}
