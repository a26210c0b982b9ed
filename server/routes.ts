import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  agentPairProgressInputSchema,
  agentRegisterInputSchema,
  agentSchema,
  alertSchema,
  auditEntrySchema,
  endpointCreateInputSchema,
  endpointSchema,
  endpointTestResultSchema,
  jobCreateInputSchema,
  listOf,
  masterTargetCreateInputSchema,
  masterTargetSchema,
  pairCreateInputSchema,
  pairErrorInputSchema,
  pairSchema,
  pairStateSchema,
  pairStatsInputSchema,
  pairTransitionInputSchema,
  planApplyInputSchema,
  planApplyResultSchema,
  planSchema,
  planValidateInputSchema,
  planValidationSchema,
  processServerCreateInputSchema,
  processServerHealthSchema,
  processServerSchema,
  readinessQuerySchema,
  readinessReportSchema,
  recoveryPointInputSchema,
  recoveryPointSchema,
  settingsSchema,
  siteCreateInputSchema,
  siteSchema,
  statsBatchInputSchema,
  tokenCreatedSchema,
  tokenCreateInputSchema,
  tokenSchema,
  whoAmISchema,
} from '../shared/configserver';
import { jobSchema, jobStateSchema } from '../shared/schemas/job';
import type { TokenAuth } from './auth';
import type { SecretBox } from './crypto';
import { type ConnectorRegistry, lookupVm, testSavedEndpoint, verifyEndpoint } from './endpoints';
import { idParams, ok, route } from './http';
import type { JobRunner, Jobs } from './jobs';
import { applyPlan, checkPlan, inventoryCheckFor, type PlanServiceDeps } from './plans';
import { checkReadiness } from './readiness';
import type { Store } from './store';

export interface RouteDeps {
  store: Store;
  auth: TokenAuth;
  box: SecretBox;
  connectors: ConnectorRegistry;
  jobs: Jobs;
  runner: JobRunner | null;
}

const limitQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(5000).default(500) });

