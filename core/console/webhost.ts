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
import type { ConsoleBackend } from './backend';
import { contentSecurityPolicy } from './csp';

export interface WebHostOptions {
  backend: Pick<ConsoleBackend, 'handlers' | 'onEvent'>;
  /** 0 picks a free port. */
  port?: number;
  /** The built renderer (vite build output). */
  rendererDir?: string;
  /** Fixed token for tests; a fresh random one otherwise. */
  token?: string;
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
  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_MESSAGE_BYTES } });

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('Content-Security-Policy', contentSecurityPolicy);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    return payload;
  });

  // Every API request and every WebSocket upgrade needs the token; static files carry no data.
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/api/')) return;
    if (!hasToken(req, token)) {
      await reply.code(401).send({
        error: {
          code: 'unauthorized',
          message: 'Open the console with the URL the web host printed (it carries the token).',
        },
      });
    }
  });

  app.get('/api/health', async () => ({ status: 'ok' }));

  const dispatch = createDispatcher(options.backend.handlers);
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
    await app.register(fastifyStatic, { root: rendererDir, index: 'index.html' });
  } else {
    app.get('/', async (_req, reply) =>
      reply
        .code(503)
        .type('text/plain')
        .send('The console is not built: run `npm run build:renderer` and start again.'),
    );
  }

  await app.listen({ host: WEB_HOST_ADDRESS, port: options.port ?? 0 });
  const port = addressPort(app);
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
