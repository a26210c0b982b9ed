import { describe, expect, it } from 'vitest';
import {
  canTransition,
  directionAfter,
  pairStates,
  pairTransitions,
} from '../../../shared/configserver/pair-state';

describe('pair state machine', () => {
  it('has a row for every state and only known targets', () => {
    expect(Object.keys(pairTransitions).sort()).toEqual([...pairStates].sort());
    for (const targets of Object.values(pairTransitions))
      for (const t of targets) expect(pairStates).toContain(t);
  });

  it('follows the DESIGN.md paths', () => {
    const path = (...states: Array<(typeof pairStates)[number]>) => {
      for (let i = 1; i < states.length; i++)
        expect(canTransition(states[i - 1]!, states[i]!), `${states[i - 1]} → ${states[i]}`).toBe(true);
    };
    path('enabling', 'initial-replication', 'protected', 'resync-required', 'resyncing', 'protected');
    path('protected', 'failover-pending', 'failed-over', 'committed', 'reprotecting', 'protected');
    path('protected', 'test-failover-running', 'protected');
    path('failed-over', 'protected'); // rollback
    path('protected', 'error', 'resync-required');
  });

  it('allows only the moves of the table', () => {
    expect(canTransition('enabling', 'protected')).toBe(false);
    expect(canTransition('enabling', 'failed-over')).toBe(false);
    expect(canTransition('committed', 'protected')).toBe(false);
    expect(canTransition('protected', 'committed')).toBe(false);
    expect(canTransition('protected', 'resync-required')).toBe(true);
  });

  it('lets a failing pair go to error from every state but a committed failover and error itself', () => {
    // The telemetry sets a pair whose replication keeps failing to error only where the table allows it.
    expect(pairStates.filter((s) => !canTransition(s, 'error'))).toEqual(['committed', 'error']);
  });

  it('committed cannot be left except by reprotect, which turns the direction', () => {
    expect(pairTransitions.committed).toEqual(['reprotecting']);
    expect(directionAfter('committed', 'reprotecting', 'forward')).toBe('reverse');
    expect(directionAfter('committed', 'reprotecting', 'reverse')).toBe('forward');
    expect(directionAfter('protected', 'resync-required', 'forward')).toBe('forward');
  });
});
