import { useEffect, useRef, useState } from 'react';
import { t, useT } from '../i18n';
import { endedText, useConsole } from '../store';
import { shownNotices } from './ended-notices';
import { usePlanNames } from './plan-names';

/**
 * The in-app notices of jobs that ended while this console watched, newest first: a few at a time
 * and the rest folded into one line, so that a plan ending many jobs at once does not cover the
 * screen. A job that did not succeed stays until dismissed; a succeeded one goes by itself, but
 * not while the pointer or focus is on the notices.
 */
export function EndedJobs() {
  useT();
  const ended = useConsole((s) => s.endedJobs);
  const dismiss = useConsole((s) => s.dismissEnded);
  const resumeFading = useConsole((s) => s.resumeFading);
  const select = useConsole((s) => s.selectJob);
  const setView = useConsole((s) => s.setView);
  const planName = usePlanNames();
  const [now, setNow] = useState(Date.now);
  const [reading, setReading] = useState(false);
  // When the pointer or focus came to the notices: the clock they are shown by stops there.
  const readingSince = useRef(0);
  const { shown, folded, nextFade } = shownNotices(ended, now);

  useEffect(() => {
    if (reading || nextFade === null) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, nextFade - Date.now()));
    return () => clearTimeout(timer);
  }, [reading, nextFade]);
  // A notice that arrives is measured against the clock of its arrival, not the last fade's.
  useEffect(() => {
    if (!reading && ended.length) setNow(Date.now());
  }, [ended, reading]);

  // Dismissing the last notice under the pointer removes it without a mouseleave.
  useEffect(() => {
    if (reading && shown.length === 0 && folded.length === 0) setReading(false);
  }, [reading, shown.length, folded.length]);

  const startReading = () => {
    if (reading) return;
    readingSince.current = Date.now();
    setNow(readingSince.current);
    setReading(true);
  };
  const stopReading = () => {
    if (!reading) return;
    setReading(false);
    resumeFading(readingSince.current);
  };
  return (
    <section
      className="job-toasts"
      aria-label={t('jobs.endedNotices')}
      aria-live="polite"
      onMouseEnter={startReading}
      onMouseLeave={stopReading}
      onFocus={startReading}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) stopReading();
      }}
    >
      {shown.map(({ job }) => {
        const { title, body } = endedText(job);
        const plan = planName(job.planId);
        return (
          <div key={job.id} className={`job-toast job-toast-${job.state}`} role="status">
            <strong>{title}</strong>
            {plan && <span className="small">{t('jobs.forPlan', { plan })}</span>}
            <span>{body}</span>
            <span className="job-toast-actions">
              <button
                type="button"
                className="btn btn-small"
                onClick={() => {
                  select(job.id);
                  setView('jobs');
                  dismiss([job.id]);
                }}
              >
                {t('jobs.openJob')}
              </button>
              <button type="button" className="btn btn-small" onClick={() => dismiss([job.id])}>
                {t('common.dismiss')}
              </button>
            </span>
          </div>
        );
      })}
      {folded.length > 0 && (
        <div className="job-toast job-toast-more">
          <span>{t('jobs.endedMore', { count: folded.length })}</span>
          <span className="job-toast-actions">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                setView('jobs');
                dismiss(folded.map((n) => n.job.id));
              }}
            >
              {t('jobs.openJobs')}
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => dismiss([...shown, ...folded].map((n) => n.job.id))}
            >
              {t('jobs.dismissAll')}
            </button>
          </span>
        </div>
      )}
    </section>
  );
}
