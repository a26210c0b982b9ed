import { setTimeout as wait } from 'node:timers/promises';
import {
  failbackStage,
  firstFreeSlot,
  type MasterTarget,
  type Pair,
  type Plan,
} from '../../shared/configserver';
import { ApiError } from '../../shared/errors';
import { asSent, joined, upTo } from '../../shared/i18n/list-words';
import { pairIsSaid, pairsAreSaid, pathSaid, stateSaid } from '../../shared/i18n/pair-state-words';
import { sayRefusal } from '../../shared/i18n/refusal-words';
import { sayStep, stepError } from '../../shared/i18n/step-words';
import type { WordParams } from '../../shared/i18n/worded';
import type { StepContext, StepSession, Workflow, WorkflowStep } from '../jobs';
import type { Store } from '../store';
import {
  declareRecovered,
  findSourceVm,
  pairsAt,
  planOf,
  preparePlan,
  type RecoveredRow,
  readinessStep,
  recoveredRows,
  setRecoveredVm,
  step,
} from './common';
import { type PlatformSteps, platformsOf } from './platforms';

/**
 * Reprotect: after a committed failover, replication turns round. The recovered VMs on the
 * recovery site become the sources; the original site receives, through a master target there.
 * Each original VM stays registered as a shell (its CPU, memory, NICs and MACs are what failback
 * boots again) and its disks move to that master target, so the resync compares checksums with
 * what the original disks hold and sends only the blocks that differ, not a full copy.
 * That is vSphere's way; Hyper-V pairs turn round through Hyper-V Replica in their platform's
 * steps (platforms/hyperv.ts: Set-VMReplication -Reverse), which run after the pairs go
 * reprotecting, so a mixed plan's job takes every machine round through its own platform.
 *
 * Stages (shared/configserver/pair-state.ts, failbackStage): a step acts on the pairs at its
 * stage and leaves the pairs past it alone, so the same steps serve reprotect on its own and as
 * the first phase of failback, and a job run again after a crash or a cancel picks up where the
 * pairs are. In a dry run nothing moves, so a step takes every pair not yet past its stage as if
 * it were there and says what it would do.
 */

type Slot = { controller: number; unit: number };

/** The input a reprotect or failback job resolves once (prepare) and keeps. */
export interface ReverseInput {
  plan: Plan;
  /**
   * The master target on the original site that receives the vSphere machines' replication while
   * the plan runs on the recovery site; null when the plan has no vSphere pairs (Hyper-V Replica
   * replicates host to host).
   */
  reverseMasterTargetId: string | null;
  /** The platforms of the plan's pairs, whose own steps the workflow runs. */
  platforms: readonly PlatformSteps[];
  /** Failback: seconds to wait for a recovered VM's guest to shut down before powering it off. */
  shutdownTimeoutSec?: number;
}

export function reverseInputOf(input: Record<string, unknown>): ReverseInput {
  const id = input.reverseMasterTargetId;
  return {
    plan: planOf(input),
    reverseMasterTargetId: typeof id === 'string' ? id : null,
    platforms: platformsOf(input),
    shutdownTimeoutSec: typeof input.shutdownTimeoutSec === 'number' ? input.shutdownTimeoutSec : undefined,
  };
}

// ---------------------------------------------------------------- prepare

/**
 * Resolves the plan and the original site's master target, and refuses a job that cannot run:
 * pairs not failed over and committed, a failback under way (for reprotect), no master target of
 * the machines' OS family on the original site.
 */
