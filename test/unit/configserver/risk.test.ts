import { describe, expect, it } from 'vitest';
import { atRisk, masterTargetLevel, type Pair, pairStatus } from '../../../shared/configserver';

const at = '2026-11-26T00:00:00.000Z';
function pair(patch: Partial<Pair>): Pair {
  return {
    id: 'p1',
    planId: null,
    sourceVmId: 'vm-1',
    sourceVmName: 'ams-w-web-001',
    sourceSiteId: 's1',
    targetSiteId: 's2',
    masterTargetId: null,
    processServerId: null,
    osFamily: 'windows',
    platform: 'vsphere',
    state: 'protected',
    direction: 'forward',
    health: 'ok',
    stats: {
      rpoSec: 40,
      pendingChangeBytes: 0,
      diskSizeBytes: 1,
      throughputBps: 0,
      progress: 1,
      // Reported just now, unless a test says otherwise.
      reportedAt: new Date().toISOString(),
    },
    rpoThresholdSec: 300,
    resyncScheduledAt: null,
    retry: null,
    lastHeartbeatAt: null,
    stateChangedAt: at,
    createdAt: at,
    ...patch,
  };
}

describe('one status per machine', () => {
  it('is within RPO only when protected with a recent enough copy', () => {
    expect(pairStatus(pair({}))).toEqual({ level: 'ok', reason: 'within-rpo' });
    expect(atRisk(pairStatus(pair({})))).toBe(false);
  });

  it('puts initial replication and resync at risk: there is no recovery point to fail over to', () => {
    // The server grades an initial copy ok and the agent reports RPO 0: neither makes it safe.
    const initial = pair({ state: 'initial-replication', stats: { ...pair({}).stats!, rpoSec: 0 } });
    expect(pairStatus(initial)).toEqual({ level: 'warning', reason: 'no-recovery-point' });
    expect(pairStatus(pair({ state: 'enabling', stats: null })).reason).toBe('no-recovery-point');
    expect(pairStatus(pair({ state: 'resyncing' }))).toEqual({ level: 'warning', reason: 'resync' });
    expect(pairStatus(pair({ state: 'resync-required' })).reason).toBe('resync');
    expect(pairStatus(pair({ state: 'failed-over' })).reason).toBe('not-replicating');
  });

  it('grades RPO breaches like the server: over the threshold warning, twice over critical', () => {
    const rpo = (rpoSec: number) => pairStatus(pair({ stats: { ...pair({}).stats!, rpoSec } }));
    expect(rpo(301)).toEqual({ level: 'warning', reason: 'rpo-breach' });
    expect(rpo(601)).toEqual({ level: 'critical', reason: 'rpo-breach' });
  });

  it('takes the worst of the server and of Hyper-V Replica for a Hyper-V pair', () => {
    const hv = pair({ platform: 'hyperv' });
    expect(pairStatus(hv, 'Normal')).toEqual({ level: 'ok', reason: 'within-rpo' });
    expect(pairStatus(hv, 'Critical')).toEqual({ level: 'critical', reason: 'replica-unhealthy' });
    // A silent agent is not hidden behind its last good RPO.
    const silent = pair({
      lastHeartbeatAt: '2026-11-25T00:00:00.000Z',
      stats: { ...pair({}).stats!, reportedAt: at },
    });
    expect(pairStatus(silent, null, Date.parse('2026-11-26T00:10:00Z')).reason).toBe('within-rpo');
    // The stats it reported at 00:00 count as a heartbeat; sixteen minutes later it is silent.
    expect(pairStatus(silent, null, Date.parse('2026-11-26T00:16:00Z'))).toEqual({
      level: 'critical',
      reason: 'agent-silent',
    });
    // Before the first report the server's grade is all there is.
    expect(pairStatus(pair({ stats: null, health: 'warning' }))).toEqual({
      level: 'warning',
      reason: 'no-report',
    });
    expect(pairStatus(pair({ state: 'error', health: 'critical' })).reason).toBe('error');
    const retry = { attempt: 1, nextAt: null, kind: 'network' as const, message: 'reset', recoverable: true };
    expect(pairStatus(pair({ retry, health: 'warning' }))).toEqual({ level: 'warning', reason: 'retrying' });
  });

  it('calls a full master target critical', () => {
    expect(masterTargetLevel({ slotsFree: 0, slotsUsed: 58 })).toBe('critical');
    expect(masterTargetLevel({ slotsFree: 4, slotsUsed: 54 })).toBe('warning');
    expect(masterTargetLevel({ slotsFree: 40, slotsUsed: 18 })).toBe('ok');
  });
});
