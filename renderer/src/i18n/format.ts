import { locale, t } from '.';

/**
 * Numbers, sizes, dates and durations in the console's language: "5.000" and "3 dagen geleden" in
 * Dutch, "5,000" and "3 days ago" in English. Formatters are cached per locale and options.
 */
const cache = new Map<string, unknown>();
function cached<F>(kind: string, options: object, make: (l: string) => F): F {
  const key = `${locale()}|${kind}|${JSON.stringify(options)}`;
  let f = cache.get(key) as F | undefined;
  if (!f) {
    f = make(locale());
    cache.set(key, f as never);
  }
  return f;
}
const num = (o: Intl.NumberFormatOptions = {}) => cached('n', o, (l) => new Intl.NumberFormat(l, o));
const date = (o: Intl.DateTimeFormatOptions) => cached('d', o, (l) => new Intl.DateTimeFormat(l, o));

export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return num(options).format(n);
}

export function formatPercent(fraction: number): string {
  return num({ style: 'percent', maximumFractionDigits: 0 }).format(fraction);
}

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value >= 100 || unit === 0 ? 0 : 1;
  return `${num({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

type When = string | number | Date;
const toDate = (when: When) => (when instanceof Date ? when : new Date(when));

/** Date and time, as on a job or an alert. */
export function formatDateTime(when: When): string {
  return date({ dateStyle: 'medium', timeStyle: 'medium' }).format(toDate(when));
}

export function formatDate(when: When): string {
  return date({ dateStyle: 'medium' }).format(toDate(when));
}

export function formatTime(when: When): string {
  return date({ timeStyle: 'medium' }).format(toDate(when));
}

/** A moment as a person reads it: today's time alone, another day's with its date. */
export function formatMoment(when: When, now = Date.now()): string {
  const at = toDate(when);
  return new Date(now).toDateString() === at.toDateString()
    ? date({ hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(at)
    : date({ dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

/** "3 min ago", "in 2 h" … or "never" for a moment that did not happen. */
export function formatAge(when: When | null, now = Date.now()): string {
  if (when === null || when === '') return t('time.never');
  // A moment a little ahead of this clock (another machine's) reads as now, not as the future.
  const s = Math.min(0, Math.round((toDate(when).getTime() - now) / 1000));
  const rtf = cached('r', {}, (l) => new Intl.RelativeTimeFormat(l, { numeric: 'auto' }));
  const abs = Math.abs(s);
  if (abs < 90) return rtf.format(s, 'second');
  if (abs < 5400) return rtf.format(Math.round(s / 60), 'minute');
  if (abs < 172800) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 86400), 'day');
}

const unit = (u: string, n: number) =>
  num({ style: 'unit', unit: u, unitDisplay: 'short' } as Intl.NumberFormatOptions).format(n);

/** A length of time in at most two units: "45 s", "3 min 5 s", "2 h 10 min", "3 d 4 h". */
export function formatDuration(seconds: number): string {
  const sec = Math.max(0, Math.round(seconds));
  if (sec < 60) return unit('second', sec);
  const min = Math.floor(sec / 60);
  if (min < 60) return `${unit('minute', min)}${sec % 60 ? ` ${unit('second', sec % 60)}` : ''}`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${unit('hour', h)}${min % 60 ? ` ${unit('minute', min % 60)}` : ''}`;
  return `${unit('day', Math.floor(h / 24))}${h % 24 ? ` ${unit('hour', h % 24)}` : ''}`;
}

/** "a, b and c" / "a, b en c"; `or` for alternatives. */
export function formatList(items: readonly string[], type: 'and' | 'or' = 'and'): string {
  return cached(
    'l',
    { type },
    (l) => new Intl.ListFormat(l, { type: type === 'and' ? 'conjunction' : 'disjunction' }),
  ).format(items);
}
