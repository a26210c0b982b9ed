import { Projected, PsDate, PsEnum, PsError, PsObject, PsTimeSpan } from './model';

/**
 * How the double answers through documented members only: the model hands over objects that
 * carry exactly the members the table documents (VirtualMachine, VMReplication …), and this
 * module runs the script's own projection functions (`function P-VM($v){[pscustomobject]@{…}}`)
 * and guards over them. A member the object does not have reads as $null, as on a host without
 * strict mode, so a misspelt member turns into an empty field, not into a made-up value.
 *
 * It evaluates the small expression language those functions use: variables, indexes, member
 * chains, casts ([string], [long], [int], [bool]), @( ), -not, -or, -and, -eq, -ne, -contains,
 * string and number literals. Anything else is refused loudly, so the double never guesses.
 */

/** Runs the cmdlets a projection function calls itself (Get-VMHost, Get-VHD …). */
export type CmdletProvider = (name: string, named: Record<string, unknown>, positional: unknown[]) => unknown;

export interface Env {
  vars: Map<string, unknown>;
  /** Members read that the object does not have: what a host would silently answer $null to. */
  missing: string[];
}

function fail(what: string): never {
  throw new PsError(
    `host double: cannot evaluate ${what}; teach test/hyperv-double/project.ts the construct or write the script the way the others are written.`,
    null,
    'ParserError',
    'DoubleCannotEvaluate',
    what,
    'ParseException',
  );
}

// ---- values

export function member(value: unknown, name: string, env: Env): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    if (/^(count|length)$/i.test(name)) return value.length;
    // Member enumeration.
    const out = value.map((v) => member(v, name, env)).filter((v) => v !== null);
    return out.length === 1 ? out[0] : out;
  }
  if (value instanceof PsTimeSpan) {
    if (name.toLowerCase() === 'totalseconds') return value.TotalSeconds;
    env.missing.push(`TimeSpan.${name}`);
    return null;
  }
  if (value instanceof PsObject) {
    const key = Object.keys(value.members).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key === undefined) {
      env.missing.push(`${value.type}.${name}`);
      return null;
    }
    return value.members[key];
  }
  if (typeof value === 'object' && !(value instanceof PsEnum) && !(value instanceof PsDate)) {
    // The decoded data block ($p): ConvertFrom-Json objects.
    const o = value as Record<string, unknown>;
    const key = Object.keys(o).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? null : o[key];
  }
  env.missing.push(`${typeof value}.${name}`);
  return null;
}

export function toStr(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof PsEnum) return v.name;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return v.map(toStr).join(' ');
  if (v instanceof PsDate) return new Date(v.ms).toISOString();
  return String(v);
}

function toNum(v: unknown): number {
  if (v instanceof PsEnum) return v.table[v.name] ?? 0;
  if (v === null || v === undefined || v === '') return 0;
  return Number(v);
}

export function truthy(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (Array.isArray(v)) return v.length > 1 || (v.length === 1 && truthy(v[0]));
  if (v instanceof PsEnum) return toNum(v) !== 0;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  return Boolean(v);
}

function equal(a: unknown, b: unknown): boolean {
  if (a instanceof PsEnum || typeof b === 'string') return toStr(a).toLowerCase() === toStr(b).toLowerCase();
  if (typeof a === 'number' || typeof b === 'number') return toNum(a) === toNum(b);
  return a === b;
}

// ---- expressions

type Tok = { t: 'var' | 'op' | 'str' | 'num' | 'cast' | 'p' | 'id'; v: string };

const tokenCache = new Map<string, Tok[]>();

/** Tokens of an expression; the same few expressions are evaluated for every row, so they are kept. */
function tokenize(src: string): Tok[] {
  const cached = tokenCache.get(src);
  if (cached) return cached;
  const out = scan(src);
  if (tokenCache.size > 2000) tokenCache.clear();
  tokenCache.set(src, out);
  return out;
}

