import { alertWordsEn } from '../../shared/i18n/alert-words';
import { checkWordsEn } from '../../shared/i18n/check-words';
import { clientWordsEn } from '../../shared/i18n/client-words';
import { listWordsEn } from '../../shared/i18n/list-words';
import { planFileWordsEn } from '../../shared/i18n/plan-file-words';
import { planWordsEn } from '../../shared/i18n/plan-words';
import { refusalWordsEn } from '../../shared/i18n/refusal-words';
import { speak } from '../../shared/i18n/speak';
import { stepWordsEn } from '../../shared/i18n/step-words';
import type { Worded } from '../../shared/i18n/worded';

/** Every English book server text is said from (shared/i18n/*-words.ts). */
const book: Readonly<Record<string, string>> = {
  ...alertWordsEn,
  ...checkWordsEn,
  ...clientWordsEn,
  ...listWordsEn,
  ...planFileWordsEn,
  ...planWordsEn,
  ...refusalWordsEn,
  ...stepWordsEn,
};

/**
 * Words in English, their parts first, as the server fills them (numbers with English
 * separators); null when a key is in none of the books. A server text with words must be exactly this.
 */
export function englishOf(words: Worded): string | null {
  const template = book[words.key];
  if (template === undefined) return null;
  const values: Record<string, string | number> = { ...words.params };
  for (const [name, part] of Object.entries(words.parts ?? {})) {
    const text = englishOf(part);
    if (text === null) return null;
    values[name] = text;
  }
  return speak('en', template, values);
}

/**
 * What a Dutch book still lacks against its English one: an entry left in English, or one whose
 * placeholders differ. An entry of placeholders and punctuation only ('{path}: {message}') reads
 * the same in both.
 */
export function dutchGaps(
  en: Readonly<Record<string, string>>,
  nl: Readonly<Record<string, string>>,
): string[] {
  const placeholders = (s: string) =>
    [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort().join();
  return Object.entries(en).flatMap(([key, english]) => {
    const dutch = nl[key] ?? '';
    if (/\p{L}/u.test(english.replace(/\{\w+\}/g, '')) && dutch === english) return [`${key}: still English`];
    return placeholders(dutch) === placeholders(english) ? [] : [`${key}: placeholders differ`];
  });
}
