import {
  diffPlans,
  formatPlanPath,
  hypervReplicaPolicy,
  isScriptStep,
  type MasterTarget,
  type Pair,
  type Plan,
  type PlanIssue,
  type PlanSpec,
  type PlanValidation,
  planSchemaIssues,
  planSpecOf,
  planSpecSchema,
  type Role,
} from '../shared/configserver';
import { ApiError } from '../shared/errors';
import { type EstateDeps, readSite } from './estate';
import { HttpError } from './http';
import { planInventoryIssues } from './plan-check';
import type { Store } from './store';

/**
 * Plans as files on the server: a plan file is checked against the schema, against what the
 * server knows (sites, master targets, pairs, the caller's role) and, through `inventoryCheck`,
 * against the sites' inventories; apply stores it only when no check found an error.
 */

/** Checks a parsed plan against the sites' inventories (server/plan-check.ts provides it). */
export type PlanInventoryCheck = (
  spec: PlanSpec,
  refs: ResolvedPlanRefs,
  current: Plan | null,
) => Promise<PlanIssue[]>;

export interface ResolvedPlanRefs {
  sourceSiteId: string | null;
  targetSiteId: string | null;
  masterTarget: MasterTarget | null;
}

export interface PlanServiceDeps {
  store: Store;
  inventoryCheck?: PlanInventoryCheck;
}

/** The inventory check of a running server: reads both sites, then server/plan-check.ts. */
export function inventoryCheckFor(deps: EstateDeps): PlanInventoryCheck {
  return async (spec, refs, current) => {
    const [source, target, pairs, plans] = await Promise.all([
      readSite(deps, refs.sourceSiteId!),
      readSite(deps, refs.targetSiteId!),
      deps.store.pairs.list(),
      deps.store.plans.list(),
    ]);
    return planInventoryIssues(spec, {
      source,
      target,
      masterTarget: refs.masterTarget,
      pairs: pairs.filter((p) => p.sourceSiteId === refs.sourceSiteId),
      planId: current?.id ?? null,
      planNames: new Map(plans.map((p) => [p.id, p.name])),
    });
  };
}

const err = (path: string, message: string): PlanIssue => ({ severity: 'error', path, message });

export interface CheckedPlan extends PlanValidation {
  refs: ResolvedPlanRefs;
  spec: PlanSpec | null;
  stored: Plan | null;
}

export async function checkPlan(deps: PlanServiceDeps, raw: unknown, role: Role): Promise<CheckedPlan> {
  const parsed = planSpecSchema.safeParse(raw);
  const refs: ResolvedPlanRefs = { sourceSiteId: null, targetSiteId: null, masterTarget: null };
  if (!parsed.success) {
    return {
      valid: false,
      issues: planSchemaIssues(parsed.error),
      plan: null,
      current: null,
      currentUpdatedAt: null,
      changes: [],
      refs,
      spec: null,
      stored: null,
    };
  }
  const spec = parsed.data;
  const stored = await deps.store.plans.find(spec.name);
  const issues: PlanIssue[] = [];
  issues.push(...(await resolveRefs(deps.store, spec, refs)));
  issues.push(...scriptStepRule(role, spec, stored));
  if (stored) issues.push(...(await pairedPlanRules(deps.store, spec, stored, refs)));
  if (deps.inventoryCheck && refs.sourceSiteId && refs.targetSiteId)
    issues.push(...(await deps.inventoryCheck(spec, refs, stored)));
  const current = stored ? planSpecOf(stored) : null;
  return {
    valid: !issues.some((i) => i.severity === 'error'),
    issues,
    plan: spec,
    current,
    currentUpdatedAt: stored?.updatedAt ?? null,
    changes: diffPlans(current, spec),
    refs,
    spec,
    stored,
  };
}