function scan(src: string): Tok[] {
  const out: Tok[] = [];
  const re =
    /\s+|(\$[\w_]+)|(-(?:not|or|and|eq|ne|like|contains|gt|lt|ge|le)\b)|'((?:[^']|'')*)'|(\d+(?:\.\d+)?)|\[(string|long|int|bool)\]|(@\(|[()[\].,])|([A-Za-z_]\w*)/giy;
  let m: RegExpExecArray | null;
  let i = 0;
  while (i < src.length) {
    re.lastIndex = i;
    m = re.exec(src);
    if (!m) fail(`"${src.slice(i, i + 30)}"`);
    i = re.lastIndex;
    if (m[1]) out.push({ t: 'var', v: m[1].slice(1) });
    else if (m[2]) out.push({ t: 'op', v: m[2].toLowerCase() });
    else if (m[3] !== undefined) out.push({ t: 'str', v: m[3].replace(/''/g, "'") });
    else if (m[4]) out.push({ t: 'num', v: m[4] });
    else if (m[5]) out.push({ t: 'cast', v: m[5].toLowerCase() });
    else if (m[6]) out.push({ t: 'p', v: m[6] });
    else if (m[7]) out.push({ t: 'id', v: m[7] });
  }
  return out;
}

export function evaluate(src: string, env: Env): unknown {
  const toks = tokenize(src);
  let i = 0;
  const peek = () => toks[i];
  const take = (v?: string) => {
    const t = toks[i++];
    if (!t || (v !== undefined && t.v !== v)) fail(`"${src}" (expected ${v ?? 'more'})`);
    return t;
  };
  // PowerShell gives -and and -or the same precedence, left to right.
  const orExpr = (): unknown => {
    let v = cmp();
    while (peek()?.v === '-or' || peek()?.v === '-and') {
      const op = take().v;
      const r = cmp();
      v = op === '-or' ? truthy(v) || truthy(r) : truthy(v) && truthy(r);
    }
    return v;
  };
  const cmp = (): unknown => {
    const a = unary();
    const op = peek();
    if (op?.t !== 'op' || ['-or', '-and', '-not'].includes(op.v)) return a;
    take();
    const b = unary();
    switch (op.v) {
      case '-eq':
        return equal(a, b);
      case '-ne':
        return !equal(a, b);
      case '-like': {
        const pattern = new RegExp(
          `^${toStr(b)
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '.*')
            .replace(/\?/g, '.')}$`,
          'i',
        );
        return pattern.test(toStr(a));
      }
      case '-contains':
        return (Array.isArray(a) ? a : [a]).some((x) => equal(x, b));
      default:
        return fail(`operator ${op.v} in "${src}"`);
    }
  };
  const unary = (): unknown => {
    const t = peek();
    if (t?.v === '-not') {
      take();
      return !truthy(unary());
    }
    if (t?.t === 'cast') {
      take();
      const v = unary();
      if (t.v === 'string') return toStr(v);
      if (t.v === 'bool') return truthy(v);
      return Math.round(toNum(v));
    }
    return postfix(primary());
  };
  const primary = (): unknown => {
    const t = take();
    if (t.t === 'var') {
      if (t.v.toLowerCase() === 'null') return null;
      if (t.v.toLowerCase() === 'true') return true;
      if (t.v.toLowerCase() === 'false') return false;
      if (!env.vars.has(t.v.toLowerCase())) fail(`$${t.v}, which the double has not bound, in "${src}"`);
      return env.vars.get(t.v.toLowerCase());
    }
    if (t.t === 'str') return t.v;
    if (t.t === 'num') return Number(t.v);
    if (t.v === '@(') {
      const items: unknown[] = [];
      while (peek()?.v !== ')') {
        const v = orExpr();
        if (Array.isArray(v)) items.push(...v);
        else if (v !== undefined) items.push(v);
        if (peek()?.v === ',') take();
      }
      take(')');
      return items;
    }
    if (t.v === '(') {
      const v = orExpr();
      take(')');
      return v;
    }
    return fail(`"${t.v}" in "${src}"`);
  };
  const postfix = (base: unknown): unknown => {
    let v = base;
    for (;;) {
      const t = peek();
      if (t?.v === '.') {
        take();
        v = member(v, take().v, env);
      } else if (t?.v === '[') {
        take();
        const idx = Number(take().v);
        take(']');
        v = Array.isArray(v) ? (v[idx] ?? null) : idx === 0 ? v : null;
      } else return v;
    }
  };
  const v = orExpr();
  if (i !== toks.length)
    fail(
      `"${src}" (left over: ${toks
        .slice(i)
        .map((t) => t.v)
        .join(' ')})`,
    );
  return v;
}

