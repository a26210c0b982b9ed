import { useState } from 'react';
import type { Pair, Plan } from '../../../shared/configserver';
import { ConfirmRun, WizardFrame, WizardNav } from '../components/wizard/Wizard';
import { t, useT } from '../i18n';
import { useConsole } from '../store';
import { useRunJob } from './common';
import { FailoverDryRun, PlanField } from './FailoverWizard';
import { pairsOfPlan, planIssues, stateSummary } from './recovery-model';
import { useWizard } from './store';

type FinishKind = 'cleanup' | 'commit' | 'rollback';

function explain(kind: FinishKind, plan: Plan | undefined): string {
  return t(`finish.explain.${kind}`, {
    site: plan?.target.site ?? t('fw.targetSite'),
    source: plan?.source.site ?? t('finish.sourceSite'),
  });
}

/** Cleanup, commit and rollback: plan → dry run (exactly what changes) → typed name → run. */
export function FinishWizard() {
  const w = useWizard();
  useT();
  const active = w.active!;
  const kind = active.kind as FinishKind;
  const snapshot = useConsole((s) => s.protection.data?.find((p) => p.connectionId === active.connectionId));
  const plans = snapshot?.plans ?? [];
  const plan = plans.find((p) => p.name === active.plan);
  const pairs = pairsOfPlan(snapshot?.pairs ?? [], plan);
  const [attempted, setAttempted] = useState(false);
  const issues = planIssues(kind, plan, pairs);
  const errors = issues.filter((i) => i.severity === 'error');
  const cancel = () => {
    w.close();
    useConsole.getState().setView('plans');
  };
  return (
    <WizardFrame
      title={t(`finish.title.${kind}`)}
      subtitle={
        plan
          ? t('finish.subtitlePlan', {
              server: snapshot?.connectionName ?? t('pw.configServer'),
              plan: plan.name,
            })
          : (snapshot?.connectionName ?? t('pw.configServer'))
      }
      steps={[t('fw.step.plan'), t('step.dryRun'), t('step.run')]}
      step={w.step}
      reached={w.reached}
      onStep={w.goTo}
    >
      {w.step === 0 && (
        <div className="wizard-fields">
          <p className="muted">{explain(kind, plan)}</p>
          <div className="form-grid">
            <PlanField
              plans={plans}
              value={active.plan}
              onChange={w.setPlan}
              issues={issues}
              shown={attempted}
            />
          </div>
          {plan && <p>{stateSummary(pairs)}</p>}
          <p className="muted small">{t('finish.noReadiness')}</p>
          <WizardNav
            onCancel={cancel}
            onNext={() => {
              setAttempted(true);
              if (errors.length === 0) w.goTo(1);
            }}
            blocked={attempted && errors.length ? t('finish.choosePlan') : null}
          />
        </div>
      )}
      {w.step === 1 && <FailoverDryRun kind={kind} input={{}} onCancel={cancel} back={0} />}
      {w.step === 2 && plan && (
        <div className="wizard-fields">
          <FinishRun kind={kind} plan={plan} pairs={pairs} />
          <WizardNav onCancel={cancel} onBack={() => w.goTo(1)} />
        </div>
      )}
    </WizardFrame>
  );
}

function FinishRun({ kind, plan, pairs }: { kind: FinishKind; plan: Plan; pairs: Pair[] }) {
  const { run, busy, error } = useRunJob(kind, {});
  useT();
  return (
    <ConfirmRun
      planName={plan.name}
      runLabel={t(`finish.run.${kind}`)}
      busy={busy}
      error={error}
      onRun={() => void run()}
      risk={
        <p>
          <strong>
            {t('finish.risk', {
              title: t(`finish.title.${kind}`),
              plan: plan.name,
              machines: t('pw.machines', { count: pairs.length }),
            })}
          </strong>{' '}
          {explain(kind, plan)}
        </p>
      }
    />
  );
}
