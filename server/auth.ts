import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Access, Role, Token } from '../shared/configserver';
import { sayRefusal } from '../shared/i18n/refusal-words';
import { printable } from '../shared/input-guard';
import { hashToken, newTokenSecret } from './crypto';
import { HttpError, toHttpError } from './http';
import type { Store } from './store';

/** Which roles may use a route at each access level. Admins may act as agents (the lab agent, scripts). */
const allowed: Record<Exclude<Access, 'public'>, readonly Role[]> = {
  viewer: ['viewer', 'operator', 'admin'],
  operator: ['operator', 'admin'],
  admin: ['admin'],
  agent: ['agent', 'admin'],
};

/**
 * Bearer tokens looked up by hash. A short cache keeps the 1,000-reports-a-second agent path off
 * the tokens table. Instances sharing a PostgreSQL database empty it when any of them changes a
 * token (a NOTIFY sent at commit, see store/tx.ts), so a revoke holds everywhere at once; while
 * this instance cannot hear those notifications (`cacheTrusted` false), every request reads the
 * table.
 */
export class TokenAuth {
  private readonly cache = new Map<string, { token: Token | null; at: number }>();
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly ttlMs = 5000,
    private readonly cacheTrusted: () => boolean = () => true,
  ) {}

  async verify(secret: string): Promise<Token | null> {
    const hash = hashToken(secret);
    const now = Date.now();
    const hit = this.cache.get(hash);
    let token: Token | null;
    if (hit && now - hit.at < this.ttlMs && this.cacheTrusted()) token = hit.token;
    else {
      token = await this.store.tokens.byHash(hash);
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, { token, at: now });
    }
    if (!token || token.revokedAt) return null;
    // last_used_at at most once a minute per token: useful to admins, cheap for the database.
    if (now - (this.touched.get(token.id) ?? 0) > 60_000) {
      this.touched.set(token.id, now);
      void this.store.tokens.touch(token.id).catch(() => {});
    }
    return token;
  }

  forget(): void {
    this.cache.clear();
  }

  async create(name: string, role: Role, createdBy: string): Promise<{ token: Token; secret: string }> {
    const secret = newTokenSecret();
    const token = await this.store.tokens.create(name, role, hashToken(secret), createdBy);
    return { token, secret };
  }

  /** First start: with no live token, mint one admin token and hand its secret out once. */
  async bootstrap(): Promise<string | null> {
    if ((await this.store.tokens.count()) > 0) return null;
    const { secret } = await this.create('bootstrap-admin', 'admin', 'server (first start)');
    return secret;
  }
}

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1]! : null;
}

/**
 * Called when an audit row could not be written. The response has gone already (the audit runs
 * once the outcome is known), so the failure is made loud where operators look: stderr even
 * without --log, a metric, and the request log.
 */
export type AuditFailure = (err: unknown, action: string) => void;

export function installAuth(
  app: FastifyInstance,
  store: Store,
  auth: TokenAuth,
  onAuditFailure: AuditFailure,
): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const access = req.routeOptions.config?.access ?? 'public';
    if (access === 'public') return;
    const secret = bearer(req);
    if (!secret) {
      throw new HttpError(401, 'unauthorized', sayRefusal('refusal.noToken.header'));
    }
    const token = await auth.verify(secret);
    if (!token) throw new HttpError(401, 'unauthorized', sayRefusal('refusal.tokenUnknown'));
    req.auth = { tokenId: token.id, name: token.name, role: token.role };
    if (!allowed[access].includes(token.role)) {
      throw new HttpError(
        403,
        'unauthorized',
        sayRefusal(`refusal.role.${access}`, { token: token.name, role: token.role }),
      );
    }
  });

  // Every mutating call is audited, refused and failed ones included.
  app.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    const config = req.routeOptions.config;
    if (config?.audit === false && reply.statusCode < 400) return;
    if (!config?.access && reply.statusCode === 404) return;
    const status = reply.statusCode;
    const params = (req.params ?? {}) as Record<string, string>;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const target = params.id ?? (typeof body.name === 'string' ? body.name : null);
    const detail = (reply as FastifyReply & { auditDetail?: string }).auditDetail ?? null;
    // What the caller sent is written escaped: a NUL in a refused request must not cost its audit row.
    const action = printable(`${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`, 300);
    await store.audit
      .append({
        actor: req.auth ? `${req.auth.name} (${req.auth.role})` : 'anonymous',
        action,
        target: target === null ? null : printable(target, 200),
        outcome: status < 400 ? 'ok' : status === 401 || status === 403 ? 'refused' : 'failed',
        status,
        detail: detail === null ? null : printable(detail, 2000),
      })
      .catch((err) => {
        req.log.error({ err }, 'audit write failed');
        onAuditFailure(err, action);
      });
  });

  app.addHook('onError', async (_req, reply, err) => {
    (reply as FastifyReply & { auditDetail?: string }).auditDetail = toHttpError(err).payload.message;
  });
}
