import WebSocket from 'ws';
import type { z } from 'zod';
import {
  type agentRegisterInputSchema,
  configServerApi as api,
  type EndpointCreateInput,
  eventStreamPath,
  type JobCreateInput,
  type MasterTargetConfigureInput,
  type masterTargetCreateInputSchema,
  type PairState,
  type PairStatsInput,
  type PlanSpecInput,
  type ProcessServerHealth,
  type pairCreateInputSchema,
  type ReadinessKind,
  type ReplicationErrorKind,
  type Resource,
  type Role,
  type RouteDef,
  routePath,
  type ServerEvent,
  type Settings,
  serverEventSchema,
  streamControlSchema,
} from '../../shared/configserver';
import { ApiError } from '../../shared/errors';
import { sayClient } from '../../shared/i18n/client-words';
import type { Worded } from '../../shared/i18n/worded';
import type { SiteRole } from '../../shared/schemas/connection';
import type { JobState } from '../../shared/schemas/job';
import { type ServerTls, Transport } from './transport';

export interface ConfigServerClientOptions {
  /** http://127.0.0.1:port or https://host:port */
  url: string;
  token: string;
  tls?: ServerTls;
  timeoutMs?: number;
}

export interface SubscribeOptions {
  /** Resume after this event id; omit to start at the present. */
  since?: string;
  /** Only these event types. */
  types?: ServerEvent['type'][];
  /** ready: backlog replayed; reset: the id was too old, reload state; reconnecting: connection lost. */
  onStatus?: (status: {
    type: 'ready' | 'reset' | 'reconnecting' | 'closed';
    lastId: string | null;
    message?: string;
    /** The words of `message` when the client said it (shared/i18n/client-words.ts). */
    messageWords?: Worded;
  }) => void;
  /** Reconnect automatically after a drop, resuming from the last id (default true). */
  reconnect?: boolean;
}

export interface EventSubscription {
  /** Id of the last event delivered: hand it to a later subscribe to resume. */
  readonly lastId: string | null;
  close(): void;
}

const q = (params: Record<string, string | number | boolean | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) s.set(k, String(v));
  const text = s.toString();
  return text ? `?${text}` : '';
};

/** What one call sends: the route's `:params`, its query string and its body. */
interface CallInput {
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Instead of the client's timeout, for a call that is slow by nature. */
  timeoutMs?: number;
}

/**
 * Typed client for the configuration server's REST API, agent API and event stream. Every answer
 * is parsed with the shared schemas, so a server that drifts from the contract fails loudly here.
 */
export class ConfigServerClient {
  private readonly transport: Transport;
  private readonly subscriptions = new Set<EventSubscription>();

  constructor(private readonly options: ConfigServerClientOptions) {
    this.transport = new Transport(options.url, options.tls, options.timeoutMs);
  }

  get url(): string {
    return this.transport.url.toString();
  }

  /**
   * One call of the route table: the path is built from the resource's prefix and the route's
   * `:params`, and the answer is parsed with the route's response schema.
   */
  private async call<Routes extends Record<string, RouteDef>, K extends keyof Routes & string>(
    resource: Resource<Routes>,
    name: K,
    input: CallInput = {},
    signal?: AbortSignal,
  ): Promise<z.output<Routes[K]['response']>> {
    const def = resource.routes[name]!;
    const path = routePath(resource.prefix, def, input.params) + (input.query ? q(input.query) : '');
    const headers: Record<string, string> =
      def.access === 'public' ? {} : { authorization: `Bearer ${this.options.token}` };
    const raw = await this.transport.request<unknown>(
      def.method,
      path,
      headers,
      input.body,
      signal,
      input.timeoutMs,
    );
    const parsed = def.response.safeParse(raw);
    if (!parsed.success) {
      throw new ApiError(
        'invalid-output',
        sayClient('client.serverAnswer', {
          method: def.method,
          path,
          issue: parsed.error.issues[0]?.message ?? 'invalid',
        }),
      );
    }
    return parsed.data as z.output<Routes[K]['response']>;
  }

