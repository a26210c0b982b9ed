/**
 * npm run bench:ui — the topology map as an operator meets it on a big estate: `siteshift lab
 * --vms 5000 --web` started as a whole process, the console opened in Chromium (playwright-core,
 * as the browser tests do) at 1440×900, and three figures printed per run:
 *
 * - first map paint: from navigation start to the first frame that shows map nodes (the page,
 *   the topology call, the layout and React Flow's render all included);
 * - long tasks (PerformanceObserver 'longtask', > 50 ms) from navigation start until the map has
 *   been on screen for --settle ms (live updates keep arriving meanwhile), and during the pan;
 * - frames per second while the map is panned by a mouse drag (requestAnimationFrame callbacks
 *   counted over the drag).
 *
 * Each run opens a fresh browser context (no cache, no layout kept from the previous run). The
 * median of the runs is printed last, with the load average beside it: the machine is shared.
 *
 * Each run also records a Chrome trace of the page (CDP Tracing) and prints where the time to the
 * first map went: the page and its scripts loaded, the scripts compiled and run, the topology asked
 * for and answered (the lab's CPU meanwhile: the server side), its JSON parsed, the map's graph and
 * layout, then React and React Flow until the frame is painted; and what the main thread did
 * while loading and per frame while panning. Long tasks are given by wall time and by the main
 * thread's own CPU time, which other processes on a loaded machine stretch much less.
 *
 * Memory beside time: the page's JavaScript heap after each run and the lab's peak resident memory.
 *
 * Options: --vms N (default 5000) --runs N (default 3) --settle ms (default 3000) --json; --help.
 *
 * The lab's console keeps its settings, connections and logs in a temporary data folder of the
 * run's own, removed at the end: the operator's ~/.config/siteshift is never touched.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startLabProcess } from '../support/lab-process';
import { buildRenderer } from '../support/renderer';
import { bundledCli } from './cli';
import { type Busy, PageTrace, type TaskSummary, TRACE_CATEGORIES, type TraceEvent } from './trace';

const USAGE =
  'usage: npm run bench:ui -- [--vms N (default 5000)] [--runs N (default 3)] [--settle ms (default 3000)] [--json]\n';
const parsed = (() => {
  try {
    return parseArgs({
      options: {
        vms: { type: 'string', default: '5000' },
        runs: { type: 'string', default: '3' },
        settle: { type: 'string', default: '3000' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    process.stderr.write(`bench:ui: ${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
})();
const args = parsed.values;
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const VMS = Number(args.vms);
const RUNS = Number(args.runs);
const SETTLE_MS = Number(args.settle);
for (const [name, value] of [
  ['--vms', VMS],
  ['--runs', RUNS],
  ['--settle', SETTLE_MS],
] as const) {
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`bench:ui: ${name} must be a whole number above 0, not ${String(value)}\n`);
    process.exit(2);
  }
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/**
 * Installed before the page's own scripts: records long tasks from the start and the first frame
 * after map nodes enter the DOM (two animation frames: the one that lays them out, the one after
 * it is painted).
 */
function instrument(): void {
  const w = window as unknown as {
    __longTasks: Array<{ start: number; duration: number }>;
    __mapPaint: number | null;
  };
  w.__longTasks = [];
  w.__mapPaint = null;
  // Ties the trace's clock to the page's (test/bench/trace.ts).
  performance.mark('bench:anchor');
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  const seen = new MutationObserver(() => {
    if (!document.querySelector('[data-testid="topology-map"] .react-flow__node')) return;
    seen.disconnect();
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        w.__mapPaint = performance.now();
      }),
    );
  });
  document.addEventListener('DOMContentLoaded', () =>
    seen.observe(document.body, { childList: true, subtree: true }),
  );
}

interface LongTasks {
  count: number;
  maxMs: number;
  totalMs: number;
}

function summarise(tasks: Array<{ start: number; duration: number }>, from: number, to: number): LongTasks {
  const inside = tasks.filter((t) => t.start >= from && t.start < to);
  return {
    count: inside.length,
    maxMs: Math.round(Math.max(0, ...inside.map((t) => t.duration))),
    totalMs: Math.round(inside.reduce((s, t) => s + t.duration, 0)),
  };
}

