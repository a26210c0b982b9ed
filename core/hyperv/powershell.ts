import { XMLParser } from 'fast-xml-parser';
import { ApiError, type ErrorCode } from '../../shared/errors';
import { sayClient } from '../../shared/i18n/client-words';
import type { Said } from '../../shared/i18n/worded';
import type { EnumTable } from './enums';

/**
 * Windows PowerShell 5.1 over SSH. Every operation is a fixed script template: the values it
 * works on travel as a base64 JSON block that the script decodes itself, so no name or path is
 * ever parsed as code, and the same operation always sends the same code.
 */

export const POWERSHELL_FLAGS = '-NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand';

/**
 * OpenSSH for Windows hands the command to the user's default shell; with cmd.exe (the default)
 * a command line longer than 8191 characters fails with "The command line is too long."
 */
export const MAX_COMMAND_LINE = 8191;

const PREAMBLE = [
  "$ProgressPreference='SilentlyContinue';$ErrorActionPreference='Stop'",
  // Without this, 5.1 writes stdout in the OEM code page and non-ASCII names arrive as '?'.
  // Setting it fails where the process has no console, hence the try.
  'try{[Console]::OutputEncoding=New-Object Text.UTF8Encoding $false}catch{}',
  // And in case it did fail: JSON with every non-ASCII character as \uXXXX reads the same in any code page.
  "function Out-Json($o){$j=ConvertTo-Json -Compress -Depth 6 -InputObject $o;[regex]::Replace($j,'[^\\x00-\\x7e]',{param($m)'\\u{0:x4}' -f [int][char]$m.Value})}",
].join('\n');

export const OP_MARKER = '# siteshift-op: ';

/** Result of one remote command. */
export interface ExecResult {
  code: number | null;
  signal: string | null;
  stdout: Buffer;
  stderr: Buffer;
}

export interface ExecOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** What runs, for error messages ("Get-VM"). */
  label: string;
}

/** What the runner needs from a transport: the SSH session, or anything that runs a command line. */
export interface RemoteExec {
  /** "host:port", for messages. */
  readonly endpoint: string;
  exec(command: string, opts: ExecOptions): Promise<ExecResult>;
}

export interface PowerShellErrorDetails {
  op: string;
  endpoint: string;
  exitCode: number | null;
  /** The message PowerShell printed, without position information. */
  psMessage: string;
  cmdlet: string | null;
  category: string | null;
  errorId: string | null;
}

/** A PowerShell error on the host, with the host's own words. */
export class PowerShellError extends ApiError {
  declare readonly details: PowerShellErrorDetails;
  constructor(code: ErrorCode, details: PowerShellErrorDetails) {
    // The host's own words (PowerShell's message) are a value, as it wrote them.
    super(
      code,
      sayClient('client.ps.failed', { op: details.op, endpoint: details.endpoint, error: details.psMessage }),
      details,
    );
  }
}

