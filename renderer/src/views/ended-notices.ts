import type { Job } from '../../../shared/schemas/job';

/** A job that ended while this console watched: when it was seen to end, and when its notice goes (ms). */
export interface EndedNotice {
  job: Job;
  endedAt: number;
  /** Null while the notice stays until dismissed. */
  fadesAt: number | null;
}

export const noticeRules = {
  /** Notices on screen at once; the rest fold into one "and K more" line. */
  visible: 3,
  /** How long a succeeded job's notice stays. */
  fadeMs: 10_000,
  /** After the pointer or focus leaves the notices, what had faded meanwhile stays this much longer. */
  graceMs: 3_000,
  /** Notices remembered at most (a lab ending hundreds of jobs must not grow the console's memory). */
  kept: 50,
};

/** A job that did not succeed (failed, cancelled) keeps its notice until the operator dismisses it. */
export const stays = (job: Job): boolean => job.state !== 'succeeded';

const live = (n: EndedNotice, now: number) => n.fadesAt === null || n.fadesAt > now;

/**
 * The notices after `job` ended at `now`: one per job, the oldest dropped past `kept`. Faded ones
 * are only hidden (shownNotices): while the operator reads, a notice past its time must stay.
 */
export function recordEnded(
  notices: readonly EndedNotice[],
  job: Job,
  now: number,
  rules = noticeRules,
): EndedNotice[] {
  const next = notices.filter((n) => n.job.id !== job.id);
  next.push({ job, endedAt: now, fadesAt: stays(job) ? null : now + rules.fadeMs });
  return next.slice(-rules.kept);
}

/**
 * Fading stopped while the operator read the notices (from `since` until `now`): what would have
 * gone meanwhile stays a little longer; what had gone before stays gone.
 */
export function extendFades(
  notices: readonly EndedNotice[],
  since: number,
  now: number,
  rules = noticeRules,
): EndedNotice[] {
  const until = now + rules.graceMs;
  return notices.map((n) =>
    n.fadesAt === null || n.fadesAt < since || n.fadesAt >= until ? n : { ...n, fadesAt: until },
  );
}

/**
 * What the notices show at `now`: at most `visible`, newest first, the ones that stay until
 * dismissed before those that fade (a failure is never folded away behind successes), the rest
 * counted in `folded`. `nextFade` is when what is shown next changes by itself.
 */
export function shownNotices(
  notices: readonly EndedNotice[],
  now: number,
  rules = noticeRules,
): { shown: EndedNotice[]; folded: EndedNotice[]; nextFade: number | null } {
  const newestFirst = notices.filter((n) => live(n, now)).reverse();
  newestFirst.sort((a, b) => b.endedAt - a.endedAt);
  const picked = new Set(
    [...newestFirst.filter((n) => stays(n.job)), ...newestFirst.filter((n) => !stays(n.job))].slice(
      0,
      rules.visible,
    ),
  );
  const fades = newestFirst.flatMap((n) => (n.fadesAt === null ? [] : [n.fadesAt]));
  return {
    shown: newestFirst.filter((n) => picked.has(n)),
    folded: newestFirst.filter((n) => !picked.has(n)),
    nextFade: fades.length ? Math.min(...fades) : null,
  };
}
