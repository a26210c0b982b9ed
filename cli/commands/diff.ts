import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { diffExports } from '../../shared/export/diff';
import { exportChangeLabel } from '../../shared/export/schema';
import { CliError, printJson, printTable } from '../io';

async function open(path: string) {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${(err as Error).message}`, 2);
  }
  try {
    // Loaded here, not at start-up (see export.ts).
    const { openExport } = await import('../../core/topology/export');
    return await openExport(text, path);
  } catch (err) {
    throw new CliError((err as Error).message, 2);
  }
}

/**
 * `siteshift diff A.json B.json`: what changed between two exports. Exit 0 when nothing did, 1 when
 * something did, 2 when a file cannot be read: usable as a drift check in a scheduled job.
 */
export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description(
      'compare two exports (.siteshift.json): VMs, disks, networks, plans and pairs; exit 1 when they differ',
    )
    .argument('<a>', 'the older export')
    .argument('<b>', 'the newer export')
    .option('--json', 'print the differences as JSON')
    .action(async (a: string, b: string, opts: { json?: boolean }) => {
      const [ea, eb] = await Promise.all([open(a), open(b)]);
      for (const [path, e] of [
        [a, ea],
        [b, eb],
      ] as const) {
        if (e.verification.digest !== 'valid' || e.verification.signature === 'invalid')
          process.stderr.write(`siteshift: warning: ${path}: ${e.verification.message}\n`);
      }
      const diff = diffExports(ea.document, eb.document);
      if (opts.json) {
        printJson({ ...diff, verification: { a: ea.verification, b: eb.verification } });
      } else if (diff.changes.length === 0) {
        process.stdout.write(
          `No differences between ${a} (${diff.a.exportedAt}) and ${b} (${diff.b.exportedAt}).\n`,
        );
      } else {
        process.stdout.write(
          `${diff.changes.length} difference${diff.changes.length === 1 ? '' : 's'} from ${a} (${diff.a.exportedAt}) to ${b} (${diff.b.exportedAt}):\n\n`,
        );
        printTable(
          diff.changes.map((c) => ({
            change: exportChangeLabel[c.kind],
            where: c.scope,
            what: c.subject,
            before: c.before,
            after: c.after,
          })),
        );
      }
      if (diff.changes.length > 0) throw new CliError('', 1);
    });
}
