import { configServerApi as api } from '../../shared/configserver';
import { sayRefusal } from '../../shared/i18n/refusal-words';
import { HttpError, serve } from '../http';
import type { RoutePlugin } from './index';

export const jobRoutes: RoutePlugin = async (app, { jobs, runner }) => {
  serve(app, api.jobs)
    .on('list', async ({ query }) => ({
      items: await jobs.list(query.limit, query.state ? [query.state] : undefined),
    }))
    .on('get', async ({ params }) => jobs.get(params.id))
    .on('create', async ({ body, actor, req }) => {
      // Configuring a master target changes the estate, as adding one does: admins only.
      if (body.kind === 'configure-master-target' && req.auth?.role !== 'admin')
        throw new HttpError(
          403,
          'unauthorized',
          sayRefusal('refusal.onlyAdminMt', { role: req.auth?.role ?? 'none' }),
        );
      const job = await jobs.create(body, actor);
      runner?.kick();
      return job;
    })
    .on('cancel', async ({ params }) => jobs.cancel(params.id))
    .on('acknowledge', async ({ params, actor }) => jobs.acknowledge(params.id, actor));
};
