import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Access, Resource, Role, RouteDef } from '../shared/configserver';
import { errorBodySchema } from '../shared/error-schemas';
import { ApiError, type ErrorCode, type ErrorPayload, formatZodError } from '../shared/errors';
import { sayRefusal } from '../shared/i18n/refusal-words';
import type { Said } from '../shared/i18n/worded';
import { findUnsafeInput } from '../shared/input-guard';

/**
 * Zod on every route: the route's zod schemas validate the request (unknown fields refused by
 * strict objects), and the same schemas become the OpenAPI document. No ajv, no duplicate JSON
 * schemas to keep in step.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Mutating calls are audited unless a route opts out (high-rate agent reports). */
    audit?: boolean;
  }
  interface FastifyRequest {
    auth: { tokenId: string; name: string; role: Role } | null;
  }
}

export class HttpError extends ApiError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string | Said,
    details?: unknown,
  ) {
    super(code, message, details);
  }
}

const statusOf: Partial<Record<ErrorCode, number>> = {
  'invalid-input': 400,
  unauthorized: 401,
  'not-found': 404,
  conflict: 409,
  'identity-changed': 409,
  'untrusted-identity': 409,
  'invalid-login': 422,
  unreachable: 502,
  'protocol-error': 502,
  'remote-error': 502,
  timeout: 504,
  aborted: 499,
};

export function installZod(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const zod = schema as unknown as z.ZodType;
    return (data: unknown) => {
      const result = zod.safeParse(data ?? (httpPart === 'body' ? undefined : {}));
      if (result.success) return { value: result.data };
      const part = (['body', 'querystring', 'params', 'headers'] as const).find((p) => p === httpPart);
      const issues = formatZodError(result.error);
      return {
        error: new HttpError(
          400,
          'invalid-input',
          part ? sayRefusal(`refusal.request.${part}`, { issues }) : `${String(httpPart)}: ${issues}`,
          result.error.issues,
        ),
      };
    };
  });
  // Before any schema: limits that hold for every route (see shared/input-guard.ts).
  app.addHook('preValidation', async (req) => {
    const parts: Array<[unknown, string]> = [
      [req.params, 'path'],
      [req.query, 'query'],
      [req.body, 'request body'],
    ];
    for (const [value, where] of parts) {
      const unsafe = findUnsafeInput(value, where);
      if (unsafe) throw new HttpError(400, 'invalid-input', unsafe);
    }
  });
  // Every answer goes through its route's response schema: a field the schema does not name (a
  // secret, an internal column) is dropped rather than sent, and an answer that breaks the
  // contract is a server error here instead of a surprise in the client.
  app.setSerializerCompiler(({ schema }) => {
    const zod = schema as unknown as z.ZodType;
    return (data) => JSON.stringify(zod.parse(data));
  });

  app.setErrorHandler((err: FastifyError | ApiError | Error, req, reply) => {
    const { status, payload } = toHttpError(err);
    if (status >= 500) req.log.error({ err }, 'request failed');
    reply.code(status).send({ error: payload });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({
      error: refusal(
        'not-found',
        sayRefusal('refusal.noRoute', { method: req.method, path: req.url.split('?')[0]! }),
      ),
    });
  });
}

/** An error body from a refusal's words: its English message and the words a console words it from. */
export const refusal = (code: ErrorCode, said: Said): ErrorPayload => new ApiError(code, said).toPayload();

export function toHttpError(err: unknown): { status: number; payload: ErrorPayload } {
  if (err instanceof HttpError) return { status: err.status, payload: err.toPayload() };
  if (err instanceof ApiError) return { status: statusOf[err.code] ?? 500, payload: err.toPayload() };
  const fe = err as FastifyError;
  // SQLSTATE class 22 (data exception: 22021 bad encoding, 22003 out of range, 22P02 bad text
  // representation, 22008 date out of range) and 54 (too complex): the request carried a value
  // the database cannot take. Any that the schemas let through is the client's to fix, not a 500.
  const sqlState = (err as { code?: unknown }).code;
  if (typeof sqlState === 'string' && /^(22|54)[0-9A-Z]{3}$/.test(sqlState)) {
    return {
      status: 400,
      payload: refusal('invalid-input', sayRefusal('refusal.databaseValue', { state: sqlState })),
    };
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return {
      status: 413,
      payload: refusal('invalid-input', sayRefusal('refusal.bodyTooLarge')),
    };
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return {
      status: 415,
      payload: refusal('invalid-input', sayRefusal('refusal.mediaType')),
    };
  }
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return {
      status: 400,
      payload: refusal('invalid-input', sayRefusal('refusal.emptyBody')),
    };
  }
  if (fe.statusCode === 400 || (fe instanceof SyntaxError && fe.message.includes('JSON'))) {
    return {
      status: 400,
      payload: refusal('invalid-input', sayRefusal('refusal.notJson', { error: fe.message })),
    };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, payload: { code: 'invalid-input', message: fe.message } };
  }
  return { status: 500, payload: refusal('internal', sayRefusal('refusal.internal')) };
}

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface Handled<B, Q, P> {
  body: Infer<B>;
  query: Infer<Q>;
  params: Infer<P>;
  req: FastifyRequest;
  reply: FastifyReply;
  actor: string;
}

