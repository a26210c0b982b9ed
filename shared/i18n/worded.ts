import { z } from 'zod';
import { type Entry, speak } from './speak';

/**
 * Text the server writes for people (a job step's name, a log line, an alert, a check's finding)
 * travels twice: as English words, for the CLI, the logs and any client, and as a catalogue key
 * with its values, from which a console words it in its own language. The key's English entry
 * is what made the English words, so the two never say different things.
 *
 * A number among the values is a quantity and reads with its language's separators, the English
 * words included ("1,234 VMs", a Dutch console "1.234"), as the console and the CLI print counts
 * elsewhere. A number that names something (a port, a machine's index in the plan) goes as a
 * string and reads as sent: "port 50000", never "port 50,000".
 */
export interface Worded {
  key: string;
  params?: Record<string, string | number>;
  /**
   * Placeholders filled by other entries of the same book, worded in the same language: a list's
   * "and 3 more", or several findings in one sentence.
   */
  parts?: Record<string, Worded>;
}
export const wordedSchema: z.ZodType<Worded> = z
  .object({
    key: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    parts: z.lazy(() => z.record(z.string(), wordedSchema)).optional(),
  })
  .meta({ id: 'Worded' });
export type WordParams = Record<string, string | number>;
/** English text with the words it was made from (what say() returns). */
export type Said = { text: string; words: Worded };

/**
 * An English word book: keys to templates with `{name}` placeholders, or plural forms of one that
 * a `count` value picks (speak.ts).
 */
export type WordBook = Readonly<Record<string, Entry>>;

/**
 * The English text and the worded form of one entry of a book, from the same template; `parts`
 * fill placeholders with other entries of the book, already said.
 */
export function say<B extends WordBook>(
  book: B,
  key: keyof B & string,
  params?: WordParams,
  parts?: Record<string, Said>,
): Said {
  const entries = Object.entries(parts ?? {});
  const text = speak('en', book[key] as Entry, {
    ...params,
    ...Object.fromEntries(entries.map(([name, part]) => [name, part.text])),
  });
  const words: Worded = { key };
  if (params) words.params = params;
  if (entries.length > 0) words.parts = Object.fromEntries(entries.map(([name, part]) => [name, part.words]));
  return { text, words };
}

/** Text with the words it was made from; a value passed on as sent (a name) has none. */
export type Text = { text: string; words?: Worded };

/**
 * say() over one book, for values that may themselves be said (a list's "and 3 more"): those with
 * words become parts, worded with the sentence; those without are values, shown as sent.
 */
export function sayer<B extends WordBook>(book: B) {
  return (key: keyof B & string, values: Record<string, string | number | Text> = {}): Said => {
    const params: WordParams = {};
    const parts: Record<string, Said> = {};
    for (const [name, v] of Object.entries(values)) {
      if (typeof v !== 'object') params[name] = v;
      else if (v.words) parts[name] = { text: v.text, words: v.words };
      else params[name] = v.text;
    }
    return say(book, key, Object.keys(params).length > 0 ? params : undefined, parts);
  };
}
