/**
 * npm run bench:export — `siteshift export lab --vms 5000` in every format, each as a whole
 * process as an operator runs it (start-up, the in-memory lab server and its PGlite included),
 * printing wall time, peak memory (GNU time's maximum resident set) and file size. Formats are
 * alternated between rounds and the median of the rounds is printed.
 *
 * Options: --vms N (default 5000) --runs N (default 1; the lab start dominates and the machine is
 * shared) --formats json,html,svg,png,pdf --json. Load average is printed with the figures.
 *
 * Then the picture alone, in this process: the same estate's export document built once (the lab
 * inventories and a known deployment, no server), each picture format rendered --picture-runs times
 * (default 3): median wall and CPU time (CPU time moves less with the load of a shared machine) and
 * the boxes drawn. --pictures-only skips the whole processes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundledCli } from './cli';

const root = resolve(import.meta.dirname, '../..');
const { values: args } = parseArgs({
  options: {
    vms: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '1' },
    formats: { type: 'string', default: 'json,html,svg,png,pdf' },
    json: { type: 'boolean', default: false },
    'picture-runs': { type: 'string', default: '3' },
    'pictures-only': { type: 'boolean', default: false },
  },
});
const VMS = Number(args.vms);
const RUNS = Number(args.runs);
const PICTURE_RUNS = Number(args['picture-runs']);
const formats = args.formats.split(',');
if (!existsSync('/usr/bin/time')) {
  process.stderr.write('bench:export needs GNU time at /usr/bin/time (apt-get install time)\n');
  process.exit(2);
}

const samples = new Map<string, Array<{ seconds: number; peakMB: number; bytes: number }>>();
if (!args['pictures-only']) {
  const dir = mkdtempSync(join(tmpdir(), 'siteshift-bench-export-'));
  try {
    for (let round = 0; round < RUNS; round++) {
      const order = round % 2 === 0 ? formats : [...formats].reverse();
      for (const format of order) {
        const out = join(dir, `lab.${format}`);
        const started = process.hrtime.bigint();
        const r = spawnSync(
          '/usr/bin/time',
          [
            '-f',
            '%M',
            process.execPath,
            bundledCli(),
            'export',
            'lab',
            '--vms',
            String(VMS),
            '--format',
            format,
            '--out',
            out,
          ],
          { cwd: root, encoding: 'utf8' },
        );
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (r.status !== 0) throw new Error(`export ${format} failed (${r.status}): ${r.stderr}`);
        const peakKB = Number(r.stderr.trim().split('\n').pop());
        const list = samples.get(format) ?? [];
        list.push({ seconds, peakMB: peakKB / 1024, bytes: statSync(out).size });
        samples.set(format, list);
        process.stderr.write(`  ${format}: ${seconds.toFixed(1)} s\n`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
const rows = formats
  .filter((format) => samples.has(format))
  .map((format) => {
    const s = samples.get(format)!;
    return {
      format,
      seconds: median(s.map((x) => x.seconds)),
      peakMB: median(s.map((x) => x.peakMB)),
      bytes: median(s.map((x) => x.bytes)),
    };
  });
const load = loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
const pictures = await picturesInProcess();
if (args.json) {
  process.stdout.write(`${JSON.stringify({ vms: VMS, runs: RUNS, load, rows, pictures }, null, 2)}\n`);
} else {
  if (rows.length > 0) {
    process.stdout.write(
      `siteshift export lab --vms ${VMS}: median of ${RUNS} run(s) per format, whole processes (node ${process.version}, load ${load})\n`,
    );
    process.stdout.write('FORMAT  TIME      PEAK RSS   SIZE\n');
  }
  for (const r of rows) {
    process.stdout.write(
      `${r.format.padEnd(6)}  ${`${r.seconds.toFixed(1)} s`.padEnd(8)}  ${`${r.peakMB.toFixed(0)} MB`.padEnd(9)}  ${(r.bytes / 1024).toFixed(0)} KiB\n`,
    );
  }
  process.stdout.write(
    `the picture alone, in-process (export document of the ${VMS}-VM lab built once; median of ${PICTURE_RUNS}):\n`,
  );
  process.stdout.write('FORMAT  WALL      CPU       BOXES\n');
  for (const p of pictures)
    process.stdout.write(
      `${p.format.padEnd(6)}  ${`${p.wall.toFixed(2)} s`.padEnd(8)}  ${`${p.cpu.toFixed(2)} s`.padEnd(8)}  ${p.boxes}\n`,
    );
  process.stdout.write(`${execFileSync('uptime', { encoding: 'utf8' }).trim()}\n`);
}

async function picturesInProcess() {
  const { createLabEstate } = await import('../../core/lab/estate');
  const { renderExport } = await import('../../core/topology/export');
  const { knownLabExport } = await import('../support/export');
  const doc = await knownLabExport(createLabEstate({ vms: VMS }), 'bench');
  const out: Array<{ format: string; wall: number; cpu: number; boxes: number }> = [];
  for (const format of ['svg', 'png', 'html', 'pdf'] as const) {
    const walls: number[] = [];
    const cpus: number[] = [];
    let bytes: Buffer = Buffer.alloc(0);
    for (let i = 0; i < PICTURE_RUNS; i++) {
      const cpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      bytes = await renderExport(doc, format);
      walls.push(Number(process.hrtime.bigint() - started) / 1e9);
      const used = process.cpuUsage(cpu);
      cpus.push((used.user + used.system) / 1e6);
    }
    const svg = format === 'svg' || format === 'html' ? bytes.toString('utf8') : '';
    out.push({
      format,
      wall: median(walls),
      cpu: median(cpus),
      boxes: svg ? (svg.match(/<g class="node"/g)?.length ?? 0) : 0,
    });
  }
  return out;
}
