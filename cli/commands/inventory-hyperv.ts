import type { Command } from 'commander';
import { parsePort, parseSeconds } from '../options';

export interface HypervOptions {
  host: string;
  port: number;
  username: string;
  passwordEnv?: string;
  identity?: string;
  passphraseEnv?: string;
  hostKey?: string;
  hostKeyType: string;
  trustOnFirstUse?: boolean;
  timeout: number;
}

/** The options that reach a Hyper-V host: shared by `inventory hyperv` and `export hyperv`. */
export function hypervOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--host <host>', 'host name or address of the Hyper-V host')
    .option('--port <port>', 'SSH port', parsePort, 22)
    .requiredOption('--username <user>', 'Windows account, e.g. DOMAIN\\user')
    .option('--password-env <VAR>', 'name of the environment variable holding the password')
    .option('--identity <file>', 'private key file (OpenSSH format) instead of a password')
    .option('--passphrase-env <VAR>', 'environment variable holding the passphrase of --identity')
    .option('--host-key <SHA256:...>', 'the SSH host key fingerprint to expect (ssh-keygen -lf on the host)')
    .option(
      '--host-key-type <TYPE>',
      'the type of that key as ssh-keygen -lf prints it (ED25519, RSA, ECDSA); default ED25519',
      'ED25519',
    )
    .option('--trust-on-first-use', 'accept the key the host shows now (printed on stderr) for this run')
    .option('--timeout <seconds>', 'time limit for connecting and for each command', parseSeconds, 120);
}

/** `siteshift inventory hyperv`: one Hyper-V host's inventory document, read over SSH. */
export function registerInventoryHyperv(inventory: Command): void {
  hypervOptions(
    inventory
      .command('hyperv')
      .description(
        'read the inventory of a Hyper-V host over SSH (Windows PowerShell 5.1 and the Hyper-V module)',
      ),
  )
    .option('--json', 'print the inventory document as JSON')
    .action(async (opts: HypervOptions & { json?: boolean }) =>
      (await import('../actions/hyperv')).printInventory(opts),
    );
}
