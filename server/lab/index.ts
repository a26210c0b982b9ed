import { join } from 'node:path';
import { ConfigServerClient } from '../../core/configserver';
import { createLabEstate, type LabEstate, startReplicaClock, stopReplicaClock } from '../../core/lab';
import { type ConfigServer, createConfigServer } from '../app';
import { LabAgent, type LabAgentOptions } from './agent';
import { labConnectors } from './connectors';
import { type LabSeedSummary, seedLab } from './seed';

export { LabAgent, type LabAgentOptions } from './agent';
export { labConnectors } from './connectors';
export { labSiteNames, seedLab } from './seed';

export interface LabOptions {
  /** Protectable VMs on the primary vCenter (default 48). */
  vms?: number;
  /** The estate to serve; the console passes its own so that both see the same machines change. */
  estate?: LabEstate;
  /** PGlite data folder; omitted = in memory (gone at exit). */
  dataDir?: string;
  port?: number;
  agent?: LabAgentOptions | false;
  log?: (line: string) => void;
  /** Called with the one-time bootstrap token on a fresh data folder. */
  onBootstrapToken?: (secret: string) => void | Promise<void>;
}

export interface Lab {
  server: ConfigServer;
  url: string;
  /** An admin token valid while the lab runs (revoked at stop): give it to the console. */
  adminToken: string;
  estate: LabEstate;
  agent: LabAgent | null;
  seed: LabSeedSummary;
  stop(): Promise<void>;
}

/**
 * The embedded lab: a configuration server on PGlite, seeded with the two lab sites through its
 * REST API, and the lab agent driving the pairs through the agent API over HTTP.
 */
export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const estate = options.estate ?? createLabEstate({ vms: options.vms ?? 48 });
  startReplicaClock(estate);
  const server = await createConfigServer({
    dataDir: options.dataDir,
    keyFile: options.dataDir ? join(options.dataDir, 'server.key') : undefined,
    connectors: labConnectors(estate),
    sweepMs: 5000,
    onBootstrapToken: options.onBootstrapToken,
  });
  try {
    const url = await server.listen({ port: options.port ?? 0, host: '127.0.0.1' });
    // A lab that crashed never revoked its tokens: with the data folder locked to this server,
    // every live lab token is a leftover, and is revoked before new ones are minted.
    await revokeLabTokens(server);
    const stamp = new Date().toISOString();
    const admin = await server.auth.create(`lab-console ${stamp}`, 'admin', LAB_TOKEN_CREATOR);
    const agentToken = await server.auth.create(`lab-agent ${stamp}`, 'agent', LAB_TOKEN_CREATOR);
    const adminClient = new ConfigServerClient({ url, token: admin.secret });
    const seed = await seedLab(adminClient, estate, options.log);
    adminClient.close();
    let agent: LabAgent | null = null;
    let agentClient: ConfigServerClient | null = null;
    if (options.agent !== false) {
      agentClient = new ConfigServerClient({ url, token: agentToken.secret });
      agent = new LabAgent(agentClient, { log: options.log, ...(options.agent ?? {}) });
      agent.start();
    }
    return {
      server,
      url,
      adminToken: admin.secret,
      estate,
      agent,
      seed,
      async stop() {
        if (!options.estate) stopReplicaClock(estate);
        await agent?.stop();
        agentClient?.close();
        try {
          await server.store.tokens.revoke(admin.token.id);
          await server.store.tokens.revoke(agentToken.token.id);
        } finally {
          await server.close();
        }
      },
    };
  } catch (err) {
    await server.close();
    throw err;
  }
}

/** The tokens startLab mints are created by 'lab'; no operator's token is. */
export const LAB_TOKEN_CREATOR = 'lab';

async function revokeLabTokens(server: ConfigServer): Promise<number> {
  const stale = (await server.store.tokens.list()).filter(
    (t) => t.createdBy === LAB_TOKEN_CREATOR && !t.revokedAt,
  );
  for (const token of stale) await server.store.tokens.revoke(token.id);
  if (stale.length > 0) server.auth.forget();
  return stale.length;
}
