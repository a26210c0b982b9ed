import { heartbeatTimeoutSec, replicatingStates } from '../../shared/configserver';
import { alertWordsEn } from '../../shared/i18n/alert-words';
import { say } from '../../shared/i18n/worded';
import type { Db } from '../db';
import { raiseAlert } from './alerts';
import { applyTransition } from './protection';
import { pairRow, type Row, str } from './rows';
import type { Transactions } from './tx';

/**
 * Time-driven rules, run every few seconds by each instance (idempotent, so several instances
 * may run it): missed heartbeats, scheduled resyncs that are due, event-table pruning.
 */
export async function sweep(
  tx: Transactions,
  options: { eventRetention?: number } = {},
): Promise<{ heartbeatAlerts: number; resyncsStarted: number }> {
  const now = tx.clock();
  const cutoff = new Date(now.getTime() - heartbeatTimeoutSec * 1000).toISOString();
  return tx.write(async (w) => {
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
        say(alertWordsEn, 'alert.pair.heartbeat', { vm: pair.sourceVmName }),
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
        say(alertWordsEn, 'alert.processServer.heartbeat', { name: str(r.name) }),
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
        say(alertWordsEn, 'alert.agent.heartbeat', { name: str(r.name) }),
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
export async function metricsSnapshot(db: Db): Promise<{
  pairs: Array<{ state: string; health: string; n: number }>;
  alerts: Array<{ severity: string; n: number }>;
}> {
  const pairs = await db.query<{ state: string; health: string; n: number }>(
    'SELECT state, health, count(*)::int AS n FROM pairs GROUP BY state, health',
  );
  const alerts = await db.query<{ severity: string; n: number }>(
    'SELECT severity, count(*)::int AS n FROM alerts WHERE cleared_at IS NULL GROUP BY severity',
  );
  return { pairs, alerts };
}
