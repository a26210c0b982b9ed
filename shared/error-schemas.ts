import { z } from 'zod';
import { ERROR_CODES, type ErrorPayload } from './errors';

/** The schemas of errors.ts's shapes, for the transports that validate what they receive. */
export const errorCodeSchema = z.enum(ERROR_CODES);

export const errorPayloadSchema: z.ZodType<ErrorPayload> = z.object({
  code: errorCodeSchema,
  message: z.string(),
  details: z.unknown().optional(),
});
