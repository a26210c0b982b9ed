import { ApiError } from '../../shared/errors';
import { sayClient } from '../../shared/i18n/client-words';
import type { ConnectionTarget, ConnectionTestResult, Trust } from '../../shared/schemas/connection';
import type { VsphereInventory, VsphereVm } from '../../shared/schemas/inventory';
import type {
  ConnectionSecrets,
  Connector,
  EndpointSource,
  InventoryChange,
  VsphereSource,
} from '../inventory/source';
import { normalizeThumbprint } from '../tls';
import { VimClient } from './client';
import { fetchInventoryModel, type InventoryModel, newModel, streamInventory } from './inventory';
import { VsphereOperations } from './operations';
import { probeCertificate } from './transport';
import type { VmOperations } from './vm';
import { type WatchOptions, watchInventory } from './watch';

export type VsphereTarget = Extract<ConnectionTarget, { kind: 'vsphere' }>;

function pinnedThumbprint(trust: Trust): string {
  if (trust.kind !== 'thumbprint') {
    throw new ApiError('invalid-input', sayClient('client.vsphere.trust', { kind: trust.kind }));
  }
  return normalizeThumbprint(trust.thumbprint);
}

function passwordOf(secrets: ConnectionSecrets): string {
  if (!secrets.password) {
    throw new ApiError('invalid-input', sayClient('client.vsphere.noPassword'));
  }
  return secrets.password;
}

/**
 * An open vSphere endpoint: the inventory (full reads and live updates) and, for the DR
 * workflows, the session and VM operations.
 */
export class VsphereInventorySource implements VsphereSource {
  readonly kind = 'vsphere' as const;
  /** The connector-neutral operations the DR workflows use. */
  readonly operations: VsphereOperations;
  /** The vSphere VM operations themselves (managed object references, controller keys). */
  readonly vm: VmOperations;
  private model: InventoryModel | undefined;
  private readonly stops = new Set<() => void>();

  constructor(
    readonly client: VimClient,
    private readonly watchOptions: WatchOptions = {},
  ) {
    this.operations = new VsphereOperations(client);
    this.vm = this.operations.vm;
  }

  async fetchInventory(signal?: AbortSignal): Promise<VsphereInventory> {
    this.model = await fetchInventoryModel(this.client, { signal });
    return this.model.build();
  }

  /**
   * The document piece by piece, nothing kept (a big estate's JSON): the document without its
   * VMs, then each VM (streamInventory). A later watch starts from an empty model.
   */
  streamInventory(
    onHead: (doc: VsphereInventory) => void,
    onVm: (vm: VsphereVm) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    return streamInventory(this.client, onHead, onVm, { signal });
  }

  watch(
    listener: (change: InventoryChange<VsphereInventory>) => void,
    onError?: (err: Error) => void,
  ): () => void {
    // Without a fetch first, the first answer of the watch emits every object.
    this.model ??= newModel(this.client);
    const stop = watchInventory(this.client, this.model, listener, onError, this.watchOptions);
    const wrapped = () => {
      this.stops.delete(wrapped);
      stop();
    };
    this.stops.add(wrapped);
    return wrapped;
  }

  async close(): Promise<void> {
    for (const stop of [...this.stops]) stop();
    await this.client.close();
  }
}

export interface OpenOptions {
  timeoutMs?: number;
  watch?: WatchOptions;
}

/** Opens a session with a pinned thumbprint (or a CA bundle). */
export async function openVsphere(
  target: VsphereTarget,
  secrets: ConnectionSecrets,
  trust: Trust,
  signal?: AbortSignal,
  options: OpenOptions = {},
): Promise<VsphereInventorySource> {
  const client = await VimClient.connect(
    {
      url: target.url,
      trust: { kind: 'thumbprint', thumbprint: pinnedThumbprint(trust) },
      username: target.username,
      password: passwordOf(secrets),
      timeoutMs: options.timeoutMs,
    },
    signal,
  );
  return new VsphereInventorySource(client, options.watch);
}

export const vsphereConnector: Connector<VsphereTarget> = {
  kind: 'vsphere',

  /**
   * Without trust: reports the presented thumbprint and sends nothing (trust on first use).
   * With a pinned thumbprint: refuses a different certificate before any credential is sent,
   * then logs in and out to check the credentials.
   */
  async test(target, secrets, trust, signal): Promise<ConnectionTestResult> {
    const presented = await probeCertificate(target.url, { signal });
    const identity = {
      kind: 'thumbprint' as const,
      thumbprint: presented.thumbprint,
      subject: presented.subject,
    };
    if (!trust) return { status: 'confirm-identity', identity };
    const pinned = pinnedThumbprint(trust);
    if (pinned !== presented.thumbprint) return { status: 'identity-changed', identity, pinned };
    const source = await openVsphere(target, secrets, trust, signal);
    try {
      return { status: 'ok', identity, product: source.client.serviceContent.about.fullName };
    } finally {
      await source.close();
    }
  },

  /** The console's seam; use openVsphere() for the precise type (client and operations). */
  async open(target, secrets, trust, signal): Promise<EndpointSource> {
    // InventorySource's default is the union of documents, whose change type the vSphere
    // listener cannot satisfy; the source only ever emits vSphere changes.
    return openVsphere(target, secrets, trust, signal);
  },
};
