import { z } from 'zod';
import { ERROR_CODES, type ErrorPayload } from './errors';
import { wordedSchema } from './i18n/worded';

/** The schemas of errors.ts's shapes, for the transports that validate what they receive. */
export const errorCodeSchema = z.enum(ERROR_CODES);

export const errorPayloadSchema: z.ZodType<ErrorPayload> = z.object({
  code: errorCodeSchema,
  message: z.string(),
  details: z.unknown().optional(),
  messageWords: wordedSchema.optional(),
});

/** The body of every refused REST call (documented in /openapi.json beside each route's answer). */
export const errorBodySchema = z.object({ error: errorPayloadSchema });
