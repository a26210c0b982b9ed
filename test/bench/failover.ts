/**
 * npm run bench:failover — a test failover of a 100-VM plan in 5 boot groups against two vcsim
 * vCenters whose tasks take realistic time (govmomi's Model.DelayConfig: CreateVM_Task 3 s,
 * PowerOnVM_Task 2 s, ReconfigVM_Task 1 s), at parallelism 1 and at parallelism 10; prints both
 * wall times, the speed-up, and how close each gets to its floor (the delayed tasks themselves,
 * run as the plan's parallelism and the server's task cap per vCenter allow), step by step: each
 * step of the job beside its own floor, and the time outside the steps (the command's start to
 * the job's creation, the queue, between steps, the job's end to the command's exit). Beside each
 * run, the CPU seconds it cost the server, the simulators, the CLI and the lab agent: on a machine
 * others share, the wall time says as much about them as about the failover.
 *
 * Measured as a user feels it: `siteshift failover web --type test --yes` run as its own process
 * against `siteshift server` in its own process, from the command's start to its exit (CLI
 * start-up, job queueing, every step, the live progress). Between runs `siteshift cleanup`
 * removes the test VMs (not measured). Runs alternate between the parallelisms; with --runs N
 * the median of each is printed. The server's peak memory (VmHWM) is printed beside.
 *
 * 100 one-disk VMs need 100 replica disks, more than one master target's 60 slots: the bench
 * configures two master targets; the plan names the first and protect registers the pairs,
 * spilling onto the second when the first is full.
 *
 * Options: --vms N (default 100) --groups N (5) --parallelism 1,10 --runs N (1)
 * --delay CreateVM_Task=3000,PowerOnVM_Task=2000,ReconfigVM_Task=1000 --task-cap N (server
 * default) --json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigServerClient } from '../../core/configserver';
import { LabAgent } from '../../server/lab/agent';
import { DEFAULT_ENDPOINT_TASK_CAP } from '../../server/sessions';
import type { Job } from '../../shared/schemas/job';
import { startVcsim, type Vcsim } from '../vcsim/harness';
import { bundledCli } from './cli';

const root = resolve(import.meta.dirname, '../..');
const bin = bundledCli();
const { values: args } = parseArgs({
  options: {
    vms: { type: 'string', default: '100' },
    groups: { type: 'string', default: '5' },
    parallelism: { type: 'string', default: '1,10' },
    runs: { type: 'string', default: '1' },
    delay: { type: 'string', default: 'CreateVM_Task=3000,PowerOnVM_Task=2000,ReconfigVM_Task=1000' },
    'task-cap': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const VMS = Number(args.vms);
const GROUPS = Number(args.groups);
const RUNS = Number(args.runs);
const PARALLELISMS = args.parallelism.split(',').map(Number);
const DELAYS = Object.fromEntries(
  args.delay.split(',').map((kv) => {
    const [k, v] = kv.split('=');
    return [k!.trim(), Number(v)];
  }),
) as Record<string, number>;
/** The server's default cap on concurrent vCenter tasks (server/sessions.ts). */
const TASK_CAP = args['task-cap'] ? Number(args['task-cap']) : DEFAULT_ENDPOINT_TASK_CAP;
for (const [name, n] of [
  ['--vms', VMS],
  ['--groups', GROUPS],
  ['--runs', RUNS],
  ['--task-cap', TASK_CAP],
  ...PARALLELISMS.map((p) => ['--parallelism', p] as const),
] as const)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} takes whole numbers >= 1`);
if (VMS > 120) throw new Error('--vms: at most 120 (two master targets of 60 slots)');

const log = (line: string) => {
  if (!args.json) process.stderr.write(`${line}\n`);
};

/** CPU seconds (user + system) a process used so far; `children`: those of its children it waited for. */
function cpuSec(pid: number | 'self', children = false): number {
  // Fields after the command name (which may hold spaces): utime is 14th, cutime 16th of the line.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const [u, s] = children ? [fields[13], fields[14]] : [fields[11], fields[12]];
  return (Number(u) + Number(s)) / CLOCK_TICKS;
}
/** sysconf(_SC_CLK_TCK): 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

/** The simulators: this process's children that are not Node (the CLI runs are waited for). */
function simPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const [comm, rest] = [
          stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
          stat.slice(stat.lastIndexOf(')') + 2),
        ];
        return Number(rest.split(' ')[1]) === process.pid && comm !== 'node' && comm !== 'MainThread';
      } catch {
        return false;
      }
    })
    .map(Number);
}

function peakRssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function until<T>(
  fn: () => Promise<T | null | undefined | false>,
  what: string,
  ms: number,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function startServer(data: string, tokenFile: string): Promise<{ child: ChildProcess; url: string }> {
  const extra = args['task-cap'] ? ['--endpoint-task-cap', String(TASK_CAP)] : [];
  const child = spawn(
    process.execPath,
    [bin, 'server', '--port', '0', '--data', data, '--bootstrap-token-file', tokenFile, ...extra],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  child.once('exit', (code) => {
    if (code !== null && code !== 0) process.stderr.write(`siteshift server exited with ${code}: ${err}\n`);
  });
  const url = await until(async () => /listening on (\S+)/.exec(out)?.[1], 'the server', 120_000);
  return { child, url };
}

/** Runs a siteshift command as its own process; resolves with its wall time once it exits. */
function timed(
  cmd: string[],
  token: string,
): Promise<{ ms: number; code: number | null; out: string; startedAt: number; endedAt: number }> {
  const started = performance.now();
  const startedAt = Date.now();
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [bin, ...cmd], {
      cwd: root,
      env: { ...process.env, BENCH_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
    child.stderr.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
    child.on('close', (code) =>
      resolvePromise({ ms: performance.now() - started, code, out, startedAt, endedAt: Date.now() }),
    );
  });
}

/** VM indices per boot group, as the plan below assigns them (round robin). */
function groupSizes(): number[] {
  return Array.from({ length: GROUPS }, (_, g) =>
    Array.from({ length: VMS }, (_, i) => i).filter((i) => i % GROUPS === g),
  ).map((g) => g.length);
}

/**
 * The floor of each step of a test failover: its delayed tasks, at most `width` at once, as if
 * nothing else took time (one disk per VM: the copies are CopyVirtualDisk_Task, undelayed unless
 * --delay names it). Steps not listed start no delayed task: their floor is 0.
 */
function phaseFloorsMs(width: number): Map<string, number> {
  const delay = (m: string) => DELAYS[m] ?? 0;
  const floors = new Map<string, number>([
    ['copy the replica disks for the test', Math.ceil(VMS / width) * delay('CopyVirtualDisk_Task')],
    ['create the recovered VMs', Math.ceil(VMS / width) * delay('CreateVM_Task')],
  ]);
  groupSizes().forEach((n, g) => {
    floors.set(`power on boot group ${g + 1}`, Math.ceil(n / width) * delay('PowerOnVM_Task'));
  });
  return floors;
}

/** The floor of the whole failover: the sum of its steps' floors. */
function floorMs(width: number): number {
  return [...phaseFloorsMs(width).values()].reduce((a, b) => a + b, 0);
}

interface Phase {
  name: string;
  floorSec: number;
  measuredSec: number;
}

/**
 * Where one run's wall time went: each step of the job (its own record: started to finished)
 * beside its floor, and the time outside the steps: from the command's start to the job's
 * creation (CLI start-up, reading the plan, the job's prepare), from there to its first step
 * (queue, claim), between steps, and from the last step's end to the command's exit (the job's
 * end reaching the CLI).
 */
function phasesOf(
  job: Job | undefined,
  run: { ms: number; startedAt: number; endedAt: number },
  width: number,
): Phase[] {
  const floors = phaseFloorsMs(width);
  const sec = (ms: number) => Math.round(ms / 100) / 10;
  const phases: Phase[] = [];
  const steps = (job?.steps ?? []).filter((st) => st.startedAt && st.finishedAt);
  const created = job ? Date.parse(job.createdAt) : run.startedAt;
  const first = steps[0] ? Date.parse(steps[0].startedAt!) : created;
  const last = steps.at(-1) ? Date.parse(steps.at(-1)!.finishedAt!) : first;
  phases.push({
    name: '(command start to job created)',
    floorSec: 0,
    measuredSec: sec(created - run.startedAt),
  });
  phases.push({ name: '(job created to its first step)', floorSec: 0, measuredSec: sec(first - created) });
  let inSteps = 0;
  for (const st of steps) {
    const ms = Date.parse(st.finishedAt!) - Date.parse(st.startedAt!);
    inSteps += ms;
    phases.push({ name: st.name, floorSec: sec(floors.get(st.name) ?? 0), measuredSec: sec(ms) });
  }
  phases.push({ name: '(between the steps)', floorSec: 0, measuredSec: sec(last - first - inSteps) });
  phases.push({ name: '(last step to command exit)', floorSec: 0, measuredSec: sec(run.endedAt - last) });
  return phases;
}

function printPhases(phases: Phase[]): void {
  for (const ph of phases)
    log(
      `bench:failover:     ${ph.measuredSec.toFixed(1).padStart(6)} s  floor ${ph.floorSec.toFixed(1).padStart(5)} s  over ${(ph.measuredSec - ph.floorSec).toFixed(1).padStart(5)} s  ${ph.name}`,
    );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'siteshift-bench-failover-'));
  const started = performance.now();
  let primary: Vcsim | null = null;
  let secondary: Vcsim | null = null;
  let server: { child: ChildProcess; url: string } | null = null;
  let agent: LabAgent | null = null;
  try {
    [primary, secondary] = await Promise.all([
      startVcsim({ clusters: 1, clusterHosts: 4, standaloneHosts: 0, vmsPerPool: VMS }),
      startVcsim({ clusters: 1, clusterHosts: 4, standaloneHosts: 1, vmsPerPool: 1, methodDelay: DELAYS }),
    ]);
    server = await startServer(join(dir, 'data'), join(dir, 'token'));
    const token = readFileSync(join(dir, 'token'), 'utf8').trim();
    const c = new ConfigServerClient({ url: server.url, token });
    await c.addSite('ams', 'primary');
    await c.addSite('rtm', 'secondary');
    for (const [site, vc] of [
      ['ams', primary],
      ['rtm', secondary],
    ] as const)
      await c.addEndpoint({
        site,
        name: `vc-${site}`,
        target: { kind: 'vsphere', url: vc.url, username: vc.username },
        secrets: { password: vc.password },
        trust: { kind: 'thumbprint', thumbprint: vc.thumbprint },
      });
    const [mtA, mtB] = ['DC0_H0_VM0', 'DC0_C0_RP0_VM0'];
    // Configured (their own disks' slots recorded) before any pair takes a slot on them.
    for (const [vm, name] of [
      [mtA, 'mt-a'],
      [mtB, 'mt-b'],
    ] as const) {
      const job = await c.configureMasterTarget({ site: 'rtm', vm, name, controllers: 4 });
      const done = await until(
        async () => {
          const j = await c.getJob(job.id);
          return ['succeeded', 'failed', 'cancelled'].includes(j.state) ? j : null;
        },
        `configure ${name}`,
        300_000,
      );
      if (done.state !== 'succeeded') throw new Error(`configure ${name} ${done.state}: ${done.error}`);
    }
    const machines = Array.from({ length: VMS }, (_, i) => `DC0_C0_RP0_VM${i}`);
    const plan = (parallelism: number) => ({
      name: 'web',
      source: { site: 'ams' },
      target: {
        site: 'rtm',
        masterTarget: 'mt-a',
        placement: { cluster: 'DC0_C0', datastore: 'LocalDS_0' },
        networks: { 'VM Network': 'VM Network', DC0_DVPG0: 'VM Network' },
        testNetwork: 'DC0_DVPG0',
      },
      parallelism,
      machines: machines.map((vm, i) => ({ vm, bootGroup: 1 + (i % GROUPS) })),
    });
    await c.applyPlan(plan(10));
    agent = new LabAgent(c, { tickMs: 250, burstChance: 0, errorChance: 0, rateMbps: 50_000_000 });
    agent.start();
    log(`bench:failover: protecting ${VMS} VMs (replica disks on mt-a, then mt-b)…`);
    const protect = await c.createJob({ kind: 'protect', planId: 'web' });
    const protectedJob = await until(
      async () => {
        const j = await c.getJob(protect.id);
        return ['succeeded', 'failed', 'cancelled'].includes(j.state) ? j : null;
      },
      'protect',
      1_800_000,
    );
    if (protectedJob.state !== 'succeeded')
      throw new Error(`protect ${protectedJob.state}: ${protectedJob.error}`);
    await until(
      async () => {
        for (const p of await c.listPairs()) if ((await c.recoveryPoints(p.id, 1)).length === 0) return false;
        return true;
      },
      'a recovery point per pair',
      300_000,
    );
    const setupSec = Math.round((performance.now() - started) / 1000);
    log(`bench:failover: set up in ${setupSec} s`);

    const conn = ['--server', server.url, '--token-env', 'BENCH_TOKEN'];
    const wall = new Map<number, number[]>(PARALLELISMS.map((p) => [p, []]));
    const peak = new Map<number, number>();
    const phases = new Map<number, Array<{ ms: number; phases: Phase[] }>>(PARALLELISMS.map((p) => [p, []]));
    for (let run = 0; run < RUNS; run++) {
      // Alternate the order each round so that neither side always runs on a warmer machine.
      const order = run % 2 === 0 ? PARALLELISMS : [...PARALLELISMS].reverse();
      for (const p of order) {
        await c.applyPlan(plan(p));
        log(`bench:failover: run ${run + 1}/${RUNS}, parallelism ${p}…`);
        const sims = simPids();
        const cpu = () => ({
          server: cpuSec(server!.child.pid!),
          sims: sims.reduce((a, pid) => a + cpuSec(pid), 0),
          cli: cpuSec('self', true),
          agent: cpuSec('self'),
        });
        const before = cpu();
        const r = await timed(['failover', 'web', '--type', 'test', '--yes', ...conn], token);
        if (r.code !== 0) throw new Error(`siteshift failover exited with ${r.code}:\n${r.out}`);
        const after = cpu();
        wall.get(p)!.push(r.ms);
        peak.set(p, peakRssMB(server.child.pid!));
        // CPU beside the wall time: on a machine others share, what the run itself cost.
        log(
          `bench:failover:   ${(r.ms / 1000).toFixed(1)} s; CPU: server ${(after.server - before.server).toFixed(1)} s, vcsims ${(after.sims - before.sims).toFixed(1)} s, CLI ${(after.cli - before.cli).toFixed(1)} s, lab agent ${(after.agent - before.agent).toFixed(1)} s; load ${loadavg()[0]!.toFixed(2)}`,
        );
        // Where the time went, step by step (the job's own record), beside each step's floor.
        const job = (await c.listJobs({ limit: 5 })).find((j) => j.kind === 'test-failover');
        const ph = phasesOf(job, r, Math.min(p, TASK_CAP));
        phases.get(p)!.push({ ms: r.ms, phases: ph });
        printPhases(ph);
        await c.applyPlan(plan(10));
        const clean = await timed(['cleanup', 'web', ...conn], token);
        if (clean.code !== 0) throw new Error(`siteshift cleanup exited with ${clean.code}:\n${clean.out}`);
      }
    }
    const jobs: Job[] = await c.listJobs({ limit: 50 });
    c.close();
    const results = PARALLELISMS.map((p) => {
      const ms = median(wall.get(p)!);
      const width = Math.min(p, TASK_CAP);
      const floor = floorMs(width);
      return {
        parallelism: p,
        concurrentTasks: width,
        wallSec: Math.round(ms / 100) / 10,
        runsSec: wall.get(p)!.map((x) => Math.round(x / 100) / 10),
        floorSec: Math.round(floor / 100) / 10,
        floorShare: Math.round((floor / ms) * 100) / 100,
        serverPeakRssMB: peak.get(p) ?? null,
        // The steps of the run whose wall time is the median.
        phases: phases.get(p)!.find((x) => x.ms === ms)?.phases ?? [],
      };
    });
    const [slow, fast] = [results[0]!, results.at(-1)!];
    const out = {
      vms: VMS,
      groups: GROUPS,
      delaysMs: DELAYS,
      taskCapPerVcenter: TASK_CAP,
      runs: RUNS,
      setupSec,
      results,
      speedUp: Math.round((slow.wallSec / fast.wallSec) * 100) / 100,
      floorSpeedUp: Math.round((slow.floorSec / fast.floorSec) * 100) / 100,
      jobsSeen: jobs.length,
    };
    if (args.json) {
      process.stdout.write(`${JSON.stringify(out)}\n`);
      return;
    }
    process.stdout.write(
      `test failover of a ${VMS}-VM plan in ${GROUPS} boot groups, vcsim delays ${args.delay}, task cap ${TASK_CAP} per vCenter, median of ${RUNS}\n`,
    );
    for (const r of results)
      process.stdout.write(
        `  parallelism ${String(r.parallelism).padStart(2)}: ${r.wallSec.toFixed(1)} s wall (runs ${r.runsSec.join(', ')}), floor ${r.floorSec.toFixed(1)} s at ${r.concurrentTasks} task(s) at once (${Math.round(r.floorShare * 100)} % of the wall time is the tasks themselves), server peak ${r.serverPeakRssMB} MB\n`,
      );
    for (const r of results) {
      process.stdout.write(`  parallelism ${r.parallelism}, step by step (measured / floor):\n`);
      for (const ph of r.phases)
        process.stdout.write(
          `    ${ph.measuredSec.toFixed(1).padStart(6)} s / ${ph.floorSec.toFixed(1).padStart(5)} s  ${ph.name}\n`,
        );
    }
    process.stdout.write(
      `  speed-up ${out.speedUp}× (goal ≥ 8×; the tasks alone allow ${out.floorSpeedUp}×)\n`,
    );
  } finally {
    await agent?.stop();
    server?.child.kill('SIGTERM');
    await Promise.all([primary?.stop(), secondary?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
