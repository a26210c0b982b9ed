import { useMemo, useRef } from 'react';
import type { MachineReason, MachineStatus } from '../../../shared/configserver/risk';
import { healthRank } from '../../../shared/schemas/health';
import { HealthDot } from '../components/states';

/** Each reason in the words an operator acts on; one wording on every screen. */
export const reasonLabel: Record<MachineReason, string> = {
  error: 'Replication error',
  'agent-silent': 'Agent not reporting',
  'rpo-breach': 'RPO breached',
  'no-recovery-point': 'No recovery point yet',
  resync: 'Resync — no consistent copy',
  retrying: 'Retrying after an error',
  'replica-unhealthy': 'Hyper-V Replica unhealthy',
  'not-replicating': 'Not replicating',
  unprotected: 'Unprotected',
  'no-report': 'No report yet',
  'within-rpo': 'Within RPO',
};

/** Worst first, then in the order the reasons are listed above. */
const reasonOrder = Object.keys(reasonLabel) as MachineReason[];
export function compareStatus(a: MachineStatus, b: MachineStatus): number {
  return (
    healthRank(b.level) - healthRank(a.level) || reasonOrder.indexOf(a.reason) - reasonOrder.indexOf(b.reason)
  );
}

export function StatusCell({ status, extra }: { status: MachineStatus; extra?: string }) {
  return (
    <span className={`status status-${status.level}`}>
      <HealthDot health={status.level} /> {reasonLabel[status.reason]}
      {extra ? <span className="muted"> · {extra}</span> : null}
    </span>
  );
}

/**
 * A live list that does not move under the operator's pointer: while `hold` is true, rows keep the
 * order they had (new ones go last, gone ones drop out); when it ends, the list sorts again.
 */
export function useStableOrder<T extends { id: string }>(rows: T[], hold: boolean): T[] {
  const order = useRef<string[]>([]);
  return useMemo(() => {
    if (!hold) {
      order.current = rows.map((r) => r.id);
      return rows;
    }
    const byId = new Map(rows.map((r) => [r.id, r]));
    const kept = order.current.filter((id) => byId.has(id));
    const seen = new Set(kept);
    const next = [...kept, ...rows.filter((r) => !seen.has(r.id)).map((r) => r.id)];
    order.current = next;
    return next.map((id) => byId.get(id)!);
  }, [rows, hold]);
}
