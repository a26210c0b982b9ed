import { pairIsSaid, stateSaid } from '../../shared/i18n/pair-state-words';
import { sayStep, stepError } from '../../shared/i18n/step-words';
import type { Workflow } from '../jobs';
import {
  forgetRecovered,
  movePairs,
  pairsOf,
  planOf,
  preparePlan,
  recoveredRows,
  recoveredVmOf,
  replicaDisksOf,
  step,
  targetSession,
} from './common';
import { platformsOf } from './platforms';

/**
 * What follows a failover: cleanup of a test, commit, rollback. Each removes or keeps exactly
 * what the failover recorded in recovered_vms, and says what it did.
 */

/** Cleanup: the test VMs and the test copies of the disks go; nothing else is touched. */
export const cleanupTestWorkflow: Workflow = {
  kind: 'cleanup-test',
  prepare: preparePlan({ needsPairs: true }),
  steps(_job, input) {
    const plan = planOf(input);
    return [
      step(sayStep('jobStep.removeTestVms'), async (ctx) => {
        const pairs = [...(await pairsOf(ctx, plan)).values()];
        // Hyper-V's test VMs go with Stop-VMFailover (platforms/hyperv.ts).
        const rows = await recoveredRows(
          ctx,
          'test',
          pairs.filter((p) => p.platform === 'vsphere').map((p) => p.id),
        );
        if (rows.length === 0) return 'skipped';
        const target = await targetSession(ctx, plan);
        const removed: string[] = [];
        await ctx.parallel(rows, plan.parallelism, async (row) => {
          // The copies the test failover recorded for this VM: wherever the placement says now.
          const copies = row.disks.map((d) => d.fileName);
          if (ctx.job.dryRun) {
            await ctx.log(
              'info',
              sayStep('stepLog.dryRun.deleteTestVm', {
                vm: row.vmName,
                id: String(row.vmId),
                files: copies.join(', '),
              }),
            );
            return;
          }
          const vm = await recoveredVmOf(target, row);
          if (vm && (await target.operations.deleteVm(vm.id)) === 'deleted') removed.push(row.vmName);
          for (const f of copies) if ((await target.operations.deleteFile(f)) === 'deleted') removed.push(f);
          await forgetRecovered(ctx, row.pairId, 'test');
        });
        if (!ctx.job.dryRun)
          await ctx.log(
            'info',
            removed.length
              ? sayStep('stepLog.removed', { what: removed.join(', ') })
              : sayStep('stepLog.nothingToRemove'),
          );
        return undefined;
      }),
      ...platformsOf(input).flatMap((p) => p.cleanupTest(plan)),
      step(sayStep('jobStep.markProtected', { state: stateSaid('protected') }), async (ctx) =>
        movePairs(
          ctx,
          [...(await pairsOf(ctx, plan)).values()],
          'protected',
          ['test-failover-running'],
          `test cleanup (job ${ctx.job.id})`,
        ),
      ),
    ];
  },
};

/** Commit: the recovered VMs stay for good; pairs `failed-over`. */
export const commitWorkflow: Workflow = {
  kind: 'commit',
  prepare: preparePlan({ needsPairs: true }),
  steps(_job, input) {
    const plan = planOf(input);
    return [
      step(sayStep('jobStep.checkRecovered'), async (ctx) => {
        const pairs = [...(await pairsOf(ctx, plan)).values()];
        const rows = await recoveredRows(
          ctx,
          'failover',
          pairs.map((p) => p.id),
        );
        for (const p of pairs.filter((x) => x.state === 'failover-pending')) {
          const row = rows.find((r) => r.pairId === p.id);
          // Each recovered VM is looked for where it was recovered (a vCenter or a Hyper-V host).
          const where = row ? await ctx.sessions.get(row.endpointId) : null;
          if (!row?.vmId || !where || !(await where.operations.findVm({ id: row.vmId })))
            throw stepError('conflict', sayStep('stepError.nothingToCommit', { vm: p.sourceVmName }));
        }
        await ctx.log('info', sayStep('stepLog.recoveredKept', { count: rows.length }));
        return undefined;
      }),
      ...platformsOf(input).flatMap((p) => p.commit(plan)),
      step(sayStep('jobStep.markFailedOver', { state: stateSaid('failed-over') }), async (ctx) =>
        movePairs(
          ctx,
          [...(await pairsOf(ctx, plan)).values()],
          'failed-over',
          ['failover-pending'],
          `commit (job ${ctx.job.id})`,
        ),
      ),
    ];
  },
};

