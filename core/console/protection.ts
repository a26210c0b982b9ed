import type { ServerEvent } from '../../shared/configserver';
import { ApiError, errorFields } from '../../shared/errors';
import { sayClient } from '../../shared/i18n/client-words';
import type {
  Connection,
  ConnectionTarget,
  ConnectionTestResult,
  Trust,
} from '../../shared/schemas/connection';
import type { Job, JobProgress } from '../../shared/schemas/job';
import {
  applyProtectionChange,
  emptyProtectionChange,
  isEmptyProtectionChange,
  type ProtectionChanged,
  type ProtectionSnapshot,
} from '../../shared/schemas/protection';
import { ConfigServerClient, type ServerTls } from '../configserver';
import type { ConnectionSecrets } from '../inventory/source';
import { matchesPin, probeCertificate } from '../tls';

type ConfigServerTarget = Extract<ConnectionTarget, { kind: 'configserver' }>;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function tlsFor(trust: Trust | undefined): ServerTls | undefined {
  return trust?.kind === 'thumbprint' ? { thumbprint: trust.thumbprint } : undefined;
}

/**
 * Reaching a configuration server: https with a pinned certificate thumbprint (trust on first
 * use), or plain http on this machine only. The token is sent only after the identity checks out.
 */
export const configServerTester = {
  kind: 'configserver' as const,
  async test(
    target: ConfigServerTarget,
    secrets: ConnectionSecrets,
    trust: Trust | undefined,
    signal?: AbortSignal,
  ): Promise<ConnectionTestResult> {
    const url = new URL(target.url);
    let identity: Extract<ConnectionTestResult, { status: 'ok' }>['identity'];
    if (url.protocol === 'http:') {
      if (!LOOPBACK.has(url.hostname)) {
        throw new ApiError('invalid-input', sayClient('client.plainHttp', { host: url.host }));
      }
      identity = { kind: 'loopback' };
      if (!trust) return { status: 'confirm-identity', identity };
    } else {
      const probe = await probeCertificate(url);
      identity = { kind: 'thumbprint', thumbprint: probe.thumbprint, subject: probe.subject };
      if (!trust) return { status: 'confirm-identity', identity };
      if (trust.kind !== 'thumbprint' || !matchesPin(probe.thumbprint, trust.thumbprint)) {
        return {
          status: 'identity-changed',
          identity,
          pinned: trust.kind === 'thumbprint' ? trust.thumbprint : '(none)',
        };
      }
    }
    if (!secrets.token) {
      throw new ApiError('invalid-login', sayClient('client.tokenNeeded'));
    }
    const client = new ConfigServerClient({ url: target.url, token: secrets.token, tls: tlsFor(trust) });
    try {
      signal?.throwIfAborted();
      const who = await client.whoami();
      const health = await client.healthz();
      const product = sayClient('client.product.configserver', {
        version: health.version,
        role: who.role,
        token: who.name,
      });
      return { status: 'ok', identity, product: product.text, productWords: product.words };
    } catch (err) {
      if (err instanceof ApiError && err.code === 'unauthorized') {
        throw new ApiError('invalid-login', sayClient('client.tokenRefused'));
      }
      throw err;
    } finally {
      client.close();
    }
  },
};

interface Server {
  connection: Connection;
  client: ConfigServerClient;
  snapshot: ProtectionSnapshot;
  pending: ProtectionChanged;
  flushTimer: NodeJS.Timeout | null;
  close(): void;
}

export interface ProtectionHubEvents {
  changed(change: ProtectionChanged): void;
  job(progress: JobProgress): void;
}

const FLUSH_MS = 250;

/**
 * Keeps one live snapshot per configuration server: loaded once over REST, then patched from the
 * event stream (which resumes from its last id after a drop). Changes go out in batches so that a
 * thousand pairs reporting every second cost the console a few messages, not thousands.
 */
export class ProtectionHub {
  private readonly servers = new Map<string, Server>();
  private readonly opening = new Map<string, Promise<Server>>();

