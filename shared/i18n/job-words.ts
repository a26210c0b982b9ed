import type { Job, JobKind } from '../schemas/job';
import type { Locale } from './locale';
import { saidIn } from './said-words';
import { speak } from './speak';

type Ended = 'succeeded' | 'failed' | 'cancelled';
type JobWordKey =
  | `jobKind.${JobKind}`
  | 'jobs.dryRun'
  | 'jobs.forSubject'
  | 'jobs.titleFor'
  | `jobs.ended.${Ended}`
  | `jobs.endedBody.${Ended}`
  | 'jobs.trayOne'
  | 'jobs.trayMany';
export type JobWords = Readonly<Record<JobWordKey, string>>;

/**
 * The console's words for jobs, in English and Dutch. They live here, not only in the renderer's
 * catalogues (which include them), because the desktop app's main process words its native
 * notifications and tray tooltip with them too, and nothing may import the renderer.
 */
export const jobWordsEn = {
  'jobs.dryRun': '{title} (dry run)',
  'jobs.forSubject': 'for {subject}',
  'jobs.titleFor': '{title} for {subject}',
  'jobs.ended.succeeded': '{title} finished',
  'jobs.ended.failed': '{title} failed',
  'jobs.ended.cancelled': '{title} was cancelled',
  'jobs.endedBody.succeeded': 'Every step finished.',
  'jobs.endedBody.failed': 'The job failed.',
  'jobs.endedBody.cancelled': 'The job was cancelled.',
  'jobs.trayOne': 'Siteshift — {title} running ({percent} %)',
  'jobs.trayMany': 'Siteshift — {count} jobs running ({percent} %)',
  'jobKind.protect': 'Protect',
  'jobKind.test-failover': 'Test failover',
  'jobKind.cleanup-test': 'Cleanup test',
  'jobKind.planned-failover': 'Planned failover',
  'jobKind.unplanned-failover': 'Unplanned failover',
  'jobKind.commit': 'Commit',
  'jobKind.rollback': 'Rollback',
  'jobKind.reprotect': 'Reprotect',
  'jobKind.failback': 'Failback',
  'jobKind.resync': 'Resync',
  'jobKind.remove': 'Remove',
  'jobKind.configure-master-target': 'Configure master target',
} as const satisfies JobWords;

export const jobWordsNl: JobWords = {
  'jobs.dryRun': '{title} (proefrun)',
  'jobs.forSubject': 'voor {subject}',
  'jobs.titleFor': '{title} voor {subject}',
  'jobs.ended.succeeded': '{title} is voltooid',
  'jobs.ended.failed': '{title} is mislukt',
  'jobs.ended.cancelled': '{title} is geannuleerd',
  'jobs.endedBody.succeeded': 'Alle stappen zijn voltooid.',
  'jobs.endedBody.failed': 'De taak is mislukt.',
  'jobs.endedBody.cancelled': 'De taak is geannuleerd.',
  'jobs.trayOne': 'Siteshift — {title} loopt ({percent} %)',
  'jobs.trayMany': 'Siteshift — {count} taken lopen ({percent} %)',
  'jobKind.protect': 'Beveiligen',
  'jobKind.test-failover': 'Testfailover',
  'jobKind.cleanup-test': 'Test opruimen',
  'jobKind.planned-failover': 'Geplande failover',
  'jobKind.unplanned-failover': 'Ongeplande failover',
  'jobKind.commit': 'Vastleggen',
  'jobKind.rollback': 'Terugdraaien',
  'jobKind.reprotect': 'Opnieuw beveiligen',
  'jobKind.failback': 'Failback',
  'jobKind.resync': 'Hersynchroniseren',
  'jobKind.remove': 'Verwijderen',
  'jobKind.configure-master-target': 'Master target configureren',
};

const words: Record<Locale, JobWords> = { en: jobWordsEn, nl: jobWordsNl };

function say(locale: Locale, key: JobWordKey, values?: Record<string, string | number>): string {
  return speak(locale, words[locale][key], values);
}

/** Words, not raw kinds: what an operator reads during an outage. */
export function jobTitle(locale: Locale, job: Pick<Job, 'kind' | 'dryRun'>): string {
  const title = say(locale, `jobKind.${job.kind}`);
  return job.dryRun ? say(locale, 'jobs.dryRun', { title }) : title;
}

/** What a job for no plan acts on (Job.subject), in the locale's words when the server sent them. */
export function jobSubject(locale: Locale, job: Pick<Job, 'subject' | 'subjectWords'>): string | null {
  return job.subject ? saidIn(locale, job.subject, job.subjectWords) : null;
}

/**
 * The words a notification or toast uses for a job that ended: with what it acted on, as four
 * master targets configured in a row are four different jobs.
 */
export function endedText(locale: Locale, job: Job): { title: string; body: string } {
  const state: Ended = job.state === 'succeeded' || job.state === 'failed' ? job.state : 'cancelled';
  const subject = jobSubject(locale, job);
  const title = jobTitle(locale, job);
  return {
    title: say(locale, `jobs.ended.${state}`, {
      title: subject ? say(locale, 'jobs.titleFor', { title, subject }) : title,
    }),
    // The server's own error: what went wrong is its to say, in the locale's words when it sent them.
    body:
      job.error === null ? say(locale, `jobs.endedBody.${state}`) : saidIn(locale, job.error, job.errorWords),
  };
}

/** One line for the jobs running now (the desktop tray's tooltip); `fraction` is their mean progress. */
export function runningText(locale: Locale, jobs: readonly Job[], fraction: number): string {
  const percent = Math.round(fraction * 100);
  return jobs.length === 1
    ? say(locale, 'jobs.trayOne', { title: jobTitle(locale, jobs[0]!), percent })
    : say(locale, 'jobs.trayMany', { count: jobs.length, percent });
}
