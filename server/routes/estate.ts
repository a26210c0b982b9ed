import { configServerApi as api } from '../../shared/configserver';
import { testSavedEndpoint } from '../endpoints';
import { addEndpoint, addMasterTarget, readEndpointInventory, readSite } from '../estate';
import { serve } from '../http';
import { checkMasterTarget } from '../master-targets';
import { openEndpointSession } from '../sessions';
import type { RoutePlugin } from './index';

export const siteRoutes: RoutePlugin = async (app, deps) => {
  const { store } = deps;
  serve(app, api.sites)
    .on('list', async () => ({ items: await store.sites.list() }))
    .on('create', async ({ body }) => store.sites.create(body.name, body.role))
    .on('inventory', async ({ params }) => readSite(deps, params.id));
};

export const endpointRoutes: RoutePlugin = async (app, deps) => {
  const { store, box, connectors } = deps;
  serve(app, api.endpoints)
    .on('list', async () => ({ items: await store.endpoints.list() }))
    .on('create', async ({ body }) => addEndpoint(deps, body))
    .on('test', async ({ params }) => testSavedEndpoint(store, box, connectors, params.id))
    .on('inventory', async ({ params, reply }) => {
      // A client that goes away before its answer (an export cancelled) stops the read of a large
      // vCenter too: the response closes unfinished.
      const gone = new AbortController();
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) gone.abort();
      });
      return readEndpointInventory(deps, params.id, gone.signal);
    })
    .on('remove', async ({ params }) => store.endpoints.remove(params.id));
};

export const processServerRoutes: RoutePlugin = async (app, { store }) => {
  serve(app, api.processServers)
    .on('list', async () => ({ items: await store.processServers.list() }))
    .on('create', async ({ body }) => {
      const site = await store.sites.resolve(body.site);
      return store.processServers.create(site.id, body.name, body.host);
    });
};

export const masterTargetRoutes: RoutePlugin = async (app, deps) => {
  const { store } = deps;
  serve(app, api.masterTargets)
    .on('list', async () => ({ items: await store.masterTargets.list() }))
    .on('get', async ({ params }) => store.masterTargets.get(params.id))
    .on('create', async ({ body }) => addMasterTarget(deps, body))
    .on('check', async ({ body }) => {
      const opened: Array<{ close(): Promise<void> }> = [];
      try {
        const { check } = await checkMasterTarget(
          deps.store,
          async (endpointId) => {
            const s = await openEndpointSession(deps, endpointId);
            opened.push(s);
            return s;
          },
          body,
        );
        return check;
      } finally {
        await Promise.all(opened.map((s) => s.close().catch(() => {})));
      }
    });
};

export const agentRoutes: RoutePlugin = async (app, { store }) => {
  serve(app, api.agents).on('list', async () => ({ items: await store.agents.list() }));
};
