import { z } from 'zod';

/**
 * One health scale for everything the console shows (pairs, process servers, topology nodes and
 * their roll-ups), best first. `unknown` ranks above `ok`: not having heard from something is no
 * proof that it is well, so a group with one unknown member is not shown as healthy.
 */
export const healthLevels = ['ok', 'unknown', 'warning', 'critical'] as const;
export const healthLevelSchema = z.enum(healthLevels);
export type HealthLevel = z.infer<typeof healthLevelSchema>;

/** 0 for ok up to 3 for critical: sort by it to put the worst first. */
export function healthRank(level: HealthLevel): number {
  return healthLevels.indexOf(level);
}

export function worseOf(a: HealthLevel, b: HealthLevel): HealthLevel {
  return healthRank(b) > healthRank(a) ? b : a;
}

/** The worst of the levels given ('ok' when there are none). */
export function worstLevel(levels: Iterable<HealthLevel | null | undefined>): HealthLevel {
  let worst: HealthLevel = 'ok';
  for (const l of levels) if (l) worst = worseOf(worst, l);
  return worst;
}
