import { afterEach, describe, expect, it } from 'vitest';
import { tServer, useLocale } from '../../renderer/src/i18n';
import { fillWords, say } from '../../shared/i18n/worded';

describe('server-written text', () => {
  afterEach(() => useLocale.setState({ locale: 'en' }));

  it('fills placeholders and leaves a missing one visible', () => {
    expect(fillWords('power on boot group {group} on {site}', { group: 2, site: 'ams' })).toBe(
      'power on boot group 2 on ams',
    );
    expect(fillWords('on {site}', {})).toBe('on {site}');
  });

  it('gives the English text and the key it came from', () => {
    const book = { 'x.hello': 'hello {name}' } as const;
    expect(say(book, 'x.hello', { name: 'ops' })).toEqual({
      text: 'hello ops',
      words: { key: 'x.hello', params: { name: 'ops' } },
    });
  });

  it('words a known key in the console language and falls back to the English text otherwise', () => {
    useLocale.setState({ locale: 'nl' });
    expect(
      tServer('Protect finished', { key: 'jobs.ended.succeeded', params: { title: 'Beveiligen' } }),
    ).toBe('Beveiligen is voltooid');
    expect(tServer('from a newer server', { key: 'no.such.key' })).toBe('from a newer server');
    expect(tServer('an old row')).toBe('an old row');
  });
});
