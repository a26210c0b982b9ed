import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { createDispatcher } from '../../shared/dispatch';
import { toErrorPayload } from '../../shared/errors';
import { clientMessageSchema, type ServerMessage } from '../../shared/wire';
import { type Logger, rememberSecret } from '../log';
import type { ConsoleBackend } from './backend';
import { loggedDispatch } from './call-log';
import { contentSecurityPolicy } from './csp';

export interface WebHostOptions {
  backend: Pick<ConsoleBackend, 'handlers' | 'onEvent'>;
  /** 0 picks a free port. */
  port?: number;
  /** The built renderer (vite build output). */
  rendererDir?: string;
  /** Fixed token for tests; a fresh random one otherwise. */
  token?: string;
  /** Where calls, connections and failures are logged (the web host's rotated log). */
  logger?: Logger;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Only loopback: the web host is the console for this workstation, never a network service. */
export const WEB_HOST_ADDRESS = '127.0.0.1';
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  // Known once listening; requests cannot arrive before that.
  let port = 0;
  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_MESSAGE_BYTES } });

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('Content-Security-Policy', contentSecurityPolicy);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    return payload;
  });

  // Default deny: every route needs the token except the renderer's static files, and the
  // decision is taken on the route the router matched (it decodes the path), never on the raw URL.
  app.addHook('onRequest', async (req, reply) => {
    const refusal = refuseRequest(req, token, port);
    if (refusal) await reply.code(refusal.status).send({ error: refusal.error });
  });

  app.get('/api/health', async () => ({ status: 'ok' }));

  const plain = createDispatcher(options.backend.handlers);
  const dispatch = options.logger ? loggedDispatch(plain, options.logger) : plain;
  const sockets = new Set<WebSocket>();
  const stopEvents = options.backend.onEvent((name, payload) => {
    const message = JSON.stringify({ type: 'event', name, payload } satisfies ServerMessage);
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(message);
  });

  app.get('/api/ws', { websocket: true }, (socket) => {
    sockets.add(socket);
    const inFlight = new Map<number, AbortController>();
    const send = (message: ServerMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    socket.on('message', (raw: Buffer) => {
      let message: ReturnType<typeof clientMessageSchema.parse>;
      try {
        message = clientMessageSchema.parse(JSON.parse(raw.toString('utf8')));
      } catch {
        send({
          type: 'error',
          id: null,
          error: { code: 'invalid-input', message: 'Malformed message: expected {type, id, name, input}.' },
        });
        return;
      }
      if (message.type === 'abort') {
        inFlight.get(message.id)?.abort();
        return;
      }
      const controller = new AbortController();
      inFlight.set(message.id, controller);
      dispatch(message.name, message.input, controller.signal)
        .then((result) => send({ type: 'result', id: message.id, result }))
        .catch((err: unknown) => send({ type: 'error', id: message.id, error: toErrorPayload(err) }))
        .finally(() => inFlight.delete(message.id));
    });
    socket.on('close', () => {
      sockets.delete(socket);
      for (const c of inFlight.values()) c.abort();
    });
  });

  const rendererDir = resolve(options.rendererDir ?? 'dist/renderer');
  if (existsSync(rendererDir)) {
    await app.register(async (staticScope) => {
      // Every route the static plugin adds is marked public; nothing else is.
      staticScope.addHook('onRoute', (route) => {
        route.config = { ...route.config, publicStatic: true };
      });
      await staticScope.register(fastifyStatic, {
        root: rendererDir,
        index: 'index.html',
        // Source maps stay on disk for crash analysis; the web host does not hand the console's
        // source to whoever can reach the port.
        allowedPath: (pathName) => !pathName.endsWith('.map'),
      });
    });
  } else {
    app.get('/', { config: { publicStatic: true } }, async (_req, reply) =>
      reply
        .code(503)
        .type('text/plain')
        .send('The console is not built: run `npm run build:renderer` and start again.'),
    );
  }

  await app.listen({ host: WEB_HOST_ADDRESS, port: options.port ?? 0 });
  port = addressPort(app);
  // The token is a secret: it never reaches the log, not even inside the URL.
  rememberSecret(token);
  options.logger?.info({ url: `http://${WEB_HOST_ADDRESS}:${port}/?token=${token}` }, 'web host listening');
  return {
    url: `http://${WEB_HOST_ADDRESS}:${port}/?token=${token}`,
    port,
    token,
    async close() {
      stopEvents();
      for (const s of sockets) s.close(1001, 'web host stopping');
      await app.close();
    },
  };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route of the renderer's static files: the only routes the web host serves without the token. */
    publicStatic?: boolean;
  }
}

