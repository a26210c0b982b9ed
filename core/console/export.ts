import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ApiError } from '../../shared/errors';
import type {
  ExportCreated,
  ExportDeployment,
  ExportFormat,
  ExportInventory,
} from '../../shared/export/schema';
import type { Connection } from '../../shared/schemas/connection';
import type { InventoryDocument } from '../../shared/schemas/inventory';
import { buildExport, exportExtension, exportMime, renderExport } from '../topology/export';

/** What the console backend lends the export: its connections and what each one reads. */
export interface ConsoleExportSources {
  host: string;
  connections(): Promise<Connection[]>;
  inventory(
    connection: Connection,
    signal?: AbortSignal,
  ): Promise<{ inventory: InventoryDocument | null; error: string | null }>;
  deployment(connection: Connection, signal?: AbortSignal): Promise<ExportDeployment>;
}

const addressOf = (c: Connection) =>
  c.target.kind === 'hyperv' ? `${c.target.host}:${c.target.port}` : c.target.url;

/** File → Export: the estate this console shows, every connection and configuration server, as one file. */
export async function createConsoleExport(
  from: ConsoleExportSources,
  format: ExportFormat,
  signal?: AbortSignal,
): Promise<ExportCreated> {
  const connections = await from.connections();
  const inventories: ExportInventory[] = [];
  const deployments: ExportDeployment[] = [];
  await Promise.all(
    connections.map(async (c) => {
      if (c.target.kind === 'configserver') {
        deployments.push(await from.deployment(c, signal));
        return;
      }
      const { inventory, error } = await from.inventory(c, signal);
      inventories.push({
        connectionId: c.id,
        name: c.name,
        site: c.site,
        kind: c.target.kind,
        address: addressOf(c),
        inventory,
        error,
      });
    }),
  );
  signal?.throwIfAborted();
  // Promise.all finishes in any order: the file lists sources as the console does.
  const order = new Map(connections.map((c, i) => [c.id, i]));
  inventories.sort((a, b) => order.get(a.connectionId)! - order.get(b.connectionId)!);
  deployments.sort((a, b) => a.name.localeCompare(b.name));
  const doc = buildExport({
    sources: connections.map((c) => ({
      kind: c.lab ? 'lab' : c.target.kind,
      name: c.name,
      address: addressOf(c),
    })),
    inventories,
    deployments,
    host: `console (${from.host})`,
  });
  const bytes = await renderExport(doc, format);
  const stamp = doc.exportedAt.slice(0, 19).replace(/[:T]/g, '-');
  return {
    fileName: `siteshift-${stamp}${exportExtension[format]}`,
    mimeType: exportMime[format],
    contentBase64: bytes.toString('base64'),
    bytes: bytes.length,
    digest: doc.integrity.digest,
  };
}

/** The text of an export the shell was handed by path; the schema admits only *.siteshift.json names. */
export async function readExportFile(path: string): Promise<{ name: string; text: string }> {
  try {
    return { name: basename(path), text: await readFile(path, 'utf8') };
  } catch (err) {
    throw new ApiError('not-found', `Cannot read ${path}: ${(err as Error).message}`);
  }
}