async function resolveRefs(store: Store, spec: PlanSpec, refs: ResolvedPlanRefs): Promise<PlanIssue[]> {
  const issues: PlanIssue[] = [];
  const sites = await store.sites.list();
  const site = (ref: string) => sites.find((s) => s.name === ref || s.id === ref) ?? null;
  const known = sites.map((s) => s.name).join(', ') || 'none yet: add one with siteshift site add';
  const source = site(spec.source.site);
  const target = site(spec.target.site);
  if (!source) issues.push(err('source.site', `${spec.source.site} is not a site (sites: ${known})`));
  if (!target) issues.push(err('target.site', `${spec.target.site} is not a site (sites: ${known})`));
  if (source && target && source.id === target.id)
    issues.push(
      err('target.site', `${target.name} is also the source site; a plan protects from one site to another`),
    );
  refs.sourceSiteId = source?.id ?? null;
  refs.targetSiteId = target?.id ?? null;
  if (spec.target.masterTarget !== undefined) {
    const mts = await store.masterTargets.list();
    const ref = spec.target.masterTarget;
    const mt = mts.find((m) => m.name === ref || m.vmName === ref || m.id === ref) ?? null;
    if (!mt)
      issues.push(
        err(
          'target.masterTarget',
          `${ref} is not a registered master target; register the VM with siteshift master-target add --site ${spec.target.site} --vm ${ref}`,
        ),
      );
    else if (target && mt.siteId !== target.id)
      issues.push(
        err('target.masterTarget', `${ref} is a master target of another site, not of ${target.name}`),
      );
    refs.masterTarget = mt;
  }
  return issues;
}

/**
 * Only admins may define a script step: a non-admin may re-apply the script steps the plan holds
 * (unchanged) and may remove them, but not add or change one.
 */
export function scriptStepRule(role: Role, spec: PlanSpec, stored: Plan | null): PlanIssue[] {
  if (role === 'admin') return [];
  const key = (s: PlanSpec['steps'][number]) =>
    JSON.stringify([s.after, s.script?.command, s.script?.timeoutSeconds]);
  const existing = new Set((stored?.steps ?? []).filter(isScriptStep).map(key));
  const issues: PlanIssue[] = [];
  spec.steps.forEach((s, i) => {
    if (isScriptStep(s) && !existing.has(key(s)))
      issues.push(
        err(
          formatPlanPath(['steps', i, 'script']),
          `only an admin may define a script step (your role is ${role}); ask an admin to apply this plan`,
        ),
      );
  });
  return issues;
}

/** A plan whose machines are protected cannot move them to other sites or another master target. */
async function pairedPlanRules(
  store: Store,
  spec: PlanSpec,
  stored: Plan,
  refs: ResolvedPlanRefs,
): Promise<PlanIssue[]> {
  const pairs = await store.pairs.list({ planId: stored.id });
  if (pairs.length === 0) return [];
  const issues: PlanIssue[] = [];
  const why = `the plan has ${pairs.length} pair(s); remove its pairs before changing it`;
  if (refs.sourceSiteId && refs.sourceSiteId !== stored.sourceSiteId)
    issues.push(err('source.site', `cannot change the source site: ${why}`));
  if (refs.targetSiteId && refs.targetSiteId !== stored.targetSiteId)
    issues.push(err('target.site', `cannot change the target site: ${why}`));
  if (stored.masterTargetId && (refs.masterTarget?.id ?? null) !== stored.masterTargetId)
    issues.push(err('target.masterTarget', `cannot change the master target: ${why}`));
  issues.push(...recoveringRules(spec, stored, pairs));
  issues.push(...hypervPolicyNote(spec, stored, pairs));
  const inPlan = new Set(spec.machines.map((m) => m.vm));
  const orphans = pairs
    .filter((p) => !inPlan.has(p.sourceVmName) && !RECOVERING[p.state])
    .map((p) => p.sourceVmName);
  if (orphans.length > 0)
    issues.push({
      severity: 'warning',
      path: 'machines',
      message: `${orphans.join(', ')} left the plan but stay protected until their pairs are removed`,
    });
  return issues;
}

/**
 * States in which machines of the plan have recovered VMs that a later job of the plan undoes or
 * keeps (cleanup, commit, rollback), built from the plan as it stands: why, and what ends them.
 */
const RECOVERING: Partial<Record<Pair['state'], { why: (vm: string) => string; fix: string }>> = {
  'test-failover-running': {
    why: (vm) => `${vm}'s test failover is running`,
    fix: 'clean up the test first',
  },
  'failover-pending': {
    why: (vm) => `${vm} is failed over and waits for commit or rollback`,
    fix: 'commit or roll back the failover first',
  },
};

