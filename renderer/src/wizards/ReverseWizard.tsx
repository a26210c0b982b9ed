import { useEffect, useState } from 'react';
import { failbackStage, type Pair, type Plan } from '../../../shared/configserver';
import type { Job } from '../../../shared/schemas/job';
import {
  ConfirmRun,
  Field,
  fieldProps,
  ReadinessPanel,
  WizardFrame,
  WizardNav,
} from '../components/wizard/Wizard';
import { useConsole } from '../store';
import { useRunJob } from './common';
import { FailoverDryRun, PlanField } from './FailoverWizard';
import type { FieldIssue } from './protect-model';
import { pairsOfPlan, planIssues, stateSummary } from './recovery-model';
import { useWizard } from './store';

type ReverseKind = 'reprotect' | 'failback';

const titles: Record<ReverseKind, string> = { reprotect: 'Reprotect', failback: 'Guided failback' };

/** The four phases of a failback, by the pairs' stages (shared/configserver/pair-state.ts). */
export const failbackPhases = [
  {
    n: 1,
    name: 'Reprotect',
    stages: [0, 1, 2],
    done: 3,
    what: 'replication turns round; the resync sends only differing blocks',
  },
  {
    n: 2,
    name: 'Fail over back',
    stages: [3, 4],
    done: 5,
    what: 'the recovered machines shut down, the originals start again',
  },
  { n: 3, name: 'Commit', stages: [5], done: 6, what: 'the original site is production again' },
  {
    n: 4,
    name: 'Protect again',
    stages: [6, 7],
    done: 8,
    what: 'replication runs forward again, as before the outage',
  },
] as const;

/** Where a plan is on its way back: the phase of its least advanced pair (the one that holds the rest back). */
export function failbackPosition(pairs: Array<Pick<Pair, 'state' | 'direction'>>): {
  phase: number;
  stage: number | null;
} {
  const stages = pairs.map((p) => failbackStage(p)).filter((s): s is number => s !== null);
  if (stages.length === 0) return { phase: 0, stage: null };
  const least = Math.min(...stages);
  if (least >= 8) return { phase: 5, stage: 8 };
  const phase = failbackPhases.find((p) => (p.stages as readonly number[]).includes(least))?.n ?? 1;
  return { phase, stage: least };
}

/** What is safe to do at a stage, in words an operator on call can act on. */
export function safeNow(stage: number | null, site: { source: string; target: string }): string {
  if (stage === null) return 'This plan is not on its way back.';
  if (stage <= 1)
    return `Production runs on ${site.target}, not replicated. Reprotect (phase 1) is safe now: the machines keep running while replication turns round.`;
  if (stage === 2)
    return `Replication runs back to ${site.source}; the resync is under way. Safe to wait; failing back now waits for the resync.`;
  if (stage === 3)
    return `Production runs on ${site.target} and is protected back to ${site.source}. Phase 2 shuts the recovered machines down: plan the outage window.`;
  if (stage <= 5)
    return `The failover back is under way or done: the originals on ${site.source} are coming back. Run the failback again to finish it.`;
  return `Production is back on ${site.source}; replication forward is being set up again. Run the failback again to finish it.`;
}

