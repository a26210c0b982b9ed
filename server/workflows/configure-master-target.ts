import { masterTargetConfigureInputSchema } from '../../shared/configserver';
import { ApiError } from '../../shared/errors';
import { joined } from '../../shared/i18n/list-words';
import { sayRefusal } from '../../shared/i18n/refusal-words';
import { sayStep, stepError } from '../../shared/i18n/step-words';
import type { StepContext, Workflow } from '../jobs';
import { checkMasterTarget, type MasterTargetPlan } from '../master-targets';
import { checkLine, step } from './common';

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
    for (const c of failed) await ctx.log('error', checkLine(c));
    throw stepError(
      'conflict',
      sayStep('stepError.cannotBeMt', {
        vm: request.vm,
        name: check.name,
        findings: joined(
          failed.map((c) => ({ text: c.message, words: c.messageWords })),
          'then',
        ),
      }),
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
        sayRefusal('refusal.configureMtInput', {
          issues: parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '),
        }),
      );
    }
    return { planId: null, pairIds: [], input: parsed.data };
  },
  // The master target is known by its name (plans name it); it is the VM's name unless given.
  subject(input) {
    const request = masterTargetConfigureInputSchema.parse(input);
    return request.name ?? request.vm;
  },
  steps(_job, input) {
    return [
      step(
        sayStep('jobStep.mt.checkVm'),
        async (ctx) => {
          const { check } = await planOf(ctx, input);
          for (const c of check.checks.filter((x) => x.status === 'warn'))
            await ctx.log('warn', checkLine(c));
          const vm = {
            vm: String(check.vm?.name),
            endpoint: String(check.vm?.endpointName),
            family: String(check.vm?.osFamily),
            free: check.slotsFree,
          };
          await ctx.log(
            'info',
            check.retention
              ? sayStep('stepLog.mtVmRetention', { ...vm, datastore: check.retention.datastore })
              : sayStep('stepLog.mtVm', vm),
          );
          if (check.changes.length === 0) await ctx.log('info', sayStep('stepLog.nothingToChange'));
          // A change is said by the master-target check (server/master-targets.ts), as it wrote it.
          if (ctx.job.dryRun)
            for (const c of check.changes)
              await ctx.log('info', sayStep('stepLog.dryRun.change', { change: c }));
          return undefined;
        },
        false,
      ),
      step(sayStep('jobStep.mt.register'), async (ctx) => {
        const plan = await planOf(ctx, input);
        const { check } = plan;
        if (ctx.job.dryRun) {
          const slots = plan.reservedSlots.map((s) => `SCSI ${s.controller}:${s.unit}`).join(', ');
          const retention = check.retention?.datastore;
          const key =
            `stepLog.dryRun.mt.${check.existing ? 'update' : 'register'}${slots ? 'Slots' : ''}${retention ? 'Retention' : ''}` as const;
          await ctx.log(
            'info',
            sayStep(key, {
              name: check.name,
              vm: plan.vm.name,
              family: plan.osFamily,
              ...(slots ? { slots } : {}),
              ...(retention ? { datastore: retention } : {}),
            }),
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
          await ctx.log('info', sayStep('stepLog.mtConfiguredAlready', { name: check.name }));
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
          sayStep(created ? 'stepLog.mtRegistered' : 'stepLog.mtUpdated', {
            name: masterTarget.name,
            id: masterTarget.id,
            free: masterTarget.slotsFree,
          }),
        );
        return undefined;
      }),
      step(sayStep('jobStep.mt.addScsi'), async (ctx) => {
        const plan = await planOf(ctx, input);
        if (plan.busesToAdd.length === 0) {
          await ctx.log('info', sayStep('stepLog.scsiPresent'));
          return 'skipped';
        }
        let added = 0;
        for (const bus of plan.busesToAdd) {
          if (ctx.job.dryRun) {
            await ctx.log('info', sayStep('stepLog.dryRun.addPvscsi', { bus, vm: plan.vm.name }));
            continue;
          }
          if ((await plan.session.operations.ensureScsiController(plan.vm.id, bus, 'pvscsi')) === 'added')
            added++;
        }
        if (!ctx.job.dryRun)
          await ctx.log('info', sayStep('stepLog.scsiControllersAdded', { vm: plan.vm.name, count: added }));
        return undefined;
      }),
    ];
  },
};
