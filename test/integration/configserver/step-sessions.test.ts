import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realConnectors } from '../../../core/connectors';
import type { TaskRef } from '../../../core/inventory/operations';
import {
  createLabEstate,
  type LabEstate,
  LabInventorySource,
  labEndpointOf,
  setLabTiming,
} from '../../../core/lab';
import { vmRef } from '../../../core/vsphere';
import { JobRunner, type Workflow } from '../../../server/jobs';
import { labConnectors } from '../../../server/lab/connectors';
import { saidIn } from '../../../shared/i18n/said-words';
import { say } from '../../../shared/i18n/worded';
import type { Job } from '../../../shared/schemas/job';
import { type HypervDoublePair, startHypervDoublePair } from '../../hyperv-double';
import { openSim, startVcsim, type Vcsim } from '../../vcsim/harness';
import { openTestDb, startTestServer, type TestDb, type TestServer, waitFor } from './harness';

/**
 * A workflow step reaches an endpoint only through ctx.sessions and the connector-neutral
 * operations: the same step, written once and without a cast, powers a VM off on vCenter
 * (vcsim), on a Hyper-V host (the SSH double) and on the lab.
 */
const powerOffWorkflow: Workflow = {
  kind: 'remove',
  steps(_job, input) {
    return [
      {
        name: `power off ${String(input.vm)}`,
        async run(ctx) {
          const { operations, endpoint } = await ctx.sessions.get(String(input.endpoint));
          // An operation that fails, for the words its error reaches the job with.
          if (input.vmId) await operations.powerOff(String(input.vmId));
          if (input.datastore) await operations.datastoreSpace([String(input.datastore)]);
          const vm = await operations.findVm({ name: String(input.vm) });
          if (!vm) throw new Error(`no VM ${String(input.vm)} on ${endpoint.name}`);
          const outcome = await operations.powerOff(vm.id);
          await ctx.log(
            'info',
            say({ 'test.poweredOff': '{vm} on {endpoint}: {outcome}' }, 'test.poweredOff', {
              vm: vm.name,
              endpoint: endpoint.name,
              outcome,
            }),
          );
          return outcome === 'already-off' ? 'skipped' : undefined;
        },
      },
    ];
  },
};

async function finished(t: TestServer, id: string): Promise<Job> {
  return waitFor(
    async () => {
      const j = await t.admin.getJob(id);
      return j.state === 'succeeded' || j.state === 'failed' || j.state === 'cancelled' ? j : null;
    },
    `job ${id}`,
    30_000,
  );
}

