import { type Command, InvalidArgumentError } from 'commander';
import { normalizeThumbprint, openVsphere, probeCertificate } from '../../core/vsphere';
import type { VsphereInventory } from '../../shared/schemas/inventory';
import { CliError, printJson, printTable, readSecret } from '../io';
import { GiB, parseSeconds } from '../options';

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

function parseThumbprint(v: string): string {
  try {
    return normalizeThumbprint(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function printHuman(inv: VsphereInventory): void {
  const out = process.stdout;
  out.write(`${inv.source.about.fullName} (API ${inv.source.about.apiVersion}) at ${inv.source.url}\n`);
  out.write(
    `${inv.datacenters.length} datacenters, ${inv.clusters.length} clusters, ${inv.hosts.length} hosts, ${inv.datastores.length} datastores, ${inv.networks.length} networks, ${inv.vms.length} VMs\n\n`,
  );
  const dcName = new Map(inv.datacenters.map((d) => [d.id, d.name]));
  const clusterName = new Map(inv.clusters.map((c) => [c.id, c.name]));
  printTable(
    inv.hosts.map((h) => ({
      host: h.name,
      datacenter: dcName.get(h.datacenter) ?? h.datacenter,
      cluster: h.cluster ? (clusterName.get(h.cluster) ?? h.cluster) : '(standalone)',
      state: `${h.connectionState}/${h.powerState}`,
      cores: h.cpuCores,
      'memory GiB': (h.memoryBytes / GiB).toFixed(1),
    })),
  );
  out.write('\n');
  printTable(
    inv.datastores.map((d) => ({
      datastore: d.name,
      datacenter: dcName.get(d.datacenter) ?? d.datacenter,
      type: d.type,
      'capacity GiB': (d.capacityBytes / GiB).toFixed(1),
      'free GiB': (d.freeBytes / GiB).toFixed(1),
      accessible: d.accessible ? 'yes' : 'NO',
    })),
  );
  out.write('\n');
  printTable(
    inv.vms.map((v) => ({
      vm: v.name,
      power: v.powerState,
      host: v.hostName,
      folder: v.folderPath,
      cpus: v.cpus,
      'memory MB': v.memoryMB,
      disks: v.disks.length,
      'disk GiB': (v.disks.reduce((s, d) => s + d.capacityBytes, 0) / GiB).toFixed(1),
      ips: v.ipAddresses.join(' ') || null,
    })),
  );
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
    .option(
      '--thumbprint <sha256>',
      "the certificate's SHA-256 thumbprint to expect (hex, colons optional)",
      parseThumbprint,
    )
    .option(
      '--trust-on-first-use',
      'accept the certificate the server shows now (thumbprint printed on stderr) for this run',
    )
    .option('--timeout <seconds>', 'time limit for each call', parseSeconds, 300);
}

/** Opens the vCenter the options name: identity pinned (or shown and trusted for this run), password from env or prompt. */
export async function openVsphereFromOptions(opts: VsphereOptions) {
  if (Boolean(opts.thumbprint) === Boolean(opts.trustOnFirstUse)) {
    throw new CliError(
      'give exactly one of --thumbprint <sha256> (the pinned certificate) or --trust-on-first-use',
      2,
    );
  }
  let thumbprint = opts.thumbprint;
  if (opts.trustOnFirstUse) {
    // Asked before the password so that nothing secret is typed for an unknown server.
    const presented = await probeCertificate(opts.url, { timeoutMs: 15_000 });
    process.stderr.write(
      `${new URL(opts.url).host} presents the certificate ${presented.thumbprint}${presented.subject ? ` (${presented.subject})` : ''}\n` +
        `trusting it for this run; pin it next time with --thumbprint ${presented.thumbprint}\n`,
    );
    thumbprint = presented.thumbprint;
  }
  const password = await readSecret(
    opts.passwordEnv,
    `Password for ${opts.username} at ${new URL(opts.url).host}`,
  );
  return openVsphere(
    { kind: 'vsphere', url: opts.url, username: opts.username },
    { password },
    { kind: 'thumbprint', thumbprint: thumbprint! },
    undefined,
    { timeoutMs: opts.timeout * 1000 },
  );
}

/** `siteshift inventory vsphere`: the inventory document of a vCenter or ESXi host. */
export function registerInventoryVsphere(inventory: Command): void {
  vsphereOptions(
    inventory
      .command('vsphere')
      .description('read the inventory of a vCenter Server or ESXi host (vSphere Web Services API)'),
  )
    .option('--json', 'print the inventory document as JSON')
    .action(async (opts: VsphereOptions & { json?: boolean }) => {
      const source = await openVsphereFromOptions(opts);
      try {
        const inv = await source.fetchInventory();
        if (opts.json) printJson(inv);
        else printHuman(inv);
      } finally {
        await source.close();
      }
    });
}
