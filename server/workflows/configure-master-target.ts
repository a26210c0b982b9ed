import { masterTargetConfigureInputSchema } from '../../shared/configserver';
import { ApiError } from '../../shared/errors';
import type { StepContext, Workflow } from '../jobs';
import { checkMasterTarget, type MasterTargetPlan } from '../master-targets';
import { step } from './common';

/**
 * Configure master target: check the VM (server/master-targets.ts), register or update it with
 * its slot map (the slots its own disks hold), OS family and retention datastore, and give it
 * the SCSI controllers its replica slots need. Each step reads the VM again, so a step run twice
 * (after a restart) finds the row written and the controllers present and does nothing more.
 */

async function planOf(ctx: StepContext, input: Record<string, unknown>): Promise<MasterTargetPlan> {
  const request = masterTargetConfigureInputSchema.parse(input);
  const { check, plan } = await checkMasterTarget(
    ctx.store,
    (endpointId) => ctx.sessions.get(endpointId),
    request,
    ctx.signal,
  );
  if (!plan) {
    const failed = check.checks.filter((c) => c.status === 'fail');
    for (const c of failed)
      await ctx.log('error', `${c.title}: ${c.message}${c.fix ? ` — fix: ${c.fix}` : ''}`);
    throw new ApiError(
      'conflict',
      `${request.vm} cannot be master target ${check.name}: ${failed.map((c) => c.message).join('; ')}`,
    );
  }
  return plan;
}

export const configureMasterTargetWorkflow: Workflow = {
  kind: 'configure-master-target',
  async prepare(request) {
    const parsed = masterTargetConfigureInputSchema.safeParse(request.input);
    if (!parsed.success) {
      throw new ApiError(
        'invalid-input',
        `configure master target: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`,
      );
    }
    return { planId: null, pairIds: [], input: parsed.data };
  },
  steps(_job, input) {
    return [
      step(
        'check the VM',
        async (ctx) => {
          const { check } = await planOf(ctx, input);
          for (const c of check.checks.filter((x) => x.status === 'warn'))
            await ctx.log('warn', `${c.title}: ${c.message}${c.fix ? ` — fix: ${c.fix}` : ''}`);
          await ctx.log(
            'info',
            `${check.vm?.name} on ${check.vm?.endpointName}: ${check.vm?.osFamily}, ${check.slotsFree} of 60 slots free${check.retention ? `, retention on ${check.retention.datastore}` : ''}`,
          );
          if (check.changes.length === 0) await ctx.log('info', 'nothing to change');
          if (ctx.job.dryRun) for (const c of check.changes) await ctx.log('info', `dry run: would ${c}`);
          return undefined;
        },
        false,
      ),
      step('register the master target', async (ctx) => {
        const plan = await planOf(ctx, input);
        const { check } = plan;
        if (ctx.job.dryRun) {
          await ctx.log(
            'info',
            `dry run: would ${check.existing ? 'update' : 'register'} ${check.name}: VM ${plan.vm.name}, ${plan.osFamily}, own disks on ${plan.reservedSlots.map((s) => `SCSI ${s.controller}:${s.unit}`).join(', ') || 'no SCSI slot'}, retention ${check.retention?.datastore ?? 'none'}`,
          );
          return undefined;
        }
        const same =
          check.existing &&
          check.existing.vmId === plan.vm.id &&
          check.existing.endpointId === plan.session.endpoint.id &&
          check.existing.osFamily === plan.osFamily &&
          check.existing.retentionDatastore === (check.retention?.datastore ?? null) &&
          JSON.stringify(check.existing.reservedSlots) === JSON.stringify(plan.reservedSlots);
        if (same) {
          await ctx.log('info', `${check.name} is configured already`);
          return 'skipped';
        }
        const { masterTarget, created } = await ctx.store.masterTargets.configure({
          siteId: plan.siteId,
          endpointId: plan.session.endpoint.id,
          name: check.name,
          vmId: plan.vm.id,
          vmName: plan.vm.name,
          osFamily: plan.osFamily,
          retentionDatastore: check.retention?.datastore ?? null,
          retentionFreeBytes: check.retention?.freeBytes ?? null,
          reservedSlots: plan.reservedSlots,
        });
        await ctx.log(
          'info',
          `${masterTarget.name} ${created ? 'registered' : 'updated'} (${masterTarget.id}): ${masterTarget.slotsFree} of 60 slots free`,
        );
        return undefined;
      }),
      step('add SCSI controllers', async (ctx) => {
        const plan = await planOf(ctx, input);
        if (plan.busesToAdd.length === 0) {
          await ctx.log('info', 'every SCSI controller needed is present');
          return 'skipped';
        }
        let added = 0;
        for (const bus of plan.busesToAdd) {
          if (ctx.job.dryRun) {
            await ctx.log(
              'info',
              `dry run: would add a paravirtual SCSI controller on bus ${bus} to ${plan.vm.name}`,
            );
            continue;
          }
          if ((await plan.session.operations.ensureScsiController(plan.vm.id, bus, 'pvscsi')) === 'added')
            added++;
        }
        if (!ctx.job.dryRun) await ctx.log('info', `${plan.vm.name}: ${added} SCSI controller(s) added`);
        return undefined;
      }),
    ];
  },
};
