import type { VmInfo } from '../../core/inventory/operations';
import {
  bootOrder,
  type Endpoint,
  failbackStage,
  type MasterTarget,
  type Pair,
  type PairPlatform,
  type PairState,
  type Plan,
  type PlanMachine,
  planSchema,
  type ReadinessCheck,
} from '../../shared/configserver';
import { ApiError } from '../../shared/errors';
import { joined } from '../../shared/i18n/list-words';
import { pairIsSaid, pairsAreSaid, stateSaid, statesSaid } from '../../shared/i18n/pair-state-words';
import { sayRefusal } from '../../shared/i18n/refusal-words';
import { readinessKindSaid, sayStep, stepError } from '../../shared/i18n/step-words';
import type { Said } from '../../shared/i18n/worded';
import type { InventoryDocument, VsphereInventory } from '../../shared/schemas/inventory';
import type { StepContext, StepSession, Workflow, WorkflowStep } from '../jobs';
import type { Store } from '../store';

/**
 * What the plan workflows share: the plan snapshot a job runs on, the endpoints of its sites,
 * the replica disk names, the record of recovered VMs and idempotent pair moves. Every helper
 * looks at the world (the store, the endpoint) before it acts.
 */

export type Prepare = NonNullable<Workflow['prepare']>;

/** Resolves the plan into the job (a snapshot: the steps are the same at every run of the job). */
export function preparePlan(options: { needsPairs: boolean; needsMasterTarget?: boolean }): Prepare {
  return async (request, store) => {
    if (!request.planId) {
      throw new ApiError('invalid-input', sayRefusal('refusal.planNeeded'));
    }
    const plan = await store.plans.resolve(request.planId);
    const pairs = await store.pairs.list({ planId: plan.id });
    if (options.needsPairs && pairs.length === 0) {
      throw new ApiError('conflict', sayRefusal('refusal.planUnprotected', { plan: plan.name }));
    }
    // A master target and a placement serve vSphere machines only: a plan of Hyper-V machines
    // replicates host to host. Before protect the platforms are not known yet (the readiness
    // checks read the sites and say what a vSphere machine lacks); after it, the pairs say.
    const vsphere = pairs.some((p) => p.platform === 'vsphere');
    if ((options.needsMasterTarget ?? true) && vsphere && !plan.masterTargetId) {
      throw new ApiError('invalid-input', sayRefusal('refusal.planNoMasterTarget', { plan: plan.name }));
    }
    if (vsphere && !plan.target.placement) {
      throw new ApiError('invalid-input', sayRefusal('refusal.planNoPlacement', { plan: plan.name }));
    }
    // Workflows after protect carry only the steps of the platforms their pairs are on.
    const platforms = options.needsPairs ? [...new Set(pairs.map((p) => p.platform))] : undefined;
    return {
      planId: plan.id,
      pairIds: pairs.map((p) => p.id),
      input: { ...request.input, plan, ...(platforms ? { platforms } : {}) },
    };
  };
}

/** `latest`, `latest-app`, `time:<ISO>` (latest at or before) or `tag:<name>`. */
export function parsePoint(raw: unknown): { kind: 'latest' | 'latest-app' | 'time' | 'tag'; value?: string } {
  const s = typeof raw === 'string' && raw ? raw : 'latest';
  if (s === 'latest' || s === 'latest-app') return { kind: s };
  if (s.startsWith('time:')) {
    const value = s.slice(5);
    if (Number.isNaN(Date.parse(value)))
      throw new ApiError('invalid-input', sayRefusal('refusal.pointTime', { point: s }));
    return { kind: 'time', value };
  }
  if (s.startsWith('tag:') && s.length > 4) return { kind: 'tag', value: s.slice(4) };
  throw new ApiError('invalid-input', sayRefusal('refusal.pointUnknown', { point: s }));
}

export function planOf(input: Record<string, unknown>): Plan {
  return planSchema.parse(input.plan);
}

