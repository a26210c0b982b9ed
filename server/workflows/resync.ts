import { pairIsSaid } from '../../shared/i18n/pair-state-words';
import { sayStep, stepError } from '../../shared/i18n/step-words';
import type { Workflow } from '../jobs';
import { step } from './common';

/** Resync: start a checksum resync of each pair (the agent compares checksums and sends the differing blocks). */
export const resyncWorkflow: Workflow = {
  kind: 'resync',
  // Each step is named by its machine, as the operator knows it, not by the pair's id; the names
  // go into the input once, so the steps read the same at every run. (A pair not found is refused
  // by the job's creation.)
  async prepare(request, store) {
    const pairs = await store.pairs.getMany(request.pairIds);
    return {
      ...request,
      input: { ...request.input, vms: Object.fromEntries(pairs.map((p) => [p.id, p.sourceVmName])) },
    };
  },
  steps(job, input) {
    const vms = (input.vms ?? {}) as Record<string, string>;
    return job.pairIds.map((pairId) =>
      step(sayStep('jobStep.resync', { pair: vms[pairId] ?? pairId }), async (ctx) => {
        const pair = await ctx.store.pairs.get(pairId);
        if (pair.state === 'resyncing') {
          await ctx.log('info', sayStep('stepLog.alreadyResyncing', { vm: pair.sourceVmName }));
          return 'skipped';
        }
        if (pair.state !== 'protected' && pair.state !== 'resync-required') {
          throw stepError(
            'conflict',
            sayStep('stepError.cannotResync', { pairIs: pairIsSaid(pair.sourceVmName, pair.state) }),
          );
        }
        if (ctx.job.dryRun) {
          await ctx.log('info', sayStep('stepLog.dryRun.resync', { vm: pair.sourceVmName }));
          return undefined;
        }
        await ctx.store.pairs.startResync(pairId, `job ${ctx.job.id} by ${ctx.job.createdBy}`);
        await ctx.log('info', sayStep('stepLog.resyncStarted', { vm: pair.sourceVmName }));
        return undefined;
      }),
    );
  },
};
