import type { Command } from 'commander';
import type { ConfigServerClient } from '../../core/configserver';
import type { Job, JobKind } from '../../shared/schemas/job';
import { jobStateSchema } from '../../shared/schemas/job';
import { CliError, confirmByTyping, printTable } from '../io';
import { type ConnOpts, choice, client, run, withConn } from './deployment';

/**
 * The DR verbs (protect, failover, cleanup, commit, rollback) and `jobs`. A verb that starts a
 * job waits for it and shows its steps as they go: a live list with progress bars on a terminal,
 * plain lines otherwise, JSON lines with --json. The exit code is 0 only when the job succeeded.
 */

const terminal = new Set(['succeeded', 'failed', 'cancelled']);

function bar(fraction: number, width = 20): string {
  const n = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}]`;
}

const mark: Record<string, string> = {
  pending: ' ',
  running: '>',
  succeeded: '✓',
  skipped: '-',
  failed: '✗',
};

function stepLines(job: Job): string[] {
  const lines = [
    `${job.kind} ${job.id}${job.dryRun ? ' (dry run)' : ''}: ${job.state} ${bar(job.progress)} ${Math.round(job.progress * 100)}%`,
  ];
  for (const s of job.steps) {
    const took =
      s.startedAt && s.finishedAt
        ? ` ${((Date.parse(s.finishedAt) - Date.parse(s.startedAt)) / 1000).toFixed(1)} s`
        : '';
    lines.push(
      ` ${mark[s.state] ?? '?'} ${s.name}${s.state === 'running' ? ` ${bar(s.progress, 10)} ${Math.round(s.progress * 100)}%` : ''}${took}`,
    );
    if (s.state === 'running' && s.prompt && !s.acknowledgedBy)
      lines.push(`     waiting for you: ${s.prompt} (siteshift jobs ack ${job.id})`);
    if (s.state === 'running' || s.state === 'failed') {
      const last = s.log.at(-1);
      if (last) lines.push(`     ${last.message}`);
    }
  }
  if (job.error) lines.push(`error: ${job.error}`);
  return lines;
}

/** Follows a job until it ends; returns the last record. */
export async function watchJob(c: ConfigServerClient, id: string, json: boolean): Promise<Job> {
  const tty = process.stdout.isTTY && !json;
  let drawn = 0;
  const seen = new Map<string, number>();
  const states = new Map<string, string>();
  const show = (job: Job) => {
    if (json) {
      process.stdout.write(`${JSON.stringify(job)}\n`);
      return;
    }
    if (tty) {
      const lines = stepLines(job);
      if (drawn) process.stdout.write(`\x1b[${drawn}F\x1b[J`);
      process.stdout.write(`${lines.join('\n')}\n`);
      drawn = lines.length;
      return;
    }
    // Plain lines: each step's state changes and each new log line, once.
    job.steps.forEach((s, i) => {
      const key = `${i}`;
      if (states.get(key) !== s.state) {
        states.set(key, s.state);
        if (s.state !== 'pending')
          process.stdout.write(`step ${i + 1}/${job.steps.length} ${s.name}: ${s.state}\n`);
      }
      const from = seen.get(key) ?? 0;
      for (const l of s.log.slice(from)) process.stdout.write(`  ${l.level}: ${l.message}\n`);
      seen.set(key, s.log.length);
    });
    if (terminal.has(job.state))
      process.stdout.write(`job ${job.id}: ${job.state}${job.error ? ` — ${job.error}` : ''}\n`);
  };
  let last = await c.getJob(id);
  let lastKey = '';
  const consider = (job: Job) => {
    const key = `${job.updatedAt}:${job.state}:${job.progress}`;
    if (key === lastKey) return;
    lastKey = key;
    last = job;
    show(job);
  };
  consider(last);
  if (terminal.has(last.state)) return last;
  return new Promise<Job>((resolve, reject) => {
    let done = false;
    const finish = (job: Job) => {
      if (done) return;
      done = true;
      clearInterval(poll);
      sub.close();
      resolve(job);
    };
    const sub = c.subscribe(
      (event) => {
        if (event.type !== 'job.progress') return;
        const job = (event.payload as { job: Job }).job;
        if (job.id !== id) return;
        consider(job);
        if (terminal.has(job.state)) finish(job);
      },
      { types: ['job.progress'] },
    );
    // The stream is the fast path; a slow poll covers a reconnect gap.
    const poll = setInterval(() => {
      c.getJob(id)
        .then((job) => {
          consider(job);
          if (terminal.has(job.state)) finish(job);
        })
        .catch((err: unknown) => {
          if (!done) {
            done = true;
            clearInterval(poll);
            sub.close();
            reject(err);
          }
        });
    }, 2000);
  });
}

async function startAndWatch(
  opts: ConnOpts & { dryRun?: boolean; yes?: boolean },
  kind: JobKind,
  plan: string,
  input: Record<string, unknown>,
  destructive: boolean,
): Promise<void> {
  const c = client(opts);
  try {
    const p = await c.getPlan(plan);
    if (destructive && !opts.dryRun && !opts.yes) await confirmByTyping(p.name, `${kind} of plan ${p.name}`);
    const job = await c.createJob({ kind, planId: p.id, dryRun: opts.dryRun ?? false, input });
    const last = await watchJob(c, job.id, opts.json ?? false);
    if (last.state !== 'succeeded') process.exitCode = 1;
  } finally {
    c.close();
  }
}

export function registerJobs(program: Command): void {
  withConn(
    program
      .command('protect <plan>')
      .description('protect the machines of a plan and wait until they are protected'),
  )
    .option('--dry-run', 'show the steps and changes without making them', false)
    .action((plan: string, opts: ConnOpts & { dryRun: boolean }) =>
      startAndWatch(opts, 'protect', plan, {}, false),
    );

  withConn(
    program.command('failover <plan>').description('run a test, planned or unplanned failover of a plan'),
  )
    .requiredOption(
      '--type <type>',
      'test | planned | unplanned',
      choice('--type', ['test', 'planned', 'unplanned']),
    )
    .option('--point <point>', 'recovery point: latest | latest-app | time:ISO | tag:NAME', 'latest')
    .option('--accept-split-brain', 'go on although a source still runs (unplanned only)', false)
    .option(
      '--shutdown-timeout <sec>',
      'planned: seconds to wait for a guest shutdown before powering off',
      '300',
    )
    .option('--dry-run', 'show the steps and changes without making them', false)
    .option('--yes', 'do not ask for the plan name to be typed', false)
    .action(
      (
        plan: string,
        opts: ConnOpts & {
          type: 'test' | 'planned' | 'unplanned';
          point: string;
          acceptSplitBrain: boolean;
          shutdownTimeout: string;
          dryRun: boolean;
          yes: boolean;
        },
      ) => {
        const seconds = Number(opts.shutdownTimeout);
        if (!Number.isInteger(seconds) || seconds < 1)
          throw new CliError(
            `--shutdown-timeout must be a whole number of seconds, not "${opts.shutdownTimeout}"`,
            2,
          );
        if (opts.acceptSplitBrain && opts.type !== 'unplanned')
          throw new CliError('--accept-split-brain applies to --type unplanned only', 2);
        const input: Record<string, unknown> =
          opts.type === 'planned'
            ? { shutdownTimeoutSec: seconds }
            : { point: opts.point, ...(opts.acceptSplitBrain ? { acceptSplitBrain: true } : {}) };
        const kind = `${opts.type === 'test' ? 'test' : opts.type}-failover` as JobKind;
        return startAndWatch(opts, kind, plan, input, opts.type !== 'test');
      },
    );

  const simple: Array<[string, JobKind, string, boolean]> = [
    ['cleanup', 'cleanup-test', 'remove what a test failover of the plan created', false],
    ['commit', 'commit', 'keep the recovered VMs of a failover for good', true],
    [
      'rollback',
      'rollback',
      'undo a failover: recovered VMs removed, replica disks back on the master target',
      true,
    ],
  ];
  for (const [verb, kind, description, destructive] of simple) {
    withConn(program.command(`${verb} <plan>`).description(description))
      .option('--dry-run', 'show the steps and changes without making them', false)
      .option('--yes', 'do not ask for the plan name to be typed', false)
      .action((plan: string, opts: ConnOpts & { dryRun: boolean; yes: boolean }) =>
        startAndWatch(opts, kind, plan, {}, destructive),
      );
  }

  const jobs = program.command('jobs').description('list, show, watch, cancel and acknowledge jobs');
  withConn(jobs.command('list').description('recent jobs, newest first'))
    .option(
      '--state <state>',
      `only jobs in this state (${jobStateSchema.options.join(', ')})`,
      choice('--state', jobStateSchema.options),
    )
    .action((opts: ConnOpts & { state?: Job['state'] }) =>
      run(
        opts,
        (c) => c.listJobs({ state: opts.state }),
        (list) =>
          printTable(
            list.map((j) => ({
              id: j.id,
              kind: j.kind,
              state: j.state,
              progress: `${Math.round(j.progress * 100)}%`,
              dryRun: j.dryRun ? 'yes' : '',
              created: j.createdAt,
              by: j.createdBy,
            })),
          ),
      ),
    );
  withConn(jobs.command('show <id>').description('one job with its steps and log')).action(
    (id: string, opts: ConnOpts) =>
      run(
        opts,
        (c) => c.getJob(id),
        (job) => {
          for (const line of stepLines(job)) process.stdout.write(`${line}\n`);
          for (const s of job.steps)
            for (const l of s.log) process.stdout.write(`  [${s.name}] ${l.at} ${l.level}: ${l.message}\n`);
        },
      ),
  );
  withConn(
    jobs.command('watch <id>').description('follow a job until it ends (exit 0 only when it succeeded)'),
  ).action(async (id: string, opts: ConnOpts) => {
    const c = client(opts);
    try {
      const last = await watchJob(c, id, opts.json ?? false);
      if (last.state !== 'succeeded') process.exitCode = 1;
    } finally {
      c.close();
    }
  });
  withConn(
    jobs
      .command('cancel <id>')
      .description('cancel a queued or running job (its running tasks are cancelled)'),
  ).action((id: string, opts: ConnOpts) =>
    run(
      opts,
      (c) => c.cancelJob(id),
      (job) => process.stdout.write(`job ${job.id}: ${job.state}\n`),
    ),
  );
  withConn(jobs.command('ack <id>').description('acknowledge the plan message a job waits on')).action(
    (id: string, opts: ConnOpts) =>
      run(
        opts,
        (c) => c.acknowledgeJob(id),
        (job) => process.stdout.write(`job ${job.id}: acknowledged, it goes on\n`),
      ),
  );
}
