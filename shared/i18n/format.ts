import type { Locale } from './locale';

/**
 * Numbers, sizes, dates and durations in one of the console's languages: "5.000" and "3 dagen
 * geleden" in Dutch, "5,000" and "3 days ago" in English. The console (renderer/src/i18n/format.ts,
 * in its current language) and the exports (core/topology/export, in the exporter's) both format
 * with these, so a number reads the same on screen and on paper. Formatters are cached per locale
 * and options: ICU builds each one slowly.
 */
const cache = new Map<string, unknown>();
function cached<F>(locale: Locale, kind: string, options: object, make: (l: Locale) => F): F {
  const key = `${locale}|${kind}|${JSON.stringify(options)}`;
  let f = cache.get(key) as F | undefined;
  if (!f) {
    f = make(locale);
    cache.set(key, f as never);
  }
  return f;
}
const num = (l: Locale, o: Intl.NumberFormatOptions = {}) =>
  cached(l, 'n', o, (x) => new Intl.NumberFormat(x, o));
const date = (l: Locale, o: Intl.DateTimeFormatOptions) =>
  cached(l, 'd', o, (x) => new Intl.DateTimeFormat(x, o));

export function formatNumber(locale: Locale, n: number, options?: Intl.NumberFormatOptions): string {
  return num(locale, options).format(n);
}

export function formatPercent(locale: Locale, fraction: number): string {
  return num(locale, { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
}

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(locale: Locale, bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value >= 100 || unit === 0 ? 0 : 1;
  return `${num(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

export type When = string | number | Date;
const toDate = (when: When) => (when instanceof Date ? when : new Date(when));

/** Date and time, as on a job or an alert. */
export function formatDateTime(locale: Locale, when: When): string {
  return date(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(toDate(when));
}

/**
 * Date and time with the time zone, for paper: a runbook read in another office, or days later,
 * must say which clock its times are on ("30 nov 2026, 07:10:00 CET").
 */
export function formatStamp(locale: Locale, when: When, timeZone?: string): string {
  return date(locale, { dateStyle: 'medium', timeStyle: 'long', ...(timeZone ? { timeZone } : {}) }).format(
    toDate(when),
  );
}

export function formatDate(locale: Locale, when: When): string {
  return date(locale, { dateStyle: 'medium' }).format(toDate(when));
}

/**
 * A time of day on the locale's own clock ("9:21:25 AM", "09:21:25"): the console's one way to
 * write one, alone or after a date, so a job's line in the list and its log read alike.
 */
export function formatTime(locale: Locale, when: When): string {
  return date(locale, { timeStyle: 'medium' }).format(toDate(when));
}

/** A moment as a person reads it: today's time alone, another day's with its date. */
export function formatMoment(locale: Locale, when: When, now = Date.now()): string {
  const at = toDate(when);
  return new Date(now).toDateString() === at.toDateString()
    ? formatTime(locale, at)
    : formatDateTime(locale, at);
}

/** "3 min ago", "2 days ago": how long before `now` a moment was. */
export function formatAgo(locale: Locale, when: When, now = Date.now()): string {
  // A moment a little ahead of this clock (another machine's) reads as now, not as the future.
  const s = Math.min(0, Math.round((toDate(when).getTime() - now) / 1000));
  const rtf = cached(locale, 'r', {}, (l) => new Intl.RelativeTimeFormat(l, { numeric: 'auto' }));
  const abs = Math.abs(s);
  if (abs < 90) return rtf.format(s, 'second');
  if (abs < 5400) return rtf.format(Math.round(s / 60), 'minute');
  if (abs < 172800) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 86400), 'day');
}

const unit = (l: Locale, u: string, n: number) =>
  num(l, { style: 'unit', unit: u, unitDisplay: 'short' } as Intl.NumberFormatOptions).format(n);

/** A length of time in at most two units: "45 sec", "3 min 5 sec", "2 hr 10 min", "3 days 4 hr". */
export function formatDuration(locale: Locale, seconds: number): string {
  const sec = Math.max(0, Math.round(seconds));
  if (sec < 60) return unit(locale, 'second', sec);
  const min = Math.floor(sec / 60);
  if (min < 60)
    return `${unit(locale, 'minute', min)}${sec % 60 ? ` ${unit(locale, 'second', sec % 60)}` : ''}`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${unit(locale, 'hour', h)}${min % 60 ? ` ${unit(locale, 'minute', min % 60)}` : ''}`;
  return `${unit(locale, 'day', Math.floor(h / 24))}${h % 24 ? ` ${unit(locale, 'hour', h % 24)}` : ''}`;
}

/** "a, b and c" / "a, b en c"; `or` for alternatives. */
export function formatList(locale: Locale, items: readonly string[], type: 'and' | 'or' = 'and'): string {
  return cached(
    locale,
    'l',
    { type },
    (l) => new Intl.ListFormat(l, { type: type === 'and' ? 'conjunction' : 'disjunction' }),
  ).format(items);
}
