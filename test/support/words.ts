import { saidWordsEn } from '../../shared/i18n/said-words';
import { type Entry, speak } from '../../shared/i18n/speak';
import type { Worded } from '../../shared/i18n/worded';

/** Every English book the server's, the console host's and the client's text is said from (said-words.ts). */
const book: Readonly<Record<string, Entry>> = saidWordsEn;

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
  en: Readonly<Record<string, Entry>>,
  nl: Readonly<Record<string, Entry>>,
): string[] {
  const forms = (e: Entry | undefined) =>
    e === undefined ? [''] : typeof e === 'string' ? [e] : [e.one, e.other];
  const placeholders = (e: Entry | undefined) =>
    [...new Set(forms(e).flatMap((s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].sort().join();
  return Object.entries(en).flatMap(([key, english]) => {
    const dutch = nl[key];
    if (typeof english !== typeof dutch) return [`${key}: plural forms in one language only`];
    const same = forms(english).some(
      (form, i) => /\p{L}/u.test(form.replace(/\{\w+\}/g, '')) && forms(dutch)[i] === form,
    );
    if (same) return [`${key}: still English`];
    return placeholders(dutch) === placeholders(english) ? [] : [`${key}: placeholders differ`];
  });
}
