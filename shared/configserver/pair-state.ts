import { z } from 'zod';
import { pairStates } from '../names';

/**
 * The pair state machine of DESIGN.md as plain data. The server refuses (409) every move that is
 * not in this table; the console uses the same table to grey out actions that would be refused.
 */
export { pairStates };
export const pairStateSchema = z.enum(pairStates);
export type PairState = z.infer<typeof pairStateSchema>;

export const pairTransitions: Readonly<Record<PairState, readonly PairState[]>> = {
  enabling: ['initial-replication', 'error'],
  'initial-replication': ['protected', 'error'],
  protected: ['resync-required', 'test-failover-running', 'failover-pending', 'error'],
  'resync-required': ['resyncing', 'failover-pending', 'error'],
  resyncing: ['protected', 'resync-required', 'error'],
  // Cleanup of a test failover returns the pair to where it was: replication never stopped.
  'test-failover-running': ['protected', 'error'],
  // A failover that did not complete is undone; an unplanned one can start from resync-required.
  'failover-pending': ['failed-over', 'protected', 'error'],
  // Replicas stay pending until committed, or rolled back to the original protection.
  'failed-over': ['committed', 'protected', 'error'],
  committed: ['reprotecting'],
  reprotecting: ['protected', 'error'],
  // Out of error only by starting over (re-enable) or by a full resync.
  error: ['enabling', 'resync-required'],
};

/**
 * Whether the table allows the move. The refusal an operator reads is the server's to word
 * (refusal-words.ts, 'refusal.pairCannotMove'), in the console's language.
 */
export function canTransition(from: PairState, to: PairState): boolean {
  return pairTransitions[from].includes(to);
}

/** Reprotect turns the replication round: the failed-over copy becomes the source. */
export function directionAfter(
  from: PairState,
  to: PairState,
  direction: 'forward' | 'reverse',
): 'forward' | 'reverse' {
  if (from === 'committed' && to === 'reprotecting') return direction === 'forward' ? 'reverse' : 'forward';
  return direction;
}

/** States in which the agent is expected to ship data and report statistics. */
export const replicatingStates: readonly PairState[] = [
  'initial-replication',
  'protected',
  'resync-required',
  'resyncing',
  'test-failover-running',
  'reprotecting',
];

/**
 * Where a pair is on the way back to its original site, 0 to 8, or null when it is on no such
 * way: 0 failed over and committed by the operator (forward), 1 given up on the original side,
 * 2 replicating back (reprotecting), 3 protected in reverse, 4 failing back, 5 failed back,
 * 6 given up on the recovery side, 7 replicating forward again, 8 protected forward. Reprotect
 * runs stages 0-3, failback 0-8; each of their steps acts on the pairs of its stage and leaves
 * pairs that are past it alone, which is what lets a failback resume at any step.
 */
export function failbackStage(pair: { state: PairState; direction: 'forward' | 'reverse' }): number | null {
  const reverse = pair.direction === 'reverse';
  switch (pair.state) {
    case 'failed-over':
      return reverse ? 5 : 0;
    case 'committed':
      return reverse ? 6 : 1;
    case 'reprotecting':
      return reverse ? 2 : 7;
    case 'protected':
    case 'resync-required':
    case 'resyncing':
      return reverse ? 3 : 8;
    case 'failover-pending':
      return reverse ? 4 : null;
    default:
      return null;
  }
}
