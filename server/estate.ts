import type { z } from 'zod';
import type { ConnectorRegistry } from '../core/inventory/source';
import type {
  Endpoint,
  endpointCreateInputSchema,
  MasterTarget,
  masterTargetCreateInputSchema,
  Site,
} from '../shared/configserver';
import { ApiError, errorFields } from '../shared/errors';
import { checkWordsEn } from '../shared/i18n/check-words';
import { asSent, sizeSaid } from '../shared/i18n/list-words';
import { sayer, type Text, type Worded } from '../shared/i18n/worded';
import type {
  HypervInventory,
  HypervVm,
  InventoryDocument,
  VsphereInventory,
  VsphereVm,
} from '../shared/schemas/inventory';
import type { SecretBox } from './crypto';
import { lookupVm, verifyEndpoint } from './endpoints';
import { openEndpointSession } from './sessions';
import type { Store } from './store';

/**
 * What the server can read of one site right now: each endpoint with its inventory, or why it
 * could not be read. Plan validation and the readiness checks are pure functions over this.
 */
export type EndpointStatus = 'ok' | 'unreachable' | 'invalid-login' | 'identity-changed' | 'error';

/** How an endpoint's read ended, as a finding says it: the status itself in English, worded in a console. */
export const endpointStatusSaid = (status: EndpointStatus) =>
  sayer(checkWordsEn)(`check.endpointStatus.${status}`);

/** A VM's power state as a finding says it: vSphere's word, worded in a console when it is a known one. */
export function powerSaid(state: string): Text {
  const known = ['poweredOn', 'poweredOff', 'suspended'] as const;
  return known.includes(state as (typeof known)[number])
    ? sayer(checkWordsEn)(`check.power.${state as (typeof known)[number]}`)
    : asSent(state);
}

export interface EndpointRead {
  endpoint: Pick<Endpoint, 'id' | 'name' | 'target'>;
  status: EndpointStatus;
  /** Why it could not be read (empty when ok). */
  message: string;
  /** The words of `message` when the connector said it (client-words.ts): a console words it. */
  messageWords?: Worded;
  inventory: VsphereInventory | HypervInventory | null;
}

export interface SiteEstate {
  site: Pick<Site, 'id' | 'name'>;
  endpoints: EndpointRead[];
}

export interface EstateDeps {
  store: Store;
  box: SecretBox;
  connectors: ConnectorRegistry;
}

function statusOf(err: unknown): EndpointStatus {
  const code = err instanceof ApiError ? err.code : null;
  if (code === 'invalid-login' || code === 'unauthorized') return 'invalid-login';
  if (code === 'identity-changed' || code === 'untrusted-identity') return 'identity-changed';
  if (code === 'unreachable' || code === 'timeout') return 'unreachable';
  return 'error';
}

/** Reads every endpoint of the site once (in parallel); a failing endpoint does not stop the others. */
export async function readSite(deps: EstateDeps, siteId: string, signal?: AbortSignal): Promise<SiteEstate> {
  const site = await deps.store.sites.resolve(siteId);
  const endpoints = (await deps.store.endpoints.list()).filter((e) => e.siteId === site.id);
  const reads = await Promise.all(
    endpoints.map(async (ep): Promise<EndpointRead> => {
      try {
        const session = await openEndpointSession(deps, ep.id, signal);
        try {
          const inventory = (await session.source.fetchInventory(signal)) as
            | VsphereInventory
            | HypervInventory;
          return { endpoint: ep, status: 'ok', message: '', inventory };
        } finally {
          await session.close();
        }
      } catch (err) {
        const { error, errorWords } = errorFields(err);
        return {
          endpoint: ep,
          status: statusOf(err),
          message: error,
          ...(errorWords ? { messageWords: errorWords } : {}),
          inventory: null,
        };
      }
    }),
  );
  return { site: { id: site.id, name: site.name }, endpoints: reads };
}

/**
 * One saved endpoint's inventory, read now through its pinned identity and stored credentials:
 * what an export of the whole deployment carries for each endpoint. The session is closed after.
 */
export async function readEndpointInventory(
  deps: EstateDeps,
  idOrName: string,
  signal?: AbortSignal,
): Promise<InventoryDocument> {
  const session = await openEndpointSession(deps, idOrName, signal);
  try {
    return await session.source.fetchInventory(signal);
  } finally {
    await session.close();
  }
}

// ---------------------------------------------------------------- lookups over a site

export const vsphereInventories = (estate: SiteEstate): VsphereInventory[] =>
  estate.endpoints.flatMap((e) =>
    e.inventory?.source.kind === 'vsphere' ? [e.inventory as VsphereInventory] : [],
  );

