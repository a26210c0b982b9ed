import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockDataDir, preparePrivateDataDir } from '../../../server/datadir';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'siteshift-datadir-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the data folder lock', () => {
  it('is exclusive: a second holder is refused with the first one named, until it releases', async () => {
    const first = await lockDataDir(dir);
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    const err = await lockDataDir(dir).catch((e: Error) => e);
    expect(String(err)).toContain(`is in use by another Siteshift server (process ${process.pid}`);
    expect(String(err)).toContain('stop it first');
    await first.release();
    const second = await lockDataDir(dir);
    await second.release();
  });

  it('takes over the lock of a process that is gone (a crash), at once', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const lock = join(dir, 'server.lock');
    writeFileSync(
      lock,
      JSON.stringify({ pid: dead, host: (await import('node:os')).hostname(), nonce: 'old' }),
    );
    const taken = await lockDataDir(dir);
    expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(process.pid);
    await taken.release();
  });

  it('refuses a lock held by a process on another host (it cannot be checked from here)', async () => {
    writeFileSync(join(dir, 'server.lock'), JSON.stringify({ pid: 1, host: 'elsewhere', nonce: 'x' }));
    await expect(lockDataDir(dir)).rejects.toThrow(/process 1 on elsewhere/);
  });

  it('release removes only its own lock, never the one a later server took over', async () => {
    const mine = await lockDataDir(dir);
    writeFileSync(mine.path, JSON.stringify({ pid: process.pid, host: 'x', nonce: 'someone-else' }));
    await mine.release();
    expect(readFileSync(mine.path, 'utf8')).toContain('someone-else');
  });
});

describe('the data folder is private', () => {
  it('creates it 0700 and makes an existing readable one (and its pgdata) 0700', async () => {
    const fresh = join(dir, 'fresh');
    await preparePrivateDataDir(fresh);
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    const open = join(dir, 'open');
    mkdirSync(join(open, 'pgdata'), { recursive: true });
    chmodSync(open, 0o755);
    chmodSync(join(open, 'pgdata'), 0o777);
    await preparePrivateDataDir(open);
    expect(statSync(open).mode & 0o777).toBe(0o700);
    expect(statSync(join(open, 'pgdata')).mode & 0o777).toBe(0o700);
  });

  it("refuses a folder that is not a folder, or (as root, where it can be arranged) another account's", async () => {
    writeFileSync(join(dir, 'file'), '');
    await expect(preparePrivateDataDir(join(dir, 'file'))).rejects.toThrow();
    if (process.getuid?.() === 0) {
      const theirs = join(dir, 'theirs');
      mkdirSync(theirs, { mode: 0o755 });
      chownSync(theirs, 4242, 4242);
      await expect(preparePrivateDataDir(theirs)).rejects.toThrow(/belongs to another account \(uid 4242\)/);
      expect(statSync(theirs).mode & 0o777).toBe(0o755);
    }
  });
});
