import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { realConnectors } from '../../core/connectors';
import { ConsoleBackend } from '../../core/console/backend';
import { webHostSettings } from '../../core/console/secret-storage';
import { startWebHost } from '../../core/console/webhost';
import { createLogger, logCrashes, rememberSecret, writeCrashReport } from '../../core/log';
import { webSocketApi } from '../../renderer/src/api/client';

// Secrets that must appear in no file: each is put through a path that logs.
const PASSWORD = 'Pw-7hunter2-Unlogged';
const TOKEN = 'tok_Zq8kL1mN0pR5sT9uV3wX';
const PRIVATE_KEY =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n-----END OPENSSH PRIVATE KEY-----';
const ENV_PASSWORD = 'EnvPw-Q4rT6yU8-never-logged';

/** Every file under a folder, as text (logs, crash reports, settings, connections). */
async function everyFile(dir: string): Promise<Array<{ path: string; text: string }>> {
  const out: Array<{ path: string; text: string }> = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.push({ path, text: await readFile(path, 'utf8') });
  }
  return out;
}

function expectNoSecret(files: Array<{ path: string; text: string }>, secrets: string[]) {
  for (const f of files)
    for (const s of secrets) {
      expect(f.text.includes(s), `${s} found in ${f.path}`).toBe(false);
      expect(f.text.includes(JSON.stringify(s).slice(1, -1)), `${s} (escaped) found in ${f.path}`).toBe(
        false,
      );
    }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'siteshift-secrets-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('no secret reaches a file, a log line or a crash report', () => {
  it('web host: secrets in calls (by key and by value), the token, saved connections, settings', async () => {
    const dataDir = join(dir, 'web');
    const logsDir = join(dataDir, 'logs');
    const logger = await createLogger({ dir: logsDir, name: 'web', level: 'debug' });
    const { vault, settingsHost } = webHostSettings(dataDir, logsDir);
    const backend = new ConsoleBackend({
      dataDir,
      vault,
      host: 'test',
      connectors: realConnectors,
      lab: false,
      settingsHost,
    });
    const host = await startWebHost({ backend, port: 0, rendererDir: 'does-not-exist', logger });
    // The client reconnects after the host closes; those refusals are expected here.
    (globalThis as { WebSocket?: unknown }).WebSocket = class extends WebSocket {
      constructor(url: string) {
        super(url);
        this.on('error', () => undefined);
      }
    };
    const api = webSocketApi(`ws://127.0.0.1:${host.port}/api/ws?token=${host.token}`, () => undefined);
    try {
      // A vCenter that does not answer: the failure is logged with its input.
      await expect(
        api['connections:test']({
          target: {
            kind: 'vsphere',
            url: 'https://127.0.0.1:1/sdk',
            username: 'administrator@vsphere.local',
          },
          secrets: { password: PASSWORD },
        }),
      ).rejects.toBeTruthy();
      // The secret again, under a key that is not secret-named: redacted by value.
      await expect(
        api['connections:test']({
          target: { kind: 'hyperv', host: '127.0.0.1', port: 1, username: PASSWORD },
          secrets: { privateKey: PRIVATE_KEY },
        }),
      ).rejects.toBeTruthy();
      await expect(
        api['connections:add']({
          name: 'config server',
          site: 'primary',
          target: { kind: 'configserver', url: 'http://127.0.0.1:1' },
          secrets: { token: TOKEN },
          trust: { kind: 'loopback' },
        }),
      ).rejects.toBeTruthy();
      // Invalid input carrying a secret.
      await expect(
        api['connections:test']({
          target: { kind: 'vsphere', url: 'ftp://x' } as never,
          secrets: { password: TOKEN },
        }),
      ).rejects.toBeTruthy();
      // Key-file fallback chosen: a saved secret is sealed, never plain.
      await api['settings:update']({ secretFallback: 'key-file' });
      await vault.encrypt(JSON.stringify({ password: PASSWORD }));
    } finally {
      await host.close();
    }
    logger.flush();
    const files = await everyFile(dataDir);
    const logText = files
      .filter((f) => f.path.startsWith(logsDir))
      .map((f) => f.text)
      .join('');
    expect(logText).toContain('call failed');
    expect(logText).toContain('[REDACTED]');
    expect(logText).toContain('web host listening');
    expectNoSecret(files, [PASSWORD, TOKEN, PRIVATE_KEY, host.token]);
    await backend.close();
  });

  it('CLI: secrets read from the environment never reach its log, even echoed in another option', async () => {
    const dataDir = join(dir, 'cli');
    const r = spawnSync(
      process.execPath,
      [
        'bin/siteshift.mjs',
        'inventory',
        'vsphere',
        '--url',
        'https://127.0.0.1:1/sdk',
        '--username',
        `ops-${ENV_PASSWORD}`,
        '--password-env',
        'SITESHIFT_TEST_PW',
        '--thumbprint',
        'ab'.repeat(32),
        '--timeout',
        '5',
      ],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, SITESHIFT_DATA_DIR: dataDir, SITESHIFT_TEST_PW: ENV_PASSWORD },
      },
    );
    expect(r.status).not.toBe(0);
    const files = await everyFile(dataDir);
    const log = files.find((f) => f.path.includes(join('logs', 'cli')));
    expect(log?.text).toContain('"command":"inventory vsphere"');
    expect(log?.text).toContain('command failed');
    expect(log?.text).toContain('ops-[REDACTED]');
    expectNoSecret(files, [ENV_PASSWORD]);
    expect(r.stderr).not.toContain(ENV_PASSWORD);
  });

  it('crash reports: an uncaught error quoting a secret is logged and reported without it', async () => {
    const logsDir = join(dir, 'crash');
    rememberSecret(PASSWORD);
    const logger = await createLogger({ dir: logsDir, name: 'main' });
    const report = await writeCrashReport(
      logsDir,
      'main',
      new Error(`login failed for password ${PASSWORD}`),
    );
    expect(await readFile(report, 'utf8')).toContain('login failed for password [REDACTED]');

    const before = process.listeners('uncaughtException');
    let exitCode: number | undefined;
    logCrashes(logger, logsDir, 'main', (code) => (exitCode = code));
    const added = process.listeners('uncaughtException').filter((l) => !before.includes(l));
    try {
      added[0]!(Object.assign(new Error(`token ${TOKEN} rejected`), { token: TOKEN }), 'uncaughtException');
      await expect.poll(() => exitCode).toBe(70);
    } finally {
      for (const l of added) process.off('uncaughtException', l);
      for (const l of process.listeners('unhandledRejection').filter((x) => !before.includes(x as never)))
        process.off('unhandledRejection', l);
    }
    logger.flush();
    const files = await everyFile(logsDir);
    expect(files.filter((f) => f.path.endsWith('.json')).length).toBe(2);
    expect(files.map((f) => f.text).join('')).toContain('crashed');
    expectNoSecret(files, [PASSWORD, TOKEN]);
  });
});
