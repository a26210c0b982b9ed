import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { ReadinessCheck } from '../../../../shared/configserver';
import type { Job } from '../../../../shared/schemas/job';
import { t, tServer, useT } from '../../i18n';
import { formatPercent, formatTime } from '../../i18n/format';
import { dryRunLine, jobError, stepName } from '../../i18n/job-text';
import type { FieldIssue } from '../../wizards/protect-model';
import { Busy } from '../states';

/**
 * The pieces every wizard is made of: numbered steps, fields that say what is wrong in plain
 * words, the readiness checks, the dry-run summary and the typed-name confirmation. The wizards
 * (renderer/src/wizards) put them together; their state lives in the wizard store.
 */

export function WizardFrame({
  title,
  subtitle,
  steps,
  step,
  reached,
  onStep,
  children,
}: {
  title: string;
  subtitle?: ReactNode;
  steps: readonly string[];
  step: number;
  reached: number;
  onStep: (step: number) => void;
  children: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const t = useT();
  // Keyboard and screen-reader users land on the new step's heading, not on the page's top.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the step changes
  useEffect(() => {
    heading.current?.focus();
  }, [step]);
  return (
    <section className="page wizard" aria-label={title}>
      <header className="page-header">
        <div>
          <h1>{title}</h1>
          {subtitle && <p className="subtitle">{subtitle}</p>}
        </div>
      </header>
      <div className="wizard-layout">
        <nav aria-label={t('wizard.steps')}>
          <ol className="wizard-steps">
            {steps.map((name, i) => (
              <li key={name}>
                <button
                  type="button"
                  className={`wizard-step${i === step ? ' current' : ''}${i < step ? ' done' : ''}`}
                  aria-current={i === step ? 'step' : undefined}
                  disabled={i > reached}
                  onClick={() => onStep(i)}
                >
                  <span className="wizard-step-no" aria-hidden="true">
                    {i < step ? '✓' : i + 1}
                  </span>
                  <span>{name}</span>
                </button>
              </li>
            ))}
          </ol>
        </nav>
        <div className="wizard-body card">
          <h2 ref={heading} tabIndex={-1} className="wizard-heading">
            {t('wizard.stepOf', { n: step + 1, total: steps.length, name: steps[step] ?? '' })}
          </h2>
          {children}
        </div>
      </div>
    </section>
  );
}

/** Back, Cancel and Next; Next says why it cannot go on instead of silently greying out. */
export function WizardNav({
  onBack,
  onNext,
  onCancel,
  nextLabel,
  blocked,
  busy,
  extra,
}: {
  onBack?: () => void;
  onNext?: () => void;
  onCancel: () => void;
  nextLabel?: string;
  /** Why Next cannot be pressed yet (shown beside it), or null. */
  blocked?: string | null;
  busy?: boolean;
  extra?: ReactNode;
}) {
  const t = useT();
  return (
    <div className="wizard-nav">
      <button type="button" className="btn" onClick={onCancel}>
        {t('common.cancel')}
      </button>
      {extra}
      <span className="spacer" />
      {blocked && (
        <span className="wizard-blocked" id="wizard-blocked">
          {blocked}
        </span>
      )}
      {onBack && (
        <button type="button" className="btn" onClick={onBack}>
          {t('common.back')}
        </button>
      )}
      {onNext && (
        <button
          type="button"
          className="btn btn-primary"
          onClick={onNext}
          disabled={busy}
          aria-describedby={blocked ? 'wizard-blocked' : undefined}
        >
          {nextLabel ?? t('common.next')}
        </button>
      )}
    </div>
  );
}

/** The props a control needs to be tied to its label and its message. */
export function fieldProps(id: string, issues: FieldIssue[], shown: boolean) {
  const mine = issues.filter((i) => i.field === id && (shown || i.severity === 'warning'));
  return {
    id: `f-${cssId(id)}`,
    'aria-invalid': mine.some((i) => i.severity === 'error') || undefined,
    'aria-describedby': mine.length ? `f-${cssId(id)}-msg` : undefined,
  };
}

export const cssId = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');

export function Field({
  id,
  label,
  issues,
  shown,
  hint,
  children,
  wide,
}: {
  id: string;
  label: string;
  issues: FieldIssue[];
  /** Errors show once the field was changed or Next was pressed; warnings always. */
  shown: boolean;
  hint?: ReactNode;
  children: ReactNode;
  wide?: boolean;
}) {
  const mine = issues.filter((i) => i.field === id && (shown || i.severity === 'warning'));
  return (
    <div className={`field${wide ? ' wide' : ''}`}>
      <label htmlFor={`f-${cssId(id)}`}>{label}</label>
      {children}
      {hint && <span className="field-hint">{hint}</span>}
      {mine.length > 0 && (
        <span id={`f-${cssId(id)}-msg`} className="field-messages">
          {mine.map((i) => (
            <span key={i.message} className={`field-${i.severity}`}>
              {i.severity === 'error' ? '✕ ' : '⚠ '}
              {i.message}
            </span>
          ))}
        </span>
      )}
    </div>
  );
}

/** Issues that are not tied to one field of the step (or all of them, for a summary). */
export function IssueList({ issues, label }: { issues: FieldIssue[]; label: string }) {
  if (issues.length === 0) return null;
  return (
    <ul className="issue-list" aria-label={label}>
      {issues.map((i) => (
        <li key={`${i.field}:${i.message}`} className={`field-${i.severity}`}>
          {i.severity === 'error' ? '✕ ' : '⚠ '}
          {i.message}
        </li>
      ))}
    </ul>
  );
}

/** The server's readiness checks: failures first, each with what to do about it. */
export function ReadinessPanel({
  report,
  loading,
  error,
  onRecheck,
}: {
  /** A readiness report, or any answer made of the same checks (the master target check). */
  report: { ready: boolean; checkedAt: string; checks: ReadinessCheck[] } | null;
  loading: boolean;
  error: string | null;
  onRecheck: () => void;
}) {
  const t = useT();
  const order = { fail: 0, warn: 1, pass: 2 };
  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const c of report?.checks ?? []) counts[c.status]++;
  const checks = [...(report?.checks ?? [])].sort((a, b) => order[a.status] - order[b.status]);
  return (
    <section aria-label={t('ready.checks')} className="readiness">
      <div className="readiness-head">
        {report && (
          <strong className={report.ready ? 'ready-yes' : 'ready-no'} role="status">
            {report.ready
              ? counts.warn
                ? t('ready.withWarnings', { count: counts.warn })
                : t('ready.allPassed')
              : t('ready.notReady', { count: counts.fail })}
          </strong>
        )}
        {report && (
          <span className="muted small">
            {t('ready.counts', { ...counts, time: formatTime(report.checkedAt) })}
          </span>
        )}
        <span className="spacer" />
        <button type="button" className="btn" onClick={onRecheck} disabled={loading}>
          {loading ? t('ready.checking') : t('ready.checkAgain')}
        </button>
      </div>
      {loading && !report && <Busy>{t('ready.serverChecking')}</Busy>}
      {error && (
        <div className="state state-error" role="alert">
          <p className="state-message">{error}</p>
        </div>
      )}
      {checks.length > 0 && <CheckList checks={checks.filter((c) => c.status !== 'pass')} />}
      {checks.some((c) => c.status === 'pass') && (
        <details className="passed-checks">
          <summary>{t('ready.passed', { count: checks.filter((c) => c.status === 'pass').length })}</summary>
          <CheckList checks={checks.filter((c) => c.status === 'pass')} />
        </details>
      )}
    </section>
  );
}

