import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Lab } from '../../server/lab';
import { countOf } from '../../shared/topology/display';
import { CliError } from '../io';
import { parseListenPort } from '../options';
import { defaultServerDataDir, waitForShutdown } from './server';

function parseCount(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 100_000)
      throw new CliError(`${flag} must be a whole number from 1 to 100000, not "${value}"`, 2);
    return n;
  };
}

function parseRate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new CliError(`--rate-mbps must be a positive number, not "${value}"`, 2);
  return n;
}

export function registerLab(program: Command): void {
  const lab = program
    .command('lab')
    .description(
      'start the lab: an embedded configuration server with two lab sites, and a lab agent driving the pairs',
    )
    .option('--vms <n>', 'protectable VMs on the lab primary vCenter', parseCount('--vms'), 48)
    // No default value: commander would print "(default: 0)" after the words that explain 0.
    .option('--port <port>', 'configuration server port (default: a free one)', parseListenPort)
    .option('--data <dir>', 'lab data folder (PGlite)', join(defaultServerDataDir(), '..', 'lab'))
    .option('--memory', 'keep the lab database in memory only', false)
    .option('--web', 'also serve the console in a browser (web host on 127.0.0.1)', false)
    .option('--web-port <port>', "with --web: the console's port (default: a free one)", parseListenPort)
    // No --rate-mbps here: commander would take the one meant for `lab agent --rate-mbps`.
    .action(
      async (opts: {
        vms: number;
        port?: number;
        webPort?: number;
        data: string;
        memory: boolean;
        web: boolean;
      }) => {
        const { startLab } = await import('../../server/lab');
        const log = (line: string) => process.stderr.write(`${line}\n`);
        if (!opts.memory && !existsSync(join(opts.data, 'pgdata')))
          log('siteshift: creating the lab database (first start takes a few seconds)');
        const running = await startLab({
          vms: opts.vms,
          port: opts.port ?? 0,
          dataDir: opts.memory ? undefined : opts.data,
          // An estate that has been replicating a while: most pairs have their copy, a few still copy.
          agent: { log, preSeeded: 0.9 },
          log,
        });
        process.stdout.write(`siteshift lab: configuration server ${running.url}\n`);
        process.stdout.write(
          `siteshift lab: admin token for this session (revoked at exit): ${running.adminToken}\n`,
        );
        let closeWeb: (() => Promise<void>) | null = null;
        if (opts.web) {
          const web = await startLabWeb(running, opts.vms, opts.webPort ?? 0);
          closeWeb = web.close;
          process.stdout.write(`siteshift lab: console ${web.url}\n`);
        }
        await waitForShutdown(async () => {
          await closeWeb?.();
          await running.stop();
        });
      },
    );

  lab
    .command('agent')
    .description(
      'play the agents and process servers of every pair on a configuration server, through its agent API',
    )
    .requiredOption('--server <url>', 'configuration server URL')
    .requiredOption('--token-env <var>', 'environment variable holding an agent (or admin) token')
    .option('--server-thumbprint <hex>', 'pin the server certificate (SHA-256)')
    .option('--rate-mbps <n>', 'replication bandwidth per pair', parseRate, 1000)
    .option('--tick-ms <ms>', 'interval between rounds', (v) => parseCount('--tick-ms')(v), 1000)
    .action(
      async (opts: {
        server: string;
        tokenEnv: string;
        serverThumbprint?: string;
        rateMbps: number;
        tickMs: number;
      }) => {
        const { ConfigServerClient } = await import('../../core/configserver');
        const { LabAgent } = await import('../../server/lab/agent');
        const token = process.env[opts.tokenEnv];
        if (!token)
          throw new CliError(
            `environment variable ${opts.tokenEnv} is not set or empty; put an agent token in it`,
          );
        const client = new ConfigServerClient({
          url: opts.server,
          token,
          tls: { thumbprint: opts.serverThumbprint },
        });
        const who = await client.whoami().catch(() => null);
        const pairs = await client.agentPairs();
        process.stderr.write(
          `siteshift lab agent: ${countOf(pairs.length, 'pair')} on ${opts.server}${who ? ` as ${who.name}` : ''}\n`,
        );
        const agent = new LabAgent(client, {
          rateMbps: opts.rateMbps,
          tickMs: opts.tickMs,
          log: (l) => process.stderr.write(`${l}\n`),
        });
        agent.start();
        await waitForShutdown(async () => {
          await agent.stop();
          client.close();
        });
      },
    );
}

/**
 * The console's web host on the lab estate, given the lab server that is already running (the
 * console would otherwise start its own): the console lists it as its lab configuration server.
 */
async function startLabWeb(
  lab: Lab,
  vms: number,
  port: number,
): Promise<{ url: string; close: () => Promise<void> }> {
  const { ConsoleBackend } = await import('../../core/console/backend');
  const { realConnectors } = await import('../../core/connectors');
  const { defaultDataDir } = await import('../../core/console/data-dir');
  const dataDir = defaultDataDir();
  const { webHostSettings } = await import('../../core/console/secret-storage');
  const { labServerConnection } = await import('../../server/lab/console');
  const { startWebHost } = await import('../../core/console/webhost');
  // The same secret storage as `siteshift web`: the operator's fallback choice decides where secrets go.
  const { vault, settingsHost, follow } = webHostSettings(dataDir, join(dataDir, 'logs'));
  const backend = new ConsoleBackend({
    dataDir,
    vault,
    host: 'web',
    connectors: realConnectors,
    lab: { vms, estate: lab.estate },
    startLabServer: async () => ({
      connection: labServerConnection(lab.url, async () => lab.adminToken),
      // The lab command stops the server itself, after the console.
      stop: async () => {},
    }),
    settingsHost,
  });
  follow(await backend.settings.get());
  const host = await startWebHost({ backend, port });
  return {
    url: host.url,
    close: async () => {
      await host.close();
      await backend.close();
    },
  };
}
