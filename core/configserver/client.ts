import WebSocket from 'ws';
import { z } from 'zod';
import {
  type agentRegisterInputSchema,
  agentSchema,
  alertSchema,
  auditEntrySchema,
  type EndpointCreateInput,
  endpointSchema,
  endpointTestResultSchema,
  healthzSchema,
  type JobCreateInput,
  listOf,
  type masterTargetCreateInputSchema,
  masterTargetSchema,
  type PairState,
  type PairStatsInput,
  type PlanSpecInput,
  type ProcessServerHealth,
  type pairCreateInputSchema,
  pairSchema,
  planApplyResultSchema,
  planSchema,
  planValidationSchema,
  processServerSchema,
  type ReadinessKind,
  type ReplicationErrorKind,
  type Role,
  readinessReportSchema,
  recoveryPointSchema,
  type ServerEvent,
  type Settings,
  serverEventSchema,
  settingsSchema,
  siteSchema,
  streamControlSchema,
  tokenCreatedSchema,
  tokenSchema,
  whoAmISchema,
} from '../../shared/configserver';
import { ApiError } from '../../shared/errors';
import type { SiteRole } from '../../shared/schemas/connection';
import { type JobState, jobSchema } from '../../shared/schemas/job';
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
const enc = encodeURIComponent;

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

  private async call<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<z.output<S>> {
    const raw = await this.transport.request<unknown>(
      method,
      path,
      { authorization: `Bearer ${this.options.token}` },
      body,
      signal,
    );
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new ApiError(
        'invalid-output',
        `unexpected answer to ${method} ${path}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    }
    return parsed.data;
  }

  /** Closes keep-alive connections and every event subscription of this client. */
  close(): void {
    for (const s of this.subscriptions) s.close();
    this.transport.close();
  }

  // ---------------------------------------------------------------- ops and auth
  async healthz() {
    const raw = await this.transport.request<unknown>('GET', '/healthz', {});
    return healthzSchema.parse(raw);
  }
  whoami() {
    return this.call(whoAmISchema, 'GET', '/api/v1/whoami');
  }
  async listTokens() {
    return (await this.call(listOf(tokenSchema), 'GET', '/api/v1/tokens')).items;
  }
  createToken(name: string, role: Role) {
    return this.call(tokenCreatedSchema, 'POST', '/api/v1/tokens', { name, role });
  }
  revokeToken(idOrName: string) {
    return this.call(tokenSchema, 'POST', `/api/v1/tokens/${enc(idOrName)}/revoke`);
  }
  async audit(limit = 100, before?: string) {
    return (await this.call(listOf(auditEntrySchema), 'GET', `/api/v1/audit${q({ limit, before })}`)).items;
  }
  getSettings() {
    return this.call(settingsSchema, 'GET', '/api/v1/settings');
  }
  putSettings(settings: Settings) {
    return this.call(settingsSchema, 'PUT', '/api/v1/settings', settings);
  }

  // ---------------------------------------------------------------- estate
  async listSites() {
    return (await this.call(listOf(siteSchema), 'GET', '/api/v1/sites')).items;
  }
  addSite(name: string, role: SiteRole) {
    return this.call(siteSchema, 'POST', '/api/v1/sites', { name, role });
  }
  async listEndpoints() {
    return (await this.call(listOf(endpointSchema), 'GET', '/api/v1/endpoints')).items;
  }
  addEndpoint(input: EndpointCreateInput, signal?: AbortSignal) {
    return this.call(endpointSchema, 'POST', '/api/v1/endpoints', input, signal);
  }
  testEndpoint(idOrName: string) {
    return this.call(endpointTestResultSchema, 'POST', `/api/v1/endpoints/${enc(idOrName)}/test`);
  }
  removeEndpoint(idOrName: string) {
    return this.call(endpointSchema, 'DELETE', `/api/v1/endpoints/${enc(idOrName)}`);
  }
  async listProcessServers() {
    return (await this.call(listOf(processServerSchema), 'GET', '/api/v1/process-servers')).items;
  }
  addProcessServer(input: { site: string; name: string; host: string }) {
    return this.call(processServerSchema, 'POST', '/api/v1/process-servers', input);
  }
  async listMasterTargets() {
    return (await this.call(listOf(masterTargetSchema), 'GET', '/api/v1/master-targets')).items;
  }
  getMasterTarget(idOrName: string) {
    return this.call(masterTargetSchema, 'GET', `/api/v1/master-targets/${enc(idOrName)}`);
  }
  addMasterTarget(input: z.input<typeof masterTargetCreateInputSchema>) {
    return this.call(masterTargetSchema, 'POST', '/api/v1/master-targets', input);
  }
  async listAgents() {
    return (await this.call(listOf(agentSchema), 'GET', '/api/v1/agents')).items;
  }

  // ---------------------------------------------------------------- protection
  async listPlans() {
    return (await this.call(listOf(planSchema), 'GET', '/api/v1/plans')).items;
  }
  getPlan(idOrName: string) {
    return this.call(planSchema, 'GET', `/api/v1/plans/${enc(idOrName)}`);
  }
  /** Checks a plan file (any JSON value: the server reports schema errors by field path). */
  validatePlan(plan: PlanSpecInput | unknown) {
    return this.call(planValidationSchema, 'POST', '/api/v1/plans/validate', { plan });
  }
  /** Creates or replaces the plan; `expectUpdatedAt` refuses it when the plan changed since review. */
  applyPlan(plan: PlanSpecInput | unknown, expectUpdatedAt?: string | null) {
    return this.call(
      planApplyResultSchema,
      'POST',
      '/api/v1/plans',
      expectUpdatedAt === undefined ? { plan } : { plan, expectUpdatedAt },
    );
  }
  /** Readiness checks of a plan before a workflow of this kind. */
  planReadiness(idOrName: string, kind: ReadinessKind = 'protect') {
    return this.call(
      readinessReportSchema,
      'GET',
      `/api/v1/plans/${enc(idOrName)}/readiness${q({ for: kind })}`,
    );
  }
  removePlan(idOrName: string) {
    return this.call(planSchema, 'DELETE', `/api/v1/plans/${enc(idOrName)}`);
  }
  async listPairs(filter: { state?: PairState; plan?: string } = {}) {
    return (await this.call(listOf(pairSchema), 'GET', `/api/v1/pairs${q(filter)}`)).items;
  }
  getPair(id: string) {
    return this.call(pairSchema, 'GET', `/api/v1/pairs/${enc(id)}`);
  }
  addPair(input: z.input<typeof pairCreateInputSchema>) {
    return this.call(pairSchema, 'POST', '/api/v1/pairs', input);
  }
  transitionPair(id: string, to: PairState, reason?: string) {
    return this.call(
      pairSchema,
      'POST',
      `/api/v1/pairs/${enc(id)}/transition`,
      reason ? { to, reason } : { to },
    );
  }
  resyncPair(id: string) {
    return this.call(pairSchema, 'POST', `/api/v1/pairs/${enc(id)}/resync`);
  }
  removePair(id: string) {
    return this.call(z.object({ ok: z.literal(true) }), 'DELETE', `/api/v1/pairs/${enc(id)}`);
  }
  async recoveryPoints(pairId: string, limit = 500) {
    return (
      await this.call(
        listOf(recoveryPointSchema),
        'GET',
        `/api/v1/pairs/${enc(pairId)}/recovery-points${q({ limit })}`,
      )
    ).items;
  }
  async listAlerts(options: { all?: boolean } = {}) {
    return (
      await this.call(
        listOf(alertSchema),
        'GET',
        `/api/v1/alerts${q({ all: options.all ? 'true' : undefined })}`,
      )
    ).items;
  }

  // ---------------------------------------------------------------- jobs
  async listJobs(filter: { state?: JobState; limit?: number } = {}) {
    return (await this.call(listOf(jobSchema), 'GET', `/api/v1/jobs${q(filter)}`)).items;
  }
  getJob(id: string) {
    return this.call(jobSchema, 'GET', `/api/v1/jobs/${enc(id)}`);
  }
  createJob(input: JobCreateInput) {
    return this.call(jobSchema, 'POST', '/api/v1/jobs', input);
  }
  cancelJob(id: string) {
    return this.call(jobSchema, 'POST', `/api/v1/jobs/${enc(id)}/cancel`);
  }

  // ---------------------------------------------------------------- agent API
  agentRegister(input: z.input<typeof agentRegisterInputSchema>) {
    return this.call(agentSchema, 'POST', '/agent/v1/register', input);
  }
  agentHeartbeat(agentId: string) {
    return this.call(agentSchema, 'POST', `/agent/v1/agents/${enc(agentId)}/heartbeat`);
  }
  async agentPairs(processServer?: string) {
    return (await this.call(listOf(pairSchema), 'GET', `/agent/v1/pairs${q({ processServer })}`)).items;
  }
  reportStats(pairId: string, stats: PairStatsInput) {
    return this.call(pairSchema, 'POST', `/agent/v1/pairs/${enc(pairId)}/stats`, stats);
  }
  reportStatsBatch(items: Array<{ pairId: string; stats: PairStatsInput }>) {
    return this.call(
      z.object({
        accepted: z.number(),
        rejected: z.array(z.object({ pairId: z.string(), message: z.string() })),
      }),
      'POST',
      '/agent/v1/stats',
      { items },
    );
  }
  reportProgress(
    pairId: string,
    event: 'initial-replication-started' | 'initial-replication-complete' | 'resync-complete',
  ) {
    return this.call(pairSchema, 'POST', `/agent/v1/pairs/${enc(pairId)}/progress`, { event });
  }
  addRecoveryPoint(pairId: string, point: { consistency: 'app' | 'crash'; tag?: string; at?: string }) {
    return this.call(recoveryPointSchema, 'POST', `/agent/v1/pairs/${enc(pairId)}/recovery-points`, point);
  }
  reportError(pairId: string, kind: ReplicationErrorKind, message: string) {
    return this.call(pairSchema, 'POST', `/agent/v1/pairs/${enc(pairId)}/errors`, { kind, message });
  }
  reportProcessServerHealth(processServer: string, health: ProcessServerHealth) {
    return this.call(
      processServerSchema,
      'POST',
      `/agent/v1/process-servers/${enc(processServer)}/health`,
      health,
    );
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
      const url = new URL('/api/v1/events', this.transport.url);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      if (lastId) url.searchParams.set('since', lastId);
      if (options.types?.length) url.searchParams.set('types', options.types.join(','));
      let tlsOptions = {};
      try {
        tlsOptions = await this.transport.tlsOptions();
      } catch (err) {
        status({ type: 'reconnecting', lastId, message: err instanceof Error ? err.message : String(err) });
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
        status({ type: 'closed', lastId, message: `the server refused the event stream (HTTP ${code})` });
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
