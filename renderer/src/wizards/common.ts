import { useEffect, useRef, useState } from 'react';
import type { Job, JobKind } from '../../../shared/schemas/job';
import { errorText, useConsole } from '../store';
import { useWizard, type WizardKind } from './store';

export const jobKindOf: Record<WizardKind, JobKind> = {
  protect: 'protect',
  test: 'test-failover',
  planned: 'planned-failover',
  unplanned: 'unplanned-failover',
  cleanup: 'cleanup-test',
  commit: 'commit',
  rollback: 'rollback',
  'master-target': 'configure-master-target',
  reprotect: 'reprotect',
  failback: 'failback',
};

/** Jobs that act on a plan name it; configure master target names its VM in its input instead. */
const planOf = (kind: WizardKind, plan: string) => (kind === 'master-target' ? null : plan);

function remember(job: Job) {
  const jobs = useConsole.getState().jobs;
  const known = jobs[job.id];
  if (!known || known.updatedAt <= job.updatedAt) useConsole.setState({ jobs: { ...jobs, [job.id]: job } });
}

/**
 * Starts the dry run of the wizard's current choices once (again after a choice changed), and
 * follows it through job:progress like the Jobs screen does.
 */
export function useDryRun(active: boolean, kind: WizardKind, input: Record<string, unknown>) {
  const wizard = useWizard((s) => s.active);
  const dryRunJob = useWizard((s) => s.dryRunJob);
  const setDryRunJob = useWizard((s) => s.setDryRunJob);
  const job = useConsole((s) => (dryRunJob ? (s.jobs[dryRunJob] ?? null) : null));
  const [error, setError] = useState<string | null>(null);
  const starting = useRef(false);
  const inputKey = JSON.stringify(input);
  useEffect(() => {
    if (!active || !wizard || (kind !== 'master-target' && !wizard.plan) || dryRunJob || starting.current)
      return;
    starting.current = true;
    setError(null);
    useConsole
      .getState()
      .api!['jobs:create']({
        connectionId: wizard.connectionId,
        kind: jobKindOf[kind],
        planId: planOf(kind, wizard.plan),
        dryRun: true,
        input: JSON.parse(inputKey) as Record<string, unknown>,
      })
      .then(
        (created) => {
          remember(created);
          setDryRunJob(created.id);
        },
        (err: unknown) => setError(errorText(err)),
      )
      .finally(() => {
        starting.current = false;
      });
  }, [active, wizard, dryRunJob, kind, inputKey, setDryRunJob]);
  // job:progress keeps the job current; a reload of the job covers an event missed while starting.
  useEffect(() => {
    if (
      !dryRunJob ||
      !job ||
      job.state === 'succeeded' ||
      job.state === 'failed' ||
      job.state === 'cancelled'
    )
      return;
    const t = setInterval(() => {
      void useConsole
        .getState()
        .api!['jobs:get']({ id: dryRunJob })
        .then(remember, () => undefined);
    }, 3000);
    return () => clearInterval(t);
  }, [dryRunJob, job]);
  const retry = () => {
    setError(null);
    setDryRunJob(null);
  };
  return { job, error, retry };
}

/** Starts the real job and hands over to the Jobs screen, which follows it live. */
export function useRunJob(kind: WizardKind, input: Record<string, unknown>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    const wizard = useWizard.getState().active;
    if (!wizard) return;
    setBusy(true);
    setError(null);
    try {
      const job = await useConsole.getState().api!['jobs:create']({
        connectionId: wizard.connectionId,
        kind: jobKindOf[kind],
        planId: planOf(kind, wizard.plan),
        dryRun: false,
        input,
      });
      remember(job);
      useWizard.getState().close();
      useConsole.getState().selectJob(job.id);
      useConsole.getState().setView('jobs');
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return { run, busy, error };
}

export const dryRunDone = (job: Job | null) => job?.state === 'succeeded';
