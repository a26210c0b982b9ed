import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../renderer/src/i18n';
import { dryRunLine, jobError, logLine, stepName } from '../../renderer/src/i18n/job-text';
import type { StepContext } from '../../server/jobs';
import { builtInWorkflows } from '../../server/workflows';
import { checkLine, movePairs, readinessStep } from '../../server/workflows/common';
import { platformSteps } from '../../server/workflows/platforms';
import { describePoint } from '../../server/workflows/platforms/hyperv';
import type { Pair } from '../../shared/configserver';
import { endedText } from '../../shared/i18n/job-words';
import { refusalWordsEn, refusalWordsNl } from '../../shared/i18n/refusal-words';
import { saidIn } from '../../shared/i18n/said-words';
import type { Entry } from '../../shared/i18n/speak';
import { errorWords, sayStep, stepError, stepWordsEn, stepWordsNl } from '../../shared/i18n/step-words';
import type { Said } from '../../shared/i18n/worded';
import { type Job, jobSchema } from '../../shared/schemas/job';
import { unworded } from '../support/job-words';
import { planWorld, storedPlan, windowsPlanInput } from '../support/plans';

afterEach(() => setLanguage('en'));

const world = planWorld();
/** A plan with every kind of step a workflow builds: boot groups, a re-addressed machine, a message and a script. */
const plan = storedPlan(
  world,
  windowsPlanInput(world, {
    machines: [
      { vm: world.windowsVms[0]!, bootGroup: 1 },
      { vm: world.windowsVms[1]!, bootGroup: 2, reip: { nic: 0, address: '10.20.0.13/24', dns: [] } },
    ],
    steps: [
      { after: 1, message: 'check the database' },
      { after: 2, script: { command: '/usr/local/bin/smoke', timeoutSeconds: 60 } },
    ],
  }),
);

const job = (kind: Job['kind']): Job => ({
  id: 'job-1',
  kind,
  state: 'queued',
  progress: 0,
  dryRun: false,
  planId: plan.id,
  pairIds: ['pair-1', 'pair-2'],
  createdAt: plan.createdAt,
  updatedAt: plan.createdAt,
  createdBy: 'ops',
  error: null,
  steps: [],
});

describe('the step word book', () => {
  it('names every step of every workflow, on every platform, from the book', () => {
    const input = {
      plan,
      platforms: platformSteps.map((p) => p.platform),
      reverseMasterTargetId: 'mt-ams',
      vm: 'rtm-mt-lnx-01',
      site: 'rtm',
    };
    let named = 0;
    for (const workflow of builtInWorkflows) {
      const steps = workflow.steps(job(workflow.kind), input);
      expect(steps.length, workflow.kind).toBeGreaterThan(0);
      const record = {
        ...job(workflow.kind),
        steps: steps.map((s) => ({
          name: s.name,
          ...(s.nameWords ? { nameWords: s.nameWords } : {}),
          state: 'pending' as const,
          progress: 0,
          startedAt: null,
          finishedAt: null,
          log: [],
        })),
      };
      expect(unworded(record), workflow.kind).toEqual([]);
      named += steps.length;
    }
    // Failback alone has some thirty steps: a registry that built none would not pass unnoticed.
    expect(named).toBeGreaterThan(60);
  });

  it('begins every dry-run line with the dry-run words, in both languages', () => {
    const forms = (e: Entry) => (typeof e === 'string' ? [e] : [e.one, e.other]);
    for (const [key, english] of Object.entries(stepWordsEn).filter(([k]) =>
      k.startsWith('stepLog.dryRun.'),
    )) {
      for (const form of forms(english))
        expect(form.startsWith(stepWordsEn['stepLog.dryRunPrefix']), key).toBe(true);
      for (const form of forms(stepWordsNl[key as keyof typeof stepWordsNl]))
        expect(form.startsWith(stepWordsNl['stepLog.dryRunPrefix']), key).toBe(true);
    }
  });

  it('words what a step said in Dutch, keeping the values and the English of unknown words', () => {
    const said = sayStep('stepLog.groupPoweredOn', { group: 2, count: 1200 });
    expect(said.text).toBe('boot group 2: 1,200 VMs powered on');
    expect(saidIn('nl', said.text, said.words)).toBe('opstartgroep 2: 1.200 VM’s ingeschakeld');
    // Two counts in one line: each a part, in its own form.
    const held = (slots: number, disks: number) => {
      const line = sayStep('stepError.slotCount', {
        vm: 'web-01',
        slots: sayStep('stepError.slotCount.slots', { count: slots }),
        mt: 'mt-01',
        disks: sayStep('stepError.slotCount.disks', { count: disks }),
      });
      return [line.text, saidIn('nl', line.text, line.words)].map((t) => t.split(';')[0]);
    };
    expect(held(1, 2)).toEqual([
      'web-01 holds 1 slot on mt-01 for 2 disks',
      'web-01 bezet 1 slot op mt-01 voor 2 schijven',
    ]);
    expect(held(2, 1)).toEqual([
      'web-01 holds 2 slots on mt-01 for 1 disk',
      'web-01 bezet 2 slots op mt-01 voor 1 schijf',
    ]);
    expect(saidIn('nl', 'from a newer server', { key: 'stepLog.notYet' })).toBe('from a newer server');
    expect(saidIn('nl', 'an old line', undefined)).toBe('an old line');
  });
});

