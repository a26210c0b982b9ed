import { isMessageStep, isScriptStep, type Pair } from '../../shared/configserver';
import { ApiError } from '../../shared/errors';
import { stateSaid } from '../../shared/i18n/pair-state-words';
import { sayRefusal } from '../../shared/i18n/refusal-words';
import { sayStep, stepError } from '../../shared/i18n/step-words';
import type { StepContext, Workflow, WorkflowStep } from '../jobs';
import {
  forgetRecovered,
  pairFor,
  pairsOf,
  powerWaves,
  readinessStep,
  recoveredRows,
  replicaDisksOf,
  step,
  targetSession,
} from './common';
import { runScript } from './failover';
import {
  advance,
  dropRecoveryPoints,
  mtSession,
  pairsAt,
  prepareReverse,
  type ReverseInput,
  reprotectSteps,
  reverseInputOf,
  reverseLayout,
  reverseMtOf,
  waitForStage,
} from './reprotect';

/**
 * Guided failback, in four phases the step names show:
 * 1. reprotect (replication turned round, resync by checksum; see reprotect.ts);
 * 2. planned failover back: the recovered VMs shut down, a final sync, the original disks back
 *    from the original site's master target onto the original VMs at their own controller and
 *    unit, the original VMs powered on in boot-group order with the plan's messages and scripts;
 * 3. commit;
 * 4. protect again in the original direction: the recovered VMs removed (their disks, the replica
 *    files, kept), the replica disks back on the plan's master target in their slots, the original
 *    site's slots freed, replication forward again with a checksum resync.
 * Every step acts on the pairs at its stage (failbackStage) and leaves the others alone, so a
 * failback stopped anywhere is finished by running it again.
 * Disks, master targets and recovered VMs built from disks are vSphere's; Hyper-V pairs go through
 * their platform's steps (platforms/hyperv.ts) at the same points of each phase, and power on
 * in their boot group alongside the vSphere machines.
 */

