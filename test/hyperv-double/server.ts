import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import ssh2, { type Connection, type ParsedKey } from 'ssh2';

// ssh2 is CommonJS: Node's ESM loader cannot see its named exports.
const { Server, utils } = ssh2;
type Server = InstanceType<typeof Server>;

import { type HypervModel, PsEnum, PsError, type RunContext } from './model';
import { guard, invocations, projectAll, select } from './project';
import { checkScript } from './strict';

/**
 * A Windows host's OpenSSH server running Windows PowerShell 5.1, as far as Siteshift can tell:
 * a real SSH server (ssh2's Server, a fresh host key per run) that checks the powershell.exe
 * -EncodedCommand framing, decodes the UTF-16LE script, recognises the operation by its marker,
 * reads the values from the script's data block and answers from the in-memory model, with 5.1's
 * quirks: numeric enums, \/Date(ms)\/ dates, CLIXML on stderr, exit codes.
 */

export type EnumStyle = 'numeric' | 'names';

export type FaultKind =
  /** Cut the TCP connection once the command arrived, before the model runs it. */
  | 'drop-before'
  /** Run it, then cut the connection before any output is sent. */
  | 'drop-after'
  /** Hold the answer back for `ms`. */
  | 'delay'
  /** Answer with JSON cut short. */
  | 'malformed-json'
  /** Answer with nothing at all, exit code 0. */
  | 'empty-output'
  /** Answer a one-element result as a bare object, as 5.1 does without @(). */
  | 'unwrap-single'
  /** Wrap arrays as {"value":[…],"Count":n}, as 5.1 does for arrays carrying ETS members. */
  | 'ets-array';

export interface Fault {
  kind: FaultKind;
  /** Only for this operation; any operation when omitted. */
  op?: string;
  ms?: number;
  /** How many commands it applies to (default 1). */
  times?: number;
}

export interface CommandLogEntry {
  at: number;
  commandLine: string;
  script: string;
  op: string | null;
  params: unknown;
  exitCode: number;
  /** Members the script read that the objects do not have (a host answers $null). */
  missingMembers: string[];
}

export interface HypervDoubleOptions {
  model: HypervModel;
  username: string;
  password: string;
  /** OpenSSH public keys ("ssh-ed25519 AAAA…") allowed to log in. */
  authorizedKeys?: string[];
  enums?: EnumStyle;
  /** The user's default shell on the Windows host; cmd.exe caps command lines at 8191 characters. */
  defaultShell?: 'cmd' | 'powershell';
  /** OpenSSH's MaxSessions: channels open at once on one connection. */
  maxSessions?: number;
  /** Reject a script whose code differs from the first one seen for the same operation. */
  strictTemplates?: boolean;
  /** 5.1 shows "Preparing modules for first use." as a CLIXML progress record on a fresh session. */
  moduleLoadProgress?: boolean;
  /**
   * Refuse a script that names a member or parameter the table of documented Hyper-V members and
   * parameters (reference/hyperv-module.json) does not list (default true).
   */
  strictMembers?: boolean;
  /** The width 5.1 formats error records at (no console over SSH); longer lines are cut. */
  errorWidth?: number;
  /** Host key types the server offers (Windows OpenSSH has ed25519, ecdsa and rsa keys). */
  hostKeyTypes?: Array<'ed25519' | 'rsa'>;
  port?: number;
}

const FLAGS_HELP =
  'powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand <base64 UTF-16LE>';
const DATA_BLOCK =
  /^\$p=\[Text\.Encoding\]::UTF8\.GetString\(\[Convert\]::FromBase64String\('([A-Za-z0-9+/=]*)'\)\)\|ConvertFrom-Json$/m;
const MARKER = /^# siteshift-op: ([A-Za-z]+-[A-Za-z]+)$/m;
const CLIXML_NS = 'http://schemas.microsoft.com/powershell/2004/04';

function xmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '_x000D_')
    .replace(/\n/g, '_x000A_');
}

function clixml(records: Array<{ stream: 'Error' | 'warning'; text: string }>, progress = false): string {
  let body = '';
  if (progress) {
    body +=
      '<Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN>' +
      '<MS><I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil /><PI>-1</PI>' +
      '<PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>';
  }
  for (const r of records) {
    for (const line of r.text.split('\n')) body += `<S S="${r.stream}">${xmlEscape(`${line}\r\n`)}</S>`;
  }
  return `#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="${CLIXML_NS}">${body}</Objs>`;
}

