import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../io';
import { parseListenPort } from '../options';

export function defaultServerDataDir(): string {
  const base = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'siteshift', 'server');
}

/**
 * Writes the one-time token for scripts. The bytes go into a new file created exclusively with
 * mode 0600 beside the target, which is then renamed into place: never a moment when the secret
 * sits in a file others can read, and an existing file or symlink at the path is replaced, not
 * written through.
 */
export async function writeSecretFile(path: string, secret: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${secret}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw err;
  }
}

/**
 * A password in a flag shows in the process list and the shell history. The database password
 * comes from the environment: PGPASSWORD (or ~/.pgpass), which the driver reads, or DATABASE_URL.
 */
export function refusePasswordInFlag(databaseUrl: string): void {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new CliError('--database-url is not a URL: give postgres://USER@HOST:PORT/DATABASE', 2);
  }
  if (url.password) {
    throw new CliError(
      '--database-url carries a password, which every user of this machine can read in the process list (and your shell keeps in its history); give the URL without it and put the password in PGPASSWORD, ~/.pgpass or DATABASE_URL',
      2,
    );
  }
}

interface ServerOpts {
  port: number;
  host: string;
  data?: string;
  databaseUrl?: string;
  keyFile?: string;
  tlsCert?: string;
  tlsKey?: string;
  bootstrapTokenFile?: string;
  jobLeaseSeconds: number;
  log: boolean;
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
    .option('--log', 'log requests (JSON lines on stdout)', false)
    .action(async (opts: ServerOpts) => {
      const { createConfigServer } = await import('../../server/app');
      const { realConnectors } = await import('../../core/connectors');
      if (opts.databaseUrl) refusePasswordInFlag(opts.databaseUrl);
      const databaseUrl = opts.databaseUrl ?? process.env.DATABASE_URL;
      if (opts.data && opts.databaseUrl) throw new CliError('give --data or --database-url, not both', 2);
      if (Boolean(opts.tlsCert) !== Boolean(opts.tlsKey))
        throw new CliError('--tls-cert and --tls-key go together', 2);
      const dataDir = opts.data ?? (databaseUrl && opts.keyFile ? undefined : defaultServerDataDir());
      const tls = opts.tlsCert
        ? {
            cert: await readFile(opts.tlsCert).catch(() => {
              throw new CliError(`cannot read the TLS certificate ${opts.tlsCert}`);
            }),
            key: await readFile(opts.tlsKey!).catch(() => {
              throw new CliError(`cannot read the TLS key ${opts.tlsKey}`);
            }),
          }
        : undefined;
      if (!tls && !['127.0.0.1', '::1', 'localhost'].includes(opts.host)) {
        throw new CliError(
          `plain HTTP is served on 127.0.0.1 only; give --tls-cert and --tls-key to listen on ${opts.host}`,
          2,
        );
      }
      const server = await createConfigServer({
        dataDir: databaseUrl ? undefined : dataDir,
        databaseUrl,
        keyFile: opts.keyFile ?? (dataDir ? join(dataDir, 'server.key') : undefined),
        tls,
        connectors: realConnectors,
        jobLeaseSec: opts.jobLeaseSeconds,
        logger: opts.log,
        onBootstrapToken: async (secret) => {
          if (opts.bootstrapTokenFile) {
            await writeSecretFile(opts.bootstrapTokenFile, secret);
            process.stderr.write(
              `siteshift: first start: admin token written to ${opts.bootstrapTokenFile} (mode 0600)\n`,
            );
          } else {
            process.stderr.write(
              `siteshift: first start: one-time admin token (shown once; store it now, then create named tokens with 'siteshift token create'):\n${secret}\n`,
            );
          }
        },
      }).catch((err: Error) => {
        throw new CliError(`cannot start the configuration server: ${err.message}`);
      });
      let url: string;
      try {
        url = await server.listen({ port: opts.port, host: opts.host });
      } catch (err) {
        await server.close();
        throw new CliError(`cannot listen on ${opts.host}:${opts.port}: ${(err as Error).message}`);
      }
      const { redactUrl } = await import('../../server/db');
      const store = databaseUrl ? `PostgreSQL ${redactUrl(databaseUrl)}` : `PGlite in ${dataDir}`;
      process.stdout.write(`siteshift configuration server listening on ${url} (${store})\n`);
      await waitForShutdown(() => server.close());
    });
}