/** The handler of one route of the table, typed by its schemas. */
export type HandlerOf<D> =
  D extends RouteDef<infer B, infer Q, infer P, infer R>
    ? (h: Handled<B, Q, P>) => Promise<z.input<R>>
    : never;

/**
 * Serves the routes of one resource of the table (`shared/configserver/routes.ts`) inside the
 * plugin registered at the resource's prefix: `serve(app, configServerApi.sites).on('list', …)`.
 */
export function serve<Routes extends Record<string, RouteDef>>(
  app: FastifyInstance,
  resource: Resource<Routes>,
) {
  const api = {
    on<K extends keyof Routes & string>(name: K, handler: HandlerOf<Routes[K]>) {
      const def = resource.routes[name]!;
      const schema: Record<string, unknown> = {
        summary: def.summary,
        tags: [resource.tag],
        response: { [def.status ?? 200]: def.response },
      };
      if (def.body) schema.body = def.body;
      if (def.query) schema.querystring = def.query;
      if (def.params) schema.params = def.params;
      if (def.access !== 'public') schema.security = [{ bearer: [] }];
      const run = handler as (h: Handled<z.ZodType, z.ZodType, z.ZodType>) => Promise<unknown>;
      app.route({
        method: def.method,
        url: def.path,
        schema,
        config: { access: def.access, audit: def.audit },
        handler: async (req, reply) => {
          // Set first, so that a handler may answer with another status (health: 503).
          reply.code(def.status ?? 200);
          return run({
            body: req.body,
            query: req.query,
            params: req.params,
            req,
            reply,
            actor: req.auth?.name ?? 'anonymous',
          });
        },
      });
      return api;
    },
  };
  return api;
}

/**
 * A route schema's own definitions (`$defs`, as zod writes a named or recursive schema such as
 * Worded) put in place of their references: inside the OpenAPI document `#/$defs/…` would point
 * at the document's root, where they are not. A recursive one is written out twice, then open.
 */
function inlineDefs(json: Record<string, unknown>): Record<string, unknown> {
  const defs = (json.$defs ?? {}) as Record<string, unknown>;
  delete json.$defs;
  const walk = (node: unknown, depth: number): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, depth));
    if (!node || typeof node !== 'object') return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/$defs/'))
      return depth < 2 ? walk(defs[ref.slice('#/$defs/'.length)], depth + 1) : {};
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, depth)]));
  };
  return walk(json, 0) as Record<string, unknown>;
}

/** Turns the zod schemas of each route into JSON Schema for @fastify/swagger. */
export function swaggerTransform({
  schema,
  url,
}: {
  schema: Record<string, unknown> | undefined;
  url: string;
}) {
  if (!schema) return { schema: {}, url };
  const out: Record<string, unknown> = { ...schema };
  const toJson = (s: unknown, io: 'input' | 'output') => {
    if (!(s instanceof z.ZodType)) return s;
    const json = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<
      string,
      unknown
    >;
    delete json.$schema;
    return inlineDefs(json);
  };
  for (const part of ['body', 'querystring', 'params'] as const)
    if (schema[part]) out[part] = toJson(schema[part], 'input');
  if (schema.response) {
    const response: Record<string, unknown> = {};
    for (const [code, s] of Object.entries(schema.response as Record<string, unknown>))
      response[code] = toJson(s, 'output');
    // Documented only: the error handler answers every refusal in this shape (a route's response
    // schema here would put the error answer through the serializer, whose failure has no answer).
    response['4XX'] = {
      description: 'Refused: what is wrong and what to do',
      ...(toJson(errorBodySchema, 'output') as object),
    };
    response['5XX'] = { description: 'Server error', ...(toJson(errorBodySchema, 'output') as object) };
    out.response = response;
  }
  return { schema: out, url };
}
