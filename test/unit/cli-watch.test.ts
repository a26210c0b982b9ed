import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchJob } from '../../cli/actions/jobs';
import type { ConfigServerClient } from '../../core/configserver';
import type { Job } from '../../shared/schemas/job';

const at = '2026-11-30T02:00:00.000Z';
const step = (name: string, state: string, startedAt: string | null) => ({
  name,
  state,
  progress: state === 'succeeded' ? 1 : 0,
  startedAt,
  finishedAt: state === 'succeeded' ? at : null,
  log: [],
});

afterEach(() => vi.restoreAllMocks());

describe('siteshift jobs watch, plain lines', () => {
  it('a step that ran and ended before the first record was read is still shown running, then ended', async () => {
    // A fast job: done before the command's first read, so no event ever shows a step running.
    const job = {
      id: 'job_fast',
      state: 'succeeded',
      progress: 1,
      updatedAt: at,
      error: null,
      steps: [step('remove the test VMs', 'succeeded', at), step('release the pairs', 'skipped', null)],
    } as unknown as Job;
    const client = { getJob: async () => job } as unknown as ConfigServerClient;
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    await watchJob(client, job.id, false);
    expect(out.join('')).toBe(
      [
        'step 1/2 remove the test VMs: running',
        'step 1/2 remove the test VMs: succeeded',
        'step 2/2 release the pairs: skipped',
        'job job_fast: succeeded',
        '',
      ].join('\n'),
    );
  });
});