export function registerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { store, auth, box, connectors, jobs } = deps;
  const planDeps: PlanServiceDeps = { store, inventoryCheck: inventoryCheckFor({ store, box, connectors }) };
  const v1 = '/api/v1';

  // ---------------------------------------------------------------- identity and admin

  route(
    app,
    'GET',
    `${v1}/whoami`,
    { access: 'viewer', summary: 'The caller token', tags: ['auth'], response: whoAmISchema },
    async ({ req }) => ({
      tokenId: req.auth!.tokenId,
      name: req.auth!.name,
      role: req.auth!.role,
    }),
  );

  route(
    app,
    'GET',
    `${v1}/tokens`,
    {
      access: 'admin',
      summary: 'List API tokens (never their secrets)',
      tags: ['auth'],
      response: listOf(tokenSchema),
    },
    async () => ({
      items: await store.tokens.list(),
    }),
  );

  route(
    app,
    'POST',
    `${v1}/tokens`,
    {
      access: 'admin',
      summary: 'Create an API token; its secret is shown once',
      tags: ['auth'],
      body: tokenCreateInputSchema,
      response: tokenCreatedSchema,
      status: 201,
    },
    async ({ body, actor }) => auth.create(body.name, body.role, actor),
  );

  route(
    app,
    'POST',
    `${v1}/tokens/:id/revoke`,
    {
      access: 'admin',
      summary: 'Revoke a token (by id or name)',
      tags: ['auth'],
      params: idParams,
      response: tokenSchema,
    },
    async ({ params }) => {
      const token = await store.tokens.revoke(params.id);
      auth.forget();
      return token;
    },
  );

  route(
    app,
    'GET',
    `${v1}/audit`,
    {
      access: 'admin',
      summary: 'The audit log, newest first',
      tags: ['auth'],
      query: z.strictObject({
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        before: z.string().regex(/^\d+$/, 'before is an audit entry id').optional(),
      }),
      response: listOf(auditEntrySchema),
    },
    async ({ query }) => ({ items: await store.audit.list(query.limit, query.before ?? null) }),
  );

  route(
    app,
    'GET',
    `${v1}/settings`,
    { access: 'viewer', summary: 'Server settings', tags: ['settings'], response: settingsSchema },
    async () => store.settings.get(),
  );
  route(
    app,
    'PUT',
    `${v1}/settings`,
    {
      access: 'admin',
      summary: 'Replace the server settings',
      tags: ['settings'],
      body: settingsSchema,
      response: settingsSchema,
    },
    async ({ body }) => store.settings.put(body),
  );

  // ---------------------------------------------------------------- sites and endpoints

  route(
    app,
    'GET',
    `${v1}/sites`,
    { access: 'viewer', summary: 'List sites', tags: ['estate'], response: listOf(siteSchema) },
    async () => ({
      items: await store.sites.list(),
    }),
  );
  route(
    app,
    'POST',
    `${v1}/sites`,
    {
      access: 'admin',
      summary: 'Add a site',
      tags: ['estate'],
      body: siteCreateInputSchema,
      response: siteSchema,
      status: 201,
    },
    async ({ body }) => store.sites.create(body.name, body.role),
  );

  route(
    app,
    'GET',
    `${v1}/endpoints`,
    {
      access: 'viewer',
      summary: 'List endpoints (no secrets)',
      tags: ['estate'],
      response: listOf(endpointSchema),
    },
    async () => ({
      items: await store.endpoints.list(),
    }),
  );
  route(
    app,
    'POST',
    `${v1}/endpoints`,
    {
      access: 'admin',
      summary: 'Add a vCenter/ESXi or Hyper-V endpoint: verified (identity, login) before it is saved',
      tags: ['estate'],
      body: endpointCreateInputSchema,
      response: endpointSchema,
      status: 201,
    },
    async ({ body }) => {
      const site = await store.sites.resolve(body.site);
      const secrets = { ...body.secrets };
      const { trust, product } = await verifyEndpoint(
        connectors,
        body.target,
        secrets,
        body.trust,
        body.trustOnFirstUse,
      );
      return store.endpoints.create({
        siteId: site.id,
        name: body.name,
        target: body.target,
        trust,
        product,
        sealedSecret: box.seal(JSON.stringify(secrets)),
      });
    },
  );
  route(
    app,
    'POST',
    `${v1}/endpoints/:id/test`,
    {
      access: 'admin',
      summary: 'Connect to a saved endpoint with its pinned identity and stored credentials',
      tags: ['estate'],
      params: idParams,
      response: endpointTestResultSchema,
    },
    async ({ params }) => testSavedEndpoint(store, box, connectors, params.id),
  );
  route(
    app,
    'DELETE',
    `${v1}/endpoints/:id`,
    {
      access: 'admin',
      summary: 'Remove an endpoint and its stored credentials',
      tags: ['estate'],
      params: idParams,
      response: endpointSchema,
    },
    async ({ params }) => store.endpoints.remove(params.id),
  );

  // ---------------------------------------------------------------- process servers, master targets, agents

  route(
    app,
    'GET',
    `${v1}/process-servers`,
    {
      access: 'viewer',
      summary: 'List process servers with health',
      tags: ['estate'],
      response: listOf(processServerSchema),
    },
    async () => ({
      items: await store.processServers.list(),
    }),
  );
  route(
    app,
    'POST',
    `${v1}/process-servers`,
    {
      access: 'admin',
      summary: 'Add a process server',
      tags: ['estate'],
      body: processServerCreateInputSchema,
      response: processServerSchema,
      status: 201,
    },
    async ({ body }) => {
      const site = await store.sites.resolve(body.site);
      return store.processServers.create(site.id, body.name, body.host);
    },
  );

  route(
    app,
    'GET',
    `${v1}/master-targets`,
    {
      access: 'viewer',
      summary: 'List master targets with SCSI slot use',
      tags: ['estate'],
      response: listOf(masterTargetSchema),
    },
    async () => ({
      items: await store.masterTargets.list(),
    }),
  );
  route(
    app,
    'GET',
    `${v1}/master-targets/:id`,
    {
      access: 'viewer',
      summary: 'One master target (by id or name) and its slot map',
      tags: ['estate'],
      params: idParams,
      response: masterTargetSchema,
    },
    async ({ params }) => store.masterTargets.get(params.id),
  );
  route(
    app,
    'POST',
    `${v1}/master-targets`,
    {
      access: 'admin',
      summary: "Add a master target: the VM is looked up on the site's vSphere endpoint",
      tags: ['estate'],
      body: masterTargetCreateInputSchema,
      response: masterTargetSchema,
      status: 201,
    },
    async ({ body }) => {
      const site = await store.sites.resolve(body.site);
      let found: Awaited<ReturnType<typeof lookupVm>> | null = null;
      if (!(body.vmId && body.osFamily))
        found = await lookupVm(store, box, connectors, site.id, body.vm, body.endpoint);
      return store.masterTargets.create({
        siteId: site.id,
        endpointId: found?.endpointId ?? null,
        name: body.name ?? body.vm,
        vmId: body.vmId ?? found!.vmId,
        vmName: body.vm,
        osFamily: body.osFamily ?? found!.osFamily,
        retentionDatastore: body.retentionDatastore ?? found?.datastore ?? null,
        retentionFreeBytes: body.retentionFreeBytes ?? found?.freeBytes ?? null,
      });
    },
  );

  route(
    app,
    'GET',
    `${v1}/agents`,
    { access: 'viewer', summary: 'Registered agents', tags: ['estate'], response: listOf(agentSchema) },
    async () => ({
      items: await store.agents.list(),
    }),
  );

  // ---------------------------------------------------------------- plans and pairs

  route(
    app,
    'GET',
    `${v1}/plans`,
    { access: 'viewer', summary: 'Protection plans', tags: ['protection'], response: listOf(planSchema) },
    async () => ({
      items: await store.plans.list(),
    }),
  );
  route(
    app,
    'GET',
    `${v1}/plans/:id`,
    {
      access: 'viewer',
      summary: 'One plan (by id or name)',
      tags: ['protection'],
      params: idParams,
      response: planSchema,
    },
    async ({ params }) => store.plans.resolve(params.id),
  );
  route(
    app,
    'POST',
    `${v1}/plans/validate`,
    {
      access: 'operator',
      summary:
        'Check a plan file (schema, sites, master target, inventories) and show what applying it would change',
      tags: ['protection'],
      body: planValidateInputSchema,
      response: planValidationSchema,
      audit: false,
    },
    async ({ body, req }) => {
      const {
        refs: _r,
        spec: _s,
        stored: _p,
        ...validation
      } = await checkPlan(planDeps, body.plan, req.auth!.role);
      return validation;
    },
  );
  route(
    app,
    'POST',
    `${v1}/plans`,
    {
      access: 'operator',
      summary:
        'Apply a plan file: create the plan or replace the one of the same name (refused with every issue when one is an error)',
      tags: ['protection'],
      body: planApplyInputSchema,
      response: planApplyResultSchema,
    },
    async ({ body, req, reply }) => {
      const { plan, created, checked } = await applyPlan(
        planDeps,
        body.plan,
        req.auth!.role,
        body.expectUpdatedAt,
      );
      const scripts = plan.steps.filter((s) => s.script).length;
      (reply as typeof reply & { auditDetail?: string }).auditDetail =
        `${created ? 'created' : 'updated'} plan ${plan.name}${scripts ? ` with ${scripts} script step(s)` : ''}`;
      return { created, plan, changes: checked.changes, issues: checked.issues };
    },
  );
  route(
    app,
    'GET',
    `${v1}/plans/:id/readiness`,
    {
      access: 'viewer',
      summary:
        'Readiness checks of a plan before a workflow (?for=protect|test|planned|unplanned|failback): pass, warn or fail, each with its fix',
      tags: ['protection'],
      params: idParams,
      query: readinessQuerySchema,
      response: readinessReportSchema,
    },
    async ({ params, query }) => checkReadiness({ store, box, connectors }, params.id, query.for),
  );
  route(
    app,
    'DELETE',
    `${v1}/plans/:id`,
    {
      access: 'operator',
      summary: 'Remove a plan that has no pairs left',
      tags: ['protection'],
      params: idParams,
      response: planSchema,
    },
    async ({ params }) => store.plans.remove(params.id),
  );

  route(
    app,
    'GET',
    `${v1}/pairs`,
    {
      access: 'viewer',
      summary: 'Pairs (protected machines), optionally by state or plan',
      tags: ['protection'],
      query: z.strictObject({ state: pairStateSchema.optional(), plan: z.string().optional() }),
      response: listOf(pairSchema),
    },
    async ({ query }) => {
      const planId = query.plan ? (await store.plans.resolve(query.plan)).id : undefined;
      return { items: await store.pairs.list({ state: query.state, planId }) };
    },
  );
  route(
    app,
    'GET',
    `${v1}/pairs/:id`,
    { access: 'viewer', summary: 'One pair', tags: ['protection'], params: idParams, response: pairSchema },
    async ({ params }) => store.pairs.get(params.id),
  );
  route(
    app,
    'POST',
    `${v1}/pairs`,
    {
      access: 'operator',
      summary: 'Create a pair (state enabling); a replica disk slot is taken on the master target',
      tags: ['protection'],
      body: pairCreateInputSchema,
      response: pairSchema,
      status: 201,
    },
    async ({ body }) => store.pairs.create(body),
  );
  route(
    app,
    'POST',
    `${v1}/pairs/:id/transition`,
    {
      access: 'operator',
      summary: 'Move a pair to another state; 409 (and no change) when the state machine does not allow it',
      tags: ['protection'],
      params: idParams,
      body: pairTransitionInputSchema,
      response: pairSchema,
    },
    async ({ params, body, actor }) =>
      store.pairs.transition(params.id, body.to, body.reason ?? `by ${actor}`),
  );
  route(
    app,
    'POST',
    `${v1}/pairs/:id/resync`,
    {
      access: 'operator',
      summary: 'Start a resync now instead of at the scheduled time',
      tags: ['protection'],
      params: idParams,
      response: pairSchema,
    },
    async ({ params, actor }) => store.pairs.startResync(params.id, `started by ${actor}`),
  );
  route(
    app,
    'DELETE',
    `${v1}/pairs/:id`,
    {
      access: 'operator',
      summary: 'Remove a pair and free its master-target slots',
      tags: ['protection'],
      params: idParams,
      response: ok,
    },
    async ({ params }) => {
      await store.pairs.remove(params.id);
      return { ok: true as const };
    },
  );
  route(
    app,
    'GET',
    `${v1}/pairs/:id/recovery-points`,
    {
      access: 'viewer',
      summary: "A pair's recovery points, newest first",
      tags: ['protection'],
      params: idParams,
      query: limitQuery,
      response: listOf(recoveryPointSchema),
    },
    async ({ params, query }) => ({ items: await store.recoveryPoints.list(params.id, query.limit) }),
  );

  route(
    app,
    'GET',
    `${v1}/alerts`,
    {
      access: 'viewer',
      summary: 'Alerts, open ones by default',
      tags: ['protection'],
      query: z.strictObject({
        all: z.enum(['true', 'false']).default('false'),
        limit: z.coerce.number().int().min(1).max(5000).default(1000),
      }),
      response: listOf(alertSchema),
    },
    async ({ query }) => ({ items: await store.alerts.list(query.all !== 'true', query.limit) }),
  );

  // ---------------------------------------------------------------- jobs

  route(
    app,
    'GET',
    `${v1}/jobs`,
    {
      access: 'viewer',
      summary: 'Jobs, newest first',
      tags: ['jobs'],
      query: z.strictObject({
        limit: z.coerce.number().int().min(1).max(1000).default(200),
        state: jobStateSchema.optional(),
      }),
      response: listOf(jobSchema),
    },
    async ({ query }) => ({ items: await jobs.list(query.limit, query.state ? [query.state] : undefined) }),
  );
  route(
    app,
    'GET',
    `${v1}/jobs/:id`,
    {
      access: 'viewer',
      summary: 'One job with its steps',
      tags: ['jobs'],
      params: idParams,
      response: jobSchema,
    },
    async ({ params }) => jobs.get(params.id),
  );
  route(
    app,
    'POST',
    `${v1}/jobs`,
    {
      access: 'operator',
      summary: 'Queue a job',
      tags: ['jobs'],
      body: jobCreateInputSchema,
      response: jobSchema,
      status: 201,
    },
    async ({ body, actor }) => {
      const job = await jobs.create(body, actor);
      deps.runner?.kick();
      return job;
    },
  );
  route(
    app,
    'POST',
    `${v1}/jobs/:id/cancel`,
    {
      access: 'operator',
      summary: 'Cancel a queued or running job',
      tags: ['jobs'],
      params: idParams,
      response: jobSchema,
    },
    async ({ params }) => jobs.cancel(params.id),
  );

  // ---------------------------------------------------------------- agent API

  const a1 = '/agent/v1';
  route(
    app,
    'POST',
    `${a1}/register`,
    {
      access: 'agent',
      summary: 'Register (or re-register) an agent or process server',
      tags: ['agent'],
      body: agentRegisterInputSchema,
      response: agentSchema,
    },
    async ({ body }) =>
      store.agents.register({
        ...body,
        pairId: body.pairId ?? null,
        processServerId: body.processServerId ?? null,
      }),
  );
  route(
    app,
    'POST',
    `${a1}/agents/:id/heartbeat`,
    {
      access: 'agent',
      summary: 'Heartbeat',
      tags: ['agent'],
      params: idParams,
      response: agentSchema,
      audit: false,
    },
    async ({ params }) => store.agents.heartbeat(params.id),
  );
  route(
    app,
    'GET',
    `${a1}/pairs`,
    {
      access: 'agent',
      summary: 'The pairs to serve, with their state and retry schedule',
      tags: ['agent'],
      query: z.strictObject({ processServer: z.string().optional() }),
      response: listOf(pairSchema),
    },
    async ({ query }) => {
      const ps = query.processServer ? await store.processServers.resolve(query.processServer) : null;
      return { items: await store.pairs.list({ processServerId: ps?.id }) };
    },
  );
  route(
    app,
    'POST',
    `${a1}/pairs/:id/stats`,
    {
      access: 'agent',
      summary: 'Replication statistics of one pair',
      tags: ['agent'],
      params: idParams,
      body: pairStatsInputSchema,
      response: pairSchema,
      audit: false,
    },
    async ({ params, body }) => store.telemetry.pairStats(params.id, body as Required<typeof body>),
  );
  route(
    app,
    'POST',
    `${a1}/stats`,
    {
      access: 'agent',
      summary: 'Statistics of many pairs at once (a process server)',
      tags: ['agent'],
      body: statsBatchInputSchema,
      response: z.object({
        accepted: z.number().int(),
        rejected: z.array(z.object({ pairId: z.string(), message: z.string() })),
      }),
      audit: false,
    },
    async ({ body }) => {
      const rejected: Array<{ pairId: string; message: string }> = [];
      for (const item of body.items) {
        try {
          await store.telemetry.pairStats(item.pairId, item.stats as Required<typeof item.stats>);
        } catch (err) {
          rejected.push({ pairId: item.pairId, message: err instanceof Error ? err.message : String(err) });
        }
      }
      return { accepted: body.items.length - rejected.length, rejected };
    },
  );
  route(
    app,
    'POST',
    `${a1}/pairs/:id/progress`,
    {
      access: 'agent',
      summary: 'Initial replication or resync started/finished',
      tags: ['agent'],
      params: idParams,
      body: agentPairProgressInputSchema,
      response: pairSchema,
    },
    async ({ params, body }) => store.pairs.reportProgress(params.id, body.event),
  );
  route(
    app,
    'POST',
    `${a1}/pairs/:id/recovery-points`,
    {
      access: 'agent',
      summary: 'A new recovery point',
      tags: ['agent'],
      params: idParams,
      body: recoveryPointInputSchema,
      response: recoveryPointSchema,
      status: 201,
      audit: false,
    },
    async ({ params, body }) => store.recoveryPoints.add(params.id, body),
  );
  route(
    app,
    'POST',
    `${a1}/pairs/:id/errors`,
    {
      access: 'agent',
      summary: 'A replication error: recoverable ones are retried on a schedule',
      tags: ['agent'],
      params: idParams,
      body: pairErrorInputSchema,
      response: pairSchema,
    },
    async ({ params, body }) => store.telemetry.pairError(params.id, body.kind, body.message),
  );
  route(
    app,
    'POST',
    `${a1}/process-servers/:id/health`,
    {
      access: 'agent',
      summary: 'Process-server health',
      tags: ['agent'],
      params: idParams,
      body: processServerHealthSchema,
      response: processServerSchema,
      audit: false,
    },
    async ({ params, body }) => {
      const ps = await store.processServers.resolve(params.id);
      return store.telemetry.processServerHealth(ps.id, body);
    },
  );
}
