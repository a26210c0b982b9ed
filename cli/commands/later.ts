import type { Command } from 'commander';
import { CliError } from '../io';

/**
 * Verbs whose workflows come with later issues (DESIGN.md, "What comes after"). They exist now so
 * that scripts and help text are stable; running one says plainly that it is not there yet.
 */
const later: Array<[name: string, description: string]> = [
  ['reprotect', 'protect failed-over machines in the reverse direction'],
  ['failback', 'guided failback to the original site'],
];

export function registerLater(program: Command): void {
  for (const [name, description] of later) {
    program
      .command(name)
      .description(`${description} (not available in this version)`)
      .allowUnknownOption(true)
      .allowExcessArguments(true)
      .action(() => {
        throw new CliError(`'siteshift ${name}' is not available in this version of Siteshift`, 2);
      });
  }
}
