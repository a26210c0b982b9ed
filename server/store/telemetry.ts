import {
  type Agent,
  canTransition,
  heartbeatTimeoutSec,
  isRecoverable,
  needsResync,
  nextOutsideOfficeHours,
  type Pair,
  type PairStatsInput,
  type ProcessServer,
  type ProcessServerHealth,
  processServerFindings,
  type ReplicationErrorKind,
  replicatingStates,
  retryDelayMinutes,
  rpoLevel,
  type Settings,
  settingsSchema,
  worstLevel,
} from '../../shared/configserver';
import { ApiError } from '../../shared/errors';
import { alertWordsEn } from '../../shared/i18n/alert-words';
import { pairIsSaid } from '../../shared/i18n/pair-state-words';
import { sayRefusal } from '../../shared/i18n/refusal-words';
import { say } from '../../shared/i18n/worded';
import type { SettingsStore } from './admin';
import { clearAlert, raiseAlert } from './alerts';
import type { ProcessServerStore } from './estate';
import { applyTransition, type PairStore, pairHealth } from './protection';
import { agentRow, pairRow, processServerRow, type Row, str } from './rows';
import { newId, type Transactions, type Writer } from './tx';

/** Agents and process servers that report to this server. */
export class AgentStore {
  constructor(
    private readonly tx: Transactions,
    private readonly pairs: PairStore,
    private readonly processServers: ProcessServerStore,
  ) {}

