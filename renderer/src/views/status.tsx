import { useMemo, useRef } from 'react';
import type { MachineReason, MachineStatus } from '../../../shared/configserver/risk';
import { healthRank } from '../../../shared/schemas/health';
import { HealthDot } from '../components/states';
import { t, useT } from '../i18n';

/** The reasons in the order a list shows them (after the level): what to act on first. */
const reasonOrder: readonly MachineReason[] = [
  'error',
  'agent-silent',
  'rpo-breach',
  'no-recovery-point',
  'resync',
  'retrying',
  'replica-unhealthy',
  'not-replicating',
  'unprotected',
  'no-report',
  'within-rpo',
];

/** Each reason in the words an operator acts on, in the console's language; one wording on every screen. */
export const reasonLabel = (reason: MachineReason): string => t(`reason.${reason}`);

/** Worst first, then in the order of reasonOrder. */
export function compareStatus(a: MachineStatus, b: MachineStatus): number {
  return (
    healthRank(b.level) - healthRank(a.level) || reasonOrder.indexOf(a.reason) - reasonOrder.indexOf(b.reason)
  );
}

export function StatusCell({ status, extra }: { status: MachineStatus; extra?: string }) {
  useT();
  return (
    <span className={`status status-${status.level}`}>
      <HealthDot health={status.level} /> {reasonLabel(status.reason)}
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
