import { isMessageStep, isScriptStep, type Pair } from '../../shared/configserver';
import { ApiError } from '../../shared/errors';
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

const phase = (n: number, what: string) => `phase ${n}/4 ${what} — `;

function failbackSteps(input: ReverseInput): WorkflowStep[] {
  const { plan } = input;
  const reverseMt = reverseMtOf(input);
  // Disks, master targets and recovery-point records are vSphere's; Hyper-V Replica has its own
  // steps (input.platforms) at fixed points of each phase.
  const vsAt = async (ctx: StepContext, stages: number[]) =>
    (await pairsAt(ctx, plan, stages)).filter((p) => p.platform === 'vsphere');
  const platformOf = (pair: Pair) => input.platforms.find((p) => p.platform === pair.platform);
  const p2 = phase(2, `fail over back to ${plan.source.site}`);
  const p3 = phase(3, 'commit');
  const p4 = phase(4, `protect again from ${plan.source.site}`);

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
    ...reprotectSteps(input, phase(1, 'reprotect')),

    // ------------------------------------------------ phase 2: planned failover back
    step(`${p2}shut down the recovered VMs on ${plan.target.site}`, async (ctx) => {
      const timeoutMs = (input.shutdownTimeoutSec ?? 300) * 1000;
      const items = await recoveredOf(ctx, await pairsAt(ctx, plan, [3]));
      await ctx.parallel(items, plan.parallelism, async ({ pair, row }) => {
        if (!row)
          throw new ApiError(
            'not-found',
            `${pair.sourceVmName} has no recovered VM on record; the failover that created it was rolled back or removed`,
          );
        const session = await ctx.sessions.get(row.endpointId);
        const vm = await session.operations.findVm({ id: row.vmId! });
        if (!vm)
          throw new ApiError(
            'not-found',
            `${row.vmName} (${row.vmId}) is gone from ${session.endpoint.name}; it is the source of ${pair.sourceVmName} now, so restore it before failing back`,
          );
        if (ctx.job.dryRun)
          return void (await ctx.log(
            'info',
            `dry run: would shut ${row.vmName} down (${vm.powerState} now)`,
          ));
        const how = await session.operations.shutdownGuest(vm.id, { timeoutMs });
        await ctx.log('info', `${row.vmName}: ${how}`);
      });
      return items.length === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
    step(`${p2}final sync`, async (ctx) => {
      const pairs = await vsAt(ctx, [3]);
      for (const pair of pairs) {
        if (ctx.job.dryRun) {
          await ctx.log('info', `dry run: ${pair.sourceVmName} would get a final app-consistent point`);
          continue;
        }
        const tag = `failback ${ctx.job.id}`;
        if ((await ctx.store.recoveryPoints.list(pair.id, 50)).some((p) => p.tag === tag)) continue;
        await ctx.store.recoveryPoints.add(pair.id, { consistency: 'app', tag });
      }
      if (!ctx.job.dryRun && pairs.length)
        await ctx.log(
          'info',
          'the recovered VMs are off: the original disks hold their last writes (no data loss)',
        );
      return pairs.length === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
    step(
      `${p2}mark the pairs failover-pending`,
      async (ctx) => {
        const pairs = await pairsAt(ctx, plan, [3]);
        if (ctx.job.dryRun) {
          for (const p of pairs)
            await ctx.log('info', `dry run: ${p.sourceVmName} would go to 'failover-pending' (reverse)`);
          return undefined;
        }
        let moved = 0;
        for (const p of pairs)
          moved += await advance(ctx, [p], [p.state, 'failover-pending'], `failback (job ${ctx.job.id})`);
        if (moved) await ctx.log('info', `${moved} pair(s) 'failover-pending'`);
        return moved === 0 ? 'skipped' : undefined;
      },
      false,
    ),
    ...input.platforms.flatMap((p) => p.failbackFailover(plan)),
    step(`${p2}detach the original disks from the master target`, async (ctx) => {
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
            `dry run: would detach ${d.fileName} from ${mt.vmName} SCSI ${d.slot.controller}:${d.slot.unit} (file kept)`,
          ));
        if ((await session.operations.detachDisk(mt.vmId, d.fileName)) === 'detached') detached++;
      });
      if (!ctx.job.dryRun) await ctx.log('info', `${detached} disk(s) detached from ${mt.vmName}`);
      return detached === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
    step(`${p2}attach the disks to the original VMs`, async (ctx) => {
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
              `dry run: would attach ${d.fileName} to ${original.vmName} at SCSI ${d.original.controller}:${d.original.unit}`,
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
      if (!ctx.job.dryRun) await ctx.log('info', `${attached} disk(s) back on their original VMs`);
      return attached === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
  ];

  for (const { group, waves } of powerWaves(plan)) {
    steps.push(
      step(`${p2}power on boot group ${group} on ${plan.source.site}`, async (ctx) => {
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
                `dry run: would power on ${original.vmName} on ${plan.source.site}`,
              ));
            const session = await ctx.sessions.get(original.endpointId);
            if ((await session.operations.powerOn(original.vmId!)) === 'powered-on') on++;
          });
        }
        if (!ctx.job.dryRun) await ctx.log('info', `boot group ${group}: ${on} VM(s) powered on`);
        return at.length === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
      }),
    );
    for (const planStep of plan.steps.filter((s) => s.after === group)) {
      if (isMessageStep(planStep)) {
        steps.push(
          step(
            `${p2}message after group ${group}`,
            async (ctx) => {
              if ((await pairsAt(ctx, plan, [4])).length === 0 && !ctx.job.dryRun) return 'skipped';
              if (ctx.job.dryRun) {
                await ctx.log('info', `dry run: would wait for an acknowledgement of: ${planStep.message}`);
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
            `${p2}script after group ${group}: ${command}`,
            async (ctx) => {
              if ((await pairsAt(ctx, plan, [4])).length === 0 && !ctx.job.dryRun) return 'skipped';
              if (ctx.job.dryRun) {
                await ctx.log('info', `dry run: would run ${command} (timeout ${timeoutSeconds} s)`);
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
      `${p3}keep the original VMs and mark the pairs failed-over`,
      async (ctx) => {
        const pairs = await pairsAt(ctx, plan, [4]);
        const vs = pairs.filter((p) => p.platform === 'vsphere');
        const layout = vs.length > 0 ? await reverseLayout(ctx, plan, await reverseMt(ctx), vs) : new Map();
        for (const pair of vs) {
          const { original } = layout.get(pair.id)!;
          if (ctx.job.dryRun) {
            await ctx.log(
              'info',
              `dry run: ${original.vmName} would be kept; its pair goes to 'failed-over'`,
            );
            continue;
          }
          const session = await ctx.sessions.get(original.endpointId);
          const vm = await session.operations.findVm({ id: original.vmId! });
          if (vm?.powerState !== 'poweredOn')
            throw new ApiError(
              'conflict',
              `${original.vmName} is ${vm ? vm.powerState : 'gone'} on ${plan.source.site}; power it on (or run the failback again) before committing`,
            );
        }
        if (ctx.job.dryRun) return undefined;
        const moved = await advance(
          ctx,
          pairs,
          ['failover-pending', 'failed-over'],
          `failback commit (job ${ctx.job.id})`,
        );
        if (moved) await ctx.log('info', `${moved} machine(s) run on ${plan.source.site} again`);
        return moved === 0 ? 'skipped' : undefined;
      },
      false,
    ),

    // ------------------------------------------------ phase 4: protect again in the original direction
    step(`${p4}remove the recovered VMs on ${plan.target.site}, keeping their disks`, async (ctx) => {
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
            `dry run: would detach ${row.disks.map((d) => d.fileName).join(', ')} (files kept) and delete ${row.vmName}`,
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
          removed.length ? `removed, disks kept: ${removed.join(', ')}` : 'no recovered VM left',
        );
      return rows.length === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
    step(`${p4}attach the replica disks to the master target in their slots`, async (ctx) => {
      const pairs = await vsAt(ctx, [5]);
      if (pairs.length === 0) return 'skipped';
      const disks = await replicaDisksOf(ctx, plan, pairs);
      let attached = 0;
      await ctx.parallel(disks, plan.parallelism, async ({ mt, d }) => {
        if (ctx.job.dryRun)
          return void (await ctx.log(
            'info',
            `dry run: would attach ${d.fileName} to ${mt.vmName} at SCSI ${d.controller}:${d.unit}`,
          ));
        const session = await mtSession(ctx, mt);
        if ((await session.operations.attachDisk(mt.vmId, d)) === 'attached') attached++;
      });
      if (!ctx.job.dryRun) await ctx.log('info', `${attached} replica disk(s) back on their master target`);
      return attached === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
    step(`${p4}free the slots on the original site's master target`, async (ctx) => {
      const pairs = await vsAt(ctx, [5]);
      if (pairs.length === 0) return 'skipped';
      const mt = await reverseMt(ctx);
      if (ctx.job.dryRun) {
        for (const p of pairs)
          await ctx.log('info', `dry run: ${p.sourceVmName} would give its slots on ${mt.name} back`);
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
      await ctx.log('info', `${ids.length} pair(s) gave their slots on ${mt.name} back`);
      return undefined;
    }),
    step(
      `${p4}replicate forward to ${plan.target.site} again`,
      async (ctx) => {
        const pairs = await pairsAt(ctx, plan, [5, 6]);
        const what = `replication runs from ${plan.source.site} to the replica disks on ${plan.target.masterTarget} again: checksums compared, only the blocks that differ sent`;
        if (ctx.job.dryRun) {
          for (const p of pairs)
            await ctx.log(
              'info',
              `dry run: ${p.sourceVmName} would go 'committed' → 'reprotecting' (forward)`,
            );
          await ctx.log('info', `dry run: ${what}`);
          await ctx.log(
            'info',
            `dry run: the recovery points of the replicas on ${plan.source.site} would be dropped`,
          );
          return undefined;
        }
        await dropRecoveryPoints(ctx, pairs, plan.source.site);
        const moved = await advance(
          ctx,
          pairs,
          ['failed-over', 'committed', 'reprotecting'],
          `failback (job ${ctx.job.id})`,
        );
        if (moved > 0) await ctx.log('info', `${moved} pair(s) reprotecting; ${what}`);
        return moved === 0 ? 'skipped' : undefined;
      },
      false,
    ),
    ...input.platforms.flatMap((p) => p.failbackReprotect(plan)),
    step(
      `${p4}wait for the resync`,
      async (ctx) => {
        if (ctx.job.dryRun) {
          await ctx.log(
            'info',
            `dry run: would wait until every pair is protected from ${plan.source.site} to ${plan.target.site}`,
          );
          return undefined;
        }
        await waitForStage(ctx, plan, 8, 'the forward resync');
        await ctx.log(
          'info',
          `failback done: every pair is protected from ${plan.source.site} to ${plan.target.site}`,
        );
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
      throw new ApiError('invalid-input', 'shutdownTimeoutSec is a whole number of seconds, 1 or more');
    return prepareReverse('failback')(request, store);
  },
  steps: (_job, input) => failbackSteps(reverseInputOf(input)),
};
