import type { z } from 'zod';
import {
  canTransition,
  directionAfter,
  firstFreeSlot,
  type HealthLevel,
  heartbeatTimeoutSec,
  type Pair,
  type PairState,
  type Plan,
  type PlanSpec,
  type pairCreateInputSchema,
  pairTransitions,
  type RecoveryPoint,
  rpoLevel,
  usableSlots,
  worstLevel,
} from '../../shared/configserver';
import { ApiError } from '../../shared/errors';
import { alertWordsEn } from '../../shared/i18n/alert-words';
import { asSent } from '../../shared/i18n/list-words';
import { pairIsSaid, stateSaid, statesSaid } from '../../shared/i18n/pair-state-words';
import { sayRefusal } from '../../shared/i18n/refusal-words';
import { sayer, type Text } from '../../shared/i18n/worded';
import type { Queryable } from '../db';
import { clearAlert, raiseAlert } from './alerts';
import type { MasterTargetStore, ProcessServerStore, SiteStore } from './estate';
import { iso, pairRow, planRow, type Row, recoveryPointRow, str } from './rows';
import { mapDbError, newId, type Transactions, type Writer } from './tx';

export type PairCreateInput = z.output<typeof pairCreateInputSchema>;

export class PlanStore {
  constructor(private readonly tx: Transactions) {}

  /**
   * Creates or replaces the plan named in the spec. `expectUpdatedAt` is the version the operator
   * reviewed (null: none existed); a plan changed since is refused rather than overwritten.
   */
  async apply(input: {
    spec: PlanSpec;
    sourceSiteId: string;
    targetSiteId: string;
    masterTargetId: string | null;
    expectUpdatedAt?: string | null;
  }): Promise<{ plan: Plan; created: boolean }> {
    return this.tx.write(async (w) => {
      const name = input.spec.name;
      const existing = (await w.q.query<Row>('SELECT * FROM plans WHERE name = $1 FOR UPDATE', [name]))[0];
      if (input.expectUpdatedAt !== undefined) {
        const have = existing ? iso(existing.updated_at) : null;
        if (have !== input.expectUpdatedAt)
          throw new ApiError(
            'conflict',
            have === null
              ? sayRefusal('refusal.planRemoved', { plan: name })
              : sayRefusal('refusal.planChanged', { plan: name, at: have }),
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
          .catch((e) => mapDbError(e, sayRefusal('refusal.what.plan', { name })));
      } else {
        rows = await w.q
          .query<Row>(
            `INSERT INTO plans (id, name, source_site_id, target_site_id, master_target_id, spec, created_at, updated_at)
             VALUES ($7,$1,$2,$3,$4,$5::jsonb,$6,$6) RETURNING *`,
            [...params, newId('plan')],
          )
          .catch((e) => mapDbError(e, sayRefusal('refusal.what.planNamed', { name })));
      }
      const plan = planRow(rows[0]!);
      w.emit('entity.changed', { entity: 'plan', id: plan.id, change: existing ? 'updated' : 'created' });
      return { plan, created: !existing };
    });
  }

  async list(): Promise<Plan[]> {
    return (await this.tx.db.query<Row>('SELECT * FROM plans ORDER BY name')).map(planRow);
  }

  async resolve(idOrName: string, q: Queryable = this.tx.db): Promise<Plan> {
    const rows = await q.query<Row>('SELECT * FROM plans WHERE id = $1 OR name = $1', [idOrName]);
    if (!rows[0]) throw new ApiError('not-found', sayRefusal('refusal.noPlan', { ref: idOrName }));
    return planRow(rows[0]);
  }

  /** The plan by name, or null (apply creates it then). */
  async find(name: string, q: Queryable = this.tx.db): Promise<Plan | null> {
    const rows = await q.query<Row>('SELECT * FROM plans WHERE name = $1', [name]);
    return rows[0] ? planRow(rows[0]) : null;
  }

  /** Removes a plan that no pair belongs to (its pairs are removed, or moved, first). */
  async remove(idOrName: string): Promise<Plan> {
    return this.tx.write(async (w) => {
      const plan = await this.resolve(idOrName, w.q);
      const pairs = await w.q.query<Row>(
        'SELECT source_vm_name FROM pairs WHERE plan_id = $1 ORDER BY source_vm_name',
        [plan.id],
      );
      if (pairs.length > 0) {
        const names = pairs.slice(0, 5).map((r) => str(r.source_vm_name));
        throw new ApiError(
          'conflict',
          sayRefusal('refusal.planHasPairs', {
            plan: plan.name,
            count: pairs.length,
            names: `${names.join(', ')}${pairs.length > 5 ? ', …' : ''}`,
          }),
        );
      }
      await w.q.query('DELETE FROM plans WHERE id = $1', [plan.id]);
      w.emit('entity.changed', { entity: 'plan', id: plan.id, change: 'removed' });
      return plan;
    });
  }
}

/** States a pair may be removed in: no operation of its own is under way. */
const removableStates: readonly PairState[] = [
  'enabling',
  'initial-replication',
  'protected',
  'resync-required',
  'error',
  'committed',
];

export class PairStore {
  constructor(
    private readonly tx: Transactions,
    private readonly refs: {
      sites: SiteStore;
      plans: PlanStore;
      masterTargets: MasterTargetStore;
      processServers: ProcessServerStore;
    },
  ) {}

