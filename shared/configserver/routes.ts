import { z } from 'zod';
import { inventoryDocumentSchema } from '../schemas/inventory';
import { jobSchema, jobStateSchema } from '../schemas/job';
import { masterTargetCheckSchema, masterTargetConfigureInputSchema } from './master-target';
import { pairStateSchema } from './pair-state';
import {
  planApplyInputSchema,
  planApplyResultSchema,
  planSchema,
  planValidateInputSchema,
  planValidationSchema,
} from './plan';
import { readinessQuerySchema, readinessReportSchema } from './readiness';
import {
  agentPairProgressInputSchema,
  agentRegisterInputSchema,
  agentSchema,
  alertSchema,
  auditEntrySchema,
  endpointCreateInputSchema,
  endpointSchema,
  endpointTestResultSchema,
  healthzSchema,
  jobCreateInputSchema,
  listOf,
  masterTargetCreateInputSchema,
  masterTargetSchema,
  pairCreateInputSchema,
  pairErrorInputSchema,
  pairSchema,
  pairStatsInputSchema,
  pairTransitionInputSchema,
  processServerCreateInputSchema,
  processServerHealthSchema,
  processServerSchema,
  recoveryPointInputSchema,
  recoveryPointSchema,
  settingsSchema,
  siteCreateInputSchema,
  siteInventorySchema,
  siteSchema,
  statsBatchInputSchema,
  tokenCreatedSchema,
  tokenCreateInputSchema,
  tokenSchema,
  whoAmISchema,
} from './schemas';

/**
 * The configuration server's REST API, declared once: the server registers one Fastify plugin
 * per resource (at the resource's prefix) from these entries, the client builds its requests and
 * checks the answers with the same ones, and the OpenAPI document is generated from them. A new
 * route is a new entry here, then a handler in the resource's plugin and a method on the client.
 */

/** Where a route sits in the role ladder; `agent` routes are for agents and process servers. */
export type Access = 'public' | 'viewer' | 'operator' | 'admin' | 'agent';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDef<
  B extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  P extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  /** Relative to the resource's prefix: '' is the prefix itself, '/:id' one item. */
  path: string;
  access: Access;
  summary: string;
  body?: B;
  query?: Q;
  params?: P;
  /** The answer: the server sends it through this schema, so no field outside it is sent. */
  response: R;
  /** Success status (default 200). */
  status?: number;
  /** Mutating calls are audited unless a route opts out (high-rate agent reports). */
  audit?: boolean;
}

export interface Resource<Routes extends Record<string, RouteDef>> {
  prefix: string;
  /** OpenAPI tag of every route of the resource. */
  tag: string;
  routes: Routes;
}

const resource = <Routes extends Record<string, RouteDef>>(
  prefix: string,
  tag: string,
  routes: Routes,
): Resource<Routes> => ({ prefix, tag, routes });

/** Keeps each entry's own schema types (a plain object literal would widen them). */
const def = <
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  R extends z.ZodType = z.ZodType,
>(
  d: RouteDef<B, Q, P, R>,
) => d;

export const idParams = z.strictObject({ id: z.string().min(1).max(200) });
export const okSchema = z.object({ ok: z.literal(true) });
export const statsBatchResultSchema = z.object({
  accepted: z.number().int(),
  rejected: z.array(z.object({ pairId: z.string(), message: z.string() })),
});
const limitQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(5000).default(500) });

