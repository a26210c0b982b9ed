import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/src/i18n/en';
import { type EndpointTarget, osFamilySchema } from '../../shared/configserver';
import { exportWordsEn } from '../../shared/i18n/export-words';
import { menuWordsEn } from '../../shared/i18n/menu-words';

/** Every English template the console, the server and the exports say from, with its key. */
const english: Array<[key: string, text: string]> = Object.entries({
  ...en,
  ...exportWordsEn,
  ...menuWordsEn,
}).flatMap(
  ([key, entry]): Array<[string, string]> =>
    typeof entry === 'string'
      ? [[key, entry]]
      : [
          [key, entry.one],
          [key, entry.other],
        ],
);

/**
 * "a" where a vowel sound follows, "an" where a consonant does; "a unit", "a user" and "a usable"
 * begin with a "you" sound.
 */
const wrongArticle = /\b(?:a (?:[aeio]|u(?!ni|s[eu]))\w*|an [b-df-hj-np-tv-z]\w*)/gi;

/** The values a placeholder right after "a" or "an" takes, by its name. */
const endpointKinds = Object.keys({ vsphere: 0, hyperv: 0 } satisfies Record<EndpointTarget['kind'], 0>);
const valuesOf: Record<string, readonly string[]> = {
  family: osFamilySchema.options,
  other: osFamilySchema.options,
  wanted: osFamilySchema.options,
  mtFamily: osFamilySchema.options,
  kind: endpointKinds,
};

describe('English articles', () => {
  it('say "an" before a vowel sound and "a" before a consonant', () => {
    const wrong = english.flatMap(([key, text]) =>
      [...text.matchAll(wrongArticle)].map((m) => `${key}: ${m[0]}`),
    );
    expect(wrong).toEqual([]);
  });

  it('fit every value of a placeholder they stand before', () => {
    const wrong: string[] = [];
    for (const [key, text] of english)
      for (const m of text.matchAll(/\b(an?) \{(\w+)\}/gi)) {
        const values = valuesOf[m[2]!];
        if (!values) wrong.push(`${key}: "${m[0]}": which values does {${m[2]}} take?`);
        for (const v of values ?? [])
          if (`${m[1]} ${v}`.match(wrongArticle)) wrong.push(`${key}: ${m[1]} ${v}`);
      }
    expect(wrong).toEqual([]);
  });

  it('catch the wrong article', () => {
    expect('Pairs allow a unplanned failover'.match(wrongArticle)).toEqual(['a unplanned']);
    expect('an vsphere connector, a error'.match(wrongArticle)).toEqual(['an vsphere', 'a error']);
    expect('a unit, a user, an unplanned failover, an error'.match(wrongArticle)).toBeNull();
  });
});
