import { afterEach, describe, expect, it } from 'vitest';
import { catalogue, type Key, resolveLanguage, setLanguage, t, translate } from '../../renderer/src/i18n';
import { en } from '../../renderer/src/i18n/en';
import {
  formatAge,
  formatBytes,
  formatDateTime,
  formatDuration,
  formatNumber,
} from '../../renderer/src/i18n/format';
import { nl } from '../../renderer/src/i18n/nl';

const placeholders = (entry: string | { one: string; other: string }) =>
  [...(typeof entry === 'string' ? entry : `${entry.one} ${entry.other}`).matchAll(/\{(\w+)\}/g)]
    .map((m) => m[1])
    .filter((n) => n !== 'count')
    .sort();

afterEach(() => setLanguage('en'));

describe('the Dutch catalogue', () => {
  it('has every English key and no other', () => {
    expect(Object.keys(nl).sort()).toEqual(Object.keys(en).sort());
  });

  it('fills in the same values as the English, and plurals where the English has them', () => {
    for (const key of Object.keys(en) as Key[]) {
      const e = en[key] as string | { one: string; other: string };
      const d = nl[key] as string | { one: string; other: string };
      expect(typeof d, key).toBe(typeof e);
      expect(placeholders(d), key).toEqual(placeholders(e));
      expect(typeof d === 'string' ? d.trim() : d.other.trim(), key).not.toBe('');
    }
  });
});

describe('messages', () => {
  it('picks the plural by count and formats numbers inside by locale', () => {
    expect(translate('en', 'jobs.running', { count: 1 })).toBe('1 job running');
    expect(translate('en', 'jobs.running', { count: 5000 })).toBe('5,000 jobs running');
    expect(translate('nl', 'jobs.running', { count: 5000 })).toBe('5.000 taken lopen');
    setLanguage('nl');
    expect(t('plans.slotsFree', { free: 1200, total: 4096 })).toBe('1.200 van 4.096 slots vrij');
    expect(catalogue('nl')['jobs.title']).toBe('Taken');
  });

  it('follows the browser language unless one is chosen, and falls back to English', () => {
    expect(resolveLanguage('system', ['nl-BE', 'en-US'])).toBe('nl');
    expect(resolveLanguage('system', ['de-DE', 'fr'])).toBe('en');
    expect(resolveLanguage('system', ['de-DE', 'nl'])).toBe('nl');
    expect(resolveLanguage('en', ['nl-NL'])).toBe('en');
    expect(resolveLanguage('nl', [])).toBe('nl');
  });
});

describe('formatting by locale', () => {
  it('writes numbers, sizes, dates, ages and durations the Dutch way', () => {
    setLanguage('nl');
    expect(formatNumber(5000)).toBe('5.000');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1,5 GiB');
    expect(formatDateTime('2026-03-05T14:07:09Z')).toMatch(/^5 mrt 2026/);
    const now = Date.parse('2026-03-08T12:00:00Z');
    expect(formatAge('2026-03-05T12:00:00Z', now)).toBe('3 dagen geleden');
    expect(formatAge(null, now)).toBe('nooit');
    expect(formatDuration(3 * 3600 + 10 * 60)).toBe('3 uur 10 min');
  });

  it('and the English way', () => {
    setLanguage('en');
    expect(formatNumber(5000)).toBe('5,000');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(formatBytes(512)).toBe('512 B');
    const now = Date.parse('2026-03-08T12:00:00Z');
    expect(formatAge('2026-03-08T11:57:00Z', now)).toBe('3 minutes ago');
    expect(formatDuration(45)).toBe('45 sec');
    expect(formatDuration(185)).toBe('3 min 5 sec');
  });
});
