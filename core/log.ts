import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import pinoRoll from 'pino-roll';
import { writeFileDurably } from './console/atomic-file';
import { appVersion } from './version';

export type { Logger };

/** Keys whose values are secrets wherever they appear in a logged object, at any depth. */
const SECRET_KEY = /pass(word|phrase)?|secret|token|private.?key|authorization|cookie|credential|api.?key/i;
export const REDACTED = '[REDACTED]';

/**
 * Values known to be secrets in this process: every secret read from the environment or a
 * prompt, sealed or unsealed by a vault, or seen under a secret key is remembered here, and
 * every log line and crash report has each of them replaced, wherever it appears (an error
 * message quoting a password, a URL with a token).
 */
const knownSecrets = new Set<string>();
/** Shorter values would redact ordinary words; no real password or token is this short. */
const MIN_SECRET_LENGTH = 6;

export function rememberSecret(value: unknown): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
  knownSecrets.add(value);
  // A secret inside a JSON string is written escaped: redact that form too.
  const escaped = JSON.stringify(value).slice(1, -1);
  if (escaped !== value) knownSecrets.add(escaped);
}

/** Replaces every remembered secret in a piece of text. */
export function redactText(text: string): string {
  let out = text;
  for (const secret of knownSecrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/** A copy of a value with every secret-named key's value replaced (and remembered). */
export function redactKeys(value: unknown, depth = 0): unknown {
  if (depth > 12 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value; // pino's serializer writes it; redactText cleans the line
  if (Array.isArray(value)) return value.map((v) => redactKeys(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEY.test(k) && v !== null && v !== undefined && v !== '') {
      rememberSecretsIn(v);
      out[k] = REDACTED;
    } else out[k] = redactKeys(v, depth + 1);
  }
  return out;
}

function rememberSecretsIn(value: unknown): void {
  if (typeof value === 'string') rememberSecret(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) rememberSecretsIn(v);
}

export interface LogOptions {
  /** The logs folder (`<data folder>/logs`). */
  dir: string;
  /** One file series per process kind: main, web, cli. */
  name: 'main' | 'web' | 'cli';
  level?: pino.LevelWithSilent;
  /** Roll at this size (pino-roll syntax, e.g. `10m`) and at least daily; keep this many files. */
  size?: string;
  keep?: number;
}

/**
 * Structured JSON logs (pino) rolled by size and day (pino-roll, in-process so that it works in
 * the bundled Electron main too), files readable only by the user. Written synchronously: a
 * crash or a CLI exit loses no line.
 */
export async function createLogger(options: LogOptions): Promise<Logger> {
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const stream = await pinoRoll({
    file: join(options.dir, options.name),
    extension: '.log',
    size: options.size ?? '10m',
    frequency: 'daily',
    limit: { count: options.keep ?? 10 },
    mkdir: true,
    sync: true,
    mode: 0o600,
  });
  return pino(
    {
      level: options.level ?? (process.env.SITESHIFT_LOG_LEVEL as pino.Level | undefined) ?? 'info',
      base: { pid: process.pid, app: options.name, version: appVersion },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (object) => redactKeys(object) as Record<string, unknown> },
      hooks: { streamWrite: redactText },
    },
    stream,
  );
}

/**
 * Our crash reports: what a support engineer needs (version, platform, the error and its stack),
 * with every known secret removed, written durably to `<logs>/crash-<time>.json`. Electron's
 * native crash reporter is never started: its minidumps hold process memory, secrets included.
 */
export async function writeCrashReport(dir: string, name: string, err: unknown): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const error =
    err instanceof Error
      ? { name: err.name, message: err.message, stack: err.stack }
      : { message: String(err) };
  const report = {
    app: name,
    version: appVersion,
    platform: `${process.platform}-${process.arch}`,
    node: process.versions.node,
    electron: process.versions.electron ?? null,
    at: new Date().toISOString(),
    error: redactKeys(error),
  };
  const path = join(dir, `crash-${report.at.replace(/[:.]/g, '-')}-${process.pid}.json`);
  await writeFileDurably(path, `${redactText(JSON.stringify(report, null, 2))}\n`);
  return path;
}

/** Logs what kills the process, writes a crash report, and lets it die as it would have. */
export function logCrashes(logger: Logger, dir: string, name: string, exit: (code: number) => void): void {
  const onFatal = (err: unknown) => {
    logger.fatal({ err }, 'crashed');
    void writeCrashReport(dir, name, err).finally(() => exit(70));
  };
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
}
