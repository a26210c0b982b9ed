import { configServerApi as api } from '../../shared/configserver';
import { serve } from '../http';
import type { RoutePlugin } from './index';

/** The agent API: what agents and process servers call (role `agent`). */
export const agentApiRoutes: RoutePlugin = async (app, { store }) => {
  serve(app, api.agent)
    .on('register', async ({ body }) =>
      store.agents.register({
        ...body,
        pairId: body.pairId ?? null,
        processServerId: body.processServerId ?? null,
      }),
    )
    .on('heartbeat', async ({ params }) => store.agents.heartbeat(params.id))
    .on('pairs', async ({ query }) => {
      const ps = query.processServer ? await store.processServers.resolve(query.processServer) : null;
      return { items: await store.pairs.list({ processServerId: ps?.id }) };
    })
    .on('pairStats', async ({ params, body }) =>
      store.telemetry.pairStats(params.id, body as Required<typeof body>),
    )
    .on('statsBatch', async ({ body }) => store.telemetry.pairStatsBatch(body.items))
    .on('pairProgress', async ({ params, body }) => store.pairs.reportProgress(params.id, body.event))
    .on('recoveryPoint', async ({ params, body }) => store.recoveryPoints.add(params.id, body))
    .on('pairError', async ({ params, body }) =>
      store.telemetry.pairError(params.id, body.kind, body.message),
    )
    .on('processServerHealth', async ({ params, body }) =>
      store.telemetry.processServerHealth(params.id, body),
    );
};
