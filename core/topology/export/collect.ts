import type { KeyObject } from 'node:crypto';
import type { Plan } from '../../../shared/configserver/plan';
import type { ReadinessKind } from '../../../shared/configserver/readiness';
import { errorFields, errorSaid } from '../../../shared/errors';
import type {
  ExportContent,
  ExportDeployment,
  ExportDocument,
  ExportInventory,
  ExportReadiness,
  ExportSource,
} from '../../../shared/export/schema';
import { EXPORT_KIND, EXPORT_SCHEMA_VERSION } from '../../../shared/export/schema';
import { sayClient } from '../../../shared/i18n/client-words';
import type { Connection } from '../../../shared/schemas/connection';
import type { InventoryDocument } from '../../../shared/schemas/inventory';
import type { ProtectionSnapshot } from '../../../shared/schemas/protection';
import type { ConfigServerClient } from '../../configserver/client';
import { appVersion } from '../../version';
import { buildTopology } from '../build';
import { sealExport } from './document';

/**
 * Keys that name a credential. Records from a server are exported loose (a richer plan model is
 * carried along unread), so anything under one of these keys is dropped on the way out: an export
 * must never carry a password, token or private key, whatever the server grows.
 */
const secretKey = /pass(word|phrase)?|secret|token|private.?key|credential|api.?key/i;

export function withoutSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutSecrets) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!secretKey.test(k)) out[k] = withoutSecrets(v);
    return out as T;
  }
  return value;
}

export function addressOf(doc: InventoryDocument): string {
  return doc.source.kind === 'vsphere' ? doc.source.url : `${doc.source.host}:${doc.source.port}`;
}

/** What an export needs of a connector's source (vSphere, Hyper-V and lab sources all fit). */
export interface ReadableSource {
  readonly kind: 'vsphere' | 'hyperv';
  fetchInventory(signal?: AbortSignal): Promise<InventoryDocument>;
}