  async register(input: {
    kind: Agent['kind'];
    name: string;
    host: string;
    version: string;
    pairId: string | null;
    processServerId: string | null;
  }): Promise<Agent> {
    return this.tx.write(async (w) => {
      if (input.pairId) await this.pairs.get(input.pairId, w.q);
      if (input.processServerId) await this.processServers.resolve(input.processServerId, w.q);
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

  async list(): Promise<Agent[]> {
    return (await this.tx.db.query<Row>('SELECT * FROM agents ORDER BY name')).map(agentRow);
  }

  async heartbeat(id: string): Promise<Agent> {
    return this.tx.write(
      async (w) => {
        const rows = await w.q.query<Row>(
          'UPDATE agents SET last_heartbeat_at = $2 WHERE id = $1 RETURNING *',
          [id, w.now.toISOString()],
        );
        if (!rows[0]) throw new ApiError('not-found', sayRefusal('refusal.noAgent', { id }));
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
      },
      { telemetry: true },
    );
  }
}

type StatsItem = {
  pairId: string;
  input: Required<PairStatsInput>;
  resolve: (p: Pair) => void;
  reject: (e: unknown) => void;
};

/** What agents and process servers report: pair statistics and errors, process-server health. */
export class Telemetry {
  private statsQueue: StatsItem[] = [];
  private statsFlushing = false;

  constructor(
    private readonly tx: Transactions,
    private readonly pairs: PairStore,
    private readonly processServers: ProcessServerStore,
    private readonly settings: SettingsStore,
  ) {}

  private write<T>(fn: (w: Writer) => Promise<T>): Promise<T> {
    return this.tx.write(fn, { telemetry: true });
  }

  /**
   * A pair's statistics: RPO against the threshold, the change-log rule (→ resync-required,
   * scheduled outside office hours), heartbeat and recovered errors.
   */
  async pairStats(pairId: string, input: Required<PairStatsInput>): Promise<Pair> {
    return new Promise<Pair>((resolve, reject) => {
      this.statsQueue.push({ pairId, input, resolve, reject });
      if (!this.statsFlushing) {
        this.statsFlushing = true;
        setImmediate(() => void this.flushStats());
      }
    });
  }

  /** Many pairs' statistics at once (a process server): each report is accepted or refused alone. */
  async pairStatsBatch(
    items: Array<{ pairId: string; stats: PairStatsInput }>,
  ): Promise<{ accepted: number; rejected: Array<{ pairId: string; message: string }> }> {
    const rejected: Array<{ pairId: string; message: string }> = [];
    for (const item of items) {
      try {
        await this.pairStats(item.pairId, item.stats as Required<PairStatsInput>);
      } catch (err) {
        rejected.push({ pairId: item.pairId, message: err instanceof Error ? err.message : String(err) });
      }
    }
    return { accepted: items.length - rejected.length, rejected };
  }

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
      const settings = await this.settings.cached().catch(() => settingsSchema.parse({}));
      const outcomes = new Map<number, { ok: true; pair: Pair } | { ok: false; err: unknown }>();
      try {
        await this.write(async (w) => {
          outcomes.clear();
          const ids = [...new Set(batch.map((b) => b.pairId))];
          const rows = await w.q.query<Row>(
            'SELECT * FROM pairs WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
            [ids],
          );
          const current = new Map(rows.map((r) => [str(r.id), pairRow(r)]));
          const updates = new Map<string, StatsUpdate>();
          for (let i = 0; i < batch.length; i++) {
            const item = batch[i]!;
            const pair = current.get(item.pairId);
            if (!pair) {
              outcomes.set(i, {
                ok: false,
                err: new ApiError('not-found', sayRefusal('refusal.noPair', { id: item.pairId })),
              });
              continue;
            }
            if (!replicatingStates.includes(pair.state)) {
              outcomes.set(i, { ok: false, err: notReplicating(pair) });
              continue;
            }
            const next = await applyStats(w, pair, item.input, settings, (u) => updates.set(u.pairId, u));
            current.set(pair.id, next);
            outcomes.set(i, { ok: true, pair: next });
          }
          // One statement for the whole batch (the last report of each pair): a round trip per
          // report, with every pair of the batch locked meanwhile, was most of a batch's time.
          if (updates.size > 0) {
            const u = [...updates.values()];
            await w.q.query(
              `UPDATE pairs SET stats = v.stats::jsonb, last_heartbeat_at = v.at::timestamptz, retry = v.retry::jsonb, health = v.health
               FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS v(id, stats, at, retry, health)
               WHERE pairs.id = v.id`,
              [
                u.map((x) => x.pairId),
                u.map((x) => x.stats),
                u.map((x) => x.at),
                u.map((x) => x.retry),
                u.map((x) => x.health),
              ],
            );
          }
        });
      } catch {
        for (const item of batch) {
          await this.write(async (w) => {
            const pair = await this.pairs.get(item.pairId, w.q, true);
            if (!replicatingStates.includes(pair.state)) throw notReplicating(pair);
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

  /** Recoverable errors are retried on the 1-2-4-8-10-30 minute schedule; the others stop the pair. */
  async pairError(pairId: string, kind: ReplicationErrorKind, message: string): Promise<Pair> {
    return this.tx.write(async (w) => {
      let pair = await this.pairs.get(pairId, w.q, true);
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
          say(alertWordsEn, `alert.pair.retried.${kind}`, {
            vm: pair.sourceVmName,
            message,
            attempt,
            at: String(nextAt),
          }),
        );
      } else {
        await raiseAlert(
          w,
          key,
          'critical',
          'pair',
          pairId,
          say(alertWordsEn, `alert.pair.notRetried.${kind}`, { vm: pair.sourceVmName, message }),
        );
        if (canTransition(pair.state, 'error'))
          pair = await applyTransition(
            w,
            pair,
            'error',
            say(alertWordsEn, `alert.reason.${kind}`, { message }),
          );
      }
      const health = pairHealth(pair, w.now);
      await w.q.query('UPDATE pairs SET health = $2 WHERE id = $1', [pairId, health]);
      pair = { ...pair, health };
      w.emit('pair.stats', { pairId, stats: pair.stats ?? emptyStats(w.now), health });
      return pair;
    });
  }

  /** A process server's health report: thresholds become alerts, the worst one its level. */
  async processServerHealth(idOrName: string, health: ProcessServerHealth): Promise<ProcessServer> {
    const { id } = await this.processServers.resolve(idOrName);
    return this.write(async (w) => {
      const findings = processServerFindings(health);
      const level = worstLevel(Object.values(findings).map((f) => f?.level ?? 'ok'));
      const rows = await w.q.query<Row>(
        'UPDATE process_servers SET health = $2::jsonb, level = $3, last_heartbeat_at = $4 WHERE id = $1 RETURNING *',
        [id, JSON.stringify(health), level, w.now.toISOString()],
      );
      if (!rows[0]) throw new ApiError('not-found', sayRefusal('refusal.noProcessServerId', { id }));
      const ps = processServerRow(rows[0]);
      for (const [aspect, finding] of Object.entries(findings)) {
        const key = `process-server:${id}:${aspect}`;
        if (finding)
          await raiseAlert(
            w,
            key,
            finding.level,
            'process-server',
            id,
            say(alertWordsEn, `alert.processServer.${aspect as keyof typeof findings}`, {
              name: ps.name,
              value: finding.value,
              limit: finding.limit,
            }),
          );
        else await clearAlert(w, key);
      }
      await clearAlert(w, `process-server:${id}:heartbeat`);
      w.emit('process-server.health', { processServer: ps });
      return ps;
    });
  }
}

function notReplicating(pair: Pair): ApiError {
  return new ApiError(
    'conflict',
    sayRefusal('refusal.pairNotReplicating', { pairIs: pairIsSaid(pair.sourceVmName, pair.state) }),
  );
}

/**
 * One statistics report on a locked pair: RPO against the threshold, the change-log rule
 * (→ resync-required, scheduled outside office hours), heartbeat and recovered errors.
 */
interface StatsUpdate {
  pairId: string;
  stats: string;
  at: string;
  retry: string | null;
  health: string;
}

async function applyStats(
  w: Writer,
  pair: Pair,
  input: Required<PairStatsInput>,
  settings: Settings,
  /** Given, the row update is handed to it (the batch writes all of them at once) instead of run here. */
  defer?: (update: StatsUpdate) => void,
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
        say(alertWordsEn, rpo === 'critical' ? 'alert.pair.rpoTwice' : 'alert.pair.rpo', {
          vm: pair.sourceVmName,
          rpo: Math.round(input.rpoSec),
          threshold: pair.rpoThresholdSec,
        }),
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
      say(alertWordsEn, 'alert.reason.changeLog', { percent: pct }),
      at,
    );
  }
  next = { ...next, health: pairHealth(next, w.now) };
  const update: StatsUpdate = {
    pairId,
    stats: JSON.stringify(stats),
    at: w.now.toISOString(),
    retry: next.retry ? JSON.stringify(next.retry) : null,
    health: next.health,
  };
  if (defer) defer(update);
  else
    await w.q.query(
      'UPDATE pairs SET stats = $2::jsonb, last_heartbeat_at = $3, retry = $4::jsonb, health = $5 WHERE id = $1',
      [pairId, update.stats, update.at, update.retry, update.health],
    );
  w.emit('pair.stats', { pairId, stats, health: next.health });
  return next;
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
