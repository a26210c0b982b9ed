import type { Workflow } from '../jobs';

/** Resync: start a checksum resync of each pair (the agent compares checksums and sends the differing blocks). */
export const resyncWorkflow: Workflow = {
  kind: 'resync',
  steps(job) {
    return job.pairIds.map((pairId) => ({
      name: `start resync of ${pairId}`,
      async run(ctx) {
        const pair = await ctx.store.pairs.get(pairId);
        if (pair.state === 'resyncing') {
          await ctx.log('info', `${pair.sourceVmName} is already resyncing`);
          return 'skipped';
        }
        if (pair.state !== 'protected' && pair.state !== 'resync-required') {
          throw new Error(
            `${pair.sourceVmName} is '${pair.state}'; only a protected or resync-required pair can be resynced`,
          );
        }
        if (ctx.job.dryRun) {
          await ctx.log('info', `dry run: ${pair.sourceVmName} would start resyncing now`);
          return;
        }
        await ctx.store.pairs.startResync(pairId, `job ${ctx.job.id} by ${ctx.job.createdBy}`);
        await ctx.log(
          'info',
          `${pair.sourceVmName}: resync started; the agent compares checksums and sends differing blocks`,
        );
      },
    }));
  },
};
