import { randomUUID } from 'node:crypto';
import {
  type Agent,
  type Alert,
  type AuditEntry,
  directionAfter,
  type Endpoint,
  type EndpointTarget,
  firstFreeSlot,
  type HealthLevel,
  heartbeatTimeoutSec,
  isRecoverable,
  type MasterTarget,
  needsResync,
  nextOutsideOfficeHours,
  type OsFamily,
  type Pair,
  type PairState,
  type PairStatsInput,
  type Plan,
  type PlanSpec,
  type ProcessServer,
  type ProcessServerHealth,
  planSpecOf,
  processServerFindings,
  type RecoveryPoint,
  type ReplicationErrorKind,
  type Role,
  replicatingStates,
  retryDelayMinutes,
  rpoLevel,
  type ServerEventType,
  type Settings,
  type Site,
  settingsSchema,
  type Token,
  transitionRefusal,
  usableSlots,
  worstLevel,
} from '../shared/configserver';
import { ApiError } from '../shared/errors';
import type { SiteRole, Trust } from '../shared/schemas/connection';
import type { Db, Queryable } from './db';
import type { EventHub } from './events';

type Row = Record<string, unknown>;

export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
}

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());
const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));
const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** A transaction plus the events it will publish when (and only when) it commits. */
export interface Writer {
  readonly q: Queryable;
  readonly now: Date;
  emit(type: ServerEventType, payload: unknown): void;
}

/** Maps PostgreSQL constraint violations to operator-readable conflicts. */
function mapDbError(err: unknown, what: string): never {
  const code = (err as { code?: string }).code;
  if (code === '23505') throw new ApiError('conflict', `${what} already exists`);
  if (code === '23503') {
    throw new ApiError(
      'conflict',
      `${what} is still referenced by other objects (or refers to one that does not exist)`,
    );
  }
  throw err;
}

export class Store {
  constructor(
    readonly db: Db,
    private readonly hub: EventHub,
    readonly clock: () => Date = () => new Date(),
  ) {}

  private settingsCache: { value: Settings; at: number } | null = null;

  private telemetry<T>(fn: (w: Writer) => Promise<T>): Promise<T> {
    return this.write(fn, { telemetry: true });
  }

  /**
   * Runs fn in a transaction; its events are appended last, under a lock, so ids follow commit
   * order. On PostgreSQL, telemetry (statistics, heartbeats, health) commits without waiting for
   * the WAL flush: the event lock is held through the commit, and a flush per batch would cap the
   * agent API at the disk's flush rate. Only a crash of PostgreSQL itself can lose the last
   * fraction of a second of telemetry (the next report replaces it); a killed server process
   * loses nothing. PGlite lives inside the server process, so there every commit is flushed.
   */
  async write<T>(fn: (w: Writer) => Promise<T>, options: { telemetry?: boolean } = {}): Promise<T> {
    const events: Array<{ type: string; payload: unknown }> = [];
    const now = this.clock();
    const result = await this.db.tx(async (q) => {
      if (options.telemetry && this.db.kind === 'postgres')
        await q.query('SET LOCAL synchronous_commit = off');
      const out = await fn({ q, now, emit: (type, payload) => events.push({ type, payload }) });
      if (events.length > 0) {
        await q.query('SELECT pg_advisory_xact_lock(710171)');
        const types = events.map((e) => e.type);
        const payloads = events.map((e) => JSON.stringify(e.payload));
        await q.query(
          'INSERT INTO events (at, type, payload) SELECT $1, t, p::jsonb FROM unnest($2::text[], $3::text[]) AS u(t, p)',
          [now.toISOString(), types, payloads],
        );
      }
      return out;
    });
    if (events.length > 0) this.hub.poke();
    return result;
  }

  // ------------------------------------------------------------ settings

  async getSettings(q: Queryable = this.db): Promise<Settings> {
    const rows = await q.query<{ value: unknown }>("SELECT value FROM settings WHERE key = 'server'");
    const value = settingsSchema.parse(rows[0]?.value ?? {});
    this.settingsCache = { value, at: Date.now() };
    return value;
  }

  /** Settings for the hot agent path: re-read at most every 5 s (other instances may change them). */
  private async cachedSettings(): Promise<Settings> {
    if (this.settingsCache && Date.now() - this.settingsCache.at < 5000) return this.settingsCache.value;
    return this.getSettings();
  }

  async putSettings(settings: Settings): Promise<Settings> {
    return this.write(async (w) => {
      await w.q.query(
        "INSERT INTO settings (key, value) VALUES ('server', $1::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        [JSON.stringify(settings)],
      );
      w.emit('entity.changed', { entity: 'settings', id: 'server', change: 'updated' });
      this.settingsCache = { value: settings, at: Date.now() };
      return settings;
    });
  }

  // ------------------------------------------------------------ tokens and audit

