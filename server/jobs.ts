import type { z } from 'zod';
import type { EndpointOperations } from '../core/inventory/operations';
import type { EndpointSource } from '../core/inventory/source';
import type { Endpoint, JobCreateInput, Pair, ReadinessKind, ReadinessReport } from '../shared/configserver';
import { jobCreateInputSchema } from '../shared/configserver';
import { ApiError } from '../shared/errors';
import { asSent, upTo } from '../shared/i18n/list-words';
import { sayRefusal } from '../shared/i18n/refusal-words';
import { errorWords, sayStep } from '../shared/i18n/step-words';
import type { Said, Text, Worded } from '../shared/i18n/worded';
import { type Job, type JobKind, type JobState, terminalJobStates } from '../shared/schemas/job';
import type { Queryable } from './db';
import { checkReadiness } from './readiness';
import { DEFAULT_ENDPOINT_TASK_CAP, type Limiter, type SessionDeps, SessionPool } from './sessions';
import { newId, type Store } from './store';

type Row = Record<string, unknown>;
type Step = Job['steps'][number];
type StepChange = Partial<Step> | ((step: Step) => Partial<Step>);

/** What jobRow reads: not `input`, which carries the plan (every machine) and never changes. */
const JOB_COLUMNS =
  'id, kind, state, progress, dry_run, plan_id, pair_ids, subject, subject_words, created_at, updated_at, created_by, error, error_words, steps';

/** How many machines a job's subject names before it says how many more. */
const SUBJECT_NAMES = 3;

/**
 * The writes to one running job's step records, in order. Changes that arrive while a write is
 * under way go together into the next one (one transaction, one job.progress event): ten workers
 * of a step recording their tasks, logging and counting their VMs make a few writes of the job
 * record, not three each, and none waits behind the others' writes one by one.
 */
class StepRecord {
  private pending: Array<{
    index: number;
    change: StepChange;
    done: (job: Job) => void;
    fail: (err: unknown) => void;
  }> = [];
  private writing: Promise<void> | null = null;

  constructor(
    private readonly write: (changes: Array<{ index: number; change: StepChange }>) => Promise<Job>,
  ) {}

  /** Queues a change of step `index`; resolves with the job once the change is written. */
  update(index: number, change: StepChange): Promise<Job> {
    const written = new Promise<Job>((done, fail) => this.pending.push({ index, change, done, fail }));
    this.kick();
    return written;
  }

