import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileDurably } from '../core/console/atomic-file';

const boundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(200),
  height: z.number().int().min(200),
});
export type Bounds = z.infer<typeof boundsSchema>;
const stateSchema = z.object({ bounds: boundsSchema, maximized: z.boolean() });
export type WindowState = z.infer<typeof stateSchema>;

/** The last window size, position and maximised state; a missing or damaged file means defaults. */
export async function loadWindowState(path: string): Promise<WindowState | null> {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveWindowState(path: string, state: WindowState): Promise<void> {
  return writeFileDurably(path, `${JSON.stringify(state)}\n`);
}

/** How much of a window must be on some display for it to count as visible (a grabbable title bar). */
const MIN_VISIBLE = 100;

/**
 * Puts saved bounds back only if enough of the window lands on a display that is still attached
 * (a laptop undocked from its second monitor would otherwise open Siteshift off-screen); then the
 * size is kept but the window is centred on the primary display, shrunk to fit if needed.
 */
export function visibleBounds(saved: Bounds, displays: Bounds[], primary: Bounds): Bounds {
  const onSome = displays.some((d) => {
    const w = Math.min(saved.x + saved.width, d.x + d.width) - Math.max(saved.x, d.x);
    const h = Math.min(saved.y + saved.height, d.y + d.height) - Math.max(saved.y, d.y);
    // The top edge (title bar) must be on the display too.
    return (
      w >= MIN_VISIBLE && h >= MIN_VISIBLE && saved.y >= d.y && saved.y < d.y + d.height - MIN_VISIBLE / 2
    );
  });
  if (onSome) return saved;
  const width = Math.min(saved.width, primary.width);
  const height = Math.min(saved.height, primary.height);
  return {
    width,
    height,
    x: primary.x + Math.round((primary.width - width) / 2),
    y: primary.y + Math.round((primary.height - height) / 2),
  };
}
