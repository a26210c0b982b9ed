/**
 * The checks every input passes before its schema, on every entry point (console calls over IPC
 * and the web host, configuration-server requests): limits no schema states one by one.
 * - Control characters: NUL cannot be stored in PostgreSQL text (SQLSTATE 22021) and escape
 *   sequences in a name rewrite an operator's terminal when the CLI prints it. Tab, LF and CR
 *   are kept (PEM keys, descriptions).
 * - Depth: a 100,000-deep value passes `z.unknown()` and then overflows the stack of whatever
 *   serialises it. The walk below is iterative so that the check itself cannot overflow.
 * - Prototype keys: `__proto__`, `constructor` and `prototype` have no meaning in any schema here
 *   and are what prototype-pollution payloads are made of.
 */

import { sayClient } from './i18n/client-words';
import type { Said } from './i18n/worded';

export const MAX_INPUT_DEPTH = 32;
export const MAX_INPUT_NODES = 100_000;

// C0 controls but tab, LF and CR; DEL; C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const PROTO_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function hasControlCharacter(value: string): boolean {
  return CONTROL.test(value);
}

/**
 * Describes the first thing wrong with the input (with where it is), or null when there is none;
 * said from client-words, so that a console words it (the path in the input stays as sent).
 */
export function findUnsafeInput(input: unknown, where = 'input'): Said | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [
    { value: input, path: where, depth: 0 },
  ];
  let nodes = 0;
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (++nodes > MAX_INPUT_NODES) return sayClient('client.input.tooMany', { where, max: MAX_INPUT_NODES });
    if (typeof value === 'string') {
      if (hasControlCharacter(value)) {
        return sayClient('client.input.control', { path });
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) return sayClient('client.input.deep', { path, max: MAX_INPUT_DEPTH });
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++)
        stack.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    for (const key of Object.keys(value)) {
      const at = `${path}.${printable(key)}`;
      if (PROTO_KEYS.has(key)) return sayClient('client.input.protoKey', { path: at, key });
      if (hasControlCharacter(key)) return sayClient('client.input.controlKey', { path });
      stack.push({ value: (value as Record<string, unknown>)[key], path: at, depth: depth + 1 });
    }
  }
  return null;
}

/** A string safe to show in a message or write to a log: control characters become \uXXXX. */
export function printable(value: string, max = 80): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return cut.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point.
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