function failbackSteps(input: ReverseInput): WorkflowStep[] {
  const { plan } = input;
  const reverseMt = reverseMtOf(input);
  // Disks, master targets and recovery-point records are vSphere's; Hyper-V Replica has its own
  // steps (input.platforms) at fixed points of each phase.
  const vsAt = async (ctx: StepContext, stages: number[]) =>
    (await pairsAt(ctx, plan, stages)).filter((p) => p.platform === 'vsphere');
  const platformOf = (pair: Pair) => input.platforms.find((p) => p.platform === pair.platform);
  // Each name's words carry its phase ("phase 2/4 fail over back to … — …"): the phase reads
  // naturally in each language as part of the name, not as a prefix glued on.
  const sites = { source: plan.source.site, target: plan.target.site };

  /** The recovered VM (purpose 'failover') of each pair: what runs on the recovery site. */
  const recoveredOf = async (ctx: StepContext, pairs: Pair[]) => {
    const rows = await recoveredRows(
      ctx,
      'failover',
      pairs.map((p) => p.id),
    );
    return pairs.map((pair) => {
      const row = rows.find((r) => r.pairId === pair.id);
      return { pair, row: row?.vmId ? row : null };
    });
  };

  const steps: WorkflowStep[] = [
    readinessStep('failback'),
    ...reprotectSteps(input, true),

    // ------------------------------------------------ phase 2: planned failover back
    step(sayStep('jobStep.failback.shutDownRecovered', sites), async (ctx) => {
      const timeoutMs = (input.shutdownTimeoutSec ?? 300) * 1000;
      const items = await recoveredOf(ctx, await pairsAt(ctx, plan, [3]));
      await ctx.parallel(items, plan.parallelism, async ({ pair, row }) => {
        if (!row)
          throw stepError('not-found', sayStep('stepError.noRecoveredOnRecord', { vm: pair.sourceVmName }));
        const session = await ctx.sessions.get(row.endpointId);
        const vm = await session.operations.findVm({ id: row.vmId! });
        if (!vm)
          throw stepError(
            'not-found',
            sayStep('stepError.recoveredGone', {
              vm: row.vmName,
              id: String(row.vmId),
              endpoint: session.endpoint.name,
              source: pair.sourceVmName,
            }),
          );
        if (ctx.job.dryRun)
          return void (await ctx.log(
            'info',
            sayStep('stepLog.dryRun.shutDown', { vm: row.vmName, power: vm.powerState }),
          ));
        const how = await session.operations.shutdownGuest(vm.id, { timeoutMs });
        await ctx.log('info', sayStep(`stepLog.shutdown.${how}`, { vm: row.vmName }));
      });
      return items.length === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
    step(sayStep('jobStep.failback.finalSync', sites), async (ctx) => {
      const pairs = await vsAt(ctx, [3]);
      for (const pair of pairs) {
        if (ctx.job.dryRun) {
          await ctx.log('info', sayStep('stepLog.dryRun.finalPoint', { vm: pair.sourceVmName }));
          continue;
        }
        const tag = `failback ${ctx.job.id}`;
        if ((await ctx.store.recoveryPoints.list(pair.id, 50)).some((p) => p.tag === tag)) continue;
        await ctx.store.recoveryPoints.add(pair.id, { consistency: 'app', tag });
      }
      if (!ctx.job.dryRun && pairs.length) await ctx.log('info', sayStep('stepLog.recoveredOff'));
      return pairs.length === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
    step(
      sayStep('jobStep.failback.markFailoverPending', { ...sites, state: stateSaid('failover-pending') }),
      async (ctx) => {
        const pairs = await pairsAt(ctx, plan, [3]);
        if (ctx.job.dryRun) {
          for (const p of pairs)
            await ctx.log(
              'info',
              sayStep('stepLog.dryRun.toPendingReverse', {
                vm: p.sourceVmName,
                state: stateSaid('failover-pending'),
              }),
            );
          return undefined;
        }
        let moved = 0;
        for (const p of pairs)
          moved += await advance(ctx, [p], [p.state, 'failover-pending'], `failback (job ${ctx.job.id})`);
        if (moved)
          await ctx.log(
            'info',
            sayStep('stepLog.pairsPending', { count: moved, state: stateSaid('failover-pending') }),
          );
        return moved === 0 ? 'skipped' : undefined;
      },
      false,
    ),
    ...input.platforms.flatMap((p) => p.failbackFailover(plan)),
    step(sayStep('jobStep.failback.detachOriginals', sites), async (ctx) => {
      const pairs = await vsAt(ctx, [4]);
      if (pairs.length === 0) return 'skipped';
      const mt = await reverseMt(ctx);
      const layout = await reverseLayout(ctx, plan, mt, pairs);
      const session = await mtSession(ctx, mt);
      let detached = 0;
      const disks = pairs.flatMap((p) => layout.get(p.id)!.disks);
      await ctx.parallel(disks, plan.parallelism, async (d) => {
        if (ctx.job.dryRun)
          return void (await ctx.log(
            'info',
            sayStep('stepLog.dryRun.detachDisk', {
              file: d.fileName,
              vm: mt.vmName,
              slot: `${d.slot.controller}:${d.slot.unit}`,
            }),
          ));
        if ((await session.operations.detachDisk(mt.vmId, d.fileName)) === 'detached') detached++;
      });
      if (!ctx.job.dryRun)
        await ctx.log('info', sayStep('stepLog.disksDetachedFrom', { count: detached, vm: mt.vmName }));
      return detached === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
    step(sayStep('jobStep.failback.attachToOriginals', sites), async (ctx) => {
      const pairs = await vsAt(ctx, [4]);
      if (pairs.length === 0) return 'skipped';
      const layout = await reverseLayout(ctx, plan, await reverseMt(ctx), pairs);
      let attached = 0;
      await ctx.parallel(pairs, plan.parallelism, async (pair) => {
        const { original, disks } = layout.get(pair.id)!;
        const session = await ctx.sessions.get(original.endpointId);
        for (const bus of [...new Set(disks.map((d) => d.original.controller))]) {
          if (!ctx.job.dryRun) await session.operations.ensureScsiController(original.vmId!, bus);
        }
        for (const d of disks) {
          if (ctx.job.dryRun) {
            await ctx.log(
              'info',
              sayStep('stepLog.dryRun.attachTo', {
                file: d.fileName,
                vm: original.vmName,
                slot: `${d.original.controller}:${d.original.unit}`,
              }),
            );
            continue;
          }
          const outcome = await session.operations.attachDisk(original.vmId!, {
            fileName: d.fileName,
            ...d.original,
          });
          if (outcome === 'attached') attached++;
        }
      });
      if (!ctx.job.dryRun)
        await ctx.log('info', sayStep('stepLog.disksBackOnOriginals', { count: attached }));
      return attached === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
  ];

  for (const { group, waves } of powerWaves(plan)) {
    steps.push(
      step(sayStep('jobStep.failback.powerOnGroup', { ...sites, group }), async (ctx) => {
        const at = await pairsAt(ctx, plan, [4]);
        const pairs = await pairsOf(ctx, plan);
        const vs = at.filter((p) => p.platform === 'vsphere');
        const layout = vs.length > 0 ? await reverseLayout(ctx, plan, await reverseMt(ctx), vs) : new Map();
        let on = 0;
        for (const wave of waves) {
          await ctx.parallel(wave, plan.parallelism, async (machine) => {
            const pair = pairFor(pairs, machine);
            const platform = pair.platform === 'vsphere' ? undefined : platformOf(pair);
            if (platform) {
              if (at.some((p) => p.id === pair.id) && (await platform.failbackPowerOn(ctx, plan, pair))) on++;
              return;
            }
            const entry = layout.get(pair.id);
            if (!entry) return; // past this stage: on already
            const { original } = entry;
            if (ctx.job.dryRun)
              return void (await ctx.log(
                'info',
                sayStep('stepLog.dryRun.powerOnAt', { vm: original.vmName, site: plan.source.site }),
              ));
            const session = await ctx.sessions.get(original.endpointId);
            if ((await session.operations.powerOn(original.vmId!)) === 'powered-on') on++;
          });
        }
        if (!ctx.job.dryRun) await ctx.log('info', sayStep('stepLog.groupPoweredOn', { group, count: on }));
        return at.length === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
      }),
    );
    for (const planStep of plan.steps.filter((s) => s.after === group)) {
      if (isMessageStep(planStep)) {
        steps.push(
          step(
            sayStep('jobStep.failback.messageAfter', { ...sites, group }),
            async (ctx) => {
              if ((await pairsAt(ctx, plan, [4])).length === 0 && !ctx.job.dryRun) return 'skipped';
              if (ctx.job.dryRun) {
                await ctx.log('info', sayStep('stepLog.dryRun.waitAck', { message: planStep.message }));
                return undefined;
              }
              await ctx.waitForAck(planStep.message);
              return undefined;
            },
            false,
          ),
        );
      } else if (isScriptStep(planStep)) {
        const { command, timeoutSeconds } = planStep.script;
        steps.push(
          step(
            sayStep('jobStep.failback.scriptAfter', { ...sites, group, command }),
            async (ctx) => {
              if ((await pairsAt(ctx, plan, [4])).length === 0 && !ctx.job.dryRun) return 'skipped';
              if (ctx.job.dryRun) {
                await ctx.log(
                  'info',
                  sayStep('stepLog.dryRun.runScript', { command, seconds: timeoutSeconds }),
                );
                return undefined;
              }
              await runScript(ctx, command, timeoutSeconds);
              return undefined;
            },
            false,
          ),
        );
      }
    }
  }

  steps.push(
    // ------------------------------------------------ phase 3: commit
    ...input.platforms.flatMap((p) => p.failbackCommit(plan)),
    step(
      sayStep('jobStep.failback.keepOriginals', { state: stateSaid('failed-over') }),
      async (ctx) => {
        const pairs = await pairsAt(ctx, plan, [4]);
        const vs = pairs.filter((p) => p.platform === 'vsphere');
        const layout = vs.length > 0 ? await reverseLayout(ctx, plan, await reverseMt(ctx), vs) : new Map();
        for (const pair of vs) {
          const { original } = layout.get(pair.id)!;
          if (ctx.job.dryRun) {
            await ctx.log(
              'info',
              sayStep('stepLog.dryRun.keepOriginal', {
                vm: original.vmName,
                state: stateSaid('failed-over'),
              }),
            );
            continue;
          }
          const session = await ctx.sessions.get(original.endpointId);
          const vm = await session.operations.findVm({ id: original.vmId! });
          if (vm?.powerState !== 'poweredOn')
            throw stepError(
              'conflict',
              vm
                ? sayStep('stepError.originalNotOn', {
                    vm: original.vmName,
                    power: vm.powerState,
                    site: plan.source.site,
                  })
                : sayStep('stepError.originalGone', { vm: original.vmName, site: plan.source.site }),
            );
        }
        if (ctx.job.dryRun) return undefined;
        const moved = await advance(
          ctx,
          pairs,
          ['failover-pending', 'failed-over'],
          `failback commit (job ${ctx.job.id})`,
        );
        if (moved)
          await ctx.log('info', sayStep('stepLog.runAgainOn', { count: moved, site: plan.source.site }));
        return moved === 0 ? 'skipped' : undefined;
      },
      false,
    ),

    // ------------------------------------------------ phase 4: protect again in the original direction
    step(sayStep('jobStep.failback.removeRecovered', sites), async (ctx) => {
      // Hyper-V Replica's recovered VM is the machine itself on the replica host: it stays.
      const items = await recoveredOf(ctx, await vsAt(ctx, [5]));
      if (items.length === 0) return 'skipped';
      const target = await targetSession(ctx, plan);
      const rows = await recoveredRows(
        ctx,
        'failover',
        items.map((i) => i.pair.id),
      );
      const removed: string[] = [];
      await ctx.parallel(rows, plan.parallelism, async (row) => {
        if (ctx.job.dryRun)
          return void (await ctx.log(
            'info',
            sayStep('stepLog.dryRun.detachKeepDelete', {
              files: row.disks.map((d) => d.fileName).join(', '),
              vm: row.vmName,
            }),
          ));
        const session =
          row.endpointId === target.endpoint.id ? target : await ctx.sessions.get(row.endpointId);
        if (row.vmId && (await session.operations.findVm({ id: row.vmId }))) {
          await session.operations.powerOff(row.vmId);
          for (const d of row.disks) await session.operations.detachDisk(row.vmId, d.fileName);
          await session.operations.deleteVm(row.vmId);
          removed.push(row.vmName);
        }
        await forgetRecovered(ctx, row.pairId, 'failover');
      });
      if (!ctx.job.dryRun)
        await ctx.log(
          'info',
          removed.length
            ? sayStep('stepLog.removedDisksKept', { vms: removed.join(', ') })
            : sayStep('stepLog.noRecoveredLeft'),
        );
      return rows.length === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
    step(sayStep('jobStep.failback.reattachReplicaDisks', sites), async (ctx) => {
      const pairs = await vsAt(ctx, [5]);
      if (pairs.length === 0) return 'skipped';
      const disks = await replicaDisksOf(ctx, plan, pairs);
      let attached = 0;
      await ctx.parallel(disks, plan.parallelism, async ({ mt, d }) => {
        if (ctx.job.dryRun)
          return void (await ctx.log(
            'info',
            sayStep('stepLog.dryRun.attachTo', {
              file: d.fileName,
              vm: mt.vmName,
              slot: `${d.controller}:${d.unit}`,
            }),
          ));
        const session = await mtSession(ctx, mt);
        if ((await session.operations.attachDisk(mt.vmId, d)) === 'attached') attached++;
      });
      if (!ctx.job.dryRun)
        await ctx.log('info', sayStep('stepLog.replicaDisksBackOnMt', { count: attached }));
      return attached === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
    step(sayStep('jobStep.failback.freeSlots', sites), async (ctx) => {
      const pairs = await vsAt(ctx, [5]);
      if (pairs.length === 0) return 'skipped';
      const mt = await reverseMt(ctx);
      if (ctx.job.dryRun) {
        for (const p of pairs)
          await ctx.log('info', sayStep('stepLog.dryRun.giveSlotsBack', { vm: p.sourceVmName, mt: mt.name }));
        return undefined;
      }
      if (pairs.length === 0) return 'skipped';
      const ids = pairs.map((p) => p.id);
      await ctx.store.write(async (w) => {
        await w.q.query('DELETE FROM mt_slots WHERE master_target_id = $1 AND pair_id = ANY($2::text[])', [
          mt.id,
          ids,
        ]);
        w.emit('entity.changed', { entity: 'master-target', id: mt.id, change: 'updated' });
      });
      for (const id of ids) await forgetRecovered(ctx, id, 'original');
      await ctx.log('info', sayStep('stepLog.slotsGivenBack', { count: ids.length, mt: mt.name }));
      return undefined;
    }),
    step(
      sayStep('jobStep.failback.replicateForward', sites),
      async (ctx) => {
        const pairs = await pairsAt(ctx, plan, [5, 6]);
        const what = { source: plan.source.site, mt: String(plan.target.masterTarget) };
        if (ctx.job.dryRun) {
          for (const p of pairs)
            await ctx.log(
              'info',
              sayStep('stepLog.dryRun.forwardMove', {
                vm: p.sourceVmName,
                committed: stateSaid('committed'),
                reprotecting: stateSaid('reprotecting'),
              }),
            );
          await ctx.log('info', sayStep('stepLog.dryRun.forwardToMt', what));
          await ctx.log('info', sayStep('stepLog.dryRun.pointsDropped', { site: plan.source.site }));
          return undefined;
        }
        await dropRecoveryPoints(ctx, pairs, plan.source.site);
        const moved = await advance(
          ctx,
          pairs,
          ['failed-over', 'committed', 'reprotecting'],
          `failback (job ${ctx.job.id})`,
        );
        if (moved > 0)
          await ctx.log('info', sayStep('stepLog.forwardReprotecting', { count: moved, ...what }));
        return moved === 0 ? 'skipped' : undefined;
      },
      false,
    ),
    ...input.platforms.flatMap((p) => p.failbackReprotect(plan)),
    step(
      sayStep('jobStep.failback.waitResync', sites),
      async (ctx) => {
        const way = { from: plan.source.site, to: plan.target.site };
        if (ctx.job.dryRun) {
          await ctx.log('info', sayStep('stepLog.dryRun.waitProtected', way));
          return undefined;
        }
        await waitForStage(ctx, plan, 8, 'forward');
        await ctx.log('info', sayStep('stepLog.failbackDone', way));
        return undefined;
      },
      false,
    ),
  );
  return steps;
}

export const failbackWorkflow: Workflow = {
  kind: 'failback',
  prepare: async (request, store) => {
    const t = request.input.shutdownTimeoutSec;
    if (t !== undefined && (typeof t !== 'number' || !Number.isInteger(t) || t < 1))
      throw new ApiError('invalid-input', sayRefusal('refusal.shutdownTimeout'));
    return prepareReverse('failback')(request, store);
  },
  steps: (_job, input) => failbackSteps(reverseInputOf(input)),
};