export function placementOf(plan: Plan): NonNullable<Plan['target']['placement']> {
  const p = plan.target.placement;
  if (!p)
    throw new ApiError('invalid-input', sayRefusal('refusal.planNoPlacementShort', { plan: plan.name }));
  return p;
}

/** A step named from the word book (shared/i18n/step-words.ts): a console words its name in its language. */
export const step = (name: Said, run: WorkflowStep['run'], retry = true): WorkflowStep => ({
  name: name.text,
  nameWords: name.words,
  run,
  retry,
});

/** A readiness check's finding as a log line: its title, finding and fix worded as the check words them. */
export function checkLine(c: ReadinessCheck): Said {
  const title = { text: c.title, words: c.titleWords };
  const message = { text: c.message, words: c.messageWords };
  return c.fix
    ? sayStep('stepLog.checkWithFix', { title, message, fix: { text: c.fix, words: c.fixWords } })
    : sayStep('stepLog.check', { title, message });
}

/** The first step of every plan workflow: the plans module's readiness checks must pass. */
export function readinessStep(kind: Parameters<StepContext['readiness']>[0]): WorkflowStep {
  return step(sayStep('jobStep.readiness', { kind: readinessKindSaid(kind) }), async (ctx) => {
    const report = await ctx.readiness(kind);
    for (const c of report.checks.filter((x) => x.status !== 'pass')) {
      await ctx.log(c.status === 'fail' ? 'error' : 'warn', checkLine(c));
    }
    await ctx.log(
      'info',
      sayStep('stepLog.readinessCounts', {
        pass: report.counts.pass,
        warn: report.counts.warn,
        fail: report.counts.fail,
      }),
    );
    if (!report.ready) {
      const failed = report.checks
        .filter((c) => c.status === 'fail')
        .map((c) => ({ text: c.title, words: c.titleWords }));
      throw stepError('conflict', sayStep('stepError.notReady', { checks: joined(failed, 'then') }));
    }
    return undefined;
  });
}

// ---------------------------------------------------------------- endpoints

async function vsphereEndpoints(store: Store, siteId: string): Promise<Endpoint[]> {
  return (await store.endpoints.list()).filter((e) => e.siteId === siteId && e.target.kind === 'vsphere');
}

/** A site's endpoints, vCenters first: a machine is looked for on every platform of its site. */
export async function siteEndpoints(store: Store, siteId: string): Promise<Endpoint[]> {
  const all = (await store.endpoints.list()).filter((e) => e.siteId === siteId);
  return [
    ...all.filter((e) => e.target.kind === 'vsphere'),
    ...all.filter((e) => e.target.kind !== 'vsphere'),
  ];
}

export async function masterTargetOf(ctx: StepContext, plan: Plan): Promise<MasterTarget> {
  if (!plan.masterTargetId)
    throw new ApiError('invalid-input', sayRefusal('refusal.planNamesNoMasterTarget', { plan: plan.name }));
  return ctx.store.masterTargets.get(plan.masterTargetId);
}

/** The target site's vCenter: the master target's endpoint, else the site's only vSphere endpoint. */
export async function targetSession(ctx: StepContext, plan: Plan): Promise<StepSession> {
  const mt = plan.masterTargetId ? await ctx.store.masterTargets.get(plan.masterTargetId) : null;
  if (mt?.endpointId) return ctx.sessions.get(mt.endpointId);
  const eps = await vsphereEndpoints(ctx.store, plan.targetSiteId);
  if (eps.length === 0)
    throw stepError('not-found', sayStep('stepError.noTargetVcenter', { site: plan.target.site }));
  return ctx.sessions.get(eps[0]!.id);
}

export async function inventoryOf(session: StepSession, signal?: AbortSignal): Promise<VsphereInventory> {
  const inv = await session.source.fetchInventory(signal);
  if (inv.source.kind !== 'vsphere')
    throw stepError('invalid-input', sayStep('stepError.notVcenter', { endpoint: session.endpoint.name }));
  return inv as VsphereInventory;
}