/** The text 5.1 prints for a terminating error: message, position, category, error id, cut at `width`. */
function errorText(err: PsError, script: string, width: number): string {
  const lineNo = Math.max(1, script.split('\n').length - 1);
  const cmd = err.cmdlet ?? 'throw';
  const cut = (line: string, indent: string) => {
    const out: string[] = [];
    let rest = line;
    let first = true;
    while (rest.length > (first ? width : width - indent.length)) {
      const n = first ? width : width - indent.length;
      out.push((first ? '' : indent) + rest.slice(0, n));
      rest = rest.slice(n);
      first = false;
    }
    out.push((first ? '' : indent) + rest);
    return out;
  };
  return [
    ...`${err.cmdlet ? `${err.cmdlet} : ` : ''}${err.message}`.split('\n').flatMap((l) => cut(l, '')),
    `At line:${lineNo} char:1`,
    `+ ${cmd} ...`,
    '+ ~~~~~~~~~~~~~~~~~~~~~~~~~~',
    ...cut(
      `    + CategoryInfo          : ${err.category}: (${err.target}:String) [${err.cmdlet ?? ''}], ${err.exceptionType}`,
      '    ',
    ),
    ...cut(`    + FullyQualifiedErrorId : ${err.errorId}`, '    '),
    ' ',
  ].join('\n');
}

/** Whether every call of `cmdlet` with `-flag` discards what it writes ($null=…, [void](…), |Out-Null). */
function discarded(script: string, cmdlet: string, flag: string): boolean {
  const re = new RegExp(`(?<![\\w-])${cmdlet}\\b([^;\\n}]*)`, 'g');
  for (const m of script.matchAll(re)) {
    if (!new RegExp(`-${flag}\\b`, 'i').test(m[1]!)) continue;
    const before = script.slice(Math.max(0, m.index! - 12), m.index!);
    if (/\$null\s*=\s*$/.test(before) || /\[void\]\($/.test(before) || /\|\s*Out-Null\b/i.test(m[1]!))
      continue;
    return false;
  }
  return true;
}

function sha256Fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * ssh2 1.17's ed25519 generator strips a leading zero byte of the public key, so about one key in
 * 256 cannot be parsed back (mscdex/ssh2#1390, #1513); draw again until both halves parse.
 */
export function generateEd25519(): { private: string; public: string } {
  for (let i = 0; i < 16; i++) {
    const k = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(k.private) instanceof Error) && !(utils.parseKey(k.public) instanceof Error))
      return k;
  }
  throw new Error('could not generate a usable ed25519 key');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // Compare against itself when lengths differ so timing does not reveal the length.
  return timingSafeEqual(x, x.length === y.length ? y : x) && x.length === y.length;
}

export class HypervDouble {
  readonly model: HypervModel;
  readonly log: CommandLogEntry[] = [];
  enums: EnumStyle;
  /** The width error records are cut at; tests narrow it to see long lines wrap. */
  errorWidth: number;
  port = 0;
  /** The first host key's fingerprint and type (ed25519 unless hostKeyTypes says otherwise). */
  fingerprint = '';
  hostKeyAlgorithm = '';
  /** Every host key's fingerprint, by key type (ssh-ed25519, ssh-rsa). */
  fingerprints: Record<string, string> = {};
  /** Authenticated connections so far, and channels open now / at most at once. */
  connections = 0;
  activeChannels = 0;
  maxActiveChannels = 0;
  readonly failedLogins: string[] = [];
  /** Every authentication request, of any method: zero after a host-key probe. */
  authAttempts = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly faults: Fault[] = [];
  private readonly templates = new Map<string, string>();
  /** Violations of the member/parameter table per script skeleton. */
  private readonly checked = new Map<string, string[]>();
  private readonly authorized: ParsedKey[];

  private constructor(private readonly opts: HypervDoubleOptions) {
    this.model = opts.model;
    this.enums = opts.enums ?? 'numeric';
    this.errorWidth = opts.errorWidth ?? 120;
    this.authorized = (opts.authorizedKeys ?? []).map((k) => {
      const parsed = utils.parseKey(k);
      if (parsed instanceof Error) throw parsed;
      return Array.isArray(parsed) ? parsed[0]! : parsed;
    });
  }

  static async start(opts: HypervDoubleOptions): Promise<HypervDouble> {
    const d = new HypervDouble(opts);
    await d.listen(opts.port ?? 0);
    return d;
  }