describe('a job as the console shows it', () => {
  const name = sayStep('jobStep.shutDownSource');
  const line = sayStep('stepLog.dryRun.shutDown', { vm: 'web-01', power: 'poweredOn' });
  const failed = (error: string, errorWords?: Job['errorWords']): Job =>
    jobSchema.parse({
      ...job('planned-failover'),
      state: 'failed',
      error,
      ...(errorWords ? { errorWords } : {}),
      steps: [
        {
          name: name.text,
          nameWords: name.words,
          state: 'failed',
          progress: 0,
          startedAt: null,
          finishedAt: null,
          log: [
            { at: plan.createdAt, level: 'info', message: line.text, words: line.words },
            {
              at: plan.createdAt,
              level: 'error',
              message: 'vCenter: NoPermission',
              words: { key: 'stepLog.error', params: { error: 'vCenter: NoPermission' } },
            },
          ],
        },
      ],
    });

  it('shows step names, lines and the error in Dutch, the external error as it was said', () => {
    const error = sayStep('jobError.stepFailed', { step: name, error: 'vCenter: NoPermission' });
    const j = failed(error.text, error.words);
    expect(unworded(j)).toEqual([]);
    setLanguage('nl');
    expect(stepName(j.steps[0]!)).toBe('de bron-VM’s afsluiten');
    expect(logLine(j.steps[0]!.log[0]!)).toBe('proefrun: zou web-01 afsluiten (nu poweredOn)');
    expect(dryRunLine(j.steps[0]!.log[0]!)).toBe('zou web-01 afsluiten (nu poweredOn)');
    expect(jobError(j)).toBe("stap 'de bron-VM’s afsluiten' is mislukt: vCenter: NoPermission");
    // The desktop app's notification says the same, without the renderer.
    expect(endedText('nl', j).body).toBe("stap 'de bron-VM’s afsluiten' is mislukt: vCenter: NoPermission");
    setLanguage('en');
    expect(jobError(j)).toBe(error.text);
    // A job that failed on a refusal (the plan is gone, a pair moved meanwhile): the notification
    // words it from the refusal book too, as the console does.
    const refused = failed(refusalWordsEn['refusal.planNeeded'], { key: 'refusal.planNeeded' });
    expect(endedText('nl', refused).body).toBe(refusalWordsNl['refusal.planNeeded']);
  });

  it("quotes a readiness check's finding in the check's own words", () => {
    const check = {
      id: 'plan.machines',
      title: 'Plan has machines',
      titleWords: { key: 'check.title.planMachines' },
      status: 'fail' as const,
      message: 'the plan has no machines',
      messageWords: { key: 'check.plan.noMachines' },
      fix: 'add machines',
      subject: null,
    };
    const line = checkLine(check);
    expect(line.text).toBe('Plan has machines: the plan has no machines — fix: add machines');
    setLanguage('nl');
    // The fix has no words here: it stays as the server wrote it.
    expect(logLine({ message: line.text, words: line.words })).toBe(
      'Plan heeft machines: het plan heeft geen machines — oplossing: add machines',
    );
  });

  it("quotes a step's own error in the console's language, another error as it was said", () => {
    const thrown = stepError('conflict', sayStep('stepError.splitBrain', { vms: 'web-01', count: 1 }));
    expect(thrown.message).toBe(
      'split brain: web-01 still runs on the source site; shut it down, run a planned failover, or confirm with --accept-split-brain',
    );
    expect(errorWords(new Error(thrown.message))).toBeUndefined();
    const error = sayStep('jobError.stepFailed', {
      step: name,
      error: { text: thrown.message, words: errorWords(thrown) },
    });
    expect(error.text).toBe(`step 'shut down the source VMs' failed: ${thrown.message}`);
    const j = failed(error.text, error.words);
    setLanguage('nl');
    expect(jobError(j)).toBe(
      "stap 'de bron-VM’s afsluiten' is mislukt: split brain: web-01 draait nog op de bronlocatie; sluit de VM af, voer een geplande failover uit of bevestig met --accept-split-brain",
    );
  });

  it('shows a job stored before words were sent in its English', () => {
    const old = failed("step 'shut down the source VMs' failed: boom");
    expect(old.errorWords).toBeUndefined();
    expect(unworded(old)).toEqual([`the job error has no words: ${old.error}`]);
    setLanguage('nl');
    expect(jobError(old)).toBe(old.error);
    expect(jobError({ ...old, error: null })).toBeNull();
  });
});

