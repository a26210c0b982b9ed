import { describe, expect, it } from 'vitest';
import {
  type EndedNotice,
  extendFades,
  noticeRules,
  recordEnded,
  shownNotices,
} from '../../renderer/src/views/ended-notices';
import type { Job } from '../../shared/schemas/job';

const job = (id: string, state: Job['state']) => ({ id, state }) as unknown as Job;
/** Jobs ending one second apart from t=0, in the order given. */
const endAll = (jobs: Job[]) =>
  jobs.reduce<EndedNotice[]>((list, j, i) => recordEnded(list, j, i * 1000), []);
const ids = (notices: EndedNotice[]) => notices.map((n) => n.job.id);

describe('the notices of ended jobs', () => {
  it('show at most three when ten lab jobs end together, newest first, and fold the rest', () => {
    const ended = endAll(Array.from({ length: 10 }, (_, i) => job(`j${i}`, 'succeeded')));
    const { shown, folded } = shownNotices(ended, 9_500);
    expect(ids(shown)).toEqual(['j9', 'j8', 'j7']);
    expect(ids(folded)).toEqual(['j6', 'j5', 'j4', 'j3', 'j2', 'j1', 'j0']);
  });

  it('never fold a failure away behind successes, nor let a success fade one', () => {
    const ended = endAll([
      job('failed-first', 'failed'),
      ...Array.from({ length: 8 }, (_, i) => job(`ok${i}`, 'succeeded')),
      job('cancelled', 'cancelled'),
      job('ok-last', 'succeeded'),
    ]);
    const at = 10_500;
    const { shown, folded } = shownNotices(ended, at);
    // The two that stay are shown, in time order with the newest success.
    expect(ids(shown)).toEqual(['ok-last', 'cancelled', 'failed-first']);
    expect(folded).toHaveLength(8);
    // An hour on, the successes have gone by themselves and the failures wait for the operator.
    const later = shownNotices(ended, at + 3_600_000);
    expect(ids(later.shown)).toEqual(['cancelled', 'failed-first']);
    expect(later.folded).toEqual([]);
    expect(later.nextFade).toBeNull();
  });

  it('let a success go after the fade time, and say when the next one goes', () => {
    const ended = endAll([job('a', 'succeeded'), job('b', 'succeeded')]);
    expect(shownNotices(ended, 500).nextFade).toBe(noticeRules.fadeMs);
    expect(ids(shownNotices(ended, noticeRules.fadeMs).shown)).toEqual(['b']);
    expect(shownNotices(ended, 1000 + noticeRules.fadeMs).shown).toEqual([]);
  });

  it('keep one notice per job and remember no more than the limit, the oldest dropped', () => {
    let ended = recordEnded([], job('a', 'failed'), 0);
    ended = recordEnded(ended, job('a', 'failed'), 5);
    expect(ids(ended)).toEqual(['a']);
    const many = endAll(Array.from({ length: noticeRules.kept + 20 }, (_, i) => job(`f${i}`, 'failed')));
    expect(many).toHaveLength(noticeRules.kept);
    expect(many[0]!.job.id).toBe('f20');
    expect(many.at(-1)!.job.id).toBe(`f${noticeRules.kept + 19}`);
  });

  it('hold while the operator reads them, a job ending meanwhile included; after, what faded meanwhile gets a few seconds more', () => {
    // Reading from t=500 (the console's clock stops there) while jobs go on ending for a minute.
    const since = 500;
    const back = 60_000;
    const ended = [job('x', 'failed'), job('old', 'succeeded'), job('new', 'succeeded')].reduce<
      EndedNotice[]
    >((list, j, i) => recordEnded(list, j, i * 30_000), []);
    expect(ids(shownNotices(ended, since).shown)).toEqual(['new', 'old', 'x']);
    const resumed = extendFades(ended, since, back);
    // The one that ended as the operator left keeps its own, longer time.
    expect(resumed.map((n) => n.fadesAt)).toEqual([
      null,
      back + noticeRules.graceMs,
      back + noticeRules.fadeMs,
    ]);
    expect(ids(shownNotices(resumed, back + 1).shown)).toEqual(['new', 'old', 'x']);
    expect(ids(shownNotices(resumed, back + noticeRules.graceMs).shown)).toEqual(['new', 'x']);
    // A notice that had gone before the operator came stays gone; one with time left keeps it.
    const gone = recordEnded([], job('y', 'succeeded'), 0);
    expect(extendFades(gone, noticeRules.fadeMs + 1, back)).toEqual(gone);
    const fresh = recordEnded([], job('z', 'succeeded'), back);
    expect(extendFades(fresh, since, back)).toEqual(fresh);
  });
});
