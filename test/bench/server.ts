/**
 * npm run bench:server — 1,000 pairs reporting statistics every second through the agent API
 * while 50 clients watch the event stream; prints requests per second, request and event latency
 * p50/p99, events lost, the server's CPU (per report and per event delivered) and its peak memory,
 * on PGlite and on PostgreSQL.
 *
 * The server runs as `siteshift server` in its own process (so its memory and CPU are its own); the
 * load and the watchers run here. Options: --pairs N --clients N --seconds N --db pglite,postgres
 * --instances N --json --memory (where the server's memory is, from its /metrics and
 * /proc/PID/smaps: at PGlite's first start, before the load and after it). With --instances N (PostgreSQL only) N server processes share one
 * database: reports and watchers are spread over them round robin, figures are printed per
 * instance, and events reported on one instance and delivered by another are measured apart
 * (cross-instance latency). PostgreSQL: $SITESHIFT_BENCH_PG (default postgres://postgres@127.0.0.1:5432/test);
 * the bench creates and drops its own database.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import WebSocket from 'ws';
import { ConfigServerClient } from '../../core/configserver';
import { PGLITE_SETTINGS } from '../../server/db';
import { bundledCli } from './cli';

const root = resolve(import.meta.dirname, '../..');
const { values: args } = parseArgs({
  options: {
    pairs: { type: 'string', default: '1000' },
    clients: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
    db: { type: 'string', default: 'pglite,postgres' },
    instances: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    memory: { type: 'boolean', default: false },
  },
});
const PAIRS = Number(args.pairs);
const CLIENTS = Number(args.clients);
const SECONDS = Number(args.seconds);
const INSTANCES = Number(args.instances);
if (!Number.isInteger(INSTANCES) || INSTANCES < 1) throw new Error('--instances takes a whole number >= 1');
const pgAdmin = process.env.SITESHIFT_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Result {
  database: string;
  /** The machine's 1-minute load average when the load started and ended: figures taken while other work ran are not comparable. */
  machineLoad: { start: number; end: number };
  pairs: number;
  clients: number;
  seconds: number;
  requestsSent: number;
  requestsOk: number;
  requestErrors: number;
  requestsPerSec: number;
  requestLatencyMs: { p50: number; p99: number };
  eventsExpected: number;
  eventsReceived: number;
  eventLatencyMs: { p50: number; p99: number };
  streamDrops: number;
  serverPeakRssMB: number;
  /** With --instances N: the same figures for each instance (requests it served, watchers on it). */
  perInstance: Array<{
    instance: number;
    requestsOk: number;
    requestLatencyMs: { p50: number; p99: number };
    eventsReceived: number;
    eventLatencyMs: { p50: number; p99: number };
    serverPeakRssMB: number;
  }>;
  /** Events reported on one instance and delivered by another. */
  crossInstanceEventLatencyMs: { p50: number; p99: number; events: number } | null;
  /** PGlite only: peak of the very first start, which creates the database. */
  firstStartPeakRssMB: number | null;
  /** PGlite only: how long that first start took to listen (creating the database included). */
  firstStartSec: number | null;
  /** Server CPU time during the load window (all instances), per second of load and per report. */
  cpu: { percent: number; msPerReport: number; usPerDelivery: number };
  /** Where the largest instance's memory is: before the load (after setup) and after it. */
  memory: { beforeLoad: MemoryBreakdown; afterLoad: MemoryBreakdown; firstStart: MemoryBreakdown | null };
  setupSec: number;
}

/** MB figures of one server process, from its /metrics and /proc/<pid>/smaps. */
interface MemoryBreakdown {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** PGlite: the V8 heap of the thread the database runs on. */
  databaseHeapUsed: number | null;
  databaseHeapTotal: number | null;
  external: number;
  arrayBuffers: number;
  /** PGlite: the WebAssembly memory's size, and how much of it is resident. */
  wasmSize: number | null;
  wasmResident: number | null;
  /** Anonymous executable mappings: V8's JIT and WebAssembly code. */
  code: number;
  /** Other anonymous memory: the V8 heap, malloc (WebAssembly compiler, Node buffers, sockets). */
  otherAnon: number;
  /** Mapped files: the node binary and shared libraries. */
  files: number;
}

const MB = 1024 * 1024;
const round = (bytes: number) => Math.round(bytes / MB);

async function metricsOf(url: string, token: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
  const values = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    const m = /^([a-z_]+)(?:\{[^}]*\})? (\S+)$/.exec(line);
    if (m && !values.has(m[1]!)) values.set(m[1]!, Number(m[2]));
  }
  return values;
}

