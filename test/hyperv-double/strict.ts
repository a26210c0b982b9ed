import { readFileSync } from 'node:fs';

/**
 * Holds a script against the table of documented Hyper-V members and cmdlet parameters
 * (reference/hyperv-module.json): every `$x.Member` whose object type is known must be a listed
 * member of that type, and every Hyper-V cmdlet call must name only listed parameters that fit
 * one parameter set, with that set's mandatory parameters present.
 *
 * It reads the scripts the way they are written (one-line functions, explicit projections), not
 * PowerShell in general: a construct it cannot type is a violation too, so a new script shape
 * has to be taught here rather than slip through. Hand-written because no npm package parses
 * PowerShell; the grammar it needs is small.
 */

interface MemberRow {
  name: string;
  type: string;
  source: string;
  evidence: string;
  note: string;
}
interface ParamRow {
  name: string;
  required: boolean;
}
interface CmdletRow {
  source: string;
  outputs: string | null;
  parameterSets: Record<string, ParamRow[]>;
  aliases: Record<string, string[]>;
}
export interface ModuleTable {
  objects: Record<string, { type: string; members: MemberRow[] }>;
  cmdlets: Record<string, CmdletRow>;
}

export const TABLE: ModuleTable = JSON.parse(
  readFileSync(new URL('./reference/hyperv-module.json', import.meta.url), 'utf8'),
) as ModuleTable;

export interface Violation {
  kind: 'member' | 'parameter' | 'parameter-set' | 'cmdlet' | 'untyped';
  message: string;
}

const COMMON = new Set(
  [
    'Verbose',
    'Debug',
    'ErrorAction',
    'WarningAction',
    'InformationAction',
    'ErrorVariable',
    'WarningVariable',
    'InformationVariable',
    'OutVariable',
    'OutBuffer',
    'PipelineVariable',
  ].map((s) => s.toLowerCase()),
);

/** Parameter types of the scripts' own functions (they take the objects the cmdlets write). */
const FUNCTION_PARAMS: Record<string, Record<string, string>> = {
  'out-json': { o: 'any' },
  'find-vm': { r: 'data' },
  'p-vm': { v: 'VirtualMachine' },
  'p-disk': { d: 'HardDiskDrive' },
  'p-nic': { n: 'VMNetworkAdapter' },
  'p-sw': { s: 'VMSwitch' },
  'p-snap': { s: 'VMSnapshot' },
  'p-repl': { r: 'VMReplication', v: 'VirtualMachine' },
  'p-meas': { m: 'VMReplicationHealth', v: 'VirtualMachine' },
  repls: { vs: 'VirtualMachine[]', m: 'bool' },
  repl1: { v: 'VirtualMachine' },
  'p-host': {},
  'p-conn': { x: 'data' },
  'p-vol': { d: 'Win32_LogicalDisk', r: 'VMReplicationServer' },
};
/** What the scripts' own functions return. */
const FUNCTION_OUTPUTS: Record<string, string> = { 'find-vm': 'VirtualMachine' };
/** Types members of which are not checked: the decoded data block, hashtables, a regex match. */
const UNCHECKED = new Set(['data', 'any', 'hashtable']);
/** .NET members the scripts use outside the Hyper-V objects, with the page documenting them. */
const DOTNET: Record<string, Record<string, string>> = {
  RegexMatch: {
    value: 'https://learn.microsoft.com/dotnet/api/system.text.regularexpressions.capture.value',
  },
};

function cmdletRow(name: string): [string, CmdletRow] | undefined {
  const key = Object.keys(TABLE.cmdlets).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? [key, TABLE.cmdlets[key]!] : undefined;
}

function isHypervCmdlet(name: string): boolean {
  return /^[A-Za-z]+-(VM|VHD)[A-Za-z]*$/.test(name);
}

