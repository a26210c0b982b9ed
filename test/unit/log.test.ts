import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, redactKeys, redactText, rememberSecret } from '../../core/log';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'siteshift-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('logs', () => {
  it('roll by size, keep a bounded number of private files, one JSON object a line', async () => {
    const logger = await createLogger({ dir, name: 'main', size: '2k', keep: 3 });
    for (let i = 0; i < 200; i++) {
      logger.info({ i, pad: 'x'.repeat(100) }, 'line');
      // pino-roll rolls on the stream's drain: give it a turn now and then.
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    logger.flush();
    await new Promise((r) => setTimeout(r, 50));
    const files = (await readdir(dir)).filter((f) => f.startsWith('main.'));
    expect(files.length).toBeGreaterThan(1);
    expect(files.length).toBeLessThanOrEqual(4);
    let lines = 0;
    for (const f of files) {
      expect((await stat(join(dir, f))).mode & 0o777).toBe(0o600);
      for (const line of (await readFile(join(dir, f), 'utf8')).split('\n').filter(Boolean)) {
        expect(JSON.parse(line)).toMatchObject({ app: 'main', msg: 'line' });
        lines++;
      }
    }
    // The oldest files were removed: fewer lines remain than were written.
    expect(lines).toBeGreaterThan(0);
    expect(lines).toBeLessThan(200);
  });

  it('redacts secret-named keys at any depth, then that value anywhere', () => {
    const out = redactKeys({ a: { b: [{ Password: 'deep-secret-1' }] }, apiKey: 'k-123456', user: 'ops' });
    expect(out).toEqual({ a: { b: [{ Password: '[REDACTED]' }] }, apiKey: '[REDACTED]', user: 'ops' });
    expect(redactText('error: deep-secret-1 was refused')).toBe('error: [REDACTED] was refused');
    rememberSecret('quote"d\\secret');
    expect(redactText(JSON.stringify({ m: 'x quote"d\\secret y' }))).toBe('{"m":"x [REDACTED] y"}');
    rememberSecret('abc'); // too short to be a secret worth redacting everywhere
    expect(redactText('abc')).toBe('abc');
  });
});
