import fc from 'fast-check';
import { z } from 'zod';
import { findUnsafeInput } from '../../shared/input-guard';

/**
 * Hostile inputs for an entry point, built from its zod schema: the schema's own field names with
 * wrong types, missing and extra fields, huge strings, deep nesting, prototype-pollution keys,
 * control characters and out-of-range numbers. Only inputs the schema refuses are kept, so that
 * a handler never runs and nothing may change: every answer must be a refusal.
 *
 * `npm test` runs FUZZ_RUNS (default 12) cases per entry point from FUZZ_SEED (default 20261129);
 * `npm run fuzz` (scripts/fuzz.mjs) runs many more from a fresh seed it prints.
 */
export const fuzzRuns = Number(process.env.FUZZ_RUNS ?? 12);
export const fuzzSeed = Number(process.env.FUZZ_SEED ?? 20261129);
export const fuzzParams = { numRuns: fuzzRuns, seed: fuzzSeed, endOnFailure: true } as const;

const nasty = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u001b[2J\u001b[H',
  '\u007f',
  '\u0085',
  '\r\n',
  '\ud800',
  '%00',
  '%2561pi',
  '../../../../etc/passwd',
  "'; DROP TABLE sites; --",
  '$\u007bjndi:ldap://127.0.0.1/x}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '1e309',
  '99999999999999999999',
  'https://root:hunter2@127.0.0.1/sdk',
];

export const hostileString = fc.oneof(
  fc.constantFrom(...nasty),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\u0001', '\u001b', '\u009b', 'a', '/'), maxLength: 20 }),
  fc.integer({ min: 1_000, max: 70_000 }).map((n) => 'x'.repeat(n)),
);

export const hostileNumber = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    -0,
    0.5,
    1e308,
    -1e308,
    2 ** 31,
    2 ** 53 + 2,
    2 ** 63,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Nesting past any limit, as arrays or objects. */
export const deepValue = fc.tuple(fc.integer({ min: 33, max: 400 }), fc.boolean()).map(([depth, asArray]) => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { d: v };
  return v;
});

/** What prototype-pollution payloads look like once JSON-parsed (own `__proto__` keys). */
export const pollutionValue = fc.constantFrom(
  JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
  JSON.parse('{"constructor":{"prototype":{"polluted":true}}}') as unknown,
  JSON.parse('{"a":{"__proto__":{"isAdmin":true}}}') as unknown,
);

export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    deepValue,
    pollutionValue,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor')),
      tie('value'),
      {
        maxKeys: 4,
      },
    ),
  ),
})).value;

/** The field names of an object schema (through defaults, optionals, unions and pipes). */
export function schemaKeys(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  const keys = new Set<string>();
  const visit = (s: z.ZodType, depth: number) => {
    if (depth > 6) return;
    if (s instanceof z.ZodObject) for (const k of Object.keys(s.shape)) keys.add(k);
    const def = (s as unknown as { def: Record<string, unknown> }).def;
    for (const inner of [def.innerType, def.in, def.out, def.schema])
      if (inner instanceof z.ZodType) visit(inner, depth + 1);
    if (Array.isArray(def.options))
      for (const o of def.options) if (o instanceof z.ZodType) visit(o, depth + 1);
  };
  visit(schema, 0);
  return [...keys];
}

/**
 * Invalid inputs for one schema: a wrong type, or an object of its own field names (some
 * missing) with hostile values, sometimes an extra or prototype key. Filtered to what the schema
 * refuses; a schema that accepts anything yields only values the input guard refuses.
 */
export function invalidInputFor(
  schema: z.ZodType | undefined,
  /** How the entry point reads a missing input (the console dispatcher reads null as {}). */
  asReceived: (input: unknown) => unknown = (input) => input,
): fc.Arbitrary<unknown> {
  const keys = schemaKeys(schema);
  const fieldName =
    keys.length > 0
      ? fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 10 }))
      : fc.string({ maxLength: 10 });
  const objectOfFields = fc
    .tuple(
      fc.dictionary(fieldName, hostileValue, { maxKeys: Math.max(keys.length, 1) + 1 }),
      fc.option(fc.constantFrom('__proto__', 'constructor', 'extra', 'prototype'), { nil: undefined }),
      hostileValue,
    )
    .map(([fields, extra, extraValue]) => {
      const out = { ...fields };
      if (extra)
        Object.defineProperty(out, extra, {
          value: extraValue,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return out;
    });
  const candidate = fc.oneof(
    hostileString,
    hostileNumber,
    fc.constant(null),
    fc.array(hostileValue, { maxLength: 3 }),
    deepValue,
    pollutionValue,
    objectOfFields,
    objectOfFields,
  );
  // The guard (shared/input-guard.ts) stands in front of every schema: what it refuses counts too.
  return candidate.filter(
    (input) => !schema || findUnsafeInput(input) !== null || !schema.safeParse(asReceived(input)).success,
  );
}

/** A query string's worth of hostile strings under the schema's own keys (and others). */
export function invalidQueryFor(schema: z.ZodType | undefined): fc.Arbitrary<Record<string, string>> {
  const keys = schemaKeys(schema);
  const key =
    keys.length > 0
      ? fc.oneof(fc.constantFrom(...keys), fc.string({ minLength: 1, maxLength: 8 }))
      : fc.string({ minLength: 1, maxLength: 8 });
  const value = fc.oneof(
    hostileString.filter((s) => s.length < 4000),
    hostileNumber.map(String),
  );
  return fc
    .dictionary(key, value, { minKeys: 1, maxKeys: keys.length + 1 })
    .filter((q) => !schema || findUnsafeInput(q) !== null || !schema.safeParse(q).success);
}
