import { createHash } from 'node:crypto';
import ssh2, { type ClientChannel, type ConnectConfig } from 'ssh2';
import { ApiError, errorSaid } from '../../shared/errors';
import { type ClientWordKey, clientWordsEn, sayClient } from '../../shared/i18n/client-words';
import type { Said } from '../../shared/i18n/worded';
import type { ExecOptions, ExecResult, RemoteExec } from './powershell';

// ssh2 is CommonJS: Node's ESM loader cannot see its named exports.
const { Client } = ssh2;
type Client = InstanceType<typeof Client>;

/** OpenSSH's fingerprint form: SHA256 of the public key blob, base64 without padding. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named at the start of the blob ("ssh-ed25519", "rsa-sha2-512" hosts send "ssh-rsa" …). */
export function keyAlgorithmOf(keyBlob: Buffer): string | undefined {
  if (keyBlob.length < 4) return undefined;
  const len = keyBlob.readUInt32BE(0);
  if (len <= 0 || len > 64 || keyBlob.length < 4 + len) return undefined;
  return keyBlob.subarray(4, 4 + len).toString('ascii');
}

/** The key types OpenSSH names, and the signature algorithms that make a host present that key. */
const SERVER_HOST_KEY_ALGORITHMS: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
};

/** "ED25519", "RSA", "ECDSA" (as ssh-keygen -lf prints them) or the OpenSSH key type → the key type. */
export function hostKeyTypeOf(name: string): string | undefined {
  const n = name
    .trim()
    .replace(/^\(|\)$/g, '')
    .toLowerCase();
  const short: Record<string, string> = {
    ed25519: 'ssh-ed25519',
    rsa: 'ssh-rsa',
    ecdsa: 'ecdsa-sha2-nistp256',
    'ecdsa-256': 'ecdsa-sha2-nistp256',
    'ecdsa-384': 'ecdsa-sha2-nistp384',
    'ecdsa-521': 'ecdsa-sha2-nistp521',
  };
  const t = short[n] ?? n;
  return t in SERVER_HOST_KEY_ALGORITHMS ? t : undefined;
}

export function normaliseFingerprint(fp: string): string {
  return fp.trim().replace(/=+$/, '');
}

export interface HostKeyInfo {
  fingerprint: string;
  algorithm: string | undefined;
}

export interface SshCredentials {
  username: string;
  password?: string;
  /** OpenSSH/PEM private key text. */
  privateKey?: string;
  passphrase?: string;
}