describe('what a workflow says of a readiness kind, pair states and a recovery point', () => {
  /** movePairs over pairs in the given states, as a job (dry run or not) runs it; what it logs. */
  async function move(states: Pair['state'][], to: Pair['state'], from: Pair['state'][], dryRun = true) {
    const pairs = states.map((state, i) => ({ id: `p${i}`, sourceVmName: `web-0${i + 1}`, state }) as Pair);
    const logged: Said[] = [];
    const ctx = {
      job: { dryRun },
      store: {
        pairs: {
          getMany: async () => pairs,
          get: async (id: string) => pairs.find((p) => p.id === id)!,
          transitionAll: async () => undefined,
        },
      },
      log: async (_level: string, said: Said) => {
        logged.push(said);
      },
    } as unknown as StepContext;
    await movePairs(ctx, pairs, to, from, 'test');
    return logged;
  }
  const line = (s: Said) => ({ message: s.text, words: s.words });

  it("names a readiness step's workflow in the console's language, its token in English", () => {
    const s = readinessStep('test');
    expect(s.name).toBe('readiness checks (test)');
    setLanguage('nl');
    expect(stepName(s)).toBe('gereedheidscontroles (testfailover)');
    expect(stepName(readinessStep('unplanned'))).toBe('gereedheidscontroles (ongeplande failover)');
  });

  it('names the pair states a line quotes as the map names them, in English too (the CLI prints these lines)', async () => {
    const [moved] = await move(['protected'], 'test-failover-running', ['protected']);
    expect(moved!.text).toBe("dry run: web-01 would go from 'protected' to 'test failover running'");
    const [now] = await move(['protected'], 'failed-over', ['protected'], false);
    expect(now!.text).toBe("1 pair now 'failed over'");
    setLanguage('nl');
    expect(logLine(line(moved!))).toBe("proefrun: web-01 zou van 'beveiligd' naar 'testfailover loopt' gaan");
    expect(logLine(line(now!))).toBe("1 paar nu 'overgeschakeld'");
    // A step named by the state it moves the pairs to.
    const test = builtInWorkflows.find((w) => w.kind === 'test-failover')!;
    const mark = test.steps(job('test-failover'), { plan }).find((s) => s.name.startsWith('mark the pairs'))!;
    expect(mark.name).toBe("mark the pairs 'test failover running'");
    expect(stepName(mark)).toBe("de paren op 'testfailover loopt' zetten");
  });

  it("says the state a pair is in with its machine, and joins the states it may be in with 'or', in the console's language", async () => {
    const thrown = await move(['failed-over'], 'resyncing', ['protected', 'resync-required', 'error']).then(
      () => null,
      (err: unknown) => err,
    );
    expect((thrown as Error).message).toBe(
      "web-01 has failed over; this step moves only pairs in the state 'protected' or 'resync required' or 'error'",
    );
    const words = errorWords(thrown)!;
    setLanguage('nl');
    expect(logLine({ message: (thrown as Error).message, words })).toBe(
      "web-01 is overgeschakeld; deze stap verplaatst alleen paren met de status 'beveiligd' of 'hersynchronisatie nodig' of 'fout'",
    );
    // The desktop notification words it too, without the renderer's catalogue.
    expect(saidIn('nl', (thrown as Error).message, words)).toBe(logLine({ message: '', words }));
  });

  it("refuses to resync a pair in initial replication in words, not in the state machine's token", async () => {
    const resync = builtInWorkflows.find((w) => w.kind === 'resync')!;
    const pair = { id: 'pair-1', sourceVmName: 'ams-hv-app-01', state: 'initial-replication' } as Pair;
    const ctx = { job: job('resync'), store: { pairs: { get: async () => pair } } } as unknown as StepContext;
    const thrown = await resync
      .steps(job('resync'), {})[0]!
      .run(ctx)
      .then(
        () => null,
        (err: unknown) => err as Error,
      );
    expect(thrown!.message).toBe(
      'ams-hv-app-01 is in initial replication; only a protected pair or one that needs a resync can be resynced',
    );
    setLanguage('nl');
    expect(logLine({ message: thrown!.message, words: errorWords(thrown) })).toBe(
      'ams-hv-app-01 zit in de eerste replicatie; alleen een beveiligd paar of een paar dat een hersynchronisatie nodig heeft, kan worden gehersynchroniseerd',
    );
  });

  it("says a Hyper-V recovery point without a time in the console's language", () => {
    const point = { id: 's', name: 'Replica 3', vmId: 'v', vmName: 'sql', type: 'Replica', parent: null };
    const untimed = describePoint({ ...point, created: null });
    expect(untimed.text).toBe('Replica 3 (no time, crash-consistent)');
    const timed = describePoint({
      ...point,
      created: '2026-11-30T06:00:00.000Z',
      type: 'AppConsistentReplica',
    });
    expect(timed.text).toBe('Replica 3 (2026-11-30T06:00:00.000Z, app-consistent)');
    const chosen = sayStep('stepLog.hvPointChosen', { vm: 'sql', point: untimed, host: 'hv-rtm' });
    setLanguage('nl');
    expect(logLine(line(chosen))).toBe('sql: herstelpunt Replica 3 (geen tijd, crash-consistent) op hv-rtm');
  });
});
