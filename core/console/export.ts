import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { ApiError, errorFields } from '../../shared/errors';
import type {
  ExportCreated,
  ExportDeployment,
  ExportFormat,
  ExportInventory,
} from '../../shared/export/schema';
import { sayClient } from '../../shared/i18n/client-words';
import type { Worded } from '../../shared/i18n/worded';
import type { Connection } from '../../shared/schemas/connection';
import type { InventoryDocument } from '../../shared/schemas/inventory';
import type { SettingsState } from '../../shared/schemas/settings';
import {
  buildExport,
  exportExtension,
  exportMime,
  keyFingerprint,
  loadSigningKey,
  type RenderOptions,
  renderExport,
  sameAddress,
} from '../topology/export';

/** What the console backend lends the export: its connections and what each one reads. */
export interface ConsoleExportSources {
  host: string;
  connections(): Promise<Connection[]>;
  inventory(
    connection: Connection,
    signal?: AbortSignal,
  ): Promise<{ inventory: InventoryDocument | null; error: string | null; errorWords?: Worded }>;
  deployment(connection: Connection, signal?: AbortSignal): Promise<ExportDeployment>;
  /**
   * The inventories a configuration server reads of its endpoints, but those at the addresses in
   * `skip` (the console reads them itself).
   */
  serverInventories(
    connection: Connection,
    deployment: ExportDeployment,
    skip: ReadonlySet<string>,
    signal?: AbortSignal,
  ): Promise<ExportInventory[]>;
  /** The operator's signing key, when Settings names one. */
  signingKey?: KeyObject;
}

const addressOf = (c: Connection) =>
  c.target.kind === 'hyperv' ? `${c.target.host}:${c.target.port}` : c.target.url;

/** File → Export: the estate this console shows, every connection and configuration server, as one file. */
export async function createConsoleExport(
  from: ConsoleExportSources,
  format: ExportFormat,
  signal?: AbortSignal,
  options: RenderOptions = {},
): Promise<ExportCreated> {
  const connections = await from.connections();
  const inventories: ExportInventory[] = [];
  const deployments: ExportDeployment[] = [];
  const servers: Array<{ connection: Connection; deployment: ExportDeployment }> = [];
  await Promise.all(
    connections.map(async (c) => {
      if (c.target.kind === 'configserver') {
        const deployment = await from.deployment(c, signal);
        deployments.push(deployment);
        servers.push({ connection: c, deployment });
        return;
      }
      const { inventory, error, errorWords } = await from.inventory(c, signal);
      inventories.push({
        connectionId: c.id,
        name: c.name,
        site: c.site,
        kind: c.target.kind,
        address: addressOf(c),
        inventory,
        error,
        ...(errorWords ? { errorWords } : {}),
      });
    }),
  );
  signal?.throwIfAborted();
  // Promise.all finishes in any order: the file lists sources as the console does.
  const order = new Map(connections.map((c, i) => [c.id, i]));
  inventories.sort((a, b) => order.get(a.connectionId)! - order.get(b.connectionId)!);
  // The endpoints of each configuration server, as the server reads them: all but those this
  // console already read itself (the same estate is not carried twice). One the console could not
  // reach is replaced by the server's read when the server could.
  const readHere = new Set(inventories.filter((i) => i.inventory).map((i) => sameAddress(i.address)));
  for (const { connection, deployment } of servers) {
    if (deployment.error) continue;
    for (const inv of await from.serverInventories(connection, deployment, readHere, signal)) {
      const failedHere = inventories.findIndex(
        (i) => !i.inventory && sameAddress(i.address) === sameAddress(inv.address),
      );
      if (failedHere >= 0 && inv.inventory) inventories.splice(failedHere, 1, inv);
      else inventories.push(inv);
      if (inv.inventory) readHere.add(sameAddress(inv.address));
    }
  }
  signal?.throwIfAborted();
  deployments.sort((a, b) => a.name.localeCompare(b.name));
  const doc = buildExport(
    {
      sources: connections.map((c) => ({
        kind: c.lab ? 'lab' : c.target.kind,
        name: c.name,
        address: addressOf(c),
      })),
      inventories,
      deployments,
      host: `console (${from.host})`,
    },
    from.signingKey,
  );
  const bytes = await renderExport(doc, format, options);
  const stamp = doc.exportedAt.slice(0, 19).replace(/[:T]/g, '-');
  return {
    fileName: `siteshift-${stamp}${exportExtension[format]}`,
    mimeType: exportMime[format],
    contentBase64: bytes.toString('base64'),
    bytes: bytes.length,
    digest: doc.integrity.digest,
    signedBy: doc.integrity.signature?.keyFingerprint ?? null,
  };
}

/**
 * The signing key named in Settings, read from its file at each export (never kept in the
 * settings or a log). A key that cannot be used refuses the export rather than writing it unsigned.
 */
export async function readSigningKey(path: string): Promise<KeyObject> {
  let pem: Buffer;
  try {
    pem = await readFile(path);
  } catch (err) {
    throw new ApiError(
      'invalid-input',
      sayClient('client.signingKeyUnreadable', {
        path,
        error: (err as NodeJS.ErrnoException).code ?? (err as Error).message,
      }),
    );
  }
  return loadSigningKey(pem, sayClient('client.signingKeyNamed', { path }));
}

/** What Settings shows of the signing key: its fingerprint, or why it cannot sign, and a warning when others can read it. */
export async function signingKeyStatus(path: string | null): Promise<SettingsState['exportSigning']> {
  if (!path) return { keyPath: null, fingerprint: null, problem: null, warning: null };
  try {
    const key = await readSigningKey(path);
    const der = createPublicKey(key).export({ type: 'spki', format: 'der' });
    const mode = (await stat(path)).mode;
    const open =
      process.platform !== 'win32' && (mode & 0o077) !== 0
        ? sayClient('client.signingKeyOpen', { path, mode: (mode & 0o777).toString(8) })
        : null;
    return {
      keyPath: path,
      fingerprint: keyFingerprint(der),
      problem: null,
      warning: open?.text ?? null,
      ...(open ? { warningWords: open.words } : {}),
    };
  } catch (err) {
    const { error, errorWords } = errorFields(err);
    return {
      keyPath: path,
      fingerprint: null,
      problem: error,
      ...(errorWords ? { problemWords: errorWords } : {}),
      warning: null,
    };
  }
}

/** The text of an export the shell was handed by path; the schema admits only *.siteshift.json names. */
export async function readExportFile(path: string): Promise<{ name: string; text: string }> {
  try {
    return { name: basename(path), text: await readFile(path, 'utf8') };
  } catch (err) {
    throw new ApiError(
      'not-found',
      sayClient('client.exportUnreadable', { path, error: (err as Error).message }),
    );
  }
}
