import { z } from 'zod';

/**
 * Text the server writes for people (a job step's name, a log line, an alert, a check's finding)
 * travels twice: as English words, for the CLI, the logs and any client, and as a catalogue key
 * with its values, from which a console words it in its own language. The key's English entry
 * is what made the English words, so the two never say different things.
 */
export const wordedSchema = z.object({
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type Worded = z.infer<typeof wordedSchema>;
export type WordParams = Record<string, string | number>;

/** An English word book: keys to templates with `{name}` placeholders. */
export type WordBook = Readonly<Record<string, string>>;

/** A template with its placeholders filled; a value missing leaves its placeholder, visibly. */
export function fillWords(template: string, params?: WordParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

/** The English text and the worded form of one entry of a book, from the same template. */
export function say<B extends WordBook>(
  book: B,
  key: keyof B & string,
  params?: WordParams,
): { text: string; words: Worded } {
  return { text: fillWords(book[key] as string, params), words: params ? { key, params } : { key } };
}
