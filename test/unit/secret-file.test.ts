import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSecretFile } from '../../cli/actions/server';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'siteshift-secret-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeSecretFile (the bootstrap token file)', () => {
  it('creates the file 0600 even under a permissive umask, and leaves no temporary file', async () => {
    const previous = process.umask(0);
    try {
      await writeSecretFile(join(dir, 'token'), 'sst_secret');
    } finally {
      process.umask(previous);
    }
    expect(statSync(join(dir, 'token')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'token'), 'utf8')).toBe('sst_secret\n');
    expect(readdirSync(dir)).toEqual(['token']);
  });

  it('replaces a world-readable file instead of writing into it', async () => {
    writeFileSync(join(dir, 'token'), 'old', { mode: 0o644 });
    await writeSecretFile(join(dir, 'token'), 'sst_new');
    expect(statSync(join(dir, 'token')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'token'), 'utf8')).toBe('sst_new\n');
  });

  it('does not write through a symlink planted at the path', async () => {
    writeFileSync(join(dir, 'victim'), 'untouched', { mode: 0o644 });
    symlinkSync(join(dir, 'victim'), join(dir, 'token'));
    await writeSecretFile(join(dir, 'token'), 'sst_new');
    expect(readFileSync(join(dir, 'victim'), 'utf8')).toBe('untouched');
    expect(lstatSync(join(dir, 'token')).isSymbolicLink()).toBe(false);
  });

  it('fails clearly when the folder does not exist, leaving nothing behind', async () => {
    await expect(writeSecretFile(join(dir, 'missing', 'token'), 'x')).rejects.toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