  /** Resolves once every change queued so far is written (or failed). */
  async settled(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private kick(): void {
    if (this.writing) return;
    this.writing = this.drain().finally(() => {
      this.writing = null;
      if (this.pending.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      try {
        const job = await this.write(batch);
        for (const b of batch) b.done(job);
      } catch (err) {
        for (const b of batch) b.fail(err);
      }
    }
  }
}

/** An endpoint as a step sees it: operations bound to the step (its cancel signal, its task record). */
export interface StepSession {
  readonly endpoint: Endpoint;
  readonly source: EndpointSource;
  readonly operations: EndpointOperations;
}

export interface StepSessions {
  /**
   * The session of an endpoint (by id or name), opened once per job with its secret unsealed and
   * its identity pinned, closed when the job ends. Every task its operations start is recorded
   * on the step before the step waits on it.
   */
  get(endpointId: string): Promise<StepSession>;
}

/** What a workflow step gets: its job, a logger, progress reporting, the store, its endpoints and a cancel signal. */
export interface StepContext {
  readonly job: Job;
  readonly store: Store;
  readonly sessions: StepSessions;
  readonly signal: AbortSignal;
  /**
   * A line of the step's log, and the step's progress: written behind the step, with the next
   * write of the job's record (in order; at the latest with the step's end), not waited for.
   * A line is said from a word book (shared/i18n/step-words.ts), so a console words it in its language.
   */
  log(level: 'info' | 'warn' | 'error', line: Said): Promise<void>;
  progress(fraction: number): Promise<void>;
  /**
   * Runs `fn` over the items, at most `limit` at a time (a plan's parallelism), reporting the
   * step's progress as items finish; the first failure stops starting new ones and is thrown.
   */
  parallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void>;
  /** Shows a message and waits until an operator acknowledges it (a plan's message step). */
  waitForAck(message: string): Promise<string>;
  /** The readiness checks of the plans module (server/readiness.ts) for this job's plan. */
  readiness(kind: ReadinessKind): Promise<ReadinessReport>;
}

/**
 * A workflow is an ordered list of idempotent steps. The runner records each step's outcome, so
 * after a crash a job resumes at its first unfinished step; a step must therefore be safe to run
 * again (check, then act). `dryRun` steps check without acting.
 */
export interface WorkflowStep {
  name: string;
  /** The name's key and values in a word book (workflows build steps with step(), which sets it). */
  nameWords?: Worded;
  run(ctx: StepContext): Promise<undefined | 'skipped'>;
  /** False for a step whose failure must not be retried even when recoverable (default true). */
  retry?: boolean;
}

export interface Workflow {
  kind: JobKind;
  /**
   * Runs once when the job is created: resolves what the steps depend on (the plan, its pairs)
   * into the job's input, so that the steps are the same at every run of the job, and may refuse
   * the job (a clear error, nothing written).
   */
  prepare?(
    request: { planId: string | null; pairIds: string[]; input: Record<string, unknown>; dryRun: boolean },
    store: Store,
  ): Promise<{ planId: string | null; pairIds: string[]; input: Record<string, unknown> }>;
  /** The steps for one job; may depend on its input (e.g. one step per pair). */
  steps(job: Job, input: Record<string, unknown>): WorkflowStep[];
  /**
   * What a job for neither a plan nor pairs acts on, from its prepared input (a master target's
   * name); a pairs' job names their machines without it.
   */
  subject?(input: Record<string, unknown>): string;
}

/** A job's subject (Job.subject): none for a plan's job, else the workflow's, else the pairs' machines. */
function subjectOf(
  workflow: Workflow,
  planId: string | null,
  input: Record<string, unknown>,
  pairs: readonly Pair[],
): Text | null {
  if (planId) return null;
  if (workflow.subject) return asSent(workflow.subject(input));
  if (pairs.length === 0) return null;
  return upTo(pairs.map((p) => p.sourceVmName).sort(), SUBJECT_NAMES);
}

/** Errors worth another attempt (DESIGN.md: network, busy); authentication and invalid state are not. */
export function isRecoverable(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  if (err.code === 'unreachable' || err.code === 'timeout') return true;
  const fault = (err as { fault?: unknown }).fault;
  return (
    typeof fault === 'string' && ['TaskInProgress', 'HostCommunication', 'ResourceInUse'].includes(fault)
  );
}

/** DESIGN.md's backoff for recoverable errors: 1, 2, 4, 8, 10 minutes, then every 30 minutes. */
export const RETRY_DELAYS_MS = [60_000, 120_000, 240_000, 480_000, 600_000, 1_800_000];

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
    subject: r.subject == null ? null : String(r.subject),
    ...(r.subject_words ? { subjectWords: r.subject_words as Worded } : {}),
    createdAt: (r.created_at as Date).toISOString(),
    updatedAt: (r.updated_at as Date).toISOString(),
    createdBy: String(r.created_by),
    error: r.error === null ? null : String(r.error),
    ...(r.error_words ? { errorWords: r.error_words as Worded } : {}),
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
      throw new ApiError('conflict', sayRefusal('refusal.noWorkflow', { kind: parsed.kind }));
    }
    if (parsed.planId) parsed.planId = (await this.store.plans.resolve(parsed.planId)).id;
    if (workflow.prepare) {
      const prepared = await workflow.prepare(
        { planId: parsed.planId, pairIds: parsed.pairIds, input: parsed.input, dryRun: parsed.dryRun },
        this.store,
      );
      parsed.planId = prepared.planId;
      parsed.pairIds = prepared.pairIds;
      parsed.input = prepared.input;
    }
    return this.store.write(async (w) => {
      // One read for every pair (a plan of 100 machines: not 100 reads inside the transaction).
      const pairs = await this.store.pairs.getMany(parsed.pairIds, w.q);
      const known = new Set(pairs.map((p) => p.id));
      const missing = parsed.pairIds.find((id) => !known.has(id));
      if (missing) throw new ApiError('not-found', sayRefusal('refusal.noPair', { id: missing }));
      if (parsed.planId) await this.store.plans.resolve(parsed.planId, w.q);
      if (!parsed.dryRun) {
        // One job at a time acts on a pair (or a plan): the lock makes two creators queue here.
        await w.q.query('SELECT pg_advisory_xact_lock(710171)');
        const busy = await w.q.query<Row>(
          `SELECT id, kind, plan_id, pair_ids FROM jobs WHERE state IN ('queued','running') AND NOT dry_run
             AND ((plan_id IS NOT NULL AND plan_id = $1) OR pair_ids ?| $2::text[]) LIMIT 1`,
          [parsed.planId, parsed.pairIds],
        );
        if (busy[0]) {
          throw new ApiError(
            'conflict',
            sayRefusal(
              parsed.planId && busy[0].plan_id === parsed.planId ? 'refusal.jobOnPlan' : 'refusal.jobOnPairs',
              { job: String(busy[0].id), kind: String(busy[0].kind) },
            ),
            { jobId: String(busy[0].id) },
          );
        }
      }
      const id = newId('job');
      const subject = subjectOf(workflow, parsed.planId, parsed.input, pairs);
      const draft: Job = {
        id,
        kind: parsed.kind,
        state: 'queued',
        progress: 0,
        dryRun: parsed.dryRun,
        planId: parsed.planId,
        pairIds: parsed.pairIds,
        subject: subject?.text ?? null,
        createdAt: w.now.toISOString(),
        updatedAt: w.now.toISOString(),
        createdBy,
        error: null,
        steps: [],
      };
      draft.steps = workflow.steps(draft, parsed.input).map((s) => ({
        name: s.name,
        ...(s.nameWords ? { nameWords: s.nameWords } : {}),
        state: 'pending',
        progress: 0,
        startedAt: null,
        finishedAt: null,
        log: [],
      }));
      const rows = await w.q.query<Row>(
        `INSERT INTO jobs (id, kind, state, progress, dry_run, plan_id, pair_ids, input, steps, created_by, created_at, updated_at, subject, subject_words)
         VALUES ($1,$2,'queued',0,$3,$4,$5::jsonb,$6::jsonb,$7::jsonb,$8,$9,$9,$10,$11::jsonb) RETURNING *`,
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
          subject?.text ?? null,
          subject?.words ? JSON.stringify(subject.words) : null,
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
    if (!rows[0]) throw new ApiError('not-found', sayRefusal('refusal.noJob', { id }));
    return jobRow(rows[0]);
  }

  /** Acknowledges the message step a running job waits on; the job goes on within a moment. */
  async acknowledge(id: string, actor: string): Promise<Job> {
    return this.store.write(async (w) => {
      const rows = await w.q.query<Row>('SELECT * FROM jobs WHERE id = $1 FOR UPDATE', [id]);
      if (!rows[0]) throw new ApiError('not-found', sayRefusal('refusal.noJob', { id }));
      const job = jobRow(rows[0]);
      const index = job.steps.findIndex((s) => s.state === 'running' && s.prompt && !s.acknowledgedBy);
      if (job.state !== 'running' || index < 0) {
        throw new ApiError('conflict', sayRefusal('refusal.jobNotWaiting', { id, state: job.state }));
      }
      const steps = job.steps.map((s, i) => (i === index ? { ...s, acknowledgedBy: actor } : s));
      const updated = await w.q.query<Row>(
        'UPDATE jobs SET steps = $2::jsonb, updated_at = $3 WHERE id = $1 RETURNING *',
        [id, JSON.stringify(steps), w.now.toISOString()],
      );
      const out = jobRow(updated[0]!);
      w.emit('job.progress', { job: out });
      return out;
    });
  }

  /** Queued jobs end at once; a running job stops its current step (its tasks are cancelled). Terminal jobs stay as they are. */
  async cancel(id: string): Promise<Job> {
    return this.store.write(async (w) => {
      const rows = await w.q.query<Row>('SELECT * FROM jobs WHERE id = $1 FOR UPDATE', [id]);
      if (!rows[0]) throw new ApiError('not-found', sayRefusal('refusal.noJob', { id }));
      const job = jobRow(rows[0]);
      if (terminalJobStates.includes(job.state)) {
        throw new ApiError('conflict', sayRefusal('refusal.jobEnded', { id, state: job.state }));
      }
      const error = sayStep('jobError.cancelled');
      const updated = await w.q.query<Row>(
        "UPDATE jobs SET state = 'cancelled', updated_at = $2, error = $3, error_words = $4::jsonb WHERE id = $1 RETURNING *",
        [id, w.now.toISOString(), error.text, JSON.stringify(error.words)],
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
  /** The key to endpoint secrets and the connectors: what steps need to open their endpoints. */
  endpoints?: Omit<SessionDeps, 'store'>;
  /** Concurrent vCenter tasks per endpoint (reads are not counted); default DEFAULT_ENDPOINT_TASK_CAP. */
  endpointConcurrency?: number;
  /** Waits before each retry of a recoverable error; default RETRY_DELAYS_MS. */
  retryDelaysMs?: readonly number[];
  /** How often a waiting step looks for an acknowledgement or a cancel; default 500 ms. */
  checkMs?: number;
}

/**
 * Claims queued jobs with `FOR UPDATE SKIP LOCKED`, so any number of server instances on one
 * database share the queue and never run one job twice; a lease lets a surviving instance
 * resume a job whose instance died, from its first unfinished step.
 */
export class JobRunner {
  private timer: NodeJS.Timeout | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  private cancelTimer: NodeJS.Timeout | null = null;
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
    // A step may wait on one vCenter task for longer than the lease: the lease is renewed while
    // this instance lives, and runs out only when it dies.
    const leaseMs = (this.options.leaseSec ?? 60) * 1000;
    this.renewTimer = setInterval(() => void this.renewLeases().catch(() => {}), Math.max(200, leaseMs / 3));
    this.renewTimer.unref();
    this.cancelTimer = setInterval(
      () => void this.watchCancels().catch(() => {}),
      this.options.checkMs ?? 500,
    );
    this.cancelTimer.unref();
    this.kick();
  }

  /** Job ids cancelled by an operator while this instance ran them (their signal was aborted for that). */
  private readonly cancelled = new Set<string>();
  /** One cap per endpoint across every job of this instance (the vCenter task cap). */
  private readonly limiters = new Map<string, Limiter>();

  /** Aborts the running jobs an operator cancelled: their tasks are cancelled and their step stops. */
  private async watchCancels(): Promise<void> {
    if (this.active.size === 0) return;
    const rows = await this.store.db.query<{ id: string }>(
      `SELECT id FROM jobs WHERE state = 'cancelled' AND id = ANY($1::text[])`,
      [[...this.active.keys()]],
    );
    for (const r of rows) {
      this.cancelled.add(r.id);
      this.active.get(r.id)?.abort();
    }
  }

  private async renewLeases(): Promise<void> {
    if (this.active.size === 0) return;
    await this.store.db.query(
      `UPDATE jobs SET lease_until = $4::timestamptz + make_interval(secs => $2)
       WHERE claimed_by = $1 AND state = 'running' AND id = ANY($3::text[])`,
      [
        this.options.workerId,
        this.options.leaseSec ?? 60,
        [...this.active.keys()],
        this.store.clock().toISOString(),
      ],
    );
  }

  /** Ends this instance's claim on a job it stops running, so that the next instance resumes it at once. */
  private async release(id: string): Promise<void> {
    await this.store.db.query(
      `UPDATE jobs SET lease_until = $3 WHERE id = $1 AND claimed_by = $2 AND state = 'running'`,
      [id, this.options.workerId, this.store.clock().toISOString()],
    );
  }

  /** Stops claiming; running jobs stop waiting and are left, released, for the next start to resume. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.renewTimer) clearInterval(this.renewTimer);
    if (this.cancelTimer) clearInterval(this.cancelTimer);
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
    const pool = new SessionPool(
      {
        store: this.store,
        box: this.options.endpoints?.box,
        connectors: this.options.endpoints?.connectors ?? {},
      },
      this.limiters,
      this.options.endpointConcurrency ?? DEFAULT_ENDPOINT_TASK_CAP,
    );
    try {
      await this.runSteps(claimed, signal, pool);
    } finally {
      await pool.closeAll();
    }
  }

  private async runSteps(claimed: Job, signal: AbortSignal, pool: SessionPool): Promise<void> {
    const workflow = this.workflows.get(claimed.kind);
    const inputRows = await this.store.db.query<{ input: Record<string, unknown> }>(
      'SELECT input FROM jobs WHERE id = $1',
      [claimed.id],
    );
    const input = inputRows[0]?.input ?? {};
    let job = claimed;
    if (!workflow) {
      await this.finish(
        job,
        'failed',
        sayStep('jobError.noWorkflow', { kind: job.kind, worker: this.options.workerId }),
      );
      return;
    }
    const steps = workflow.steps(job, input);
    const writer = new StepRecord((changes) => this.writeSteps(job, changes));
    const update = async (index: number, change: StepChange) => {
      job = await writer.update(index, change);
      return job;
    };
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const record = job.steps[i];
      if (record && (record.state === 'succeeded' || record.state === 'skipped')) continue;
      if (signal.aborted) {
        await writer.settled();
        await this.release(job.id);
        return;
      }
      const current = await this.refresh(job.id);
      if (current?.state !== 'running' || current.steps.length !== steps.length) return;
      job = current;
      const interrupted = job.steps[i]?.state === 'running' ? (job.steps[i]?.tasks ?? []) : [];
      await update(i, {
        state: 'running',
        startedAt: job.steps[i]?.startedAt ?? new Date().toISOString(),
        progress: 0,
      });
      // Log lines and progress are written behind the step (with the next write of the record,
      // in order, at the latest with the step's end): a worker does not wait on the database to
      // go on with its next VM. A write that fails fails the next one the step waits on too.
      const log = async (level: 'info' | 'warn' | 'error', said: Said) => {
        const line = { at: new Date().toISOString(), level, message: said.text, words: said.words };
        void update(i, (st) => ({ log: [...st.log, line] })).catch(() => {});
      };
      const sessions: StepSessions = {
        get: async (endpointId) => {
          const session = await pool.get(endpointId, signal);
          return {
            endpoint: session.endpoint,
            source: session.source,
            operations: session.operations.bind({
              signal,
              // Written before the step waits on the task (a resumed step waits on it again).
              onTask: async (task) => {
                await update(i, (st) => ({
                  tasks: [
                    ...(st.tasks ?? []),
                    {
                      endpointId: session.endpoint.id,
                      id: task.id,
                      operation: task.operation,
                      startedAt: new Date().toISOString(),
                    },
                  ],
                }));
              },
            }),
          };
        },
      };
      const ctx: StepContext = {
        get job() {
          return job;
        },
        store: this.store,
        sessions,
        signal,
        log,
        progress: async (fraction) => {
          void update(i, { progress: Math.max(0, Math.min(1, fraction)) }).catch(() => {});
        },
        parallel: async (items, limit, fn) => {
          let next = 0;
          let done = 0;
          let failed: unknown = null;
          const worker = async () => {
            while (failed === null && next < items.length) {
              const item = items[next++]!;
              try {
                await fn(item);
              } catch (err) {
                failed ??= err;
                return;
              }
              done++;
              void ctx.progress(done / items.length);
            }
          };
          await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
          if (failed !== null) throw failed;
        },
        readiness: async (kind) => {
          const endpoints = this.options.endpoints;
          if (!endpoints?.box || !job.planId)
            throw new ApiError('internal', 'readiness needs a plan and a runner with endpoint access');
          return checkReadiness(
            { store: this.store, box: endpoints.box, connectors: endpoints.connectors },
            job.planId,
            kind,
            {
              signal,
            },
          );
        },
        waitForAck: async (message) => {
          await update(i, { prompt: message });
          await log('info', sayStep('stepLog.waitingForAck', { message }));
          for (;;) {
            const now = await this.refresh(job.id);
            const by = now?.steps[i]?.acknowledgedBy;
            if (by) {
              await log('info', sayStep('stepLog.acknowledged', { user: by }));
              return by;
            }
            await sleep(this.options.checkMs ?? 500, signal);
          }
        },
      };
      const delays = this.options.retryDelaysMs ?? RETRY_DELAYS_MS;
      for (let attempt = 1; ; attempt++) {
        try {
          // A step interrupted by a crash may have left tasks running: wait on those same tasks, so
          // that the step, when it looks at the world again, sees their outcome instead of acting twice.
          for (const task of attempt === 1 ? interrupted : []) {
            await log('info', sayStep('stepLog.waitingOnTask', { operation: task.operation, task: task.id }));
            const session = await sessions.get(task.endpointId);
            const outcome = await session.operations.waitForTask(task).catch(async (err: unknown) => {
              await log(
                'warn',
                sayStep('stepLog.taskEnded', {
                  operation: task.operation,
                  task: task.id,
                  error: err instanceof Error ? err.message : String(err),
                }),
              );
              return 'failed';
            });
            if (outcome === 'unknown')
              await log('info', sayStep('stepLog.taskUnknown', { endpoint: task.endpointId, task: task.id }));
          }
          const outcome = await step.run(ctx);
          await update(i, {
            state: outcome === 'skipped' ? 'skipped' : 'succeeded',
            progress: 1,
            finishedAt: new Date().toISOString(),
          });
          break;
        } catch (err) {
          if (signal.aborted) {
            if (this.cancelled.has(job.id)) {
              this.cancelled.delete(job.id);
              await log('warn', sayStep('stepLog.cancelled'));
              await update(i, { state: 'failed', finishedAt: new Date().toISOString() });
              return;
            }
            // This instance is stopping: the step is left running, with its tasks recorded.
            await writer.settled();
            await this.release(job.id);
            return;
          }
          const message = err instanceof Error ? err.message : String(err);
          // A step's own error (stepError) comes with its words; any other is quoted as it was said.
          const error = { text: message, words: errorWords(err) };
          const delay = delays[Math.min(attempt - 1, delays.length - 1)];
          if (step.retry !== false && isRecoverable(err) && delay !== undefined && attempt <= delays.length) {
            await log(
              'warn',
              sayStep('stepLog.retrying', {
                error,
                attempt: attempt + 1,
                seconds: Math.round(delay / 1000),
              }),
            );
            await update(i, { attempts: attempt });
            // A vCenter that dropped gets a new session on the next attempt.
            await pool.dropBroken();
            try {
              await sleep(delay, signal);
            } catch {
              continue; // aborted: the next attempt's catch handles stop or cancel
            }
            continue;
          }
          const line = sayStep('stepLog.error', { error });
          await update(i, (st) => ({
            log: [
              ...st.log,
              { at: new Date().toISOString(), level: 'error' as const, message, words: line.words },
            ],
            state: 'failed',
            finishedAt: new Date().toISOString(),
          }));
          // The step's name goes in with its words (a part, worded with the error); the error
          // itself is what the step threw, as it said it.
          const named = { text: step.name, words: step.nameWords };
          await this.finish(
            job,
            'failed',
            isRecoverable(err)
              ? sayStep(afterGivingUp(job.kind), { step: named, error, count: attempt })
              : sayStep('jobError.stepFailed', { step: named, error }),
          );
          return;
        }
      }
    }
    await this.finish(job, 'succeeded', null);
  }

  private async refresh(id: string): Promise<Job | null> {
    const rows = await this.store.db.query<Row>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1`, [id]);
    return rows[0] ? jobRow(rows[0]) : null;
  }

  /**
   * Writes changes of the job's steps, in order, in one transaction (only while this instance
   * still holds the job) and publishes the record once. `job` is returned when the job is no
   * longer this instance's.
   */
  private async writeSteps(job: Job, changes: Array<{ index: number; change: StepChange }>): Promise<Job> {
    return this.store.write(async (w) => {
      const rows = await w.q.query<Row>(
        `SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1 AND claimed_by = $2 FOR UPDATE`,
        [job.id, this.options.workerId],
      );
      if (!rows[0]) return job;
      const current = jobRow(rows[0]);
      const steps = [...current.steps];
      for (const { index, change } of changes) {
        const s = steps[index];
        if (s) steps[index] = { ...s, ...(typeof change === 'function' ? change(s) : change) };
      }
      const progress =
        steps.reduce(
          (sum, s) => sum + (s.state === 'succeeded' || s.state === 'skipped' ? 1 : s.progress),
          0,
        ) / Math.max(1, steps.length);
      const lease = this.options.leaseSec ?? 60;
      const updatedAt = w.now.toISOString();
      await w.q.query(
        `UPDATE jobs SET steps = $2::jsonb, progress = $3, updated_at = $4, lease_until = $4::timestamptz + make_interval(secs => $5)
         WHERE id = $1`,
        [job.id, JSON.stringify(steps), progress, updatedAt, lease],
      );
      // The row as written, without reading its steps back.
      const out: Job = { ...current, steps, progress, updatedAt };
      w.emit('job.progress', { job: out });
      return out;
    });
  }

  private async finish(job: Job, state: 'succeeded' | 'failed', error: Said | null): Promise<void> {
    await this.store.write(async (w) => {
      const rows = await w.q.query<Row>(
        `UPDATE jobs SET state = $2, error = $3, error_words = $6::jsonb, progress = CASE WHEN $2 = 'succeeded' THEN 1 ELSE progress END,
           updated_at = $4, lease_until = NULL WHERE id = $1 AND claimed_by = $5 AND state = 'running' RETURNING *`,
        [
          job.id,
          state,
          error?.text ?? null,
          w.now.toISOString(),
          this.options.workerId,
          error ? JSON.stringify(error.words) : null,
        ],
      );
      if (rows[0]) w.emit('job.progress', { job: jobRow(rows[0]) });
    });
  }
}

/** Waits, or throws when the signal aborts first. */
/**
 * What an operator does once a step gave up on an endpoint that kept failing. A failover that
 * stopped half way leaves its pairs failover-pending, and readiness refuses a second failover on
 * them, so the way on is a rollback first; every other workflow looks before it acts and can
 * simply run again.
 */
function afterGivingUp(
  kind: JobKind,
): 'jobError.gaveUp.failover' | 'jobError.gaveUp.test-failover' | 'jobError.gaveUp.other' {
  switch (kind) {
    case 'planned-failover':
    case 'unplanned-failover':
      return 'jobError.gaveUp.failover';
    case 'test-failover':
      return 'jobError.gaveUp.test-failover';
    default:
      return 'jobError.gaveUp.other';
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ApiError('aborted', 'stopped'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ApiError('aborted', 'stopped'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
