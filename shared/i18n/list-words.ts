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
} as const;

export const listWordsNl: Readonly<Record<keyof typeof listWordsEn, string>> = {
  'list.more': '{list} en nog {more}',
  'list.then': '{first}; {rest}',
  'list.comma': '{first}, {rest}',
  'list.and': '{first} en {rest}',
};

const w = sayer(listWordsEn);

/** A value without words: a name, or names, as sent. */
export const asSent = (text: string): Text => ({ text });

/** Items (at least one) joined by '; ', ', ' or ' and ', each keeping its words. */
export function joined(items: readonly Text[], link: 'then' | 'comma' | 'and'): Text {
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