export function encodeCommand(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

export function commandLine(script: string): string {
  return `powershell.exe ${POWERSHELL_FLAGS} ${encodeCommand(script)}`;
}

/** The script for one operation: preamble, marker, the parameter block, then the fixed body. */
export function buildScript(op: string, params: unknown, body: string): string {
  if (!/^[A-Za-z]+-[A-Za-z]+$/.test(op)) throw new Error(`invalid operation name ${op}`);
  const data = Buffer.from(JSON.stringify(params ?? {}), 'utf8').toString('base64');
  return [
    PREAMBLE,
    `${OP_MARKER}${op}`,
    `$p=[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${data}'))|ConvertFrom-Json`,
    body.trim(),
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// stderr: CLIXML

export interface ClixmlStreams {
  errors: string[];
  warnings: string[];
  other: string[];
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => name === 'S' || name === 'Obj',
});

/** `_x000D__x000A_` is how CLIXML escapes characters XML cannot carry. */
function unescapeClixml(s: string): string {
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/**
 * Reads stderr. 5.1 writes `#< CLIXML` followed by serialised records (errors, warnings, and
 * progress records even when nothing failed); anything else is plain text, treated as error text.
 */
export function parseStderr(stderr: string): ClixmlStreams {
  const out: ClixmlStreams = { errors: [], warnings: [], other: [] };
  const text = stderr.replace(/^\uFEFF/, '');
  if (!text.trim()) return out;
  const parts = text.split('#< CLIXML');
  const plain = parts[0]!.trim();
  if (plain) out.errors.push(plain);
  for (const part of parts.slice(1)) {
    let doc: { Objs?: { S?: Array<string | { '#text'?: string; '@_S'?: string }> } };
    try {
      doc = xml.parse(part) as typeof doc;
    } catch {
      out.errors.push(part.trim());
      continue;
    }
    const byStream = new Map<string, string>();
    for (const s of doc.Objs?.S ?? []) {
      const stream = typeof s === 'string' ? 'Error' : (s['@_S'] ?? 'Error');
      const value = typeof s === 'string' ? s : (s['#text'] ?? '');
      byStream.set(stream, (byStream.get(stream) ?? '') + unescapeClixml(value));
    }
    for (const [stream, value] of byStream) {
      const v = value.trim();
      if (!v) continue;
      if (stream.toLowerCase() === 'error') out.errors.push(v);
      else if (stream.toLowerCase() === 'warning') out.warnings.push(v);
      else out.other.push(v);
    }
  }
  return out;
}

/**
 * 5.1 formats an error record at the width of its host (no console over SSH: a fixed width),
 * cutting long lines mid-word; the "+ CategoryInfo" and "+ FullyQualifiedErrorId" lines continue
 * on indented lines. Rejoins them, so that "curr" + "ent state" reads "current state" again.
 */
export function unwrapErrorText(text: string): string[] {
  const raw = text.split(/\r?\n/).map((l) => l.replace(/\s+$/, ''));
  const width = Math.max(0, ...raw.map((l) => l.length));
  // The longest line is the width only if the text was cut: two lines end there, or it is one of
  // the widths a 5.1 host without a console formats at.
  const cut = width >= 60 && (raw.filter((l) => l.length === width).length >= 2 || [80, 120].includes(width));
  const out: string[] = [];
  let inDetails = false;
  let prevFull = false;
  for (const line of raw) {
    const isDetail = /^\s*\+/.test(line) || /^At (line|char):/.test(line);
    const prev = out.length - 1;
    if (inDetails && !isDetail && /^\s/.test(line) && line.trim() && prev >= 0) {
      // The continuation of a "+ Key : value" line, indented by the formatter.
      out[prev] += line.trim();
    } else if (!inDetails && !isDetail && prevFull && prev >= 0) {
      out[prev] += line;
    } else {
      out.push(line);
    }
    if (isDetail) inDetails = true;
    prevFull = cut && line.length === width;
  }
  return out;
}

/** Splits 5.1's error text ("Get-VM : msg / At line:… / + CategoryInfo … / + FullyQualifiedErrorId …"). */
export function parseErrorRecord(text: string): {
  message: string;
  cmdlet: string | null;
  category: string | null;
  errorId: string | null;
} {
  const lines = unwrapErrorText(text);
  const messageLines: string[] = [];
  let category: string | null = null;
  let errorId: string | null = null;
  let inMessage = true;
  for (const raw of lines) {
    const line = raw.trimEnd();
    const cat = /^\s*\+\s*CategoryInfo\s*:\s*([A-Za-z]+)/.exec(line);
    const fq = /^\s*\+\s*FullyQualifiedErrorId\s*:\s*(.+)$/.exec(line);
    if (cat) category = cat[1]!;
    else if (fq) errorId = fq[1]!.trim();
    if (/^At (line|char):/.test(line) || /^\s*\+/.test(line)) inMessage = false;
    else if (inMessage) messageLines.push(line.trim());
  }
  let message = messageLines.filter(Boolean).join(' ').trim();
  let cmdlet: string | null = null;
  const prefixed = /^([A-Z][A-Za-z]+-[A-Z][A-Za-z]+) : ([\s\S]*)$/.exec(message);
  if (prefixed) {
    cmdlet = prefixed[1]!;
    message = prefixed[2]!.trim();
  }
  return { message: message || text.trim(), cmdlet, category, errorId };
}

function classify(category: string | null, errorId: string | null, message: string): ErrorCode {
  const id = errorId ?? '';
  if (
    category === 'ObjectNotFound' ||
    /unable to find|was not found|does not exist|not found/i.test(message)
  ) {
    return 'not-found';
  }
  if (category === 'PermissionDenied' || /access (is )?denied|not authorized/i.test(message))
    return 'unauthorized';
  if (
    category === 'InvalidOperation' ||
    category === 'ResourceUnavailable' ||
    /^InvalidState|^OperationFailed/.test(id) ||
    /current state|already|cannot be performed|more than one/i.test(message)
  ) {
    return 'conflict';
  }
  if (/^ParameterArgumentValidationError|^ParameterBinding/.test(id)) return 'invalid-input';
  return 'remote-error';
}

// ---------------------------------------------------------------------------------------------
// stdout: JSON

function protocolError(op: string, endpoint: string, detail: Said): ApiError {
  return new ApiError('protocol-error', sayClient('client.ps.unreadable', { op, endpoint, detail }), {
    op,
    endpoint,
  });
}

/** Parses stdout; empty output (a cmdlet that found nothing) is an empty array. */
export function parseJsonOutput(op: string, endpoint: string, stdout: string): unknown {
  const text = stdout.replace(/^\uFEFF/, '').trim();
  if (!text) return [];
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const snippet = text.length > 120 ? `${text.slice(0, 120)}…` : text;
    throw protocolError(
      op,
      endpoint,
      sayClient('client.ps.notJson', { error: (err as Error).message, snippet }),
    );
  }
}

/**
 * 5.1 does not wrap a single object in an array unless the script used @(), and an array that
 * went through the extended type system serialises as {"value":[…],"Count":n}; both are arrays here.
 */
export function asArray(value: unknown): unknown[] {
  if (value === null || value === undefined || value === '') return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o.value) && 'Count' in o && Object.keys(o).length === 2) return o.value;
    return [value];
  }
  return [value];
}