/**
 * While a test failover runs or a failover waits for commit, the plan is the record of what was
 * recovered and how: its cleanup, commit and rollback act on the plan's machines. So a machine in
 * that state stays in the plan with its recovered name and address, and the target's placement
 * and networks stay as they were; everything else (policy, boot order, new machines) may change.
 */
export function recoveringRules(spec: PlanSpec, stored: Plan, pairs: Pair[]): PlanIssue[] {
  const busy = pairs.filter((p) => RECOVERING[p.state]);
  if (busy.length === 0) return [];
  const issues: PlanIssue[] = [];
  const first = RECOVERING[busy[0]!.state]!;
  const reason = `${first.why(busy[0]!.sourceVmName)}${busy.length > 1 ? ` (and ${busy.length - 1} more machine(s) of the plan)` : ''}; ${first.fix}`;
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  for (const key of ['placement', 'networks', 'testNetwork'] as const)
    if (!same(spec.target[key], stored.target[key]))
      issues.push(err(`target.${key}`, `cannot change target.${key} now: ${reason}`));
  for (const p of busy) {
    const state = RECOVERING[p.state]!;
    const i = spec.machines.findIndex((m) => m.vm === p.sourceVmName);
    const before = stored.machines.find((m) => m.vm === p.sourceVmName);
    if (i < 0) {
      issues.push(
        err(
          'machines',
          `${p.sourceVmName} cannot leave the plan now: ${state.why(p.sourceVmName)}; ${state.fix}`,
        ),
      );
      continue;
    }
    const m = spec.machines[i]!;
    for (const key of ['recoveredName', 'reip'] as const)
      if (!same(m[key], before?.[key]))
        issues.push(
          err(
            `machines[${i}].${key}`,
            `cannot change ${p.sourceVmName}'s ${key} now: ${state.why(p.sourceVmName)}; ${state.fix}`,
          ),
        );
  }
  return issues;
}

/**
 * Hyper-V Replica takes the policy when replication is enabled (protect does not change a
 * replication that runs): a changed policy reaches the Hyper-V machines protected from then on,
 * and says so rather than letting the operator believe the hosts changed.
 */
export function hypervPolicyNote(spec: PlanSpec, stored: Plan, pairs: Pair[]): PlanIssue[] {
  const hv = pairs.filter((p) => p.platform === 'hyperv');
  if (hv.length === 0) return [];
  const before = hypervReplicaPolicy(stored.policy);
  const after = hypervReplicaPolicy(spec.policy);
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const was = `every ${before.frequencySec} s, ${before.recoveryHistory} recovery point(s), app-consistent every ${before.vssFrequencyHours} h`;
  return [
    {
      severity: 'warning',
      path: 'policy',
      message: `${hv.map((p) => p.sourceVmName).join(', ')} keep${hv.length === 1 ? 's' : ''} the Hyper-V Replica settings ${hv.length === 1 ? 'it was' : 'they were'} enabled with (${was}); the new policy applies to Hyper-V machines protected from now on (or change them on the primary host with Set-VMReplication)`,
    },
  ];
}

/** Validates and stores a plan file; refuses (400, every issue in details) when one is an error. */
export async function applyPlan(
  deps: PlanServiceDeps,
  raw: unknown,
  role: Role,
  expectUpdatedAt?: string | null,
): Promise<{ plan: Plan; created: boolean; checked: CheckedPlan }> {
  const checked = await checkPlan(deps, raw, role);
  if (!checked.valid || !checked.spec) {
    const errors = checked.issues.filter((i) => i.severity === 'error');
    const scriptOnly = errors.length > 0 && errors.every((e) => /\.script$/.test(e.path));
    const message = `the plan is not valid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`;
    if (scriptOnly) throw new HttpError(403, 'unauthorized', message, checked.issues);
    throw new ApiError('invalid-input', message, checked.issues);
  }
  const { plan, created } = await deps.store.plans.apply({
    spec: checked.spec,
    sourceSiteId: checked.refs.sourceSiteId!,
    targetSiteId: checked.refs.targetSiteId!,
    masterTargetId: checked.refs.masterTarget?.id ?? null,
    expectUpdatedAt,
  });
  return { plan, created, checked };
}
