import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { webSocketApi } from '../../renderer/src/api/client';
import type { SiteshiftApi } from '../../shared/contract';

/**
 * `siteshift lab --web` as an operator starts it: its console keeps secrets where the Settings
 * card says, following the operator's fallback choice like `siteshift web` (memory by default).
 */
let dataDir: string;
let lab: ChildProcess;
let api: SiteshiftApi;
let serverUrl: string;
let adminToken: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'siteshift-lab-web-'));
  lab = spawn(process.execPath, ['bin/siteshift.mjs', 'lab', '--vms', '4', '--memory', '--web'], {
    env: { ...process.env, SITESHIFT_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const consoleUrl = await new Promise<string>((ok, fail) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      serverUrl = /configuration server (http:\/\/\S+)/.exec(out)?.[1] ?? '';
      adminToken = /admin token for this session \(revoked at exit\): (\S+)/.exec(out)?.[1] ?? '';
      const match = /console (http:\/\/\S+)/.exec(out);
      if (match) ok(match[1]!);
    };
    lab.stdout!.on('data', onData);
    lab.stderr!.on('data', onData);
    lab.once('exit', (code) =>
      fail(new Error(`the lab exited (${code}) before serving the console:\n${out}`)),
    );
  });
  // The client reconnects after the lab stops; those refusals are expected here.
  (globalThis as { WebSocket?: unknown }).WebSocket = class extends WebSocket {
    constructor(url: string) {
      super(url);
      this.on('error', () => undefined);
    }
  };
  const url = new URL(consoleUrl);
  api = webSocketApi(`ws://${url.host}/api/ws?token=${url.searchParams.get('token')}`, () => undefined);
}, 120_000);

afterAll(async () => {
  if (lab && lab.exitCode === null) {
    const exited = new Promise((ok) => lab.once('exit', ok));
    lab.kill('SIGTERM');
    await exited;
  }
  await rm(dataDir, { recursive: true, force: true });
});

async function everyFileText(): Promise<string> {
  let text = '';
  for (const entry of await readdir(dataDir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) text += await readFile(join(entry.parentPath, entry.name), 'utf8');
  return text;
}

describe('siteshift lab --web: secrets', () => {
  it('keeps a saved secret in memory under the default choice, and says so', async () => {
    const state = await api['settings:get']({});
    // The radio (the setting) and the note (where secrets go) tell the same story.
    expect(state.settings.secretFallback).toBe('memory');
    expect(state.secrets).toEqual({
      storage: 'memory',
      keychainAvailable: false,
      reason: { kind: 'browser', backend: null },
      keyFile: null,
    });
    await api['connections:add']({
      name: 'lab server',
      site: 'primary',
      target: { kind: 'configserver', url: serverUrl },
      secrets: { token: adminToken },
      trust: { kind: 'loopback' },
    });
    expect(existsSync(join(dataDir, 'connections.json'))).toBe(true);
    expect(existsSync(join(dataDir, 'vault.key'))).toBe(false);
    expect(await everyFileText()).not.toContain(adminToken);
  }, 60_000);

  it('seals secrets with the key file once the operator chooses it, and names that file', async () => {
    const state = await api['settings:update']({ secretFallback: 'key-file' });
    expect(state.secrets).toMatchObject({ storage: 'key-file', keyFile: join(dataDir, 'vault.key') });
    await api['connections:add']({
      name: 'lab server (key file)',
      site: 'secondary',
      target: { kind: 'configserver', url: serverUrl },
      secrets: { token: adminToken },
      trust: { kind: 'loopback' },
    });
    expect(existsSync(join(dataDir, 'vault.key'))).toBe(true);
    expect(await everyFileText()).not.toContain(adminToken);
  }, 60_000);
});
