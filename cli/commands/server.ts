import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_ENDPOINT_TASK_CAP } from '../../server/sessions';
import { CliError } from '../io';
import { parseListenPort } from '../options';

export function defaultServerDataDir(): string {
  const base = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'siteshift', 'server');
}

export interface ServerOpts {
  port: number;
  host: string;
  data?: string;
  databaseUrl?: string;
  keyFile?: string;
  tlsCert?: string;
  tlsKey?: string;
  bootstrapTokenFile?: string;
  jobLeaseSeconds: number;
  endpointTaskCap: number;
  log: boolean;
}

function parseCap(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new CliError(`--endpoint-task-cap must be a whole number from 1 to 256, not "${value}"`, 2);
  return n;
}

function parseLease(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2 || n > 3600)
    throw new CliError(`--job-lease-seconds must be a whole number from 2 to 3600, not "${value}"`, 2);
  return n;
}

/** Resolves on SIGINT/SIGTERM after a graceful close (jobs stop after their current step). */
export function waitForShutdown(close: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolveStop) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.stderr.write('siteshift: shutting down\n');
      void close().finally(resolveStop);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerServer(program: Command): void {
  program
    .command('server')
    .description(
      'run the configuration server (PGlite in a data folder, or PostgreSQL with --database-url / DATABASE_URL)',
    )
    .option('--port <port>', 'TCP port', parseListenPort, 8443)
    .option('--host <address>', 'address to listen on (plain HTTP only on 127.0.0.1)', '127.0.0.1')
    .option(
      '--data <dir>',
      `data folder (PGlite database and credential key; default ${defaultServerDataDir()})`,
    )
    .option('--database-url <url>', 'PostgreSQL connection URL (default $DATABASE_URL)')
    .option('--key-file <file>', 'credential key file (default <data>/server.key)')
    .option('--tls-cert <file>', 'TLS certificate (PEM)')
    .option('--tls-key <file>', 'TLS private key (PEM)')
    .option(
      '--bootstrap-token-file <file>',
      'write the first-start admin token to this file (mode 0600) instead of the terminal',
    )
    .option(
      '--job-lease-seconds <n>',
      'how long a job stays claimed by an instance that stopped renewing it (it died) before another instance on the same database resumes it',
      parseLease,
      60,
    )
    .option(
      '--endpoint-task-cap <n>',
      'vCenter tasks (…_Task methods; reads are not counted) run on one vCenter at once across all jobs, whatever the plans ask (their parallelism); on a Hyper-V host, every call',
      parseCap,
      DEFAULT_ENDPOINT_TASK_CAP,
    )
    .option('--log', 'log requests (JSON lines on stdout)', false)
    .action(async (opts: ServerOpts) => (await import('../actions/server')).runServer(opts));
}
