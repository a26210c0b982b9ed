import * as shared from '../../../shared/i18n/format';
import { locale, t } from '.';

/**
 * Numbers, sizes, dates and durations in the console's current language (shared/i18n/format.ts,
 * which the exports use too): "5.000" and "3 dagen geleden" in Dutch, "5,000" and "3 days ago" in English.
 */
type When = shared.When;

export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return shared.formatNumber(locale(), n, options);
}

export function formatPercent(fraction: number): string {
  return shared.formatPercent(locale(), fraction);
}

export function formatBytes(bytes: number): string {
  return shared.formatBytes(locale(), bytes);
}

/** Date and time, as on a job or an alert. */
export function formatDateTime(when: When): string {
  return shared.formatDateTime(locale(), when);
}

export function formatDate(when: When): string {
  return shared.formatDate(locale(), when);
}

export function formatTime(when: When): string {
  return shared.formatTime(locale(), when);
}

/** A moment as a person reads it: today's time alone, another day's with its date. */
export function formatMoment(when: When, now = Date.now()): string {
  return shared.formatMoment(locale(), when, now);
}

/** "3 min ago", "in 2 h" … or "never" for a moment that did not happen. */
export function formatAge(when: When | null, now = Date.now()): string {
  if (when === null || when === '') return t('time.never');
  return shared.formatAgo(locale(), when, now);
}

/** A length of time in at most two units: "45 sec", "3 min 5 sec", "2 hr 10 min". */
export function formatDuration(seconds: number): string {
  return shared.formatDuration(locale(), seconds);
}

/** "a, b and c" / "a, b en c"; `or` for alternatives. */
export function formatList(items: readonly string[], type: 'and' | 'or' = 'and'): string {
  return shared.formatList(locale(), items, type);
}
