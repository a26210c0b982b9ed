import type { z } from 'zod';
import type { JobCreateInput } from '../shared/configserver';
import { jobCreateInputSchema } from '../shared/configserver';
import { ApiError } from '../shared/errors';
import { type Job, type JobKind, type JobState, terminalJobStates } from '../shared/schemas/job';
import type { Queryable } from './db';
import { newId, type Store } from './store';

type Row = Record<string, unknown>;
type Step = Job['steps'][number];

/** What a workflow step gets: its job, a logger, progress reporting, the store and a cancel signal. */
export interface StepContext {
  readonly job: Job;
  readonly store: Store;
  readonly signal: AbortSignal;
  log(level: 'info' | 'warn' | 'error', message: string): Promise<void>;
  progress(fraction: number): Promise<void>;
}

/**
 * A workflow is an ordered list of idempotent steps. The runner records each step's outcome, so
 * after a crash a job resumes at its first unfinished step; a step must therefore be safe to run
 * again (check, then act). `dryRun` steps check without acting.
 */
export interface WorkflowStep {
  name: string;
  run(ctx: StepContext): Promise<undefined | 'skipped'>;
}

export interface Workflow {
  kind: JobKind;
  /** The steps for one job; may depend on its input (e.g. one step per pair). */
  steps(job: Job, input: Record<string, unknown>): WorkflowStep[];
}

export type WorkflowRegistry = ReadonlyMap<JobKind, Workflow>;

export function jobRow(r: Row): Job {
  return {
    id: String(r.id),
    kind: r.kind as JobKind,
    state: r.state as JobState,
    progress: Number(r.progress),
    dryRun: Boolean(r.dry_run),
    planId: r.plan_id === null ? null : String(r.plan_id),
    pairIds: r.pair_ids as string[],
    createdAt: (r.created_at as Date).toISOString(),
    updatedAt: (r.updated_at as Date).toISOString(),
    createdBy: String(r.created_by),
    error: r.error === null ? null : String(r.error),
    steps: r.steps as Step[],
  };
}

export class Jobs {
  constructor(
    private readonly store: Store,
    private readonly workflows: WorkflowRegistry,
  ) {}

  async create(
    input: z.output<typeof jobCreateInputSchema> | JobCreateInput,
    createdBy: string,
  ): Promise<Job> {
    const parsed = jobCreateInputSchema.parse(input);
    const workflow = this.workflows.get(parsed.kind);
    if (!workflow) {
      throw new ApiError(
        'conflict',
        `this server has no '${parsed.kind}' workflow yet; upgrade the configuration server`,
      );
    }
    return this.store.write(async (w) => {
      for (const pairId of parsed.pairIds) await this.store.pairs.get(pairId, w.q);
      if (parsed.planId) await this.store.plans.resolve(parsed.planId, w.q);
      const id = newId('job');
      const draft: Job = {
        id,
        kind: parsed.kind,
        state: 'queued',
        progress: 0,
        dryRun: parsed.dryRun,
        planId: parsed.planId,
        pairIds: parsed.pairIds,
        createdAt: w.now.toISOString(),
        updatedAt: w.now.toISOString(),
        createdBy,
        error: null,
        steps: [],
      };
      draft.steps = workflow.steps(draft, parsed.input).map((s) => ({
        name: s.name,
        state: 'pending',
        progress: 0,
        startedAt: null,
        finishedAt: null,
        log: [],
      }));
      const rows = await w.q.query<Row>(
        `INSERT INTO jobs (id, kind, state, progress, dry_run, plan_id, pair_ids, input, steps, created_by, created_at, updated_at)
         VALUES ($1,$2,'queued',0,$3,$4,$5::jsonb,$6::jsonb,$7::jsonb,$8,$9,$9) RETURNING *`,
        [
          id,
          parsed.kind,
          parsed.dryRun,
          parsed.planId,
          JSON.stringify(parsed.pairIds),
          JSON.stringify(parsed.input),
          JSON.stringify(draft.steps),
          createdBy,
          w.now.toISOString(),
        ],
      );
      const job = jobRow(rows[0]!);
      w.emit('job.progress', { job });
      return job;
    });
  }

  async list(limit = 200, states?: JobState[]): Promise<Job[]> {
    const rows = await this.store.db.query<Row>(
      'SELECT * FROM jobs WHERE ($1::text[] IS NULL OR state = ANY($1::text[])) ORDER BY created_at DESC LIMIT $2',
      [states ?? null, limit],
    );
    return rows.map(jobRow);
  }

  async get(id: string, q: Queryable = this.store.db): Promise<Job> {
    const rows = await q.query<Row>('SELECT * FROM jobs WHERE id = $1', [id]);
    if (!rows[0]) throw new ApiError('not-found', `no job with id '${id}'`);
    return jobRow(rows[0]);
  }