/** A point of the map where a press lands on the empty pane (a drag there pans, it moves nothing). */
async function paneSpot(page: Page): Promise<{ x: number; y: number }> {
  const spot = await page.evaluate(() => {
    const map = document.querySelector('[data-testid="topology-map"] .react-flow__pane');
    if (!map) return null;
    const r = map.getBoundingClientRect();
    for (let fy = 0.5; fy < 0.95; fy += 0.05)
      for (let fx = 0.3; fx < 0.7; fx += 0.04) {
        const x = r.left + r.width * fx;
        const y = r.top + r.height * fy;
        if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
      }
    return null;
  });
  if (!spot) throw new Error('bench:ui: found no empty spot of the map to drag');
  return spot;
}

/** A process and its descendants, from /proc, with each one's CPU ticks. */
function processTree(root: number): Map<number, number> {
  const parents = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      parents.set(Number(entry), Number(fields[1]));
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended meanwhile.
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid; p && p > 1; p = parents.get(p)) if (p === root) return true;
    return false;
  };
  return new Map([...ticks].filter(([pid]) => inTree(pid)));
}

/** CPU time (ms) of a process and its descendants: the lab's server side. */
function cpuMs(root: number): number {
  let total = 0;
  for (const t of processTree(root).values()) total += t;
  return total * 10; // USER_HZ is 100 on Linux
}

/** Peak resident memory (MB) of a process and its descendants, each one's high-water mark summed. */
function peakRssMb(root: number): number {
  let kb = 0;
  for (const pid of processTree(root).keys()) {
    try {
      kb += Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // The process ended meanwhile.
    }
  }
  return Math.round(kb / 1024);
}

async function startTrace(cdp: CDPSession): Promise<void> {
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: { includedCategories: TRACE_CATEGORIES },
  });
}

async function stopTrace(cdp: CDPSession): Promise<TraceEvent[]> {
  const complete = new Promise<string>((ok) =>
    cdp.once('Tracing.tracingComplete', (e: { stream?: string }) => ok(e.stream!)),
  );
  await cdp.send('Tracing.end');
  const handle = await complete;
  let text = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString() : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle });
  const parsed = JSON.parse(text) as TraceEvent[] | { traceEvents: TraceEvent[] };
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

/** Where the time to the first map went, ms from navigation start unless named otherwise. */
interface Breakdown {
  /** The document and its scripts and styles downloaded (from the lab's web host). */
  pageLoadedMs: number;
  scriptKb: number;
  /** Main-thread time compiling and evaluating the scripts until the topology was asked for. */
  scriptEvalMs: number;
  topologyAskedMs: number;
  /** From asking to the answer's first byte in the page: the server's work and the transfer. */
  topologyAnswerMs: number;
  topologyKb: number;
  /** The lab's CPU time (all its processes) from navigation to the first map paint. */
  labCpuMs: number;
  jsonParseMs: number;
  graphMs: number;
  layoutMs: number;
  /** From the topology in the store to the painted frame, less graph and layout: React, React Flow, style, paint. */
  renderToPaintMs: number;
  /** Main thread until the first map paint, by kind of work. */
  loadBusy: Busy;
  /** Per live update afterwards: graph rebuilds and their longest. */
  graphRebuilds: number;
  graphMaxMs: number;
  /** Main-thread work per frame while panning, ms, by kind. */
  panPerFrame: Busy;
}

interface Run {
  firstPaintMs: number;
  loadLongTasks: LongTasks;
  loadTrace: TaskSummary;
  panFps: number;
  panLongTasks: LongTasks;
  panTrace: TaskSummary;
  breakdown: Breakdown;
  /** The page's JavaScript heap in use after the pan, MB. */
  pageHeapMb: number;
  load: string;
}

interface PageTimes {
  anchor: number;
  scriptsEnd: number;
  scriptBytes: number;
  asked: number | null;
  received: number | null;
  parse: { start: number; duration: number; bytes: number } | null;
  graph: number[];
  layout: number | null;
}

/** The page's own record of its load: resource timing and the console's User Timing entries. */
function pageTimes(): PageTimes {
  const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
  const assets = resources.filter((r) => /\.(js|css)(\?|$)/.test(r.name));
  const first = (name: string) => performance.getEntriesByName(name)[0] ?? null;
  const parse = first('siteshift:parse') as PerformanceMeasure | null;
  return {
    anchor: first('bench:anchor')?.startTime ?? 0,
    scriptsEnd: Math.max(0, ...assets.map((r) => r.responseEnd)),
    scriptBytes: assets
      .filter((r) => /\.js(\?|$)/.test(r.name))
      .reduce((sum, r) => sum + r.decodedBodySize, 0),
    asked: first('siteshift:topology-requested')?.startTime ?? null,
    received: first('siteshift:topology-received')?.startTime ?? null,
    parse: parse
      ? {
          start: parse.startTime,
          duration: parse.duration,
          bytes: (parse.detail as { bytes: number } | null)?.bytes ?? 0,
        }
      : null,
    graph: performance.getEntriesByName('siteshift:map-graph').map((e) => e.duration),
    layout: first('siteshift:map-layout')?.duration ?? null,
  };
}