export function prepareReverse(kind: 'reprotect' | 'failback'): NonNullable<Workflow['prepare']> {
  return async (request, store) => {
    const prepared = await preparePlan({ needsPairs: true })(request, store);
    const plan = planOf(prepared.input);
    const pairs = await store.pairs.list({ planId: plan.id });
    const notCommitted = pairs.filter((p) => failbackStage(p) === null);
    if (notCommitted.length > 0) {
      const pending = notCommitted.filter((p) => p.state === 'failover-pending');
      throw new ApiError(
        'conflict',
        pending.length === notCommitted.length
          ? sayRefusal(`refusal.afterCommit.${kind}`, {
              vms: upTo(
                pending.map((p) => p.sourceVmName),
                5,
              ),
              plan: plan.name,
            })
          : sayRefusal(
              notCommitted.length === 1 ? `refusal.unfinishedOne.${kind}` : `refusal.unfinishedMany.${kind}`,
              { pairs: pairsAreSaid(notCommitted) },
            ),
      );
    }
    const stages = pairs.map((p) => failbackStage(p)!);
    if (stages.every((s) => s === 8))
      throw new ApiError(
        'conflict',
        sayRefusal(`refusal.atHome.${kind}`, { plan: plan.name, site: plan.source.site }),
      );
    if (kind === 'reprotect' && stages.some((s) => s > 3))
      throw new ApiError(
        'conflict',
        sayRefusal('refusal.failingBack', {
          plan: plan.name,
          pairs: pairsAreSaid(pairs.filter((p) => failbackStage(p)! > 3)),
        }),
      );
    // Only vSphere machines go back through a master target; Hyper-V Replica goes host to host.
    const vsphere = pairs.filter((p) => p.platform === 'vsphere');
    const mt =
      vsphere.length > 0
        ? await chooseReverseMasterTarget(store, plan, vsphere, request.input.masterTarget)
        : null;
    return {
      ...prepared,
      input: { ...prepared.input, reverseMasterTargetId: mt?.id ?? null, masterTarget: undefined },
    };
  };
}

async function chooseReverseMasterTarget(
  store: Store,
  plan: Plan,
  pairs: Pair[],
  requested: unknown,
): Promise<MasterTarget> {
  const families = [...new Set(pairs.map((p) => p.osFamily))];
  const onSource = (await store.masterTargets.list()).filter((m) => m.siteId === plan.sourceSiteId);
  const fits = (m: MasterTarget) => families.every((f) => f === m.osFamily);
  if (typeof requested === 'string' && requested) {
    const mt = await store.masterTargets.get(requested);
    if (mt.siteId !== plan.sourceSiteId)
      throw new ApiError(
        'invalid-input',
        onSource.length > 0
          ? sayRefusal('refusal.mtNotOnSource', {
              mt: mt.name,
              site: plan.source.site,
              candidates: onSource.map((m) => m.name).join(', '),
            })
          : sayRefusal('refusal.mtNotOnSourceNone', { mt: mt.name, site: plan.source.site }),
      );
    if (!fits(mt))
      throw new ApiError(
        'invalid-input',
        sayRefusal('refusal.mtWrongFamily', {
          mt: mt.name,
          family: mt.osFamily,
          plan: plan.name,
          families: joined(families.map(asSent), 'and'),
        }),
      );
    return mt;
  }
  // A reprotect already under way keeps the master target it chose (its pairs hold slots there).
  const held = onSource.find((m) => m.slots.some((s) => pairs.some((p) => p.id === s.pairId)));
  if (held) return held;
  const candidates = onSource.filter(fits).sort((a, b) => b.slotsFree - a.slotsFree);
  if (!candidates[0])
    throw new ApiError(
      'conflict',
      sayRefusal('refusal.noMtOnSource', {
        families: joined(families.map(asSent), 'and'),
        site: plan.source.site,
      }),
    );
  return candidates[0];
}

// ---------------------------------------------------------------- stages and the world

export { pairsAt };

export async function endpointSession(
  ctx: StepContext,
  siteId: string,
  endpointId: string | null,
): Promise<StepSession> {
  if (endpointId) return ctx.sessions.get(endpointId);
  const ep = (await ctx.store.endpoints.list()).find(
    (e) => e.siteId === siteId && e.target.kind === 'vsphere',
  );
  if (!ep) throw stepError('not-found', sayStep('stepError.siteNoVcenter', { site: siteId }));
  return ctx.sessions.get(ep.id);
}

export const mtSession = (ctx: StepContext, mt: MasterTarget) =>
  endpointSession(ctx, mt.siteId, mt.endpointId);

/**
 * The original VM of a pair: its record (written before its first disk moved), else, before the
 * record exists, the VM as the original site shows it now.
 */
export async function originalOf(ctx: StepContext, plan: Plan, pair: Pair): Promise<RecoveredRow> {
  const row = (await recoveredRows(ctx, 'original', [pair.id]))[0];
  if (row?.vmId) return row;
  const { found, unreachable } = await findSourceVm(ctx, plan, pair.sourceVmName);
  if (!found)
    throw unreachable.length
      ? stepError(
          'unreachable',
          sayStep('stepError.originalUnreadable', { vm: pair.sourceVmName, errors: unreachable.join('; ') }),
        )
      : stepError(
          'not-found',
          sayStep('stepError.originalMissing', { vm: pair.sourceVmName, site: plan.source.site }),
        );
  return {
    pairId: pair.id,
    purpose: 'original',
    endpointId: found.session.endpoint.id,
    vmName: found.vm.name,
    vmId: found.vm.id,
    disks: found.vm.disks.map((d) => ({ fileName: d.fileName, controller: d.controller, unit: d.unit })),
    jobId: ctx.job.id,
  };
}

