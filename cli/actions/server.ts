import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { defaultServerDataDir, type ServerOpts, waitForShutdown } from '../commands/server';
import { CliError } from '../io';

/** What `siteshift server` does with its options (cli/commands/server.ts). */

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

export async function runServer(opts: ServerOpts): Promise<void> {
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
    endpointTaskCap: opts.endpointTaskCap,
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
}