describe('a step powers a VM off through ctx.sessions', () => {
  let vc: Vcsim;
  let hv: HypervDoublePair;
  let tdb: TestDb;
  let t: TestServer;

  beforeAll(async () => {
    [vc, hv, tdb] = await Promise.all([
      startVcsim({ username: 'admin@lab', password: 'vc-secret', standaloneHosts: 0, vmsPerPool: 2 }),
      startHypervDoublePair(),
      openTestDb('pglite'),
    ]);
    t = await startTestServer(tdb.db, {
      workflows: [powerOffWorkflow],
      connectors: realConnectors,
    });
    await t.admin.addSite('ams', 'primary');
  });

  afterAll(async () => {
    await t?.close();
    await tdb?.drop();
    await vc?.stop();
    await hv?.stop();
  });

  it('on vCenter (vcsim), recording the vCenter task on the step', async () => {
    const ep = await t.admin.addEndpoint({
      site: 'ams',
      name: 'vc-ams',
      target: { kind: 'vsphere', url: vc.url, username: vc.username },
      secrets: { password: vc.password },
      trust: { kind: 'thumbprint', thumbprint: vc.thumbprint },
    });
    const direct = await openSim(vc);
    try {
      const target = (await direct.fetchInventory()).vms.find((v) => v.powerState === 'poweredOn')!;
      const job = await t.admin.createJob({
        kind: 'remove',
        input: { endpoint: ep.id, vm: target.name },
      });
      const done = await finished(t, job.id);
      expect(done.error).toBeNull();
      expect(done.state).toBe('succeeded');
      expect(await direct.vm.powerState(vmRef(target.id))).toBe('poweredOff');
      const step = done.steps[0]!;
      expect(step.tasks).toHaveLength(1);
      expect(step.tasks![0]).toMatchObject({ endpointId: ep.id, id: expect.stringMatching(/^task-/) });
      expect(step.log.map((l) => l.message)).toContain(`${target.name} on vc-ams: powered-off`);

      // Run again: the step looks first and changes nothing.
      const again = await finished(
        t,
        (await t.admin.createJob({ kind: 'remove', input: { endpoint: ep.id, vm: target.name } })).id,
      );
      expect(again.steps[0]!.state).toBe('skipped');
      expect(again.steps[0]!.tasks ?? []).toHaveLength(0);
    } finally {
      await direct.close();
    }
  });

  it('on a Hyper-V host (the SSH double)', async () => {
    const ep = await t.admin.addEndpoint({
      site: 'ams',
      name: 'hv-ams',
      target: {
        kind: 'hyperv',
        host: hv.primary.host,
        port: hv.primary.port,
        username: hv.credentials.username,
      },
      secrets: { password: hv.credentials.password },
      trust: { kind: 'host-key', fingerprint: hv.primary.fingerprint },
    });
    expect(hv.primary.model.vmByName('web01')?.state).toBe('Running');
    const job = await t.admin.createJob({ kind: 'remove', input: { endpoint: ep.id, vm: 'web01' } });
    const done = await finished(t, job.id);
    expect(done.error).toBeNull();
    expect(done.state).toBe('succeeded');
    expect(hv.primary.model.vmByName('web01')?.state).toBe('Off');
    expect(done.steps[0]!.log.map((l) => l.message)).toContain('web01 on hv-ams: powered-off');
  });

  it("words a failing operation's error in the job, as a Dutch console reads it", async () => {
    const endpoints = await t.admin.listEndpoints();
    /** The job's error in English and as a Dutch console words it. */
    const failed = async (endpoint: string, input: Record<string, string>) => {
      const id = endpoints.find((e) => e.name === endpoint)!.id;
      const job = await t.admin.createJob({ kind: 'remove', input: { endpoint: id, ...input } });
      const done = await finished(t, job.id);
      expect(done.state).toBe('failed');
      return [done.error, saidIn('nl', done.error!, done.errorWords)];
    };
    expect(await failed('vc-ams', { vm: 'x', vmId: 'vm-987654' })).toEqual([
      "step 'power off x' failed: VirtualMachine vm-987654 was not found in vCenter; refresh the inventory",
      "stap 'power off x' is mislukt: VirtualMachine vm-987654 is niet gevonden in vCenter; vernieuw de inventaris",
    ]);
    // The reason is an entry of its own, worded with the sentence.
    expect(await failed('hv-ams', { vm: 'web01', datastore: 'ds-1' })).toEqual([
      "step 'power off web01' failed: datastoreSpace is not available on hyperv endpoints: a Hyper-V host has volumes, not datastores",
      "stap 'power off web01' is mislukt: datastoreSpace is niet beschikbaar op hyperv-eindpunten: een Hyper-V-host heeft volumes, geen datastores",
    ]);
  });

  it('refuses an endpoint whose pinned identity no longer matches, naming it', async () => {
    await t.server.db.query(`UPDATE endpoints SET trust = $2::jsonb WHERE name = $1`, [
      'vc-ams',
      JSON.stringify({ kind: 'thumbprint', thumbprint: '00'.repeat(32) }),
    ]);
    const job = await t.admin.createJob({
      kind: 'remove',
      input: { endpoint: 'vc-ams', vm: 'DC0_C0_RP0_VM0' },
    });
    const done = await finished(t, job.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/certificate|thumbprint/i);
  });
});