function outputOf(command: string, args: string): string {
  const lower = command.toLowerCase();
  if (FUNCTION_OUTPUTS[lower]) return FUNCTION_OUTPUTS[lower]!;
  if (lower === 'get-ciminstance') {
    const cls = /^\s*(?:-ClassName\s+)?(\w+)/.exec(args)?.[1];
    return cls && TABLE.objects[cls] ? cls : 'any';
  }
  const row = cmdletRow(command);
  if (row?.[1].outputs) return row[1].outputs;
  return 'any';
}

/** Removes comments and replaces each double-quoted string by the subexpressions it holds. */
function codeOnly(script: string): string {
  const noComments = script
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n');
  let out = '';
  for (let i = 0; i < noComments.length; i++) {
    const ch = noComments[i]!;
    if (ch === "'") {
      const end = noComments.indexOf("'", i + 1);
      out += "''";
      i = end < 0 ? noComments.length : end;
      continue;
    }
    if (ch !== '"') {
      out += ch;
      continue;
    }
    // A double-quoted string: keep its $( … ) subexpressions, drop the text.
    let j = i + 1;
    let kept = '';
    while (j < noComments.length && noComments[j] !== '"') {
      if (noComments[j] === '`') {
        j += 2;
        continue;
      }
      if (noComments[j] === '$' && noComments[j + 1] === '(') {
        let depth = 0;
        let k = j + 1;
        for (; k < noComments.length; k++) {
          if (noComments[k] === '(') depth++;
          else if (noComments[k] === ')' && --depth === 0) break;
        }
        kept += ` ${noComments.slice(j + 2, k)} `;
        j = k + 1;
        continue;
      }
      j++;
    }
    out += `""${kept ? `;${kept};` : ''}`;
    i = j;
  }
  return out;
}

interface Scope {
  name: string;
  body: string;
  vars: Map<string, string>;
}

/** Splits `function Name(params){body}` definitions from the top-level code. */
function scopes(code: string): Scope[] {
  const out: Scope[] = [];
  let top = '';
  let i = 0;
  const re = /function\s+([\w-]+)\s*(\(([^)]*)\))?\s*\{/g;
  for (;;) {
    re.lastIndex = i;
    const m = re.exec(code);
    if (!m) break;
    top += code.slice(i, m.index);
    let depth = 1;
    let k = m.index + m[0].length;
    for (; k < code.length && depth > 0; k++) {
      if (code[k] === '{') depth++;
      else if (code[k] === '}') depth--;
    }
    const name = m[1]!.toLowerCase();
    const vars = new Map<string, string>();
    const declared = FUNCTION_PARAMS[name];
    for (const p of (m[3] ?? '').split(',').map((s) => s.trim().replace(/^\$/, ''))) {
      if (!p) continue;
      vars.set(p.toLowerCase(), declared?.[p.toLowerCase()] ?? 'untyped');
    }
    out.push({ name, body: code.slice(m.index + m[0].length, k - 1), vars });
    i = k;
  }
  top += code.slice(i);
  out.push({ name: '<script>', body: top, vars: new Map([['p', 'data']]) });
  return out;
}

function memberType(type: string, member: string, where: string, v: Violation[]): string {
  if (UNCHECKED.has(type)) return 'any';
  if (type.endsWith('[]')) {
    if (member.toLowerCase() === 'count' || member.toLowerCase() === 'length') return 'number';
    // Member enumeration: the member of each element.
    return memberType(type.slice(0, -2), member, where, v);
  }
  const dotnet = DOTNET[type];
  if (dotnet) {
    if (dotnet[member.toLowerCase()]) return 'any';
    v.push({ kind: 'member', message: `${where}: ${type} has no documented member "${member}"` });
    return 'any';
  }
  const obj = TABLE.objects[type];
  if (!obj) {
    v.push({
      kind: 'member',
      message: `${where}: "${member}" read from a ${type}, which has no members here`,
    });
    return 'any';
  }
  const row = obj.members.find((m) => m.name.toLowerCase() === member.toLowerCase());
  if (!row) {
    v.push({
      kind: 'member',
      message: `${where}: ${type} (${obj.type}) has no documented member "${member}"`,
    });
    return 'any';
  }
  if (row.name !== member) {
    v.push({ kind: 'member', message: `${where}: write ${type}.${row.name}, not "${member}"` });
  }
  return TABLE.objects[row.type] ? row.type : 'scalar';
}