/** Rollback: recovered VMs removed, replica disks back on the master target in their slots, pairs protected. */
export const rollbackWorkflow: Workflow = {
  kind: 'rollback',
  prepare: preparePlan({ needsPairs: true }),
  steps(_job, input) {
    const plan = planOf(input);
    return [
      step(sayStep('jobStep.removeRecovered'), async (ctx) => {
        const pairs = [...(await pairsOf(ctx, plan)).values()];
        for (const p of pairs) {
          if (p.state !== 'failover-pending' && p.state !== 'protected' && p.state !== 'resync-required')
            throw stepError(
              'conflict',
              sayStep('stepError.cannotRollBack', { pairIs: pairIsSaid(p.sourceVmName, p.state) }),
            );
        }
        // Hyper-V's failovers are cancelled with Stop-VMFailover (platforms/hyperv.ts).
        const rows = await recoveredRows(
          ctx,
          'failover',
          pairs.filter((p) => p.platform === 'vsphere').map((p) => p.id),
        );
        if (rows.length === 0) return 'skipped';
        const target = await targetSession(ctx, plan);
        await ctx.parallel(rows, plan.parallelism, async (row) => {
          if (ctx.job.dryRun) {
            await ctx.log(
              'info',
              sayStep('stepLog.dryRun.detachAndDelete', {
                files: row.disks.map((d) => d.fileName).join(', '),
                vm: row.vmName,
              }),
            );
            return;
          }
          // A VM whose create was answered after the failover stopped is removed too: left
          // there, it would hold the replica disks the next step gives back to the master target.
          const vm = await recoveredVmOf(target, row);
          if (vm) {
            await target.operations.powerOff(vm.id);
            for (const d of row.disks) await target.operations.detachDisk(vm.id, d.fileName);
            await target.operations.deleteVm(vm.id);
            await ctx.log(
              'info',
              sayStep(row.vmId ? 'stepLog.recoveredRemoved' : 'stepLog.recoveredRemovedLate', {
                vm: row.vmName,
              }),
            );
          }
          await forgetRecovered(ctx, row.pairId, 'failover');
        });
        return undefined;
      }),
      step(sayStep('jobStep.reattachReplicaDisks'), async (ctx) => {
        const items = await replicaDisksOf(ctx, plan, [...(await pairsOf(ctx, plan)).values()]);
        if (items.length === 0) return 'skipped';
        const target = await targetSession(ctx, plan);
        let attached = 0;
        await ctx.parallel(items, plan.parallelism, async ({ mt, d }) => {
          if (ctx.job.dryRun)
            return void (await ctx.log(
              'info',
              sayStep('stepLog.dryRun.attachAt', {
                file: d.fileName,
                slot: `${d.controller}:${d.unit}`,
                vm: mt.vmName,
              }),
            ));
          if ((await target.operations.attachDisk(mt.vmId, d)) === 'attached') attached++;
        });
        if (!ctx.job.dryRun)
          await ctx.log(
            'info',
            sayStep('stepLog.replicaDisksBack', {
              count: attached,
              mts: [...new Set(items.map((i) => i.mt.vmName))].join(', '),
            }),
          );
        return attached === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
      }),
      ...platformsOf(input).flatMap((p) => p.rollback(plan)),
      step(sayStep('jobStep.markProtected', { state: stateSaid('protected') }), async (ctx) =>
        movePairs(
          ctx,
          [...(await pairsOf(ctx, plan)).values()],
          'protected',
          ['failover-pending'],
          `rollback (job ${ctx.job.id})`,
        ),
      ),
    ];
  },
};
