import { z } from 'zod';
import { errorPayloadSchema } from './error-schemas';
import type { ErrorPayload } from './errors';

/**
 * Messages of the web host's WebSocket. Electron IPC carries the same call/result/error shapes
 * through ipcRenderer.invoke; only the framing differs.
 */
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id: z.number().int(), name: z.string(), input: z.unknown() }),
  z.object({ type: z.literal('abort'), id: z.number().int() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.number().int(), result: z.unknown() }),
  z.object({ type: z.literal('error'), id: z.number().int().nullable(), error: errorPayloadSchema }),
  z.object({ type: z.literal('event'), name: z.string(), payload: z.unknown() }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

/** The outcome of one call as it crosses a transport: exactly one of the two keys. */
export type CallOutcome = { result: unknown } | { error: ErrorPayload };
