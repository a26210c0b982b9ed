import { CommanderError } from 'commander';
import { CliError, describeError } from './io';
import { buildProgram } from './program';

/** Runs the CLI and returns the exit code; errors go to stderr, never a stack trace for operators. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0; usage errors were already printed.
      return err.exitCode;
    }
    process.stderr.write(`siteshift: ${describeError(err)}\n`);
    if (process.env.SITESHIFT_DEBUG && err instanceof Error && err.stack)
      process.stderr.write(`${err.stack}\n`);
    return err instanceof CliError ? err.exitCode : 1;
  }
}
