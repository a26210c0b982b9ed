import { join } from 'node:path';
import { CommanderError } from 'commander';
import { defaultDataDir } from '../core/console/data-dir';
import type { Logger } from '../core/log';
import { CliError } from './io';
import { buildProgram } from './program';

/**
 * The CLI's rotated log in the data folder, created when a command is about to run (not for
 * --help, --version or a usage error: the logger and its worker thread are most of what a bare
 * call would load); a folder it cannot write must not stop the command.
 */
async function cliLogger(): Promise<Logger> {
  const { createLogger, logCrashes } = await import('../core/log');
  const dir = join(defaultDataDir(), 'logs');
  try {
    const logger = await createLogger({ dir, name: 'cli' });
    logCrashes(logger, dir, 'cli', (code) => process.exit(code));
    return logger;
  } catch {
    const { default: pino } = await import('pino');
    return pino({ level: 'silent' });
  }
}

async function describeError(err: unknown): Promise<string> {
  const { ApiError } = await import('../shared/errors');
  if (err instanceof ApiError) return `${err.message} (${err.code})`;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Runs the CLI and returns the exit code; errors go to stderr, never a stack trace for operators. */
export async function main(argv: string[]): Promise<number> {
  // Set by the preAction hook (a holder, not a `let`: TypeScript does not see a callback assign it).
  const log: { logger?: Logger } = {};
  const program = buildProgram();
  program.exitOverride();
  program.hook('preAction', async (_root, action) => {
    const logger = await cliLogger();
    log.logger = logger;
    // Secrets are named by --*-env options: remember their values before anything is logged.
    const { rememberSecret } = await import('../core/log');
    for (const [key, value] of Object.entries(action.opts()))
      if (key.endsWith('Env') && typeof value === 'string') rememberSecret(process.env[value]);
    const path: string[] = [];
    for (let c: typeof action | null = action; c && c !== program; c = c.parent) path.unshift(c.name());
    logger.info({ command: path.join(' '), options: action.opts(), args: action.args }, 'command');
  });
  try {
    await program.parseAsync(argv);
    log.logger?.info('command finished');
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0; usage errors were already printed.
      return err.exitCode;
    }
    // A CliError without a message is an exit status only (diff: 1 means "they differ").
    if (!(err instanceof CliError && err.message === ''))
      process.stderr.write(`siteshift: ${await describeError(err)}\n`);
    if (process.env.SITESHIFT_DEBUG && err instanceof Error && err.stack)
      process.stderr.write(`${err.stack}\n`);
    log.logger?.[err instanceof CliError ? 'warn' : 'error']({ err }, 'command failed');
    return err instanceof CliError ? err.exitCode : 1;
  }
}