  async countTokens(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM tokens WHERE revoked_at IS NULL',
    );
    return row?.n ?? 0;
  }

  async createToken(name: string, role: Role, hash: string, createdBy: string): Promise<Token> {
    return this.write(async (w) => {
      const id = newId('tok');
      const rows = await w.q
        .query<Row>(
          'INSERT INTO tokens (id, name, role, hash, created_at, created_by) VALUES ($1,$2,$3,$4,$5,$6) RETURNING *',
          [id, name, role, hash, w.now.toISOString(), createdBy],
        )
        .catch((e) => mapDbError(e, 'that token'));
      w.emit('entity.changed', { entity: 'token', id, change: 'created' });
      return tokenRow(rows[0]!);
    });
  }

  async tokenByHash(hash: string): Promise<Token | null> {
    const rows = await this.db.query<Row>('SELECT * FROM tokens WHERE hash = $1', [hash]);
    return rows[0] ? tokenRow(rows[0]) : null;
  }

  async touchToken(id: string): Promise<void> {
    await this.db.query('UPDATE tokens SET last_used_at = $2 WHERE id = $1', [
      id,
      this.clock().toISOString(),
    ]);
  }

  async listTokens(): Promise<Token[]> {
    return (await this.db.query<Row>('SELECT * FROM tokens ORDER BY created_at')).map(tokenRow);
  }

  async revokeToken(idOrName: string): Promise<Token> {
    return this.write(async (w) => {
      const rows = await w.q.query<Row>(
        'UPDATE tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 OR (name = $1 AND revoked_at IS NULL) RETURNING *',
        [idOrName, w.now.toISOString()],
      );
      if (rows.length === 0) throw new ApiError('not-found', `no token with id or name '${idOrName}'`);
      if (rows.length > 1)
        throw new ApiError('conflict', `several tokens are named '${idOrName}'; revoke by id`);
      w.emit('entity.changed', { entity: 'token', id: str(rows[0]!.id), change: 'updated' });
      return tokenRow(rows[0]!);
    });
  }

  async audit(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<void> {
    await this.db.query(
      'INSERT INTO audit_log (at, actor, action, target, outcome, status, detail) VALUES ($1,$2,$3,$4,$5,$6,$7)',
      [
        this.clock().toISOString(),
        entry.actor,
        entry.action,
        entry.target,
        entry.outcome,
        entry.status,
        entry.detail,
      ],
    );
  }

  async listAudit(limit: number, before: string | null): Promise<AuditEntry[]> {
    const rows = await this.db.query<Row>(
      'SELECT id::text AS id, at, actor, action, target, outcome, status, detail FROM audit_log WHERE ($1::bigint IS NULL OR audit_log.id < $1::bigint) ORDER BY audit_log.id DESC LIMIT $2',
      [before, limit],
    );
    return rows.map((r) => ({
      id: str(r.id),
      at: iso(r.at),
      actor: str(r.actor),
      action: str(r.action),
      target: strOrNull(r.target),
      outcome: r.outcome as AuditEntry['outcome'],
      status: Number(r.status),
      detail: strOrNull(r.detail),
    }));
  }

  // ------------------------------------------------------------ sites

  async createSite(name: string, role: SiteRole): Promise<Site> {
    return this.write(async (w) => {
      const id = newId('site');
      const rows = await w.q
        .query<Row>('INSERT INTO sites (id, name, role, created_at) VALUES ($1,$2,$3,$4) RETURNING *', [
          id,
          name,
          role,
          w.now.toISOString(),
        ])
        .catch((e) => mapDbError(e, `a site named '${name}'`));
      w.emit('entity.changed', { entity: 'site', id, change: 'created' });
      return siteRow(rows[0]!);
    });
  }

  async listSites(): Promise<Site[]> {
    return (await this.db.query<Row>('SELECT * FROM sites ORDER BY name')).map(siteRow);
  }

  async resolveSite(nameOrId: string, q: Queryable = this.db): Promise<Site> {
    const rows = await q.query<Row>('SELECT * FROM sites WHERE id = $1 OR name = $1', [nameOrId]);
    if (!rows[0])
      throw new ApiError('not-found', `no site named '${nameOrId}'; create it with 'siteshift site add'`);
    return siteRow(rows[0]);
  }

  // ------------------------------------------------------------ endpoints

  async createEndpoint(input: {
    siteId: string;
    name: string;
    target: EndpointTarget;
    trust: Trust;
    product: string;
    sealedSecret: string;
  }): Promise<Endpoint> {
    return this.write(async (w) => {
      const id = newId('ep');
      const rows = await w.q
        .query<Row>(
          `INSERT INTO endpoints (id, site_id, name, kind, target, trust, product, secret, verified_at, created_at)
           VALUES ($1,$2,$3,$4,$5::jsonb,$6::jsonb,$7,$8,$9,$9) RETURNING *`,
          [
            id,
            input.siteId,
            input.name,
            input.target.kind,
            JSON.stringify(input.target),
            JSON.stringify(input.trust),
            input.product,
            input.sealedSecret,
            w.now.toISOString(),
          ],
        )
        .catch((e) => mapDbError(e, `an endpoint named '${input.name}' on that site`));
      w.emit('entity.changed', { entity: 'endpoint', id, change: 'created' });
      return endpointRow(rows[0]!);
    });
  }

  async listEndpoints(): Promise<Endpoint[]> {
    return (await this.db.query<Row>('SELECT * FROM endpoints ORDER BY name')).map(endpointRow);
  }

  /** The endpoint and its sealed secret (server-internal: never returned by the API). */
  async endpointWithSecret(idOrName: string): Promise<{ endpoint: Endpoint; sealedSecret: string | null }> {
    const rows = await this.db.query<Row>('SELECT * FROM endpoints WHERE id = $1 OR name = $1', [idOrName]);
    if (rows.length === 0) throw new ApiError('not-found', `no endpoint with id or name '${idOrName}'`);
    if (rows.length > 1)
      throw new ApiError('conflict', `several endpoints are named '${idOrName}'; use the id`);
    return { endpoint: endpointRow(rows[0]!), sealedSecret: strOrNull(rows[0]!.secret) };
  }

  async markEndpointVerified(id: string, product: string): Promise<void> {
    await this.db.query('UPDATE endpoints SET verified_at = $2, product = $3 WHERE id = $1', [
      id,
      this.clock().toISOString(),
      product,
    ]);
  }

  async removeEndpoint(idOrName: string): Promise<Endpoint> {
    const { endpoint } = await this.endpointWithSecret(idOrName);
    return this.write(async (w) => {
      await w.q
        .query('DELETE FROM endpoints WHERE id = $1', [endpoint.id])
        .catch((e) => mapDbError(e, `endpoint '${endpoint.name}' (remove its master targets first)`));
      w.emit('entity.changed', { entity: 'endpoint', id: endpoint.id, change: 'removed' });
      return endpoint;
    });
  }

  // ------------------------------------------------------------ process servers

  async createProcessServer(siteId: string, name: string, host: string): Promise<ProcessServer> {
    return this.write(async (w) => {
      const id = newId('ps');
      const rows = await w.q
        .query<Row>(
          'INSERT INTO process_servers (id, site_id, name, host, created_at) VALUES ($1,$2,$3,$4,$5) RETURNING *',
          [id, siteId, name, host, w.now.toISOString()],
        )
        .catch((e) => mapDbError(e, `a process server named '${name}'`));
      w.emit('entity.changed', { entity: 'process-server', id, change: 'created' });
      return processServerRow(rows[0]!);
    });
  }

  async listProcessServers(): Promise<ProcessServer[]> {
    return (await this.db.query<Row>('SELECT * FROM process_servers ORDER BY name')).map(processServerRow);
  }

  async resolveProcessServer(idOrName: string, q: Queryable = this.db): Promise<ProcessServer> {
    const rows = await q.query<Row>('SELECT * FROM process_servers WHERE id = $1 OR name = $1', [idOrName]);
    if (!rows[0]) throw new ApiError('not-found', `no process server with id or name '${idOrName}'`);
    return processServerRow(rows[0]);
  }

  /** A process server's health report: thresholds become alerts, the worst one its level. */
  async reportProcessServerHealth(id: string, health: ProcessServerHealth): Promise<ProcessServer> {
    return this.telemetry(async (w) => {
      const findings = processServerFindings(health);
      const level = worstLevel(Object.values(findings).map((f) => f?.level ?? 'ok'));
      const rows = await w.q.query<Row>(
        'UPDATE process_servers SET health = $2::jsonb, level = $3, last_heartbeat_at = $4 WHERE id = $1 RETURNING *',
        [id, JSON.stringify(health), level, w.now.toISOString()],
      );
      if (!rows[0]) throw new ApiError('not-found', `no process server with id '${id}'`);
      const ps = processServerRow(rows[0]);
      for (const [aspect, finding] of Object.entries(findings)) {
        const key = `process-server:${id}:${aspect}`;
        if (finding)
          await raiseAlert(w, key, finding.level, 'process-server', id, `${ps.name}: ${finding.message}`);
        else await clearAlert(w, key);
      }
      await clearAlert(w, `process-server:${id}:heartbeat`);
      w.emit('process-server.health', { processServer: ps });
      return ps;
    });
  }

  // ------------------------------------------------------------ master targets

  async createMasterTarget(input: {
    siteId: string;
    endpointId: string | null;
    name: string;
    vmId: string;
    vmName: string;
    osFamily: OsFamily;
    retentionDatastore: string | null;
    retentionFreeBytes: number | null;
  }): Promise<MasterTarget> {
    return this.write(async (w) => {
      const id = newId('mt');
      await w.q
        .query(
          `INSERT INTO master_targets (id, site_id, endpoint_id, name, vm_id, vm_name, os_family, retention_datastore, retention_free_bytes, created_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
          [
            id,
            input.siteId,
            input.endpointId,
            input.name,
            input.vmId,
            input.vmName,
            input.osFamily,
            input.retentionDatastore,
            input.retentionFreeBytes,
            w.now.toISOString(),
          ],
        )
        .catch((e) => mapDbError(e, `a master target named '${input.name}'`));
      w.emit('entity.changed', { entity: 'master-target', id, change: 'created' });
      return this.getMasterTarget(id, w.q);
    });
  }

  async listMasterTargets(): Promise<MasterTarget[]> {
    const rows = await this.db.query<Row>('SELECT * FROM master_targets ORDER BY name');
    const slots = await this.db.query<Row>('SELECT * FROM mt_slots ORDER BY controller, unit');
    return rows.map((r) =>
      masterTargetRow(
        r,
        slots.filter((s) => s.master_target_id === r.id),
      ),
    );
  }

  async getMasterTarget(idOrName: string, q: Queryable = this.db): Promise<MasterTarget> {
    const rows = await q.query<Row>('SELECT * FROM master_targets WHERE id = $1 OR name = $1', [idOrName]);
    if (!rows[0]) throw new ApiError('not-found', `no master target with id or name '${idOrName}'`);
    const slots = await q.query<Row>(
      'SELECT * FROM mt_slots WHERE master_target_id = $1 ORDER BY controller, unit',
      [rows[0].id],
    );
    return masterTargetRow(rows[0], slots);
  }

  // ------------------------------------------------------------ plans

  /**
   * Creates or replaces the plan named in the spec. `expectUpdatedAt` is the version the operator
   * reviewed (null: none existed); a plan changed since is refused rather than overwritten.
   */
  async applyPlan(input: {
    spec: PlanSpec;
    sourceSiteId: string;
    targetSiteId: string;
    masterTargetId: string | null;
    expectUpdatedAt?: string | null;
  }): Promise<{ plan: Plan; created: boolean }> {
    return this.write(async (w) => {
      const name = input.spec.name;
      const existing = (await w.q.query<Row>('SELECT * FROM plans WHERE name = $1 FOR UPDATE', [name]))[0];
      if (input.expectUpdatedAt !== undefined) {
        const have = existing ? iso(existing.updated_at) : null;
        if (have !== input.expectUpdatedAt)
          throw new ApiError(
            'conflict',
            have === null
              ? `plan '${name}' was removed since you reviewed it; review the changes again`
              : `plan '${name}' was changed at ${have} since you reviewed it; review the changes again`,
          );
      }
      const params = [
        name,
        input.sourceSiteId,
        input.targetSiteId,
        input.masterTargetId,
        JSON.stringify(input.spec),
        w.now.toISOString(),
      ];
      let rows: Row[];
      if (existing) {
        rows = await w.q
          .query<Row>(
            `UPDATE plans SET source_site_id = $2, target_site_id = $3, master_target_id = $4, spec = $5::jsonb, updated_at = $6
             WHERE name = $1 RETURNING *`,
            params,
          )
          .catch((e) => mapDbError(e, `plan '${name}'`));
      } else {
        rows = await w.q
          .query<Row>(
            `INSERT INTO plans (id, name, source_site_id, target_site_id, master_target_id, spec, created_at, updated_at)
             VALUES ($7,$1,$2,$3,$4,$5::jsonb,$6,$6) RETURNING *`,
            [...params, newId('plan')],
          )
          .catch((e) => mapDbError(e, `a plan named '${name}'`));
      }
      const plan = planRow(rows[0]!);
      w.emit('entity.changed', { entity: 'plan', id: plan.id, change: existing ? 'updated' : 'created' });
      return { plan, created: !existing };
    });
  }

  async listPlans(): Promise<Plan[]> {
    return (await this.db.query<Row>('SELECT * FROM plans ORDER BY name')).map(planRow);
  }

  async resolvePlan(idOrName: string, q: Queryable = this.db): Promise<Plan> {
    const rows = await q.query<Row>('SELECT * FROM plans WHERE id = $1 OR name = $1', [idOrName]);
    if (!rows[0]) throw new ApiError('not-found', `no protection plan with id or name '${idOrName}'`);
    return planRow(rows[0]);
  }

  /** The plan by name, or null (apply creates it then). */
  async findPlan(name: string, q: Queryable = this.db): Promise<Plan | null> {
    const rows = await q.query<Row>('SELECT * FROM plans WHERE name = $1', [name]);
    return rows[0] ? planRow(rows[0]) : null;
  }

  /** Removes a plan that no pair belongs to (its pairs are removed, or moved, first). */
  async removePlan(idOrName: string): Promise<Plan> {
    return this.write(async (w) => {
      const plan = await this.resolvePlan(idOrName, w.q);
      const pairs = await w.q.query<Row>(
        'SELECT source_vm_name FROM pairs WHERE plan_id = $1 ORDER BY source_vm_name',
        [plan.id],
      );
      if (pairs.length > 0) {
        const names = pairs.slice(0, 5).map((r) => str(r.source_vm_name));
        throw new ApiError(
          'conflict',
          `plan '${plan.name}' still has ${pairs.length} pair(s) (${names.join(', ')}${pairs.length > 5 ? ', …' : ''}); remove its pairs first`,
        );
      }
      await w.q.query('DELETE FROM plans WHERE id = $1', [plan.id]);
      w.emit('entity.changed', { entity: 'plan', id: plan.id, change: 'removed' });
      return plan;
    });
  }

  // ------------------------------------------------------------ pairs

  async createPair(input: {
    planId: string | null;
    sourceVmId: string;
    sourceVmName: string;
    sourceSiteId: string;
    targetSiteId: string;
    masterTargetId: string | null;
    processServerId: string | null;
    osFamily: OsFamily;
    rpoThresholdSec: number;
    diskKeys?: string[];
  }): Promise<Pair> {
    return this.write(async (w) => {
      const id = newId('pair');
      if (input.masterTargetId) {
        // Lock the MT so two pairs cannot take the same SCSI slot.
        const mts = await w.q.query<Row>('SELECT * FROM master_targets WHERE id = $1 FOR UPDATE', [
          input.masterTargetId,
        ]);
        const mt = mts[0];
        if (!mt) throw new ApiError('not-found', `no master target with id '${input.masterTargetId}'`);
        if (mt.os_family !== input.osFamily) {
          throw new ApiError(
            'conflict',
            `${input.sourceVmName} is a ${input.osFamily} machine but master target '${str(mt.name)}' runs ${str(mt.os_family)}; choose a ${input.osFamily} master target`,
          );
        }
      }
      await w.q
        .query(
          `INSERT INTO pairs (id, plan_id, source_vm_id, source_vm_name, source_site_id, target_site_id, master_target_id,
             process_server_id, os_family, state, direction, rpo_threshold_sec, state_changed_at, created_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'enabling','forward',$10,$11,$11)`,
          [
            id,
            input.planId,
            input.sourceVmId,
            input.sourceVmName,
            input.sourceSiteId,
            input.targetSiteId,
            input.masterTargetId,
            input.processServerId,
            input.osFamily,
            input.rpoThresholdSec,
            w.now.toISOString(),
          ],
        )
        .catch((e) => mapDbError(e, `a pair for ${input.sourceVmName} on that site`));
      if (input.masterTargetId) {
        const used = await w.q.query<{ controller: number; unit: number }>(
          'SELECT controller, unit FROM mt_slots WHERE master_target_id = $1',
          [input.masterTargetId],
        );
        const taken = [...used];
        for (const diskKey of input.diskKeys ?? ['disk-0']) {
          const slot = firstFreeSlot(taken);
          if (!slot) {
            throw new ApiError(
              'conflict',
              `master target has no free SCSI slot (${usableSlots} replica disks at most); add another master target`,
            );
          }
          taken.push(slot);
          await w.q.query(
            'INSERT INTO mt_slots (master_target_id, controller, unit, pair_id, disk_key) VALUES ($1,$2,$3,$4,$5)',
            [input.masterTargetId, slot.controller, slot.unit, id, diskKey],
          );
        }
      }
      const pair = await this.getPair(id, w.q);
      w.emit('pair.state', { pair, from: null, reason: 'pair created' });
      return pair;
    });
  }

  async listPairs(
    filter: { state?: PairState; planId?: string; processServerId?: string } = {},
  ): Promise<Pair[]> {
    const rows = await this.db.query<Row>(
      `SELECT * FROM pairs WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR plan_id = $2)
         AND ($3::text IS NULL OR process_server_id = $3) ORDER BY source_vm_name, id`,
      [filter.state ?? null, filter.planId ?? null, filter.processServerId ?? null],
    );
    return rows.map(pairRow);
  }

  async getPair(id: string, q: Queryable = this.db, lock = false): Promise<Pair> {
    const rows = await q.query<Row>(`SELECT * FROM pairs WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    if (!rows[0]) throw new ApiError('not-found', `no pair with id '${id}'`);
    return pairRow(rows[0]);
  }

  async removePair(id: string): Promise<void> {
    await this.write(async (w) => {
      const pair = await this.getPair(id, w.q, true);
      if (
        !['enabling', 'initial-replication', 'protected', 'resync-required', 'error', 'committed'].includes(
          pair.state,
        )
      ) {
        throw new ApiError(
          'conflict',
          `pair ${pair.sourceVmName} is '${pair.state}'; finish or roll back that operation first`,
        );
      }
      await w.q.query('DELETE FROM pairs WHERE id = $1', [id]);
      await w.q.query('UPDATE alerts SET cleared_at = $2 WHERE subject_id = $1 AND cleared_at IS NULL', [
        id,
        w.now.toISOString(),
      ]);
      w.emit('pair.removed', { pairId: id });
    });
  }

  /** The one way a pair changes state: refused (409, nothing written) unless the table allows it. */
  async transitionPair(
    id: string,
    to: PairState,
    reason: string | null,
    expectFrom?: readonly PairState[],
  ): Promise<Pair> {
    return this.write(async (w) => {
      const pair = await this.getPair(id, w.q, true);
      if (expectFrom && !expectFrom.includes(pair.state)) {
        throw new ApiError(
          'conflict',
          `pair ${pair.sourceVmName} is '${pair.state}', expected ${expectFrom.join(' or ')}`,
        );
      }
      return applyTransition(w, pair, to, reason);
    });
  }

  /** Operator-started resync: from protected it first becomes resync-required, then resyncing. */
  async startResync(id: string, reason: string): Promise<Pair> {
    return this.write(async (w) => {
      let pair = await this.getPair(id, w.q, true);
      if (pair.state === 'protected') pair = await applyTransition(w, pair, 'resync-required', reason);
      return applyTransition(w, pair, 'resyncing', reason);
    });
  }

  async listRecoveryPoints(pairId: string, limit = 500): Promise<RecoveryPoint[]> {
    await this.getPair(pairId);
    const rows = await this.db.query<Row>(
      'SELECT * FROM recovery_points WHERE pair_id = $1 ORDER BY at DESC LIMIT $2',
      [pairId, limit],
    );
    return rows.map(recoveryPointRow);
  }

  // ------------------------------------------------------------ agent API

  async registerAgent(input: {
    kind: Agent['kind'];
    name: string;
    host: string;
    version: string;
    pairId: string | null;
    processServerId: string | null;
  }): Promise<Agent> {
    return this.write(async (w) => {
      if (input.pairId) await this.getPair(input.pairId, w.q);
      if (input.processServerId) await this.resolveProcessServer(input.processServerId, w.q);
      const rows = await w.q.query<Row>(
        `INSERT INTO agents (id, kind, name, host, version, pair_id, process_server_id, last_heartbeat_at, registered_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8)
         ON CONFLICT (kind, name) DO UPDATE SET host = EXCLUDED.host, version = EXCLUDED.version,
           pair_id = EXCLUDED.pair_id, process_server_id = EXCLUDED.process_server_id, last_heartbeat_at = EXCLUDED.last_heartbeat_at
         RETURNING *`,
        [
          newId('agent'),
          input.kind,
          input.name,
          input.host,
          input.version,
          input.pairId,
          input.processServerId,
          w.now.toISOString(),
        ],
      );
      const agent = agentRow(rows[0]!);
      w.emit('entity.changed', { entity: 'agent', id: agent.id, change: 'updated' });
      return agent;
    });
  }

  async listAgents(): Promise<Agent[]> {
    return (await this.db.query<Row>('SELECT * FROM agents ORDER BY name')).map(agentRow);
  }

  async agentHeartbeat(id: string): Promise<Agent> {
    return this.telemetry(async (w) => {
      const rows = await w.q.query<Row>(
        'UPDATE agents SET last_heartbeat_at = $2 WHERE id = $1 RETURNING *',
        [id, w.now.toISOString()],
      );
      if (!rows[0]) throw new ApiError('not-found', `no agent with id '${id}'; register it again`);
      const agent = agentRow(rows[0]);
      await clearAlert(w, `agent:${id}:heartbeat`);
      if (agent.pairId) {
        await w.q.query('UPDATE pairs SET last_heartbeat_at = $2 WHERE id = $1', [
          agent.pairId,
          w.now.toISOString(),
        ]);
        await clearAlert(w, `pair:${agent.pairId}:heartbeat`);
      }
      if (agent.processServerId) {
        await w.q.query('UPDATE process_servers SET last_heartbeat_at = $2 WHERE id = $1', [
          agent.processServerId,
          w.now.toISOString(),
        ]);
        await clearAlert(w, `process-server:${agent.processServerId}:heartbeat`);
      }
      return agent;
    });
  }

  /**
   * A pair's statistics: RPO against the threshold, the change-log rule (→ resync-required,
   * scheduled outside office hours), heartbeat and recovered errors.
   */
  async reportPairStats(pairId: string, input: Required<PairStatsInput>): Promise<Pair> {
    return new Promise<Pair>((resolve, reject) => {
      this.statsQueue.push({ pairId, input, resolve, reject });
      if (!this.statsFlushing) {
        this.statsFlushing = true;
        setImmediate(() => void this.flushStats());
      }
    });
  }

  private statsQueue: Array<{
    pairId: string;
    input: Required<PairStatsInput>;
    resolve: (p: Pair) => void;
    reject: (e: unknown) => void;
  }> = [];
  private statsFlushing = false;

  /**
   * Group commit for the hottest call: the reports that arrive while one batch commits go into
   * the next, one transaction, one lock and one event insert for all of them. Pairs are locked in
   * id order, so instances sharing a database cannot deadlock. A report the rules refuse (wrong
   * state, unknown pair) fails alone; if the batch itself fails, each report is retried alone.
   */
  private async flushStats(): Promise<void> {
    try {
      await this.flushStatsLoop();
    } finally {
      this.statsFlushing = false;
      if (this.statsQueue.length > 0) {
        this.statsFlushing = true;
        setImmediate(() => void this.flushStats());
      }
    }
  }

  private async flushStatsLoop(): Promise<void> {
    while (this.statsQueue.length > 0) {
      const batch = this.statsQueue.splice(0, 500);
      const settings = await this.cachedSettings().catch(() => settingsSchema.parse({}));
      const outcomes = new Map<number, { ok: true; pair: Pair } | { ok: false; err: unknown }>();
      try {
        await this.telemetry(async (w) => {
          outcomes.clear();
          const ids = [...new Set(batch.map((b) => b.pairId))];
          const rows = await w.q.query<Row>(
            'SELECT * FROM pairs WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
            [ids],
          );
          const current = new Map(rows.map((r) => [str(r.id), pairRow(r)]));
          for (let i = 0; i < batch.length; i++) {
            const item = batch[i]!;
            const pair = current.get(item.pairId);
            if (!pair) {
              outcomes.set(i, {
                ok: false,
                err: new ApiError('not-found', `no pair with id '${item.pairId}'`),
              });
              continue;
            }
            if (!replicatingStates.includes(pair.state)) {
              outcomes.set(i, {
                ok: false,
                err: new ApiError(
                  'conflict',
                  `pair ${pair.sourceVmName} is '${pair.state}'; statistics are accepted only while it replicates`,
                ),
              });
              continue;
            }
            const next = await applyStats(w, pair, item.input, settings);
            current.set(pair.id, next);
            outcomes.set(i, { ok: true, pair: next });
          }
        });
      } catch {
        for (const item of batch) {
          await this.telemetry(async (w) => {
            const pair = await this.getPair(item.pairId, w.q, true);
            if (!replicatingStates.includes(pair.state)) {
              throw new ApiError(
                'conflict',
                `pair ${pair.sourceVmName} is '${pair.state}'; statistics are accepted only while it replicates`,
              );
            }
            return applyStats(w, pair, item.input, settings);
          }).then(item.resolve, item.reject);
        }
        continue;
      }
      batch.forEach((item, i) => {
        const o = outcomes.get(i)!;
        if (o.ok) item.resolve(o.pair);
        else item.reject(o.err);
      });
    }
    this.statsFlushing = false;
  }

  async reportPairProgress(
    pairId: string,
    event: 'initial-replication-started' | 'initial-replication-complete' | 'resync-complete',
  ): Promise<Pair> {
    const moves: Record<typeof event, [PairState, PairState]> = {
      'initial-replication-started': ['enabling', 'initial-replication'],
      'initial-replication-complete': ['initial-replication', 'protected'],
      'resync-complete': ['resyncing', 'protected'],
    };
    const [from, to] = moves[event];
    return this.transitionPair(pairId, to, `agent: ${event}`, [from]);
  }

  async addRecoveryPoint(
    pairId: string,
    input: { at?: string; tag?: string; consistency: 'app' | 'crash' },
  ): Promise<RecoveryPoint> {
    return this.write(async (w) => {
      const pair = await this.getPair(pairId, w.q);
      if (pair.state === 'enabling' || pair.state === 'initial-replication') {
        throw new ApiError(
          'conflict',
          `pair ${pair.sourceVmName} has no full copy yet ('${pair.state}'); recovery points come after initial replication`,
        );
      }
      const rows = await w.q.query<Row>(
        'INSERT INTO recovery_points (id, pair_id, at, tag, consistency) VALUES ($1,$2,$3,$4,$5) RETURNING *',
        [newId('rp'), pairId, input.at ?? w.now.toISOString(), input.tag ?? null, input.consistency],
      );
      const point = recoveryPointRow(rows[0]!);
      w.emit('recovery-point', { point });
      return point;
    });
  }

  /** Recoverable errors are retried on the 1-2-4-8-10-30 minute schedule; the others stop the pair. */
  async reportPairError(pairId: string, kind: ReplicationErrorKind, message: string): Promise<Pair> {
    return this.write(async (w) => {
      let pair = await this.getPair(pairId, w.q, true);
      const recoverable = isRecoverable(kind);
      const attempt = pair.retry?.recoverable && recoverable ? pair.retry.attempt + 1 : 1;
      const nextAt = recoverable
        ? new Date(w.now.getTime() + retryDelayMinutes(attempt) * 60_000).toISOString()
        : null;
      const retry = { attempt, nextAt, kind, message, recoverable };
      await w.q.query('UPDATE pairs SET retry = $2::jsonb WHERE id = $1', [pairId, JSON.stringify(retry)]);
      pair = { ...pair, retry };
      const key = `pair:${pairId}:error`;
      if (recoverable) {
        await raiseAlert(
          w,
          key,
          'warning',
          'pair',
          pairId,
          `${pair.sourceVmName}: ${kind} error (${message}); retry ${attempt} at ${nextAt}`,
        );
      } else {
        await raiseAlert(
          w,
          key,
          'critical',
          'pair',
          pairId,
          `${pair.sourceVmName}: ${kind} error (${message}); not retried: fix the cause, then re-enable or resync the pair`,
        );
        if (transitionRefusal(pair.state, 'error') === null)
          pair = await applyTransition(w, pair, 'error', `${kind}: ${message}`);
      }
      const health = pairHealth(pair, w.now);
      await w.q.query('UPDATE pairs SET health = $2 WHERE id = $1', [pairId, health]);
      pair = { ...pair, health };
      w.emit('pair.stats', { pairId, stats: pair.stats ?? emptyStats(w.now), health });
      return pair;
    });
  }

  // ------------------------------------------------------------ alerts

  async listAlerts(open: boolean, limit = 1000): Promise<Alert[]> {
    const rows = await this.db.query<Row>(
      `SELECT * FROM alerts WHERE ($1::boolean = false OR cleared_at IS NULL) ORDER BY raised_at DESC, id LIMIT $2`,
      [open, limit],
    );
    return rows.map(alertRow);
  }

  // ------------------------------------------------------------ periodic rules

  /**
   * Time-driven rules, run every few seconds by each instance (idempotent, so several instances
   * may run it): missed heartbeats, scheduled resyncs that are due, event-table pruning.
   */
  async sweep(
    options: { eventRetention?: number } = {},
  ): Promise<{ heartbeatAlerts: number; resyncsStarted: number }> {
    const now = this.clock();
    const cutoff = new Date(now.getTime() - heartbeatTimeoutSec * 1000).toISOString();
    return this.write(async (w) => {
      let heartbeatAlerts = 0;
      const silentPairs = await w.q.query<Row>(
        `SELECT * FROM pairs WHERE last_heartbeat_at < $1 AND state = ANY($2::text[])
           AND NOT EXISTS (SELECT 1 FROM alerts WHERE key = 'pair:' || pairs.id || ':heartbeat' AND cleared_at IS NULL)`,
        [cutoff, replicatingStates],
      );
      for (const r of silentPairs) {
        const pair = pairRow(r);
        await raiseAlert(
          w,
          `pair:${pair.id}:heartbeat`,
          'critical',
          'pair',
          pair.id,
          `${pair.sourceVmName}: no heartbeat from its agent for 15 minutes`,
        );
        await w.q.query("UPDATE pairs SET health = 'critical' WHERE id = $1", [pair.id]);
        heartbeatAlerts++;
      }
      const silentPs = await w.q.query<Row>(
        `SELECT * FROM process_servers WHERE last_heartbeat_at < $1
           AND NOT EXISTS (SELECT 1 FROM alerts WHERE key = 'process-server:' || process_servers.id || ':heartbeat' AND cleared_at IS NULL)`,
        [cutoff],
      );
      for (const r of silentPs) {
        await raiseAlert(
          w,
          `process-server:${str(r.id)}:heartbeat`,
          'critical',
          'process-server',
          str(r.id),
          `${str(r.name)}: no heartbeat for 15 minutes`,
        );
        heartbeatAlerts++;
      }
      const silentAgents = await w.q.query<Row>(
        `SELECT * FROM agents WHERE last_heartbeat_at < $1 AND pair_id IS NULL AND process_server_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM alerts WHERE key = 'agent:' || agents.id || ':heartbeat' AND cleared_at IS NULL)`,
        [cutoff],
      );
      for (const r of silentAgents) {
        await raiseAlert(
          w,
          `agent:${str(r.id)}:heartbeat`,
          'critical',
          'agent',
          str(r.id),
          `agent ${str(r.name)}: no heartbeat for 15 minutes`,
        );
        heartbeatAlerts++;
      }
      const due = await w.q.query<Row>(
        "SELECT * FROM pairs WHERE state = 'resync-required' AND resync_scheduled_at <= $1 FOR UPDATE SKIP LOCKED",
        [now.toISOString()],
      );
      for (const r of due) await applyTransition(w, pairRow(r), 'resyncing', 'scheduled resync started');
      const keep = options.eventRetention ?? 200_000;
      await w.q.query('DELETE FROM events WHERE id <= (SELECT max(id) FROM events) - $1', [keep]);
      return { heartbeatAlerts, resyncsStarted: due.length };
    });
  }

  /** Counts for /metrics. */
  async metricsSnapshot(): Promise<{
    pairs: Array<{ state: string; health: string; n: number }>;
    alerts: Array<{ severity: string; n: number }>;
  }> {
    const pairs = await this.db.query<{ state: string; health: string; n: number }>(
      'SELECT state, health, count(*)::int AS n FROM pairs GROUP BY state, health',
    );
    const alerts = await this.db.query<{ severity: string; n: number }>(
      'SELECT severity, count(*)::int AS n FROM alerts WHERE cleared_at IS NULL GROUP BY severity',
    );
    return { pairs, alerts };
  }
}

// ---------------------------------------------------------------- helpers inside a transaction

async function applyTransition(
  w: Writer,
  pair: Pair,
  to: PairState,
  reason: string | null,
  resyncAt?: Date,
): Promise<Pair> {
  const refusal = transitionRefusal(pair.state, to);
  if (refusal) throw new ApiError('conflict', `${pair.sourceVmName}: ${refusal}`);
  const direction = directionAfter(pair.state, to, pair.direction);
  const resyncScheduledAt = to === 'resync-required' ? (resyncAt ?? w.now).toISOString() : null;
  const next: Pair = {
    ...pair,
    state: to,
    direction,
    resyncScheduledAt,
    stateChangedAt: w.now.toISOString(),
    retry: to === 'enabling' || to === 'resync-required' ? null : pair.retry,
  };
  next.health = pairHealth(next, w.now);
  await w.q.query(
    `UPDATE pairs SET state = $2, direction = $3, resync_scheduled_at = $4, state_changed_at = $5, health = $6,
       retry = $7::jsonb WHERE id = $1`,
    [
      pair.id,
      to,
      direction,
      resyncScheduledAt,
      next.stateChangedAt,
      next.health,
      next.retry ? JSON.stringify(next.retry) : null,
    ],
  );
  const key = `pair:${pair.id}:state`;
  if (to === 'error')
    await raiseAlert(
      w,
      key,
      'critical',
      'pair',
      pair.id,
      `${pair.sourceVmName}: replication stopped with an error${reason ? ` (${reason})` : ''}`,
    );
  else if (pair.state === 'error') await clearAlert(w, key);
  const resyncKey = `pair:${pair.id}:resync`;
  if (to === 'resync-required') {
    await raiseAlert(
      w,
      resyncKey,
      'warning',
      'pair',
      pair.id,
      `${pair.sourceVmName}: resync required${reason ? ` (${reason})` : ''}; scheduled for ${resyncScheduledAt}`,
    );
  } else if (to === 'protected' || to === 'enabling') await clearAlert(w, resyncKey);
  w.emit('pair.state', { pair: next, from: pair.state, reason });
  return next;
}

/**
 * One statistics report on a locked pair: RPO against the threshold, the change-log rule
 * (→ resync-required, scheduled outside office hours), heartbeat and recovered errors.
 */
async function applyStats(
  w: Writer,
  pair: Pair,
  input: Required<PairStatsInput>,
  settings: Settings,
): Promise<Pair> {
  const pairId = pair.id;
  const stats = { ...input, reportedAt: w.now.toISOString() };
  const rpoApplies = pair.state !== 'initial-replication';
  const prevRpo = pair.stats && rpoApplies ? rpoLevel(pair.stats.rpoSec, pair.rpoThresholdSec) : 'ok';
  const rpo = rpoApplies ? rpoLevel(input.rpoSec, pair.rpoThresholdSec) : 'ok';
  if (rpo !== prevRpo) {
    const key = `pair:${pairId}:rpo`;
    if (rpo === 'ok') await clearAlert(w, key);
    else {
      await raiseAlert(
        w,
        key,
        rpo === 'critical' ? 'critical' : 'warning',
        'pair',
        pairId,
        `${pair.sourceVmName}: RPO ${Math.round(input.rpoSec)} s is above ${rpo === 'critical' ? 'twice ' : ''}the threshold of ${pair.rpoThresholdSec} s`,
      );
    }
  }
  const stale =
    pair.lastHeartbeatAt !== null &&
    w.now.getTime() - Date.parse(pair.lastHeartbeatAt) > heartbeatTimeoutSec * 1000;
  if (stale) await clearAlert(w, `pair:${pairId}:heartbeat`);
  if (pair.retry?.recoverable) await clearAlert(w, `pair:${pairId}:error`);
  const retry = pair.retry?.recoverable ? null : pair.retry;
  let next: Pair = { ...pair, stats, lastHeartbeatAt: w.now.toISOString(), retry };
  if (next.state === 'protected' && needsResync(input.pendingChangeBytes, input.diskSizeBytes)) {
    const at = settings.resyncImmediately ? w.now : nextOutsideOfficeHours(w.now, settings.officeHours);
    const pct = Math.round((input.pendingChangeBytes / input.diskSizeBytes) * 100);
    next = await applyTransition(
      w,
      next,
      'resync-required',
      `change log at ${pct}% of the disk (limit 50%)`,
      at,
    );
  }
  next = { ...next, health: pairHealth(next, w.now) };
  await w.q.query(
    'UPDATE pairs SET stats = $2::jsonb, last_heartbeat_at = $3, retry = $4::jsonb, health = $5 WHERE id = $1',
    [
      pairId,
      JSON.stringify(stats),
      w.now.toISOString(),
      next.retry ? JSON.stringify(next.retry) : null,
      next.health,
    ],
  );
  w.emit('pair.stats', { pairId, stats, health: next.health });
  return next;
}

function pairHealth(pair: Pair, now: Date): HealthLevel {
  const levels: HealthLevel[] = [];
  if (pair.state === 'error') levels.push('critical');
  if (pair.state === 'resync-required') levels.push('warning');
  if (pair.retry) levels.push(pair.retry.recoverable ? 'warning' : 'critical');
  if (pair.stats && pair.state !== 'initial-replication' && pair.state !== 'enabling') {
    levels.push(rpoLevel(pair.stats.rpoSec, pair.rpoThresholdSec));
  }
  if (pair.lastHeartbeatAt && now.getTime() - Date.parse(pair.lastHeartbeatAt) > heartbeatTimeoutSec * 1000) {
    levels.push('critical');
  }
  if (levels.length === 0 && !pair.stats) return 'unknown';
  return worstLevel(levels);
}

function emptyStats(now: Date) {
  return {
    rpoSec: 0,
    pendingChangeBytes: 0,
    diskSizeBytes: 0,
    throughputBps: 0,
    progress: 0,
    reportedAt: now.toISOString(),
  };
}

export async function raiseAlert(
  w: Writer,
  key: string,
  severity: 'warning' | 'critical',
  subjectKind: Alert['subjectKind'],
  subjectId: string,
  message: string,
): Promise<void> {
  const open = await w.q.query<Row>('SELECT * FROM alerts WHERE key = $1 AND cleared_at IS NULL FOR UPDATE', [
    key,
  ]);
  if (open[0]) {
    if (open[0].severity === severity && open[0].message === message) return;
    const rows = await w.q.query<Row>(
      'UPDATE alerts SET severity = $2, message = $3, updated_at = $4 WHERE id = $1 RETURNING *',
      [open[0].id, severity, message, w.now.toISOString()],
    );
    if (open[0].severity !== severity) w.emit('alert.raised', { alert: alertRow(rows[0]!) });
    return;
  }
  const rows = await w.q.query<Row>(
    `INSERT INTO alerts (id, key, severity, subject_kind, subject_id, message, raised_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$7) RETURNING *`,
    [newId('alert'), key, severity, subjectKind, subjectId, message, w.now.toISOString()],
  );
  w.emit('alert.raised', { alert: alertRow(rows[0]!) });
}

export async function clearAlert(w: Writer, key: string): Promise<void> {
  const rows = await w.q.query<Row>(
    'UPDATE alerts SET cleared_at = $2, updated_at = $2 WHERE key = $1 AND cleared_at IS NULL RETURNING *',
    [key, w.now.toISOString()],
  );
  for (const r of rows) w.emit('alert.cleared', { alert: alertRow(r) });
}

// ---------------------------------------------------------------- row mappers

function tokenRow(r: Row): Token {
  return {
    id: str(r.id),
    name: str(r.name),
    role: r.role as Role,
    createdAt: iso(r.created_at),
    createdBy: str(r.created_by),
    lastUsedAt: isoOrNull(r.last_used_at),
    revokedAt: isoOrNull(r.revoked_at),
  };
}

function siteRow(r: Row): Site {
  return { id: str(r.id), name: str(r.name), role: r.role as SiteRole, createdAt: iso(r.created_at) };
}

function endpointRow(r: Row): Endpoint {
  return {
    id: str(r.id),
    siteId: str(r.site_id),
    name: str(r.name),
    target: r.target as EndpointTarget,
    trust: r.trust as Trust,
    product: str(r.product),
    hasSecret: r.secret !== null && r.secret !== undefined,
    verifiedAt: iso(r.verified_at),
    createdAt: iso(r.created_at),
  };
}

function processServerRow(r: Row): ProcessServer {
  return {
    id: str(r.id),
    siteId: str(r.site_id),
    name: str(r.name),
    host: str(r.host),
    health: (r.health as ProcessServerHealth | null) ?? null,
    level: r.level as HealthLevel,
    lastHeartbeatAt: isoOrNull(r.last_heartbeat_at),
    createdAt: iso(r.created_at),
  };
}

function masterTargetRow(r: Row, slots: Row[]): MasterTarget {
  return {
    id: str(r.id),
    siteId: str(r.site_id),
    endpointId: strOrNull(r.endpoint_id),
    name: str(r.name),
    vmId: str(r.vm_id),
    vmName: str(r.vm_name),
    osFamily: r.os_family as OsFamily,
    slots: slots.map((s) => ({
      controller: Number(s.controller),
      unit: Number(s.unit),
      pairId: str(s.pair_id),
      diskKey: str(s.disk_key),
    })),
    slotsUsed: slots.length,
    slotsFree: usableSlots - slots.length,
    retentionDatastore: strOrNull(r.retention_datastore),
    retentionFreeBytes: r.retention_free_bytes === null ? null : Number(r.retention_free_bytes),
    createdAt: iso(r.created_at),
  };
}

function planRow(r: Row): Plan {
  const spec = r.spec as PlanSpec;
  return {
    id: str(r.id),
    ...planSpecOf(spec),
    sourceSiteId: str(r.source_site_id),
    targetSiteId: str(r.target_site_id),
    masterTargetId: strOrNull(r.master_target_id),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

function pairRow(r: Row): Pair {
  return {
    id: str(r.id),
    planId: strOrNull(r.plan_id),
    sourceVmId: str(r.source_vm_id),
    sourceVmName: str(r.source_vm_name),
    sourceSiteId: str(r.source_site_id),
    targetSiteId: str(r.target_site_id),
    masterTargetId: strOrNull(r.master_target_id),
    processServerId: strOrNull(r.process_server_id),
    osFamily: r.os_family as OsFamily,
    state: r.state as PairState,
    direction: r.direction as Pair['direction'],
    health: r.health as HealthLevel,
    stats: (r.stats as Pair['stats']) ?? null,
    rpoThresholdSec: Number(r.rpo_threshold_sec),
    resyncScheduledAt: isoOrNull(r.resync_scheduled_at),
    retry: (r.retry as Pair['retry']) ?? null,
    lastHeartbeatAt: isoOrNull(r.last_heartbeat_at),
    stateChangedAt: iso(r.state_changed_at),
    createdAt: iso(r.created_at),
  };
}

function recoveryPointRow(r: Row): RecoveryPoint {
  return {
    id: str(r.id),
    pairId: str(r.pair_id),
    at: iso(r.at),
    tag: strOrNull(r.tag),
    consistency: r.consistency as RecoveryPoint['consistency'],
  };
}

function agentRow(r: Row): Agent {
  return {
    id: str(r.id),
    kind: r.kind as Agent['kind'],
    name: str(r.name),
    host: str(r.host),
    version: str(r.version),
    pairId: strOrNull(r.pair_id),
    processServerId: strOrNull(r.process_server_id),
    lastHeartbeatAt: isoOrNull(r.last_heartbeat_at),
    registeredAt: iso(r.registered_at),
  };
}

function alertRow(r: Row): Alert {
  return {
    id: str(r.id),
    key: str(r.key),
    severity: r.severity as Alert['severity'],
    subjectKind: r.subject_kind as Alert['subjectKind'],
    subjectId: str(r.subject_id),
    message: str(r.message),
    raisedAt: iso(r.raised_at),
    updatedAt: iso(r.updated_at),
    clearedAt: isoOrNull(r.cleared_at),
  };
}