export interface SourceVm {
  session: StepSession;
  vm: VmInfo;
}

/**
 * Finds a source VM by name on the source site, on its vCenters and its Hyper-V hosts (the
 * session's endpoint kind is the machine's platform). `null` when no endpoint has it; `unreachable`
 * lists the endpoints that could not be asked (an unplanned failover goes on without them).
 */
export async function findSourceVm(
  ctx: StepContext,
  plan: Plan,
  name: string,
): Promise<{ found: SourceVm | null; unreachable: string[] }> {
  const unreachable: string[] = [];
  for (const ep of await siteEndpoints(ctx.store, plan.sourceSiteId)) {
    try {
      const session = await ctx.sessions.get(ep.id);
      const vm = await session.operations.findVm({ name });
      if (vm) return { found: { session, vm }, unreachable };
    } catch (err) {
      if (err instanceof ApiError && (err.code === 'unreachable' || err.code === 'timeout')) {
        unreachable.push(`${ep.name}: ${err.message}`);
        continue;
      }
      throw err;
    }
  }
  return { found: null, unreachable };
}

/**
 * The source VMs of one step, looked up by name: each endpoint of the source site is read once
 * (its inventory, a name → id map), not once per machine, so that a step over N machines costs N
 * reads by id rather than N listings of every VM. A VM created or renamed after the read is not
 * seen: a step builds its own index.
 */
export class SourceVmIndex {
  private endpoints: Promise<Endpoint[]> | null = null;
  private readonly inventories = new Map<string, Promise<InventoryDocument>>();

  constructor(
    private readonly ctx: StepContext,
    private readonly plan: Plan,
  ) {}

  /** The endpoint's inventory, read once for the step. */
  inventory(session: StepSession): Promise<InventoryDocument> {
    const id = session.endpoint.id;
    let inv = this.inventories.get(id);
    if (!inv) {
      inv = session.source.fetchInventory(this.ctx.signal);
      inv.catch(() => this.inventories.delete(id));
      this.inventories.set(id, inv);
    }
    return inv;
  }

  /** As findSourceVm. */
  async find(name: string): Promise<{ found: SourceVm | null; unreachable: string[] }> {
    this.endpoints ??= siteEndpoints(this.ctx.store, this.plan.sourceSiteId);
    const unreachable: string[] = [];
    for (const ep of await this.endpoints) {
      try {
        const session = await this.ctx.sessions.get(ep.id);
        const ids = (await this.inventory(session)).vms.filter((v) => v.name === name).map((v) => v.id);
        if (ids.length > 1)
          throw stepError(
            'conflict',
            sayStep('stepError.sameName', { count: ids.length, vm: name, endpoint: ep.name }),
          );
        const vm = ids[0] ? await session.operations.findVm({ id: ids[0] }) : null;
        if (vm) return { found: { session, vm }, unreachable };
      } catch (err) {
        if (err instanceof ApiError && (err.code === 'unreachable' || err.code === 'timeout')) {
          unreachable.push(`${ep.name}: ${err.message}`);
          continue;
        }
        throw err;
      }
    }
    return { found: null, unreachable };
  }
}

export async function mustFindSourceVm(ctx: StepContext, plan: Plan, name: string): Promise<SourceVm> {
  const { found, unreachable } = await findSourceVm(ctx, plan, name);
  if (found) return found;
  throw unreachable.length
    ? stepError(
        'unreachable',
        sayStep('stepError.sourceUnreachable', { vm: name, errors: unreachable.join('; ') }),
      )
    : stepError('not-found', sayStep('stepError.noSourceVm', { vm: name, site: plan.source.site }));
}

// ---------------------------------------------------------------- pairs and disks

export async function pairsOf(ctx: StepContext, plan: Plan): Promise<Map<string, Pair>> {
  const pairs = await ctx.store.pairs.list({ planId: plan.id });
  return new Map(pairs.map((p) => [p.sourceVmName, p]));
}

