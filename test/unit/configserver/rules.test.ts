import { describe, expect, it } from 'vitest';
import {
  heartbeatMissed,
  inOfficeHours,
  isRecoverable,
  needsResync,
  nextOutsideOfficeHours,
  processServerFindings,
  retryDelayMinutes,
  rpoLevel,
  worstLevel,
} from '../../../shared/configserver/rules';
import { firstFreeSlot, isUsableSlot, usableSlots } from '../../../shared/configserver/slots';

const office = { utcOffsetMin: 60, startHour: 8, endHour: 18, days: [1, 2, 3, 4, 5] };

describe('alert rules', () => {
  it('RPO: above the threshold warns, above twice is critical', () => {
    expect(rpoLevel(300, 300)).toBe('ok');
    expect(rpoLevel(301, 300)).toBe('warning');
    expect(rpoLevel(600, 300)).toBe('warning');
    expect(rpoLevel(601, 300)).toBe('critical');
  });

  it('resync when the change log passes half the disk', () => {
    expect(needsResync(50, 100)).toBe(false);
    expect(needsResync(51, 100)).toBe(true);
    expect(needsResync(10, 0)).toBe(false);
  });

  it('heartbeat: 15 minutes of silence', () => {
    const now = new Date('2026-11-26T12:00:00Z');
    expect(heartbeatMissed(new Date('2026-11-26T11:45:00Z'), now)).toBe(false);
    expect(heartbeatMissed(new Date('2026-11-26T11:44:59Z'), now)).toBe(true);
    expect(heartbeatMissed(null, now)).toBe(false);
  });

  it('process-server thresholds', () => {
    const f = (
      h: Partial<{
        cpuPercent: number;
        memoryPercent: number;
        cacheFreePercent: number;
        uploadBacklogSec: number;
      }>,
    ) =>
      processServerFindings({
        cpuPercent: 10,
        memoryPercent: 10,
        cacheFreePercent: 90,
        uploadBacklogSec: 0,
        ...h,
      });
    expect(f({}).cpu).toBeNull();
    expect(f({ cpuPercent: 81 }).cpu?.level).toBe('warning');
    expect(f({ cpuPercent: 96 }).cpu?.level).toBe('critical');
    expect(f({ memoryPercent: 80 }).memory).toBeNull();
    expect(f({ memoryPercent: 95.5 }).memory?.level).toBe('critical');
    expect(f({ cacheFreePercent: 30 }).cache).toBeNull();
    expect(f({ cacheFreePercent: 29 }).cache?.level).toBe('warning');
    expect(f({ cacheFreePercent: 24 }).cache?.level).toBe('critical');
    expect(f({ uploadBacklogSec: 30 * 60 }).backlog).toBeNull();
    expect(f({ uploadBacklogSec: 31 * 60 }).backlog?.level).toBe('warning');
    expect(f({ uploadBacklogSec: 46 * 60 }).backlog?.level).toBe('critical');
    expect(worstLevel(['ok', 'warning', 'critical', 'ok'])).toBe('critical');
  });

  it('retry schedule: 1, 2, 4, 8, 10, then every 30 minutes; auth errors are not retried', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(retryDelayMinutes)).toEqual([1, 2, 4, 8, 10, 30, 30, 30]);
    expect(isRecoverable('network')).toBe(true);
    expect(isRecoverable('low-disk')).toBe(true);
    expect(isRecoverable('low-memory')).toBe(true);
    expect(isRecoverable('authentication')).toBe(false);
    expect(isRecoverable('authorisation')).toBe(false);
    expect(isRecoverable('invalid-replica-state')).toBe(false);
  });

  it('resync waits for the end of office hours in the site clock', () => {
    // Thursday 10:00 CET = 09:00 UTC: inside; resync at 18:00 CET = 17:00 UTC.
    const thursday = new Date('2026-11-26T09:00:00Z');
    expect(inOfficeHours(thursday, office)).toBe(true);
    expect(nextOutsideOfficeHours(thursday, office).toISOString()).toBe('2026-11-26T17:00:00.000Z');
    // Thursday 19:00 CET: already outside, start now.
    const evening = new Date('2026-11-26T18:00:00Z');
    expect(nextOutsideOfficeHours(evening, office)).toEqual(evening);
    // Saturday noon: outside.
    expect(inOfficeHours(new Date('2026-11-28T11:00:00Z'), office)).toBe(false);
  });
});

describe('master-target slots', () => {
  it('60 usable slots, unit 7 never used', () => {
    expect(usableSlots).toBe(60);
    const used: Array<{ controller: number; unit: number }> = [];
    for (let i = 0; i < 60; i++) {
      const s = firstFreeSlot(used);
      expect(s).not.toBeNull();
      expect(s!.unit).not.toBe(7);
      used.push(s!);
    }
    expect(firstFreeSlot(used)).toBeNull();
    expect(new Set(used.map((s) => `${s.controller}:${s.unit}`)).size).toBe(60);
    expect(isUsableSlot(0, 7)).toBe(false);
    expect(isUsableSlot(4, 0)).toBe(false);
    expect(isUsableSlot(3, 15)).toBe(true);
  });
});
