import type { EndpointOperations } from '../core/inventory/operations';
import type { ConnectionSecrets, ConnectorRegistry, EndpointSource } from '../core/inventory/source';
import type { Endpoint } from '../shared/configserver';
import { ApiError } from '../shared/errors';
import type { SecretBox } from './crypto';
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

  constructor(
    private readonly deps: SessionDeps,
    /** Shared by the pools of one runner: the cap holds across jobs. */
    private readonly limiters: Map<string, Limiter> = new Map(),
    private readonly perEndpoint = DEFAULT_ENDPOINT_TASK_CAP,
  ) {}

  get(endpointId: string, signal?: AbortSignal): Promise<EndpointSession> {
    let s = this.open.get(endpointId);
    if (!s) {
      s = openEndpointSession(this.deps, endpointId, signal).then((session) => {
        let limiter = this.limiters.get(session.endpoint.id);
        if (!limiter) {
          limiter = new Limiter(this.perEndpoint);
          this.limiters.set(session.endpoint.id, limiter);
        }
        return { ...session, operations: limitOperations(session.operations, limiter) };
      });
      this.open.set(endpointId, s);
      s.catch(() => this.open.delete(endpointId));
    }
    return s;
  }

  /** Closes every session, so that the next use of an endpoint reconnects (after a dropped connection). */
  async dropBroken(): Promise<void> {
    await this.closeAll();
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

/**
 * Concurrent vCenter tasks this server runs per endpoint unless `--endpoint-task-cap` says
 * otherwise. vCenter queues the tasks it cannot run yet rather than refusing them, and its own
 * throttling is per host and datastore (the resource costs of "Limits on Simultaneous
 * Migrations": 8 per ESXi host, 128 per datastore); the cap is there so that one failover does
 * not flood a vCenter others use with hundreds of queued tasks. 16 keeps two hosts' worth of
 * operations running, enough for a plan's parallelism of 10-16, and stays far below what a
 * vCenter serves.
 */
export const DEFAULT_ENDPOINT_TASK_CAP = 16;

/** A counting semaphore: at most `max` calls run at once, the others wait in order. */
export class Limiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Most calls seen running at once (the benchmark and tests read it). */
  peak = 0;

  constructor(readonly max: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((r) => this.waiting.push(r));
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    try {
      return await fn();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * The operations of one endpoint under its limiter: a plan's parallelism may be high, but one
 * vCenter never runs more than the cap of this server's tasks at once. Only tasks count (each
 * `…_Task` method from its start to its end, a resumed wait on one included): vCenter's own
 * limits are on concurrent tasks and provisioning operations, while reads go through the property
 * collector, which serves many at once, so holding a slot for a read would only starve the tasks.
 * A Hyper-V host has no task objects: every call is a PowerShell command that does its work before
 * it returns, so there every call counts.
 */
export function limitOperations(ops: EndpointOperations, limiter: Limiter): EndpointOperations {
  if (ops.kind === 'vsphere') return ops.bind({ taskSlot: (task) => limiter.run(task) });
  return new Proxy(ops, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'bind') {
        return (defaults: Parameters<EndpointOperations['bind']>[0]) =>
          limitOperations(target.bind(defaults), limiter);
      }
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        limiter.run(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });
}