async function measure(browser: Browser, url: string, lab: number): Promise<Run> {
  const before = load();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  try {
    // tsx compiles with keepNames: the functions handed to the page call its __name helper.
    await page.addInitScript('globalThis.__name = (f) => f;');
    await page.addInitScript(instrument);
    await startTrace(cdp);
    const labBefore = cpuMs(lab);
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { __mapPaint: number | null }).__mapPaint, null, {
      timeout: 120_000,
      polling: 50,
    });
    const labAtPaint = cpuMs(lab);
    const firstPaintMs = await page.evaluate(() => (window as unknown as { __mapPaint: number }).__mapPaint);
    await page.waitForTimeout(SETTLE_MS);
    const settled = await page.evaluate(() => performance.now());

    // Pan: a mouse drag of 120 moves, one per ~16 ms, alternating left and right so the map stays
    // in the window; frames are counted by requestAnimationFrame over the drag.
    const { x, y } = await paneSpot(page);
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.evaluate(() => {
      const w = window as unknown as { __frames: number; __counting: boolean };
      w.__frames = 0;
      w.__counting = true;
      const tick = () => {
        if (!w.__counting) return;
        w.__frames++;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const panStart = await page.evaluate(() => performance.now());
    for (let i = 0; i < 120; i++) {
      const phase = i % 60;
      const dx = phase < 30 ? phase * 12 : (60 - phase) * 12;
      await page.mouse.move(x - 180 + dx, y + (i % 2) * 4);
      await new Promise((r) => setTimeout(r, 16));
    }
    await page.mouse.up();
    const pan = await page.evaluate(() => {
      const w = window as unknown as { __frames: number; __counting: boolean };
      w.__counting = false;
      return { end: performance.now(), frames: w.__frames };
    });
    const tasks = await page.evaluate(
      () => (window as unknown as { __longTasks: Array<{ start: number; duration: number }> }).__longTasks,
    );
    const times = await page.evaluate(pageTimes);
    const heap = await cdp.send('Runtime.getHeapUsage');
    const trace = new PageTrace(await stopTrace(cdp), {
      name: 'bench:anchor',
      startTime: times.anchor,
    });
    const round = (ms: number) => Math.round(ms);
    const graph = times.graph[0] ?? 0;
    const layout = times.layout ?? 0;
    const received = times.received ?? firstPaintMs;
    const perFrame = trace.busy(panStart, pan.end);
    for (const k of Object.keys(perFrame) as Array<keyof typeof perFrame>)
      perFrame[k] = Math.round((perFrame[k] / Math.max(1, pan.frames)) * 10) / 10;
    return {
      firstPaintMs: round(firstPaintMs),
      loadLongTasks: summarise(tasks, 0, settled),
      loadTrace: trace.longTasks(0, settled),
      panFps: Math.round((pan.frames / ((pan.end - panStart) / 1000)) * 10) / 10,
      panLongTasks: summarise(tasks, panStart, pan.end),
      panTrace: trace.longTasks(panStart, pan.end),
      pageHeapMb: Math.round(heap.usedSize / 1048576),
      breakdown: {
        pageLoadedMs: round(times.scriptsEnd),
        scriptKb: round(times.scriptBytes / 1024),
        scriptEvalMs: trace.busy(0, times.asked ?? firstPaintMs).compile,
        topologyAskedMs: round(times.asked ?? 0),
        topologyAnswerMs: round((times.parse?.start ?? received) - (times.asked ?? 0)),
        topologyKb: round((times.parse?.bytes ?? 0) / 1024),
        labCpuMs: labAtPaint - labBefore,
        jsonParseMs: round(times.parse?.duration ?? 0),
        graphMs: round(graph),
        layoutMs: round(layout),
        renderToPaintMs: round(firstPaintMs - received - graph - layout),
        loadBusy: trace.busy(0, firstPaintMs),
        graphRebuilds: Math.max(0, times.graph.length - 1),
        graphMaxMs: round(Math.max(0, ...times.graph.slice(1))),
        panPerFrame: perFrame,
      },
      load: before,
    };
  } finally {
    await context.close();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const tasksText = (t: LongTasks) => `${t.count} long tasks, longest ${t.maxMs} ms, ${t.totalMs} ms in total`;
const cpuText = (t: TaskSummary) =>
  `by the trace: longest ${t.maxMs} ms wall / ${t.maxCpuMs} ms CPU, ${t.totalCpuMs} ms CPU in total`;
const busyText = (b: Busy) =>
  (Object.entries(b) as Array<[string, number]>)
    .filter(([k]) => k !== 'tasks')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** The breakdown of one run, as lines. */
function breakdownText(r: Run): string {
  const b = r.breakdown;
  return [
    `  page and scripts loaded at ${b.pageLoadedMs} ms (${b.scriptKb} KB of script); compiling and evaluating them ${b.scriptEvalMs} ms of main thread`,
    `  topology asked for at ${b.topologyAskedMs} ms, answered ${b.topologyAnswerMs} ms later (${b.topologyKb} KB; the lab used ${b.labCpuMs} ms CPU from navigation to paint)`,
    `  JSON parse ${b.jsonParseMs} ms · map graph ${b.graphMs} ms · layout ${b.layoutMs} ms · React, React Flow, style and paint until the frame ${b.renderToPaintMs} ms`,
    `  main thread until the first map paint (ms): ${busyText(b.loadBusy)}; in tasks ${b.loadBusy.tasks}`,
    `  live updates while settling: ${b.graphRebuilds} graph rebuilds, longest ${b.graphMaxMs} ms`,
    `  per frame while panning (ms): ${busyText(b.panPerFrame)}; in tasks ${b.panPerFrame.tasks}`,
  ].join('\n');
}

// Built each time: a bundle an older test run left (React's development build, when vitest's
// NODE_ENV=test reached Vite) would otherwise be measured.
await buildRenderer();
const labStarted = Date.now();
// A data folder of the run's own: the bench never touches the operator's settings or connections.
const lab = await startLabProcess(['--vms', String(VMS), '--memory'], { cli: bundledCli() });
const { child, url } = lab;
process.stderr.write(
  `lab with ${VMS} VMs serving the console after ${((Date.now() - labStarted) / 1000).toFixed(1)} s\n`,
);
const runs: Run[] = [];
let browser: Browser | null = null;
let labPeakRssMb = 0;
try {
  browser = await launchBrowser();
  for (let i = 0; i < RUNS; i++) {
    const run = await measure(browser, url, child.pid!);
    runs.push(run);
    if (!args.json)
      process.stdout.write(
        `run ${i + 1}: first map paint ${run.firstPaintMs} ms · load ${tasksText(run.loadLongTasks)} (${cpuText(run.loadTrace)}) · pan ${run.panFps} fps (${tasksText(run.panLongTasks)}; ${cpuText(run.panTrace)}) · load average ${run.load}\n${breakdownText(run)}\n`,
      );
  }
} finally {
  await browser?.close();
  labPeakRssMb = peakRssMb(child.pid!);
  await lab.stop();
}

const summary = {
  vms: VMS,
  runs: RUNS,
  firstPaintMs: median(runs.map((r) => r.firstPaintMs)),
  longestTaskMs: median(runs.map((r) => Math.max(r.loadLongTasks.maxMs, r.panLongTasks.maxMs))),
  longTasksTotalMs: median(runs.map((r) => r.loadLongTasks.totalMs + r.panLongTasks.totalMs)),
  longestTaskCpuMs: median(runs.map((r) => Math.max(r.loadTrace.maxCpuMs, r.panTrace.maxCpuMs))),
  panFps: median(runs.map((r) => r.panFps)),
  pageHeapMb: median(runs.map((r) => r.pageHeapMb)),
  labPeakRssMb,
  loadAverage: load(),
};
if (args.json) process.stdout.write(`${JSON.stringify({ summary, runs }, null, 2)}\n`);
else
  process.stdout.write(
    `median of ${RUNS} (lab --vms ${VMS}, 1440×900): first map paint ${summary.firstPaintMs} ms (goal ≤ 1500) · longest task ${summary.longestTaskMs} ms (goal ≤ 200; ${summary.longestTaskCpuMs} ms of main-thread CPU) · long tasks ${summary.longTasksTotalMs} ms in total · pan ${summary.panFps} fps (goal ≥ 55) · page JS heap ${summary.pageHeapMb} MB · lab peak RSS ${summary.labPeakRssMb} MB · load average ${summary.loadAverage}\n`,
  );
