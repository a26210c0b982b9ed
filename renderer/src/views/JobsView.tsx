import { useEffect, useState } from 'react';
import type { Job } from '../../../shared/schemas/job';
import { Empty, PageHeader } from '../components/states';
import { t, useT } from '../i18n';
import { formatDateTime, formatDuration, formatMoment, formatTime } from '../i18n/format';
import { jobError, logLine, stepName, subjectOf } from '../i18n/job-text';
import { errorText, jobTitle, useConsole } from '../store';
import { tokenName } from './format';
import { usePlanNames } from './plan-names';

type Step = Job['steps'][number];

const running = (job: Job) => job.state === 'queued' || job.state === 'running';

function duration(from: string | null, to: string | null, now: number): string {
  if (!from) return '—';
  return formatDuration(((to ? Date.parse(to) : now) - Date.parse(from)) / 1000);
}

function badge(state: string): string {
  if (state === 'failed') return 'badge-critical';
  if (state === 'succeeded') return 'badge-ok';
  if (state === 'cancelled') return 'badge-warning';
  return 'badge-unknown';
}

/** Whose token started a job, and when the lab made it if its name says so. */
function startedBy(createdBy: string): string {
  const token = tokenName(createdBy);
  return token.created
    ? t('jobs.tokenCreated', { name: token.name, when: formatMoment(token.created) })
    : token.name;
}