export const configServerApi = {
  health: resource('/healthz', 'ops', {
    get: def({
      method: 'GET',
      path: '',
      access: 'public',
      summary: 'Liveness and database reachability',
      response: healthzSchema,
    }),
  }),
  whoami: resource('/api/v1/whoami', 'auth', {
    get: def({
      method: 'GET',
      path: '',
      access: 'viewer',
      summary: 'The caller token',
      response: whoAmISchema,
    }),
  }),
  tokens: resource('/api/v1/tokens', 'auth', {
    list: def({
      method: 'GET',
      path: '',
      access: 'admin',
      summary: 'List API tokens (never their secrets)',
      response: listOf(tokenSchema),
    }),
    create: def({
      method: 'POST',
      path: '',
      access: 'admin',
      summary: 'Create an API token; its secret is shown once',
      body: tokenCreateInputSchema,
      response: tokenCreatedSchema,
      status: 201,
    }),
    revoke: def({
      method: 'POST',
      path: '/:id/revoke',
      access: 'admin',
      summary: 'Revoke a token (by id or name)',
      params: idParams,
      response: tokenSchema,
    }),
  }),
  audit: resource('/api/v1/audit', 'auth', {
    list: def({
      method: 'GET',
      path: '',
      access: 'admin',
      summary: 'The audit log, newest first',
      query: z.strictObject({
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        before: z
          .string()
          .regex(/^\d{1,18}$/, 'before is an audit entry id (at most 18 digits)')
          .optional(),
      }),
      response: listOf(auditEntrySchema),
    }),
  }),
  settings: resource('/api/v1/settings', 'settings', {
    get: def({
      method: 'GET',
      path: '',
      access: 'viewer',
      summary: 'Server settings',
      response: settingsSchema,
    }),
    put: def({
      method: 'PUT',
      path: '',
      access: 'admin',
      summary: 'Replace the server settings',
      body: settingsSchema,
      response: settingsSchema,
    }),
  }),
  sites: resource('/api/v1/sites', 'estate', {
    list: def({
      method: 'GET',
      path: '',
      access: 'viewer',
      summary: 'List sites',
      response: listOf(siteSchema),
    }),
    create: def({
      method: 'POST',
      path: '',
      access: 'admin',
      summary: 'Add a site',
      body: siteCreateInputSchema,
      response: siteSchema,
      status: 201,
    }),
    inventory: def({
      method: 'GET',
      path: '/:id/inventory',
      access: 'viewer',
      summary:
        "What the server reads of a site (by id or name) now: each endpoint's inventory, or why it could not be read",
      params: idParams,
      response: siteInventorySchema,
    }),
  }),
  endpoints: resource('/api/v1/endpoints', 'estate', {
    list: def({
      method: 'GET',
      path: '',
      access: 'viewer',
      summary: 'List endpoints (no secrets)',
      response: listOf(endpointSchema),
    }),
    create: def({
      method: 'POST',
      path: '',
      access: 'admin',
      summary: 'Add a vCenter/ESXi or Hyper-V endpoint: verified (identity, login) before it is saved',
      body: endpointCreateInputSchema,
      response: endpointSchema,
      status: 201,
    }),
    test: def({
      method: 'POST',
      path: '/:id/test',
      access: 'admin',
      summary: 'Connect to a saved endpoint with its pinned identity and stored credentials',
      params: idParams,
      response: endpointTestResultSchema,
    }),
    inventory: def({
      method: 'GET',
      path: '/:id/inventory',
      access: 'viewer',
      summary:
        "The endpoint's inventory read now (hosts, datastores, networks, VMs) through its pinned identity and stored credentials; 502/422/409 when it cannot be read",
      params: idParams,
      response: inventoryDocumentSchema,
    }),
    remove: def({
      method: 'DELETE',
      path: '/:id',
      access: 'admin',
      summary: 'Remove an endpoint and its stored credentials',
      params: idParams,
      response: endpointSchema,
    }),
  }),
  processServers: resource('/api/v1/process-servers', 'estate', {
    list: def({
      method: 'GET',
      path: '',
      access: 'viewer',
      summary: 'List process servers with health',
      response: listOf(processServerSchema),
    }),
    create: def({
      method: 'POST',
      path: '',
      access: 'admin',
      summary: 'Add a process server',
      body: processServerCreateInputSchema,
      response: processServerSchema,
      status: 201,
    }),
  }),
  masterTargets: resource('/api/v1/master-targets', 'estate', {
    list: def({
      method: 'GET',
      path: '',
      access: 'viewer',
      summary: 'List master targets with SCSI slot use',
      response: listOf(masterTargetSchema),
    }),
    get: def({
      method: 'GET',
      path: '/:id',
      access: 'viewer',
      summary: 'One master target (by id or name) and its slot map',
      params: idParams,
      response: masterTargetSchema,
    }),
    create: def({
      method: 'POST',
      path: '',
      access: 'admin',
      summary: "Add a master target: the VM is looked up on the site's vSphere endpoint",
      body: masterTargetCreateInputSchema,
      response: masterTargetSchema,
      status: 201,
    }),
    check: def({
      method: 'POST',
      path: '/check',
      access: 'operator',
      summary:
        'Check a VM as a master target (OS family, power, slot map, SCSI controllers, retention datastore) without changing anything; configure it with a configure-master-target job',
      body: masterTargetConfigureInputSchema,
      response: masterTargetCheckSchema,
    }),
  }),
  agents: resource('/api/v1/agents', 'estate', {
    list: def({
      method: 'GET',
      path: '',
      access: 'viewer',
      summary: 'Registered agents',
      response: listOf(agentSchema),
    }),
  }),
  plans: resource('/api/v1/plans', 'protection', {
    list: def({
      method: 'GET',
      path: '',
      access: 'viewer',
      summary: 'Protection plans',
      response: listOf(planSchema),
    }),
    get: def({
      method: 'GET',
      path: '/:id',
      access: 'viewer',
      summary: 'One plan (by id or name)',
      params: idParams,
      response: planSchema,
    }),
    validate: def({
      method: 'POST',
      path: '/validate',
      access: 'operator',
      summary:
        'Check a plan file (schema, sites, master target, inventories) and show what applying it would change',
      body: planValidateInputSchema,
      response: planValidationSchema,
      audit: false,
    }),
    apply: def({
      method: 'POST',
      path: '',
      access: 'operator',
      summary:
        'Apply a plan file: create the plan or replace the one of the same name (refused with every issue when one is an error)',
      body: planApplyInputSchema,
      response: planApplyResultSchema,
    }),
    readiness: def({
      method: 'GET',
      path: '/:id/readiness',
      access: 'viewer',
      summary:
        'Readiness checks of a plan before a workflow (?for=protect|test|planned|unplanned|failback): pass, warn or fail, each with its fix',
      params: idParams,
      query: readinessQuerySchema,
      response: readinessReportSchema,
    }),
    remove: def({
      method: 'DELETE',
      path: '/:id',
      access: 'operator',
      summary: 'Remove a plan that has no pairs left',
      params: idParams,
      response: planSchema,
    }),
  }),
  pairs: resource('/api/v1/pairs', 'protection', {
    list: def({
      method: 'GET',
      path: '',
      access: 'viewer',
      summary: 'Pairs (protected machines), optionally by state or plan',
      query: z.strictObject({ state: pairStateSchema.optional(), plan: z.string().optional() }),
      response: listOf(pairSchema),
    }),
    get: def({
      method: 'GET',
      path: '/:id',
      access: 'viewer',
      summary: 'One pair',
      params: idParams,
      response: pairSchema,
    }),
    create: def({
      method: 'POST',
      path: '',
      access: 'operator',
      summary: 'Create a pair (state enabling); a replica disk slot is taken on the master target',
      body: pairCreateInputSchema,
      response: pairSchema,
      status: 201,
    }),
    transition: def({
      method: 'POST',
      path: '/:id/transition',
      access: 'operator',
      summary: 'Move a pair to another state; 409 (and no change) when the state machine does not allow it',
      params: idParams,
      body: pairTransitionInputSchema,
      response: pairSchema,
    }),
    resync: def({
      method: 'POST',
      path: '/:id/resync',
      access: 'operator',
      summary: 'Start a resync now instead of at the scheduled time',
      params: idParams,
      response: pairSchema,
    }),
    remove: def({
      method: 'DELETE',
      path: '/:id',
      access: 'operator',
      summary: 'Remove a pair and free its master-target slots',
      params: idParams,
      response: okSchema,
    }),
    recoveryPoints: def({
      method: 'GET',
      path: '/:id/recovery-points',
      access: 'viewer',
      summary: "A pair's recovery points, newest first",
      params: idParams,
      query: limitQuery,
      response: listOf(recoveryPointSchema),
    }),
  }),
  alerts: resource('/api/v1/alerts', 'protection', {
    list: def({
      method: 'GET',
      path: '',
      access: 'viewer',
      summary: 'Alerts, open ones by default',
      query: z.strictObject({
        all: z.enum(['true', 'false']).default('false'),
        limit: z.coerce.number().int().min(1).max(5000).default(1000),
      }),
      response: listOf(alertSchema),
    }),
  }),
  jobs: resource('/api/v1/jobs', 'jobs', {
    list: def({
      method: 'GET',
      path: '',
      access: 'viewer',
      summary: 'Jobs, newest first',
      query: z.strictObject({
        limit: z.coerce.number().int().min(1).max(1000).default(200),
        state: jobStateSchema.optional(),
      }),
      response: listOf(jobSchema),
    }),
    get: def({
      method: 'GET',
      path: '/:id',
      access: 'viewer',
      summary: 'One job with its steps',
      params: idParams,
      response: jobSchema,
    }),
    create: def({
      method: 'POST',
      path: '',
      access: 'operator',
      summary: 'Queue a job',
      body: jobCreateInputSchema,
      response: jobSchema,
      status: 201,
    }),
    cancel: def({
      method: 'POST',
      path: '/:id/cancel',
      access: 'operator',
      summary: 'Cancel a queued or running job',
      params: idParams,
      response: jobSchema,
    }),
    acknowledge: def({
      method: 'POST',
      path: '/:id/ack',
      access: 'operator',
      summary: 'Acknowledge the plan message a running job waits on',
      params: idParams,
      response: jobSchema,
    }),
  }),
  agent: resource('/agent/v1', 'agent', {
    register: def({
      method: 'POST',
      path: '/register',
      access: 'agent',
      summary: 'Register (or re-register) an agent or process server',
      body: agentRegisterInputSchema,
      response: agentSchema,
    }),
    heartbeat: def({
      method: 'POST',
      path: '/agents/:id/heartbeat',
      access: 'agent',
      summary: 'Heartbeat',
      params: idParams,
      response: agentSchema,
      audit: false,
    }),
    pairs: def({
      method: 'GET',
      path: '/pairs',
      access: 'agent',
      summary: 'The pairs to serve, with their state and retry schedule',
      query: z.strictObject({ processServer: z.string().optional() }),
      response: listOf(pairSchema),
    }),
    pairStats: def({
      method: 'POST',
      path: '/pairs/:id/stats',
      access: 'agent',
      summary: 'Replication statistics of one pair',
      params: idParams,
      body: pairStatsInputSchema,
      response: pairSchema,
      audit: false,
    }),
    statsBatch: def({
      method: 'POST',
      path: '/stats',
      access: 'agent',
      summary: 'Statistics of many pairs at once (a process server)',
      body: statsBatchInputSchema,
      response: statsBatchResultSchema,
      audit: false,
    }),
    pairProgress: def({
      method: 'POST',
      path: '/pairs/:id/progress',
      access: 'agent',
      summary: 'Initial replication or resync started/finished',
      params: idParams,
      body: agentPairProgressInputSchema,
      response: pairSchema,
    }),
    recoveryPoint: def({
      method: 'POST',
      path: '/pairs/:id/recovery-points',
      access: 'agent',
      summary: 'A new recovery point',
      params: idParams,
      body: recoveryPointInputSchema,
      response: recoveryPointSchema,
      status: 201,
      audit: false,
    }),
    pairError: def({
      method: 'POST',
      path: '/pairs/:id/errors',
      access: 'agent',
      summary: 'A replication error: recoverable ones are retried on a schedule',
      params: idParams,
      body: pairErrorInputSchema,
      response: pairSchema,
    }),
    processServerHealth: def({
      method: 'POST',
      path: '/process-servers/:id/health',
      access: 'agent',
      summary: 'Process-server health',
      params: idParams,
      body: processServerHealthSchema,
      response: processServerSchema,
      audit: false,
    }),
  }),
} as const;

export type ConfigServerApi = typeof configServerApi;

/** The event stream (WebSocket); its frames are `serverEventSchema` and `streamControlSchema`. */
export const eventStreamPath = '/api/v1/events';

/** A route's full path with its `:params` filled in (URI-encoded). */
export function routePath(prefix: string, def: RouteDef, params: Record<string, string> = {}): string {
  return (
    prefix +
    def.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
      const value = params[name];
      if (value === undefined) throw new Error(`route ${def.method} ${prefix}${def.path} needs ${name}`);
      return encodeURIComponent(value);
    })
  );
}