  injectFault(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** A new host key on the same port: what a reinstalled host (or an impostor) looks like. */
  async rotateHostKey(): Promise<void> {
    const port = this.port;
    await this.close();
    await this.listen(port);
  }

  /** Cuts every connection at the TCP level, as a network failure would. */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  /** Stops reading from every connection: a hung host, which only keep-alives notice. */
  freezeConnections(): void {
    for (const s of this.sockets) s.pause();
  }

  async stop(): Promise<void> {
    await this.close();
  }

  private async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.dropConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private listen(port: number): Promise<void> {
    const keys: string[] = [];
    this.fingerprints = {};
    for (const type of this.opts.hostKeyTypes ?? ['ed25519']) {
      const key = type === 'rsa' ? utils.generateKeyPairSync('rsa', { bits: 2048 }) : generateEd25519();
      const parsed = utils.parseKey(key.private);
      if (parsed instanceof Error) throw parsed;
      const hostKey = Array.isArray(parsed) ? parsed[0]! : parsed;
      this.fingerprints[hostKey.type] = sha256Fingerprint(hostKey.getPublicSSH());
      if (keys.length === 0) {
        this.fingerprint = this.fingerprints[hostKey.type]!;
        this.hostKeyAlgorithm = hostKey.type;
      }
      keys.push(key.private);
    }
    const server = new Server({ hostKeys: keys, ident: 'OpenSSH_for_Windows_9.5' }, (conn, _info) =>
      this.onConnection(conn),
    );
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.removeListener('error', reject);
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private onConnection(conn: Connection): void {
    const sock = (conn as unknown as { _sock?: Socket })._sock;
    if (sock) {
      this.sockets.add(sock);
      sock.once('close', () => this.sockets.delete(sock));
    }
    // ssh2's server connection has setNoDelay; its type definitions omit it.
    (conn as unknown as { setNoDelay(on: boolean): void }).setNoDelay(true);
    conn.on('error', () => {
      // A client hanging up mid-handshake (the host-key probe does) is normal.
    });
    conn.on('authentication', (ctx) => {
      this.authAttempts++;
      const userOk = ctx.username.toLowerCase() === this.opts.username.toLowerCase();
      if (ctx.method === 'password') {
        if (userOk && sameSecret(ctx.password, this.opts.password)) return ctx.accept();
        this.failedLogins.push(ctx.username);
        return ctx.reject(['password', 'publickey']);
      }
      if (ctx.method === 'publickey') {
        const key = this.authorized.find(
          (k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data),
        );
        if (!userOk || !key) {
          this.failedLogins.push(ctx.username);
          return ctx.reject(['password', 'publickey']);
        }
        if (ctx.signature && ctx.blob) {
          return key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true ? ctx.accept() : ctx.reject();
        }
        return ctx.accept();
      }
      return ctx.reject(['password', 'publickey']);
    });
    conn.on('ready', () => {
      this.connections++;
      let open = 0;
      let firstCommand = true;
      conn.on('session', (accept, reject) => {
        if (open >= (this.opts.maxSessions ?? 10)) return reject();
        open++;
        this.activeChannels++;
        this.maxActiveChannels = Math.max(this.maxActiveChannels, this.activeChannels);
        const session = accept();
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          open--;
          this.activeChannels--;
        };
        session.on('close', release);
        session.once('exec', (acceptExec, _rejectExec, info) => {
          const stream = acceptExec();
          const progress = firstCommand && (this.opts.moduleLoadProgress ?? true);
          firstCommand = false;
          void this.execute(info.command, progress)
            .then((out) => {
              if (out === 'dropped') return;
              if (out.stdout) stream.write(out.stdout);
              if (out.stderr) stream.stderr.write(out.stderr);
              stream.exit(out.code);
              stream.end();
            })
            .catch(() => {
              stream.exit(1);
              stream.end();
            })
            .finally(release);
        });
      });
    });
  }

  private takeFault(op: string | null): Fault | undefined {
    const i = this.faults.findIndex((f) => !f.op || f.op === op);
    if (i < 0) return undefined;
    const f = this.faults[i]!;
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) this.faults.splice(i, 1);
    return f;
  }