async function memoryOf(pid: number, url: string, token: string): Promise<MemoryBreakdown> {
  const m = await metricsOf(url, token);
  const wasmBytes = m.get('siteshift_pglite_wasm_memory_bytes') ?? null;
  let wasmKb = 0;
  let codeKb = 0;
  let anonKb = 0;
  let fileKb = 0;
  let mapping: { size: number; perms: string; name: string } | null = null;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      mapping = {
        size: Number.parseInt(head[2]!, 16) - Number.parseInt(head[1]!, 16),
        perms: head[3]!,
        name: head[4]!,
      };
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (!rss || !mapping) continue;
    const kb = Number(rss[1]);
    if (mapping.name.startsWith('/')) fileKb += kb;
    // V8 maps a WebAssembly memory on its own, exactly its size (no guard region on this build).
    else if (wasmBytes !== null && mapping.size === wasmBytes) wasmKb += kb;
    else if (mapping.perms.includes('x')) codeKb += kb;
    else anonKb += kb;
  }
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    rss: Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024),
    heapUsed: round(m.get('nodejs_heap_used_bytes') ?? 0),
    heapTotal: round(m.get('nodejs_heap_total_bytes') ?? 0),
    databaseHeapUsed: m.has('siteshift_pglite_heap_used_bytes')
      ? round(m.get('siteshift_pglite_heap_used_bytes')!)
      : null,
    databaseHeapTotal: m.has('siteshift_pglite_heap_total_bytes')
      ? round(m.get('siteshift_pglite_heap_total_bytes')!)
      : null,
    external: round(m.get('nodejs_external_memory_bytes') ?? 0),
    arrayBuffers: round(m.get('nodejs_array_buffers_bytes') ?? 0),
    wasmSize: wasmBytes === null ? null : round(wasmBytes),
    wasmResident: wasmBytes === null ? null : Math.round(wasmKb / 1024),
    code: Math.round(codeKb / 1024),
    otherAnon: Math.round(anonKb / 1024),
    files: Math.round(fileKb / 1024),
  };
}

