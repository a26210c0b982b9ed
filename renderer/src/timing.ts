/**
 * User Timing entries that `npm run bench:ui` (test/bench/ui.ts) reads to say where the time to
 * the first map goes. Only the first few of each name are kept: a console left open for days
 * would otherwise pile one up per live update.
 */
const KEPT = 20;
const counts = new Map<string, number>();

/** Records a measure named `name` from `start` (performance.now()) to now. */
export function measureSince(name: string, start: number, detail?: Record<string, number>): void {
  const n = counts.get(name) ?? 0;
  if (n >= KEPT) return;
  counts.set(name, n + 1);
  performance.measure(name, { start, detail });
}

/** Runs `work` and records how long it took under `name`. */
export function timed<T>(name: string, work: () => T): T {
  const start = performance.now();
  const out = work();
  measureSince(name, start);
  return out;
}

/** A point in time, under `name` (the first few only). */
export function markOnce(name: string): void {
  const n = counts.get(name) ?? 0;
  if (n >= KEPT) return;
  counts.set(name, n + 1);
  performance.mark(name);
}
