import { sayer, type Text } from './worded';

/**
 * How server-written text joins items and shortens long lists, as a word book, so that a list
 * inside a worded sentence is worded with it ("a, b and 3 more" / "a, b en nog 3").
 */
export const listWordsEn = {
  'list.more': '{list} and {more} more',
  'list.then': '{first}; {rest}',
  'list.comma': '{first}, {rest}',
  'list.and': '{first} and {rest}',
  'list.or': '{first} or {rest}',
  // Sizes as server/estate.ts formatBytes writes them, with the console's decimal mark.
  'size.tib': '{whole}.{tenth} TiB',
  'size.gibTenths': '{whole}.{tenth} GiB',
  'size.gib': '{whole} GiB',
} as const;

export const listWordsNl: Readonly<Record<keyof typeof listWordsEn, string>> = {
  'list.more': '{list} en nog {more}',
  'list.then': '{first}; {rest}',
  'list.comma': '{first}, {rest}',
  'list.and': '{first} en {rest}',
  'list.or': '{first} of {rest}',
  'size.tib': '{whole},{tenth} TiB',
  'size.gibTenths': '{whole},{tenth} GiB',
  'size.gib': '{whole} GiB',
};

const w = sayer(listWordsEn);

/** A value without words: a name, or names, as sent. */
export const asSent = (text: string): Text => ({ text });

/** Items (at least one) joined by '; ', ', ', ' and ' or ' or ', each keeping its words. */
export function joined(items: readonly Text[], link: 'then' | 'comma' | 'and' | 'or'): Text {
  return items.reduceRight((rest, first) => w(`list.${link}`, { first, rest }));
}

/** Items joined by ', ', the first `max` of them, then how many more. */
export function upTo(items: readonly (string | Text)[], max: number): Text {
  const texts = items.map((i) => (typeof i === 'string' ? asSent(i) : i));
  const list = (xs: Text[]) =>
    xs.every((x) => !x.words) ? asSent(xs.map((x) => x.text).join(', ')) : joined(xs, 'comma');
  return texts.length <= max
    ? list(texts)
    : w('list.more', { list: list(texts.slice(0, max)), more: texts.length - max });
}

/**
 * A size in TiB (one decimal) or GiB (one decimal under 10 GiB), as server/estate.ts formatBytes
 * writes it in English, with its words: a Dutch console writes "23,4 TiB".
 */
export function sizeSaid(bytes: number): Text {
  const GiB = 1024 ** 3;
  const tib = bytes >= 1024 * GiB;
  const tenths = bytes < 10 * GiB || tib;
  const fixed = (bytes / (tib ? 1024 * GiB : GiB)).toFixed(tenths ? 1 : 0);
  // The whole part is a number, with its language's separators ("1,023 GiB"); the tenth is a digit.
  if (!tenths) return w('size.gib', { whole: Number(fixed) });
  const [whole, tenth] = fixed.split('.') as [string, string];
  return w(tib ? 'size.tib' : 'size.gibTenths', { whole: Number(whole), tenth });
}