/** User + system CPU seconds of a process so far. */
function cpuSeconds(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function pct(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
}

class Samples {
  private buf = new Float64Array(1 << 16);
  n = 0;
  push(v: number) {
    if (this.n === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = v;
  }
  sorted(): Float64Array {
    return this.buf.slice(0, this.n).sort();
  }
}

async function startServer(
  extra: string[],
  dir: string,
  bootstrap = true,
): Promise<{ child: ChildProcess; url: string; token: string }> {
  const tokenFile = join(dir, 'token');
  const child = spawn(
    process.execPath,
    [
      // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" profiles the server.
      ...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []),
      bundledCli(),
      'server',
      '--port',
      '0',
      ...(bootstrap ? ['--bootstrap-token-file', tokenFile] : []),
      ...extra,
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const url = await new Promise<string>((res, rej) => {
    const timer = setInterval(() => {
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearInterval(timer);
        res(m[1]!);
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      rej(new Error(`server exited (${code}): ${err}`));
    });
  });
  return { child, url, token: readFileSync(tokenFile, 'utf8').trim() };
}

function peakRssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
}

async function runOne(database: 'pglite' | 'postgres'): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'siteshift-bench-'));
  let dropDb: (() => Promise<void>) | null = null;
  let serverArgs: string[];
  if (database === 'postgres') {
    const name = `siteshift_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgAdmin });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(pgAdmin);
    u.pathname = `/${name}`;
    serverArgs = ['--database-url', u.toString(), '--key-file', join(dir, 'server.key')];
    dropDb = async () => {
      const c = new pg.Client({ connectionString: pgAdmin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else serverArgs = ['--data', join(dir, 'data')];

  const setupStart = Date.now();
  let firstStartPeakRssMB: number | null = null;
  let firstStartSec: number | null = null;
  let firstStartMemory: MemoryBreakdown | null = null;
  if (database === 'pglite') {
    // The first start creates the database; measure it apart, then the server as it runs day to
    // day: created once, stopped, started again.
    const init = await startServer(serverArgs, dir);
    firstStartSec = Math.round((Date.now() - setupStart) / 100) / 10;
    firstStartPeakRssMB = peakRssMB(init.child.pid!);
    firstStartMemory = await memoryOf(init.child.pid!, init.url, init.token);
    const gone = new Promise((r) => init.child.once('exit', r));
    init.child.kill('SIGTERM');
    await gone;
  }
  const servers = [await startServer(serverArgs, dir)];
  const { url, token } = servers[0]!;
  const sockets: WebSocket[] = [];
  try {
    const admin = new ConfigServerClient({ url, token });
    await admin.addSite('bench-a', 'primary');
    await admin.addSite('bench-b', 'secondary');
    const agentToken = (await admin.createToken('bench-agent', 'agent')).secret;
    const viewerToken = (await admin.createToken('bench-viewer', 'viewer')).secret;
    const agent = new ConfigServerClient({ url, token: agentToken });
    const pairIds: string[] = [];
    await inBatches(
      Array.from({ length: PAIRS }, (_, i) => i),
      16,
      async (i) => {
        const p = await admin.addPair({
          sourceSite: 'bench-a',
          targetSite: 'bench-b',
          sourceVmId: `vm-${i}`,
          sourceVmName: `bench-${i}`,
          osFamily: 'linux',
          rpoThresholdSec: 900,
        });
        await agent.reportProgress(p.id, 'initial-replication-started');
        await agent.reportProgress(p.id, 'initial-replication-complete');
        pairIds.push(p.id);
      },
    );
    admin.close();
    agent.close();
    // The other instances start on the database the first one created (no bootstrap token).
    for (let i = 1; i < INSTANCES; i++) servers.push(await startServer(serverArgs, dir, false));
    const setupSec = Math.round((Date.now() - setupStart) / 100) / 10;

    // Watchers: plain ws + JSON.parse, so the bench measures the server rather than client-side validation.
    const sendTimes = new Map<number, number>();
    /** Which instance each report went to. */
    const sentTo = new Map<number, number>();
    const eventLatency = new Samples();
    const crossLatency = new Samples();
    const perEventLatency = servers.map(() => new Samples());
    const perEvents = servers.map(() => 0);
    let eventsReceived = 0;
    let streamDrops = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, (_, w) => {
        const on = w % servers.length;
        const wsUrl = `${servers[on]!.url.replace(/^http/, 'ws')}/api/v1/events?types=pair.stats`;
        const ws = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${viewerToken}` } });
        sockets.push(ws);
        ws.on('message', (data) => {
          const parsed = JSON.parse(String(data)) as unknown;
          const frames = (Array.isArray(parsed) ? parsed : [parsed]) as Array<{
            id?: string;
            payload?: { stats?: { throughputBps: number } };
          }>;
          const at = performance.now();
          for (const frame of frames) {
            const seq = frame.payload?.stats?.throughputBps;
            if (frame.id === undefined || seq === undefined) continue;
            eventsReceived++;
            perEvents[on]!++;
            const sent = sendTimes.get(seq);
            if (sent === undefined) continue;
            eventLatency.push(at - sent);
            perEventLatency[on]!.push(at - sent);
            if (sentTo.get(seq) !== on) crossLatency.push(at - sent);
          }
        });
        ws.on('close', () => streamDrops++);
        return new Promise<void>((res, rej) => {
          ws.on('message', function first(data) {
            if (String(data).includes('"ready"')) {
              ws.off('message', first);
              res();
            }
          });
          ws.once('error', rej);
        });
      }),
    );

    const memoryBefore = await memoryOf(servers[0]!.child.pid!, url, token);
    // Load: every pair once per second, spread evenly, at most 128 requests in flight.
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 128 });
    const targets = servers.map((s) => new URL(s.url));
    const reqLatency = new Samples();
    const perReqLatency = servers.map(() => new Samples());
    let sent = 0;
    let ok = 0;
    let errors = 0;
    let inFlight = 0;
    let seq = 1_000_000;
    const post = (pairId: string) => {
      const mySeq = seq++;
      const on = mySeq % servers.length;
      const target = targets[on]!;
      sentTo.set(mySeq, on);
      const body = JSON.stringify({
        rpoSec: 20 + (mySeq % 60),
        pendingChangeBytes: 1e8,
        diskSizeBytes: 1e11,
        throughputBps: mySeq,
        progress: 1,
      });
      const t0 = performance.now();
      sendTimes.set(mySeq, t0);
      sent++;
      inFlight++;
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: `/agent/v1/pairs/${pairId}/stats`,
          method: 'POST',
          agent: keepAlive,
          headers: {
            authorization: `Bearer ${agentToken}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            inFlight--;
            if (res.statusCode === 200) {
              ok++;
              reqLatency.push(performance.now() - t0);
              perReqLatency[on]!.push(performance.now() - t0);
            } else errors++;
          });
        },
      );
      req.on('error', () => {
        inFlight--;
        errors++;
      });
      req.end(body);
    };
    const cpuStart = servers.map((srv) => cpuSeconds(srv.child.pid!));
    const loadStart = performance.now();
    const machineLoadStart = loadavg()[0]!;
    const endAt = loadStart + SECONDS * 1000;
    let next = 0;
    await new Promise<void>((done) => {
      const tick = setInterval(() => {
        const now = performance.now();
        if (now >= endAt) {
          clearInterval(tick);
          done();
          return;
        }
        // How many reports are due by now at PAIRS per second.
        const due = Math.floor(((now - loadStart) / 1000) * PAIRS);
        while (next < due && inFlight < 128) {
          post(pairIds[next % pairIds.length]!);
          next++;
        }
      }, 5);
    });
    const loadSec = (performance.now() - loadStart) / 1000;
    const machineLoadEnd = loadavg()[0]!;
    // Let in-flight requests and their events land.
    const drainUntil = performance.now() + 5000;
    while ((inFlight > 0 || eventsReceived < ok * CLIENTS) && performance.now() < drainUntil)
      await new Promise((r) => setTimeout(r, 50));
    // Server CPU from the first report to the last event delivered.
    const cpuUsed = servers.reduce((sum, srv, i) => sum + cpuSeconds(srv.child.pid!) - cpuStart[i]!, 0);
    const cpuSec = (performance.now() - loadStart) / 1000;
    keepAlive.destroy();
    const largest = servers.reduce((a, b) => (peakRssMB(b.child.pid!) > peakRssMB(a.child.pid!) ? b : a));
    const memoryAfter = await memoryOf(largest.child.pid!, largest.url, token);
    const rssEach = servers.map((s) => peakRssMB(s.child.pid!));
    const rss = Math.max(...rssEach);
    const rl = reqLatency.sorted();
    const el = eventLatency.sorted();
    const cl = crossLatency.sorted();
    return {
      database,
      machineLoad: { start: machineLoadStart, end: machineLoadEnd },
      pairs: PAIRS,
      clients: CLIENTS,
      seconds: SECONDS,
      requestsSent: sent,
      requestsOk: ok,
      requestErrors: errors,
      requestsPerSec: Math.round(ok / loadSec),
      requestLatencyMs: { p50: pct(rl, 50), p99: pct(rl, 99) },
      eventsExpected: ok * CLIENTS,
      eventsReceived,
      eventLatencyMs: { p50: pct(el, 50), p99: pct(el, 99) },
      streamDrops: Math.max(0, streamDrops),
      serverPeakRssMB: rss,
      perInstance:
        servers.length < 2
          ? []
          : servers.map((_, i) => {
              const r = perReqLatency[i]!.sorted();
              const e = perEventLatency[i]!.sorted();
              return {
                instance: i + 1,
                requestsOk: r.length,
                requestLatencyMs: { p50: pct(r, 50), p99: pct(r, 99) },
                eventsReceived: perEvents[i]!,
                eventLatencyMs: { p50: pct(e, 50), p99: pct(e, 99) },
                serverPeakRssMB: rssEach[i]!,
              };
            }),
      crossInstanceEventLatencyMs:
        servers.length < 2 ? null : { p50: pct(cl, 50), p99: pct(cl, 99), events: cl.length },
      firstStartPeakRssMB,
      firstStartSec,
      cpu: {
        percent: Math.round((cpuUsed / cpuSec) * 1000) / 10,
        msPerReport: ok ? Math.round((cpuUsed / ok) * 1e5) / 100 : Number.NaN,
        usPerDelivery: eventsReceived ? Math.round((cpuUsed / eventsReceived) * 1e7) / 10 : Number.NaN,
      },
      memory: { beforeLoad: memoryBefore, afterLoad: memoryAfter, firstStart: firstStartMemory },
      setupSec,
    };
  } finally {
    for (const ws of sockets) ws.terminate();
    for (const { child } of servers) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(force);
    }
    await dropDb?.();
    rmSync(dir, { recursive: true, force: true });
  }
}

function memoryTable(r: Result): string[] {
  const cols: Array<[string, MemoryBreakdown | null]> = [
    ['first start', r.memory.firstStart],
    ['before load', r.memory.beforeLoad],
    ['after load', r.memory.afterLoad],
  ];
  const shown = cols.filter((c): c is [string, MemoryBreakdown] => c[1] !== null);
  const row = (label: string, f: (m: MemoryBreakdown) => string) =>
    `    ${label.padEnd(44)}${shown.map(([, m]) => f(m).padStart(13)).join('')}`;
  const lines = [
    `  memory breakdown (MB${r.perInstance.length ? ', largest instance' : ''})`,
    `    ${''.padEnd(44)}${shown.map(([name]) => name.padStart(13)).join('')}`,
    row('RSS now', (m) => String(m.rss)),
  ];
  if (shown.some(([, m]) => m.wasmSize !== null))
    lines.push(row('PGlite WebAssembly memory: resident / size', (m) => `${m.wasmResident} / ${m.wasmSize}`));
  lines.push(
    row('executable anonymous (JIT and wasm code)', (m) => String(m.code)),
    row('other anonymous (V8 heap, malloc)', (m) => String(m.otherAnon)),
    row('mapped files (node binary, libraries)', (m) => String(m.files)),
    row('V8 heap used / total (main thread)', (m) => `${m.heapUsed} / ${m.heapTotal}`),
    row('external / of which ArrayBuffers', (m) => `${m.external} / ${m.arrayBuffers}`),
  );
  if (shown.some(([, m]) => m.databaseHeapTotal !== null))
    lines.push(
      row('V8 heap used / total (database thread)', (m) => `${m.databaseHeapUsed} / ${m.databaseHeapTotal}`),
    );
  if (r.database === 'pglite')
    lines.push(
      `    PostgreSQL settings passed at start: ${Object.entries(PGLITE_SETTINGS)
        .map(([k, v]) => `${k}=${v}`)
        .join(
          ', ',
        )} (others at PostgreSQL's defaults: work_mem 4MB, temp_buffers 8MB, wal_buffers 1/32 of shared_buffers); data folder on disk`,
    );
  return lines;
}

const results: Result[] = [];
const dbs = args.db!.split(',') as Array<'pglite' | 'postgres'>;
if (INSTANCES > 1 && dbs.includes('pglite')) {
  if (args.db !== 'pglite,postgres')
    throw new Error('--instances N needs --db postgres: PGlite lives inside one server process');
  // The default list: several instances only make sense on the shared database.
  dbs.splice(dbs.indexOf('pglite'), 1);
}
for (const db of dbs) {
  process.stderr.write(
    `bench:server: ${db}: ${PAIRS} pairs, ${CLIENTS} watchers, ${SECONDS} s, ${INSTANCES} instance(s) ...\n`,
  );
  results.push(await runOne(db));
}
if (args.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
else {
  for (const r of results) {
    process.stdout.write(
      [
        `${r.database}: ${r.pairs} pairs × 1 report/s, ${r.clients} event-stream watchers, ${r.seconds} s (setup ${r.setupSec} s; machine load ${r.machineLoad.start.toFixed(2)} → ${r.machineLoad.end.toFixed(2)})`,
        `  agent API      ${r.requestsPerSec} requests/s (${r.requestsOk} ok, ${r.requestErrors} errors, ${r.requestsSent} sent; target ${r.pairs}/s)`,
        `  request        p50 ${r.requestLatencyMs.p50} ms, p99 ${r.requestLatencyMs.p99} ms`,
        `  event latency  p50 ${r.eventLatencyMs.p50} ms, p99 ${r.eventLatencyMs.p99} ms (${r.eventsReceived}/${r.eventsExpected} events delivered, ${Math.max(0, r.eventsExpected - r.eventsReceived)} lost, ${r.streamDrops} stream drops)`,
        `  server CPU     ${r.cpu.percent} % of one core${r.perInstance.length ? ' (all instances)' : ''}: ${r.cpu.msPerReport} ms per report, ${r.cpu.usPerDelivery} µs per event delivered to a watcher`,
        `  server memory  peak RSS ${r.serverPeakRssMB} MB${r.perInstance.length ? ' (largest instance)' : ''}${r.firstStartPeakRssMB ? ` (first start, creating the PGlite database: ${r.firstStartPeakRssMB} MB in ${r.firstStartSec} s)` : ''}`,
        ...(args.memory ? memoryTable(r) : []),
        ...r.perInstance.map(
          (p) =>
            `  instance ${p.instance}     requests ${p.requestsOk} ok, p50 ${p.requestLatencyMs.p50} ms, p99 ${p.requestLatencyMs.p99} ms; events ${p.eventsReceived} to its watchers, p50 ${p.eventLatencyMs.p50} ms, p99 ${p.eventLatencyMs.p99} ms; peak RSS ${p.serverPeakRssMB} MB`,
        ),
        ...(r.crossInstanceEventLatencyMs
          ? [
              `  cross-instance event latency  p50 ${r.crossInstanceEventLatencyMs.p50} ms, p99 ${r.crossInstanceEventLatencyMs.p99} ms (${r.crossInstanceEventLatencyMs.events} events reported on one instance, delivered by another)`,
            ]
          : []),
        '',
      ].join('\n'),
    );
  }
}