/** The command a pipeline segment ends with, looking back from `end` (exclusive) to a `|`. */
function pipelineSource(body: string, pipeAt: number, scope: Scope): string {
  // Walk back over the previous element, balancing braces and parentheses.
  let k = pipeAt - 1;
  while (k >= 0 && /\s/.test(body[k]!)) k--;
  let depth = 0;
  const end = k + 1;
  for (; k >= 0; k--) {
    const ch = body[k]!;
    if (ch === '}' || ch === ')') depth++;
    else if (ch === '{' || ch === '(') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && (ch === '|' || ch === ';' || ch === '\n')) break;
  }
  const segment = body.slice(k + 1, end).trim();
  const where = /^Where-Object\b/i.test(segment);
  if (where) return body[k] === '|' ? pipelineSource(body, k, scope) : 'untyped';
  const variable = /^\$(\w+)$/.exec(segment);
  if (variable) {
    const t = scope.vars.get(variable[1]!.toLowerCase()) ?? 'untyped';
    return t.endsWith('[]') ? t.slice(0, -2) : t;
  }
  const cmd = /^([A-Za-z]+-[A-Za-z]+)\s*(.*)$/s.exec(segment);
  return cmd ? outputOf(cmd[1]!, cmd[2]!) : 'untyped';
}

