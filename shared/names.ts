/**
 * Closed lists of names (roles, states, kinds, formats) as plain constants. The zod schemas are
 * built from them; the CLI's command table reads them for its choices and help text without
 * loading zod, so that `siteshift --help` loads no schema.
 */

export const roles = ['viewer', 'operator', 'admin', 'agent'] as const;

/** The states of DESIGN.md's pair state machine (its moves: shared/configserver/pair-state.ts). */
export const pairStates = [
  'enabling',
  'initial-replication',
  'protected',
  'resync-required',
  'resyncing',
  'test-failover-running',
  'failover-pending',
  'failed-over',
  'committed',
  'reprotecting',
  'error',
] as const;

export const jobStates = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

/** The workflows a plan's readiness is checked for. */
export const readinessKinds = ['protect', 'test', 'planned', 'unplanned', 'failback'] as const;

export const exportFormats = ['json', 'html', 'svg', 'png', 'pdf'] as const;

/**
 * An exported picture draws a host's VMs when they are at most this many, by default (the CLI's
 * --expand; why: shared/topology/export-view.ts). 64 VMs make a grid of 14 rows by 5 columns
 * (tree-layout.ts), about one screen or one printed page at full size.
 */
export const EXPORT_HOST_VMS = 64;
