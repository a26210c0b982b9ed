import type { EndpointOperations } from '../core/inventory/operations';
import type { ConnectionSecrets, EndpointSource } from '../core/inventory/source';
import type { Endpoint } from '../shared/configserver';
import { ApiError } from '../shared/errors';
import type { SecretBox } from './crypto';
import type { ConnectorRegistry } from './endpoints';
import type { Store } from './store';

/** What opening an endpoint needs: the saved endpoints, the key to their secrets, the connectors. */
export interface SessionDeps {
  store: Store;
  /** Absent where nothing may be unsealed (a runner without endpoint access). */
  box: SecretBox | undefined;
  connectors: ConnectorRegistry;
}

/** One open endpoint: its record, its inventory and the operations a workflow step acts through. */
export interface EndpointSession {
  readonly endpoint: Endpoint;
  readonly source: EndpointSource;
  readonly operations: EndpointOperations;
  close(): Promise<void>;
}

/** The secrets of a saved endpoint, unsealed in memory only. */
export function unsealSecrets(box: SecretBox | undefined, sealed: string | null): ConnectionSecrets {
  if (!sealed) return {};
  if (!box) throw new ApiError('internal', 'this job runner was started without the key to endpoint secrets');
  return JSON.parse(box.open(sealed)) as ConnectionSecrets;
}

/**
 * Opens a saved endpoint: unseals its secret, connects with its pinned identity (a connector
 * refuses a different one before sending the credential) and logs in. The caller closes it.
 */
export async function openEndpointSession(
  deps: SessionDeps,
  endpointId: string,
  signal?: AbortSignal,
): Promise<EndpointSession> {
  const { endpoint, sealedSecret } = await deps.store.endpoints.withSecret(endpointId);
  const connector = deps.connectors[endpoint.target.kind];
  if (!connector) {
    throw new ApiError(
      'internal',
      `this configuration server was started without a ${endpoint.target.kind} connector; it cannot open ${endpoint.name}`,
    );
  }
  const source = await connector.open(
    endpoint.target,
    unsealSecrets(deps.box, sealedSecret),
    endpoint.trust,
    signal,
  );
  return {
    endpoint,
    source,
    operations: source.operations,
    close: () => source.close(),
  };
}

/**
 * The sessions of one job: each endpoint is opened once, on first use, and every session is
 * closed when the job ends. Failed opens are not kept, so a retried step opens again.
 */
export class SessionPool {
  private readonly open = new Map<string, Promise<EndpointSession>>();

  constructor(private readonly deps: SessionDeps) {}

  get(endpointId: string, signal?: AbortSignal): Promise<EndpointSession> {
    let s = this.open.get(endpointId);
    if (!s) {
      s = openEndpointSession(this.deps, endpointId, signal);
      this.open.set(endpointId, s);
      s.catch(() => this.open.delete(endpointId));
    }
    return s;
  }

  /** Forgets a session whose connection broke (the next get opens a new one). */
  async drop(endpointId: string): Promise<void> {
    const s = this.open.get(endpointId);
    this.open.delete(endpointId);
    await s?.then((x) => x.close()).catch(() => {});
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((s) => s.then((x) => x.close()).catch(() => {})));
  }
}