/** The type of an assignment's right-hand side. */
function rhsType(rhs: string, scope: Scope, v: Violation[]): string {
  const r = rhs.trim();
  if (/^\$null$/i.test(r) || /^['"\d]/.test(r)) return 'any';
  if (r.startsWith('@{')) return 'hashtable';
  const member = /^\((.*)\)\.(\w+)$/s.exec(r);
  if (member) {
    const inner = member[1]!;
    const measure = /\|\s*Measure-Object\b/i.test(inner);
    const t = measure ? 'MeasureInfo' : rhsType(inner, scope, v);
    return memberType(t, member[2]!, `(${inner}).${member[2]}`, v);
  }
  const array = /^@\((.*)\)$/s.exec(r);
  if (array) {
    const inner = array[1]!;
    // @(if(…){A}else{B}): the type of the first command.
    const cmds = [...inner.matchAll(/(?:^|[{(|;\s])([A-Za-z]+-[A-Za-z]+)\b([^|}]*)/g)];
    const last = inner.split('|').pop()!.trim();
    const first = cmds.find((c) => !/^(Where-Object|ForEach-Object)$/i.test(c[1]!));
    if (/^ForEach-Object/i.test(last)) return 'any[]';
    return first ? `${outputOf(first[1]!, first[2]!)}[]` : 'any[]';
  }
  const cmd = /^([A-Za-z]+-[A-Za-z]+)\b(.*)$/s.exec(r);
  if (cmd) {
    if (/^ConvertTo-Json$/i.test(cmd[1]!)) return 'any';
    return outputOf(cmd[1]!, cmd[2]!);
  }
  const variable = /^\$(\w+)$/.exec(r);
  if (variable) return scope.vars.get(variable[1]!.toLowerCase()) ?? 'untyped';
  return 'any';
}

function checkScope(scope: Scope, v: Violation[]): void {
  const body = scope.body;
  // Variables: assignments and foreach loops, in order.
  for (const m of body.matchAll(/(?:^|[;{\n(])\s*\$(\w+)\s*=(?!=)\s*([^;\n]*)/g)) {
    const name = m[1]!.toLowerCase();
    if (name === 'null') continue;
    let rhs = m[2]!;
    // The right-hand side ends where its brackets close.
    let depth = 0;
    let cut = rhs.length;
    for (let i = 0; i < rhs.length; i++) {
      const ch = rhs[i]!;
      if (ch === '(' || ch === '{' || ch === '[') depth++;
      else if (ch === ')' || ch === '}' || ch === ']') {
        if (depth === 0) {
          cut = i;
          break;
        }
        depth--;
      }
    }
    rhs = rhs.slice(0, cut);
    const t = rhsType(rhs, scope, v);
    if (t !== 'any' || !scope.vars.has(name)) scope.vars.set(name, t);
  }
  for (const m of body.matchAll(/foreach\s*\(\s*\$(\w+)\s+in\s+\$(\w+)\s*\)/gi)) {
    const coll = scope.vars.get(m[2]!.toLowerCase()) ?? 'untyped';
    scope.vars.set(m[1]!.toLowerCase(), coll.endsWith('[]') ? coll.slice(0, -2) : coll);
  }
  if (scope.name === 'out-json') scope.vars.set('m', 'RegexMatch');

  // Member reads on variables (and on $_).
  for (const m of body.matchAll(/\$(\w+)((?:\[\d+\])?)((?:\.\w+)+)/g)) {
    const name = m[1]!.toLowerCase();
    const members = m[3]!.slice(1).split('.');
    const assignedKey = new RegExp(`\\$${m[1]}\\.${members[0]}\\s*=(?!=)`).test(body.slice(m.index!));
    let type: string;
    if (name === '_') {
      const block = enclosingBlockStart(body, m.index!);
      const before = body.slice(0, block).trimEnd();
      const pipe = /(Where-Object|ForEach-Object)\s*$/i.exec(before);
      const pipeAt = pipe ? before.slice(0, pipe.index).trimEnd().length - 1 : -1;
      type = pipe && body[pipeAt] === '|' ? pipelineSource(body, pipeAt, scope) : 'untyped';
    } else {
      type = scope.vars.get(name) ?? 'untyped';
    }
    if (type === 'hashtable' && assignedKey) continue;
    if (type === 'untyped') {
      v.push({ kind: 'untyped', message: `${scope.name}: cannot tell what $${m[1]} holds (reads ${m[3]})` });
      continue;
    }
    if (m[2]) type = type.endsWith('[]') ? type.slice(0, -2) : type;
    for (const member of members) {
      if (type === 'scalar') {
        v.push({
          kind: 'member',
          message: `${scope.name}: "${member}" read from a scalar ($${m[1]}${m[3]})`,
        });
        break;
      }
      type = memberType(type, member, `${scope.name}: $${m[1]}${m[2]}${m[3]}`, v);
      if (type === 'any') break;
    }
  }
  // Properties named as arguments: Where-Object Name -eq …, Measure-Object Prop.
  for (const m of body.matchAll(/\|\s*(Where-Object|Measure-Object)\s+(\w+)/gi)) {
    const pipeAt = body.lastIndexOf('|', m.index! + 1);
    const source = pipelineSource(body, pipeAt, scope);
    memberType(source, m[2]!, `${scope.name}: ${m[1]} ${m[2]}`, v);
  }
  checkCmdlets(scope, v);
}

function enclosingBlockStart(body: string, at: number): number {
  let depth = 0;
  for (let k = at - 1; k >= 0; k--) {
    const ch = body[k]!;
    if (ch === '}') depth++;
    else if (ch === '{') {
      if (depth === 0) return k;
      depth--;
    }
  }
  return 0;
}

function checkCmdlets(scope: Scope, v: Violation[]): void {
  const body = scope.body;
  for (const m of body.matchAll(/(?<![\w$-])([A-Za-z]+-[A-Za-z]+)\b/g)) {
    const name = m[1]!;
    if (!isHypervCmdlet(name) || FUNCTION_PARAMS[name.toLowerCase()]) continue;
    const found = cmdletRow(name);
    if (!found) {
      v.push({ kind: 'cmdlet', message: `${scope.name}: ${name} is not a cmdlet of the table` });
      continue;
    }
    const [canonical, row] = found;
    if (canonical !== name)
      v.push({ kind: 'cmdlet', message: `${scope.name}: write ${canonical}, not ${name}` });
    // Its arguments: up to |, ;, a line end, or a bracket closing at depth 0.
    let depth = 0;
    let k = m.index! + name.length;
    for (; k < body.length; k++) {
      const ch = body[k]!;
      if (ch === '(' || ch === '{' || ch === '[') depth++;
      else if (ch === ')' || ch === '}' || ch === ']') {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && (ch === '|' || ch === ';' || ch === '\n')) break;
    }
    const args = body.slice(m.index! + name.length, k);
    const flat = args.replace(/\([^()]*\)|\{[^{}]*\}/g, ' ');
    const used = [...flat.matchAll(/(?:^|\s)-(\w+)(?::\S+)?/g)].map((a) => a[1]!);
    const always = new Set(used.map((u) => u.toLowerCase()));
    const splat = /(?:^|\s)@(\w+)/.exec(flat)?.[1];
    if (splat) {
      const lit = new RegExp(`\\$${splat}\\s*=\\s*@\\{([^}]*)\\}`).exec(body);
      for (const kv of (lit?.[1] ?? '').split(';')) {
        const key = /^\s*(\w+)\s*=/.exec(kv)?.[1];
        if (key) {
          used.push(key);
          always.add(key.toLowerCase());
        }
      }
      for (const a of body.matchAll(new RegExp(`\\$${splat}\\.(\\w+)\\s*=(?!=)`, 'g'))) used.push(a[1]!);
    }
    const piped = /\|\s*$/.test(body.slice(0, m.index!));
    const sets = Object.entries(row.parameterSets);
    const all = new Map<string, string>();
    for (const [, ps] of sets) for (const p of ps) all.set(p.name.toLowerCase(), p.name);
    let bad = false;
    for (const u of used) {
      const canon = all.get(u.toLowerCase());
      if (!canon && !COMMON.has(u.toLowerCase())) {
        const alias = Object.entries(row.aliases).find(([, as]) =>
          as.some((a) => a.toLowerCase() === u.toLowerCase()),
        );
        v.push({
          kind: 'parameter',
          message: `${scope.name}: ${canonical} has no parameter -${u}${alias ? ` (it is an alias of -${alias[0]}; write that)` : ''} (${row.source})`,
        });
        bad = true;
      } else if (canon && canon !== u) {
        v.push({ kind: 'parameter', message: `${scope.name}: write -${canon}, not -${u}` });
      }
    }
    if (bad) continue;
    const wanted = used.filter((u) => !COMMON.has(u.toLowerCase())).map((u) => u.toLowerCase());
    const fits = sets.some(([, ps]) => {
      const names = new Set(ps.map((p) => p.name.toLowerCase()));
      if (!wanted.every((u) => names.has(u))) return false;
      const missing = ps.filter((p) => p.required && !always.has(p.name.toLowerCase()));
      // One mandatory parameter may come down the pipeline.
      return missing.length === 0 || (piped && missing.length === 1);
    });
    if (!fits) {
      v.push({
        kind: 'parameter-set',
        message: `${scope.name}: no parameter set of ${canonical} takes ${used.map((u) => `-${u}`).join(' ') || 'no parameters'} with its mandatory parameters (${row.source})`,
      });
    }
  }
}

/** Every violation of the table in one script. */
export function checkScript(script: string): Violation[] {
  const v: Violation[] = [];
  for (const scope of scopes(codeOnly(script))) checkScope(scope, v);
  return v;
}