/** Accepts the enum's number, the number as text, or its name (any case); returns the name. */
export function enumName(table: EnumTable, value: unknown, what: string): string {
  if (typeof value === 'number' && Number.isInteger(value)) {
    const n = table[value];
    if (n) return n;
  } else if (typeof value === 'string') {
    const t = value.trim();
    if (/^-?\d+$/.test(t)) {
      const n = table[Number(t)];
      if (n) return n;
    } else {
      const n = Object.values(table).find((name) => name.toLowerCase() === t.toLowerCase());
      if (n) return n;
    }
  }
  throw new TypeError(`unknown ${what} ${JSON.stringify(value)}`);
}

/**
 * "Never" (a VM that never replicated) comes from the Hyper-V module as $null: it maps WMI's
 * zero FILETIME, 1601-01-01, to null. A date at or before 1601-01-01 (that one, if a module
 * version lets it through, or DateTime.MinValue from a script's own default) also means never.
 */
const NEVER_UP_TO_MS = Date.UTC(1601, 0, 1);

/** Accepts `\/Date(ms)\/` (5.1's ConvertTo-Json), `/Date(ms+hhmm)/` and ISO 8601; returns ISO or null. */
export function parseDate(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  let ms: number;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') {
    const m = /^\\?\/Date\((-?\d+)(?:[+-]\d{4})?\)\\?\/$/.exec(value.trim());
    if (m) ms = Number(m[1]);
    else {
      ms = Date.parse(value);
      if (Number.isNaN(ms)) throw new TypeError(`not a date: ${JSON.stringify(value)}`);
    }
  } else if (typeof value === 'object' && value !== null && 'DateTime' in value) {
    // 5.1 sometimes serialises a DateTime with its ETS notes: {"value":"\/Date(..)\/","DateTime":"…"}.
    return parseDate((value as { value?: unknown }).value ?? null);
  } else {
    throw new TypeError(`not a date: ${JSON.stringify(value)}`);
  }
  if (ms <= NEVER_UP_TO_MS) return null;
  return new Date(ms).toISOString();
}

// ---------------------------------------------------------------------------------------------
// the runner

export interface RunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Reads may be repeated after a lost connection; changes never are (the host may have applied them). */
  mutates: boolean;
}

export interface RunResult {
  value: unknown;
  warnings: string[];
}

export class PowerShellRunner {
  constructor(
    private readonly transport: RemoteExec,
    private readonly maxCommandLine = MAX_COMMAND_LINE,
  ) {}

  get endpoint(): string {
    return this.transport.endpoint;
  }

  async run(op: string, params: unknown, body: string, opts: RunOptions): Promise<RunResult> {
    const line = commandLine(buildScript(op, params, body));
    if (line.length > this.maxCommandLine) {
      throw new ApiError(
        'invalid-input',
        sayClient('client.ps.tooLong', { op, length: line.length, max: String(this.maxCommandLine) }),
      );
    }
    const attempt = () =>
      this.transport.exec(line, { label: op, signal: opts.signal, timeoutMs: opts.timeoutMs });
    let res: ExecResult;
    try {
      res = await attempt();
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'unreachable') throw err;
      // A command that never left may always go again; one lost on the way only if it changes nothing.
      const retry = wasNotSent(err) || (isLostMidCommand(err) && !opts.mutates);
      if (!retry) throw err;
      res = await attempt();
    }
    return this.interpret(op, res);
  }

  private interpret(op: string, res: ExecResult): RunResult {
    const endpoint = this.transport.endpoint;
    const streams = parseStderr(res.stderr.toString('utf8'));
    if (res.code !== 0 || streams.errors.length > 0) {
      const text = streams.errors.join('\n') || res.stdout.toString('utf8').trim();
      const parsed = parseErrorRecord(
        text || `powershell.exe exited with code ${res.code ?? `signal ${res.signal ?? 'unknown'}`}`,
      );
      throw new PowerShellError(classify(parsed.category, parsed.errorId, parsed.message), {
        op,
        endpoint,
        exitCode: res.code,
        psMessage: parsed.message,
        cmdlet: parsed.cmdlet,
        category: parsed.category,
        errorId: parsed.errorId,
      });
    }
    return { value: parseJsonOutput(op, endpoint, res.stdout.toString('utf8')), warnings: streams.warnings };
  }
}

export function wasNotSent(err: ApiError): boolean {
  return (err.details as { notSent?: boolean } | undefined)?.notSent === true;
}

export function isLostMidCommand(err: ApiError): boolean {
  return (err.details as { lostMidCommand?: boolean } | undefined)?.lostMidCommand === true;
}