  /** Queued jobs end at once; a running job stops after its current step. Terminal jobs stay as they are. */
  async cancel(id: string): Promise<Job> {
    return this.store.write(async (w) => {
      const rows = await w.q.query<Row>('SELECT * FROM jobs WHERE id = $1 FOR UPDATE', [id]);
      if (!rows[0]) throw new ApiError('not-found', `no job with id '${id}'`);
      const job = jobRow(rows[0]);
      if (terminalJobStates.includes(job.state)) {
        throw new ApiError(
          'conflict',
          `job ${id} already ended (${job.state}); a finished job cannot be cancelled`,
        );
      }
      const updated = await w.q.query<Row>(
        "UPDATE jobs SET state = 'cancelled', updated_at = $2, error = 'cancelled by an operator' WHERE id = $1 RETURNING *",
        [id, w.now.toISOString()],
      );
      const out = jobRow(updated[0]!);
      w.emit('job.progress', { job: out });
      return out;
    });
  }
}

export interface RunnerOptions {
  /** Identifies this instance in claimed_by (host:pid:random). */
  workerId: string;
  /** A claimed job whose lease ran out (its instance died) is taken over by another. */
  leaseSec?: number;
  pollMs?: number;
  concurrency?: number;
}

/**
 * Claims queued jobs with `FOR UPDATE SKIP LOCKED`, so any number of server instances on one
 * database share the queue and never run one job twice; a lease lets a surviving instance
 * resume a job whose instance died, from its first unfinished step.
 */