/** Slots on the original site's master target: the pair's own, else (a dry run) the ones it would get. */
export interface ReverseDisk {
  fileName: string;
  /** Where the disk sits on the original VM. */
  original: Slot;
  /** Where it sits on the master target. */
  slot: Slot;
}

export async function reverseLayout(
  ctx: StepContext,
  plan: Plan,
  mt: MasterTarget,
  pairs: Pair[],
): Promise<Map<string, { original: RecoveredRow; disks: ReverseDisk[] }>> {
  const out = new Map<string, { original: RecoveredRow; disks: ReverseDisk[] }>();
  let taken: Slot[] | null = null;
  for (const pair of pairs) {
    const original = await originalOf(ctx, plan, pair);
    let slots = mt.slots
      .filter((s) => s.pairId === pair.id)
      .sort((a, b) => a.controller - b.controller || a.unit - b.unit)
      .map((s) => ({ controller: s.controller, unit: s.unit }));
    if (slots.length === 0) {
      taken ??= [...mt.slots, ...(await ownSlots(ctx, mt, []))];
      slots = [];
      for (const _ of original.disks) {
        const slot = firstFreeSlot(taken);
        if (!slot)
          throw stepError(
            'conflict',
            sayStep('stepError.noFreeSlot', { mt: mt.name, vm: pair.sourceVmName, site: plan.source.site }),
          );
        taken.push(slot);
        slots.push(slot);
      }
    }
    if (slots.length !== original.disks.length)
      throw stepError(
        'conflict',
        sayStep('stepError.slotCount', {
          vm: pair.sourceVmName,
          slots: sayStep('stepError.slotCount.slots', { count: slots.length }),
          mt: mt.name,
          disks: sayStep('stepError.slotCount.disks', { count: original.disks.length }),
        }),
      );
    out.set(pair.id, {
      original,
      disks: original.disks.map((d, i) => ({
        fileName: d.fileName,
        original: { controller: d.controller, unit: d.unit },
        slot: slots[i]!,
      })),
    });
  }
  return out;
}

/** The master target VM's own disks (not ones Siteshift attached): slots no replica may take. */
async function ownSlots(ctx: StepContext, mt: MasterTarget, known: string[]): Promise<Slot[]> {
  const session = await mtSession(ctx, mt);
  const info = await session.operations.findVm({ id: mt.vmId });
  if (!info) throw stepError('not-found', sayStep('stepError.mtVmGone', { vm: mt.vmName, id: mt.vmId }));
  const ours = new Set([
    ...known,
    ...(
      await recoveredRows(
        ctx,
        'original',
        (await ctx.store.pairs.list()).map((p) => p.id),
      )
    ).flatMap((r) => r.disks.map((d) => d.fileName)),
  ]);
  return info.disks
    .filter((d) => d.controller >= 0 && !ours.has(d.fileName) && !d.fileName.includes('siteshift-replicas/'))
    .map((d) => ({ controller: d.controller, unit: d.unit }));
}

/** Waits until every pair of the plan reaches `stage`; a pair in 'error' stops the wait. */
export async function waitForStage(
  ctx: StepContext,
  plan: Plan,
  stage: number,
  way: 'reverse' | 'forward',
): Promise<void> {
  for (;;) {
    const pairs = await ctx.store.pairs.list({ planId: plan.id });
    const failed = pairs.find((p) => p.state === 'error');
    if (failed)
      throw stepError(
        'conflict',
        sayStep(way === 'reverse' ? 'stepError.errorDuringReverse' : 'stepError.errorDuringForward', {
          vm: failed.sourceVmName,
        }),
      );
    const done = pairs.filter((p) => (failbackStage(p) ?? -1) >= stage).length;
    await ctx.progress(done / Math.max(1, pairs.length));
    if (done === pairs.length) return;
    await wait(500, undefined, { signal: ctx.signal });
  }
}

