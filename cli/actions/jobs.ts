import type { ConfigServerClient } from '../../core/configserver';
import type { Job, JobKind } from '../../shared/schemas/job';
import { type ConnOpts, client } from '../conn';
import { CliError, confirmByTyping } from '../io';

/**
 * What the DR verbs and `jobs` do (their options: cli/commands/jobs.ts). A verb that starts a
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

export function stepLines(job: Job): string[] {
  const lines = [
    `${job.kind} ${job.id}${job.subject ? ` for ${job.subject}` : ''}${job.dryRun ? ' (dry run)' : ''}: ${job.state} ${bar(job.progress)} ${Math.round(job.progress * 100)}%`,
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
      const before = states.get(key);
      if (before !== s.state) {
        states.set(key, s.state);
        // A step can start and finish between two records this command sees (a fast step, or one
        // finished before the first read); the transcript still says it ran before saying how it ended.
        if ((before === undefined || before === 'pending') && s.startedAt && s.state !== 'running')
          process.stdout.write(`step ${i + 1}/${job.steps.length} ${s.name}: running\n`);
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

export async function startAndWatch(
  opts: ConnOpts & { dryRun?: boolean; yes?: boolean },
  kind: JobKind,
  plan: string,
  input: Record<string, unknown>,
  destructive: boolean,
): Promise<void> {
  const c = await client(opts);
  try {
    const p = await c.getPlan(plan);
    if (destructive && !opts.dryRun && !opts.yes) await confirmByTyping(p.name, `${kind} of plan ${p.name}`);
    const job = await c.createJob({ kind, planId: p.id, dryRun: opts.dryRun ?? false, input });
    const last = await watchJob(c, job.id, opts.json ?? false);
    // An exit status only (the job's error is on the lines above): main() turns it into the exit code.
    if (last.state !== 'succeeded') throw new CliError('', 1);
  } finally {
    c.close();
  }
}

/** `jobs watch`: follows a job the operator names; exit code 1 unless it succeeded. */
export async function watch(id: string, opts: ConnOpts): Promise<void> {
  const c = await client(opts);
  try {
    const last = await watchJob(c, id, opts.json ?? false);
    // An exit status only (the job's error is on the lines above): main() turns it into the exit code.
    if (last.state !== 'succeeded') throw new CliError('', 1);
  } finally {
    c.close();
  }
}
