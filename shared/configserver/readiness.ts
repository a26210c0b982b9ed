import { z } from 'zod';
import { wordedSchema } from '../i18n/worded';
import { readinessKinds } from '../names';

/**
 * Readiness checks: what must hold before a workflow runs on a plan. The server evaluates them
 * (server/readiness.ts); the console, the CLI and the workflows read the same report.
 */
export { readinessKinds };
export const readinessKindSchema = z.enum(readinessKinds);
export type ReadinessKind = z.infer<typeof readinessKindSchema>;

export const readinessStatusSchema = z.enum(['pass', 'warn', 'fail']);
export type ReadinessStatus = z.infer<typeof readinessStatusSchema>;

export const readinessCheckSchema = z.object({
  /** Stable identifier of the rule, e.g. `master-target.slots`. */
  id: z.string(),
  title: z.string(),
  status: readinessStatusSchema,
  message: z.string(),
  /** What the operator does about a warn or fail; null on pass. */
  fix: z.string().nullable(),
  /**
   * The same texts as word-book keys and values (shared/i18n/check-words.ts), from which a console
   * words them in its language; absent where the server has no words (a list of several findings).
   */
  titleWords: wordedSchema.optional(),
  messageWords: wordedSchema.optional(),
  fixWords: wordedSchema.optional(),
  /** The endpoint, VM or plan field the check is about, when it is about one. */
  subject: z.string().nullable(),
});
export type ReadinessCheck = z.infer<typeof readinessCheckSchema>;

export const readinessReportSchema = z.object({
  planId: z.string(),
  plan: z.string(),
  kind: readinessKindSchema,
  /** True when no check failed (warnings do not block). */
  ready: z.boolean(),
  checkedAt: z.iso.datetime(),
  counts: z.object({ pass: z.number().int(), warn: z.number().int(), fail: z.number().int() }),
  checks: z.array(readinessCheckSchema),
});
export type ReadinessReport = z.infer<typeof readinessReportSchema>;

export const readinessQuerySchema = z.strictObject({ for: readinessKindSchema.default('protect') });