/** Splits on `sep` at bracket depth 0. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let cur = '';
  for (const ch of s) {
    if (ch === "'") quote = !quote;
    if (!quote) {
      if ('({['.includes(ch)) depth++;
      else if (')}]'.includes(ch)) depth--;
    }
    if (ch === sep && depth === 0 && !quote) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Parses `-Name value` / positional arguments of a cmdlet call and evaluates the values. */
function callArgs(args: string, env: Env): { named: Record<string, unknown>; positional: unknown[] } {
  const named: Record<string, unknown> = {};
  const positional: unknown[] = [];
  const parts = args.trim().split(/\s+/).filter(Boolean);
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    if (p.startsWith('-')) {
      const next = parts[k + 1];
      if (next && !next.startsWith('-')) {
        named[p.slice(1).toLowerCase()] = /^[A-Za-z]\w*$/.test(next) ? next : evaluate(next, env);
        k++;
      } else named[p.slice(1).toLowerCase()] = true;
    } else positional.push(/^[A-Za-z]\w*$/.test(p) ? p : evaluate(p, env));
  }
  return { named, positional };
}

function runAssignment(rhs: string, env: Env, provider: CmdletProvider): unknown {
  const r = rhs.trim();
  const viaMember = /^\((.*)\)\.(\w+)$/s.exec(r);
  if (viaMember) return member(runAssignment(viaMember[1]!, env, provider), viaMember[2]!, env);
  const pipeline = splitTop(r, '|').map((s) => s.trim());
  const first = /^([A-Za-z]+-[A-Za-z]+)\s*(.*)$/s.exec(pipeline[0]!);
  if (!first) return evaluate(r, env);
  const { named, positional } = callArgs(first[2]!, env);
  let value = provider(first[1]!, named, positional);
  for (const stage of pipeline.slice(1)) {
    const measure = /^Measure-Object\s+(\w+)\s+-Sum$/i.exec(stage);
    if (!measure) fail(`the pipeline stage "${stage}"`);
    const items = Array.isArray(value) ? value : [value];
    const sum = items.reduce<number>((acc, it) => acc + toNum(member(it, measure[1]!, env)), 0);
    value = new PsObject('MeasureInfo', { Sum: sum });
  }
  return value;
}

interface ProjectionFn {
  params: string[];
  prelude: string;
  entries: Array<[string, string]>;
}

const fnCache = new Map<string, Map<string, ProjectionFn>>();

/** The script's projection functions: `function P-X($a,$b){…[pscustomobject]@{K=expr;…}}`. */
function projectionFunctions(script: string): Map<string, ProjectionFn> {
  const cached = fnCache.get(script);
  if (cached) return cached;
  const fns = new Map<string, ProjectionFn>();
  const re = /function\s+([\w-]+)\s*(?:\(([^)]*)\))?\s*\{/g;
  for (const m of script.matchAll(re)) {
    let depth = 1;
    let k = m.index! + m[0].length;
    for (; k < script.length && depth > 0; k++) {
      if (script[k] === '{') depth++;
      else if (script[k] === '}') depth--;
    }
    const body = script.slice(m.index! + m[0].length, k - 1);
    const at = body.indexOf('[pscustomobject]@{');
    if (at < 0) continue;
    const inner = body.slice(at + '[pscustomobject]@{'.length, body.lastIndexOf('}'));
    const entries = splitTop(inner, ';').map((e): [string, string] => {
      const eq = e.indexOf('=');
      return [e.slice(0, eq).trim(), e.slice(eq + 1).trim()];
    });
    const params = (m[2] ?? '')
      .split(',')
      .map((p) => p.trim().replace(/^\$/, '').toLowerCase())
      .filter(Boolean);
    fns.set(m[1]!.toLowerCase(), { params, prelude: body.slice(0, at), entries });
  }
  if (fnCache.size > 200) fnCache.clear();
  fnCache.set(script, fns);
  return fns;
}

/** Runs the script's function `fn` over `args` and returns the object it writes. */
export function project(
  script: string,
  row: Projected,
  provider: CmdletProvider,
  missing: string[],
): Record<string, unknown> {
  const fn = projectionFunctions(script).get(row.fn.toLowerCase());
  if (!fn) fail(`output through ${row.fn}, which the script does not define`);
  const env: Env = { vars: new Map(), missing };
  for (const [i, p] of fn.params.entries()) env.vars.set(p, row.args[i] ?? null);
  // The prelude's assignments, in order; those inside try{} swallow the cmdlet's error.
  const prelude = fn.prelude;
  for (const a of prelude.matchAll(/\$(\w+)=((?:\([^;\n]*?\)\.\w+)|[^;\n{}]+)/g)) {
    const inTry = prelude.lastIndexOf('try{', a.index!) > prelude.lastIndexOf('}', a.index!);
    try {
      env.vars.set(a[1]!.toLowerCase(), runAssignment(a[2]!, env, provider));
    } catch (err) {
      if (!inTry || !(err instanceof PsError)) throw err;
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, expr] of fn.entries) out[key] = evaluate(expr, env);
  return out;
}