/**
 * The plan's pairs of one platform. The steps that build VMs from replica disks on a master
 * target are vSphere's; Hyper-V's pairs go through their own steps (./platforms/hyperv.ts).
 */
export async function platformPairs(ctx: StepContext, plan: Plan, platform: PairPlatform): Promise<Pair[]> {
  return [...(await pairsOf(ctx, plan)).values()].filter((p) => p.platform === platform);
}

export function pairFor(pairs: Map<string, Pair>, machine: PlanMachine): Pair {
  const p = pairs.get(machine.vm);
  if (!p) throw stepError('conflict', sayStep('stepError.notProtected', { vm: machine.vm }));
  return p;
}

/**
 * The replica disks of a pair on its master target, in slot order (= the source's disk order),
 * where protect put them: the file each slot recorded (migration 4), so that a placement changed
 * since protect does not send a failover to the wrong datastore. Slots created before that
 * record fall back to the plan's datastore.
 */
export function replicaDisks(
  plan: Plan,
  mt: MasterTarget,
  pair: Pair,
): Array<{ fileName: string; controller: number; unit: number; index: number }> {
  return mt.slots
    .filter((s) => s.pairId === pair.id)
    .sort((a, b) => a.controller - b.controller || a.unit - b.unit)
    .map((s, index) => ({
      fileName: s.fileName ?? `[${placementOf(plan).datastore}] ${replicaPath(pair, index)}`,
      controller: s.controller,
      unit: s.unit,
      index,
    }));
}

/**
 * The master target that holds a pair's replica disks: the one the pair was registered on
 * (its slots are there), else the plan's. A plan re-pointed at another master target after
 * protect does not lose the pairs already on the first.
 */
export async function masterTargetOfPair(ctx: StepContext, plan: Plan, pair: Pair): Promise<MasterTarget> {
  const id = pair.masterTargetId ?? plan.masterTargetId;
  if (!id)
    throw new ApiError('invalid-input', sayRefusal('refusal.planNamesNoMasterTarget', { plan: plan.name }));
  return ctx.store.masterTargets.get(id);
}

/** The replica disks of several pairs, each on its own master target (loaded once each). */
export async function replicaDisksOf(
  ctx: StepContext,
  plan: Plan,
  pairs: Pair[],
): Promise<Array<{ pair: Pair; mt: MasterTarget; d: ReturnType<typeof replicaDisks>[number] }>> {
  const mts = new Map<string, MasterTarget>();
  const out: Array<{ pair: Pair; mt: MasterTarget; d: ReturnType<typeof replicaDisks>[number] }> = [];
  for (const pair of pairs) {
    // Hyper-V Replica keeps the replica on the replica host: no disk on a master target.
    if (pair.platform !== 'vsphere') continue;
    const id = pair.masterTargetId ?? plan.masterTargetId ?? '';
    let mt = mts.get(id);
    if (!mt) {
      mt = await masterTargetOfPair(ctx, plan, pair);
      mts.set(id, mt);
    }
    for (const d of replicaDisks(plan, mt, pair)) out.push({ pair, mt, d });
  }
  return out;
}

/** "[datastore] path" → its two parts. */
export function splitFileName(fileName: string): { datastore: string; path: string } {
  const m = /^\[([^\]]+)\]\s*(.*)$/.exec(fileName);
  if (!m) throw new ApiError('invalid-input', sayRefusal('refusal.datastorePath', { path: fileName }));
  return { datastore: m[1]!, path: m[2]! };
}

export const replicaPath = (pair: Pick<Pair, 'id'>, index: number) =>
  `siteshift-replicas/${pair.id}/disk-${index}.vmdk`;
export const testDiskPath = (pair: Pick<Pair, 'id'>, index: number) =>
  `siteshift-test/${pair.id}/disk-${index}.vmdk`;

