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
import { t, useT } from '../i18n';
import { formatList } from '../i18n/format';
import { stepName } from '../i18n/job-text';
import { useConsole } from '../store';
import { useRunJob } from './common';
import { FailoverDryRun, PlanField } from './FailoverWizard';
import type { FieldIssue } from './protect-model';
import { pairsOfPlan, planIssues, stateSummary } from './recovery-model';
import { useWizard } from './store';

type ReverseKind = 'reprotect' | 'failback';

/** The four phases of a failback, by the pairs' stages (shared/configserver/pair-state.ts); names in rw.phase.N. */
export const failbackPhases = [
  { n: 1, stages: [0, 1, 2], done: 3 },
  { n: 2, stages: [3, 4], done: 5 },
  { n: 3, stages: [5], done: 6 },
  { n: 4, stages: [6, 7], done: 8 },
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
  if (stage === null) return t('rw.safe.none');
  const key =
    stage <= 1
      ? 'rw.safe.0'
      : stage === 2
        ? 'rw.safe.2'
        : stage === 3
          ? 'rw.safe.3'
          : stage <= 5
            ? 'rw.safe.4'
            : 'rw.safe.6';
  return t(key, site);
}

export function ReverseWizard() {
  const w = useWizard();
  useT();
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
  const stepIds =
    kind === 'failback'
      ? (['plan', 'where', 'options', 'readiness', 'dryRun', 'run'] as const)
      : (['plan', 'masterTarget', 'readiness', 'dryRun', 'run'] as const);
  const stepNames = {
    plan: t('fw.step.plan'),
    where: t('rw.step.where'),
    options: t('rw.step.options'),
    masterTarget: t('rw.step.masterTarget'),
    readiness: t('step.readiness'),
    dryRun: t('step.dryRun'),
    run: t('step.run'),
  };
  const steps = stepIds.map((id) => stepNames[id]);
  const at = (id: keyof typeof stepNames) => (stepIds as readonly string[]).indexOf(id);
  const issues: FieldIssue[] = [];
  if (w.step === 0) issues.push(...planIssues(kind, plan, pairs));
  if (w.step === at(kind === 'failback' ? 'options' : 'masterTarget')) {
    if (mts.length === 0 && plan)
      issues.push({
        field: 'masterTarget',
        severity: 'error',
        message: t('rw.err.noMt', { site: plan.source.site }),
      });
    const mt = mts.find((m) => m.name === masterTarget);
    if (mt && families.some((f) => f !== mt.osFamily))
      issues.push({
        field: 'masterTarget',
        severity: 'error',
        message: t('rw.err.family', {
          mt: mt.name,
          family: mt.osFamily,
          plan: plan?.name ?? '',
          families: formatList(families),
        }),
      });
    if (kind === 'failback') {
      const n = Number(shutdown);
      if (!Number.isInteger(n) || n < 10 || n > 3600)
        issues.push({
          field: 'shutdown',
          severity: 'error',
          message: t('fw.err.shutdown'),
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
  const blocked = shown && errors.length ? t('pw.toFix', { count: errors.length }) : null;
  const readinessStep = at('readiness');
  const server = snapshot?.connectionName ?? t('pw.configServer');
  return (
    <WizardFrame
      title={t(`rw.title.${kind}`)}
      subtitle={
        plan
          ? t('rw.subtitlePlan', {
              server,
              plan: plan.name,
              target: plan.target.site,
              source: plan.source.site,
            })
          : server
      }
      steps={steps}
      step={w.step}
      reached={w.reached}
      onStep={w.goTo}
    >
      {w.step === 0 && (
        <div className="wizard-fields">
          <p className="muted">{t(`rw.intro.${kind}`)}</p>
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
      {w.step === at(kind === 'failback' ? 'options' : 'masterTarget') && plan && (
        <div className="wizard-fields">
          <p className="muted">
            {t('rw.mtIntro', { site: plan.source.site, families: families.join(', ') })}
          </p>
          <div className="form-grid">
            <Field
              id="masterTarget"
              label={t('rw.mtOn', { site: plan.source.site })}
              issues={issues}
              shown={shown}
            >
              <select
                className="input"
                value={masterTarget}
                onChange={(e) => setMasterTarget(e.target.value)}
                {...fieldProps('masterTarget', issues, shown)}
              >
                <option value="">{t('rw.mostFree')}</option>
                {mts.map((m) => (
                  <option key={m.id} value={m.name}>
                    {t('rw.mtOption', {
                      name: m.name,
                      family: m.osFamily === 'windows' ? 'Windows' : 'Linux',
                      free: m.slotsFree,
                    })}
                  </option>
                ))}
              </select>
            </Field>
            {kind === 'failback' && (
              <Field
                id="shutdown"
                label={t('fw.shutdownWait')}
                issues={issues}
                shown={shown}
                hint={t('rw.shutdownHint')}
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
  // Its name in the console's words, inside the sentence (lower case, as sent).
  const runningStep = running?.steps.find((s) => s.state === 'running');
  useT();
  return (
    <section aria-label={t('rw.progress')} className="phases">
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
                <strong>{t('rw.phase', { n: p.n, name: t(`rw.phase.${p.n}`) })}</strong>{' '}
                <span className="muted small">
                  {state === 'done' ? t('rw.done') : state === 'now' ? t('rw.here') : t('rw.next')}
                </span>
                <div className="muted">{t(`rw.phaseWhat.${p.n}`)}</div>
              </div>
            </li>
          );
        })}
      </ol>
      <div className="banner banner-info" role="status">
        <strong>{t('rw.safeNow')}</strong>{' '}
        {safeNow(stage, { source: plan.source.site, target: plan.target.site })}
      </div>
      {running && (
        <div className="banner banner-warning" role="status">
          {t('rw.running', {
            kind: t(`jobKind.${running.kind}`),
            plan: plan.name,
            step: runningStep ? ` (${stepName(runningStep)})` : '',
            who: running.createdBy,
          })}{' '}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              selectJob(running.id);
              setView('jobs');
            }}
          >
            {t('rw.openJob')}
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
  useT();
  return (
    <div className="wizard-fields">
      <p className="muted">{t('rw.checkedAs')}</p>
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
        nextLabel={t('pw.nextDryRun')}
        blocked={report && !report.ready ? t('pw.fixFailed') : null}
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
  useT();
  const n = t('pw.machines', { count: pairs.length });
  return (
    <ConfirmRun
      planName={plan.name}
      runLabel={t(`rw.run.${kind}`)}
      busy={busy}
      error={error}
      onRun={() => void run()}
      risk={
        kind === 'reprotect' ? (
          <p>
            <strong>{t('rw.risk.reprotect.title', { machines: n })}</strong>{' '}
            {t('rw.risk.reprotect', { target: plan.target.site, source: plan.source.site })}
          </p>
        ) : (
          <p>
            <strong>{t('rw.risk.failback.title', { machines: n })}</strong>{' '}
            {t('rw.risk.failback', {
              source: plan.source.site,
              target: plan.target.site,
              seconds: Number(input.shutdownTimeoutSec),
            })}
          </p>
        )
      }
    />
  );
}
