import { join } from 'node:path';
import { CommanderError } from 'commander';
import pino from 'pino';
import { defaultDataDir } from '../core/console/data-dir';
import { createLogger, type Logger, logCrashes, rememberSecret } from '../core/log';
import { CliError, describeError } from './io';
import { buildProgram } from './program';

/** The CLI's rotated log in the data folder; a folder it cannot write must not stop the command. */
async function cliLogger(): Promise<Logger> {
  try {
    return await createLogger({ dir: join(defaultDataDir(), 'logs'), name: 'cli' });
  } catch {
    return pino({ level: 'silent' });
  }
}

/** Runs the CLI and returns the exit code; errors go to stderr, never a stack trace for operators. */
export async function main(argv: string[]): Promise<number> {
  const logger = await cliLogger();
  logCrashes(logger, join(defaultDataDir(), 'logs'), 'cli', (code) => process.exit(code));
  const program = buildProgram();
  program.exitOverride();
  program.hook('preAction', (_root, action) => {
    // Secrets are named by --*-env options: remember their values before anything is logged.
    for (const [key, value] of Object.entries(action.opts()))
      if (key.endsWith('Env') && typeof value === 'string') rememberSecret(process.env[value]);
    const path: string[] = [];
    for (let c: typeof action | null = action; c && c !== program; c = c.parent) path.unshift(c.name());
    logger.info({ command: path.join(' '), options: action.opts(), args: action.args }, 'command');
  });
  try {
    await program.parseAsync(argv);
    logger.info('command finished');
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0; usage errors were already printed.
      return err.exitCode;
    }
    // A CliError without a message is an exit status only (diff: 1 means "they differ").
    if (!(err instanceof CliError && err.message === ''))
      process.stderr.write(`siteshift: ${describeError(err)}\n`);
    if (process.env.SITESHIFT_DEBUG && err instanceof Error && err.stack)
      process.stderr.write(`${err.stack}\n`);
    logger[err instanceof CliError ? 'warn' : 'error']({ err }, 'command failed');
    return err instanceof CliError ? err.exitCode : 1;
  }
}