  /** Closes keep-alive connections and every event subscription of this client. */
  close(): void {
    for (const s of this.subscriptions) s.close();
    this.transport.close();
  }

  // ---------------------------------------------------------------- ops and auth
  healthz() {
    return this.call(api.health, 'get');
  }
  whoami() {
    return this.call(api.whoami, 'get');
  }
  async listTokens() {
    return (await this.call(api.tokens, 'list')).items;
  }
  createToken(name: string, role: Role) {
    return this.call(api.tokens, 'create', { body: { name, role } });
  }
  revokeToken(idOrName: string) {
    return this.call(api.tokens, 'revoke', { params: { id: idOrName } });
  }
  async audit(limit = 100, before?: string) {
    return (await this.call(api.audit, 'list', { query: { limit, before } })).items;
  }
  getSettings() {
    return this.call(api.settings, 'get');
  }
  putSettings(settings: Settings) {
    return this.call(api.settings, 'put', { body: settings });
  }

  // ---------------------------------------------------------------- estate
  async listSites() {
    return (await this.call(api.sites, 'list')).items;
  }
  addSite(name: string, role: SiteRole) {
    return this.call(api.sites, 'create', { body: { name, role } });
  }
  /** What the server reads of a site (by id or name): each endpoint's inventory or why it could not. */
  siteInventory(idOrName: string) {
    return this.call(api.sites, 'inventory', { params: { id: idOrName } });
  }
  async listEndpoints() {
    return (await this.call(api.endpoints, 'list')).items;
  }
  addEndpoint(input: EndpointCreateInput, signal?: AbortSignal) {
    return this.call(api.endpoints, 'create', { body: input }, signal);
  }
  testEndpoint(idOrName: string) {
    return this.call(api.endpoints, 'test', { params: { id: idOrName } });
  }
  /** The endpoint's inventory as the server reads it now (with its stored credentials). */
  endpointInventory(idOrName: string, signal?: AbortSignal) {
    // The server answers only once it has read the whole vCenter: minutes for a large one far away.
    const timeoutMs = Math.max(this.options.timeoutMs ?? 0, 10 * 60_000);
    return this.call(api.endpoints, 'inventory', { params: { id: idOrName }, timeoutMs }, signal);
  }
  removeEndpoint(idOrName: string) {
    return this.call(api.endpoints, 'remove', { params: { id: idOrName } });
  }
  async listProcessServers() {
    return (await this.call(api.processServers, 'list')).items;
  }
  addProcessServer(input: { site: string; name: string; host: string }) {
    return this.call(api.processServers, 'create', { body: input });
  }
  async listMasterTargets() {
    return (await this.call(api.masterTargets, 'list')).items;
  }
  getMasterTarget(idOrName: string) {
    return this.call(api.masterTargets, 'get', { params: { id: idOrName } });
  }
  addMasterTarget(input: z.input<typeof masterTargetCreateInputSchema>) {
    return this.call(api.masterTargets, 'create', { body: input });
  }
  /** What configuring this VM as a master target would find and change; changes nothing. */
  checkMasterTarget(input: MasterTargetConfigureInput) {
    return this.call(api.masterTargets, 'check', { body: input });
  }
  /** Queues the configure-master-target job (admin); follow it like any job. */
  configureMasterTarget(input: MasterTargetConfigureInput, options: { dryRun?: boolean } = {}) {
    return this.createJob({
      kind: 'configure-master-target',
      dryRun: options.dryRun ?? false,
      input: input as Record<string, unknown>,
    });
  }
  async listAgents() {
    return (await this.call(api.agents, 'list')).items;
  }

