/**
 * Reads a Chrome trace (CDP Tracing, categories below) of the console's page for npm run bench:ui:
 * the renderer's main thread, its long tasks by wall time and by the thread's own CPU time (what
 * the page itself spent: robust when other processes take the cores), and where the main thread's
 * time went in a window, split into script, style and layout, paint, parsing and garbage
 * collection.
 */

export const TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'v8.execute',
  'blink.user_timing',
  'disabled-by-default-devtools.timeline',
];

export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: Record<string, unknown> } & Record<string, unknown>;
}

export interface TaskSummary {
  count: number;
  /** Wall time of the longest task, ms. */
  maxMs: number;
  /** CPU time of the main thread inside the longest (by CPU) task, ms. */
  maxCpuMs: number;
  totalMs: number;
  totalCpuMs: number;
}

/** Where the main thread's time went, ms, by kind of work (outermost event of each kind), and in tasks at all. */
export type Busy = Record<BusyKind | 'tasks', number>;
export type BusyKind = 'script' | 'compile' | 'style+layout' | 'paint' | 'html+css' | 'gc';

const kinds: Record<string, BusyKind> = {
  EvaluateScript: 'compile',
  'v8.compile': 'compile',
  'v8.compileModule': 'compile',
  'v8.evaluateModule': 'compile',
  FunctionCall: 'script',
  EventDispatch: 'script',
  TimerFire: 'script',
  FireAnimationFrame: 'script',
  RunMicrotasks: 'script',
  'v8.callFunction': 'script',
  FireIdleCallback: 'script',
  UpdateLayoutTree: 'style+layout',
  Layout: 'style+layout',
  PrePaint: 'paint',
  Paint: 'paint',
  Layerize: 'paint',
  Commit: 'paint',
  ParseHTML: 'html+css',
  ParseAuthorStyleSheet: 'html+css',
  MinorGC: 'gc',
  MajorGC: 'gc',
};

const isTask = (e: TraceEvent) =>
  e.ph === 'X' && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask');

export class PageTrace {
  /** The renderer main thread's complete events, by start. */
  private readonly events: TraceEvent[];
  /** Top-level tasks of the main thread, by start. */
  readonly tasks: TraceEvent[];
  /** Trace time (µs) of the page's performance.now() zero. */
  readonly origin: number;

  constructor(all: TraceEvent[], anchor: { name: string; startTime: number }) {
    // The page's main thread: the renderer main thread where the anchor mark was made.
    // Chromium sometimes drops the mark from the trace; the page's navigationStart is the same
    // zero then (the anchor is made before any of the page's scripts).
    const mark =
      all.find((e) => e.name === anchor.name && e.cat?.includes('blink.user_timing')) ??
      all.findLast((e) => e.name === 'navigationStart' && e.cat?.includes('blink.user_timing'));
    if (!mark) throw new Error(`bench:ui: the trace holds neither ${anchor.name} nor navigationStart`);
    if (mark.name !== anchor.name) anchor = { ...anchor, startTime: 0 };
    const main = all.find(
      (e) => e.name === 'thread_name' && e.pid === mark.pid && e.args?.name === 'CrRendererMain',
    );
    const tid = main?.tid ?? mark.tid;
    this.events = all
      .filter((e) => e.pid === mark.pid && e.tid === tid && e.ph === 'X' && e.dur !== undefined)
      .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    this.origin = mark.ts - anchor.startTime * 1000;
    this.tasks = [];
    let end = -Infinity;
    for (const e of this.events)
      if (isTask(e) && e.ts >= end) {
        this.tasks.push(e);
        end = e.ts + e.dur!;
      }
  }

  /** Trace time of a performance.now() value. */
  at(ms: number): number {
    return this.origin + ms * 1000;
  }

  /** Tasks over 50 ms that start in [from, to) (performance.now() ms). */
  longTasks(from: number, to: number): TaskSummary {
    const inside = this.tasks.filter((t) => t.ts >= this.at(from) && t.ts < this.at(to) && t.dur! > 50_000);
    const ms = (us: number) => Math.round(us / 100) / 10;
    return {
      count: inside.length,
      maxMs: ms(Math.max(0, ...inside.map((t) => t.dur!))),
      maxCpuMs: ms(Math.max(0, ...inside.map((t) => t.tdur ?? t.dur!))),
      totalMs: ms(inside.reduce((s, t) => s + t.dur!, 0)),
      totalCpuMs: ms(inside.reduce((s, t) => s + (t.tdur ?? t.dur!), 0)),
    };
  }

  /** Main-thread time in [from, to) by kind of work; an event inside one already counted is not counted again. */
  busy(from: number, to: number): Busy {
    const out: Busy = {
      script: 0,
      compile: 0,
      'style+layout': 0,
      paint: 0,
      'html+css': 0,
      gc: 0,
      tasks: 0,
    };
    const lo = this.at(from);
    const hi = this.at(to);
    let coveredUntil = -Infinity;
    let taskUntil = -Infinity;
    for (const e of this.events) {
      if (e.ts < lo || e.ts >= hi) continue;
      if (isTask(e)) {
        if (e.ts >= taskUntil) out.tasks += e.dur! / 1000;
        taskUntil = Math.max(taskUntil, e.ts + e.dur!);
        continue;
      }
      const kind = kinds[e.name];
      if (!kind || e.ts < coveredUntil) continue;
      out[kind] += e.dur! / 1000;
      coveredUntil = e.ts + e.dur!;
    }
    for (const k of Object.keys(out) as Array<keyof typeof out>) out[k] = Math.round(out[k]);
    return out;
  }
}
