import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLabProcess } from '../support/lab-process';

/**
 * The lab process that npm run bench:ui and npm run screens start keeps the console's state in a
 * folder of its own, removed at the end: neither ever writes the operator's ~/.config/siteshift.
 * A stand-in CLI writes a settings file where the console would and says where.
 */
const scratch = mkdtempSync(join(tmpdir(), 'siteshift-lab-process-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const standIn = (name: string, body: string) => {
  const file = join(scratch, name);
  writeFileSync(file, body);
  return file;
};
const fakeLab = standIn(
  'console.mjs',
  `import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
const dir = process.env.SITESHIFT_DATA_DIR;
writeFileSync(join(dir, 'settings.json'), '{}');
process.stderr.write('data ' + dir + '\\n');
process.stdout.write('siteshift lab: console http://127.0.0.1:1/\\n');
setInterval(() => {}, 1000);
`,
);
const crashes = standIn(
  'crash.mjs',
  `process.stderr.write('data ' + process.env.SITESHIFT_DATA_DIR + '\\n'); process.exit(3);`,
);
const dataDirOf = (log: string) => /data (\S+)/.exec(log)?.[1] ?? '';

describe('the lab process of the benchmark and the screenshots', () => {
  it('keeps the console in a temporary data folder of its own and removes it when stopped', async () => {
    let log = '';
    const lab = await startLabProcess(['--vms', '1', '--memory'], { cli: fakeLab, log: (t) => (log += t) });
    expect(lab.url).toBe('http://127.0.0.1:1/');
    const dir = dataDirOf(log);
    expect(dir.startsWith(tmpdir())).toBe(true);
    expect(dir.startsWith(join(homedir(), '.config'))).toBe(false);
    // Not even the test run's own folder: a folder of this lab's.
    expect(dir).not.toBe(process.env.SITESHIFT_DATA_DIR);
    expect(existsSync(join(dir, 'settings.json'))).toBe(true);
    await lab.stop();
    expect(lab.child.exitCode !== null || lab.child.signalCode !== null).toBe(true);
    expect(existsSync(dir)).toBe(false);
  });

  it('says why when the lab ends before serving the console, and leaves no folder behind', async () => {
    let log = '';
    await expect(startLabProcess(['--memory'], { cli: crashes, log: (t) => (log += t) })).rejects.toThrow(
      /siteshift lab exited \(3\) before serving the console/,
    );
    expect(dataDirOf(log)).not.toBe('');
    expect(existsSync(dataDirOf(log))).toBe(false);
  });
});