/** Replaces every Projected row inside `value` by the object the script's function writes. */
export function projectAll(
  script: string,
  value: unknown,
  provider: CmdletProvider,
  missing: string[],
): unknown {
  if (value instanceof Projected) return project(script, value, provider, missing);
  if (Array.isArray(value)) return value.map((v) => projectAll(script, v, provider, missing));
  if (value && typeof value === 'object' && !(value instanceof PsEnum) && !(value instanceof PsDate)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, projectAll(script, v, provider, missing)]),
    );
  }
  return value;
}

// ---- the script's statements the model consults

/** The parameters of each call of `cmdlet` in the script: names lower-case, values as written. */
export function invocations(script: string, cmdlet: string): Array<Record<string, string | true>> {
  const out: Array<Record<string, string | true>> = [];
  const re = new RegExp(`(?<![\\w-])${cmdlet}\\b([^|;\\n}]*)`, 'gi');
  const code = script.replace(/^\s*#.*$/gm, '');
  for (const m of code.matchAll(re)) {
    const args: Record<string, string | true> = {};
    const parts = m[1]!.trim().split(/\s+/).filter(Boolean);
    for (let k = 0; k < parts.length; k++) {
      const flag = /^-(\w+)(?::(.*))?$/.exec(parts[k]!);
      if (!flag) continue;
      const next = parts[k + 1];
      if (flag[2] !== undefined) args[flag[1]!.toLowerCase()] = flag[2];
      else if (next && !next.startsWith('-')) {
        args[flag[1]!.toLowerCase()] = next;
        k++;
      } else args[flag[1]!.toLowerCase()] = true;
    }
    out.push(args);
  }
  return out;
}

function bind(vars: Record<string, unknown>, missing: string[]): Env {
  return { vars: new Map(Object.entries(vars).map(([k, v]) => [k.toLowerCase(), v])), missing };
}

/** Text of a double-quoted PowerShell string with its $( … ) subexpressions evaluated. */
function interpolate(text: string, env: Env): string {
  return text
    .replace(/\$\(((?:[^()]|\([^()]*\))*)\)/g, (_m, expr: string) => toStr(evaluate(expr, env)))
    .replace(/`(.)/g, '$1');
}

/**
 * Evaluates `$x=@(<cmdlet> …|Where-Object{…}|…)` over `rows` (what the cmdlet writes), with
 * `$_` bound to each row: the objects the script selects. Null when the script has no such
 * statement.
 */
export function select(
  script: string,
  cmdlet: string,
  rows: unknown[],
  vars: Record<string, unknown>,
  missing: string[],
): unknown[] | null {
  const m = new RegExp(`\\$\\w+=@\\(${cmdlet}\\b[^|)]*((?:\\|Where-Object\\{[^{}]*\\})*)\\)`, 'i').exec(
    script,
  );
  if (!m) return null;
  const filters = [...m[1]!.matchAll(/\|Where-Object\{([^{}]*)\}/g)].map((f) => f[1]!);
  return rows.filter((row) => filters.every((f) => truthy(evaluate(f, bind({ ...vars, _: row }, missing)))));
}

/**
 * The script's `if(<cond>){throw "…"}` right after the statement that calls `after`: the
 * message it throws with `vars` bound, or null when the condition is false (or there is none).
 */
export function guard(
  script: string,
  after: string,
  vars: Record<string, unknown>,
  missing: string[],
): string | null {
  const at = script.search(new RegExp(`(?<![\\w-])${after}\\b`));
  if (at < 0) return null;
  const m = /\bif\(((?:[^(){}]|\([^(){}]*\))*)\)\{throw "((?:[^"`]|`.)*)"\}/.exec(script.slice(at));
  if (!m) return null;
  const env = bind(vars, missing);
  return truthy(evaluate(m[1]!, env)) ? interpolate(m[2]!, env) : null;
}
