import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ConnectorRegistry } from '../core/inventory/source';
import { appVersion } from '../core/version';
import { configServerApi } from '../shared/configserver';
import { sayRefusal } from '../shared/i18n/refusal-words';
import { installAuth, TokenAuth } from './auth';
import { SecretBox } from './crypto';
import { type DataDirLock, lockDataDir, preparePrivateDataDir } from './datadir';
import { type Db, LISTEN_APPLICATION_NAME, openDb } from './db';
import { EventHub } from './events';
import { HttpError, installZod, refusal, serve, swaggerTransform } from './http';
import { JobRunner, Jobs, type Workflow } from './jobs';
import { Metrics } from './metrics';
import { migrate } from './migrations';
import { registerRoutes } from './routes';
import { Store } from './store';
import { EVENTS_CHANNEL, TOKENS_CHANNEL, TOKENS_HEARD_CHANNEL } from './store/tx';
import { StreamGuard } from './streams';
import { defaultWorkflows } from './workflows';

export interface ConfigServerOptions {
  /** PGlite data folder (the embedded default). Ignored when databaseUrl or db is given. */
  dataDir?: string;
  /** postgres://… : a real PostgreSQL server (several instances may share it). */
  databaseUrl?: string;
  /** An already open database (tests). */
  db?: Db;
  /** The credential key; default <dataDir>/server.key. Required with databaseUrl and no dataDir. */
  keyFile?: string;
  secretBox?: SecretBox;
  connectors?: ConnectorRegistry;
  workflows?: Workflow[];
  clock?: () => Date;
  /** Interval of the time-driven rules (heartbeats, scheduled resyncs); 0 turns it off. */
  sweepMs?: number;
  /** Run the job runner in this instance (default true). */
  runJobs?: boolean;
  /**
   * Seconds a job claimed by this instance stays its own without a renewal (default 60): when the
   * instance dies, another instance on the same database resumes the job after this long.
   */
  jobLeaseSec?: number;
  /**
   * Waits before each retry of a step's recoverable error (default DESIGN.md's 1, 2, 4, 8, 10,
   * 30 minutes); tests scale the same schedule down.
   */
  jobRetryDelaysMs?: readonly number[];
  /** Concurrent operations this instance sends one vCenter or host across all jobs (default 8). */
  endpointTaskCap?: number;
  eventPollMs?: number;
  /** How often the tokens of open event streams are checked again (default 30 s; 0: only on token events). */
  streamRecheckMs?: number;
  /** Largest accepted request body (default 1 MiB). */
  bodyLimit?: number;
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Request log (JSON lines on stdout, or on the given stream). */
  logger?: boolean | { stream: NodeJS.WritableStream };
  /** Where to send the one-time bootstrap token; default: returned in `bootstrapToken` only. */
  onBootstrapToken?: (secret: string) => void | Promise<void>;
}

export interface ConfigServer {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly hub: EventHub;
  readonly jobs: Jobs;
  readonly runner: JobRunner | null;
  readonly auth: TokenAuth;
  readonly streams: StreamGuard;
  readonly db: Db;
  readonly instanceId: string;
  /** The admin token minted on first start (null when tokens already existed). */
  readonly bootstrapToken: string | null;
  listen(options: { port?: number; host?: string }): Promise<string>;
  /** Runs the time-driven rules once (the timer does this every sweepMs). */
  sweep(): Promise<{ heartbeatAlerts: number; resyncsStarted: number }>;
  close(): Promise<void>;
}

/**
 * What the request log keeps of a request. Query strings are logged with their values replaced:
 * a client may put a token or a name there, and a log file is read by more people than the API.
 */
export function serverLoggerOptions(stream?: NodeJS.WritableStream) {
  return {
    level: 'info',
    redact: ['req.headers.authorization'],
    serializers: {
      req(req: { method: string; url: string; ip?: string; socket?: { remotePort?: number } }) {
        return {
          method: req.method,
          url: redactQueryString(req.url),
          remoteAddress: req.ip,
          remotePort: req.socket?.remotePort,
        };
      },
    },
    ...(stream ? { stream } : {}),
  };
}