export const hypervInventories = (estate: SiteEstate): HypervInventory[] =>
  estate.endpoints.flatMap((e) =>
    e.inventory?.source.kind === 'hyperv' ? [e.inventory as HypervInventory] : [],
  );

/** Endpoints that could not be read (their objects are unknown, not absent). */
export const unreadEndpoints = (estate: SiteEstate): EndpointRead[] =>
  estate.endpoints.filter((e) => e.status !== 'ok');

export interface SiteVm {
  vm: VsphereVm;
  inventory: VsphereInventory;
}

export function vmsNamed(estate: SiteEstate, name: string): SiteVm[] {
  return vsphereInventories(estate).flatMap((inventory) =>
    inventory.vms.filter((vm) => vm.name === name).map((vm) => ({ vm, inventory })),
  );
}

export interface SiteHypervVm {
  vm: HypervVm;
  inventory: HypervInventory;
}

/**
 * Hyper-V VMs of the site with this name that can be protected: replica VMs (and test failover
 * copies) are the other end of a Hyper-V Replica pair, not machines of their own.
 */
export function hypervVmsNamed(estate: SiteEstate, name: string): SiteHypervVm[] {
  return hypervInventories(estate).flatMap((inventory) =>
    inventory.vms
      .filter(
        (vm) =>
          vm.name === name && vm.replication?.mode !== 'Replica' && vm.replication?.mode !== 'TestReplica',
      )
      .map((vm) => ({ vm, inventory })),
  );
}

export function osFamilyOf(vm: Pick<VsphereVm, 'guestOs'>): 'windows' | 'linux' {
  return /^win/i.test(vm.guestOs ?? '') ? 'windows' : 'linux';
}

/** Host names match in full or by their first label (esx-01 for esx-01.lab.local). */
export function sameHostName(full: string, given: string): boolean {
  const a = full.toLowerCase();
  const b = given.toLowerCase();
  return a === b || a.split('.')[0] === b;
}

/**
 * VM folders, relative to their datacenter's VM folder ("/" is that folder itself). The
 * inventory document lists no folder objects, so the folders known are those that hold a VM
 * and their parents.
 */
export function vmFolders(estate: SiteEstate): Set<string> {
  const out = new Set<string>();
  for (const inv of vsphereInventories(estate)) {
    if (inv.datacenters.length > 0) out.add('/');
    for (const vm of inv.vms) {
      const m = /^\/[^/]+\/vm(\/.*)?$/.exec(vm.folderPath);
      if (!m) continue;
      const parts = (m[1] ?? '').split('/').filter(Boolean);
      out.add('/');
      for (let i = 1; i <= parts.length; i++) out.add(`/${parts.slice(0, i).join('/')}`);
    }
  }
  return out;
}

export const diskBytes = (vm: Pick<VsphereVm, 'disks'>): number =>
  vm.disks.reduce((sum, d) => sum + d.capacityBytes, 0);

export function formatBytes(n: number): string {
  return sizeSaid(n).text;
}

/** An endpoint is saved only once its identity is pinned and its login works; its secret sealed. */
export async function addEndpoint(
  deps: EstateDeps,
  input: z.output<typeof endpointCreateInputSchema>,
): Promise<Endpoint> {
  const { store, box, connectors } = deps;
  const site = await store.sites.resolve(input.site);
  const secrets = { ...input.secrets };
  const { trust, product } = await verifyEndpoint(
    connectors,
    input.target,
    secrets,
    input.trust,
    input.trustOnFirstUse,
  );
  return store.endpoints.create({
    siteId: site.id,
    name: input.name,
    target: input.target,
    trust,
    product,
    sealedSecret: box.seal(JSON.stringify(secrets)),
  });
}

/**
 * A master target: unless the caller gives the VM's id and OS, the VM is looked up by name on the
 * site's vSphere endpoint, which also gives its retention datastore and free space.
 */
export async function addMasterTarget(
  deps: EstateDeps,
  input: z.output<typeof masterTargetCreateInputSchema>,
): Promise<MasterTarget> {
  const { store, box, connectors } = deps;
  const site = await store.sites.resolve(input.site);
  let found: Awaited<ReturnType<typeof lookupVm>> | null = null;
  if (!(input.vmId && input.osFamily))
    found = await lookupVm(store, box, connectors, site.id, input.vm, input.endpoint);
  return store.masterTargets.create({
    siteId: site.id,
    endpointId: found?.endpointId ?? null,
    name: input.name ?? input.vm,
    vmId: input.vmId ?? found!.vmId,
    vmName: input.vm,
    osFamily: input.osFamily ?? found!.osFamily,
    retentionDatastore: input.retentionDatastore ?? found?.datastore ?? null,
    retentionFreeBytes: input.retentionFreeBytes ?? found?.freeBytes ?? null,
  });
}