export function ReverseWizard() {
  const w = useWizard();
  const active = w.active!;
  const kind = active.kind as ReverseKind;
  const snapshot = useConsole((s) => s.protection.data?.find((p) => p.connectionId === active.connectionId));
  const jobs = useConsole((s) => s.jobs);
  const loadJobs = useConsole((s) => s.loadJobs);
  // A failback started from another console or the CLI, or before this window was closed.
  useEffect(() => {
    void loadJobs();
  }, [loadJobs]);
  const plans = snapshot?.plans ?? [];
  const plan = plans.find((p) => p.name === active.plan);
  const pairs = pairsOfPlan(snapshot?.pairs ?? [], plan);
  const [masterTarget, setMasterTarget] = useState('');
  const [shutdown, setShutdown] = useState('300');
  const [attempted, setAttempted] = useState<Record<number, boolean>>({});
  const sourceSiteId = plan?.sourceSiteId;
  const families = [...new Set(pairs.map((p) => p.osFamily))];
  const mts = (snapshot?.masterTargets ?? []).filter((m) => m.siteId === sourceSiteId);
  // A failback job of this plan that is still running: the wizard follows it instead of starting one.
  const running = plan
    ? Object.values(jobs).find(
        (j) =>
          j.planId === plan.id &&
          !j.dryRun &&
          (j.kind === 'failback' || j.kind === 'reprotect') &&
          (j.state === 'queued' || j.state === 'running'),
      )
    : undefined;
  const steps =
    kind === 'failback'
      ? ['Plan', 'Where you are', 'Options', 'Readiness', 'Dry run', 'Run']
      : ['Plan', 'Master target', 'Readiness', 'Dry run', 'Run'];
  const at = (name: string) => steps.indexOf(name);
  const issues: FieldIssue[] = [];
  if (w.step === 0) issues.push(...planIssues(kind, plan, pairs));
  if (w.step === at(kind === 'failback' ? 'Options' : 'Master target')) {
    if (mts.length === 0 && plan)
      issues.push({
        field: 'masterTarget',
        severity: 'error',
        message: `${plan.source.site} has no master target registered: configure one there first (Plans › Configure master target…).`,
      });
    const mt = mts.find((m) => m.name === masterTarget);
    if (mt && families.some((f) => f !== mt.osFamily))
      issues.push({
        field: 'masterTarget',
        severity: 'error',
        message: `${mt.name} runs ${mt.osFamily}; the machines of ${plan?.name} are ${families.join(' and ')}.`,
      });
    if (kind === 'failback') {
      const n = Number(shutdown);
      if (!Number.isInteger(n) || n < 10 || n > 3600)
        issues.push({
          field: 'shutdown',
          severity: 'error',
          message: 'Shutdown wait: a whole number of seconds between 10 and 3600.',
        });
    }
  }
  const errors = issues.filter((i) => i.severity === 'error');
  const shown = attempted[w.step] === true;
  const next = () => {
    setAttempted({ ...attempted, [w.step]: true });
    if (errors.length === 0) w.goTo(w.step + 1);
  };
  const cancel = () => {
    w.close();
    useConsole.getState().setView('plans');
  };
  const input: Record<string, unknown> = {
    ...(masterTarget ? { masterTarget } : {}),
    ...(kind === 'failback' ? { shutdownTimeoutSec: Number(shutdown) } : {}),
  };
  const blocked =
    shown && errors.length ? `${errors.length} thing${errors.length === 1 ? '' : 's'} to fix above` : null;
  const readinessStep = at('Readiness');
  return (
    <WizardFrame
      title={titles[kind]}
      subtitle={`${snapshot?.connectionName ?? 'Configuration server'}${plan ? ` · plan ${plan.name}: back from ${plan.target.site} to ${plan.source.site}` : ''}`}
      steps={steps}
      step={w.step}
      reached={w.reached}
      onStep={w.goTo}
    >
      {w.step === 0 && (
        <div className="wizard-fields">
          <p className="muted">
            {kind === 'reprotect'
              ? 'After a committed failover, replication turns round: the recovered machines become the sources and the original site receives, through a master target there. Each original VM keeps its disks, so the resync compares checksums and sends only the blocks that differ.'
              : 'Guided failback brings the plan home in four phases: reprotect, planned failover back, commit, protect again from the original site. It can stop anywhere (a closed window stops nothing) and running it again finishes it.'}
          </p>
          <div className="form-grid">
            <PlanField plans={plans} value={active.plan} onChange={w.setPlan} issues={issues} shown={shown} />
          </div>
          {plan && <p>{stateSummary(pairs)}</p>}
          <WizardNav onCancel={cancel} onNext={next} blocked={blocked} />
        </div>
      )}
      {kind === 'failback' && w.step === 1 && plan && (
        <div className="wizard-fields">
          <PhaseTracker plan={plan} pairs={pairs} running={running} />
          <WizardNav onCancel={cancel} onBack={() => w.goTo(0)} onNext={next} />
        </div>
      )}
      {w.step === at(kind === 'failback' ? 'Options' : 'Master target') && plan && (
        <div className="wizard-fields">
          <p className="muted">
            The original site {plan.source.site} receives the replicas through a master target there, of the
            machines' OS family ({families.join(', ')}).
          </p>
          <div className="form-grid">
            <Field
              id="masterTarget"
              label={`Master target on ${plan.source.site}`}
              issues={issues}
              shown={shown}
            >
              <select
                className="input"
                value={masterTarget}
                onChange={(e) => setMasterTarget(e.target.value)}
                {...fieldProps('masterTarget', issues, shown)}
              >
                <option value="">The one with the most free slots</option>
                {mts.map((m) => (
                  <option key={m.id} value={m.name}>
                    {m.name} — {m.osFamily === 'windows' ? 'Windows' : 'Linux'}, {m.slotsFree} slots free
                  </option>
                ))}
              </select>
            </Field>
            {kind === 'failback' && (
              <Field
                id="shutdown"
                label="Shutdown wait (seconds)"
                issues={issues}
                shown={shown}
                hint="Phase 2 shuts the recovered machines down; one still running after this is powered off."
              >
                <input
                  className="input"
                  inputMode="numeric"
                  value={shutdown}
                  onChange={(e) => setShutdown(e.target.value)}
                  {...fieldProps('shutdown', issues, shown)}
                />
              </Field>
            )}
          </div>
          <WizardNav onCancel={cancel} onBack={() => w.goTo(w.step - 1)} onNext={next} blocked={blocked} />
        </div>
      )}
      {w.step === readinessStep && <ReverseReadiness onCancel={cancel} back={readinessStep - 1} />}
      {w.step === readinessStep + 1 && (
        <FailoverDryRun kind={kind} input={input} onCancel={cancel} back={readinessStep} />
      )}
      {w.step === readinessStep + 2 && plan && (
        <div className="wizard-fields">
          <ReverseRun kind={kind} plan={plan} pairs={pairs} input={input} />
          <WizardNav onCancel={cancel} onBack={() => w.goTo(readinessStep + 1)} />
        </div>
      )}
    </WizardFrame>
  );
}

