import { readFile } from 'node:fs/promises';
import { openHypervSource } from '../../core/hyperv/connector';
import { hostKeyTypeOf, probeHostKey } from '../../core/hyperv/ssh';
import { hostKeyFingerprintSchema } from '../../shared/schemas/connection';
import { hypervInventorySchema } from '../../shared/schemas/inventory';
import type { HypervOptions } from '../commands/inventory-hyperv';
import { CliError, printJson, printTable, readSecret } from '../io';
import { GiB } from '../options';

/** What `inventory hyperv` and `export hyperv` do with their options (cli/commands/inventory-hyperv.ts). */

/** Opens the Hyper-V host the options name, with the host key pinned (or shown and trusted for this run). */
export async function openHypervFromOptions(opts: HypervOptions) {
  if (opts.passwordEnv && opts.identity)
    throw new CliError('give either --password-env or --identity, not both', 2);
  if (Boolean(opts.hostKey) === Boolean(opts.trustOnFirstUse)) {
    throw new CliError(
      'give exactly one of --host-key SHA256:... (the pinned host key) or --trust-on-first-use',
      2,
    );
  }
  const timeoutMs = opts.timeout * 1000;
  const secrets: { password?: string; privateKey?: string; passphrase?: string } = {};
  if (opts.identity) {
    try {
      secrets.privateKey = await readFile(opts.identity, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read the private key file ${opts.identity}: ${(err as Error).message}`);
    }
    if (opts.passphraseEnv) secrets.passphrase = await readSecret(opts.passphraseEnv, 'Key passphrase');
  } else {
    secrets.password = await readSecret(opts.passwordEnv, `Password for ${opts.username}@${opts.host}`);
  }

  let fingerprint: string;
  let algorithm: string | undefined;
  if (opts.hostKey) {
    algorithm = hostKeyTypeOf(opts.hostKeyType);
    if (!algorithm)
      throw new CliError(`--host-key-type: "${opts.hostKeyType}" is not ED25519, RSA or ECDSA`, 2);
    const parsed = hostKeyFingerprintSchema.safeParse(opts.hostKey);
    if (!parsed.success) throw new CliError(`--host-key: ${parsed.error.issues[0]?.message}`, 2);
    fingerprint = parsed.data;
  } else {
    const key = await probeHostKey(opts.host, opts.port, { timeoutMs });
    process.stderr.write(
      `The host ${opts.host}:${opts.port} presents the ${key.algorithm ?? 'SSH'} host key ${key.fingerprint}.\n` +
        `Trusted for this run only; check it with the host's administrator and pass --host-key ${key.fingerprint} next time.\n`,
    );
    // Connect pinned to what the probe saw, so a key swapped in between is still refused.
    fingerprint = key.fingerprint;
    algorithm = key.algorithm;
  }

  return openHypervSource(
    { kind: 'hyperv', host: opts.host, port: opts.port, username: opts.username },
    secrets,
    { kind: 'host-key', fingerprint, ...(algorithm ? { algorithm } : {}) },
    { session: { readyTimeoutMs: timeoutMs, commandTimeoutMs: timeoutMs } },
  );
}

/** `siteshift inventory hyperv`: the host, its switches and VMs as tables, or the document with --json. */
export async function printInventory(opts: HypervOptions & { json?: boolean }): Promise<void> {
  const source = await openHypervFromOptions(opts);
  try {
    const doc = hypervInventorySchema.parse(await source.fetchInventory());
    if (opts.json) return printJson(doc);
    for (const h of doc.hosts) {
      const rs = h.replicaServer.enabled
        ? `replica server (${h.replicaServer.auth}, port ${h.replicaServer.port})`
        : 'not a replica server';
      process.stdout.write(
        `${h.name}  ${h.os ?? 'Windows'}  ${h.cpuCores} cores  ${(h.memoryBytes / GiB).toFixed(0)} GiB  ${rs}\n\n`,
      );
    }
    printTable(doc.switches.map((s) => ({ switch: s.name, kind: s.kind })));
    process.stdout.write('\n');
    printTable(
      doc.vms.map((v) => ({
        vm: v.name,
        state: v.state,
        cpus: v.cpus,
        memoryGiB: (v.memoryBytes / GiB).toFixed(1),
        disks: v.disks.length,
        replication: v.replication ? `${v.replication.mode} ${v.replication.state}` : null,
        health: v.replication?.health ?? null,
        lastReplication: v.replication?.lastReplicationTime ?? null,
      })),
    );
  } finally {
    await source.close();
  }
}
