import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigServerClient } from '../../../core/configserver';
import { createLabEstate, type LabEstate, setLabTiming } from '../../../core/lab';
import { type Lab, startLab } from '../../../server/lab';
import type { Job, JobKind } from '../../../shared/schemas/job';
import { waitFor } from './harness';

/**
 * The lab as `npm start` opens it with no connection saved (startLab: seeded through the REST
 * API, the lab agent replicating) runs a whole cycle on one of its plans: planned failover →
 * commit → reprotect → failback, and ends where it started, protected from the original site;
 * the server's job runner stops in the middle of the failback and the job resumes when it starts.
 */
let estate: LabEstate;
let lab: Lab;
let client: ConfigServerClient;

beforeAll(async () => {
  estate = createLabEstate({ vms: 9 });
  // Quick lab tasks: the cycle, not the lab's realistic task durations, is under test.
  setLabTiming(estate, {
    powerOnMs: 5,
    powerOffMs: 5,
    shutdownGuestMs: 5,
    createVmMs: 5,
    deleteVmMs: 5,
    reconfigureMs: 5,
    createDiskMs: 5,
    deleteFileMs: 5,
    snapshotMs: 5,
  });
  lab = await startLab({
    estate,
    agent: { tickMs: 200, rateMbps: 50_000_000, errorChance: 0, burstChance: 0 },
  });
  client = new ConfigServerClient({ url: lab.url, token: lab.adminToken });
}, 120_000);

afterAll(async () => {
  client?.close();
  await lab?.stop();
});

async function run(kind: JobKind): Promise<Job> {
  const job = await client.createJob({ kind, planId: 'lab-linux' });
  const done = await waitFor(
    async () => {
      const j = await client.getJob(job.id);
      if (j.steps.some((s) => s.state === 'running' && s.prompt && !s.acknowledgedBy))
        await client.acknowledgeJob(j.id);
      return ['succeeded', 'failed', 'cancelled'].includes(j.state) ? j : null;
    },
    `${kind} job`,
    120_000,
  );
  if (done.state !== 'succeeded')
    throw new Error(
      `${kind} ${done.state}: ${done.error}\n${done.steps.flatMap((s) => s.log.map((l) => `${s.name}: ${l.message}`)).join('\n')}`,
    );
  return done;
}

describe('the seeded lab', () => {
  it('runs planned failover → commit → reprotect → failback on a plan and ends protected from the original site', async () => {
    const plan = await client.getPlan('lab-linux');
    const planPairs = async () => (await client.listPairs()).filter((p) => p.planId === plan.id);
    await waitFor(
      async () => (await planPairs()).every((p) => p.state === 'protected'),
      'the plan protected',
      120_000,
    );
    const names = plan.machines.map((m) => m.vm);
    const primary = (name: string) => estate.primary.vms.find((v) => v.name === name)!;
    const secondary = (name: string) => estate.secondary.vms.find((v) => v.name === name);
    const disksBefore = names.map((n) => primary(n).disks.map((d) => d.fileName));

    await run('planned-failover');
    expect(names.map((n) => secondary(n)?.powerState)).toEqual(names.map(() => 'poweredOn'));
    expect(names.map((n) => primary(n).powerState)).toEqual(names.map(() => 'poweredOff'));
    await run('commit');
    await run('reprotect');
    expect((await planPairs()).map((p) => [p.state, p.direction])).toEqual(
      names.map(() => ['protected', 'reverse']),
    );
    // The server stops in the middle of phase 2 (its job runner, as at a shutdown) and starts
    // again: the failback resumes at the interrupted step, which looks at the world again.
    setLabTiming(estate, { shutdownGuestMs: 3000 });
    const started = await client.createJob({ kind: 'failback', planId: 'lab-linux' });
    await waitFor(
      async () =>
        (await client.getJob(started.id)).steps.find((s) => / shut down the recovered VMs/.test(s.name))
          ?.state === 'running',
      'the shutdown step',
      120_000,
    );
    await lab.server.runner!.stop();
    setLabTiming(estate, { shutdownGuestMs: 5 });
    lab.server.runner!.start();
    const failback = await waitFor(
      async () => {
        const j = await client.getJob(started.id);
        if (j.steps.some((s) => s.state === 'running' && s.prompt && !s.acknowledgedBy))
          await client.acknowledgeJob(j.id);
        return ['succeeded', 'failed', 'cancelled'].includes(j.state) ? j : null;
      },
      'the resumed failback',
      120_000,
    );
    expect(failback.error).toBeNull();
    expect(failback.steps.map((s) => s.name)).toContainEqual(expect.stringMatching(/^phase 4\/4 /));
    // No VM twice, no disk on two VMs.
    const all = [...estate.primary.vms, ...estate.secondary.vms];
    expect(new Set(all.map((v) => v.name)).size).toBe(all.length);
    const files = all.flatMap((v) => v.disks.map((d) => d.fileName));
    expect(new Set(files).size).toBe(files.length);

    expect((await planPairs()).map((p) => [p.state, p.direction])).toEqual(
      names.map(() => ['protected', 'forward']),
    );
    expect(names.map((n) => primary(n).powerState)).toEqual(names.map(() => 'poweredOn'));
    expect(names.map((n) => primary(n).disks.map((d) => d.fileName))).toEqual(disksBefore);
    expect(names.map((n) => secondary(n))).toEqual(names.map(() => undefined));
  }, 300_000);
});