interface Refusal {
  status: 401 | 403;
  error: { code: 'unauthorized' | 'forbidden'; message: string };
}

const forbidden = (message: string): Refusal => ({ status: 403, error: { code: 'forbidden', message } });

/**
 * The web host's front door, in order: the request line, the Host (DNS rebinding), the Origin of
 * a WebSocket upgrade (cross-site WebSocket hijacking), then the token for every route but the
 * static files. Exported for the unit tests of its rules; startWebHost is the only caller.
 */
export function refuseRequest(req: FastifyRequest, token: string, port: number): Refusal | undefined {
  const rawUrl = req.raw.url ?? '';
  // Absolute-form (`GET http://host/api/...`) is for proxies; this is not one.
  if (!rawUrl.startsWith('/') || rawUrl.startsWith('//')) {
    return forbidden('Only origin-form request targets (a path starting with one /) are accepted.');
  }
  const allowedHosts = new Set([`${WEB_HOST_ADDRESS}:${port}`, `localhost:${port}`]);
  const host = req.headers.host?.toLowerCase();
  if (!host || !allowedHosts.has(host)) {
    return forbidden(`The console answers only to Host ${WEB_HOST_ADDRESS}:${port} or localhost:${port}.`);
  }
  const upgrade = req.headers.upgrade !== undefined;
  const origin = req.headers.origin;
  // Browsers always send Origin on a WebSocket; a client without one is not a web page.
  if (upgrade && origin !== undefined && !allowedHosts.has(originHost(origin))) {
    return forbidden('WebSocket connections are accepted only from the console itself.');
  }
  const isPublic = !upgrade && req.routeOptions.config?.publicStatic === true && isPlainStaticPath(rawUrl);
  if (isPublic || hasToken(req, token)) return undefined;
  return {
    status: 401,
    error: {
      code: 'unauthorized',
      message: 'Open the console with the URL the web host printed (it carries the token).',
    },
  };
}

function originHost(origin: string): string {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' ? url.host.toLowerCase() : '';
  } catch {
    return '';
  }
}

/**
 * A static file is served without the token only under a path spelt plainly: no
 * percent-encoding, no dot segments, nothing under /api in any case. The router's match already
 * decides; this only narrows it, so that no spelling the router and the file server read
 * differently can reach anything without the token.
 */
function isPlainStaticPath(rawUrl: string): boolean {
  const path = rawUrl.split('?', 1)[0] ?? '';
  if (!/^[A-Za-z0-9/_.-]*$/.test(path)) return false;
  if (path.split('/').some((segment) => segment === '.' || segment === '..')) return false;
  if (path.includes('//')) return false;
  return !/^\/api(\/|$)/i.test(path);
}

function hasToken(req: FastifyRequest, expected: string): boolean {
  const fromQuery = (req.query as Record<string, unknown> | undefined)?.token;
  const header = req.headers.authorization;
  const presented =
    typeof fromQuery === 'string'
      ? fromQuery
      : header?.startsWith('Bearer ')
        ? header.slice('Bearer '.length)
        : '';
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function addressPort(app: FastifyInstance): number {
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('web host has no TCP address');
  return address.port;
}