/** Where the plan is on its way back, what is safe now and what comes next, read from the server. */
function PhaseTracker({ plan, pairs, running }: { plan: Plan; pairs: Pair[]; running: Job | undefined }) {
  const { phase, stage } = failbackPosition(pairs);
  const selectJob = useConsole((s) => s.selectJob);
  const setView = useConsole((s) => s.setView);
  const runningStep = running?.steps.find((s) => s.state === 'running')?.name;
  return (
    <section aria-label="Failback progress" className="phases">
      <ol className="phase-list">
        {failbackPhases.map((p) => {
          const state = phase > p.n ? 'done' : phase === p.n ? 'now' : 'next';
          return (
            <li
              key={p.n}
              className={`phase phase-${state}`}
              aria-current={state === 'now' ? 'step' : undefined}
            >
              <span className="wizard-step-no" aria-hidden="true">
                {state === 'done' ? '✓' : p.n}
              </span>
              <div>
                <strong>
                  Phase {p.n}: {p.name}
                </strong>{' '}
                <span className="muted small">
                  ({state === 'done' ? 'done' : state === 'now' ? 'you are here' : 'next'})
                </span>
                <div className="muted">{p.what}</div>
              </div>
            </li>
          );
        })}
      </ol>
      <div className="banner banner-info" role="status">
        <strong>Safe now:</strong> {safeNow(stage, { source: plan.source.site, target: plan.target.site })}
      </div>
      {running && (
        <div className="banner banner-warning" role="status">
          A {running.kind} job of {plan.name} is running{runningStep ? ` (${runningStep})` : ''}, started by{' '}
          {running.createdBy}: one job runs on a plan at a time.{' '}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              selectJob(running.id);
              setView('jobs');
            }}
          >
            Open the job
          </button>
        </div>
      )}
    </section>
  );
}

function ReverseReadiness({ onCancel, back }: { onCancel: () => void; back: number }) {
  const w = useWizard();
  const { checkReadiness } = w;
  useEffect(() => {
    if (!w.readiness.data && !w.readiness.loading && !w.readiness.error) void checkReadiness('failback');
  }, [w.readiness, checkReadiness]);
  const report = w.readiness.data;
  return (
    <div className="wizard-fields">
      <p className="muted">
        Reprotect and failback are checked as failback: the original site must answer and receive.
      </p>
      <ReadinessPanel
        report={report}
        loading={w.readiness.loading}
        error={w.readiness.error}
        onRecheck={() => void checkReadiness('failback')}
      />
      <WizardNav
        onCancel={onCancel}
        onBack={() => w.goTo(back)}
        onNext={report?.ready ? () => w.goTo(back + 2) : undefined}
        nextLabel="Next: dry run"
        blocked={report && !report.ready ? 'Fix the failed checks, then check again.' : null}
      />
    </div>
  );
}

function ReverseRun({
  kind,
  plan,
  pairs,
  input,
}: {
  kind: ReverseKind;
  plan: Plan;
  pairs: Pair[];
  input: Record<string, unknown>;
}) {
  const { run, busy, error } = useRunJob(kind, input);
  const n = `${pairs.length} machine${pairs.length === 1 ? '' : 's'}`;
  return (
    <ConfirmRun
      planName={plan.name}
      runLabel={kind === 'reprotect' ? 'Reprotect now' : 'Start failback'}
      busy={busy}
      error={error}
      onRun={() => void run()}
      risk={
        kind === 'reprotect' ? (
          <p>
            <strong>Reprotect {n}</strong> from {plan.target.site} back to {plan.source.site}. The original
            VMs' disks move to the master target on {plan.source.site}; an original VM still running there is
            powered off first, since its disks become the replica. The resync reads every disk on both sides
            to compare checksums; the recovered machines keep running.
          </p>
        ) : (
          <p>
            <strong>Fail back {n}</strong> to {plan.source.site}. Phase 2 shuts down the recovered machines on{' '}
            {plan.target.site} (powered off after {String(input.shutdownTimeoutSec)} s): users lose them until
            the originals are up. Then the plan is committed and protected again from {plan.source.site}.
            Changes made on the recovered machines are sent back before they stop.
          </p>
        )
      }
    />
  );
}