export function redactQueryString(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const keys = url
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    // A key that does not look like a parameter name may itself be a secret sent bare.
    .map((pair) => {
      const key = pair.split('=', 1)[0] ?? '';
      return /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(key) ? `${key}=***` : '***';
    });
  return `${url.slice(0, q)}?${keys.join('&')}`;
}

const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);

export async function createConfigServer(options: ConfigServerOptions = {}): Promise<ConfigServer> {
  let lock: DataDirLock | null = null;
  if (options.dataDir && !options.db && !options.databaseUrl) {
    await preparePrivateDataDir(options.dataDir);
    lock = await lockDataDir(options.dataDir);
  }
  let db: Db;
  try {
    db =
      options.db ??
      (await openDb({
        dataDir: options.dataDir && lock ? join(options.dataDir, 'pgdata') : undefined,
        databaseUrl: options.databaseUrl,
      }));
  } catch (err) {
    await lock?.release();
    throw err;
  }
  const ownsDb = !options.db;
  const closeDb = async () => {
    if (ownsDb) await db.close();
    await lock?.release();
  };
  try {
    await migrate(db);
  } catch (err) {
    await closeDb();
    throw err;
  }
  const keyFile = options.keyFile ?? (options.dataDir ? join(options.dataDir, 'server.key') : undefined);
  let box = options.secretBox;
  if (!box) {
    if (keyFile)
      box = await SecretBox.fromFile(keyFile).catch(async (err: unknown) => {
        await closeDb();
        throw err;
      });
    else if (db.kind === 'pglite')
      box = SecretBox.fromKey(randomBytes(32)); // in-memory database, in-memory key
    else {
      await closeDb();
      throw new Error(
        'a PostgreSQL-backed server needs a key file for endpoint credentials: give --key-file (or --data DIR)',
      );
    }
  }
  const instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const hub = new EventHub(
    db,
    options.eventPollMs ?? (db.kind === 'postgres' ? 250 : 1000),
    db.kind === 'pglite',
  );
  await hub.start();
  const store = new Store(db, hub, options.clock);
  // Until the NOTIFY connection is up, a token revoked on another instance could not be heard.
  let hearsOtherInstances = db.kind === 'pglite';
  const auth = new TokenAuth(store, 5000, () => hearsOtherInstances);
  const workflows = defaultWorkflows(options.workflows);
  const jobs = new Jobs(store, workflows);
  const connectors = options.connectors ?? {};
  const runner =
    options.runJobs === false
      ? null
      : new JobRunner(store, workflows, {
          workerId: instanceId,
          endpoints: { box, connectors },
          leaseSec: options.jobLeaseSec,
          retryDelaysMs: options.jobRetryDelaysMs,
          endpointConcurrency: options.endpointTaskCap,
        });
  const metrics = new Metrics();
  const started = Date.now();

  const app = Fastify({
    logger: options.logger
      ? serverLoggerOptions(typeof options.logger === 'object' ? options.logger.stream : undefined)
      : false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Ids are up to 200 characters (idParams); the router's default cut-off is 100.
    routerOptions: { maxParamLength: 256 },
    // The router's own refusals (a path segment past that length, a malformed %-escape) answer
    // in the API's error shape, without echoing the whole path back.
    frameworkErrors: (err: { code?: string }, _req: unknown, reply: FastifyReply) => {
      const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
      void reply.code(tooLong ? 414 : 400).send({
        error: refusal('invalid-input', sayRefusal(tooLong ? 'refusal.pathTooLong' : 'refusal.badPath')),
      });
    },
    forceCloseConnections: true,
    ...(options.tls
      ? { https: { cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' as const } }
      : {}),
  }) as unknown as FastifyInstance;
  // Before the auth hooks: the plugin's own hooks must see a refused upgrade to close its socket.
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  installZod(app);
  installAuth(app, store, auth, (err, action) => {
    metrics.auditFailures++;
    process.stderr.write(`siteshift: AUDIT WRITE FAILED for ${action}: ${(err as Error).message}\n`);
  });
  app.addHook('onResponse', async (req, reply) => {
    metrics.observe(
      req.method,
      req.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'Siteshift configuration server', version: appVersion },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: swaggerTransform as never,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (health) => {
      serve(health, configServerApi.health).on('get', async ({ reply }) => {
        let status: 'ok' | 'degraded' = 'ok';
        try {
          await db.query('SELECT 1');
        } catch {
          status = 'degraded';
          reply.code(503);
        }
        return {
          status,
          version: appVersion,
          database: db.kind,
          instanceId,
          uptimeSec: Math.round((Date.now() - started) / 1000),
        };
      });
    },
    { prefix: configServerApi.health.prefix },
  );
  // A viewer token, not a separate listener: Prometheus sends bearer tokens natively
  // (authorization.credentials_file), the series show the estate's size and state, and each
  // scrape queries the database, which no one without a token should be able to make it do.
  app.get('/metrics', { schema: { hide: true }, config: { access: 'viewer' } }, async (_req, reply) => {
    reply.type('text/plain; version=0.0.4');
    return metrics.render(store, hub, {
      jobsRunning: runner?.activeCount ?? 0,
      wasmMemoryBytes: db.wasmMemoryBytes?.() ?? null,
      databaseHeap: db.threadHeap?.() ?? null,
    });
  });

  await registerRoutes(app, { store, auth, box, connectors, jobs, runner });
  const streams = new StreamGuard(store, auth, hub, options.streamRecheckMs ?? 30_000, (err) =>
    app.log.error({ err }, 'event stream token re-check failed'),
  );
  await streams.start();
  const heard = db.listen ? new TokenChangesHeard(db) : null;
  if (heard) store.tokenChangeHeard = (announcement) => heard.everyInstance(announcement);
  db.listen?.(
    [EVENTS_CHANNEL, TOKENS_CHANNEL, TOKENS_HEARD_CHANNEL],
    (channel, payload) => {
      if (channel === EVENTS_CHANNEL) hub.poke();
      else if (channel === TOKENS_HEARD_CHANNEL) heard?.answer(payload);
      else {
        auth.forget();
        // Only now, with the cache empty, may the instance that changed the token hear that this one knows.
        if (payload)
          db.query('SELECT pg_notify($1, $2)', [TOKENS_HEARD_CHANNEL, payload]).catch((err) =>
            app.log.error({ err }, 'could not answer a token change'),
          );
        // Streams of a token revoked elsewhere close now rather than when the hub reaches the event.
        streams.recheck().catch((err) => app.log.error({ err }, 'event stream token re-check failed'));
      }
    },
    (up) => {
      hearsOtherInstances = up;
      // What was announced while the connection was down was not heard: catch up.
      auth.forget();
      hub.poke();
      if (up) streams.recheck().catch((err) => app.log.error({ err }, 'event stream token re-check failed'));
    },
  );
  registerEventStream(app, hub, streams);

  const bootstrapToken = await auth.bootstrap();
  if (bootstrapToken && options.onBootstrapToken) await options.onBootstrapToken(bootstrapToken);

  let sweepTimer: NodeJS.Timeout | null = null;
  const sweep = () => store.sweep();
  const sweepMs = options.sweepMs ?? 15_000;
  if (sweepMs > 0) {
    sweepTimer = setInterval(() => {
      sweep().catch((err) => app.log.error({ err }, 'sweep failed'));
    }, sweepMs);
    sweepTimer.unref();
  }
  runner?.start();
  await app.ready();

  let closed = false;
  return {
    app,
    store,
    hub,
    jobs,
    runner,
    auth,
    streams,
    db,
    instanceId,
    bootstrapToken,
    sweep,
    async listen({ port = 0, host = '127.0.0.1' }) {
      if (!options.tls && !loopbackHosts.has(host)) {
        throw new Error(
          `plain HTTP is served on 127.0.0.1 only; give a TLS certificate and key to listen on ${host}`,
        );
      }
      await app.listen({ port, host });
      const addr = app.server.address();
      const actual = typeof addr === 'object' && addr ? addr.port : port;
      const shown = host.includes(':') ? `[${host}]` : host;
      return `${options.tls ? 'https' : 'http'}://${shown}:${actual}`;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (sweepTimer) clearInterval(sweepTimer);
      await runner?.stop();
      streams.stop();
      hub.stop();
      await app.close();
      await closeDb();
    },
  };
}

/**
 * Counts the answers of the instances to each token change (see Transactions.tokenChangeHeard).
 * The instances are the database's LISTEN sessions (one per instance, named by db.ts); one that
 * does not answer within 2 s (hung, or cut off from the database between the count and the
 * change) is not waited for longer: an instance that cannot hear notifications does not use its
 * token cache, and the periodic re-checks remain.
 */
class TokenChangesHeard {
  private readonly answers = new Map<string, { n: number; at: number }>();
  private readonly waiters = new Set<() => void>();

  constructor(private readonly db: Db) {}

  answer(announcement: string): void {
    const now = Date.now();
    for (const [k, v] of this.answers) if (now - v.at > 10_000) this.answers.delete(k);
    const a = this.answers.get(announcement) ?? { n: 0, at: now };
    a.n++;
    this.answers.set(announcement, a);
    for (const wake of this.waiters) wake();
  }

  async everyInstance(announcement: string, timeoutMs = 2000): Promise<void> {
    const [row] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = $1`,
      [LISTEN_APPLICATION_NAME],
    );
    const instances = row?.n ?? 0;
    const deadline = Date.now() + timeoutMs;
    while ((this.answers.get(announcement)?.n ?? 0) < instances && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.max(0, deadline - Date.now()));
        this.waiters.add(wake);
      });
    }
  }
}

const streamQuery = z.strictObject({
  since: z.string().regex(/^\d+$/, 'since is the id of the last event received').optional(),
  types: z.string().optional(),
});

/**
 * GET /api/v1/events (WebSocket). A frame is one event `{id, at, type, payload}`, a JSON array of
 * events (in id order), or a control frame `{type: 'ready' | 'reset', lastId}`. Reconnect with `?since=<last id>` to get exactly what was
 * missed. A subscriber too slow to keep up is disconnected (1013) and resumes the same way.
 */
function registerEventStream(app: FastifyInstance, hub: EventHub, streams: StreamGuard): void {
  app.get(
    '/api/v1/events',
    {
      websocket: true,
      config: { access: 'viewer' },
      schema: {
        querystring: streamQuery,
        summary: 'Event stream (WebSocket); resume with ?since=<id>',
        tags: ['events'],
      },
    },
    (socket, req) => {
      // The route is viewer-level, so the auth hook has set req.auth before the upgrade.
      if (req.auth) streams.add(req.auth.tokenId, socket);
      const query = req.query as z.output<typeof streamQuery>;
      const types = query.types ? new Set(query.types.split(',').map((t) => t.trim())) : null;
      let unsubscribe: (() => void) | null = null;
      let closed = false;
      const sink = {
        types,
        send(_json: string, bytes: Buffer) {
          if (closed) return false;
          if (socket.bufferedAmount > 4 * 1024 * 1024) {
            closed = true;
            socket.close(1013, 'subscriber too slow: reconnect with ?since=<last id>');
            return false;
          }
          socket.send(bytes, { binary: false });
          return true;
        },
      };
      const ping = setInterval(() => socket.ping(), 30_000);
      socket.on('close', () => {
        closed = true;
        clearInterval(ping);
        unsubscribe?.();
      });
      socket.on('message', () => {
        // The stream is one-way; a client message is ignored rather than treated as an error.
      });
      hub
        .subscribe(sink, query.since ? BigInt(query.since) : null)
        .then((sub) => {
          unsubscribe = sub.unsubscribe;
          if (closed) return sub.unsubscribe();
          if (sub.status === 'reset') {
            socket.send(
              JSON.stringify({
                type: 'reset',
                lastId: sub.lastId.toString(),
                message:
                  'the requested events are no longer kept; reload the state, then continue from lastId',
              }),
            );
          } else socket.send(JSON.stringify({ type: 'ready', lastId: sub.lastId.toString() }));
        })
        .catch((err) => {
          req.log.error({ err }, 'event stream subscribe failed');
          socket.close(1011, 'server error');
        });
    },
  );
}

export { HttpError };