/** Every job any console or the CLI started, live from job:progress events; closing a window stops nothing. */
export function JobsView() {
  const jobMap = useConsole((s) => s.jobs);
  const loadJobs = useConsole((s) => s.loadJobs);
  const selectedId = useConsole((s) => s.selectedJob);
  const planName = usePlanNames();
  const select = useConsole((s) => s.selectJob);
  const t = useT();
  useEffect(() => {
    void loadJobs();
  }, [loadJobs]);
  const jobs = Object.values(jobMap).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  // Until the operator picks one, the newest running job (or the newest job) is shown.
  const selected = (selectedId && jobMap[selectedId]) || jobs.find(running) || jobs[0] || null;
  return (
    <section className="page" aria-label={t('jobs.title')}>
      <PageHeader title={t('jobs.title')} subtitle={t('jobs.subtitle')} actions={<NotifyButton />} />
      {jobs.length === 0 && <Empty title={t('jobs.empty')}>{t('jobs.emptyText')}</Empty>}
      {jobs.length > 0 && (
        <div className="jobs-layout">
          <ul className="job-list" aria-label={t('jobs.list')}>
            {jobs.map((job) => (
              <li key={job.id}>
                <button
                  type="button"
                  className={job.id === selected?.id ? 'job-item active' : 'job-item'}
                  aria-current={job.id === selected?.id ? 'true' : undefined}
                  onClick={() => select(job.id)}
                >
                  <span className="job-item-head">
                    <strong>{jobTitle(job)}</strong>
                    <span className={`badge ${badge(job.state)}`}>{t(`jobState.${job.state}`)}</span>
                  </span>
                  {planName(job.planId) && (
                    <span className="small">{t('jobs.forPlan', { plan: planName(job.planId)! })}</span>
                  )}
                  {subjectOf(job) && (
                    <span className="small">{t('jobs.forSubject', { subject: subjectOf(job)! })}</span>
                  )}
                  <progress
                    max={1}
                    value={job.progress}
                    aria-label={t('jobs.progressOf', { title: jobTitle(job), id: job.id })}
                  />
                  <span className="muted small">
                    {t('jobs.startedBy', {
                      when: formatMoment(job.createdAt),
                      who: tokenName(job.createdBy).name,
                    })}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {selected ? (
            <JobDetail key={selected.id} job={selected} plan={planName(selected.planId)} />
          ) : (
            <Empty title={t('jobs.select')} />
          )}
        </div>
      )}
    </section>
  );
}

function JobDetail({ job, plan }: { job: Job; plan: string | null }) {
  const api = useConsole((s) => s.api);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const t = useT();
  const live = running(job);
  const subject = subjectOf(job);
  useEffect(() => {
    if (!live) return;
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, [live]);
  const act = async (call: 'jobs:cancel' | 'jobs:acknowledge') => {
    setBusy(true);
    setError(null);
    try {
      await api![call]({ id: job.id });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const waiting = job.steps.find((s) => s.state === 'running' && s.prompt && !s.acknowledgedBy);
  const log = job.steps.flatMap((s) => s.log.map((l) => ({ ...l, step: s.name })));
  return (
    <article className={`job job-${job.state}`} aria-label={t('jobs.job', { id: job.id })}>
      <header>
        <h2>{jobTitle(job)}</h2>
        {plan && <span>{t('jobs.forPlan', { plan })}</span>}
        {subject && <span>{t('jobs.forSubject', { subject })}</span>}
        <span className={`badge ${badge(job.state)}`}>{t(`jobState.${job.state}`)}</span>
        <span className="muted small">{job.id}</span>
        <span className="spacer" />
        {live && (
          <button type="button" className="btn" disabled={busy} onClick={() => void act('jobs:cancel')}>
            {t('jobs.cancel')}
          </button>
        )}
      </header>
      <progress max={1} value={job.progress} aria-label={t('jobs.progress')} />
      <div className="muted small">
        {t(live ? 'jobs.startedRunning' : 'jobs.startedTook', {
          when: formatDateTime(job.createdAt),
          who: startedBy(job.createdBy),
          duration: duration(job.createdAt, live ? null : job.updatedAt, now),
        })}
      </div>
      {waiting && (
        <div className="job-prompt" role="alert">
          <strong>{t('jobs.waits')}</strong> {waiting.prompt}
          <button type="button" className="btn" disabled={busy} onClick={() => void act('jobs:acknowledge')}>
            {t('jobs.acknowledge')}
          </button>
        </div>
      )}
      {error && (
        <div className="state state-error" role="alert">
          <p className="state-message">{error}</p>
        </div>
      )}
      {job.error && (
        <div className="state state-error" role="alert">
          <p className="state-message">{jobError(job)}</p>
        </div>
      )}
      <table className="table job-steps" aria-label={t('jobs.steps')}>
        <thead>
          <tr>
            <th>{t('jobs.step')}</th>
            <th>{t('jobs.stepState')}</th>
            <th>{t('jobs.stepProgress')}</th>
            <th>{t('jobs.duration')}</th>
          </tr>
        </thead>
        <tbody>
          {job.steps.map((s: Step, i) => (
            <tr key={s.name} className={`step step-${s.state}`}>
              <td>
                <span className="step-name">
                  <span>{i + 1}.</span>
                  <span className="step-name-text">{stepName(s)}</span>
                </span>
              </td>
              <td>{t(`stepState.${s.state}`)}</td>
              <td>
                <progress
                  max={1}
                  value={s.progress}
                  aria-label={t('jobs.stepProgressOf', { name: stepName(s) })}
                />
              </td>
              <td>{duration(s.startedAt, s.finishedAt, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <section aria-label={t('jobs.log')} className="job-log" aria-live="polite">
        {log.length === 0 && <div className="muted">{t('jobs.nothingLogged')}</div>}
        {log.map((l) => (
          <div key={`${l.at}-${l.step}-${l.message}`} className={`log-line log-${l.level}`}>
            <span className="muted">{formatTime(l.at)}</span> {logLine(l)}
          </div>
        ))}
      </section>
    </article>
  );
}

/** The small indicator every screen shows while jobs run; it opens the Jobs screen. */
export function JobsIndicator() {
  const jobs = useConsole((s) => s.jobs);
  const setView = useConsole((s) => s.setView);
  const t = useT();
  const active = Object.values(jobs).filter(running);
  if (active.length === 0) return null;
  const progress = active.reduce((n, j) => n + j.progress, 0) / active.length;
  const label = t('jobs.running', { count: active.length });
  return (
    <button type="button" className="jobs-indicator" onClick={() => setView('jobs')} aria-label={label}>
      <span>{label}</span>
      <progress max={1} value={progress} aria-hidden="true" />
    </button>
  );
}

/**
 * Asks, on the operator's click (browsers refuse it otherwise), to show a system notification when
 * a job ends. The desktop app notifies by itself; without the permission the in-app notice stays.
 */
function NotifyButton() {
  useT();
  const [permission, setPermission] = useState(() =>
    typeof Notification === 'undefined' || window.siteshift ? null : Notification.permission,
  );
  if (permission === null || permission === 'granted') return null;
  if (permission === 'denied') return <span className="muted small">{t('jobs.notifyBlocked')}</span>;
  return (
    <button
      type="button"
      className="btn"
      onClick={() => void Notification.requestPermission().then((p) => setPermission(p))}
    >
      {t('jobs.notify')}
    </button>
  );
}