function CheckList({ checks }: { checks: ReadinessCheck[] }) {
  if (checks.length === 0) return null;
  return (
    <ul className="checks">
      {checks.map((c) => (
        <li key={`${c.id}:${c.subject ?? ''}:${c.message}`} className={`check-row check-${c.status}`}>
          <span
            className={`badge badge-${c.status === 'pass' ? 'ok' : c.status === 'warn' ? 'warning' : 'critical'}`}
          >
            {t(`ready.${c.status}`)}
          </span>
          <div>
            <div>
              <strong>{tServer(c.title, c.titleWords)}</strong>
              {c.subject && <span className="muted"> · {c.subject}</span>}
            </div>
            <div>{tServer(c.message, c.messageWords)}</div>
            {c.fix && (
              <div className="check-fix">
                <strong>{t('ready.fix')}</strong> {tServer(c.fix, c.fixWords)}
              </div>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}

const ended = (job: Job) => job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled';

/** The dry run's own words: every "would …" line of its steps, which is exactly what the run changes. */
export function DryRunPanel({ job, error }: { job: Job | null; error: string | null }) {
  const t = useT();
  if (error)
    return (
      <div className="state state-error" role="alert">
        <p className="state-message">{error}</p>
      </div>
    );
  if (!job) return <Busy>{t('dryRun.starting')}</Busy>;
  const lines = job.steps.flatMap((s) => s.log.map((l) => ({ ...l, step: s.name })));
  // Every workflow words its dry run as "would …" ("dry run: would create …", "… would go from …").
  const changes = lines.filter((l) => /\bwould\b/i.test(l.message));
  return (
    <section aria-label={t('dryRun.title')} className="dry-run">
      <div className="readiness-head">
        <strong role="status">
          {!ended(job)
            ? t('dryRun.progressing', {
                state: t(`jobState.${job.state}`),
                percent: formatPercent(job.progress),
              })
            : job.state === 'succeeded'
              ? t('dryRun.finished', { count: changes.length })
              : t('dryRun.ended', { state: t(`jobState.${job.state}`) })}
        </strong>
        <span className="muted small">{t('dryRun.job', { id: job.id })}</span>
      </div>
      <progress max={1} value={job.progress} aria-label={t('dryRun.progress')} />
      {job.error && (
        <div className="state state-error" role="alert">
          <p className="state-message">{jobError(job)}</p>
        </div>
      )}
      {ended(job) && (
        <ol className="dry-run-steps">
          {job.steps.map((s) => {
            const mine = s.log.filter(
              (l) => l.level !== 'info' || /dry run|\bwould\b/i.test(l.message) || s.log.length <= 3,
            );
            return (
              <li key={s.name}>
                <strong>{stepName(s)}</strong>{' '}
                <span
                  className={`badge ${s.state === 'failed' ? 'badge-critical' : s.state === 'succeeded' ? 'badge-ok' : ''}`}
                >
                  {t(`stepState.${s.state}`)}
                </span>
                {mine.length > 0 && (
                  <ul>
                    {mine.map((l) => (
                      <li key={`${l.at}:${l.message}`} className={`log-${l.level}`}>
                        {dryRunLine(l)}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

/**
 * The last step: what will happen in one sentence, and the plan name typed to go on. A mismatch
 * says so at the field; Run is refused, not hidden.
 */
export function ConfirmRun({
  planName,
  what,
  risk,
  runLabel,
  onRun,
  busy,
  error,
}: {
  planName: string;
  /** What the typed name is: the plan's (the default), or the master target's. */
  what?: string;
  risk: ReactNode;
  runLabel: string;
  onRun: () => void;
  busy: boolean;
  error: string | null;
}) {
  useT();
  const named = what ?? t('confirm.planName');
  const [typed, setTyped] = useState('');
  const [tried, setTried] = useState(false);
  const matches = typed.trim() === planName;
  const issues: FieldIssue[] =
    tried && !matches
      ? [
          {
            field: 'confirm',
            severity: 'error',
            message: typed.trim()
              ? t('confirm.mismatch', { what: named, name: planName })
              : t('confirm.type', { name: planName }),
          },
        ]
      : [];
  return (
    <section aria-label={t('confirm.title')} className="confirm">
      <div className="banner banner-warning">{risk}</div>
      <form
        className="confirm-form"
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if (matches) onRun();
        }}
      >
        <Field id="confirm" label={t('confirm.label', { what: named, name: planName })} issues={issues} shown>
          <input
            className="input"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            {...fieldProps('confirm', issues, true)}
          />
        </Field>
        <button type="submit" className="btn btn-danger" disabled={busy}>
          {busy ? t('confirm.starting') : runLabel}
        </button>
      </form>
      {error && (
        <div className="state state-error" role="alert">
          <p className="state-message">{error}</p>
        </div>
      )}
    </section>
  );
}
