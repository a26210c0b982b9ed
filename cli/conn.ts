import type { Command } from 'commander';
import type { ConfigServerClient } from '../core/configserver';
import { CliError, printJson } from './io';

/**
 * Reaching a configuration server: every deployment verb takes --server URL and --token-env VAR
 * (defaults: $SITESHIFT_SERVER and SITESHIFT_TOKEN) and --json for scripts. The client is loaded
 * when a verb runs, not when the command table is built (`siteshift --help` loads no client).
 */
export interface ConnOpts {
  server?: string;
  tokenEnv: string;
  serverThumbprint?: string;
  json?: boolean;
}

export function withConn(cmd: Command): Command {
  return cmd
    .option('--server <url>', 'configuration server URL (default $SITESHIFT_SERVER)')
    .option('--token-env <var>', 'environment variable holding the API token', 'SITESHIFT_TOKEN')
    .option('--server-thumbprint <hex>', 'pin the server TLS certificate (SHA-256 thumbprint)')
    .option('--json', 'print JSON for scripts', false);
}

export async function client(opts: ConnOpts): Promise<ConfigServerClient> {
  const url = opts.server ?? process.env.SITESHIFT_SERVER;
  if (!url) throw new CliError('no configuration server: pass --server URL or set SITESHIFT_SERVER', 2);
  const token = process.env[opts.tokenEnv];
  if (!token)
    throw new CliError(
      `environment variable ${opts.tokenEnv} is not set or empty; put an API token in it`,
      2,
    );
  const { ConfigServerClient } = await import('../core/configserver');
  return new ConfigServerClient({
    url,
    token,
    tls: opts.serverThumbprint ? { thumbprint: opts.serverThumbprint } : undefined,
  });
}

/** One call on the server: its answer as JSON with --json, else shown by `show`. */
export async function run<T>(
  opts: ConnOpts,
  fn: (c: ConfigServerClient) => Promise<T>,
  show: (value: T) => void,
): Promise<void> {
  const c = await client(opts);
  try {
    const value = await fn(c);
    if (opts.json) printJson(value);
    else show(value);
  } finally {
    c.close();
  }
}