/** Slots for a recovered VM's disks on bus 0 and up: units 0-6 and 8-15. */
export function recoveredSlot(index: number): { controller: number; unit: number } {
  const perBus = 15;
  const controller = Math.floor(index / perBus);
  const u = index % perBus;
  return { controller, unit: u >= 7 ? u + 1 : u };
}

/** Moves each pair to `to` unless it is there already; refuses a pair in none of `from`. */
export async function movePairs(
  ctx: StepContext,
  pairs: Pair[],
  to: PairState,
  from: readonly PairState[],
  reason: string,
): Promise<'skipped' | undefined> {
  // One read of the pairs and one transaction for the moves, not one of each per pair.
  const byId = new Map((await ctx.store.pairs.getMany(pairs.map((p) => p.id))).map((p) => [p.id, p]));
  const toMove: Pair[] = [];
  for (const p of pairs) {
    const now = byId.get(p.id) ?? (await ctx.store.pairs.get(p.id));
    if (now.state === to) continue;
    if (!from.includes(now.state)) {
      throw stepError(
        'conflict',
        sayStep('stepError.pairState', {
          pairIs: pairIsSaid(now.sourceVmName, now.state),
          states: statesSaid(from),
        }),
      );
    }
    if (ctx.job.dryRun) {
      await ctx.log(
        'info',
        sayStep('stepLog.dryRun.pairMove', {
          vm: now.sourceVmName,
          from: stateSaid(now.state),
          to: stateSaid(to),
        }),
      );
      continue;
    }
    toMove.push(now);
  }
  if (toMove.length > 0) {
    await ctx.store.pairs.transitionAll(
      toMove.map((p) => p.id),
      to,
      reason,
      from,
    );
    await ctx.log('info', sayStep('stepLog.pairsNow', { count: toMove.length, state: stateSaid(to) }));
  }
  return toMove.length === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
}

// ---------------------------------------------------------------- recovered VMs

/** test and failover: VMs a workflow created; original: a source VM a reprotect emptied (see migration 4). */
export type RecoveredPurpose = 'test' | 'failover' | 'original';

export interface RecoveredRow {
  pairId: string;
  purpose: RecoveredPurpose;
  endpointId: string;
  vmName: string;
  vmId: string | null;
  disks: Array<{ fileName: string; controller: number; unit: number }>;
  jobId: string;
}

export async function recoveredRows(ctx: StepContext, purpose: RecoveredPurpose, pairIds: string[]) {
  const rows = await ctx.store.db.query<Record<string, unknown>>(
    'SELECT * FROM recovered_vms WHERE purpose = $1 AND pair_id = ANY($2::text[]) ORDER BY vm_name',
    [purpose, pairIds],
  );
  return rows.map(
    (r): RecoveredRow => ({
      pairId: String(r.pair_id),
      purpose: r.purpose as RecoveredPurpose,
      endpointId: String(r.endpoint_id),
      vmName: String(r.vm_name),
      vmId: r.vm_id === null ? null : String(r.vm_id),
      disks: r.disks as RecoveredRow['disks'],
      jobId: String(r.job_id),
    }),
  );
}

/** Declares a VM before it is created (see migration 3); returns the row (an earlier one wins). */
export async function declareRecovered(
  ctx: StepContext,
  row: Omit<RecoveredRow, 'vmId'>,
): Promise<RecoveredRow> {
  return (await declareRecoveredAll(ctx, row.purpose, [row])).get(row.pairId)!;
}

/**
 * Declares the VMs a step is about to create, in one statement (see migration 3); returns their
 * rows, an earlier one winning, by pair.
 */
