import { configServerApi as api } from '../../shared/configserver';
import { serve } from '../http';
import { applyPlan, checkPlan, inventoryCheckFor, type PlanServiceDeps } from '../plans';
import { checkReadiness } from '../readiness';
import type { RoutePlugin } from './index';

export const planRoutes: RoutePlugin = async (app, { store, box, connectors }) => {
  const planDeps: PlanServiceDeps = { store, inventoryCheck: inventoryCheckFor({ store, box, connectors }) };
  serve(app, api.plans)
    .on('list', async () => ({ items: await store.plans.list() }))
    .on('get', async ({ params }) => store.plans.resolve(params.id))
    // The answer's schema keeps the validation only (not the resolved references and spec).
    .on('validate', async ({ body, req }) => checkPlan(planDeps, body.plan, req.auth!.role))
    .on('apply', async ({ body, req, reply }) => {
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
    })
    .on('readiness', async ({ params, query }) =>
      checkReadiness({ store, box, connectors }, params.id, query.for),
    )
    .on('remove', async ({ params }) => store.plans.remove(params.id));
};

export const pairRoutes: RoutePlugin = async (app, { store }) => {
  serve(app, api.pairs)
    .on('list', async ({ query }) => {
      const planId = query.plan ? (await store.plans.resolve(query.plan)).id : undefined;
      return { items: await store.pairs.list({ state: query.state, planId }) };
    })
    .on('get', async ({ params }) => store.pairs.get(params.id))
    .on('create', async ({ body }) => store.pairs.create(body))
    .on('transition', async ({ params, body, actor }) =>
      store.pairs.transition(params.id, body.to, body.reason ?? `by ${actor}`),
    )
    .on('resync', async ({ params, actor }) => store.pairs.startResync(params.id, `started by ${actor}`))
    .on('remove', async ({ params }) => {
      await store.pairs.remove(params.id);
      return { ok: true as const };
    })
    .on('recoveryPoints', async ({ params, query }) => ({
      items: await store.recoveryPoints.list(params.id, query.limit),
    }));
};

export const alertRoutes: RoutePlugin = async (app, { store }) => {
  serve(app, api.alerts).on('list', async ({ query }) => ({
    items: await store.alerts.list(query.all !== 'true', query.limit),
  }));
};
