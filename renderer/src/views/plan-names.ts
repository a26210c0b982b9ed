import { useMemo } from 'react';
import { useProtection } from './use-protection';

/**
 * The names of the plans jobs run for, from the protection snapshots the console already keeps
 * (loaded here when no screen has asked for them yet): a job records its plan's id only, and
 * "Test failover" three times over says nothing about which plan each one was.
 */
export function usePlanNames(): (planId: string | null) => string | null {
  const protection = useProtection();
  return useMemo(() => {
    const names = new Map<string, string>();
    for (const snapshot of protection.data ?? [])
      for (const plan of snapshot.plans) names.set(plan.id, plan.name);
    return (planId) => (planId === null ? null : (names.get(planId) ?? null));
  }, [protection.data]);
}