export async function declareRecoveredAll(
  ctx: StepContext,
  purpose: RecoveredPurpose,
  rows: Array<Omit<RecoveredRow, 'vmId' | 'purpose'>>,
): Promise<Map<string, RecoveredRow>> {
  if (rows.length > 0)
    await ctx.store.db.query(
      `INSERT INTO recovered_vms (pair_id, purpose, endpoint_id, vm_name, vm_id, disks, job_id)
       SELECT r.pair_id, $1, r.endpoint_id, r.vm_name, NULL, r.disks, r.job_id
         FROM jsonb_to_recordset($2::jsonb) AS r(pair_id text, endpoint_id text, vm_name text, disks jsonb, job_id text)
       ON CONFLICT (pair_id, purpose) DO NOTHING`,
      [
        purpose,
        JSON.stringify(
          rows.map((r) => ({
            pair_id: r.pairId,
            endpoint_id: r.endpointId,
            vm_name: r.vmName,
            disks: r.disks,
            job_id: r.jobId,
          })),
        ),
      ],
    );
  const found = await recoveredRows(
    ctx,
    purpose,
    rows.map((r) => r.pairId),
  );
  return new Map(found.map((r) => [r.pairId, r]));
}

/**
 * The VM a recovered row stands for: its recorded id; else, when the create's answer was lost (a
 * crash, a vCenter that dropped) and vCenter made the VM anyway, the VM with the declared name
 * that holds one of the row's disks. A same-named VM without them is someone else's.
 */
export async function recoveredVmOf(session: StepSession, row: RecoveredRow): Promise<VmInfo | null> {
  if (row.vmId) return session.operations.findVm({ id: row.vmId });
  const named = await session.operations.findVm({ name: row.vmName });
  const files = new Set(row.disks.map((d) => d.fileName));
  return named?.disks.some((d) => files.has(d.fileName)) ? named : null;
}

export async function setRecoveredVm(ctx: StepContext, pairId: string, purpose: string, vmId: string) {
  await ctx.store.db.query('UPDATE recovered_vms SET vm_id = $3 WHERE pair_id = $1 AND purpose = $2', [
    pairId,
    purpose,
    vmId,
  ]);
}

export async function forgetRecovered(ctx: StepContext, pairId: string, purpose: string) {
  await ctx.store.db.query('DELETE FROM recovered_vms WHERE pair_id = $1 AND purpose = $2', [
    pairId,
    purpose,
  ]);
}

/** Boot order with waves: a machine powers on once the machines it depends on (same group) are on. */
export function powerWaves(plan: Plan): Array<{ group: number; waves: PlanMachine[][] }> {
  return bootOrder(plan).map(({ group, machines }) => {
    const level = new Map<string, number>();
    for (const m of machines) {
      const deps = m.dependsOn.map((d) => level.get(d)).filter((l): l is number => l !== undefined);
      level.set(m.vm, deps.length ? Math.max(...deps) + 1 : 0);
    }
    const waves: PlanMachine[][] = [];
    for (const m of machines) {
      const l = level.get(m.vm)!;
      waves[l] = [...(waves[l] ?? []), m];
    }
    return { group, waves: waves.filter(Boolean) };
  });
}

export const recoveredNameOf = (m: PlanMachine, purpose: 'test' | 'failover') =>
  purpose === 'test' ? `${m.recoveredName ?? m.vm}-test` : (m.recoveredName ?? m.vm);

/**
 * The pairs a step acts on: those at one of `stages` (a dry run: those not yet past them). A pair
 * behind the step's stage means an earlier step did not finish its work: refused, with the pair.
 */
export async function pairsAt(ctx: StepContext, plan: Plan, stages: number[]): Promise<Pair[]> {
  const pairs = await ctx.store.pairs.list({ planId: plan.id });
  const max = Math.max(...stages);
  const min = Math.min(...stages);
  if (ctx.job.dryRun) return pairs.filter((p) => (failbackStage(p) ?? -1) <= max);
  const behind = pairs.filter((p) => (failbackStage(p) ?? -1) < min);
  if (behind.length > 0)
    throw stepError(
      'conflict',
      sayStep('stepError.pairsBehind', {
        pairs: pairsAreSaid(behind),
      }),
    );
  return pairs.filter((p) => stages.includes(failbackStage(p)!));
}