  // ---------------------------------------------------------------- protection
  async listPlans() {
    return (await this.call(api.plans, 'list')).items;
  }
  getPlan(idOrName: string) {
    return this.call(api.plans, 'get', { params: { id: idOrName } });
  }
  /** Checks a plan file (any JSON value: the server reports schema errors by field path). */
  validatePlan(plan: PlanSpecInput | unknown) {
    return this.call(api.plans, 'validate', { body: { plan } });
  }
  /** Creates or replaces the plan; `expectUpdatedAt` refuses it when the plan changed since review. */
  applyPlan(plan: PlanSpecInput | unknown, expectUpdatedAt?: string | null) {
    return this.call(api.plans, 'apply', {
      body: expectUpdatedAt === undefined ? { plan } : { plan, expectUpdatedAt },
    });
  }
  /** Readiness checks of a plan before a workflow of this kind. */
  planReadiness(idOrName: string, kind: ReadinessKind = 'protect') {
    return this.call(api.plans, 'readiness', { params: { id: idOrName }, query: { for: kind } });
  }
  removePlan(idOrName: string) {
    return this.call(api.plans, 'remove', { params: { id: idOrName } });
  }
  async listPairs(filter: { state?: PairState; plan?: string } = {}) {
    return (await this.call(api.pairs, 'list', { query: filter })).items;
  }
  getPair(id: string) {
    return this.call(api.pairs, 'get', { params: { id } });
  }
  addPair(input: z.input<typeof pairCreateInputSchema>) {
    return this.call(api.pairs, 'create', { body: input });
  }
  transitionPair(id: string, to: PairState, reason?: string) {
    return this.call(api.pairs, 'transition', { params: { id }, body: reason ? { to, reason } : { to } });
  }
  resyncPair(id: string) {
    return this.call(api.pairs, 'resync', { params: { id } });
  }
  removePair(id: string) {
    return this.call(api.pairs, 'remove', { params: { id } });
  }
  async recoveryPoints(pairId: string, limit = 500) {
    return (await this.call(api.pairs, 'recoveryPoints', { params: { id: pairId }, query: { limit } })).items;
  }
  async listAlerts(options: { all?: boolean } = {}) {
    return (await this.call(api.alerts, 'list', { query: { all: options.all ? 'true' : undefined } })).items;
  }

  // ---------------------------------------------------------------- jobs
  async listJobs(filter: { state?: JobState; limit?: number } = {}) {
    return (await this.call(api.jobs, 'list', { query: filter })).items;
  }
  getJob(id: string) {
    return this.call(api.jobs, 'get', { params: { id } });
  }
  createJob(input: JobCreateInput) {
    return this.call(api.jobs, 'create', { body: input });
  }
  cancelJob(id: string) {
    return this.call(api.jobs, 'cancel', { params: { id } });
  }
  /** Acknowledges the plan message the job waits on. */
  acknowledgeJob(id: string) {
    return this.call(api.jobs, 'acknowledge', { params: { id } });
  }

  // ---------------------------------------------------------------- agent API
  agentRegister(input: z.input<typeof agentRegisterInputSchema>) {
    return this.call(api.agent, 'register', { body: input });
  }
  agentHeartbeat(agentId: string) {
    return this.call(api.agent, 'heartbeat', { params: { id: agentId } });
  }
  async agentPairs(processServer?: string) {
    return (await this.call(api.agent, 'pairs', { query: { processServer } })).items;
  }
  reportStats(pairId: string, stats: PairStatsInput) {
    return this.call(api.agent, 'pairStats', { params: { id: pairId }, body: stats });
  }
  reportStatsBatch(items: Array<{ pairId: string; stats: PairStatsInput }>) {
    return this.call(api.agent, 'statsBatch', { body: { items } });
  }
  reportProgress(
    pairId: string,
    event: 'initial-replication-started' | 'initial-replication-complete' | 'resync-complete',
  ) {
    return this.call(api.agent, 'pairProgress', { params: { id: pairId }, body: { event } });
  }
  addRecoveryPoint(pairId: string, point: { consistency: 'app' | 'crash'; tag?: string; at?: string }) {
    return this.call(api.agent, 'recoveryPoint', { params: { id: pairId }, body: point });
  }
  reportError(pairId: string, kind: ReplicationErrorKind, message: string) {
    return this.call(api.agent, 'pairError', { params: { id: pairId }, body: { kind, message } });
  }
  reportProcessServerHealth(processServer: string, health: ProcessServerHealth) {
    return this.call(api.agent, 'processServerHealth', { params: { id: processServer }, body: health });
  }

