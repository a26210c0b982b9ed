import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabEstate, type LabEstate, setLabTiming } from '../../../core/lab';
import type { Job, JobKind } from '../../../shared/schemas/job';
import { openTestDb, startLabTestServer, type TestDb, type TestServer, waitFor } from './harness';

/**
 * Protecting a Hyper-V machine of the lab: the lab's Hyper-V hosts run the Hyper-V Replica
 * cmdlets protect needs (core/lab/hyperv-replica.ts), so the console's Protect wizard can take a
 * Hyper-V VM on the lab to a protected pair; failing a lab replica over is refused with why.
 */
let estate: LabEstate;
let tdb: TestDb;
let t: TestServer;
const vm = 'ams-hv-lab-01';

async function run(kind: JobKind, dryRun = false): Promise<Job> {
  const job = await t.admin.createJob({ kind, planId: 'hv', dryRun, input: {} });
  return waitFor(
    async () => {
      const j = await t.admin.getJob(job.id);
      return ['succeeded', 'failed', 'cancelled'].includes(j.state) ? j : null;
    },
    `${kind} job`,
    30_000,
  );
}

const lines = (job: Job) => job.steps.flatMap((s) => s.log.map((l) => l.message));

beforeAll(async () => {
  estate = createLabEstate({ vms: 6 });
  setLabTiming(estate, { hypervInitialCopyMs: 300 });
  tdb = await openTestDb('pglite');
  t = await startLabTestServer(tdb.db, estate);
  for (const [site, doc] of [
    ['ams', estate.hypervPrimary],
    ['rtm', estate.hypervReplica],
  ] as const)
    await t.admin.addEndpoint({
      site,
      name: doc.source.host,
      target: { kind: 'hyperv', host: doc.source.host, port: 22, username: 'LAB\\siteshift' },
      secrets: { password: 'lab' },
      trustOnFirstUse: true,
    });
  await t.admin.applyPlan({
    name: 'hv',
    source: { site: 'ams' },
    target: { site: 'rtm' },
    policy: { rpoThresholdMinutes: 15, retentionHours: 4, appConsistentEveryMinutes: 120 },
    machines: [{ vm }],
  });
}, 120_000);

afterAll(async () => {
  await t?.close();
  await tdb?.drop();
});

describe('Hyper-V protect on the lab', () => {
  it('is ready: the replica server accepts replication and its storage has room', async () => {
    const report = await t.admin.planReadiness('hv', 'protect');
    const failed = report.checks.filter((c) => c.status === 'fail');
    expect(failed).toEqual([]);
    expect(report.checks.some((c) => c.id.startsWith('hyperv.') && c.status === 'pass')).toBe(true);
  });

  it('a dry run says what Enable-VMReplication would do and changes nothing', async () => {
    const before = JSON.stringify([estate.hypervPrimary, estate.hypervReplica]);
    const job = await run('protect', true);
    expect(job.state, job.error ?? '').toBe('succeeded');
    expect(lines(job).join('\n')).toMatch(
      new RegExp(
        `would enable Hyper-V Replica of ${vm} from hv-ams-01.lab.local to hv-rtm-01.lab.local \\(Certificate, port 443, every 300 s, 4 recovery point`,
      ),
    );
    expect(JSON.stringify([estate.hypervPrimary, estate.hypervReplica])).toBe(before);
  });

  it('protect enables replication, copies, and the pair is protected with a replica on the replica host', async () => {
    const job = await run('protect');
    expect(job.state, `${job.error}\n${lines(job).join('\n')}`).toBe('succeeded');
    const pair = (await t.admin.listPairs()).find((p) => p.sourceVmName === vm)!;
    expect(pair).toMatchObject({ platform: 'hyperv', state: 'protected' });
    const primary = estate.hypervPrimary.vms.find((v) => v.name === vm)!;
    expect(primary.replication).toMatchObject({ mode: 'Primary', state: 'Replicating', frequencySec: 300 });
    const replica = estate.hypervReplica.vms.find((v) => v.id === primary.id)!;
    expect(replica).toMatchObject({ name: vm, state: 'Off', host: 'hv-rtm-01.lab.local' });
    expect(replica.replication).toMatchObject({ mode: 'Replica', state: 'Replicating' });
    // Again: nothing left to do.
    const again = await run('protect');
    expect(again.state).toBe('succeeded');
    expect(lines(again).some((l) => /Hyper-V Replica enabled/.test(l))).toBe(false);
  });

  it('a changed policy says the replicating Hyper-V machines keep their settings until protect sets it on them', async () => {
    const plan = await t.admin.getPlan('hv');
    const file = (rpoThresholdMinutes: number) => ({
      name: 'hv',
      source: { site: 'ams' },
      target: { site: 'rtm' },
      policy: { ...plan.policy, rpoThresholdMinutes },
      machines: [{ vm }],
    });
    const v = await t.admin.validatePlan(file(60));
    expect(v.valid).toBe(true);
    expect(v.issues).toEqual([
      {
        severity: 'warning',
        path: 'policy',
        message: `${vm} keeps the Hyper-V Replica settings it was enabled with (every 300 s, 4 recovery points, app-consistent every 2 h) until the plan is protected again: Protect sets the new policy on its replication (Set-VMReplication)`,
        messageWords: {
          key: 'plan.hvPolicy.one',
          params: { machines: vm, frequency: 300, count: 4, vss: 2 },
        },
      },
    ]);
    // A policy Hyper-V Replica reads the same way (still every 5 minutes) says nothing.
    expect((await t.admin.validatePlan(file(10))).issues).toEqual([]);

    // Saved, then protected again: the lab's hosts take it as Hyper-V's would.
    await t.admin.applyPlan(file(60));
    const job = await run('protect');
    expect(job.state, `${job.error}\n${lines(job).join('\n')}`).toBe('succeeded');
    expect(lines(job)).toContain(
      `${vm}: Hyper-V Replica set to the plan's policy (every 900 s, 4 recovery points, app-consistent every 2 h); it ran every 300 s`,
    );
    const primary = estate.hypervPrimary.vms.find((v) => v.name === vm)!;
    expect(primary.replication).toMatchObject({ mode: 'Primary', state: 'Replicating', frequencySec: 900 });
    const replica = estate.hypervReplica.vms.find((v) => v.id === primary.id)!;
    expect(replica.replication).toMatchObject({ mode: 'Replica', frequencySec: 900 });
    expect((await t.admin.validatePlan(file(60))).issues).toEqual([]);
  });

  it('a lab replica is not failed over: the job says so instead of pretending', async () => {
    const job = await run('test-failover');
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(
      /does not model Hyper-V Replica failover; fail Hyper-V machines over on a real host/,
    );
  });
});
