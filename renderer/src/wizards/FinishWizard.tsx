import { useState } from 'react';
import type { Pair, Plan } from '../../../shared/configserver';
import { ConfirmRun, WizardFrame, WizardNav } from '../components/wizard/Wizard';
import { useConsole } from '../store';
import { useRunJob } from './common';
import { FailoverDryRun, PlanField } from './FailoverWizard';
import { pairsOfPlan, planIssues, stateSummary } from './recovery-model';
import { useWizard } from './store';

type FinishKind = 'cleanup' | 'commit' | 'rollback';

const titles: Record<FinishKind, string> = {
  cleanup: 'Clean up a test failover',
  commit: 'Commit a failover',
  rollback: 'Roll back a failover',
};

function explain(kind: FinishKind, plan: Plan | undefined): string {
  const target = plan?.target.site ?? 'the target site';
  if (kind === 'cleanup')
    return `Removes what the test failover created on ${target}: the test machines and their disk copies, listed by the dry run before anything is removed. Replication never stopped; the replicas are not touched.`;
  if (kind === 'commit')
    return `Keeps the failover: the recovered machines on ${target} stay for good and rollback is no longer possible.`;
  return `Undoes the failover: the recovered machines on ${target} are removed and the replica disks go back to the master target, in their slots; the machines are protected again from ${plan?.source.site ?? 'the source site'}. Whatever the recovered machines wrote is lost.`;
}

/** Cleanup, commit and rollback: plan → dry run (exactly what changes) → typed name → run. */
export function FinishWizard() {
  const w = useWizard();
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
      title={titles[kind]}
      subtitle={`${snapshot?.connectionName ?? 'Configuration server'}${plan ? ` · plan ${plan.name}` : ''}`}
      steps={['Plan', 'Dry run', 'Run']}
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
          <p className="muted small">
            No readiness checks apply here: the dry run on the next step reads the live sites and lists
            exactly what would change.
          </p>
          <WizardNav
            onCancel={cancel}
            onNext={() => {
              setAttempted(true);
              if (errors.length === 0) w.goTo(1);
            }}
            blocked={attempted && errors.length ? 'Choose a plan this applies to.' : null}
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
  const label = { cleanup: 'Clean up now', commit: 'Commit now', rollback: 'Roll back now' }[kind];
  return (
    <ConfirmRun
      planName={plan.name}
      runLabel={label}
      busy={busy}
      error={error}
      onRun={() => void run()}
      risk={
        <p>
          <strong>
            {titles[kind]} of {plan.name} ({pairs.length} machine{pairs.length === 1 ? '' : 's'}).
          </strong>{' '}
          {explain(kind, plan)}
        </p>
      }
    />
  );
}
