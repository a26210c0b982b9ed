import { alertWordsEn, alertWordsNl } from './alert-words';
import { checkWordsEn, checkWordsNl } from './check-words';
import { clientWordsEn, clientWordsNl } from './client-words';
import { listWordsEn, listWordsNl } from './list-words';
import type { Locale } from './locale';
import { operationWordsEn, operationWordsNl } from './operation-words';
import { pairStateWordsEn, pairStateWordsNl } from './pair-state-words';
import { planFileWordsEn, planFileWordsNl } from './plan-file-words';
import { planWordsEn, planWordsNl } from './plan-words';
import { refusalWordsEn, refusalWordsNl } from './refusal-words';
import { type BookLike, type Entry, wordIn } from './speak';
import { stepWordsEn, stepWordsNl } from './step-words';
import type { Worded } from './worded';

/**
 * Every book that text said away from the renderer is worded from (Worded, say/sayer): the
 * configuration server's alerts, readiness checks, plan rules and files, refusals, job steps and
 * their lines, the states of pairs they speak of, what the console host and the core client say when a call fails, and
 * what an endpoint's operations say when one cannot be done. In one place:
 * the console's catalogues word them (tServer, errorText) and the tests check English against
 * them, so a book added here reaches both. No two books share a key with different text
 * (test/unit/i18n.test.ts), so the order they are spread in decides nothing.
 */
export const saidWordsEn = {
  ...alertWordsEn,
  ...checkWordsEn,
  ...clientWordsEn,
  ...listWordsEn,
  ...operationWordsEn,
  ...pairStateWordsEn,
  ...planFileWordsEn,
  ...planWordsEn,
  ...refusalWordsEn,
  ...stepWordsEn,
} as const;

export const saidWordsNl: BookLike<typeof saidWordsEn> = {
  ...alertWordsNl,
  ...checkWordsNl,
  ...clientWordsNl,
  ...listWordsNl,
  ...operationWordsNl,
  ...pairStateWordsNl,
  ...planFileWordsNl,
  ...planWordsNl,
  ...refusalWordsNl,
  ...stepWordsNl,
};

const said: Record<Locale, Readonly<Record<string, Entry>>> = { en: saidWordsEn, nl: saidWordsNl };

/**
 * Said text in `locale` (an export's language, away from the console's tServer): by its words when
 * a book has them, else the English it was sent with (an older or a newer sender).
 */
export function saidIn(locale: Locale, text: string, words: Worded | undefined): string {
  return (words && wordIn(locale, (l) => said[l], words)) ?? text;
}