describe('on the lab', () => {
  let estate: LabEstate;
  let tdb: TestDb;
  let t: TestServer;
  let endpointId: string;

  beforeAll(async () => {
    estate = createLabEstate({ vms: 6 });
    setLabTiming(estate, { powerOffMs: 30 });
    tdb = await openTestDb('pglite');
    t = await startTestServer(tdb.db, { workflows: [powerOffWorkflow], connectors: labConnectors(estate) });
    await t.admin.addSite('ams', 'primary');
    const ep = await t.admin.addEndpoint({
      site: 'ams',
      name: 'lab-vc-ams',
      target: { kind: 'vsphere', url: estate.primary.source.url, username: 'administrator@vsphere.local' },
      secrets: { password: 'lab' },
      trustOnFirstUse: true,
    });
    endpointId = ep.id;
  });

  afterAll(async () => {
    await t?.close();
    await tdb?.drop();
  });

  it('powers a lab VM off with a recorded lab task', async () => {
    const target = estate.primary.vms.find((v) => v.powerState === 'poweredOn')!;
    const done = await finished(
      t,
      (await t.admin.createJob({ kind: 'remove', input: { endpoint: endpointId, vm: target.name } })).id,
    );
    expect(done.state).toBe('succeeded');
    expect(target.powerState).toBe('poweredOff');
    expect(done.steps[0]!.tasks).toHaveLength(1);
    expect(labEndpointOf(estate.primary).tasks.get(done.steps[0]!.tasks![0]!.id)?.operation).toBe(
      'PowerOffVM_Task',
    );
  });

  it('a step left running by a dead instance is resumed by waiting on its recorded task, not starting a second one', async () => {
    setLabTiming(estate, { powerOffMs: 800 });
    const target = estate.primary.vms.filter((v) => v.powerState === 'poweredOn')[1]!;
    const offs = () =>
      [...labEndpointOf(estate.primary).tasks.values()].filter((x) => x.operation === 'PowerOffVM_Task')
        .length;
    const runner = t.server.runner!;
    await runner.stop();
    const job = await t.admin.createJob({ kind: 'remove', input: { endpoint: endpointId, vm: target.name } });
    // The dead instance claimed the job, started the step, had the task accepted and recorded,
    // and was killed while waiting: the task runs on in the endpoint.
    const dead = new JobRunner(t.server.store, new Map([['remove', powerOffWorkflow]]), {
      workerId: 'dead',
      leaseSec: 1,
    });
    expect((await dead.claim())?.id).toBe(job.id);
    const before = offs();
    let recorded: TaskRef | null = null;
    const ops = new LabInventorySource(estate.primary).operations;
    const running = ops.powerOff(target.id, {
      onTask: (task) => {
        recorded = task;
      },
    });
    await waitFor(() => recorded, 'the task');
    const steps = (await t.admin.getJob(job.id)).steps.map((st) => ({
      ...st,
      state: 'running' as const,
      startedAt: new Date().toISOString(),
      tasks: [{ endpointId, ...recorded!, startedAt: new Date().toISOString() }],
    }));
    await t.server.db.query(
      `UPDATE jobs SET steps = $2::jsonb, lease_until = now() - interval '1 second' WHERE id = $1`,
      [job.id, JSON.stringify(steps)],
    );
    runner.start();
    const done = await finished(t, job.id);
    await running;
    expect(done.state).toBe('succeeded');
    expect(target.powerState).toBe('poweredOff');
    expect(offs() - before).toBe(1);
    const messages = done.steps[0]!.log.map((l) => l.message);
    expect(messages).toContain(`waiting on PowerOffVM_Task ${recorded!.id}, started before the interruption`);
    expect(messages).toContain(`${target.name} on lab-vc-ams: already-off`);
  });

  it('a runner that stops mid-task leaves the job running and released; the next start finishes it', async () => {
    setLabTiming(estate, { powerOffMs: 600 });
    const target = estate.primary.vms.filter((v) => v.powerState === 'poweredOn')[2]!;
    const runner = t.server.runner!;
    const job = await t.admin.createJob({ kind: 'remove', input: { endpoint: endpointId, vm: target.name } });
    await waitFor(
      async () => ((await t.admin.getJob(job.id)).steps[0]!.tasks?.length ?? 0) > 0,
      'the recorded task',
    );
    await runner.stop();
    const left = await t.admin.getJob(job.id);
    expect(left.state).toBe('running');
    expect(left.steps[0]!.state).toBe('running');
    expect(target.powerState).toBe('poweredOn'); // the stopped wait cancelled the task
    runner.start();
    const done = await finished(t, job.id);
    expect(done.state).toBe('succeeded');
    expect(target.powerState).toBe('poweredOff');
    expect(done.steps[0]!.log.map((l) => l.message).join('\n')).toMatch(/was cancelled/);
  });
});
