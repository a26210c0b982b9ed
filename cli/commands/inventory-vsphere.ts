import { type Command, InvalidArgumentError } from 'commander';
import { parseSeconds } from '../options';

export interface VsphereOptions {
  url: string;
  username: string;
  passwordEnv?: string;
  thumbprint?: string;
  trustOnFirstUse?: boolean;
  timeout: number;
}

function parseUrl(v: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new InvalidArgumentError(
      `"${v}" is not a URL; give https://vcenter.example.com (or https://host/sdk)`,
    );
  }
  if (u.protocol !== 'https:') throw new InvalidArgumentError('a vCenter/ESXi URL starts with https://');
  return u.toString();
}

/** The options that reach a vCenter/ESXi: shared by `inventory vsphere` and `export vsphere`. */
export function vsphereOptions(cmd: Command): Command {
  return cmd
    .requiredOption(
      '--url <url>',
      'https://vcenter.example.com (the /sdk path is added when missing)',
      parseUrl,
    )
    .requiredOption('--username <user>', 'vCenter user, e.g. administrator@vsphere.local')
    .option('--password-env <VAR>', 'name of the environment variable holding the password (else prompted)')
    .option('--thumbprint <sha256>', "the certificate's SHA-256 thumbprint to expect (hex, colons optional)")
    .option(
      '--trust-on-first-use',
      'accept the certificate the server shows now (thumbprint printed on stderr) for this run',
    )
    .option('--timeout <seconds>', 'time limit for each call', parseSeconds, 300);
}

/** `siteshift inventory vsphere`: the inventory document of a vCenter or ESXi host. */
export function registerInventoryVsphere(inventory: Command): void {
  vsphereOptions(
    inventory
      .command('vsphere')
      .description('read the inventory of a vCenter Server or ESXi host (vSphere Web Services API)'),
  )
    .option('--json', 'print the inventory document as JSON')
    .action(async (opts: VsphereOptions & { json?: boolean }) =>
      (await import('../actions/vsphere')).printInventory(opts),
    );
}
