import { useEffect } from 'react';
import { useConsole } from '../store';

/** The protection snapshots of every configuration server, loaded by the first screen that needs them. */
export function useProtection() {
  const protection = useConsole((s) => s.protection);
  const load = useConsole((s) => s.loadProtection);
  useEffect(() => {
    if (!protection.data && !protection.loading) void load();
  }, [protection.data, protection.loading, load]);
  return protection;
}