  // ---------------------------------------------------------------- event stream

  /**
   * Subscribes to the event stream. After a dropped connection it reconnects with the last id it
   * delivered, so the listener sees every event once, in order.
   */
  subscribe(listener: (event: ServerEvent) => void, options: SubscribeOptions = {}): EventSubscription {
    let lastId: string | null = options.since ?? null;
    let ws: WebSocket | null = null;
    let closed = false;
    let attempt = 0;
    let timer: NodeJS.Timeout | null = null;
    const status = options.onStatus ?? (() => {});

    const open = async () => {
      if (closed) return;
      const url = new URL(eventStreamPath, this.transport.url);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      if (lastId) url.searchParams.set('since', lastId);
      if (options.types?.length) url.searchParams.set('types', options.types.join(','));
      let tlsOptions = {};
      try {
        tlsOptions = await this.transport.tlsOptions();
      } catch (err) {
        status({
          type: 'reconnecting',
          lastId,
          message: err instanceof Error ? err.message : String(err),
          ...(err instanceof ApiError && err.messageWords ? { messageWords: err.messageWords } : {}),
        });
        return scheduleReconnect();
      }
      if (closed) return;
      const socket = new WebSocket(url, {
        headers: { authorization: `Bearer ${this.options.token}` },
        ...tlsOptions,
      });
      ws = socket;
      socket.on('open', () => {
        attempt = 0;
      });
      socket.on('message', (data) => {
        let frame: unknown;
        try {
          frame = JSON.parse(String(data));
        } catch {
          return;
        }
        // Events come one per frame, or several in one JSON array.
        const events = Array.isArray(frame)
          ? frame
          : frame && typeof frame === 'object' && 'id' in frame
            ? [frame]
            : null;
        if (events) {
          for (const ev of events) {
            const parsed = serverEventSchema.safeParse(ev);
            lastId = String((ev as { id: unknown }).id);
            if (parsed.success) listener(parsed.data);
          }
          return;
        }
        const control = streamControlSchema.safeParse(frame);
        if (control.success) {
          if (control.data.type === 'reset') lastId = control.data.lastId;
          status({
            type: control.data.type,
            lastId: control.data.type === 'reset' ? control.data.lastId : (lastId ?? control.data.lastId),
            ...(control.data.type === 'reset' ? { message: control.data.message } : {}),
          });
          if (control.data.type === 'ready' && lastId === null) lastId = control.data.lastId;
        }
      });
      socket.on('unexpected-response', (_req, res) => {
        const code = res.statusCode;
        const refused = sayClient('client.streamRefused', { status: String(code ?? 0) });
        status({ type: 'closed', lastId, message: refused.text, messageWords: refused.words });
        closed = code === 401 || code === 403 || closed;
        socket.terminate();
      });
      socket.on('error', () => {
        // 'close' follows and decides about reconnecting.
      });
      socket.on('close', () => {
        ws = null;
        if (closed || options.reconnect === false) {
          if (!closed) status({ type: 'closed', lastId });
          closed = true;
          return;
        }
        status({ type: 'reconnecting', lastId });
        scheduleReconnect();
      });
    };
    const scheduleReconnect = () => {
      if (closed) return;
      attempt++;
      const delay = Math.min(10_000, 100 * 2 ** Math.min(attempt, 7));
      timer = setTimeout(() => void open(), delay);
      timer.unref?.();
    };
    void open();
    const subscriptions = this.subscriptions;
    const handle: EventSubscription = {
      get lastId() {
        return lastId;
      },
      close() {
        closed = true;
        subscriptions.delete(handle);
        if (timer) clearTimeout(timer);
        ws?.close();
      },
    };
    subscriptions.add(handle);
    return handle;
  }
}