  /**
   * A new pair (state enabling) from references by id or name: the sites must differ, the master
   * target (the request's, else the plan's) must be on the target site and run the source's OS,
   * and each source disk takes one free SCSI slot on it.
   */
  async create(input: PairCreateInput): Promise<Pair> {
    const { sites, plans, masterTargets, processServers } = this.refs;
    const plan = input.plan ? await plans.resolve(input.plan) : null;
    const source = await sites.resolve(input.sourceSite);
    const target = await sites.resolve(input.targetSite);
    if (source.id === target.id) throw new ApiError('invalid-input', sayRefusal('refusal.sitesSame'));
    const platform = input.platform ?? 'vsphere';
    if (platform === 'hyperv' && (input.masterTarget || input.processServer))
      throw new ApiError(
        'invalid-input',
        sayRefusal('refusal.hypervNoMasterTarget', { vm: input.sourceVmName }),
      );
    // A Hyper-V Replica pair keeps no replica disk on a master target, whatever its plan names.
    const mtRef = platform === 'hyperv' ? null : (input.masterTarget ?? plan?.masterTargetId ?? null);
    const mt = mtRef ? await masterTargets.get(mtRef) : null;
    if (mt && mt.siteId !== target.id)
      throw new ApiError(
        'invalid-input',
        sayRefusal('refusal.masterTargetElsewhere', { mt: mt.name, site: target.name }),
      );
    const ps = input.processServer ? await processServers.resolve(input.processServer) : null;
    const masterTargetId = mt?.id ?? null;
    return this.tx.write(async (w) => {
      const id = newId('pair');
      if (masterTargetId) {
        // Lock the MT so two pairs cannot take the same SCSI slot.
        const mts = await w.q.query<Row>('SELECT * FROM master_targets WHERE id = $1 FOR UPDATE', [
          masterTargetId,
        ]);
        const locked = mts[0];
        if (!locked)
          throw new ApiError('not-found', sayRefusal('refusal.noMasterTargetId', { id: masterTargetId }));
        if (locked.os_family !== input.osFamily) {
          throw new ApiError(
            'conflict',
            sayRefusal('refusal.masterTargetFamily', {
              vm: input.sourceVmName,
              family: input.osFamily,
              mt: str(locked.name),
              mtFamily: str(locked.os_family),
            }),
          );
        }
      }
      await w.q
        .query(
          `INSERT INTO pairs (id, plan_id, source_vm_id, source_vm_name, source_site_id, target_site_id, master_target_id,
             process_server_id, os_family, state, direction, rpo_threshold_sec, state_changed_at, created_at, platform)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'enabling','forward',$10,$11,$11,$12)`,
          [
            id,
            plan?.id ?? null,
            input.sourceVmId,
            input.sourceVmName,
            source.id,
            target.id,
            masterTargetId,
            ps?.id ?? null,
            input.osFamily,
            input.rpoThresholdSec ?? (plan ? plan.policy.rpoThresholdMinutes * 60 : 900),
            w.now.toISOString(),
            platform,
          ],
        )
        .catch((e) => mapDbError(e, sayRefusal('refusal.what.pair', { vm: input.sourceVmName })));
      if (masterTargetId) {
        const used = await w.q.query<{ controller: number; unit: number }>(
          'SELECT controller, unit FROM mt_slots WHERE master_target_id = $1',
          [masterTargetId],
        );
        // The master target's own disks (recorded by the protect workflow) are not free slots.
        const own = await w.q.query<{ reserved_slots: Array<{ controller: number; unit: number }> }>(
          'SELECT reserved_slots FROM master_targets WHERE id = $1',
          [masterTargetId],
        );
        const reserved = own[0]?.reserved_slots ?? [];
        const taken = [...used, ...reserved];
        for (const diskKey of input.disks ?? ['disk-0']) {
          const slot = firstFreeSlot(taken);
          if (!slot) {
            throw new ApiError('conflict', sayRefusal('refusal.noScsiSlot', { slots: usableSlots }));
          }
          taken.push(slot);
          await w.q.query(
            'INSERT INTO mt_slots (master_target_id, controller, unit, pair_id, disk_key) VALUES ($1,$2,$3,$4,$5)',
            [masterTargetId, slot.controller, slot.unit, id, diskKey],
          );
        }
      }
      const pair = await this.get(id, w.q);
      w.emit('pair.state', { pair, from: null, reason: 'pair created' });
      return pair;
    });
  }

