import { describe, expect, it } from 'vitest';
import { realConnectors } from '../../../core/connectors';
import { LabAgent } from '../../../server/lab/agent';
import type { Job } from '../../../shared/schemas/job';
import { readSim } from '../../vcsim/harness';
import { type Relay, relay } from '../../vcsim/relay';
import {
  expectNothingTwice,
  expectOk,
  expectSoundWorld,
  finished,
  prepare,
  startWorld,
  type World,
} from './failover-world';
import { openTestDb, startTestServer, type TestServer, waitFor } from './harness';

/**
 * The secondary vCenter drops in the middle of a failover: the configuration server reaches it
 * through a TCP relay the test cuts (every connection reset, new ones refused) at the moment
 * vCenter receives a CreateVM_Task, so that the create goes on there while its answer is lost.
 * The job engine retries the step on DESIGN.md's schedule (1, 2, 4, 8, 10, 30 minutes, here in
 * seconds). When vCenter comes back within the budget, the job completes; when it does not, the
 * job fails with the step, the cause and the attempts, and a rollback then a new failover bring the
 * plan through. Either way nothing is created twice and no replica disk is on two VMs.
 */
const CREATE = 'create the recovered VMs';

interface Setup {
  w: World;
  net: Relay;
  t: TestServer;
  close(): Promise<void>;
}

async function setup(retryDelaysMs: number[]): Promise<Setup> {
  const w = await startWorld({
    methodDelay: { CreateVM_Task: 2000, PowerOnVM_Task: 300 },
    logCalls: ['CreateVM_Task'],
  });
  const net = relay(new URL(w.secondary.url));
  await net.start();
  const tdb = await openTestDb('pglite');
  const t = await startTestServer(tdb.db, { connectors: realConnectors, jobRetryDelaysMs: retryDelaysMs });
  const agent = new LabAgent(t.as.agent, {
    tickMs: 200,
    burstChance: 0,
    errorChance: 0,
    rateMbps: 50_000_000,
  });
  agent.start();
  await prepare(t.admin, w, { parallelism: 2, secondaryUrl: `https://127.0.0.1:${net.port()}/sdk` });
  return {
    w,
    net,
    t,
    async close() {
      await agent.stop();
      await t.close();
      await tdb.drop();
      await net.cut().catch(() => {});
      await Promise.all([w.primary.stop(), w.secondary.stop()]);
    },
  };
}

/** Starts an unplanned failover and cuts the secondary vCenter off once it receives a create. */
async function failoverCutMidCreate(s: Setup): Promise<Job> {
  const sent = s.w.secondary.nextLog(/^call: CreateVM_Task$/, 120_000);
  const job = await s.t.admin.createJob({
    kind: 'unplanned-failover',
    planId: 'web',
    input: { point: 'latest', acceptSplitBrain: true },
  });
  expect(await sent, 'a CreateVM_Task reached vCenter').toBe(true);
  await s.net.cut();
  return job;
}

const createLog = (j: Job) =>
  j.steps.find((x) => x.name === CREATE)!.log.map((l) => `${l.level}: ${l.message}`);
const creates = (w: World) => w.secondary.calls().filter((c) => c === 'CreateVM_Task').length;

describe('a vCenter that drops in the middle of a failover', () => {
  it('comes back within the retry budget: the step retries on the backoff schedule and the job completes', async () => {
    const s = await setup([1000, 2000, 4000, 8000, 10_000, 30_000]);
    try {
      const before = creates(s.w);
      const job = await failoverCutMidCreate(s);
      // Two failed attempts (the cut one, then one refused while vCenter is away) before it returns.
      const cutOff = await waitFor(
        async () => {
          const j = await s.t.admin.getJob(job.id);
          if (j.state !== 'running') throw new Error(`the job ended while vCenter was away: ${j.error}`);
          return createLog(j).some((l) => l.includes('attempt 3 in 2 s')) ? j : null;
        },
        'two failed attempts',
        60_000,
      );
      const retries = createLog(cutOff).filter((l) => l.includes('recoverable'));
      expect(retries).toHaveLength(2);
      expect(retries[0]).toMatch(/^warn: .*recoverable, attempt 2 in 1 s$/);
      expect(retries[1]).toMatch(/^warn: .*recoverable, attempt 3 in 2 s$/);
      await expectNothingTwice(s.w, 'while vCenter is away');
      await s.net.start();

      const done = await finished(s.t.admin, job.id);
      expectOk(done);
      // The creates vCenter finished while cut off were found, not sent again.
      expect(createLog(done).some((l) => l.includes('found (created before the interruption)'))).toBe(true);
      expect(creates(s.w) - before).toBe(s.w.machines.length);
      expect((await s.t.admin.listPairs()).map((p) => p.state)).toEqual(
        s.w.machines.map(() => 'failover-pending'),
      );
      await expectSoundWorld(s.w);
    } finally {
      await s.close();
    }
  }, 600_000);

  it('stays away past the budget: the job fails with the step, the cause and the attempts; rollback and a new failover recover', async () => {
    const s = await setup([500, 1000]);
    try {
      const before = creates(s.w);
      const job = await failoverCutMidCreate(s);
      const failed = await finished(s.t.admin, job.id);
      expect(failed.state).toBe('failed');
      expect(failed.error).toMatch(
        /^step 'create the recovered VMs' failed: .*127\.0\.0\.1.* \(after 3 attempts\); once the endpoint answers again, roll this failover back and start it again$/,
      );
      expect(createLog(failed).filter((l) => l.includes('recoverable'))).toHaveLength(2);
      // vCenter finishes the create it received when it dropped: a VM the job never recorded.
      const sent = creates(s.w) - before;
      expect(sent).toBeGreaterThanOrEqual(1);
      expect(sent).toBeLessThanOrEqual(s.w.machines.length);
      await waitFor(
        async () => (await readSim(s.w.secondary)).vms.some((v) => v.name.endsWith('-dr')),
        'the VM vCenter created after it dropped',
        20_000,
      );
      await expectNothingTwice(s.w, 'after the failed failover');

      await s.net.start();
      const rollback = await finished(
        s.t.admin,
        (await s.t.admin.createJob({ kind: 'rollback', planId: 'web' })).id,
      );
      expectOk(rollback);
      // The VMs vCenter created after the drop, never recorded by the job, went with the rollback:
      // no recovered VM left, every replica disk back on the master target alone.
      const back = await readSim(s.w.secondary);
      expect(back.vms.filter((v) => v.name.endsWith('-dr')).map((v) => v.name)).toEqual([]);
      const mt = back.vms.find((v) => v.name === s.w.mtVm)!;
      const sourceDisks = s.w.source.vms
        .filter((v) => s.w.machines.includes(v.name))
        .reduce((n, v) => n + v.disks.length, 0);
      expect(mt.disks.filter((d) => d.fileName.includes('siteshift-replicas/'))).toHaveLength(sourceDisks);
      await expectNothingTwice(s.w, 'after the rollback');
      expect((await s.t.admin.listPairs()).map((p) => p.state)).toEqual(s.w.machines.map(() => 'protected'));

      const again = await finished(
        s.t.admin,
        (
          await s.t.admin.createJob({
            kind: 'unplanned-failover',
            planId: 'web',
            input: { point: 'latest', acceptSplitBrain: true },
          })
        ).id,
      );
      expectOk(again);
      await expectSoundWorld(s.w);
    } finally {
      await s.close();
    }
  }, 600_000);
});
