import { stepWordsEn } from '../../shared/i18n/step-words';
import type { Worded } from '../../shared/i18n/worded';
import type { Job } from '../../shared/schemas/job';
import { englishOf as english } from './words';

/**
 * What a finished job says that a console could not word in its language: a step name, a log
 * line or the error without words from the step book (shared/i18n/step-words.ts), or with words
 * whose English differs from the text. Empty when every one of them came from the book.
 */
export function unworded(job: Job): string[] {
  const check = (what: string, text: string, words: Worded | undefined): string[] => {
    if (!words) return [`${what} has no words: ${text}`];
    if (!(words.key in stepWordsEn))
      return [`${what} names ${words.key}, which the step book lacks: ${text}`];
    const said = english(words);
    if (said === null) return [`${what} has a part no word book has: ${JSON.stringify(words)}`];
    return said === text ? [] : [`${what} says "${text}" but its words say "${said}"`];
  };
  return [
    ...job.steps.flatMap((s, i) => [
      ...check(`step ${i + 1}`, s.name, s.nameWords),
      ...s.log.flatMap((l) => check(`a line of step ${i + 1} (${s.name})`, l.message, l.words)),
    ]),
    ...(job.error === null ? [] : check('the job error', job.error, job.errorWords)),
  ];
}
