import {
  normalizeThumbprint,
  openVsphere,
  probeCertificate,
  type VsphereInventorySource,
} from '../../core/vsphere';
import type { VsphereInventory } from '../../shared/schemas/inventory';
import { countOf } from '../../shared/topology/display';
import type { VsphereOptions } from '../commands/inventory-vsphere';
import { CliError, printTable, readSecret } from '../io';
import { GiB } from '../options';

/** What `inventory vsphere` and `export vsphere` do with their options (cli/commands/inventory-vsphere.ts). */

function printHuman(inv: VsphereInventory): void {
  const out = process.stdout;
  out.write(`${inv.source.about.fullName} (API ${inv.source.about.apiVersion}) at ${inv.source.url}\n`);
  out.write(
    `${[
      countOf(inv.datacenters.length, 'datacenter'),
      countOf(inv.clusters.length, 'cluster'),
      countOf(inv.hosts.length, 'host'),
      countOf(inv.datastores.length, 'datastore'),
      countOf(inv.networks.length, 'network'),
      countOf(inv.vms.length, 'VM'),
    ].join(', ')}\n\n`,
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

/** Opens the vCenter the options name: identity pinned (or shown and trusted for this run), password from env or prompt. */
export async function openVsphereFromOptions(opts: VsphereOptions) {
  if (Boolean(opts.thumbprint) === Boolean(opts.trustOnFirstUse)) {
    throw new CliError(
      'give exactly one of --thumbprint <sha256> (the pinned certificate) or --trust-on-first-use',
      2,
    );
  }
  let thumbprint: string;
  if (opts.thumbprint) {
    // Checked here rather than by an option parser: the parser would load core/ for every call.
    try {
      thumbprint = normalizeThumbprint(opts.thumbprint);
    } catch (err) {
      throw new CliError(`--thumbprint: ${(err as Error).message}`, 2);
    }
  } else {
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
    { kind: 'thumbprint', thumbprint },
    undefined,
    { timeoutMs: opts.timeout * 1000 },
  );
}

/**
 * The document as printJson writes it (two-space indents), VM by VM as they are read: a big
 * estate is never held whole, neither as objects nor as one string.
 */
async function printInventoryJson(source: VsphereInventorySource): Promise<void> {
  let out = '';
  let vms = 0;
  // Written in pieces of a few hundred KB: one write per VM would be a system call each.
  const flush = (force: boolean) => {
    if (out.length > 0 && (force || out.length > 256 * 1024)) {
      process.stdout.write(out);
      out = '';
    }
  };
  let tail = '';
  await source.streamInventory(
    (head) => {
      const text = JSON.stringify(head, null, 2);
      // The head ends with `"vms": []` and the closing brace: the VMs go between the brackets.
      const open = text.lastIndexOf('[]');
      out = `${text.slice(0, open)}[`;
      tail = text.slice(open + 1);
    },
    (vm) => {
      out += `${vms++ === 0 ? '' : ','}\n    ${JSON.stringify(vm, null, 2).replace(/\n/g, '\n    ')}`;
      flush(false);
    },
  );
  out += vms === 0 ? tail : `\n  ${tail}`;
  out += '\n';
  flush(true);
}

/** `siteshift inventory vsphere`: the inventory as tables, or the document with --json. */
export async function printInventory(opts: VsphereOptions & { json?: boolean }): Promise<void> {
  const source = await openVsphereFromOptions(opts);
  try {
    if (opts.json) await printInventoryJson(source);
    else printHuman(await source.fetchInventory());
  } finally {
    await source.close();
  }
}
