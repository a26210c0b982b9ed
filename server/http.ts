import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Role } from '../shared/configserver';
import { ApiError, type ErrorCode, type ErrorPayload, formatZodError } from '../shared/errors';
import { findUnsafeInput } from '../shared/input-guard';

/**
 * Zod on every route: the route's zod schemas validate the request (unknown fields refused by
 * strict objects), and the same schemas become the OpenAPI document. No ajv, no duplicate JSON
 * schemas to keep in step.
 */

/** Where a route sits in the role ladder; `agent` routes are for agents and process servers. */
export type Access = 'public' | 'viewer' | 'operator' | 'admin' | 'agent';

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
    message: string,
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
      const where =
        httpPart === 'body' ? 'request body' : httpPart === 'querystring' ? 'query' : String(httpPart);
      return {
        error: new HttpError(
          400,
          'invalid-input',
          `${where}: ${formatZodError(result.error)}`,
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
  // Handlers return values already typed by the same schemas; plain JSON keeps it fast.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  app.setErrorHandler((err: FastifyError | ApiError | Error, req, reply) => {
    const { status, payload } = toHttpError(err);
    if (status >= 500) req.log.error({ err }, 'request failed');
    reply.code(status).send({ error: payload });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({
      error: {
        code: 'not-found',
        message: `no route ${req.method} ${req.url.split('?')[0]}; see /docs for the API`,
      },
    });
  });
}

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
      payload: {
        code: 'invalid-input',
        message: `the database refused a value in the request (SQLSTATE ${sqlState}): check names, ids, numbers and dates for values out of range`,
      },
    };
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return {
      status: 413,
      payload: {
        code: 'invalid-input',
        message: 'the request body is too large; send less data per request',
      },
    };
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return {
      status: 415,
      payload: { code: 'invalid-input', message: 'send the request body as application/json' },
    };
  }
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return {
      status: 400,
      payload: { code: 'invalid-input', message: 'the request body is empty; send a JSON object' },
    };
  }
  if (fe.statusCode === 400 || (fe instanceof SyntaxError && fe.message.includes('JSON'))) {
    return {
      status: 400,
      payload: { code: 'invalid-input', message: `the request body is not valid JSON: ${fe.message}` },
    };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, payload: { code: 'invalid-input', message: fe.message } };
  }
  return { status: 500, payload: { code: 'internal', message: 'internal server error; see the server log' } };
}

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<B, Q, P, R> {
  access: Access;
  summary: string;
  tags: string[];
  body?: B;
  query?: Q;
  params?: P;
  response: R;
  /** Success status (default 200). */
  status?: number;
  audit?: boolean;
}

export interface Handled<B, Q, P> {
  body: Infer<B>;
  query: Infer<Q>;
  params: Infer<P>;
  req: FastifyRequest;
  reply: FastifyReply;
  actor: string;
}

export function route<
  B extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  P extends z.ZodType | undefined,
  R extends z.ZodType,
>(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  spec: RouteSpec<B, Q, P, R>,
  handler: (h: Handled<B, Q, P>) => Promise<z.input<R>>,
): void {
  const schema: Record<string, unknown> = {
    summary: spec.summary,
    tags: spec.tags,
    response: { [spec.status ?? 200]: spec.response },
  };
  if (spec.body) schema.body = spec.body;
  if (spec.query) schema.querystring = spec.query;
  if (spec.params) schema.params = spec.params;
  if (spec.access !== 'public') schema.security = [{ bearer: [] }];
  app.route({
    method,
    url,
    schema,
    config: { access: spec.access, audit: spec.audit },
    handler: async (req, reply) => {
      const out = await handler({
        body: req.body as Infer<B>,
        query: req.query as Infer<Q>,
        params: req.params as Infer<P>,
        req,
        reply,
        actor: req.auth?.name ?? 'anonymous',
      });
      reply.code(spec.status ?? 200);
      return out;
    },
  });
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
    return json;
  };
  for (const part of ['body', 'querystring', 'params'] as const)
    if (schema[part]) out[part] = toJson(schema[part], 'input');
  if (schema.response) {
    const response: Record<string, unknown> = {};
    for (const [code, s] of Object.entries(schema.response as Record<string, unknown>))
      response[code] = toJson(s, 'output');
    out.response = response;
  }
  return { schema: out, url };
}

export const idParams = z.strictObject({ id: z.string().min(1).max(200) });
export const ok = z.object({ ok: z.literal(true) });
