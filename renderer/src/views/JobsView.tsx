import { useEffect } from 'react';
import { Empty, PageHeader } from '../components/states';
import { useConsole } from '../store';

/** Every job any console started, live from job:progress events; closing a window stops nothing. */
export function JobsView() {
  const jobMap = useConsole((s) => s.jobs);
  const loadJobs = useConsole((s) => s.loadJobs);
  useEffect(() => {
    void loadJobs();
  }, [loadJobs]);
  const jobs = Object.values(jobMap).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <section className="page" aria-label="Jobs">
      <PageHeader title="Jobs" subtitle="Failover, failback and protection jobs with live progress" />
      {jobs.length === 0 && (
        <Empty title="No jobs yet">
          Jobs started from any console or the CLI show up here while they run.
        </Empty>
      )}
      {jobs.map((job) => (
        <article className={`job job-${job.state}`} key={job.id}>
          <header>
            <strong>{job.kind}</strong> <span className="muted">{job.id}</span>
            <span
              className={`badge badge-${job.state === 'failed' ? 'critical' : job.state === 'succeeded' ? 'ok' : 'unknown'}`}
            >
              {job.state}
            </span>
          </header>
          <progress max={1} value={job.progress} aria-label={`${job.kind} progress`} />
          <ol className="steps">
            {job.steps.map((s) => (
              <li key={s.name} className={`step step-${s.state}`}>
                {s.name} — {s.state}
              </li>
            ))}
          </ol>
          {job.error && <div className="state-error">{job.error}</div>}
        </article>
      ))}
    </section>
  );
}
