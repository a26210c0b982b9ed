import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../shared/configserver';
import { createDispatcher, type Dispatch } from '../../shared/dispatch';
import type { Job } from '../../shared/schemas/job';
import { tempBackend } from '../support/backend';

// The console's jobs calls (jobs:create / get / cancel / acknowledge), served by the console
// backend through its connection to the lab configuration server, and job:progress following them.
let env: Awaited<ReturnType<typeof tempBackend>>;
let call: Dispatch;
const connectionId = 'lab-configserver';
const seen: Job[] = [];

beforeAll(async () => {
  env = await tempBackend({ lab: { vms: 12 } });
  call = createDispatcher(env.backend.handlers);
  env.backend.onEvent((name, payload) => {
    if (name === 'job:progress') seen.push((payload as { job: Job }).job);
  });
});
afterAll(async () => {
  await env?.dispose();
});

async function until(id: string, done: (job: Job) => boolean): Promise<Job> {
  for (let i = 0; i < 300; i++) {
    const job = (await call('jobs:get', { id })) as Job;
    if (done(job)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not get there in 30 s`);
}

describe('console jobs calls', () => {
  it('runs a protect dry run, follows it by id and by job:progress, and refuses what cannot be done', async () => {
    const plan = (await call('plans:get', { connectionId, plan: 'lab-linux' })) as Plan;
    const job = (await call('jobs:create', {
      connectionId,
      kind: 'protect',
      planId: plan.id,
      dryRun: true,
    })) as Job;
    expect(job).toMatchObject({ kind: 'protect', dryRun: true, planId: plan.id });
    const done = await until(job.id, (j) => j.state !== 'queued' && j.state !== 'running');
    expect(done.state).toBe('succeeded');
    // The seeded plan is protected already (pairs and replica disks): its dry run finds that.
    expect(done.steps.flatMap((s) => s.log.map((l) => l.message)).some((m) => /^dry run: /.test(m))).toBe(
      true,
    );
    expect(seen.some((j) => j.id === job.id && j.state === 'succeeded')).toBe(true);
    expect(((await call('jobs:list', {})) as Job[]).map((j) => j.id)).toContain(job.id);

    await expect(call('jobs:cancel', { id: job.id })).rejects.toMatchObject({
      message: expect.stringMatching(/already ended/),
    });
    await expect(call('jobs:acknowledge', { id: job.id })).rejects.toBeInstanceOf(Error);
    await expect(call('jobs:get', { id: 'no-such-job' })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/no connected configuration server has a job with id 'no-such-job'/),
    });
    await expect(call('jobs:create', { connectionId, kind: 'sideways' })).rejects.toMatchObject({
      code: 'invalid-input',
    });
  }, 180_000);

  it('starts reprotect and failback through jobs:create; the lab plan, not failed over, is refused with what to do', async () => {
    const plan = (await call('plans:get', { connectionId, plan: 'lab-linux' })) as Plan;
    await expect(
      call('jobs:create', { connectionId, kind: 'reprotect', planId: plan.id, dryRun: true }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/runs on its original site|reprotect follows a committed failover/),
    });
    await expect(
      call('jobs:create', {
        connectionId,
        kind: 'failback',
        planId: plan.id,
        input: { shutdownTimeoutSec: 0 },
      }),
    ).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/shutdownTimeoutSec/) });
    await expect(
      call('jobs:create', { connectionId, kind: 'failback', planId: plan.id }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/nothing to fail back|failback follows a committed failover/),
    });
  }, 180_000);
});
