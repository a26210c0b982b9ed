import {
  type AuditEntry,
  type Role,
  type Settings,
  settingsSchema,
  type Token,
} from '../../shared/configserver';
import { ApiError } from '../../shared/errors';
import { sayRefusal } from '../../shared/i18n/refusal-words';
import type { Queryable } from '../db';
import { auditRow, type Row, str, tokenRow } from './rows';
import { mapDbError, newId, type Transactions } from './tx';

/** Server settings (one JSON document). */
export class SettingsStore {
  private cache: { value: Settings; at: number } | null = null;

  constructor(private readonly tx: Transactions) {}

  async get(q: Queryable = this.tx.db): Promise<Settings> {
    const rows = await q.query<{ value: unknown }>("SELECT value FROM settings WHERE key = 'server'");
    const value = settingsSchema.parse(rows[0]?.value ?? {});
    this.cache = { value, at: Date.now() };
    return value;
  }

  /** Settings for the hot agent path: re-read at most every 5 s (other instances may change them). */
  async cached(): Promise<Settings> {
    if (this.cache && Date.now() - this.cache.at < 5000) return this.cache.value;
    return this.get();
  }

  async put(settings: Settings): Promise<Settings> {
    return this.tx.write(async (w) => {
      await w.q.query(
        "INSERT INTO settings (key, value) VALUES ('server', $1::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        [JSON.stringify(settings)],
      );
      w.emit('entity.changed', { entity: 'settings', id: 'server', change: 'updated' });
      this.cache = { value: settings, at: Date.now() };
      return settings;
    });
  }
}

/** API tokens: only their hashes are stored. */
export class TokenStore {
  constructor(private readonly tx: Transactions) {}

  async count(): Promise<number> {
    const [row] = await this.tx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM tokens WHERE revoked_at IS NULL',
    );
    return row?.n ?? 0;
  }

  async create(name: string, role: Role, hash: string, createdBy: string): Promise<Token> {
    return this.tx.write(async (w) => {
      const id = newId('tok');
      const rows = await w.q
        .query<Row>(
          'INSERT INTO tokens (id, name, role, hash, created_at, created_by) VALUES ($1,$2,$3,$4,$5,$6) RETURNING *',
          [id, name, role, hash, w.now.toISOString(), createdBy],
        )
        .catch((e) => mapDbError(e, sayRefusal('refusal.what.token')));
      w.emit('entity.changed', { entity: 'token', id, change: 'created' });
      return tokenRow(rows[0]!);
    });
  }

  async byHash(hash: string): Promise<Token | null> {
    const rows = await this.tx.db.query<Row>('SELECT * FROM tokens WHERE hash = $1', [hash]);
    return rows[0] ? tokenRow(rows[0]) : null;
  }

  async touch(id: string): Promise<void> {
    await this.tx.db.query('UPDATE tokens SET last_used_at = $2 WHERE id = $1', [
      id,
      this.tx.clock().toISOString(),
    ]);
  }

  async list(): Promise<Token[]> {
    return (await this.tx.db.query<Row>('SELECT * FROM tokens ORDER BY created_at')).map(tokenRow);
  }

  async revoke(idOrName: string): Promise<Token> {
    return this.tx.write(async (w) => {
      const rows = await w.q.query<Row>(
        'UPDATE tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 OR (name = $1 AND revoked_at IS NULL) RETURNING *',
        [idOrName, w.now.toISOString()],
      );
      if (rows.length === 0)
        throw new ApiError('not-found', sayRefusal('refusal.noToken', { ref: idOrName }));
      if (rows.length > 1)
        throw new ApiError('conflict', sayRefusal('refusal.tokensNamed', { ref: idOrName }));
      w.emit('entity.changed', { entity: 'token', id: str(rows[0]!.id), change: 'updated' });
      return tokenRow(rows[0]!);
    });
  }
}

/** The audit log of mutating API calls. */
export class AuditLog {
  constructor(private readonly tx: Transactions) {}

  async append(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<void> {
    await this.tx.db.query(
      'INSERT INTO audit_log (at, actor, action, target, outcome, status, detail) VALUES ($1,$2,$3,$4,$5,$6,$7)',
      [
        this.tx.clock().toISOString(),
        entry.actor,
        entry.action,
        entry.target,
        entry.outcome,
        entry.status,
        entry.detail,
      ],
    );
  }

  async list(limit: number, before: string | null): Promise<AuditEntry[]> {
    const rows = await this.tx.db.query<Row>(
      'SELECT id::text AS id, at, actor, action, target, outcome, status, detail FROM audit_log WHERE ($1::bigint IS NULL OR audit_log.id < $1::bigint) ORDER BY audit_log.id DESC LIMIT $2',
      [before, limit],
    );
    return rows.map(auditRow);
  }
}
