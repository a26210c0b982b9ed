import type { Command } from 'commander';

/** What the verbs do: cli/actions/diff.ts, loaded when one runs. */
const actions = () => import('../actions/diff');

const collect = (value: string, previous: string[] = []) => [...previous, value];

const trustedKeyHelp =
  'a key whose signature you trust: its fingerprint (SHA256:…) or a PEM file with the public key; repeat for more';

/**
 * `siteshift diff A.json B.json`: what changed between two exports. Exit 0 when nothing did, 1 when
 * something did, 2 when a file cannot be read (or, with --trusted-key, is not signed by one of
 * those keys): usable as a drift check in a scheduled job.
 *
 * `siteshift verify FILE…`: digest, signature and, with --trusted-key, whose key signed it.
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
    .option('--trusted-key <key>', `${trustedKeyHelp}; a file not signed by one of them is refused`, collect)
    .action(async (a: string, b: string, opts: { json?: boolean; trustedKey?: string[] }) =>
      (await actions()).compareExports(a, b, opts),
    );

  program
    .command('verify')
    .description(
      'check exports (.siteshift.json): digest, signature and whose key signed them; exit 0 when every file can be relied on, 1 when one cannot, 2 when one is unreadable',
    )
    .argument('<file...>', 'the exports to check')
    .option('--trusted-key <key>', `${trustedKeyHelp}; without it, any valid signature passes`, collect)
    .option('--json', 'print the verification of each file as JSON')
    .action(async (files: string[], opts: { json?: boolean; trustedKey?: string[] }) =>
      (await actions()).verifyExports(files, opts),
    );
}
