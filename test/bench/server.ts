/**
 * npm run bench:server — 1,000 pairs reporting statistics every second through the agent API
 * while 50 clients watch the event stream; prints requests per second, event latency p50/p99
 * and the server's peak memory, on PGlite and on PostgreSQL.
 *
 * The server runs as `siteshift server` in its own process (so its memory is its own); the load
 * and the watchers run here. Options: --pairs N --clients N --seconds N --db pglite,postgres
 * --instances N --json. With --instances N (PostgreSQL only) N server processes share one
 * database: reports and watchers are spread over them round robin, figures are printed per
 * instance, and events reported on one instance and delivered by another are measured apart
 * (cross-instance latency). PostgreSQL: $SITESHIFT_BENCH_PG (default postgres://postgres@127.0.0.1:5432/test);
 * the bench creates and drops its own database.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import WebSocket from 'ws';
import { ConfigServerClient } from '../../core/configserver';

const root = resolve(import.meta.dirname, '../..');
const { values: args } = parseArgs({
  options: {
    pairs: { type: 'string', default: '1000' },
    clients: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
    db: { type: 'string', default: 'pglite,postgres' },
    instances: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
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
  /** PGlite only: peak of the very first start, which creates the database (initdb). */
  firstStartPeakRssMB: number | null;
  setupSec: number;
}

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
      join(root, 'bin/siteshift.mjs'),
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
  if (database === 'pglite') {
    // A new PGlite folder runs initdb in WASM on first open, which alone peaks near 1 GB; measure
    // the server as it runs day to day: created once, stopped, started again.
    const init = await startServer(serverArgs, dir);
    firstStartPeakRssMB = peakRssMB(init.child.pid!);
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
    const loadStart = performance.now();
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
    // Let in-flight requests and their events land.
    const drainUntil = performance.now() + 5000;
    while ((inFlight > 0 || eventsReceived < ok * CLIENTS) && performance.now() < drainUntil)
      await new Promise((r) => setTimeout(r, 50));
    keepAlive.destroy();
    const rssEach = servers.map((s) => peakRssMB(s.child.pid!));
    const rss = Math.max(...rssEach);
    const rl = reqLatency.sorted();
    const el = eventLatency.sorted();
    const cl = crossLatency.sorted();
    return {
      database,
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
        `${r.database}: ${r.pairs} pairs × 1 report/s, ${r.clients} event-stream watchers, ${r.seconds} s (setup ${r.setupSec} s)`,
        `  agent API      ${r.requestsPerSec} requests/s (${r.requestsOk} ok, ${r.requestErrors} errors, ${r.requestsSent} sent; target ${r.pairs}/s)`,
        `  request        p50 ${r.requestLatencyMs.p50} ms, p99 ${r.requestLatencyMs.p99} ms`,
        `  event latency  p50 ${r.eventLatencyMs.p50} ms, p99 ${r.eventLatencyMs.p99} ms (${r.eventsReceived}/${r.eventsExpected} events delivered, ${r.streamDrops} stream drops)`,
        `  server memory  peak RSS ${r.serverPeakRssMB} MB${r.perInstance.length ? ' (largest instance)' : ''}${r.firstStartPeakRssMB ? ` (first start, creating the PGlite database: ${r.firstStartPeakRssMB} MB)` : ''}`,
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
