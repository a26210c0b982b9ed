import { z } from 'zod';
import { wordedSchema } from '../i18n/worded';
import { jobStates } from '../names';

export const jobKindSchema = z.enum([
  'protect',
  'test-failover',
  'cleanup-test',
  'planned-failover',
  'unplanned-failover',
  'commit',
  'rollback',
  'reprotect',
  'failback',
  'resync',
  'remove',
  'configure-master-target',
]);
export type JobKind = z.infer<typeof jobKindSchema>;

export const jobStateSchema = z.enum(jobStates);
export type JobState = z.infer<typeof jobStateSchema>;
/** Terminal states cannot be left. */
export const terminalJobStates: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

export const stepStateSchema = z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped']);

/** A task an endpoint runs for a step (a vCenter Task), recorded before the step waits on it. */
export const stepTaskSchema = z.object({
  endpointId: z.string(),
  id: z.string(),
  operation: z.string(),
  startedAt: z.iso.datetime(),
});
export type StepTask = z.infer<typeof stepTaskSchema>;

/**
 * A line of a step's log: the English words (CLI, logs, older clients) and, from servers that have
 * them, the words' key and values a console words the line with in its own language.
 */
export const jobLogLineSchema = z.object({
  at: z.iso.datetime(),
  level: z.enum(['info', 'warn', 'error']),
  message: z.string(),
  words: wordedSchema.optional(),
});
export type JobLogLine = z.infer<typeof jobLogLineSchema>;

export const jobStepSchema = z.object({
  name: z.string(),
  /** The name's key and values (shared/i18n/step-words.ts); absent on jobs stored before them. */
  nameWords: wordedSchema.optional(),
  state: stepStateSchema,
  progress: z.number().min(0).max(1),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  log: z.array(jobLogLineSchema),
  /** Tasks started by the step; a step resumed after a restart waits on them before it looks again. */
  tasks: z.array(stepTaskSchema).optional(),
  /** A plan message the job waits on until an operator acknowledges it (siteshift jobs ack). */
  prompt: z.string().optional(),
  acknowledgedBy: z.string().optional(),
  /** Attempts so far when a recoverable error made the step retry. */
  attempts: z.number().int().optional(),
});

export const jobSchema = z.object({
  id: z.string(),
  kind: jobKindSchema,
  state: jobStateSchema,
  progress: z.number().min(0).max(1),
  dryRun: z.boolean(),
  planId: z.string().nullable(),
  pairIds: z.array(z.string()),
  /**
   * What a job for no plan acts on, as the server named it when the job was made (a master
   * target's name; the machines of the pairs a resync takes). Null for a plan's job (the plan
   * names it) and on jobs stored before; absent from older servers.
   */
  subject: z.string().nullable().optional(),
  /** The subject's words when it is more than names ("web-01, web-02 and 3 more"). */
  subjectWords: wordedSchema.optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  createdBy: z.string(),
  error: z.string().nullable(),
  /** The error's key and values, as a step's nameWords; absent on jobs stored before them. */
  errorWords: wordedSchema.optional(),
  steps: z.array(jobStepSchema),
});
export type Job = z.infer<typeof jobSchema>;

/** The job:progress event carries the whole (small) job record: a late subscriber needs no history. */
export const jobProgressSchema = z.object({ job: jobSchema });
export type JobProgress = z.infer<typeof jobProgressSchema>;
