import { type HealthLevel, worseOf } from '../schemas/health';
import { heartbeatTimeoutSec, rpoLevel } from './rules';
import type { MasterTarget, Pair } from './schemas';

/**
 * Why a machine is, or is not, safe to fail over now. One status per machine, the same on every
 * screen (Protection's tables, Inventory's column, the map): the worst of what the configuration
 * server says of its pair and, for a Hyper-V pair, what Hyper-V Replica itself reports.
 */
export type MachineReason =
  /** Replication stopped with an error that is not retried (or the state is `error`). */
  | 'error'
  /** The agent's heartbeat is older than the server's timeout (its heartbeat rule). */
  | 'agent-silent'
  /** The newest data on the replica is older than the plan's RPO threshold. */
  | 'rpo-breach'
  /** Enabling or initial replication: nothing to fail over to yet. */
  | 'no-recovery-point'
  /** Resync required or running: the replica is not consistent until it ends. */
  | 'resync'
  /** A recoverable error, retried at growing intervals. */
  | 'retrying'
  /** Hyper-V Replica reports Warning or Critical for the machine. */
  | 'replica-unhealthy'
  /** Failed over, pending commit or committed: the machine runs without a copy until reprotect. */
  | 'not-replicating'
  /** No pair: nothing would be recovered. */
  | 'unprotected'
  /** Paired, but nothing reported yet. */
  | 'no-report'
  /** Protected, RPO within the plan's threshold. */
  | 'within-rpo';

export interface MachineStatus {
  level: HealthLevel;
  reason: MachineReason;
}

/** Every reason but `within-rpo` puts the machine in the "at risk" count. */
export function atRisk(status: MachineStatus): boolean {
  return status.reason !== 'within-rpo';
}

const hypervHealthLevel: Record<string, HealthLevel> = { Warning: 'warning', Critical: 'critical' };

/**
 * The status of a paired machine, from the pair's own fields (its state, retry, RPO against the
 * threshold, heartbeat), not from the grade the server stored with its last report, which can lag
 * them. `replicaHealth` is Hyper-V Replica's own health of the source VM
 * (Normal / Warning / Critical) when the console reads that host.
 */
export function pairStatus(pair: Pair, replicaHealth?: string | null, now = Date.now()): MachineStatus {
  let status: MachineStatus;
  switch (pair.state) {
    case 'error':
      status = { level: 'critical', reason: 'error' };
      break;
    case 'enabling':
    case 'initial-replication':
      status = { level: 'warning', reason: 'no-recovery-point' };
      break;
    case 'resync-required':
    case 'resyncing':
    case 'reprotecting':
      status = { level: 'warning', reason: 'resync' };
      break;
    case 'failover-pending':
    case 'failed-over':
    case 'committed':
      status = { level: 'warning', reason: 'not-replicating' };
      break;
    default:
      if (pair.retry)
        status = pair.retry.recoverable
          ? { level: 'warning', reason: 'retrying' }
          : { level: 'critical', reason: 'error' };
      else if (!pair.stats) status = { level: 'unknown', reason: 'no-report' };
      else {
        const rpo = rpoLevel(pair.stats.rpoSec, pair.rpoThresholdSec);
        status = rpo === 'ok' ? { level: 'ok', reason: 'within-rpo' } : { level: rpo, reason: 'rpo-breach' };
      }
  }
  // A silent agent is caught by the heartbeat rule, whatever its last report said. A report counts
  // as a heartbeat (the server records it so), and a live view learns of reports, not heartbeats.
  const lastSeen = Math.max(
    pair.lastHeartbeatAt ? Date.parse(pair.lastHeartbeatAt) : 0,
    pair.stats ? Date.parse(pair.stats.reportedAt) : 0,
  );
  if (lastSeen > 0 && now - lastSeen > heartbeatTimeoutSec * 1000) {
    status = { level: 'critical', reason: 'agent-silent' };
  }
  // Nothing reported yet: the server's grade is all there is.
  if (status.reason === 'no-report') status = { level: worseOf('unknown', pair.health), reason: 'no-report' };
  const hv = replicaHealth ? hypervHealthLevel[replicaHealth] : undefined;
  if (hv && worseOf(status.level, hv) !== status.level) status = { level: hv, reason: 'replica-unhealthy' };
  return status;
}

export const unprotectedStatus: MachineStatus = { level: 'warning', reason: 'unprotected' };

/** A master target with no free SCSI slot can take no further machine: critical, not a warning. */
export function masterTargetLevel(mt: Pick<MasterTarget, 'slotsFree' | 'slotsUsed'>): HealthLevel {
  if (mt.slotsFree === 0) return 'critical';
  const total = mt.slotsFree + mt.slotsUsed;
  return total > 0 && mt.slotsUsed / total > 0.85 ? 'warning' : 'ok';
}
