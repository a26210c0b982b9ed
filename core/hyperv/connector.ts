import { ApiError } from '../../shared/errors';
import { sayClient } from '../../shared/i18n/client-words';
import type { ConnectionTarget, ConnectionTestResult, Trust } from '../../shared/schemas/connection';
import type { HypervInventory } from '../../shared/schemas/inventory';
import type {
  ConnectionSecrets,
  Connector,
  EndpointSource,
  HypervSource,
  InventoryChange,
} from '../inventory/source';
import { HypervClient } from './client';
import { diffInventory, toInventoryDocument } from './inventory';
import { HypervOperations } from './operations';
import { probeHostKey, SshSession, type SshSessionOptions } from './ssh';

export type HypervTarget = Extract<ConnectionTarget, { kind: 'hyperv' }>;

export interface HypervConnectorOptions {
  /** Polling period of watch(); Hyper-V has no change feed over SSH. */
  pollIntervalMs?: number;
  /** Timeouts, keep-alive, channel bound and backoff of the SSH session. */
  session?: Partial<
    Omit<
      SshSessionOptions,
      'host' | 'port' | 'username' | 'password' | 'privateKey' | 'hostKey' | 'hostKeyAlgorithm'
    >
  >;
}

function pinnedKey(
  target: HypervTarget,
  trust: Trust | undefined,
): { hostKey: string; hostKeyAlgorithm?: string } {
  if (!trust) {
    throw new ApiError(
      'untrusted-identity',
      sayClient('client.hyperv.notPinned', { endpoint: `${target.host}:${target.port}` }),
    );
  }
  if (trust.kind !== 'host-key') {
    throw new ApiError(
      'invalid-input',
      sayClient(
        trust.kind === 'thumbprint' ? 'client.hyperv.trustThumbprint' : 'client.hyperv.trustLoopback',
      ),
    );
  }
  return { hostKey: trust.fingerprint, hostKeyAlgorithm: trust.algorithm };
}

function checkSecrets(target: HypervTarget, secrets: ConnectionSecrets): void {
  if (!secrets.password && !secrets.privateKey) {
    throw new ApiError(
      'invalid-input',
      sayClient('client.hyperv.noSecret', { user: target.username, host: target.host }),
    );
  }
}

/** Opens a session and the typed client on a pinned host; the DR workflows use this directly. */
export async function openHypervClient(
  target: HypervTarget,
  secrets: ConnectionSecrets & { passphrase?: string },
  trust: Trust,
  opts: HypervConnectorOptions = {},
  signal?: AbortSignal,
): Promise<{ client: HypervClient; session: SshSession }> {
  checkSecrets(target, secrets);
  const session = new SshSession({
    ...opts.session,
    host: target.host,
    port: target.port ?? 22,
    username: target.username,
    password: secrets.password,
    privateKey: secrets.privateKey,
    passphrase: secrets.passphrase,
    ...pinnedKey(target, trust),
  });
  try {
    await session.connect(signal);
  } catch (err) {
    await session.close();
    throw err;
  }
  return { client: new HypervClient(session), session };
}

/** The inventory source of one Hyper-V host, plus its typed client for the DR workflows. */
export class HypervInventorySource implements HypervSource {
  readonly kind = 'hyperv' as const;
  /** The connector-neutral operations the DR workflows use (power and lookups on Hyper-V). */
  readonly operations: HypervOperations;
  private last: HypervInventory | null = null;
  private readonly stops = new Set<() => void>();

  constructor(
    readonly client: HypervClient,
    private readonly session: SshSession,
    private readonly target: { host: string; port: number },
    private readonly pollIntervalMs = 15_000,
  ) {
    this.operations = new HypervOperations(client);
  }

  async fetchInventory(signal?: AbortSignal): Promise<HypervInventory> {
    const raw = await this.client.getInventory({ signal });
    const doc = toInventoryDocument(raw, this.target);
    this.last = doc;
    return doc;
  }

  watch(
    listener: (change: InventoryChange<HypervInventory>) => void,
    onError?: (err: Error) => void,
  ): () => void {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const controller = new AbortController();
    const poll = async () => {
      try {
        const before = this.last;
        const after = await this.fetchInventory(controller.signal);
        if (stopped) return;
        if (before) for (const change of diffInventory(before, after)) listener(change);
      } catch (err) {
        if (!stopped) onError?.(err as Error);
      } finally {
        if (!stopped) timer = setTimeout(poll, this.pollIntervalMs);
      }
    };
    timer = setTimeout(poll, this.last ? this.pollIntervalMs : 0);
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
      this.stops.delete(stop);
    };
    this.stops.add(stop);
    return stop;
  }

  async close(): Promise<void> {
    for (const stop of [...this.stops]) stop();
    await this.session.close();
  }
}

/** open() with its precise type: the inventory source and, on it, the typed client. */
export async function openHypervSource(
  target: HypervTarget,
  secrets: ConnectionSecrets & { passphrase?: string },
  trust: Trust,
  opts: HypervConnectorOptions = {},
  signal?: AbortSignal,
): Promise<HypervInventorySource> {
  const { client, session } = await openHypervClient(target, secrets, trust, opts, signal);
  return new HypervInventorySource(
    client,
    session,
    { host: target.host, port: target.port ?? 22 },
    opts.pollIntervalMs,
  );
}

export function createHypervConnector(opts: HypervConnectorOptions = {}): Connector<HypervTarget> {
  return {
    kind: 'hyperv',

    async test(target, secrets, trust, signal): Promise<ConnectionTestResult> {
      const port = target.port ?? 22;
      if (!trust) {
        const key = await probeHostKey(target.host, port, {
          signal,
          timeoutMs: opts.session?.readyTimeoutMs,
        });
        return { status: 'confirm-identity', identity: { kind: 'host-key', ...key } };
      }
      let session: SshSession | undefined;
      try {
        const opened = await openHypervClient(target, secrets, trust, opts, signal);
        session = opened.session;
        const host = await opened.client.getVMHost({ signal });
        const presented = session.presentedKey!;
        const machine = host.fqdn ?? host.name;
        const product = host.os
          ? sayClient('client.product.hyperv', { os: host.os, host: machine })
          : sayClient('client.product.hypervWindows', { host: machine });
        return {
          status: 'ok',
          identity: { kind: 'host-key', ...presented },
          product: product.text,
          productWords: product.words,
        };
      } catch (err) {
        if (err instanceof ApiError && err.code === 'identity-changed') {
          const d = err.details as { pinned: string; presented: string; algorithm?: string };
          return {
            status: 'identity-changed',
            identity: { kind: 'host-key', fingerprint: d.presented, algorithm: d.algorithm },
            pinned: d.pinned,
          };
        }
        throw err;
      } finally {
        await session?.close();
      }
    },

    async open(target, secrets, trust, signal): Promise<EndpointSource> {
      // InventorySource<InventoryDocument> types watch() over the union's common collections only
      // (core/inventory/source.ts), which "switches" is not; the object is a valid HypervSource.
      return openHypervSource(target, secrets, trust, opts, signal);
    },
  };
}

export const hypervConnector: Connector<HypervTarget> = createHypervConnector();
