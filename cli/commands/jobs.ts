import type { Command } from 'commander';
import { jobStates } from '../../shared/names';
import type { Job, JobKind } from '../../shared/schemas/job';
import { type ConnOpts, run, withConn } from '../conn';
import { CliError, printTable } from '../io';
import { choice } from '../options';

/**
 * The DR verbs (protect, failover, cleanup, commit, rollback, reprotect, failback) and `jobs` (what they do:
 * cli/actions/jobs.ts, loaded when one runs).
 */
const actions = () => import('../actions/jobs');

const startAndWatch = async (
  opts: ConnOpts & { dryRun?: boolean; yes?: boolean },
  kind: JobKind,
  plan: string,
  input: Record<string, unknown>,
  destructive: boolean,
): Promise<void> => (await actions()).startAndWatch(opts, kind, plan, input, destructive);

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

  withConn(
    program
      .command('reprotect <plan>')
      .description(
        'after a committed failover, replicate back to the original site through a master target there (resync by checksum)',
      ),
  )
    .option(
      '--master-target <name>',
      "the original site's master target to replicate to (default: one of the machines' OS family with the most free slots)",
    )
    .option('--dry-run', 'show the steps and changes without making them', false)
    .option('--yes', 'do not ask for the plan name to be typed', false)
    .action((plan: string, opts: ConnOpts & { masterTarget?: string; dryRun: boolean; yes: boolean }) =>
      startAndWatch(
        opts,
        'reprotect',
        plan,
        opts.masterTarget ? { masterTarget: opts.masterTarget } : {},
        true,
      ),
    );

  withConn(
    program
      .command('failback <plan>')
      .description(
        'guided failback: reprotect, planned failover back to the original site, commit, protect again in the original direction',
      ),
  )
    .option(
      '--master-target <name>',
      "the original site's master target to replicate back to, when reprotect has not run yet",
    )
    .option(
      '--shutdown-timeout <sec>',
      'seconds to wait for a recovered VM to shut down before powering it off',
      '300',
    )
    .option('--dry-run', 'show the steps and changes without making them', false)
    .option('--yes', 'do not ask for the plan name to be typed', false)
    .action(
      (
        plan: string,
        opts: ConnOpts & { masterTarget?: string; shutdownTimeout: string; dryRun: boolean; yes: boolean },
      ) => {
        const seconds = Number(opts.shutdownTimeout);
        if (!Number.isInteger(seconds) || seconds < 1)
          throw new CliError(
            `--shutdown-timeout must be a whole number of seconds, not "${opts.shutdownTimeout}"`,
            2,
          );
        return startAndWatch(
          opts,
          'failback',
          plan,
          { shutdownTimeoutSec: seconds, ...(opts.masterTarget ? { masterTarget: opts.masterTarget } : {}) },
          true,
        );
      },
    );

  const jobs = program.command('jobs').description('list, show, watch, cancel and acknowledge jobs');
  withConn(jobs.command('list').description('recent jobs, newest first'))
    .option(
      '--state <state>',
      `only jobs in this state (${jobStates.join(', ')})`,
      choice('--state', jobStates),
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
              // What a job for no plan acts on (a plan's job has its planId).
              for: j.subject ?? '',
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
    async (id: string, opts: ConnOpts) => {
      const { stepLines } = await actions();
      await run(
        opts,
        (c) => c.getJob(id),
        (job) => {
          for (const line of stepLines(job)) process.stdout.write(`${line}\n`);
          for (const s of job.steps)
            for (const l of s.log) process.stdout.write(`  [${s.name}] ${l.at} ${l.level}: ${l.message}\n`);
        },
      );
    },
  );
  withConn(
    jobs.command('watch <id>').description('follow a job until it ends (exit 0 only when it succeeded)'),
  ).action(async (id: string, opts: ConnOpts) => (await actions()).watch(id, opts));
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
