import { formatDateTime, formatNumber } from './format';
import type { Locale } from './locale';
import type { Worded } from './worded';

/** A word book's entry: a template with `{name}` placeholders, or one per plural form. */
export type Plural = { readonly one: string; readonly other: string };
export type Entry = string | Plural;
export type Values = Record<string, string | number>;
/**
 * A book in another language for an English one: the same keys, with plural forms where the
 * English entry has them (its `count` picks one).
 */
export type BookLike<B> = { readonly [K in keyof B]: B[K] extends string ? string : Plural };

const plurals = new Map<Locale, Intl.PluralRules>();
function pluralRules(locale: Locale): Intl.PluralRules {
  const rules = plurals.get(locale) ?? new Intl.PluralRules(locale);
  plurals.set(locale, rules);
  return rules;
}

/**
 * An entry in `locale`: the plural form picked by `count`, numbers among the values with the
 * locale's separators. The console's catalogues (renderer/src/i18n) and the exports' word books
 * speak through this one function, so a count reads the same on screen and on paper.
 */
export function speak(locale: Locale, entry: Entry, values?: Values): string {
  const text =
    typeof entry === 'string'
      ? entry
      : pluralRules(locale).select(Number(values?.count ?? 0)) === 'one'
        ? entry.one
        : entry.other;
  if (!values) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = values[name];
    if (v === undefined) return whole;
    return typeof v === 'number' ? formatNumber(locale, v) : v;
  });
}

/** Warms ICU's number and plural data for `locale` (some 15 ms on first use). */
export function warmUp(locale: Locale): void {
  pluralRules(locale).select(1);
  formatNumber(locale, 1);
}

const ISO_MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Text the server wrote (worded.ts) in `locale` from `book`, its parts first; null when the book
 * lacks one of its keys (a newer server's text): the caller then shows the server's English.
 */
export function wordIn(
  locale: Locale,
  book: (locale: Locale) => Readonly<Record<string, Entry>>,
  words: Worded,
): string | null {
  const entry = book(locale)[words.key];
  if (entry === undefined) return null;
  const values: Values = {};
  // A moment travels as an ISO stamp (the CLI prints it so); a person reads it on the locale's clock.
  for (const [name, v] of Object.entries(words.params ?? {}))
    values[name] = typeof v === 'string' && ISO_MOMENT.test(v) ? formatDateTime(locale, v) : v;
  for (const [name, part] of Object.entries(words.parts ?? {})) {
    const worded = wordIn(locale, book, part);
    if (worded === null) return null;
    values[name] = worded;
  }
  return speak(locale, entry, values);
}
