import { pairIsSaid } from '../../shared/i18n/pair-state-words';
import { sayStep, stepError } from '../../shared/i18n/step-words';
import type { Workflow } from '../jobs';
import { step } from './common';

/** Resync: start a checksum resync of each pair (the agent compares checksums and sends the differing blocks). */
export const resyncWorkflow: Workflow = {
  kind: 'resync',
  steps(job) {
    return job.pairIds.map((pairId) =>
      step(sayStep('jobStep.resync', { pair: pairId }), async (ctx) => {
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
