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
 * Options: --vms N (default 5000) --runs N (default 3) --settle ms (default 3000) --json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { ensureRendererBuilt } from '../support/renderer';

const root = resolve(import.meta.dirname, '../..');
const { values: args } = parseArgs({
  options: {
    vms: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '3' },
    settle: { type: 'string', default: '3000' },
    json: { type: 'boolean', default: false },
  },
});
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

/** Starts the lab as an operator does and answers its console URL once it prints one. */
function startLab(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [resolve(root, 'bin/siteshift.mjs'), 'lab', '--vms', String(VMS), '--web', '--memory'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((ok, fail) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /console (http:\/\/\S+)/.exec(out);
      if (match) ok({ child, url: match[1]! });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) =>
      fail(new Error(`the lab exited (${code}) before serving the console:\n${out}`)),
    );
  });
}

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

interface Run {
  firstPaintMs: number;
  loadLongTasks: LongTasks;
  panFps: number;
  panLongTasks: LongTasks;
  load: string;
}

async function measure(browser: Browser, url: string): Promise<Run> {
  const before = load();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  try {
    // tsx compiles with keepNames: the functions handed to the page call its __name helper.
    await page.addInitScript('globalThis.__name = (f) => f;');
    await page.addInitScript(instrument);
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { __mapPaint: number | null }).__mapPaint, null, {
      timeout: 120_000,
      polling: 50,
    });
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
    return {
      firstPaintMs: Math.round(firstPaintMs),
      loadLongTasks: summarise(tasks, 0, settled),
      panFps: Math.round((pan.frames / ((pan.end - panStart) / 1000)) * 10) / 10,
      panLongTasks: summarise(tasks, panStart, pan.end),
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

await ensureRendererBuilt();
const labStarted = Date.now();
const { child, url } = await startLab();
process.stderr.write(
  `lab with ${VMS} VMs serving the console after ${((Date.now() - labStarted) / 1000).toFixed(1)} s\n`,
);
const runs: Run[] = [];
let browser: Browser | null = null;
try {
  browser = await launchBrowser();
  for (let i = 0; i < RUNS; i++) {
    const run = await measure(browser, url);
    runs.push(run);
    if (!args.json)
      process.stdout.write(
        `run ${i + 1}: first map paint ${run.firstPaintMs} ms · load ${tasksText(run.loadLongTasks)} · pan ${run.panFps} fps (${tasksText(run.panLongTasks)}) · load average ${run.load}\n`,
      );
  }
} finally {
  await browser?.close();
  child.kill('SIGTERM');
}

const summary = {
  vms: VMS,
  runs: RUNS,
  firstPaintMs: median(runs.map((r) => r.firstPaintMs)),
  longestTaskMs: median(runs.map((r) => Math.max(r.loadLongTasks.maxMs, r.panLongTasks.maxMs))),
  longTasksTotalMs: median(runs.map((r) => r.loadLongTasks.totalMs + r.panLongTasks.totalMs)),
  panFps: median(runs.map((r) => r.panFps)),
  loadAverage: load(),
};
if (args.json) process.stdout.write(`${JSON.stringify({ summary, runs }, null, 2)}\n`);
else
  process.stdout.write(
    `median of ${RUNS} (lab --vms ${VMS}, 1440×900): first map paint ${summary.firstPaintMs} ms · longest task ${summary.longestTaskMs} ms · long tasks ${summary.longTasksTotalMs} ms in total · pan ${summary.panFps} fps · load average ${summary.loadAverage}\n`,
  );
