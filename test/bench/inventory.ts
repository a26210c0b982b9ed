/**
 * `npm run bench:inventory [-- --vms 20000] [-- --runs N]`: what a user feels when reading a
 * big vCenter. Whole processes, start-up included, against one vcsim (strict mode) of 4,900 VMs
 * (2 datacenters × (5 clusters of 4 hosts + 2 standalone hosts), 350 VMs per resource pool, 4
 * datastores, 3 port groups):
 *
 *  - siteshift: `siteshift inventory vsphere --json` (the CLI bundle, as installed);
 *  - govmomi:   test/vcsim/reference, the same property paths per type read through a container
 *               view with VMware's own Go client (decoded into its typed managed objects);
 *  - govmomi (minimal): the same program reading only name, config.uuid, runtime.powerState,
 *               runtime.host, config.hardware.device and network of every VM plus host and
 *               network names — shown for reference.
 *
 * Alternated runs after one untimed warm-up each, the median of N (default 5), and the peak RSS
 * of every process (GNU time's %M), printed with the machine's load (`uptime`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGoProgram, startVcsim } from '../vcsim/harness';
import { bundledCli } from './cli';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} needs a whole number above 0`);
  return n;
}

const RUNS = flag('runs', 5);
const WANTED_VMS = flag('vms', 4900);
const SHAPE = {
  datacenters: 2,
  clusters: 5,
  clusterHosts: 4,
  standaloneHosts: 2,
  datastores: 4,
  portgroups: 3,
};
const POOLS = SHAPE.datacenters * (SHAPE.clusters + SHAPE.standaloneHosts);
const MODEL = { ...SHAPE, vmsPerPool: Math.ceil(WANTED_VMS / POOLS) };
const EXPECTED_VMS = POOLS * MODEL.vmsPerPool;

interface Run {
  ms: number;
  rssMb: number;
  stdout: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () => execFileSync('uptime', { encoding: 'utf8' }).trim();

/** One whole process under GNU time: wall time measured here, peak RSS from %M (KB). */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'siteshift-bench-'));
  const report = join(dir, 'time');
  return new Promise<Run>((resolve, reject) => {
    const start = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', report, command, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      err = (err + c.toString()).slice(-2000);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = performance.now() - start;
      try {
        if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}: ${err}`);
        const kb = Number(readFileSync(report, 'utf8').trim().split('\n').at(-1));
        resolve({ ms, rssMb: kb / 1024, stdout: Buffer.concat(out).toString('utf8') });
      } catch (e) {
        reject(e);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

async function main(): Promise<void> {
  process.stdout.write('building the simulator and the govmomi reference…\n');
  const [, refBin] = await Promise.all([buildGoProgram('sim'), buildGoProgram('reference')]);
  const cli = [bundledCli()];
  const t0 = performance.now();
  // A big model on a loaded machine takes minutes to build.
  const sim = await startVcsim(
    { ...MODEL, username: 'bench', password: 'bench-password' },
    { startTimeoutMs: 900_000 },
  );
  process.stdout.write(
    `vcsim with ${EXPECTED_VMS} VMs up in ${((performance.now() - t0) / 1000).toFixed(1)} s at ${sim.url}\n`,
  );
  const env = { ...process.env, VCSIM_PASSWORD: sim.password, BENCH_VC_PASSWORD: sim.password };
  const ours = () =>
    timed(
      process.execPath,
      [
        ...cli,
        'inventory',
        'vsphere',
        '--url',
        sim.url,
        '--username',
        sim.username,
        '--password-env',
        'BENCH_VC_PASSWORD',
        '--thumbprint',
        sim.thumbprint,
        '--json',
      ],
      env,
    );
  const reference = (props: 'inventory' | 'minimal') =>
    timed(
      refBin,
      ['-url', sim.url, '-thumbprint', sim.thumbprint, '-username', sim.username, '-props', props],
      env,
    );
  try {
    // Warm-up (the simulator's caches, the page cache for both programs), and a check that
    // both sides read every VM.
    const first = await ours();
    const doc = JSON.parse(first.stdout) as { vms: unknown[] };
    if (doc.vms.length !== EXPECTED_VMS)
      throw new Error(`siteshift read ${doc.vms.length} VMs, expected ${EXPECTED_VMS}`);
    const ref = JSON.parse((await reference('inventory')).stdout) as { vms: number };
    if (ref.vms !== EXPECTED_VMS) throw new Error(`govmomi read ${ref.vms} VMs, expected ${EXPECTED_VMS}`);
    await reference('minimal');

    const runs = { siteshift: [] as Run[], govmomi: [] as Run[], minimal: [] as Run[] };
    const loadBefore = load();
    for (let i = 0; i < RUNS; i++) {
      // Alternated, so that load from elsewhere on the machine hits every side alike.
      runs.govmomi.push(await reference('inventory'));
      runs.siteshift.push(await ours());
      runs.minimal.push(await reference('minimal'));
    }
    const loadAfter = load();
    const line = (name: string, rs: Run[]) =>
      `${name.padEnd(19)} median ${median(rs.map((r) => r.ms))
        .toFixed(0)
        .padStart(6)} ms, peak RSS median ${median(rs.map((r) => r.rssMb))
        .toFixed(0)
        .padStart(
          4,
        )} MB (max ${Math.max(...rs.map((r) => r.rssMb)).toFixed(0)} MB); runs ${rs.map((r) => r.ms.toFixed(0)).join(', ')} ms`;
    const s = median(runs.siteshift.map((r) => r.ms));
    const g = median(runs.govmomi.map((r) => r.ms));
    const m = median(runs.minimal.map((r) => r.ms));
    process.stdout.write(
      [
        `whole processes, ${EXPECTED_VMS} VMs, ${RUNS} alternated runs each:`,
        line('siteshift', runs.siteshift),
        line('govmomi (same)', runs.govmomi),
        line('govmomi (minimal)', runs.minimal),
        `ratio siteshift / govmomi (same properties): ${(s / g).toFixed(2)} (goal ≤ 0.80)`,
        `ratio siteshift / govmomi (minimal properties): ${(s / m).toFixed(2)}`,
        `load before: ${loadBefore}`,
        `load after:  ${loadAfter}`,
        '',
      ].join('\n'),
    );
  } finally {
    await sim.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`bench:inventory failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
