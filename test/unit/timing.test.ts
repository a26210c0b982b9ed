import { describe, expect, it } from 'vitest';
import { markOnce, measureSince, timed } from '../../renderer/src/timing';
import { PageTrace, type TraceEvent } from '../bench/trace';

describe('the renderer timing entries bench:ui reads', () => {
  it('records a measure with its detail and keeps only the first 20 of a name', () => {
    const out = timed('test:work', () => 42);
    expect(out).toBe(42);
    measureSince('test:parse', performance.now() - 5, { bytes: 1234 });
    const parse = performance.getEntriesByName('test:parse')[0] as PerformanceMeasure;
    expect(parse.detail).toEqual({ bytes: 1234 });
    expect(parse.duration).toBeGreaterThanOrEqual(4);
    for (let i = 0; i < 30; i++) {
      timed('test:many', () => i);
      markOnce('test:mark');
    }
    expect(performance.getEntriesByName('test:many')).toHaveLength(20);
    expect(performance.getEntriesByName('test:mark')).toHaveLength(20);
  });
});

describe('the bench trace reader', () => {
  const pid = 7;
  const tid = 1;
  const x = (name: string, ts: number, dur: number, tdur = dur): TraceEvent => ({
    name,
    ph: 'X',
    pid,
    tid,
    ts,
    dur,
    tdur,
  });
  const events: TraceEvent[] = [
    { name: 'thread_name', ph: 'M', pid, tid, ts: 0, args: { name: 'CrRendererMain' } },
    { name: 'bench:anchor', cat: 'blink.user_timing', ph: 'R', pid, tid, ts: 1_000_000 },
    // A 120 ms task (30 ms of it CPU) with script, a nested call and layout; then a short task.
    x('ThreadControllerImpl::RunTask', 1_010_000, 120_000, 30_000),
    x('v8.evaluateModule', 1_010_000, 60_000),
    x('FunctionCall', 1_020_000, 10_000),
    x('Layout', 1_080_000, 20_000),
    x('ThreadControllerImpl::RunTask', 1_200_000, 10_000),
    x('Paint', 1_200_000, 5_000),
    // Another process's thread is not the page's.
    { ...x('ThreadControllerImpl::RunTask', 1_010_000, 500_000), pid: 8 },
  ];

  it('finds the long tasks by wall and CPU time, on the page clock', () => {
    const trace = new PageTrace(events, { name: 'bench:anchor', startTime: 0 });
    expect(trace.longTasks(0, 1000)).toEqual({
      count: 1,
      maxMs: 120,
      maxCpuMs: 30,
      totalMs: 120,
      totalCpuMs: 30,
    });
    expect(trace.longTasks(100, 1000).count).toBe(0);
  });

  it('splits the main thread time by kind of work, counting nested work once', () => {
    const trace = new PageTrace(events, { name: 'bench:anchor', startTime: 0 });
    expect(trace.busy(0, 1000)).toEqual({
      script: 0,
      compile: 60,
      'style+layout': 20,
      paint: 5,
      'html+css': 0,
      gc: 0,
      tasks: 130,
    });
  });
});