/** Reads one inventory source for an export; a source that fails is recorded with its reason. */
export async function readInventory(
  entry: { connectionId: string; name: string; site: 'primary' | 'secondary'; address: string },
  source: ReadableSource,
  signal?: AbortSignal,
): Promise<ExportInventory> {
  try {
    const inventory = await source.fetchInventory(signal);
    return { ...entry, kind: inventory.source.kind, inventory, error: null };
  } catch (err) {
    signal?.throwIfAborted();
    return { ...entry, kind: source.kind, inventory: null, error: (err as Error).message };
  }
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Everything a configuration server knows about the deployment, as the export carries it. Fields
 * are picked explicitly where a record could hold a credential (endpoints); plans, pairs and the
 * rest are carried whole (minus credential-named keys) so that what the server adds is kept.
 */
export async function readDeployment(
  client: ConfigServerClient,
  name: string,
  signal?: AbortSignal,
): Promise<ExportDeployment> {
  const [health, sites, endpoints, processServers, masterTargets, plans, pairs, alerts] = await Promise.all([
    client.healthz().catch(() => null),
    client.listSites(),
    client.listEndpoints(),
    client.listProcessServers(),
    client.listMasterTargets(),
    client.listPlans(),
    client.listPairs(),
    client.listAlerts(),
  ]);
  signal?.throwIfAborted();
  const points = await mapLimit(pairs, 8, (p) => client.recoveryPoints(p.id));
  signal?.throwIfAborted();
  const readiness = (await mapLimit(plans, 4, (p) => planChecks(client, p))).flat();
  signal?.throwIfAborted();
  return withoutSecrets({
    name,
    url: client.url,
    version: health?.version ?? null,
    error: null,
    sites: sites.map((s) => ({ id: s.id, name: s.name, role: s.role, createdAt: s.createdAt })),
    endpoints: endpoints.map((e) => ({
      id: e.id,
      siteId: e.siteId,
      name: e.name,
      kind: e.target.kind,
      address: e.target.kind === 'vsphere' ? e.target.url : `${e.target.host}:${e.target.port}`,
      username: e.target.username,
      product: e.product,
      identity:
        e.trust.kind === 'thumbprint'
          ? e.trust.thumbprint
          : e.trust.kind === 'host-key'
            ? e.trust.fingerprint
            : null,
    })),
    processServers,
    masterTargets,
    plans,
    pairs,
    recoveryPoints: points.flat(),
    readiness,
    alerts,
  });
}

/** The workflows a runbook covers, in its order. */
const runbookKinds: ReadinessKind[] = ['test', 'planned', 'unplanned', 'failback'];

/**
 * The server's readiness checks of a plan for each workflow the runbook covers, as they stood at
 * export time. A check the server cannot run is recorded as not run with its reason.
 */
async function planChecks(client: ConfigServerClient, plan: Plan): Promise<ExportReadiness[]> {
  const out: ExportReadiness[] = [];
  for (const kind of runbookKinds) {
    try {
      const report = await client.planReadiness(plan.id, kind);
      for (const c of report.checks) {
        out.push({ planId: plan.id, kind, ...c, name: c.title, checkedAt: report.checkedAt });
      }
    } catch (err) {
      out.push({
        planId: plan.id,
        kind,
        name: 'readiness',
        status: 'not run',
        message: (err as Error).message,
      });
    }
  }
  return out;
}

/**
 * The inventory of every endpoint a configuration server knows, read by the server itself (its
 * pinned identities and stored credentials: the exporter needs neither). An endpoint that cannot
 * be read is recorded with the server's reason. Endpoints whose address is in `skip` (read directly
 * by the exporter already) are left out, so that no estate is carried twice.
 */
export async function readServerInventories(
  client: ConfigServerClient,
  deployment: ExportDeployment,
  options: { skip?: ReadonlySet<string>; signal?: AbortSignal } = {},
): Promise<ExportInventory[]> {
  const role = new Map(deployment.sites.map((s) => [s.id, s.role]));
  const endpoints = deployment.endpoints.filter(
    (e) => (e.kind === 'vsphere' || e.kind === 'hyperv') && !options.skip?.has(sameAddress(e.address)),
  );
  const out = await mapLimit(endpoints, 4, async (e): Promise<ExportInventory> => {
    const entry = {
      connectionId: `endpoint:${e.id}`,
      name: e.name,
      site: role.get(e.siteId) ?? 'primary',
      kind: e.kind as 'vsphere' | 'hyperv',
      address: e.address,
      via: { server: deployment.url, endpointId: e.id },
    };
    try {
      const inventory = await client.endpointInventory(e.id, options.signal);
      return { ...entry, kind: inventory.source.kind, inventory, error: null };
    } catch (err) {
      options.signal?.throwIfAborted();
      const why = sayClient('client.export.serverRead', { server: deployment.name, error: errorSaid(err) });
      return { ...entry, inventory: null, error: why.text, errorWords: why.words };
    }
  });
  options.signal?.throwIfAborted();
  return out;
}

/** Addresses compared as an operator would: case and a trailing slash do not matter. */
export const sameAddress = (address: string) => address.trim().toLowerCase().replace(/\/+$/, '');

export function failedDeployment(name: string, url: string, err: unknown): ExportDeployment {
  return {
    name,
    url,
    version: null,
    ...errorFields(err),
    sites: [],
    endpoints: [],
    processServers: [],
    masterTargets: [],
    plans: [],
    pairs: [],
    recoveryPoints: [],
    readiness: [],
    alerts: [],
  };
}

export interface ExportParts {
  sources: ExportSource[];
  inventories: ExportInventory[];
  deployments: ExportDeployment[];
  /** Who wrote it: 'cli', 'console (web)', … */
  host: string;
  now?: Date;
}

/**
 * The topology the console would draw from these inventories and deployments. The export's records
 * carry every field build.ts reads, so they stand in for the console's connection and protection
 * types.
 */
export function exportTopology(
  inventories: readonly ExportInventory[],
  deployments: readonly ExportDeployment[],
  now: Date,
) {
  const inputs = inventories.map((inv) => ({
    connection: {
      id: inv.connectionId,
      name: inv.name,
      site: inv.site,
      target:
        inv.kind === 'vsphere'
          ? { kind: 'vsphere' as const, url: inv.address, username: '' }
          : { kind: 'hyperv' as const, host: inv.address, port: 22, username: '' },
      trust: null,
      hasSecret: false,
      lab: false,
    } satisfies Connection,
    inventory: inv.inventory,
    error: inv.error,
    errorWords: inv.errorWords,
  }));
  const snapshots = deployments.map(
    (d, i) =>
      ({
        connectionId: `export-${i}`,
        connectionName: d.name,
        url: d.url,
        error: d.error,
        errorWords: d.errorWords,
        sites: d.sites,
        processServers: d.processServers,
        masterTargets: d.masterTargets,
        plans: d.plans,
        pairs: d.pairs,
        alerts: d.alerts,
      }) as unknown as ProtectionSnapshot,
  );
  return buildTopology(inputs, 1, now, snapshots);
}

export function buildExport(parts: ExportParts, signingKey?: KeyObject): ExportDocument {
  const now = parts.now ?? new Date();
  const content: ExportContent = {
    kind: EXPORT_KIND,
    schemaVersion: EXPORT_SCHEMA_VERSION,
    exportedAt: now.toISOString(),
    exporter: { name: 'siteshift', version: appVersion, host: parts.host },
    sources: parts.sources,
    inventories: parts.inventories,
    deployments: parts.deployments,
    topology: exportTopology(parts.inventories, parts.deployments, now),
  };
  return sealExport(content, signingKey);
}
