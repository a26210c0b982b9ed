import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigServerClient, type EventSubscription } from '../../../core/configserver';
import { LabAgent } from '../../../server/lab/agent';
import type { Job } from '../../../shared/schemas/job';
import { readSim } from '../../vcsim/harness';
import {
  expectNothingTwice,
  expectOk,
  expectSoundWorld,
  finished,
  prepare,
  startWorld,
  type World,
} from './failover-world';
import { type ServerProcess, ServerProcesses } from './harness';

/**
 * One unplanned failover whose configuration server is killed (SIGKILL) five times, each at a
 * point the test picks from what it sees, never after a sleep: the job's own progress on the event
 * stream (a step started, a step recorded its first vCenter task) or the secondary vCenter
 * receiving a CreateVM_Task (the create in flight on vCenter, its answer never read). The kills:
 *   1. mid-detach: one replica disk detached from the master target and recorded, the others not;
 *   2. between detach and create: the create step has just started;
 *   3. a CreateVM_Task sent and not answered (vCenter creates the VM after the server died);
 *   4. mid-create: a CreateVM_Task recorded on the step, its VM not yet recorded as recovered;
 *   5. mid-power-on: boot group 1's first PowerOnVM_Task recorded.
 * After each kill, while no server runs, no replica disk is on two VMs and no recovered VM exists
 * twice; after each restart (same PGlite data) the job resumes once the lease runs out. At the
 * end, read through the vSphere API: each recovered VM once and on, each replica disk on its
 * recovered VM only, and vCenter received exactly one create, one power-on per machine, one
 * customization and one detach per disk: no side effect happened twice.
 */
const LEASE_SEC = 4;
const servers = new ServerProcesses();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'siteshift-sigkill-steps-'));
});

afterAll(async () => {
  await servers.killAll();
  rmSync(dir, { recursive: true, force: true });
});

const DETACH = 'detach the replica disks from the master target';
const CREATE = 'create the recovered VMs';
const POWER_1 = 'power on boot group 1';
const COUNTED = ['ReconfigVM_Task', 'CreateVM_Task', 'PowerOnVM_Task', 'CustomizeVM_Task'];
const stepOf = (job: Job, name: string) => {
  const s = job.steps.find((x) => x.name === name);
  if (!s) throw new Error(`the job has no step '${name}': ${job.steps.map((x) => x.name).join(', ')}`);
  return s;
};

/**
 * Follows the job on the event stream (from `since`, so that nothing the server did before the
 * subscription is missed) and SIGKILLs the server at the first record for which `when` holds.
 * Resolves with that record and the subscription's last event id.
 */
function killWhen(
  c: ConfigServerClient,
  server: ServerProcess,
  jobId: string,
  since: string | null,
  when: (job: Job) => boolean,
  what: string,
): Promise<{ job: Job; lastId: string | null }> {
  return new Promise((resolve, reject) => {
    let sub: EventSubscription | null = null;
    const timer = setTimeout(() => {
      sub?.close();
      reject(new Error(`the job never reached: ${what}`));
    }, 180_000);
    sub = c.subscribe(
      (ev) => {
        if (ev.type !== 'job.progress' || ev.payload.job.id !== jobId) return;
        const job = ev.payload.job;
        if (['succeeded', 'failed', 'cancelled'].includes(job.state)) {
          clearTimeout(timer);
          sub?.close();
          reject(new Error(`the job ended (${job.state}: ${job.error}) before: ${what}`));
          return;
        }
        if (!when(job)) return;
        server.child.kill('SIGKILL');
        clearTimeout(timer);
        const lastId = sub?.lastId ?? null;
        sub?.close();
        resolve({ job, lastId });
      },
      { types: ['job.progress'], ...(since ? { since } : {}) },
    );
  });
}

const countCalls = (w: World) =>
  Object.fromEntries(COUNTED.map((m) => [m, w.secondary.calls().filter((c) => c === m).length]));

