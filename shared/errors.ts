import type { z } from 'zod';
import type { Text, Worded } from './i18n/worded';

/**
 * Error codes that cross the transport. The client rebuilds an ApiError with the same code and
 * message, so the UI can tell "wrong password" from "certificate changed" without parsing text.
 *
 * This module loads no schema library: every process that can fail imports it, the CLI among
 * them, whose start-up zod would double. The schemas of these shapes are in error-schemas.ts.
 */
export const ERROR_CODES = [
  'invalid-input',
  'invalid-output',
  'unknown-call',
  'unauthorized',
  'not-found',
  'conflict',
  'aborted',
  'timeout',
  'unreachable',
  'invalid-login',
  'untrusted-identity',
  'identity-changed',
  'protocol-error',
  'remote-error',
  /** A saved secret cannot be opened any more (kept in memory only, or its key file is gone). */
  'secret-unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  details?: unknown;
  /** The words the message was said from (shared/i18n/worded.ts): a console words it in its language. */
  messageWords?: Worded;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** Present when the message was said from a word book; the message stays its English text. */
  readonly messageWords?: Worded;
  constructor(
    readonly code: ErrorCode,
    /** English text, or text with the words it was said from (say(), or a Text that may have none). */
    message: string | Text,
    readonly details?: unknown,
  ) {
    super(typeof message === 'string' ? message : message.text);
    if (typeof message !== 'string' && message.words) this.messageWords = message.words;
  }

  toPayload(): ErrorPayload {
    const payload: ErrorPayload = { code: this.code, message: this.message };
    if (this.details !== undefined) payload.details = this.details;
    if (this.messageWords) payload.messageWords = this.messageWords;
    return payload;
  }

  static fromPayload(payload: ErrorPayload): ApiError {
    return new ApiError(
      payload.code,
      payload.messageWords ? { text: payload.message, words: payload.messageWords } : payload.message,
      payload.details,
    );
  }
}

/** A thrown value's message, with the words it was said from when it was (a console words it). */
export function errorSaid(err: unknown): Text {
  if (err instanceof ApiError && err.messageWords) return { text: err.message, words: err.messageWords };
  return { text: err instanceof Error ? err.message : String(err) };
}

/** A failure as a snapshot or a map's source carries it: the English, with its words when it has any. */
export function errorFields(err: unknown): { error: string; errorWords?: Worded } {
  const said = errorSaid(err);
  return said.words ? { error: said.text, errorWords: said.words } : { error: said.text };
}

/** Any thrown value becomes a payload; unknown errors keep their message but not their stack. */
export function toErrorPayload(err: unknown): ErrorPayload {
  if (err instanceof ApiError) return err.toPayload();
  if (isZodError(err)) {
    return { code: 'invalid-input', message: formatZodError(err), details: err.issues };
  }
  if (err instanceof Error && err.name === 'AbortError')
    return { code: 'aborted', message: 'The call was cancelled.' };
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return { code: typeof code === 'string' && CODES.has(code) ? (code as ErrorCode) : 'internal', message };
}

/** A zod validation error, recognised without loading zod (see the top of this module). */
function isZodError(err: unknown): err is z.ZodError {
  return (
    err instanceof Error && err.name === 'ZodError' && Array.isArray((err as { issues?: unknown }).issues)
  );
}

export function formatZodError(err: z.ZodError): string {
  return err.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(input)'}: ${issue.message}`)
    .join('; ');
}