export interface SshSessionOptions extends SshCredentials {
  host: string;
  port: number;
  /** The pinned host key (`SHA256:…`). There is no way to connect without one. */
  hostKey: string;
  /**
   * The type of the pinned key ("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256" …). A host has
   * several keys and ssh2 picks one by its own preference: without the type, a pinned RSA
   * fingerprint meets the host's ed25519 key and looks like a changed identity.
   */
  hostKeyAlgorithm?: string;
  /** TCP connect + SSH handshake + authentication. */
  readyTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Default per-command time limit. */
  commandTimeoutMs?: number;
  /** Channels open at once on the one connection (Windows OpenSSH's MaxSessions is 10). */
  maxChannels?: number;
  /** Connection attempts before giving up, with exponential backoff between them. */
  connectAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

const DEFAULTS = {
  readyTimeoutMs: 20_000,
  keepaliveIntervalMs: 10_000,
  keepaliveCountMax: 3,
  commandTimeoutMs: 300_000,
  maxChannels: 4,
  connectAttempts: 4,
  backoffBaseMs: 250,
  backoffMaxMs: 8_000,
};

function endpointOf(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function hostKeyChanged(endpoint: string, pinned: string, presented: HostKeyInfo): ApiError {
  const values = { endpoint, pinned, presented: presented.fingerprint };
  return new ApiError(
    'identity-changed',
    presented.algorithm
      ? sayClient('client.ssh.changedKey', { ...values, algorithm: presented.algorithm })
      : sayClient('client.ssh.changed', values),
    { pinned, presented: presented.fingerprint, algorithm: presented.algorithm },
  );
}

/** Turns an ssh2/socket failure into an operator-readable ApiError. */
function connectError(
  endpoint: string,
  username: string,
  err: Error & { level?: string; code?: string },
): ApiError {
  if (err instanceof ApiError) return err;
  if (err.level === 'client-authentication') {
    return new ApiError('invalid-login', sayClient('client.ssh.login', { endpoint, user: username }));
  }
  if (err.level === 'client-timeout') {
    return new ApiError(
      'timeout',
      sayClient('client.ssh.handshake', { endpoint, port: endpoint.split(':').pop() ?? '' }),
    );
  }
  const code = err.code ?? '';
  const hintKey = `client.ssh.hint.${code}`;
  // SSH's own hint for a known code (nothing listens: is OpenSSH Server running?), else the library's text.
  const error = hintKey in clientWordsEn ? sayClient(hintKey as ClientWordKey) : err.message;
  return new ApiError(
    'unreachable',
    code
      ? sayClient('client.ssh.unreachableCode', { endpoint, error, code })
      : sayClient('client.ssh.unreachable', { endpoint, error }),
    { code: code || undefined },
  );
}

function isRetryable(err: ApiError): boolean {
  return err.code === 'unreachable' || err.code === 'timeout';
}

/** What was cancelled: connecting, reading the host key, a command waiting for a channel, or the command by its label. */
function abortError(what: 'connecting' | 'hostKey' | 'command' | { op: string }): ApiError {
  return new ApiError(
    'aborted',
    typeof what === 'string'
      ? sayClient(`client.ssh.cancelled.${what}`)
      : sayClient('client.ssh.cancelledOp', { op: what.op }),
  );
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError('connecting'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError('connecting'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Asks the host who it is and hangs up during the key exchange, before authentication starts:
 * trust on first use sees the fingerprint without any credential leaving the machine.
 */
export function probeHostKey(
  host: string,
  port: number,
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<HostKeyInfo> {
  const endpoint = endpointOf(host, port);
  return new Promise((resolve, reject) => {
    const client = new Client();
    let seen: HostKeyInfo | undefined;
    let settled = false;
    const finish = (err: ApiError | null) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      client.end();
      if (seen) resolve(seen);
      else reject(err ?? new ApiError('protocol-error', sayClient('client.ssh.noHostKey', { endpoint })));
    };
    const onAbort = () => finish(abortError('hostKey'));
    if (opts.signal?.aborted) return reject(abortError('hostKey'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    client.on('error', (err) => finish(connectError(endpoint, '', err)));
    client.on('close', () => finish(null));
    client.on('ready', () => finish(null));
    client.connect({
      host,
      port,
      username: 'siteshift-host-key-probe',
      readyTimeout: opts.timeoutMs ?? DEFAULTS.readyTimeoutMs,
      hostVerifier: (key: Buffer) => {
        seen = { fingerprint: fingerprintOf(key), algorithm: keyAlgorithmOf(key) };
        return false;
      },
    });
  });
}

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * One SSH connection to a Hyper-V host, shared by every command: channels are opened on it up to
 * `maxChannels` at a time, it is re-established (with backoff) when it drops, and it refuses a
 * host whose key is not the pinned one.
 */
export class SshSession implements RemoteExec {
  readonly endpoint: string;
  private readonly opts: SshSessionOptions & typeof DEFAULTS;
  private readonly pinned: string;
  private client: Client | null = null;
  private connecting: Promise<Client> | null = null;
  private closed = false;
  private active = 0;
  private readonly waiters: Waiter[] = [];
  /** Last key the host presented; known after the first connection. */
  presentedKey: HostKeyInfo | null = null;
  /** How many times a connection was established; the tests watch reconnects with it. */
  connections = 0;

  constructor(options: SshSessionOptions) {
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.opts = { ...DEFAULTS, ...(defined as SshSessionOptions) };
    this.endpoint = endpointOf(options.host, options.port);
    if (!options.password && !options.privateKey) {
      throw new ApiError('invalid-input', sayClient('client.ssh.noSecret', { endpoint: this.endpoint }));
    }
    if (!/^SHA256:[A-Za-z0-9+/]{43}=?$/.test(options.hostKey.trim())) {
      throw new ApiError('invalid-input', sayClient('client.ssh.badPin', { key: options.hostKey }));
    }
    this.pinned = normaliseFingerprint(options.hostKey);
    if (options.hostKeyAlgorithm !== undefined && !hostKeyTypeOf(options.hostKeyAlgorithm)) {
      throw new ApiError(
        'invalid-input',
        sayClient('client.ssh.badAlgorithm', { algorithm: options.hostKeyAlgorithm }),
      );
    }
  }

  /** Connects now (instead of on the first command), so that bad credentials surface early. */
  async connect(signal?: AbortSignal): Promise<void> {
    await this.ensureClient(signal);
  }

  get activeChannels(): number {
    return this.active;
  }

  get isConnected(): boolean {
    return this.client !== null;
  }

  private ensureClient(signal?: AbortSignal): Promise<Client> {
    if (this.closed)
      return Promise.reject(
        new ApiError('aborted', sayClient('client.ssh.closed', { endpoint: this.endpoint })),
      );
    if (this.client) return Promise.resolve(this.client);
    if (!this.connecting) {
      this.connecting = this.connectWithBackoff(signal).finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  private async connectWithBackoff(signal?: AbortSignal): Promise<Client> {
    let last: ApiError | undefined;
    for (let attempt = 0; attempt < this.opts.connectAttempts; attempt++) {
      if (attempt > 0) {
        const delay = Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** (attempt - 1));
        // Jitter keeps several consoles from reconnecting to a rebooted host in lockstep.
        await sleep(delay * (0.75 + Math.random() * 0.5), signal);
      }
      try {
        return await this.connectOnce(signal);
      } catch (err) {
        last = err as ApiError;
        if (!isRetryable(last) || this.closed) throw last;
      }
    }
    throw new ApiError(
      last?.code ?? 'unreachable',
      sayClient('client.ssh.gaveUp', {
        error: last ? errorSaid(last) : sayClient('client.ssh.cannotReach', { endpoint: this.endpoint }),
        count: this.opts.connectAttempts,
      }),
      last?.details,
    );
  }

  private connectOnce(signal?: AbortSignal): Promise<Client> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError('connecting'));
      const client = new Client();
      let mismatch: ApiError | null = null;
      let settled = false;
      const onAbort = () => {
        fail(abortError('connecting'));
        client.end();
      };
      const fail = (err: ApiError) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        reject(err);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      client.on('ready', () => {
        if (settled) return client.end();
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        this.connections++;
        // Each command is a few small request/response packets: Nagle plus delayed ACKs would add ~40 ms to each.
        client.setNoDelay(true);
        if (this.closed) {
          client.end();
          return reject(new ApiError('aborted', sayClient('client.ssh.closed', { endpoint: this.endpoint })));
        }
        this.client = client;
        // Any later failure of this connection drops it; the next command reconnects.
        const drop = () => {
          if (this.client === client) this.client = null;
        };
        client.on('close', drop);
        client.on('end', drop);
        resolve(client);
      });
      client.on('error', (err) => {
        if (this.client === client) this.client = null;
        fail(mismatch ?? connectError(this.endpoint, this.opts.username, err));
      });
      client.on('close', () =>
        fail(
          mismatch ??
            new ApiError(
              'unreachable',
              sayClient('client.ssh.unreachable', {
                endpoint: this.endpoint,
                error: sayClient('client.ssh.hostClosed'),
              }),
            ),
        ),
      );
      const config: ConnectConfig = {
        host: this.opts.host,
        port: this.opts.port,
        username: this.opts.username,
        readyTimeout: this.opts.readyTimeoutMs,
        keepaliveInterval: this.opts.keepaliveIntervalMs,
        keepaliveCountMax: this.opts.keepaliveCountMax,
        hostVerifier: (key: Buffer) => {
          const presented = { fingerprint: fingerprintOf(key), algorithm: keyAlgorithmOf(key) };
          this.presentedKey = presented;
          if (presented.fingerprint === this.pinned) return true;
          mismatch = hostKeyChanged(this.endpoint, this.pinned, presented);
          return false;
        },
      };
      const keyType = this.opts.hostKeyAlgorithm ? hostKeyTypeOf(this.opts.hostKeyAlgorithm) : undefined;
      // Ask the host for the pinned key's type only, so that it presents the key that was pinned.
      if (keyType) config.algorithms = { serverHostKey: SERVER_HOST_KEY_ALGORITHMS[keyType] as never };
      if (this.opts.password) config.password = this.opts.password;
      if (this.opts.privateKey) {
        config.privateKey = this.opts.privateKey;
        if (this.opts.passphrase) config.passphrase = this.opts.passphrase;
      }
      try {
        client.connect(config);
      } catch (err) {
        // ssh2 throws synchronously for an unreadable private key.
        fail(
          new ApiError(
            'invalid-input',
            sayClient('client.ssh.privateKey', { endpoint: this.endpoint, error: (err as Error).message }),
          ),
        );
      }
    });
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (this.active < this.opts.maxChannels) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const w: Waiter = { resolve, reject, signal };
      if (signal) {
        w.onAbort = () => {
          const i = this.waiters.indexOf(w);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(abortError('command'));
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.waiters.push(w);
    });
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) {
      if (next.onAbort) next.signal?.removeEventListener('abort', next.onAbort);
      next.resolve();
    } else {
      this.active--;
    }
  }

  async exec(command: string, opts: ExecOptions): Promise<ExecResult> {
    await this.acquire(opts.signal);
    try {
      const client = await this.ensureClient(opts.signal);
      return await this.runOnChannel(client, command, opts);
    } finally {
      this.release();
    }
  }

  private runOnChannel(client: Client, command: string, opts: ExecOptions): Promise<ExecResult> {
    const timeoutMs = opts.timeoutMs ?? this.opts.commandTimeoutMs;
    return new Promise((resolve, reject) => {
      let channel: ClientChannel | null = null;
      let settled = false;
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let code: number | null = null;
      let sig: string | null = null;
      const cleanup = () => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        client.removeListener('close', onLost);
      };
      const settle = (err: Error | null) => {
        if (settled) return;
        settled = true;
        cleanup();
        if (err) reject(err);
        else resolve({ code, signal: sig, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr) });
      };
      const onLost = () => {
        if (this.closed)
          return settle(
            new ApiError(
              'aborted',
              sayClient('client.ssh.cancelledClosed', { op: opts.label, endpoint: this.endpoint }),
            ),
          );
        settle(
          new ApiError(
            'unreachable',
            sayClient('client.ssh.lost', { endpoint: this.endpoint, op: opts.label }),
            { op: opts.label, lostMidCommand: true },
          ),
        );
      };
      const onAbort = () => {
        channel?.close();
        settle(abortError({ op: opts.label }));
      };
      const timer = setTimeout(() => {
        // Windows OpenSSH ignores signals; closing the channel is what ends the remote process.
        channel?.close();
        settle(
          new ApiError(
            'timeout',
            sayClient('client.ssh.opTimeout', {
              op: opts.label,
              endpoint: this.endpoint,
              seconds: Math.round(timeoutMs / 1000),
            }),
            { op: opts.label },
          ),
        );
      }, timeoutMs);
      if (opts.signal?.aborted) return onAbort();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      client.once('close', onLost);
      const onChannel = (ch: ClientChannel) => {
        if (settled) return ch.close();
        channel = ch;
        ch.on('data', (d: Buffer) => stdout.push(d));
        ch.stderr.on('data', (d: Buffer) => stderr.push(d));
        ch.on('exit', (c: number | null, s?: string) => {
          code = c;
          sig = s ?? null;
        });
        ch.on('close', () => {
          if (code === null && sig === null) onLost();
          else settle(null);
        });
      };
      // Nothing reached the host when the channel cannot be opened: safe to try again.
      const notSent = (why: string | Said) =>
        settle(
          new ApiError(
            'unreachable',
            sayClient('client.ssh.notAccepted', { endpoint: this.endpoint, op: opts.label, why }),
            { op: opts.label, notSent: true },
          ),
        );
      try {
        client.exec(command, (err, ch) => {
          if (err) return notSent(sayClient('client.ssh.noChannel', { error: err.message }));
          onChannel(ch);
        });
      } catch (err) {
        // ssh2 throws when the connection went away between checking and sending.
        if (this.client === client) this.client = null;
        notSent((err as Error).message);
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters.splice(0))
      w.reject(new ApiError('aborted', sayClient('client.ssh.wasClosed', { endpoint: this.endpoint })));
    const client = this.client;
    this.client = null;
    if (!client) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 2000);
      client.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      client.end();
    });
  }
}
