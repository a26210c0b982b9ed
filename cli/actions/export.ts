import type { KeyObject } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type * as Exporter from '../../core/topology/export';
import type { ExportParts, ReadableSource } from '../../core/topology/export';
import { countOf } from '../../shared/topology/display';
import type { OutputOptions } from '../commands/export';
import type { HypervOptions } from '../commands/inventory-hyperv';
import type { VsphereOptions } from '../commands/inventory-vsphere';
import { type ConnOpts, client } from '../conn';
import { CliError } from '../io';
import { openHypervFromOptions } from './hyperv';
import { openVsphereFromOptions } from './vsphere';

/** What the `siteshift export` verbs do with their options (cli/commands/export.ts). */

// The exporter (map layout, PDF and PNG renderers) is loaded by the commands that export, not at
// start-up: it is most of what every \`siteshift\` call would otherwise load before doing anything.
let loadedExporter: typeof Exporter | null = null;
const exporter = async () => {
  loadedExporter ??= await import('../../core/topology/export');
  return loadedExporter;
};

async function signingKey(path: string | undefined): Promise<KeyObject | undefined> {
  if (!path) return undefined;
  let pem: Buffer;
  try {
    pem = await readFile(path);
  } catch (err) {
    throw new CliError(`cannot read the signing key ${path}: ${(err as Error).message}`);
  }
  try {
    return (await exporter()).loadSigningKey(pem, `the signing key ${path}`);
  } catch (err) {
    throw new CliError((err as Error).message, 2);
  }
}

/** Writes beside the target then renames: an interrupted export never leaves half a file under the name. */
async function write(parts: ExportParts, opts: OutputOptions): Promise<void> {
  const key = await signingKey(opts.signKey);
  const doc = (await exporter()).buildExport(parts, key);
  const bytes = await (await exporter()).renderExport(doc, opts.format, {
    fold: { hostVms: opts.expand },
    locale: opts.language,
  });
  const tmp = `${opts.out}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, opts.out);
  } catch (err) {
    throw new CliError(`cannot write ${opts.out}: ${(err as Error).message}`);
  }
  const vms = doc.topology.nodes.filter((n) => n.kind === 'vm' || n.kind === 'hyperv-vm').length;
  const plans = doc.deployments.reduce((s, d) => s + d.plans.length, 0);
  process.stderr.write(
    `siteshift: wrote ${opts.out} (${opts.format}, ${countOf(bytes.length, 'byte')}): ${countOf(vms, 'VM')}, ${countOf(plans, 'plan')}, sha256 ${doc.integrity.digest}${doc.integrity.signature ? `, signed by ${doc.integrity.signature.keyFingerprint}` : ', unsigned'}\n`,
  );
  for (const inv of doc.inventories) {
    if (inv.error) process.stderr.write(`siteshift: warning: ${inv.name} could not be read: ${inv.error}\n`);
  }
}

async function fromSource(
  kind: 'vsphere' | 'hyperv',
  name: string,
  address: string,
  source: ReadableSource & { close(): Promise<void> },
): Promise<ExportParts> {
  try {
    const inv = await (await exporter()).readInventory(
      { connectionId: kind, name, site: 'primary', address },
      source,
    );
    if (inv.error) throw new CliError(`cannot read the inventory of ${address}: ${inv.error}`);
    return {
      sources: [{ kind, name, address }],
      inventories: [inv],
      deployments: [],
      host: 'cli',
    };
  } finally {
    await source.close();
  }
}

/** `export vsphere`: straight from a vCenter or ESXi host. */
export async function exportVsphere(opts: VsphereOptions & OutputOptions): Promise<void> {
  const source = await openVsphereFromOptions(opts);
  await write(await fromSource('vsphere', new URL(opts.url).host, opts.url, source), opts);
}

/** `export hyperv`: straight from a Hyper-V host over SSH. */
export async function exportHyperv(opts: HypervOptions & OutputOptions): Promise<void> {
  const source = await openHypervFromOptions(opts);
  await write(await fromSource('hyperv', opts.host, `${opts.host}:${opts.port}`, source), opts);
}

/** `export server`: a whole deployment from its configuration server. */
export async function exportServer(opts: ConnOpts & OutputOptions): Promise<void> {
  const c = await client(opts);
  try {
    const who = await c.whoami();
    const { readDeployment, readServerInventories } = await exporter();
    const deployment = await readDeployment(c, new URL(c.url).host);
    const inventories = await readServerInventories(c, deployment);
    process.stderr.write(
      `siteshift: read ${c.url} as ${who.name}: ${deployment.sites.length} sites, ${deployment.endpoints.length} endpoints (${inventories.filter((i) => i.inventory).length} inventories read)\n`,
    );
    await write(
      {
        sources: [{ kind: 'configserver', name: deployment.name, address: c.url }],
        inventories,
        deployments: [deployment],
        host: 'cli',
      },
      opts,
    );
  } finally {
    c.close();
  }
}

/** `export lab`: the embedded lab estate. */
export async function exportLab(opts: OutputOptions & { vms: number }): Promise<void> {
  await write(await labParts(opts.vms), opts);
}

const LAB_SERVER_ADDRESS = 'lab://configuration-server';

/** The lab as the console shows it: its four inventories and its configuration server (in memory, gone after). */
export async function labParts(vms: number): Promise<ExportParts> {
  const { createLabEstate } = await import('../../core/lab');
  const { openLab } = await import('../../core/console/lab-connections');
  const { startLab } = await import('../../server/lab');
  const { ConfigServerClient } = await import('../../core/configserver');
  const estate = createLabEstate({ vms });
  const lab = await startLab({ estate, agent: false });
  const c = new ConfigServerClient({ url: lab.url, token: lab.adminToken });
  try {
    const { readInventory, readDeployment, failedDeployment } = await exporter();
    const inventories = await Promise.all(
      openLab(estate).map(({ connection, source }) =>
        readInventory(
          {
            connectionId: connection.id,
            name: connection.name,
            site: connection.site,
            address:
              connection.target.kind === 'vsphere'
                ? connection.target.url
                : connection.target.kind === 'hyperv'
                  ? `${connection.target.host}:${connection.target.port}`
                  : '',
          },
          source,
        ),
      ),
    );
    const name = 'Lab configuration server';
    const deployment = await readDeployment(c, name).catch((err) => failedDeployment(name, lab.url, err));
    // The lab server listens on a fresh port each run: name it stably so that two lab exports compare.
    deployment.url = LAB_SERVER_ADDRESS;
    return {
      sources: [{ kind: 'lab', name: `Siteshift lab (${vms} VMs)`, address: LAB_SERVER_ADDRESS }],
      inventories,
      deployments: [deployment],
      host: 'cli',
    };
  } finally {
    c.close();
    await lab.stop();
  }
}
