import { afterEach, describe, expect, it } from 'vitest';
import { tServer, useLocale } from '../../renderer/src/i18n';
import { formatDateTime } from '../../shared/i18n/format';
import { sizeSaid } from '../../shared/i18n/list-words';
import { sayStep } from '../../shared/i18n/step-words';
import { say } from '../../shared/i18n/worded';
import { countOf } from '../../shared/topology/display';

describe('server-written text', () => {
  afterEach(() => useLocale.setState({ locale: 'en' }));

  it('fills placeholders and leaves a missing one visible', () => {
    const book = { 'x.group': 'power on boot group {group} on {site}' } as const;
    expect(say(book, 'x.group', { group: 2, site: 'ams' }).text).toBe('power on boot group 2 on ams');
    expect(say(book, 'x.group', { group: 2 }).text).toBe('power on boot group 2 on {site}');
  });

  it('writes a number among the values with the separators of the language that reads it, English too', () => {
    const powered = sayStep('stepLog.groupPoweredOn', { group: 2, count: 1234 });
    // The CLI and the logs read what the map and the exports print for a count: "1,234 VMs".
    expect(powered.text).toBe('boot group 2: 1,234 VMs powered on');
    expect(countOf(1234, 'VM')).toBe('1,234 VMs');
    expect(powered.words.params).toEqual({ group: 2, count: 1234 });
    expect(tServer(powered.text, powered.words)).toBe('boot group 2: 1,234 VMs powered on');
    useLocale.setState({ locale: 'nl' });
    expect(tServer(powered.text, powered.words)).toBe('opstartgroep 2: 1.234 VM’s ingeschakeld');
    // A number that names something travels as a string and reads as sent, in every language.
    const listener = say({ 'x.listener': 'Hyper-V Replica on port {port}' }, 'x.listener', {
      port: String(50000),
    });
    expect(listener.text).toBe('Hyper-V Replica on port 50000');
    expect(
      tServer(listener.text, { key: 'check.hv.connected', params: { auth: 'Kerberos', port: '50000' } }),
    ).toBe('Kerberos op poort 50000 antwoordde');
    // A size's whole part is a count as well: 1,023 GiB, 1.023 GiB in Dutch.
    const size = sizeSaid(1023 * 1024 ** 3);
    expect(size.text).toBe('1,023 GiB');
    expect(tServer(size.text, size.words)).toBe('1.023 GiB');
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
