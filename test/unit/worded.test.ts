import { afterEach, describe, expect, it } from 'vitest';
import { tServer, useLocale } from '../../renderer/src/i18n';
import { formatDateTime } from '../../shared/i18n/format';
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

  it('words parts (other entries of the book) in the same language, and falls back whole when one is unknown', () => {
    const book = {
      'check.names.taken': 'VMs already named {names} exist on {site}',
      'list.more': '{list} and {more} more',
    } as const;
    const more = say(book, 'list.more', { list: 'a, b', more: 12 });
    const taken = say(book, 'check.names.taken', { site: 'rtm' }, { names: more });
    expect(taken.text).toBe('VMs already named a, b and 12 more exist on rtm');
    expect(taken.words).toEqual({
      key: 'check.names.taken',
      params: { site: 'rtm' },
      parts: { names: { key: 'list.more', params: { list: 'a, b', more: 12 } } },
    });
    useLocale.setState({ locale: 'nl' });
    expect(tServer(taken.text, taken.words)).toBe('er bestaan al VM’s met de naam a, b en nog 12 op rtm');
    const unknownPart = { ...taken.words, parts: { names: { key: 'no.such.key' } } };
    expect(tServer(taken.text, unknownPart)).toBe(taken.text);
  });
});

describe('moments in server-written text', () => {
  afterEach(() => useLocale.setState({ locale: 'en' }));

  it('reads an ISO stamp among the values on the console clock, in its language, and leaves other text alone', () => {
    const at = '2026-11-30T07:10:48.428Z';
    const words = { key: 'stepLog.pointChosen', params: { vm: 'ams-db-01', at, consistency: 'crash' } };
    const english = tServer('(English)', words);
    expect(english).not.toContain(at);
    expect(english).toContain(formatDateTime('en', at));
    useLocale.setState({ locale: 'nl' });
    expect(tServer('(English)', words)).toContain(formatDateTime('nl', at));
    // A VM named like a date is a name, not a moment.
    expect(tServer('(English)', { ...words, params: { ...words.params, vm: '2026-11-30' } })).toContain(
      '2026-11-30:',
    );
  });
});