  constructor(private readonly events: ProtectionHubEvents) {}

  async snapshot(
    connection: Connection,
    secrets: ConnectionSecrets,
    signal?: AbortSignal,
  ): Promise<ProtectionSnapshot> {
    const existing = this.servers.get(connection.id);
    if (existing) return existing.snapshot;
    let opening = this.opening.get(connection.id);
    if (!opening) {
      opening = this.open(connection, secrets, signal).finally(() => this.opening.delete(connection.id));
      this.opening.set(connection.id, opening);
    }
    return (await opening).snapshot;
  }

  /** The live client of a configuration server connection, opening it when it is not yet. */
  async client(
    connection: Connection,
    secrets: ConnectionSecrets,
    signal?: AbortSignal,
  ): Promise<ConfigServerClient> {
    await this.snapshot(connection, secrets, signal);
    const server = this.servers.get(connection.id);
    if (!server)
      throw new ApiError('unreachable', sayClient('client.notConnected', { name: connection.name }));
    return server.client;
  }

  /** Recent jobs of an open server (none for one that is not open). */
  async jobs(connectionId: string, limit = 200): Promise<Job[]> {
    const server = this.servers.get(connectionId);
    return server ? server.client.listJobs({ limit }) : [];
  }

  snapshots(): ProtectionSnapshot[] {
    return [...this.servers.values()].map((s) => s.snapshot);
  }

