import { useEffect, useState } from 'react';
import {
  type PlanChange,
  type PlanIssue,
  type PlanSpecInput,
  type PlanValidation,
  planIssueSchema,
} from '../../../shared/configserver';
import { ApiError } from '../../../shared/errors';
import { Busy } from '../components/states';
import { ConfirmRun } from '../components/wizard/Wizard';
import { t, tServer, useT } from '../i18n';
import { errorText, useConsole } from '../store';
import { protectSteps, stepOfPlanPath } from './protect-model';
import { useWizard } from './store';

/**
 * The last step of an edit: the server validates the edited plan and says what applying it would
 * change (field, before, after) and what it refuses, each refusal linked back to its step (where
 * the field shows it too); the plan name typed applies it, with the updatedAt of the plan the
 * wizard opened, so that a change someone else made meanwhile is refused instead of overwritten.
 */
export function PlanReview({
  plan,
  machines,
  unpaired,
  onCancel,
}: {
  plan: PlanSpecInput;
  /** The plan's machines in file order: a change at machines[i] names its VM. */
  machines: string[];
  /** The plan's machines no pair protects yet: once applied, the wizard can go on to protect them. */
  unpaired: string[];
  onCancel: () => void;
}) {
  const w = useWizard();
  useT();
  const active = w.active!;
  const [validation, setValidation] = useState<PlanValidation | null>(null);
  const [checking, setChecking] = useState(false);
  const [applying, setApplying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [applied, setApplied] = useState<PlanChange[] | null>(null);
  const { setServerIssues } = w;
  const validate = async () => {
    setChecking(true);
    setError(null);
    try {
      const v = await useConsole
        .getState()
        .api!['plans:validate']({ connectionId: active.connectionId, plan });
      setValidation(v);
      setServerIssues(v.issues);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setChecking(false);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: validate once on entering the step
  useEffect(() => {
    void validate();
  }, []);
  const apply = async () => {
    setApplying(true);
    setError(null);
    try {
      const result = await useConsole.getState().api!['plans:apply']({
        connectionId: active.connectionId,
        plan,
        expectUpdatedAt: active.edit?.updatedAt ?? null,
      });
      setApplied(result.changes);
      setServerIssues([]);
      void useConsole.getState().loadProtection();
    } catch (err) {
      // A refusal carries every issue: show them at their fields as well as here.
      const details = err instanceof ApiError && Array.isArray(err.details) ? err.details : [];
      const issues = details.flatMap((d) => {
        const p = planIssueSchema.safeParse(d);
        return p.success ? [p.data] : [];
      });
      if (issues.length > 0) {
        setServerIssues(issues);
        setValidation((v) => (v ? { ...v, valid: false, issues } : v));
      }
      // The issues, listed in the console's words, are the refusal; its English summary is not repeated.
      setError(issues.length > 0 && validation ? null : errorText(err));
    } finally {
      setApplying(false);
    }
  };
  const back = () => {
    w.close();
    useConsole.getState().setView('plans');
  };

  // A changed policy reaches Hyper-V machines that replicate already only when protect sets it.
  const hvPolicy = validation?.issues.some((i) => i.messageWords?.key.startsWith('plan.hvPolicy.')) ?? false;
  if (applied)
    return (
      <div className="wizard-fields">
        <div className="banner banner-ok" role="status">
          {t('pe.applied', { plan: active.plan, count: applied.length })}
        </div>
        <ChangeTable changes={applied} machines={machines} label={t('pe.appliedChanges')} done />
        {unpaired.length > 0 && (
          <p className="muted">{t('pe.unpaired', { count: unpaired.length, names: unpaired.join(', ') })}</p>
        )}
        {hvPolicy && <p className="muted">{t('pe.hvPolicyPending')}</p>}
        <div className="wizard-nav">
          <span className="spacer" />
          <button
            type="button"
            className={unpaired.length > 0 || hvPolicy ? 'btn' : 'btn btn-primary'}
            onClick={back}
          >
            {t('pe.backToPlans')}
          </button>
          {(unpaired.length > 0 || hvPolicy) && (
            <button type="button" className="btn btn-primary" onClick={() => w.protectAfterEdit()}>
              {unpaired.length > 0 ? t('pe.protectNew', { count: unpaired.length }) : t('pe.protectAgain')}
            </button>
          )}
        </div>
      </div>
    );

  const issues = validation?.issues ?? [];
  const refused = validation !== null && !validation.valid;
  const stale =
    validation?.currentUpdatedAt && active.edit && validation.currentUpdatedAt !== active.edit.updatedAt;
  const changes = validation?.changes ?? [];
  return (
    <div className="wizard-fields">
      <p className="muted">{t('pe.reviewIntro', { plan: active.plan })}</p>
      {checking && <Busy>{t('pe.checking')}</Busy>}
      {stale && (
        <div className="banner banner-warning" role="alert">
          {t('pe.stale', { plan: active.plan })}
        </div>
      )}
      {issues.length > 0 && (
        <section aria-label={t('pw.planProblems')} className="card-inset">
          <strong>{refused ? t('pe.refused') : t('pw.serverNotes')}</strong>
          <ul className="issue-list">
            {issues.map((i) => (
              <IssueRow key={`${i.path}:${i.message}`} issue={i} />
            ))}
          </ul>
        </section>
      )}
      {validation && <ChangeTable changes={changes} machines={machines} label={t('pe.changes')} />}
      {validation && !refused && changes.length > 0 && (
        <ConfirmRun
          planName={active.plan}
          runLabel={t('pe.apply')}
          busy={applying}
          error={error}
          onRun={() => void apply()}
          risk={<p>{t('pe.risk', { plan: active.plan, count: changes.length })}</p>}
        />
      )}
      {error && (!validation || refused || changes.length === 0) && (
        <div className="state state-error" role="alert">
          <p className="state-message">{error}</p>
        </div>
      )}
      <div className="wizard-nav">
        <button type="button" className="btn" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <span className="spacer" />
        {validation && (
          <button type="button" className="btn" onClick={() => void validate()} disabled={checking}>
            {t('pe.checkAgain')}
          </button>
        )}
        <button type="button" className="btn" onClick={() => w.goTo(3)}>
          {t('common.back')}
        </button>
      </div>
    </div>
  );
}

function IssueRow({ issue }: { issue: PlanIssue }) {
  const w = useWizard();
  const step = stepOfPlanPath(issue.path);
  return (
    <li className={`field-${issue.severity}`}>
      {issue.severity === 'error' ? '✕ ' : '⚠ '}
      <code>{issue.path}</code>: {tServer(issue.message, issue.messageWords)}{' '}
      <button type="button" className="btn btn-small" onClick={() => w.goTo(step)}>
        {t('pw.goTo', { step: protectSteps(true)[step] ?? '' })}
      </button>
    </li>
  );
}

/** The VM a change at machines[i] is about, followed by a space; nothing for other paths. */
function machineOf(path: string, machines: string[]): string {
  const i = /^machines\[(\d+)\]/.exec(path)?.[1];
  const vm = i === undefined ? undefined : machines[Number(i)];
  return vm ? `(${vm}) ` : '';
}

/** A value as the plan file reads: a machine as "vm: web-01, bootGroup: 2", a list comma-separated. */
const shown = (v: unknown): string => {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.length === 0 ? '—' : v.map(shown).join(', ');
  if (typeof v === 'object')
    return Object.entries(v)
      .filter(([, x]) => x !== undefined && !(Array.isArray(x) && x.length === 0))
      .map(
        ([k, x]) =>
          `${k}: ${typeof x === 'object' && x !== null && !Array.isArray(x) ? `{ ${shown(x)} }` : shown(x)}`,
      )
      .join(', ');
  return String(v);
};

/** What applying changes (or changed, once done), one row a field: where, before, after. */
function ChangeTable({
  changes,
  machines,
  label,
  done = false,
}: {
  changes: PlanChange[];
  machines: string[];
  label: string;
  done?: boolean;
}) {
  if (changes.length === 0)
    return (
      <p className="muted" role="status">
        {t('pe.noChanges')}
      </p>
    );
  return (
    <table className="table change-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{t('pe.col.field')}</th>
          <th scope="col">{done ? t('pe.col.was') : t('pe.col.before')}</th>
          <th scope="col">{done ? t('pe.col.now') : t('pe.col.after')}</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={`${c.kind}:${c.path}`}>
            <th scope="row">
              <code>{c.path}</code> {machineOf(c.path, machines)}
              <span className="muted small">{t(`pe.kind.${c.kind}`)}</span>
            </th>
            <td>{c.kind === 'added' ? '—' : shown(c.from)}</td>
            <td>{c.kind === 'removed' ? '—' : shown(c.to)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
