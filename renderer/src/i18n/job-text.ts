import { stepWordsEn } from '../../../shared/i18n/step-words';
import type { Job, JobLogLine } from '../../../shared/schemas/job';
import { t, tServer } from '.';

/**
 * What the server wrote about a job (its steps' names, their log lines, its error) in the
 * console's language: by the words it sent with them, else its English (shared/i18n/step-words.ts).
 */
export const stepName = (step: Pick<Job['steps'][number], 'name' | 'nameWords'>): string =>
  tServer(step.name, step.nameWords);

export const logLine = (line: Pick<JobLogLine, 'message' | 'words'>): string =>
  tServer(line.message, line.words);

/** What a job for no plan acts on (a master target, a resync's machines), worded by the console's books. */
export const subjectOf = (job: Pick<Job, 'subject' | 'subjectWords'>): string | null =>
  job.subject ? tServer(job.subject, job.subjectWords) : null;

/** The job's error; a failed step's error names the step, worded as the step shows it (a part). */
export const jobError = (job: Job): string | null =>
  job.error === null ? null : tServer(job.error, job.errorWords);

/** A dry run's line without its "dry run:" (the panel says it is one), in either language. */
export function dryRunLine(line: Pick<JobLogLine, 'message' | 'words'>): string {
  const text = logLine(line);
  const prefix = [t('stepLog.dryRunPrefix'), stepWordsEn['stepLog.dryRunPrefix']].find((p) =>
    text.startsWith(p),
  );
  return prefix ? text.slice(prefix.length) : text;
}
