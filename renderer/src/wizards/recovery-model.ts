import { failbackStage, type Pair, type Plan, type RecoveryPoint } from '../../../shared/configserver';
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

const needWords: Partial<Record<WizardKind, string>> = {
  reprotect: 'failed over and committed',
  failback: 'on its way back (failed over and committed, reprotected, or failing back)',
};

export function pairsOfPlan(pairs: Pair[], plan: Plan | undefined): Pair[] {
  return plan ? pairs.filter((p) => p.planId === plan.id) : [];
}

export function stateSummary(pairs: Pair[]): string {
  const counts = new Map<string, number>();
  for (const p of pairs) counts.set(p.state, (counts.get(p.state) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s.replace(/-/g, ' ')}`).join(' · ') || 'no protected machines';
}

/** Plan-level rule of the first step: a plan, and pairs in a state the workflow starts from. */
export function planIssues(kind: WizardKind, plan: Plan | undefined, pairs: Pair[]): FieldIssue[] {
  if (!plan) return [{ field: 'plan', severity: 'error', message: 'Choose the plan to act on.' }];
  if (pairs.length === 0)
    return [
      {
        field: 'plan',
        severity: 'error',
        message: `${plan.name} protects no machine yet: protect it first.`,
      },
    ];
  const ok = pairs.filter((p) => pairAllows(kind, p));
  const need = needWords[kind] ?? startStates[kind].join(' or ');
  if (ok.length === 0)
    return [
      {
        field: 'plan',
        severity: 'error',
        message: `No machine of ${plan.name} is ${need} (${stateSummary(pairs)}): ${
          kind === 'cleanup'
            ? 'there is no test failover to clean up.'
            : kind === 'commit' || kind === 'rollback'
              ? 'there is no failover waiting to be committed or rolled back.'
              : kind === 'reprotect'
                ? 'reprotect follows a committed failover.'
                : kind === 'failback'
                  ? 'the plan runs from its original site; there is nothing to fail back.'
                  : 'wait until its machines are protected.'
        }`,
      },
    ];
  if (ok.length < pairs.length)
    return [
      {
        field: 'plan',
        severity: 'warning',
        message: `${pairs.length - ok.length} of ${pairs.length} machines are not ${need} (${stateSummary(pairs)}); the readiness checks say whether that blocks the run.`,
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
    const t = Date.parse(d.time ? new Date(d.time).toISOString() : '');
    return Number.isNaN(t) ? null : (sorted.find((p) => Date.parse(p.at) <= t) ?? null);
  }
  return sorted.find((p) => p.tag === d.tag) ?? null;
}