  async list(filter: { state?: PairState; planId?: string; processServerId?: string } = {}): Promise<Pair[]> {
    const rows = await this.tx.db.query<Row>(
      `SELECT * FROM pairs WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR plan_id = $2)
         AND ($3::text IS NULL OR process_server_id = $3) ORDER BY source_vm_name, id`,
      [filter.state ?? null, filter.planId ?? null, filter.processServerId ?? null],
    );
    return rows.map(pairRow);
  }

  /** The pairs with these ids (those that exist), in one read. */
  async getMany(ids: string[], q: Queryable = this.tx.db): Promise<Pair[]> {
    const rows = await q.query<Row>('SELECT * FROM pairs WHERE id = ANY($1::text[]) ORDER BY id', [ids]);
    return rows.map(pairRow);
  }

  async get(id: string, q: Queryable = this.tx.db, lock = false): Promise<Pair> {
    const rows = await q.query<Row>(`SELECT * FROM pairs WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    if (!rows[0]) throw new ApiError('not-found', sayRefusal('refusal.noPair', { id }));
    return pairRow(rows[0]);
  }

  async remove(id: string): Promise<void> {
    await this.tx.write(async (w) => {
      const pair = await this.get(id, w.q, true);
      if (!removableStates.includes(pair.state)) {
        throw new ApiError(
          'conflict',
          sayRefusal('refusal.pairBusy', { pairIs: pairIsSaid(pair.sourceVmName, pair.state) }),
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
  async transition(
    id: string,
    to: PairState,
    reason: string | null,
    expectFrom?: readonly PairState[],
  ): Promise<Pair> {
    return this.tx.write(async (w) => {
      const pair = await this.get(id, w.q, true);
      if (expectFrom && !expectFrom.includes(pair.state)) {
        throw new ApiError(
          'conflict',
          sayRefusal('refusal.pairNotIn', {
            pairIs: pairIsSaid(pair.sourceVmName, pair.state),
            states: statesSaid(expectFrom),
          }),
        );
      }
      return applyTransition(w, pair, to, reason);
    });
  }

  /**
   * Moves several pairs in one transaction, each as `transition` would (locked, refused unless
   * in one of `expectFrom`): all move or none does.
   */
  async transitionAll(
    ids: string[],
    to: PairState,
    reason: string | null,
    expectFrom?: readonly PairState[],
  ): Promise<Pair[]> {
    return this.tx.write(async (w) => {
      const rows = await w.q.query<Row>(
        'SELECT * FROM pairs WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
        [ids],
      );
      const pairs = new Map(rows.map((r) => [str(r.id), pairRow(r)]));
      const moved: Pair[] = [];
      for (const id of ids) {
        const pair = pairs.get(id);
        if (!pair) throw new ApiError('not-found', sayRefusal('refusal.noPair', { id }));
        if (expectFrom && !expectFrom.includes(pair.state)) {
          throw new ApiError(
            'conflict',
            sayRefusal('refusal.pairNotIn', {
              pairIs: pairIsSaid(pair.sourceVmName, pair.state),
              states: statesSaid(expectFrom),
            }),
          );
        }
        moved.push(await applyTransition(w, pair, to, reason));
      }
      return moved;
    });
  }

  /** Operator-started resync: from protected it first becomes resync-required, then resyncing. */
  async startResync(id: string, reason: string): Promise<Pair> {
    return this.tx.write(async (w) => {
      let pair = await this.get(id, w.q, true);
      if (pair.state === 'protected') pair = await applyTransition(w, pair, 'resync-required', reason);
      return applyTransition(w, pair, 'resyncing', reason);
    });
  }

  /** An agent's report that initial replication or a resync started or finished. */
  async reportProgress(
    pairId: string,
    event: 'initial-replication-started' | 'initial-replication-complete' | 'resync-complete',
  ): Promise<Pair> {
    // A reprotect's resync (checksums against the original disks) ends the same way as any resync.
    const moves: Record<typeof event, [PairState[], PairState]> = {
      'initial-replication-started': [['enabling'], 'initial-replication'],
      'initial-replication-complete': [['initial-replication'], 'protected'],
      'resync-complete': [['resyncing', 'reprotecting'], 'protected'],
    };
    const [from, to] = moves[event];
    return this.transition(pairId, to, `agent: ${event}`, from);
  }
}

export class RecoveryPointStore {
  constructor(
    private readonly tx: Transactions,
    private readonly pairs: PairStore,
  ) {}

  async list(pairId: string, limit = 500): Promise<RecoveryPoint[]> {
    await this.pairs.get(pairId);
    const rows = await this.tx.db.query<Row>(
      'SELECT * FROM recovery_points WHERE pair_id = $1 ORDER BY at DESC LIMIT $2',
      [pairId, limit],
    );
    return rows.map(recoveryPointRow);
  }

  /** The newest `limit` points of each pair, in one read (a failover choosing a point for every pair). */
  async listFor(pairIds: string[], limit = 500): Promise<Map<string, RecoveryPoint[]>> {
    const rows = await this.tx.db.query<Row>(
      `SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY pair_id ORDER BY at DESC) AS n
         FROM recovery_points WHERE pair_id = ANY($1::text[])) p WHERE n <= $2 ORDER BY pair_id, at DESC`,
      [pairIds, limit],
    );
    const out = new Map<string, RecoveryPoint[]>(pairIds.map((id) => [id, []]));
    for (const r of rows) out.get(String(r.pair_id))?.push(recoveryPointRow(r));
    return out;
  }

  async add(
    pairId: string,
    input: { at?: string; tag?: string; consistency: 'app' | 'crash' },
  ): Promise<RecoveryPoint> {
    return this.tx.write(async (w) => {
      const pair = await this.pairs.get(pairId, w.q);
      if (pair.state === 'enabling' || pair.state === 'initial-replication') {
        throw new ApiError(
          'conflict',
          sayRefusal('refusal.pairNoFullCopy', { pairIs: pairIsSaid(pair.sourceVmName, pair.state) }),
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
}

// ---------------------------------------------------------------- pair rules inside a transaction

/** Moves a locked pair to `to` if the state machine allows it, with the alerts the move implies. */
export async function applyTransition(
  w: Writer,
  pair: Pair,
  to: PairState,
  /** Why: an operator's or a workflow's words as sent, or the server's own with their words. */
  reason: string | Text | null,
  resyncAt?: Date,
): Promise<Pair> {
  const why = typeof reason === 'string' ? asSent(reason) : reason;
  const alert = sayer(alertWordsEn);
  if (!canTransition(pair.state, to))
    throw new ApiError(
      'conflict',
      sayRefusal('refusal.pairCannotMove', {
        pairIs: pairIsSaid(pair.sourceVmName, pair.state),
        to: stateSaid(to),
        allowed: statesSaid(pairTransitions[pair.state]),
      }),
    );
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
      why
        ? alert('alert.pair.stoppedBecause', { vm: pair.sourceVmName, reason: why })
        : alert('alert.pair.stopped', { vm: pair.sourceVmName }),
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
      why
        ? alert('alert.pair.resyncBecause', {
            vm: pair.sourceVmName,
            reason: why,
            at: String(resyncScheduledAt),
          })
        : alert('alert.pair.resync', { vm: pair.sourceVmName, at: String(resyncScheduledAt) }),
    );
  } else if (to === 'protected' || to === 'enabling') await clearAlert(w, resyncKey);
  w.emit('pair.state', { pair: next, from: pair.state, reason: why?.text ?? null });
  return next;
}

export function pairHealth(pair: Pair, now: Date): HealthLevel {
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
