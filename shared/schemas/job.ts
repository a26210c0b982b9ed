import { z } from 'zod';

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

export const jobStateSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export type JobState = z.infer<typeof jobStateSchema>;
/** Terminal states cannot be left. */
export const terminalJobStates: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

export const stepStateSchema = z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped']);

export const jobStepSchema = z.object({
  name: z.string(),
  state: stepStateSchema,
  progress: z.number().min(0).max(1),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  log: z.array(
    z.object({ at: z.iso.datetime(), level: z.enum(['info', 'warn', 'error']), message: z.string() }),
  ),
});

export const jobSchema = z.object({
  id: z.string(),
  kind: jobKindSchema,
  state: jobStateSchema,
  progress: z.number().min(0).max(1),
  dryRun: z.boolean(),
  planId: z.string().nullable(),
  pairIds: z.array(z.string()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  createdBy: z.string(),
  error: z.string().nullable(),
  steps: z.array(jobStepSchema),
});
export type Job = z.infer<typeof jobSchema>;

/** The job:progress event carries the whole (small) job record: a late subscriber needs no history. */
export const jobProgressSchema = z.object({ job: jobSchema });
export type JobProgress = z.infer<typeof jobProgressSchema>;