export class JobRunner {
  private timer: NodeJS.Timeout | null = null;
  private readonly active = new Map<string, AbortController>();
  private stopped = false;
  private ticking: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly workflows: WorkflowRegistry,
    private readonly options: RunnerOptions,
  ) {}

  /** Jobs this instance is running now. */
  get activeCount(): number {
    return this.active.size;
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.options.pollMs ?? 1000);
    this.timer.unref();
    this.kick();
  }

  /** Stops claiming; running jobs finish their current step and are left for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const c of this.active.values()) c.abort();
    while (this.ticking || this.active.size > 0) {
      await (this.ticking ?? new Promise((r) => setTimeout(r, 20)));
    }
  }

  kick(): void {
    if (this.ticking || this.stopped) return;
    this.ticking = this.tick().finally(() => {
      this.ticking = null;
    });
  }

  private async tick(): Promise<void> {
    const max = this.options.concurrency ?? 4;
    while (!this.stopped && this.active.size < max) {
      const job = await this.claim().catch(() => null);
      if (!job) return;
      const controller = new AbortController();
      this.active.set(job.id, controller);
      void this.run(job, controller.signal).finally(() => {
        this.active.delete(job.id);
        this.kick();
      });
    }
  }

  async claim(): Promise<Job | null> {
    const lease = this.options.leaseSec ?? 60;
    return this.store.write(async (w) => {
      const rows = await w.q.query<Row>(
        `UPDATE jobs SET state = 'running', claimed_by = $1, lease_until = $2::timestamptz + make_interval(secs => $3), updated_at = $2
         WHERE id = (SELECT id FROM jobs WHERE state = 'queued' OR (state = 'running' AND lease_until < $2)
                     ORDER BY created_at, id FOR UPDATE SKIP LOCKED LIMIT 1)
         RETURNING *`,
        [this.options.workerId, w.now.toISOString(), lease],
      );
      if (!rows[0]) return null;
      const job = jobRow(rows[0]);
      w.emit('job.progress', { job });
      return job;
    });
  }

  private async run(claimed: Job, signal: AbortSignal): Promise<void> {
    const workflow = this.workflows.get(claimed.kind);
    const inputRows = await this.store.db.query<{ input: Record<string, unknown> }>(
      'SELECT input FROM jobs WHERE id = $1',
      [claimed.id],
    );
    const input = inputRows[0]?.input ?? {};
    let job = claimed;
    if (!workflow) {
      await this.finish(job, 'failed', `no '${job.kind}' workflow on instance ${this.options.workerId}`);
      return;
    }
    const steps = workflow.steps(job, input);
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const record = job.steps[i];
      if (record && (record.state === 'succeeded' || record.state === 'skipped')) continue;
      if (signal.aborted) return;
      const current = await this.refresh(job.id);
      if (current?.state !== 'running' || current.steps.length !== steps.length) return;
      job = current;
      job = await this.updateStep(job, i, {
        state: 'running',
        startedAt: new Date().toISOString(),
        progress: 0,
      });
      const ctx: StepContext = {
        job,
        store: this.store,
        signal,
        log: async (level, message) => {
          job = await this.appendLog(job.id, i, level, message);
        },
        progress: async (fraction) => {
          job = await this.updateStep(job, i, { progress: Math.max(0, Math.min(1, fraction)) });
        },
      };
      try {
        const outcome = await step.run(ctx);
        job = await this.updateStep(job, i, {
          state: outcome === 'skipped' ? 'skipped' : 'succeeded',
          progress: 1,
          finishedAt: new Date().toISOString(),
        });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        job = await this.appendLog(job.id, i, 'error', message);
        job = await this.updateStep(job, i, { state: 'failed', finishedAt: new Date().toISOString() });
        await this.finish(job, 'failed', `step '${step.name}' failed: ${message}`);
        return;
      }
    }
    await this.finish(job, 'succeeded', null);
  }

  private async refresh(id: string): Promise<Job | null> {
    const rows = await this.store.db.query<Row>('SELECT * FROM jobs WHERE id = $1', [id]);
    return rows[0] ? jobRow(rows[0]) : null;
  }

  /** Writes one step's change (only while this instance still holds the job) and publishes the record. */
  private async updateStep(job: Job, index: number, change: Partial<Step>): Promise<Job> {
    return this.store.write(async (w) => {
      const rows = await w.q.query<Row>('SELECT * FROM jobs WHERE id = $1 AND claimed_by = $2 FOR UPDATE', [
        job.id,
        this.options.workerId,
      ]);
      if (!rows[0]) return job;
      const current = jobRow(rows[0]);
      const steps = current.steps.map((s, i) => (i === index ? { ...s, ...change } : s));
      const progress =
        steps.reduce(
          (sum, s) => sum + (s.state === 'succeeded' || s.state === 'skipped' ? 1 : s.progress),
          0,
        ) / Math.max(1, steps.length);
      const lease = this.options.leaseSec ?? 60;
      const updated = await w.q.query<Row>(
        `UPDATE jobs SET steps = $2::jsonb, progress = $3, updated_at = $4, lease_until = $4::timestamptz + make_interval(secs => $5)
         WHERE id = $1 RETURNING *`,
        [job.id, JSON.stringify(steps), progress, w.now.toISOString(), lease],
      );
      const out = jobRow(updated[0]!);
      w.emit('job.progress', { job: out });
      return out;
    });
  }

  private async appendLog(
    id: string,
    index: number,
    level: 'info' | 'warn' | 'error',
    message: string,
  ): Promise<Job> {
    const job = (await this.refresh(id))!;
    const step = job.steps[index]!;
    return this.updateStep(job, index, {
      log: [...step.log, { at: new Date().toISOString(), level, message }],
    });
  }

  private async finish(job: Job, state: 'succeeded' | 'failed', error: string | null): Promise<void> {
    await this.store.write(async (w) => {
      const rows = await w.q.query<Row>(
        `UPDATE jobs SET state = $2, error = $3, progress = CASE WHEN $2 = 'succeeded' THEN 1 ELSE progress END,
           updated_at = $4, lease_until = NULL WHERE id = $1 AND claimed_by = $5 AND state = 'running' RETURNING *`,
        [job.id, state, error, w.now.toISOString(), this.options.workerId],
      );
      if (rows[0]) w.emit('job.progress', { job: jobRow(rows[0]) });
    });
  }
}

/** The resync workflow: the first real one, and the pattern the DR workflows follow. */
export const resyncWorkflow: Workflow = {
  kind: 'resync',
  steps(job) {
    return job.pairIds.map((pairId) => ({
      name: `start resync of ${pairId}`,
      async run(ctx) {
        const pair = await ctx.store.pairs.get(pairId);
        if (pair.state === 'resyncing') {
          await ctx.log('info', `${pair.sourceVmName} is already resyncing`);
          return 'skipped';
        }
        if (pair.state !== 'protected' && pair.state !== 'resync-required') {
          throw new Error(
            `${pair.sourceVmName} is '${pair.state}'; only a protected or resync-required pair can be resynced`,
          );
        }
        if (ctx.job.dryRun) {
          await ctx.log('info', `dry run: ${pair.sourceVmName} would start resyncing now`);
          return;
        }
        await ctx.store.pairs.startResync(pairId, `job ${ctx.job.id} by ${ctx.job.createdBy}`);
        await ctx.log(
          'info',
          `${pair.sourceVmName}: resync started; the agent compares checksums and sends differing blocks`,
        );
      },
    }));
  },
};

export function defaultWorkflows(extra: Workflow[] = []): Map<JobKind, Workflow> {
  return new Map([resyncWorkflow, ...extra].map((w) => [w.kind, w]));
}
