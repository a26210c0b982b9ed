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
import { asSent, joined } from '../shared/i18n/list-words';
import { sayRefusal } from '../shared/i18n/refusal-words';
import { type EstateDeps, readSite } from './estate';
import { HttpError } from './http';
import { error as err, planInventoryIssues, w, warning } from './plan-check';
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
  const known = sites.length > 0 ? asSent(sites.map((s) => s.name).join(', ')) : w('plan.ref.noSites');
  const source = site(spec.source.site);
  const target = site(spec.target.site);
  if (!source) issues.push(err('source.site', w('plan.ref.site', { site: spec.source.site, sites: known })));
  if (!target) issues.push(err('target.site', w('plan.ref.site', { site: spec.target.site, sites: known })));
  if (source && target && source.id === target.id)
    issues.push(err('target.site', w('plan.ref.sameSite', { site: target.name })));
  refs.sourceSiteId = source?.id ?? null;
  refs.targetSiteId = target?.id ?? null;
  if (spec.target.masterTarget !== undefined) {
    const mts = await store.masterTargets.list();
    const ref = spec.target.masterTarget;
    const mt = mts.find((m) => m.name === ref || m.vmName === ref || m.id === ref) ?? null;
    if (!mt)
      issues.push(err('target.masterTarget', w('plan.ref.noMasterTarget', { ref, site: spec.target.site })));
    else if (target && mt.siteId !== target.id)
      issues.push(
        err('target.masterTarget', w('plan.ref.otherSiteMasterTarget', { ref, site: target.name })),
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
      issues.push(err(formatPlanPath(['steps', i, 'script']), w('plan.script.adminOnly', { role })));
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
  const count = { count: pairs.length };
  if (refs.sourceSiteId && refs.sourceSiteId !== stored.sourceSiteId)
    issues.push(err('source.site', w('plan.paired.source', count)));
  if (refs.targetSiteId && refs.targetSiteId !== stored.targetSiteId)
    issues.push(err('target.site', w('plan.paired.target', count)));
  if (stored.masterTargetId && (refs.masterTarget?.id ?? null) !== stored.masterTargetId)
    issues.push(err('target.masterTarget', w('plan.paired.masterTarget', count)));
  issues.push(...recoveringRules(spec, stored, pairs));
  issues.push(...hypervPolicyNote(spec, stored, pairs));
  const inPlan = new Set(spec.machines.map((m) => m.vm));
  const orphans = pairs
    .filter((p) => !inPlan.has(p.sourceVmName) && !RECOVERING[p.state])
    .map((p) => p.sourceVmName);
  if (orphans.length > 0)
    issues.push(warning('machines', w('plan.paired.left', { machines: orphans.join(', ') })));
  return issues;
}

/**
 * States in which machines of the plan have recovered VMs that a later job of the plan undoes or
 * keeps (cleanup, commit, rollback), built from the plan as it stands: why, and what ends them.
 */
const RECOVERING: Partial<Record<Pair['state'], 'test' | 'failover'>> = {
  'test-failover-running': 'test',
  'failover-pending': 'failover',
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
  const vm = busy[0]!.sourceVmName;
  const reason =
    busy.length > 1
      ? w(`plan.busy.${first}More`, { vm, count: busy.length - 1 })
      : w(`plan.busy.${first}`, { vm });
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  for (const key of ['placement', 'networks', 'testNetwork'] as const)
    if (!same(spec.target[key], stored.target[key]))
      issues.push(err(`target.${key}`, w('plan.busy.target', { key, reason })));
  for (const p of busy) {
    const why = w(`plan.busy.${RECOVERING[p.state]!}`, { vm: p.sourceVmName });
    const i = spec.machines.findIndex((m) => m.vm === p.sourceVmName);
    const before = stored.machines.find((m) => m.vm === p.sourceVmName);
    if (i < 0) {
      issues.push(err('machines', w('plan.busy.leave', { vm: p.sourceVmName, reason: why })));
      continue;
    }
    const m = spec.machines[i]!;
    for (const key of ['recoveredName', 'reip'] as const)
      if (!same(m[key], before?.[key]))
        issues.push(
          err(`machines[${i}].${key}`, w('plan.busy.machine', { vm: p.sourceVmName, key, reason: why })),
        );
  }
  return issues;
}

/**
 * Hyper-V Replica holds the policy in the host, set when replication is enabled: a changed policy
 * reaches a replication that runs when the plan is protected again (its enable step sets what
 * differs with Set-VMReplication), and says so rather than letting the operator believe the hosts
 * changed when the plan was saved.
 */
export function hypervPolicyNote(spec: PlanSpec, stored: Plan, pairs: Pair[]): PlanIssue[] {
  const hv = pairs.filter((p) => p.platform === 'hyperv');
  if (hv.length === 0) return [];
  const before = hypervReplicaPolicy(stored.policy);
  const after = hypervReplicaPolicy(spec.policy);
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [
    warning(
      'policy',
      w(hv.length === 1 ? 'plan.hvPolicy.one' : 'plan.hvPolicy.many', {
        machines: hv.map((p) => p.sourceVmName).join(', '),
        frequency: before.frequencySec,
        count: before.recoveryHistory,
        vss: before.vssFrequencyHours,
      }),
    ),
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
    // Each issue in the words it was found in (plan-words.ts, plan-file-words.ts), where it has them.
    const issues = errors.map((e) =>
      sayRefusal('refusal.planIssue', { path: e.path, message: { text: e.message, words: e.messageWords } }),
    );
    const message = sayRefusal('refusal.planInvalid', { issues: joined(issues, 'then') });
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