/** Moves each pair from where it is on `path` to its end, one move at a time (the state table checks each). */
export async function advance(
  ctx: StepContext,
  pairs: Pair[],
  path: Array<Pair['state']>,
  reason: string,
): Promise<number> {
  let moved = 0;
  for (const p of pairs) {
    let now = await ctx.store.pairs.get(p.id);
    const from = path.indexOf(now.state);
    if (from < 0)
      throw stepError(
        'conflict',
        sayStep('stepError.offPath', {
          pairIs: pairIsSaid(now.sourceVmName, now.state),
          path: pathSaid(path),
        }),
      );
    for (let i = from + 1; i < path.length; i++) {
      now = await ctx.store.pairs.transition(p.id, path[i]!, reason, [now.state]);
    }
    if (from < path.length - 1) moved++;
  }
  return moved;
}

// ---------------------------------------------------------------- the steps

/**
 * The steps that turn replication round, for pairs at stages 0-1, ending with every pair
 * protected in the reverse direction (stage 3). Inside a failback their names say the phase.
 */
export function reprotectSteps(input: ReverseInput, inFailback = false): WorkflowStep[] {
  const { plan } = input;
  const named = (
    name:
      | 'recordOriginals'
      | 'powerOffOriginals'
      | 'allocateSlots'
      | 'moveDisks'
      | 'replicateBack'
      | 'waitResync',
    params?: WordParams,
  ) => sayStep(`jobStep.${inFailback ? 'failback1' : 'reprotect'}.${name}`, params);
  const sites = { source: plan.source.site, target: plan.target.site };
  const reverseMt = reverseMtOf(input);
  // The master-target steps take the vSphere pairs; a plan without them skips those steps.
  const vsAt = async (ctx: StepContext, stages: number[]) =>
    (await pairsAt(ctx, plan, stages)).filter((p) => p.platform === 'vsphere');
  return [
    step(named('recordOriginals', sites), async (ctx) => {
      const pairs = await vsAt(ctx, [0, 1]);
      if (pairs.length === 0) return 'skipped';
      const mt = await reverseMt(ctx);
      let recorded = 0;
      for (const pair of pairs) {
        const original = await originalOf(ctx, plan, pair);
        if ((await recoveredRows(ctx, 'original', [pair.id]))[0]?.vmId) continue;
        if (original.disks.length === 0)
          throw stepError(
            'conflict',
            sayStep('stepError.noDisksLeft', { vm: original.vmName, site: plan.source.site }),
          );
        const what = {
          vm: original.vmName,
          id: String(original.vmId),
          count: original.disks.length,
          disks: original.disks.map((d) => `${d.fileName} at SCSI ${d.controller}:${d.unit}`).join(', '),
          mt: mt.name,
        };
        if (ctx.job.dryRun) {
          await ctx.log('info', sayStep('stepLog.dryRun.originalShell', what));
          continue;
        }
        await declareRecovered(ctx, { ...original, jobId: ctx.job.id });
        await setRecoveredVm(ctx, pair.id, 'original', original.vmId!);
        await ctx.log('info', sayStep('stepLog.originalShell', what));
        recorded++;
      }
      return recorded === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
    step(named('powerOffOriginals'), async (ctx) => {
      // Hyper-V's originals are turned off by its reverse step, right before Set-VMReplication.
      const pairs = await vsAt(ctx, [0, 1]);
      if (pairs.length === 0) return 'skipped';
      let off = 0;
      for (const pair of pairs) {
        const original = await originalOf(ctx, plan, pair);
        const session = await ctx.sessions.get(original.endpointId);
        const vm = await session.operations.findVm({ id: original.vmId! });
        if (!vm)
          throw stepError(
            'not-found',
            sayStep('stepError.vmGone', {
              vm: original.vmName,
              id: String(original.vmId),
              endpoint: session.endpoint.name,
            }),
          );
        if (vm.powerState === 'poweredOff') continue;
        const why = { vm: original.vmName, power: vm.powerState, site: plan.source.site };
        if (ctx.job.dryRun) {
          await ctx.log('warn', sayStep('stepLog.dryRun.originalRuns', why));
          continue;
        }
        await ctx.log('warn', sayStep('stepLog.originalRuns', why));
        await session.operations.powerOff(vm.id);
        off++;
      }
      if (!ctx.job.dryRun && off === 0) await ctx.log('info', sayStep('stepLog.originalsOff'));
      return off === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
    step(named('allocateSlots'), async (ctx) => {
      const pairs = await vsAt(ctx, [0, 1]);
      if (pairs.length === 0) return 'skipped';
      const mt = await reverseMt(ctx);
      const layout = await reverseLayout(ctx, plan, mt, pairs);
      const session = await mtSession(ctx, mt);
      const fresh = pairs.filter((p) => !mt.slots.some((s) => s.pairId === p.id));
      if (ctx.job.dryRun) {
        for (const p of fresh)
          await ctx.log(
            'info',
            sayStep('stepLog.dryRun.takeSlots', {
              vm: p.sourceVmName,
              slots: layout
                .get(p.id)!
                .disks.map((d) => `${d.slot.controller}:${d.slot.unit}`)
                .join(', '),
              mt: mt.name,
            }),
          );
      } else if (fresh.length > 0) {
        const own = await ownSlots(ctx, mt, []);
        await ctx.store.write(async (w) => {
          // The lock keeps a protect (or another plan's reprotect) from taking the same slots.
          await w.q.query('SELECT id FROM master_targets WHERE id = $1 FOR UPDATE', [mt.id]);
          const reserved = await w.q.query<{ reserved_slots: Slot[] }>(
            'SELECT reserved_slots FROM master_targets WHERE id = $1',
            [mt.id],
          );
          const keep = [...(reserved[0]?.reserved_slots ?? [])];
          for (const o of own)
            if (!keep.some((k) => k.controller === o.controller && k.unit === o.unit)) keep.push(o);
          await w.q.query('UPDATE master_targets SET reserved_slots = $2::jsonb WHERE id = $1', [
            mt.id,
            JSON.stringify(keep),
          ]);
          const taken: Slot[] = [
            ...keep,
            ...(await w.q.query<Slot>('SELECT controller, unit FROM mt_slots WHERE master_target_id = $1', [
              mt.id,
            ])),
          ];
          for (const p of fresh) {
            const held = await w.q.query(
              'SELECT 1 FROM mt_slots WHERE master_target_id = $1 AND pair_id = $2',
              [mt.id, p.id],
            );
            if (held.length === 0) {
              const { original } = layout.get(p.id)!;
              for (let i = 0; i < original.disks.length; i++) {
                const slot = firstFreeSlot(taken);
                if (!slot)
                  throw stepError(
                    'conflict',
                    sayStep('stepError.noFreeSlot', {
                      mt: mt.name,
                      vm: p.sourceVmName,
                      site: plan.source.site,
                    }),
                  );
                taken.push(slot);
                await w.q.query(
                  'INSERT INTO mt_slots (master_target_id, controller, unit, pair_id, disk_key, file_name) VALUES ($1,$2,$3,$4,$5,$6)',
                  [mt.id, slot.controller, slot.unit, p.id, `original-${i}`, original.disks[i]!.fileName],
                );
              }
            }
          }
          w.emit('entity.changed', { entity: 'master-target', id: mt.id, change: 'updated' });
        });
      }
      // Controllers for every bus the slots use: looked at first, added only when missing.
      const now = await reverseMt(ctx);
      const buses = [
        ...new Set(now.slots.filter((s) => pairs.some((p) => p.id === s.pairId)).map((s) => s.controller)),
      ];
      const info = await session.operations.findVm({ id: mt.vmId });
      for (const bus of buses.filter((b) => !info?.scsiControllers.some((c) => c.bus === b))) {
        if (ctx.job.dryRun) await ctx.log('info', sayStep('stepLog.dryRun.addScsi', { bus, vm: mt.vmName }));
        else if ((await session.operations.ensureScsiController(mt.vmId, bus, 'pvscsi')) === 'added')
          await ctx.log('info', sayStep('stepLog.scsiAdded', { vm: mt.vmName, bus }));
      }
      if (!ctx.job.dryRun && fresh.length > 0)
        await ctx.log('info', sayStep('stepLog.slotsHeld', { count: fresh.length, mt: mt.name }));
      return fresh.length === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
    step(named('moveDisks'), async (ctx) => {
      const pairs = await vsAt(ctx, [0, 1]);
      if (pairs.length === 0) return 'skipped';
      const mt = await reverseMt(ctx);
      const layout = await reverseLayout(ctx, plan, mt, pairs);
      const target = await mtSession(ctx, mt);
      let moved = 0;
      await ctx.parallel(pairs, plan.parallelism, async (pair) => {
        const { original, disks } = layout.get(pair.id)!;
        const source = await ctx.sessions.get(original.endpointId);
        for (const d of disks) {
          if (ctx.job.dryRun) {
            await ctx.log(
              'info',
              sayStep('stepLog.dryRun.moveDisk', {
                file: d.fileName,
                vm: original.vmName,
                from: `${d.original.controller}:${d.original.unit}`,
                mt: mt.vmName,
                to: `${d.slot.controller}:${d.slot.unit}`,
              }),
            );
            continue;
          }
          // Detached before attached: a disk is never on two VMs at once.
          const detached = await source.operations.detachDisk(original.vmId!, d.fileName);
          const attached = await target.operations.attachDisk(mt.vmId, { fileName: d.fileName, ...d.slot });
          if (detached === 'detached' || attached === 'attached') moved++;
        }
      });
      if (!ctx.job.dryRun)
        await ctx.log('info', sayStep('stepLog.disksMoved', { count: moved, mt: mt.vmName }));
      return moved === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
    step(
      named('replicateBack', sites),
      async (ctx) => {
        const pairs = await pairsAt(ctx, plan, [0, 1]);
        const mt = pairs.some((p) => p.platform === 'vsphere') ? await reverseMt(ctx) : null;
        if (ctx.job.dryRun) {
          for (const p of pairs)
            await ctx.log(
              'info',
              sayStep('stepLog.dryRun.reverseMove', {
                vm: p.sourceVmName,
                state: stateSaid(p.state),
                committed: stateSaid('committed'),
                reprotecting: stateSaid('reprotecting'),
              }),
            );
          await ctx.log(
            'info',
            mt
              ? sayStep('stepLog.dryRun.reverseToMt', { ...sites, mt: mt.name })
              : sayStep('stepLog.dryRun.reverseToSite', sites),
          );
          await ctx.log('info', sayStep('stepLog.dryRun.pointsDropped', { site: plan.target.site }));
          return undefined;
        }
        await dropRecoveryPoints(ctx, pairs, plan.target.site);
        const moved = await advance(
          ctx,
          pairs,
          ['failed-over', 'committed', 'reprotecting'],
          `reprotect (job ${ctx.job.id})`,
        );
        if (moved > 0)
          await ctx.log(
            'info',
            mt
              ? sayStep('stepLog.reprotectingToMt', { count: moved, ...sites, mt: mt.name })
              : sayStep('stepLog.reprotectingToSite', { count: moved, ...sites }),
          );
        return moved === 0 ? 'skipped' : undefined;
      },
      false,
    ),
    ...input.platforms.flatMap((p) => p.reprotect(plan)),
    step(
      named('waitResync'),
      async (ctx) => {
        const way = { from: plan.target.site, to: plan.source.site };
        if (ctx.job.dryRun) {
          await ctx.log('info', sayStep('stepLog.dryRun.waitProtected', way));
          return undefined;
        }
        await waitForStage(ctx, plan, 3, 'reverse');
        await ctx.log('info', sayStep('stepLog.allProtected', way));
        return undefined;
      },
      false,
    ),
  ];
}

/** The original site's master target of a job, for its vSphere pairs. */
export function reverseMtOf(input: ReverseInput): (ctx: StepContext) => Promise<MasterTarget> {
  return async (ctx) => {
    if (!input.reverseMasterTargetId)
      throw stepError(
        'conflict',
        sayStep('stepError.noReverseMt', { plan: input.plan.name, site: input.plan.source.site }),
      );
    return ctx.store.masterTargets.get(input.reverseMasterTargetId);
  };
}

/** Reprotect on its own: the readiness checks for the way back, then the steps above. */
export const reprotectWorkflow: Workflow = {
  kind: 'reprotect',
  prepare: prepareReverse('reprotect'),
  steps(_job, input) {
    return [readinessStep('failback'), ...reprotectSteps(reverseInputOf(input))];
  },
};

/**
 * Drops the recovery points of pairs turning round: they were taken of replicas that are now the
 * machines' disks (reprotect: the recovery site's; failback: the original site's), so none of them
 * can be recovered to any more. The other direction's points come with its resync.
 */
export async function dropRecoveryPoints(ctx: StepContext, pairs: Pair[], where: string): Promise<void> {
  if (pairs.length === 0) return;
  const rows = await ctx.store.db.query<{ n: number }>(
    'WITH gone AS (DELETE FROM recovery_points WHERE pair_id = ANY($1::text[]) RETURNING 1) SELECT count(*)::int AS n FROM gone',
    [pairs.map((p) => p.id)],
  );
  const n = Number(rows[0]?.n ?? 0);
  if (n > 0) await ctx.log('info', sayStep('stepLog.pointsDropped', { count: n, site: where }));
}
