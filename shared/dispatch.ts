import type { z } from 'zod';
import { type CallName, type CallOutput, type Calls, calls, isCallName } from './contract';
import { ApiError, formatZodError } from './errors';
import { sayClient } from './i18n/client-words';
import { findUnsafeInput } from './input-guard';

export interface HandlerContext {
  signal: AbortSignal;
}

/** One function per call; the input it receives has already passed the call's schema. */
export type Handlers = {
  [N in CallName]: (input: z.output<Calls[N]['input']>, ctx: HandlerContext) => Promise<CallOutput<N>>;
};

export type Dispatch = (name: unknown, input: unknown, signal?: AbortSignal) => Promise<unknown>;

/**
 * The one place every transport goes through: unknown names and invalid input are refused before
 * any handler runs, and a handler's output is checked against the contract before it leaves.
 */
export function createDispatcher(handlers: Handlers): Dispatch {
  return async (name, input, signal = new AbortController().signal) => {
    if (!isCallName(name))
      throw new ApiError(
        'unknown-call',
        sayClient('client.unknownCall', { name: JSON.stringify(name) ?? 'undefined' }),
      );
    const def = calls[name];
    const unsafe = findUnsafeInput(input);
    if (unsafe)
      throw new ApiError('invalid-input', sayClient('client.callInput', { call: name, issues: unsafe }));
    const parsed = def.input.safeParse(input ?? {});
    if (!parsed.success) {
      throw new ApiError(
        'invalid-input',
        sayClient('client.callInput', { call: name, issues: formatZodError(parsed.error) }),
        parsed.error.issues,
      );
    }
    signal.throwIfAborted();
    const handler = handlers[name] as (input: unknown, ctx: HandlerContext) => Promise<unknown>;
    const result = await handler(parsed.data, { signal });
    const checked = def.output.safeParse(result);
    if (!checked.success) {
      throw new ApiError(
        'invalid-output',
        sayClient('client.callOutput', { call: name, issues: formatZodError(checked.error) }),
      );
    }
    return checked.data;
  };
}
