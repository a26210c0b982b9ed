import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ConnectorRegistry } from '../../core/inventory/source';
import { configServerApi } from '../../shared/configserver';
import type { TokenAuth } from '../auth';
import type { SecretBox } from '../crypto';
import type { JobRunner, Jobs } from '../jobs';
import type { Store } from '../store';
import { auditRoutes, settingsRoutes, tokenRoutes, whoamiRoutes } from './admin';
import { agentApiRoutes } from './agent';
import { agentRoutes, endpointRoutes, masterTargetRoutes, processServerRoutes, siteRoutes } from './estate';
import { jobRoutes } from './jobs';
import { alertRoutes, pairRoutes, planRoutes } from './protection';

export interface RouteDeps {
  store: Store;
  auth: TokenAuth;
  box: SecretBox;
  connectors: ConnectorRegistry;
  jobs: Jobs;
  runner: JobRunner | null;
}

export type RoutePlugin = FastifyPluginAsync<RouteDeps>;

/** One plugin per resource of the route table, each registered at the resource's prefix. */
const plugins: { [K in keyof typeof configServerApi]?: RoutePlugin } = {
  whoami: whoamiRoutes,
  tokens: tokenRoutes,
  audit: auditRoutes,
  settings: settingsRoutes,
  sites: siteRoutes,
  endpoints: endpointRoutes,
  processServers: processServerRoutes,
  masterTargets: masterTargetRoutes,
  agents: agentRoutes,
  plans: planRoutes,
  pairs: pairRoutes,
  alerts: alertRoutes,
  jobs: jobRoutes,
  agent: agentApiRoutes,
};

export async function registerRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  for (const [name, plugin] of Object.entries(plugins) as Array<[keyof typeof configServerApi, RoutePlugin]>)
    await app.register(plugin, { ...deps, prefix: configServerApi[name].prefix });
}
