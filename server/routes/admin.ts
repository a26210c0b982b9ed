import { configServerApi as api } from '../../shared/configserver';
import { serve } from '../http';
import type { RoutePlugin } from './index';

export const whoamiRoutes: RoutePlugin = async (app) => {
  serve(app, api.whoami).on('get', async ({ req }) => ({
    tokenId: req.auth!.tokenId,
    name: req.auth!.name,
    role: req.auth!.role,
  }));
};

export const tokenRoutes: RoutePlugin = async (app, { store, auth }) => {
  serve(app, api.tokens)
    .on('list', async () => ({ items: await store.tokens.list() }))
    .on('create', async ({ body, actor }) => auth.create(body.name, body.role, actor))
    .on('revoke', async ({ params }) => {
      const token = await store.tokens.revoke(params.id);
      auth.forget();
      return token;
    });
};

export const auditRoutes: RoutePlugin = async (app, { store }) => {
  serve(app, api.audit).on('list', async ({ query }) => ({
    items: await store.audit.list(query.limit, query.before ?? null),
  }));
};

export const settingsRoutes: RoutePlugin = async (app, { store }) => {
  serve(app, api.settings)
    .on('get', async () => store.settings.get())
    .on('put', async ({ body }) => store.settings.put(body));
};