  private async execute(
    commandLine: string,
    progress: boolean,
  ): Promise<{ stdout: Buffer | null; stderr: string; code: number } | 'dropped'> {
    const entry: CommandLogEntry = {
      at: Date.now(),
      commandLine,
      script: '',
      op: null,
      params: null,
      exitCode: 1,
      missingMembers: [],
    };
    this.log.push(entry);
    const fail = (text: string, code = 1) => {
      entry.exitCode = code;
      return { stdout: null, stderr: text, code };
    };
    const shell = this.opts.defaultShell ?? 'cmd';
    if (shell === 'cmd' && commandLine.length > 8191) return fail('The command line is too long.\r\n');
    const tokens = commandLine.trim().split(/\s+/);
    const exe = tokens[0] ?? '';
    if (!/^(?:[A-Za-z]:\\(?:[^\\]+\\)*)?powershell(?:\.exe)?$/i.test(exe)) {
      return fail(
        shell === 'cmd'
          ? `'${exe}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n`
          : `${exe} : The term '${exe}' is not recognized as the name of a cmdlet, function, script file, or operable program.\r\n`,
      );
    }
    // The framing Siteshift promises to use; anything else is refused before PowerShell starts.
    const rest = tokens.slice(1);
    const seen = new Map<string, string | true>();
    for (let i = 0; i < rest.length; i++) {
      const flag = rest[i]!.toLowerCase();
      if (flag === '-noprofile' || flag === '-noninteractive') seen.set(flag, true);
      else if (flag === '-executionpolicy' || flag === '-encodedcommand') seen.set(flag, rest[++i] ?? '');
      else return fail(`host double: unexpected argument "${rest[i]}"; Siteshift runs ${FLAGS_HELP}.\r\n`);
    }
    const encoded = seen.get('-encodedcommand');
    if (
      seen.get('-noprofile') !== true ||
      seen.get('-noninteractive') !== true ||
      String(seen.get('-executionpolicy')).toLowerCase() !== 'bypass' ||
      typeof encoded !== 'string'
    ) {
      return fail(`host double: expected ${FLAGS_HELP}, got: ${commandLine.slice(0, 200)}\r\n`);
    }
    if (!encoded || encoded.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
      return fail(
        'Cannot process the command because the value specified with -EncodedCommand is not properly encoded. The value must be Base64 encoded.\r\n',
        -196608 >>> 0,
      );
    }
    const bytes = Buffer.from(encoded, 'base64');
    const script = bytes.length % 2 === 0 ? bytes.toString('utf16le') : '\uFFFD';
    entry.script = script;
    // UTF-8 (or anything not UTF-16LE) decodes to CJK-looking noise, which PowerShell cannot parse.
    const op = MARKER.exec(script)?.[1] ?? null;
    entry.op = op;
    const stopOnError = script.includes("$ErrorActionPreference='Stop'");
    const utf8 = script.includes('[Console]::OutputEncoding=New-Object Text.UTF8Encoding $false');
    const silentProgress = script.includes("$ProgressPreference='SilentlyContinue'");
    const psFail = (err: PsError) => {
      // A cmdlet's error is non-terminating unless -ErrorAction Stop is in force: the script goes
      // on and exits 0. A throw, a parse error or an unknown command always ends it with 1.
      entry.exitCode = stopOnError || !err.cmdlet ? 1 : 0;
      return {
        stdout: null,
        stderr: clixml([{ stream: 'Error', text: errorText(err, script, this.errorWidth) }], progress),
        code: entry.exitCode,
      };
    };
    if (!op || /[^\t\n\r\x20-\x7e]/.test(script.slice(0, 200))) {
      const first = script.slice(0, 40).replace(/\s+/g, ' ');
      return psFail(
        new PsError(
          `The term '${first}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
          null,
          'ObjectNotFound',
          'CommandNotFoundException',
          first,
          'CommandNotFoundException',
        ),
      );
    }
    const data = DATA_BLOCK.exec(script);
    if (!data) {
      return psFail(
        new PsError(
          `host double: the ${op} script has no parameter data block.`,
          null,
          'ParserError',
          'NoDataBlock',
          op,
          'ParseException',
        ),
      );
    }
    const skeleton = script.replace(data[1]!, '<data>');
    if (this.opts.strictTemplates ?? true) {
      const known = this.templates.get(op);
      if (known === undefined) this.templates.set(op, skeleton);
      else if (known !== skeleton) {
        return psFail(
          new PsError(
            `host double: the code of the ${op} script differs from the first ${op} script seen; a value was spliced into code instead of passed as data.`,
            null,
            'ParserError',
            'TemplateChanged',
            op,
            'ParseException',
          ),
        );
      }
    }
    if (this.opts.strictMembers ?? true) {
      let violations = this.checked.get(skeleton);
      if (!violations) {
        violations = checkScript(script).map((v) => v.message);
        this.checked.set(skeleton, violations);
      }
      if (violations.length > 0) {
        return psFail(
          new PsError(
            `host double: the ${op} script names what the documented Hyper-V module does not have: ${violations.join('; ')}`,
            null,
            'InvalidArgument',
            'NamedParameterNotFound',
            op,
            'ParameterBindingException',
          ),
        );
      }
    }
    let params: Record<string, unknown>;
    try {
      const parsed = JSON.parse(Buffer.from(data[1]!, 'base64').toString('utf8')) as unknown;
      params = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    } catch {
      return psFail(
        new PsError(
          'Invalid JSON primitive: .',
          'ConvertFrom-Json',
          'NotSpecified',
          'System.ArgumentException,Microsoft.PowerShell.Commands.ConvertFromJsonCommand',
          '',
          'ArgumentException',
        ),
      );
    }
    entry.params = params;
    const fault = this.takeFault(op);
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms ?? 1000));
    if (fault?.kind === 'drop-before') {
      this.dropConnections();
      return 'dropped';
    }
    const missing = entry.missingMembers;
    const ctx: RunContext = {
      script,
      invocations: (cmdlet) => invocations(script, cmdlet),
      guard: (after, vars) => guard(script, after, vars, missing),
      select: (cmdlet, rows, vars) => select(script, cmdlet, rows, vars, missing),
    };
    let result: {
      value: unknown;
      warnings: string[];
      written?: { cmdlet: string; switch: string; text: string };
    };
    try {
      result = this.model.run(op, params, ctx);
      // The script's own projection functions turn the documented objects into its rows.
      result = { ...result, value: projectAll(script, result.value, this.model.cmdlets, missing) };
    } catch (err) {
      if (err instanceof PsError) return psFail(err);
      throw err;
    }
    if (fault?.kind === 'drop-after') {
      this.dropConnections();
      return 'dropped';
    }
    // ConvertTo-Json of a pipeline: one object comes out bare and none comes out as nothing;
    // only an explicit @(...) keeps an array an array.
    const wrapped = /(Out-Json|-InputObject) @\(/.test(script);
    let value = result.value;
    if (!wrapped && Array.isArray(value))
      value = value.length === 1 ? value[0] : value.length === 0 ? undefined : value;
    let stdout = this.toJson(value, fault?.kind);
    // The connector's Out-Json escapes everything outside ASCII, as its regex does on Windows.
    if (script.includes('function Out-Json(') && script.includes("[regex]::Replace($j,'[^\\x00-\\x7e]'")) {
      stdout = stdout.replace(/[^ -~]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
    }
    // Output a cmdlet wrote that the script did not discard comes first, as formatted text.
    if (result.written && !discarded(script, result.written.cmdlet, result.written.switch)) {
      stdout = `${result.written.text}${stdout}`;
    }
    if (fault?.kind === 'malformed-json')
      stdout = stdout.slice(0, Math.max(1, Math.floor(stdout.length / 2)));
    if (fault?.kind === 'empty-output') stdout = '';
    const records = result.warnings.map((text) => ({ stream: 'warning' as const, text }));
    const showProgress = progress || !silentProgress;
    const stderr = records.length || showProgress ? clixml(records, showProgress) : '';
    entry.exitCode = 0;
    const out = utf8
      ? Buffer.from(stdout ? `${stdout}\r\n` : '', 'utf8')
      : Buffer.from((stdout ? `${stdout}\r\n` : '').replace(/[^\p{ASCII}]/gu, '?'), 'latin1');
    return { stdout: out, stderr, code: 0 };
  }

  /** ConvertTo-Json -Compress as 5.1 writes it. */
  private toJson(value: unknown, fault: FaultKind | undefined): string {
    let v = value;
    if (fault === 'unwrap-single' && Array.isArray(v) && v.length === 1) v = v[0];
    const text = JSON.stringify(v, (key, val: unknown) => {
      if (val instanceof PsEnum) return this.enums === 'numeric' ? val.table[val.name] : val.name;
      if (fault === 'ets-array' && Array.isArray(val) && key !== 'value')
        return { value: val, Count: val.length };
      return val;
    });
    return (text ?? '')
      .replace(/"@@PSDATE:(-?\d+)@@"/g, '"\\/Date($1)\\/"')
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/'/g, '\\u0027');
  }
}
