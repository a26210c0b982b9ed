import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import { ConfigServerClient } from '../../../core/configserver';
import type { LabEstate } from '../../../core/lab';
import { type ConfigServer, type ConfigServerOptions, createConfigServer } from '../../../server/app';
import { type Db, openDb } from '../../../server/db';
import { labConnectors } from '../../../server/lab/connectors';
import { ApiError } from '../../../shared/errors';
import type { Worded } from '../../../shared/i18n/worded';

export type DbKind = 'pglite' | 'postgres';
export const dbKinds: DbKind[] = ['pglite', 'postgres'];

/** The shared PostgreSQL server of the test machine; every test file makes its own database. */
export const postgresAdminUrl = process.env.SITESHIFT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDb {
  kind: DbKind;
  db: Db;
  /** For PostgreSQL: the URL of the fresh database (a second instance can open it). */
  url: string | null;
  drop(): Promise<void>;
}

export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `siteshift_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: postgresAdminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function openTestDb(kind: DbKind): Promise<TestDb> {
  if (kind === 'pglite') {
    const db = await openDb({});
    return { kind, db, url: null, drop: () => db.close() };
  }
  const created = await createPgDatabase();
  const db = await openDb({ databaseUrl: created.url });
  return {
    kind,
    db,
    url: created.url,
    async drop() {
      await db.close().catch(() => {});
      await created.drop();
    },
  };
}

export interface TestServer {
  server: ConfigServer;
  url: string;
  admin: ConfigServerClient;
  /** A client per role, tokens minted through the API. */
  as: Record<'viewer' | 'operator' | 'admin' | 'agent', ConfigServerClient>;
  secrets: Record<'viewer' | 'operator' | 'admin' | 'agent', string>;
  close(): Promise<void>;
}

export async function startTestServer(
  db: Db,
  options: Omit<ConfigServerOptions, 'db'> = {},
): Promise<TestServer> {
  const server = await createConfigServer({ db, sweepMs: 0, ...options });
  const url = await server.listen({ port: 0 });
  if (!server.bootstrapToken) throw new Error('expected a fresh database with a bootstrap token');
  const admin = new ConfigServerClient({ url, token: server.bootstrapToken });
  const secrets = { admin: server.bootstrapToken } as TestServer['secrets'];
  for (const role of ['viewer', 'operator', 'agent'] as const)
    secrets[role] = (await admin.createToken(`test-${role}`, role)).secret;
  const as = Object.fromEntries(
    Object.entries(secrets).map(([role, token]) => [role, new ConfigServerClient({ url, token })]),
  ) as TestServer['as'];
  return {
    server,
    url,
    admin,
    as,
    secrets,
    async close() {
      for (const c of Object.values(as)) c.close();
      admin.close();
      await server.close();
    },
  };
}

/**
 * A test server on the lab's estate, as the workflows see a deployment: sites ams (primary) and rtm
 * (secondary), each with its lab vCenter as an endpoint (lab-vc-ams, lab-vc-rtm). The connectors
 * are the lab's unless the options give others (a lab connector wrapped to fail, say).
 */
export async function startLabTestServer(
  db: Db,
  estate: LabEstate,
  options: Omit<ConfigServerOptions, 'db'> = {},
): Promise<TestServer> {
  const t = await startTestServer(db, { connectors: labConnectors(estate), ...options });
  await t.admin.addSite('ams', 'primary');
  await t.admin.addSite('rtm', 'secondary');
  for (const [site, doc] of [
    ['ams', estate.primary],
    ['rtm', estate.secondary],
  ] as const) {
    await t.admin.addEndpoint({
      site,
      name: `lab-vc-${site}`,
      target: { kind: 'vsphere', url: doc.source.url, username: 'administrator@vsphere.local' },
      secrets: { password: 'lab' },
      trustOnFirstUse: true,
    });
  }
  return t;
}

/** A plain HTTP call for the cases the typed client cannot make (bad bodies, no token). */
export async function raw(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: string; contentType?: string } = {},
): Promise<{
  status: number;
  json: { error?: { code: string; message: string; messageWords?: Worded } } & Record<string, unknown>;
}> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const res = await fetch(`${url}${path}`, { method, headers, body: options.body });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {} };
}

export const stats = (
  over: Partial<{
    rpoSec: number;
    pendingChangeBytes: number;
    diskSizeBytes: number;
    throughputBps: number;
    progress: number;
  }> = {},
) => ({
  rpoSec: 30,
  pendingChangeBytes: 1e6,
  diskSizeBytes: 100e9,
  throughputBps: 1e7,
  progress: 1,
  ...over,
});

export async function waitFor<T>(
  fn: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The ApiError a call was refused with (fails the test when the call succeeded). */
export async function refused(p: Promise<unknown>): Promise<ApiError & { status?: number }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'the call should have been refused').toBeInstanceOf(ApiError);
  return err as ApiError & { status?: number };
}

/** The repository and its `siteshift` command, for tests that run the server as operators do. */
export const repoRoot = resolve(__dirname, '../../..');
export const siteshiftBin = join(repoRoot, 'bin/siteshift.mjs');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** What the process wrote on stderr so far. */
  stderr: () => string;
}

/**
 * The `siteshift server` processes of one test file: each is started on a free port and waited
 * for until it says where it listens; the ones still running are killed by `killAll`.
 */
export class ServerProcesses {
  private readonly children = new Set<ChildProcess>();

  async start(args: string[]): Promise<ServerProcess> {
    const child = spawn(process.execPath, [siteshiftBin, 'server', '--port', '0', ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const url = await Promise.race([
      waitFor(() => /listening on (\S+)/.exec(out)?.[1], 'the server to listen', 120_000),
      exited.then((code) => {
        throw new Error(`siteshift server exited with ${code}: ${err}`);
      }),
    ]);
    return { child, url, stderr: () => err };
  }

  /** SIGKILL, as a crash: nothing is flushed or closed. Resolves once the process is gone. */
  async kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }

  async killAll(): Promise<void> {
    await Promise.all([...this.children].map((c) => this.kill(c)));
  }
}
