import type { HealthLevel, OfficeHours, ProcessServerHealth, ReplicationErrorKind } from './schemas';

/**
 * The alert, resync and retry rules of the configuration server as pure functions, so that the
 * server applies them and the console explains them from one definition.
 */

/** RPO above the plan's threshold is a warning, twice the threshold critical. */
export function rpoLevel(rpoSec: number, thresholdSec: number): HealthLevel {
  if (rpoSec > 2 * thresholdSec) return 'critical';
  if (rpoSec > thresholdSec) return 'warning';
  return 'ok';
}

/** Resync is needed once the pending change log exceeds half the disk. */
export function needsResync(pendingChangeBytes: number, diskSizeBytes: number): boolean {
  return diskSizeBytes > 0 && pendingChangeBytes > diskSizeBytes * 0.5;
}

export const heartbeatTimeoutSec = 15 * 60;

export function heartbeatMissed(lastHeartbeat: Date | null, now: Date): boolean {
  return lastHeartbeat !== null && now.getTime() - lastHeartbeat.getTime() > heartbeatTimeoutSec * 1000;
}

export interface HealthFinding {
  level: Exclude<HealthLevel, 'ok' | 'unknown'>;
  message: string;
  /** The measured value and the limit it crossed, for the alert's words (shared/i18n/alert-words.ts). */
  value: number;
  limit: number;
}

function above(value: number, warn: number, crit: number, what: string, unit: string): HealthFinding | null {
  if (value <= warn) return null;
  const limit = value > crit ? crit : warn;
  return {
    level: value > crit ? 'critical' : 'warning',
    message: `${what} ${value}${unit} is above ${limit}${unit}`,
    value,
    limit,
  };
}

/** Process-server thresholds: each finding is one alert. */
export function processServerFindings(
  h: ProcessServerHealth,
): Record<'cpu' | 'memory' | 'cache' | 'backlog', HealthFinding | null> {
  let cache: HealthFinding | null = null;
  if (h.cacheFreePercent < 30) {
    const limit = h.cacheFreePercent < 25 ? 25 : 30;
    cache = {
      level: limit === 25 ? 'critical' : 'warning',
      message: `cache free space ${h.cacheFreePercent}% is below ${limit}%`,
      value: h.cacheFreePercent,
      limit,
    };
  }
  const backlogMin = Math.round((h.uploadBacklogSec / 60) * 10) / 10;
  return {
    cpu: above(h.cpuPercent, 80, 95, 'CPU', '%'),
    memory: above(h.memoryPercent, 80, 95, 'memory', '%'),
    cache,
    backlog: above(backlogMin, 30, 45, 'upload backlog', ' min'),
  };
}

export { worstLevel } from '../schemas/health';

export const unrecoverableErrors: readonly ReplicationErrorKind[] = [
  'authentication',
  'authorisation',
  'invalid-replica-state',
];

export function isRecoverable(kind: ReplicationErrorKind): boolean {
  return !unrecoverableErrors.includes(kind);
}

/** Minutes to wait before retry number `attempt` (1-based): 1, 2, 4, 8, 10, then every 30. */
export function retryDelayMinutes(attempt: number): number {
  const schedule = [1, 2, 4, 8, 10];
  return schedule[attempt - 1] ?? 30;
}

function localParts(t: Date, o: OfficeHours): { day: number; hour: number } {
  const local = new Date(t.getTime() + o.utcOffsetMin * 60_000);
  return { day: local.getUTCDay(), hour: local.getUTCHours() };
}

export function inOfficeHours(t: Date, o: OfficeHours): boolean {
  const { day, hour } = localParts(t, o);
  return o.days.includes(day) && hour >= o.startHour && hour < o.endHour;
}

/** The first moment at or after `now` that is outside office hours (a resync's default start). */
export function nextOutsideOfficeHours(now: Date, o: OfficeHours): Date {
  if (!inOfficeHours(now, o)) return now;
  const local = new Date(now.getTime() + o.utcOffsetMin * 60_000);
  local.setUTCHours(o.endHour, 0, 0, 0);
  return new Date(local.getTime() - o.utcOffsetMin * 60_000);
}