describe('a failover killed at five points and restarted each time', () => {
  it('resumes from each kill; nothing duplicated, nothing lost, each side effect once', async () => {
    const w = await startWorld({
      prefixes: ['DC0_C0_', 'DC0_H0_'],
      methodDelay: { ReconfigVM_Task: 800, CreateVM_Task: 2000, PowerOnVM_Task: 800 },
      logCalls: COUNTED,
    });
    const data = join(dir, 'pglite');
    const tokenFile = join(dir, 'token');
    const start = () =>
      servers.start([
        '--job-lease-seconds',
        String(LEASE_SEC),
        '--data',
        data,
        '--bootstrap-token-file',
        tokenFile,
      ]);
    let agent: LabAgent | null = null;
    try {
      let server = await start();
      const token = readFileSync(tokenFile, 'utf8').trim();
      let c = new ConfigServerClient({ url: server.url, token });
      agent = new LabAgent(c, { tickMs: 200, burstChance: 0, errorChance: 0, rateMbps: 50_000_000 });
      agent.start();
      // One machine at a time: each kill leaves work for the next kill point to land in (with more
      // at once, the creates a kill let through could be all that was left to create).
      await prepare(c, w, { parallelism: 1 });
      await agent.stop();
      agent = null;
      const vmsBefore = (await readSim(w.secondary)).vms.length;
      const callsBefore = countCalls(w);
      const sourceDisks = w.source.vms
        .filter((v) => w.machines.includes(v.name))
        .reduce((n, v) => n + v.disks.length, 0);

      // The stream is followed from before the job exists: its first events are not missed.
      const ready = await new Promise<string | null>((resolve) => {
        const sub = c.subscribe(() => {}, {
          types: ['job.progress'],
          onStatus: (s) => {
            if (s.type === 'ready') {
              sub.close();
              resolve(s.lastId);
            }
          },
        });
      });
      const created = await c.createJob({
        kind: 'unplanned-failover',
        planId: 'web',
        input: { point: 'latest', acceptSplitBrain: true },
      });
      let since = ready;
      const restart = async (when: string) => {
        await servers.kill(server.child);
        c.close();
        await expectNothingTwice(w, when);
        server = await start();
        c = new ConfigServerClient({ url: server.url, token });
      };
      const kill = async (when: (job: Job) => boolean, what: string): Promise<Job> => {
        const hit = await killWhen(c, server, created.id, since, when, what);
        since = hit.lastId;
        await restart(what);
        return hit.job;
      };

      // 1. Mid-detach: one detach recorded, the others in flight on vCenter or not sent.
      const k1 = await kill((j) => (stepOf(j, DETACH).tasks?.length ?? 0) >= 1, 'a detach recorded');
      expect(stepOf(k1, DETACH).state).toBe('running');

      // 2. Between detach and create.
      const k2 = await kill((j) => stepOf(j, CREATE).state === 'running', 'the create step started');
      expect(stepOf(k2, DETACH).state).toMatch(/succeeded|skipped/);
      expect(stepOf(k2, CREATE).tasks ?? []).toHaveLength(0);

      // 3. A create received by vCenter, its answer never read: vCenter finishes it alone.
      const createSent = w.secondary.nextLog(/^call: CreateVM_Task$/, 180_000);
      expect(await createSent, 'a CreateVM_Task reached vCenter').toBe(true);
      server.child.kill('SIGKILL');
      await restart('a create in flight');

      // 4. Mid-create: a create task recorded, its VM not yet recorded as the pair's.
      const k4 = await kill((j) => (stepOf(j, CREATE).tasks?.length ?? 0) >= 1, 'a create task recorded');
      expect(stepOf(k4, CREATE).state).toBe('running');

      // 5. Mid-power-on: boot group 1's first power-on recorded.
      const k5 = await kill((j) => (stepOf(j, POWER_1).tasks?.length ?? 0) >= 1, 'a power-on recorded');
      expect(stepOf(k5, POWER_1).state).toBe('running');

      const done = await finished(c, created.id, 180_000);
      expectOk(done);
      const logOf = (name: string) => stepOf(done, name).log.map((l) => l.message);
      // Each restarted step first waited on the tasks the dead server had recorded.
      for (const name of [DETACH, CREATE, POWER_1])
        expect(
          logOf(name).some((m) => m.includes('started before the interruption')),
          name,
        ).toBe(true);
      // The create vCenter finished after the kill was adopted by name, not sent again.
      expect(logOf(CREATE).some((m) => m.includes('found (created before the interruption)'))).toBe(true);

      expect((await c.listPairs()).map((p) => p.state)).toEqual(w.machines.map(() => 'failover-pending'));
      await expectSoundWorld(w);
      const after = await readSim(w.secondary);
      expect(after.vms).toHaveLength(vmsBefore + w.machines.length);
      expect(
        after.vms
          .find((v) => v.name === w.mtVm)!
          .disks.filter((d) => d.fileName.includes('siteshift-replicas/')),
      ).toHaveLength(0);
      // What vCenter was asked during the failover, through five kills: each side effect once.
      const calls = countCalls(w);
      const delta = Object.fromEntries(COUNTED.map((m) => [m, calls[m]! - callsBefore[m]!]));
      expect(delta).toEqual({
        ReconfigVM_Task: sourceDisks,
        CreateVM_Task: w.machines.length,
        PowerOnVM_Task: w.machines.length,
        CustomizeVM_Task: 1,
      });
      c.close();
      await servers.kill(server.child);
    } finally {
      await agent?.stop();
      await Promise.all([w.primary.stop(), w.secondary.stop()]);
    }
  }, 900_000);
});
