import { failbackStage, type Pair, type Plan, type RecoveryPoint } from '../../../shared/configserver';
import { type KeyOf, t } from '../i18n';
import { formatList, formatNumber } from '../i18n/format';
import type { FieldIssue } from './protect-model';
import type { FailoverDraft, WizardKind } from './store';

/**
 * The recovery wizards' rules (test, planned and unplanned failover, cleanup, commit, rollback)
 * as pure functions: which plans a workflow applies to now, and which recovery point the server
 * will pick for a machine.
 */

/** The states a pair must be in for each workflow (shared/configserver/pair-state.ts moves). */
const startStates: Record<WizardKind, readonly string[]> = {
  protect: [],
  test: ['protected'],
  planned: ['protected'],
  unplanned: ['protected', 'resync-required'],
  cleanup: ['test-failover-running'],
  commit: ['failover-pending'],
  rollback: ['failover-pending'],
  'master-target': [],
  reprotect: ['failed-over', 'committed'],
  failback: ['failed-over', 'committed', 'reprotecting', 'protected', 'failover-pending'],
};

/**
 * Whether a pair is where the workflow starts: by state, and for reprotect and failback by the
 * pair's stage on the way back (failbackStage): reprotect after a committed failover (0-1),
 * failback anywhere before the machines are protected from their original site again (0-7).
 */
export function pairAllows(kind: WizardKind, pair: Pick<Pair, 'state' | 'direction'>): boolean {
  if (kind === 'reprotect' || kind === 'failback') {
    const stage = failbackStage(pair);
    return stage !== null && stage <= (kind === 'reprotect' ? 1 : 7);
  }
  // A reversed pair goes home through failback, not through another failover.
  if (kind === 'test' || kind === 'planned' || kind === 'unplanned') {
    if (pair.direction === 'reverse') return false;
  }
  return startStates[kind].includes(pair.state);
}

const needWords: Partial<Record<WizardKind, KeyOf<'recovery.need.'>>> = {
  reprotect: 'recovery.need.reprotect',
  failback: 'recovery.need.failback',
};

const stateWord = (state: string) => t(`pairState.${state as Pair['state']}`);

export function pairsOfPlan(pairs: Pair[], plan: Plan | undefined): Pair[] {
  return plan ? pairs.filter((p) => p.planId === plan.id) : [];
}

export function stateSummary(pairs: Pair[]): string {
  const counts = new Map<string, number>();
  for (const p of pairs) counts.set(p.state, (counts.get(p.state) ?? 0) + 1);
  return (
    [...counts].map(([s, n]) => `${formatNumber(n)} ${stateWord(s)}`).join(' · ') ||
    t('recovery.noneProtected')
  );
}

/** Plan-level rule of the first step: a plan, and pairs in a state the workflow starts from. */
export function planIssues(kind: WizardKind, plan: Plan | undefined, pairs: Pair[]): FieldIssue[] {
  if (!plan) return [{ field: 'plan', severity: 'error', message: t('recovery.err.plan') }];
  if (pairs.length === 0)
    return [
      {
        field: 'plan',
        severity: 'error',
        message: t('recovery.err.noMachines', { plan: plan.name }),
      },
    ];
  const ok = pairs.filter((p) => pairAllows(kind, p));
  const needWord = needWords[kind];
  const need = needWord ? t(needWord) : formatList(startStates[kind].map(stateWord), 'or');
  if (ok.length === 0)
    return [
      {
        field: 'plan',
        severity: 'error',
        message: t('recovery.err.none', {
          plan: plan.name,
          need,
          summary: stateSummary(pairs),
          why: t(
            kind === 'cleanup'
              ? 'recovery.why.cleanup'
              : kind === 'commit' || kind === 'rollback'
                ? 'recovery.why.commit'
                : kind === 'reprotect'
                  ? 'recovery.why.reprotect'
                  : kind === 'failback'
                    ? 'recovery.why.failback'
                    : 'recovery.why.other',
          ),
        }),
      },
    ];
  if (ok.length < pairs.length)
    return [
      {
        field: 'plan',
        severity: 'warning',
        message: t('recovery.warn.some', {
          bad: pairs.length - ok.length,
          total: pairs.length,
          need,
          summary: stateSummary(pairs),
        }),
      },
    ];
  return [];
}

/** `latest`, `latest-app`, `time:<ISO>` or `tag:<name>`: the recovery point the server resolves per machine. */
export function pointInput(d: FailoverDraft): string {
  if (d.point === 'time') return `time:${new Date(d.time).toISOString()}`;
  if (d.point === 'tag') return `tag:${d.tag}`;
  return d.point;
}

/** The point the server will pick for one machine (the same rule as server/workflows/failover.ts). */
export function pointFor(points: RecoveryPoint[], d: FailoverDraft): RecoveryPoint | null {
  const sorted = [...points].sort((a, b) => b.at.localeCompare(a.at));
  if (d.point === 'latest') return sorted[0] ?? null;
  if (d.point === 'latest-app') return sorted.find((p) => p.consistency === 'app') ?? null;
  if (d.point === 'time') {
    const at = Date.parse(d.time ? new Date(d.time).toISOString() : '');
    return Number.isNaN(at) ? null : (sorted.find((p) => Date.parse(p.at) <= at) ?? null);
  }
  return sorted.find((p) => p.tag === d.tag) ?? null;
}
