import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionStore } from '../../core/console/connection-store';
import { SettingsStore } from '../../core/console/settings';
import { KeyFileVault } from '../../core/console/vault';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'siteshift-atomic-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts the write loop, waits until it has written at least twice, lets it run a moment, kills it. */
async function killDuringWrites(args: string[], runMs: number): Promise<void> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/write-loop.ts', ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`write loop exited early (${code})`)));
    });
    await new Promise((r) => setTimeout(r, runMs));
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
  }
}

// Kill times spread over a write cycle, so that some land mid-write, mid-fsync and mid-rename.
const kills = [5, 30, 70, 110, 160, 230];

describe('settings and saved connections survive a crash mid-write', { timeout: 120_000 }, () => {
  it('a 4 MiB file rewritten in a loop is always exactly the old or the new content', async () => {
    const file = join(dir, 'raw.txt');
    for (const ms of kills) {
      await killDuringWrites(['raw', file], ms);
      const text = await readFile(file, 'utf8');
      expect(text.length).toBe(4 * 1024 * 1024);
      expect(text === 'A'.repeat(text.length) || text === 'B'.repeat(text.length)).toBe(true);
    }
  });

  it('settings.json is always a valid settings file', async () => {
    const file = join(dir, 'settings.json');
    for (const ms of kills.slice(0, 4)) {
      await killDuringWrites(['settings', file], ms);
      const settings = await new SettingsStore(file).get();
      expect(['light', 'dark']).toContain(settings.theme);
    }
  });

  it('connections.json is always a valid connection list whose secrets still open', async () => {
    const file = join(dir, 'connections.json');
    const key = join(dir, 'vault.key');
    let seen = 0;
    for (const ms of kills.slice(0, 3)) {
      await killDuringWrites(['connections', file, key], ms);
      const store = new ConnectionStore(file, new KeyFileVault(key));
      const list = await store.list();
      expect(list.length).toBeGreaterThan(seen);
      seen = list.length;
      expect(await store.secrets(list.at(-1)!.id)).toEqual({ password: 'Correct-Horse-Battery-Staple!' });
    }
    // Temporary files of killed writes may remain beside it; they are never read as the list.
    const leftovers = (await readdir(dir)).filter((f) => f.startsWith('connections.json.'));
    expect(leftovers.every((f) => !f.endsWith('.json'))).toBe(true);
  });
});