  private async open(
    connection: Connection,
    secrets: ConnectionSecrets,
    signal?: AbortSignal,
  ): Promise<Server> {
    if (connection.target.kind !== 'configserver') throw new Error('not a configuration server connection');
    if (!secrets.token)
      throw new ApiError('invalid-login', sayClient('client.noTokenStored', { name: connection.name }));
    const client = new ConfigServerClient({
      url: connection.target.url,
      token: secrets.token,
      tls: tlsFor(connection.trust ?? undefined),
    });
    // Subscribe first and load once the stream is live, replaying what arrived meanwhile: no change
    // can fall between the snapshot and the first event.
    let server: Server | null = null;
    const early: ServerEvent[] = [];
    let streamReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => {
      streamReady = resolve;
    });
    const subscription = client.subscribe(
      (event) => {
        if (server) this.onEvent(server, event);
        else early.push(event);
      },
      {
        onStatus: (status) => {
          if (status.type === 'ready') streamReady();
          if (!server) return;
          const s = server;
          if (status.type === 'reset') void this.reload(s);
          if (status.type === 'reconnecting' || status.type === 'closed') {
            const lost = status.message
              ? sayClient('client.streamLostBecause', {
                  name: connection.name,
                  error: { text: status.message, words: status.messageWords },
                })
              : sayClient('client.streamLost', { name: connection.name });
            this.queue(s, (c) => {
              c.error = lost.text;
              c.errorWords = lost.words;
            });
          }
          if (status.type === 'ready' && s.snapshot.error) {
            // The stream resumed where it stopped (a gap would have come as 'reset' above).
            this.queue(s, (c) => {
              c.error = null;
            });
          }
        },
      },
    );
    try {
      await Promise.race([ready, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      const snapshot = await load(client, connection);
      signal?.throwIfAborted();
      const opened: Server = {
        connection,
        client,
        snapshot,
        pending: emptyProtectionChange(connection.id),
        flushTimer: null,
        close: () => {
          subscription.close();
          client.close();
          if (opened.flushTimer) clearTimeout(opened.flushTimer);
        },
      };
      server = opened;
      for (const event of early.splice(0)) this.onEvent(opened, event);
      this.servers.set(connection.id, opened);
      return opened;
    } catch (err) {
      subscription.close();
      client.close();
      throw err;
    }
  }

  private async reload(server: Server): Promise<void> {
    try {
      const snapshot = await load(server.client, server.connection);
      this.queue(server, (c) => {
        c.replace = snapshot;
      });
    } catch (err) {
      this.queue(server, (c) => {
        Object.assign(c, errorFields(err));
      });
    }
  }

  private onEvent(server: Server, event: ServerEvent): void {
    switch (event.type) {
      case 'pair.state':
        this.queue(server, (c) => c.upsert.pairs.push(event.payload.pair));
        break;
      case 'pair.stats': {
        const pair = server.snapshot.pairs.find((p) => p.id === event.payload.pairId);
        if (pair)
          this.queue(server, (c) =>
            c.upsert.pairs.push({ ...pair, stats: event.payload.stats, health: event.payload.health }),
          );
        break;
      }
      case 'pair.removed':
        this.queue(server, (c) => c.remove.pairs.push(event.payload.pairId));
        break;
      case 'alert.raised':
        this.queue(server, (c) => c.upsert.alerts.push(event.payload.alert));
        break;
      case 'alert.cleared':
        this.queue(server, (c) => c.remove.alerts.push(event.payload.alert.id));
        break;
      case 'process-server.health':
        this.queue(server, (c) => c.upsert.processServers.push(event.payload.processServer));
        break;
      case 'job.progress':
        this.events.job({ job: event.payload.job });
        break;
      case 'entity.changed':
        if (['site', 'process-server', 'master-target', 'plan'].includes(event.payload.entity))
          void this.reload(server);
        break;
      case 'recovery-point':
        break;
    }
  }

  /** Folds a change into the pending batch and into the snapshot; sends the batch shortly after. */
  private queue(server: Server, fill: (change: ProtectionChanged) => void): void {
    const one = emptyProtectionChange(server.connection.id);
    fill(one);
    server.snapshot = applyProtectionChange(server.snapshot, one);
    if (one.replace) {
      server.pending = one;
    } else {
      const p = server.pending;
      if (one.error !== undefined) {
        p.error = one.error;
        p.errorWords = one.errorWords;
      }
      for (const key of Object.keys(one.upsert) as Array<keyof ProtectionChanged['upsert']>) {
        (p.upsert[key] as unknown[]).push(...one.upsert[key]);
        p.remove[key].push(...one.remove[key]);
      }
      if (p.replace) p.replace = server.snapshot;
    }
    if (!server.flushTimer) {
      server.flushTimer = setTimeout(() => {
        server.flushTimer = null;
        const batch = server.pending;
        server.pending = emptyProtectionChange(server.connection.id);
        if (!isEmptyProtectionChange(batch)) this.events.changed(dedupe(batch));
      }, FLUSH_MS);
    }
  }

  close(connectionId: string): void {
    this.servers.get(connectionId)?.close();
    this.servers.delete(connectionId);
  }

  closeAll(): void {
    for (const id of [...this.servers.keys()]) this.close(id);
  }
}

/** Keeps only the last upsert per id, and drops upserts of records removed later in the batch. */
function dedupe(change: ProtectionChanged): ProtectionChanged {
  if (change.replace) return change;
  for (const key of Object.keys(change.upsert) as Array<keyof ProtectionChanged['upsert']>) {
    const removed = new Set(change.remove[key]);
    const last = new Map<string, { id: string }>();
    for (const x of change.upsert[key] as Array<{ id: string }>) last.set(x.id, x);
    (change.upsert as Record<string, unknown[]>)[key] = [...last.values()].filter((x) => !removed.has(x.id));
  }
  return change;
}

async function load(client: ConfigServerClient, connection: Connection): Promise<ProtectionSnapshot> {
  const [sites, processServers, masterTargets, plans, pairs, alerts] = await Promise.all([
    client.listSites(),
    client.listProcessServers(),
    client.listMasterTargets(),
    client.listPlans(),
    client.listPairs(),
    client.listAlerts(),
  ]);
  return {
    connectionId: connection.id,
    connectionName: connection.name,
    url: connection.target.kind === 'configserver' ? connection.target.url : '',
    error: null,
    sites,
    processServers,
    masterTargets,
    plans,
    pairs,
    alerts: alerts.filter((a) => a.clearedAt === null),
  };
}
