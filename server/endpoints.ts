import type { ConnectionSecrets, Connector, ConnectorRegistry } from '../core/inventory/source';
import type { EndpointTarget, OsFamily } from '../shared/configserver';
import { ApiError, errorFields } from '../shared/errors';
import { checkWordsEn } from '../shared/i18n/check-words';
import { sayRefusal } from '../shared/i18n/refusal-words';
import { sayer, type Worded } from '../shared/i18n/worded';
import {
  type ConnectionTestResult,
  type PresentedIdentity,
  type Trust,
  trustOf,
} from '../shared/schemas/connection';
import type { VsphereInventory } from '../shared/schemas/inventory';
import type { SecretBox } from './crypto';
import { HttpError } from './http';
import { openEndpointSession, unsealSecrets } from './sessions';
import type { Store } from './store';

function connectorFor(registry: ConnectorRegistry, kind: EndpointTarget['kind']): Connector {
  const c = registry[kind];
  if (!c) {
    throw new HttpError(501, 'internal', sayRefusal('refusal.noConnector', { kind }));
  }
  return c;
}

function describe(identity: PresentedIdentity): string {
  if (identity.kind === 'thumbprint') return `certificate ${identity.thumbprint}`;
  if (identity.kind === 'host-key') return `host key ${identity.fingerprint}`;
  return 'loopback';
}

/**
 * Connects, checks the identity against the pin (or learns it on first use), logs in and reads
 * who it is. Nothing is saved unless this succeeds; no credential is sent to an unverified peer.
 */
export async function verifyEndpoint(
  registry: ConnectorRegistry,
  target: EndpointTarget,
  secrets: ConnectionSecrets,
  trust: Trust | undefined,
  trustOnFirstUse: boolean,
  signal?: AbortSignal,
): Promise<{ trust: Trust; product: string; productWords?: Worded }> {
  const connector = connectorFor(registry, target.kind);
  let pinned = trust;
  if (!pinned) {
    if (!trustOnFirstUse) {
      throw new HttpError(400, 'untrusted-identity', sayRefusal('refusal.pinOrTrust'));
    }
    const first = await connector.test(target, {}, undefined, signal);
    if (first.status === 'ok') return { trust: trustOf(first.identity), ...productOf(first) };
    pinned = trustOf(first.identity);
  }
  const result = await connector.test(target, secrets, pinned, signal);
  if (result.status === 'ok') return { trust: pinned, ...productOf(result) };
  if (result.status === 'identity-changed') {
    throw new HttpError(
      409,
      'identity-changed',
      sayRefusal('refusal.identityChanged', { presented: describe(result.identity), pinned: result.pinned }),
      { presented: result.identity },
    );
  }
  throw new HttpError(
    409,
    'untrusted-identity',
    sayRefusal('refusal.identityUntrusted', { presented: describe(result.identity) }),
    {
      presented: result.identity,
    },
  );
}

/** What answered, with its words when the connector said it (Hyper-V on …) rather than the endpoint. */
function productOf(result: Extract<ConnectionTestResult, { status: 'ok' }>) {
  return result.productWords
    ? { product: result.product, productWords: result.productWords }
    : { product: result.product };
}

/** Re-tests a saved endpoint with its stored secret and pin. */
export async function testSavedEndpoint(
  store: Store,
  box: SecretBox,
  registry: ConnectorRegistry,
  idOrName: string,
): Promise<{
  status: 'ok' | 'identity-changed' | 'unreachable' | 'invalid-login' | 'error';
  product: string | null;
  message: string;
  messageWords?: Worded;
}> {
  const { endpoint, sealedSecret } = await store.endpoints.withSecret(idOrName);
  const secrets = unsealSecrets(box, sealedSecret);
  try {
    const { product, productWords } = await verifyEndpoint(
      registry,
      endpoint.target,
      secrets,
      endpoint.trust,
      false,
    );
    await store.endpoints.markVerified(endpoint.id, product);
    const answered = sayer(checkWordsEn)('check.endpoint.answeredAs', {
      name: endpoint.name,
      product: { text: product, words: productWords },
    });
    return { status: 'ok', product, message: answered.text, messageWords: answered.words };
  } catch (err) {
    const code = err instanceof ApiError ? err.code : 'internal';
    const { error: message, errorWords } = errorFields(err);
    const status =
      code === 'identity-changed'
        ? 'identity-changed'
        : code === 'unreachable' || code === 'timeout'
          ? 'unreachable'
          : code === 'invalid-login'
            ? 'invalid-login'
            : 'error';
    return { status, product: null, message, ...(errorWords ? { messageWords: errorWords } : {}) };
  }
}

/** Finds a VM by name on the site's vSphere endpoint(s): its id, OS family and retention datastore. */
export async function lookupVm(
  store: Store,
  box: SecretBox,
  registry: ConnectorRegistry,
  siteId: string,
  vmName: string,
  endpointHint?: string,
): Promise<{
  endpointId: string;
  vmId: string;
  osFamily: OsFamily;
  datastore: string | null;
  freeBytes: number | null;
}> {
  const endpoints = (await store.endpoints.list()).filter(
    (e) =>
      e.siteId === siteId &&
      e.target.kind === 'vsphere' &&
      (!endpointHint || e.id === endpointHint || e.name === endpointHint),
  );
  if (endpoints.length === 0) {
    throw new ApiError('not-found', sayRefusal('refusal.noVsphereEndpoint'));
  }
  const errors: string[] = [];
  for (const ep of endpoints) {
    try {
      const session = await openEndpointSession({ store, box, connectors: registry }, ep.id);
      try {
        const inv = (await session.source.fetchInventory()) as VsphereInventory;
        const vm = inv.vms.find((v) => v.name === vmName);
        if (!vm) continue;
        const dsId = vm.disks[0]?.datastore ?? null;
        const ds = inv.datastores.find((d) => d.id === dsId) ?? null;
        return {
          endpointId: ep.id,
          vmId: vm.id,
          osFamily: /^win/i.test(vm.guestOs ?? '') ? 'windows' : 'linux',
          datastore: ds?.name ?? null,
          freeBytes: ds?.freeBytes ?? null,
        };
      } finally {
        await session.close();
      }
    } catch (err) {
      errors.push(`${ep.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new ApiError(
    'not-found',
    errors.length
      ? sayRefusal('refusal.noVmBecause', { vm: vmName, errors: errors.join('; ') })
      : sayRefusal('refusal.noVm', { vm: vmName }),
  );
}
