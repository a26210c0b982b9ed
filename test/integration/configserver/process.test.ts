import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigServerClient } from '../../../core/configserver';
import { probeCertificate } from '../../../core/tls';
import type { ApiError } from '../../../shared/errors';
import { selfSignedCert } from '../../vcsim/fake-sdk';
import { createPgDatabase, repoRoot, ServerProcesses, siteshiftBin, waitFor } from './harness';

/**
 * The server as operators run it (`siteshift server`): TLS with a pinned certificate, and a
 * process killed with SIGKILL then restarted on the same data loses no committed state.
 */
const servers = new ServerProcesses();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'siteshift-server-'));
  const { key, cert } = selfSignedCert();
  writeFileSync(join(dir, 'key.pem'), key, { mode: 0o600 });
  writeFileSync(join(dir, 'cert.pem'), cert);
});

afterAll(async () => {
  await servers.killAll();
  rmSync(dir, { recursive: true, force: true });
});

describe('siteshift server', () => {
  it('refuses plain HTTP on a non-loopback address', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync(
        process.execPath,
        [siteshiftBin, 'server', '--host', '0.0.0.0', '--data', join(dir, 'unused')],
        {
          cwd: repoRoot,
          stdio: 'pipe',
        },
      );
    } catch (e) {
      status = (e as { status: number }).status;
      stderr = String((e as { stderr: Buffer }).stderr);
    }
    expect(status).toBe(2);
    expect(stderr).toContain('give --tls-cert and --tls-key');
  });

  it('refuses a database password on the command line, without echoing it', () => {
    const refused = spawnSync(
      process.execPath,
      [
        siteshiftBin,
        'server',
        '--database-url',
        'postgres://siteshift:hunter2@127.0.0.1:5432/x',
        '--key-file',
        join(dir, 'k'),
      ],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('put the password in PGPASSWORD');
    expect(refused.stderr).not.toContain('hunter2');
  });

  it('serves TLS with a pinnable certificate and keeps committed state through SIGKILL (PGlite)', async () => {
    const data = join(dir, 'pglite');
    const tokenFile = join(dir, 'token');
    const tls = ['--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')];
    const first = await servers.start(['--data', data, '--bootstrap-token-file', tokenFile, ...tls]);
    expect(first.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(first.stderr()).not.toMatch(/sst_/);
    expect(statSync(data).mode & 0o777).toBe(0o700);
    // A second server on the same PGlite folder would lose acknowledged writes: it is refused.
    const refused = spawnSync(process.execPath, [siteshiftBin, 'server', '--port', '0', '--data', data], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`the data folder ${data} is in use by another Siteshift server`);
    const token = readFileSync(tokenFile, 'utf8').trim();

    const expected = new X509Certificate(readFileSync(join(dir, 'cert.pem'))).fingerprint256.toLowerCase();
    const probe = await probeCertificate(new URL(first.url));
    expect(probe.thumbprint).toBe(expected);

    const unpinned = new ConfigServerClient({ url: first.url, token });
    const e1 = await unpinned.whoami().catch((e: unknown) => e);
    expect((e1 as ApiError).code).toBe('untrusted-identity');
    unpinned.close();
    const wrong = new ConfigServerClient({ url: first.url, token, tls: { thumbprint: 'ab'.repeat(32) } });
    const e2 = await wrong.whoami().catch((e: unknown) => e);
    expect((e2 as ApiError).code).toBe('identity-changed');
    wrong.close();

    const c = new ConfigServerClient({ url: first.url, token, tls: { thumbprint: expected } });
    expect((await c.whoami()).role).toBe('admin');
    await c.addSite('ams', 'primary');
    await c.addSite('rtm', 'secondary');
    const pair = await c.addPair({
      sourceSite: 'ams',
      targetSite: 'rtm',
      sourceVmId: 'vm-1',
      sourceVmName: 'db-1',
      osFamily: 'windows',
    });
    await c.reportProgress(pair.id, 'initial-replication-started');
    await c.reportProgress(pair.id, 'initial-replication-complete');
    await c.addRecoveryPoint(pair.id, { consistency: 'app', tag: 'last-before-kill' });
    let lastSeen: string | null = null;
    let ready = false;
    const sub = c.subscribe(
      (ev) => {
        lastSeen = ev.id;
      },
      {
        onStatus: (s) => {
          ready ||= s.type === 'ready';
        },
      },
    );
    await waitFor(() => ready, 'the wss stream');
    await c.reportStats(pair.id, { rpoSec: 5, pendingChangeBytes: 1, diskSizeBytes: 10e9, throughputBps: 1 });
    await waitFor(() => lastSeen, 'an event over wss');
    sub.close();
    c.close();
    await servers.kill(first.child);

    const second = await servers.start(['--data', data, '--bootstrap-token-file', tokenFile, ...tls]);
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(token); // no second bootstrap token
    const c2 = new ConfigServerClient({ url: second.url, token, tls: { thumbprint: expected } });
    expect((await c2.listSites()).map((s) => s.name)).toEqual(['ams', 'rtm']);
    const after = await c2.getPair(pair.id);
    expect(after.state).toBe('protected');
    expect(after.stats?.rpoSec).toBe(5);
    expect((await c2.recoveryPoints(pair.id))[0]?.tag).toBe('last-before-kill');
    // The event history survives too: a console resumes across the restart.
    await c2.transitionPair(pair.id, 'resync-required', 'after restart');
    const resumed: string[] = [];
    const sub2 = c2.subscribe((ev) => resumed.push(ev.type), { since: lastSeen! });
    await waitFor(() => resumed.includes('pair.state'), 'the event written after the restart');
    sub2.close();
    c2.close();
    await servers.kill(second.child);
  }, 180_000);

  it('keeps committed state through SIGKILL on PostgreSQL', async () => {
    const pgdb = await createPgDatabase();
    try {
      const args = [
        '--database-url',
        pgdb.url,
        '--key-file',
        join(dir, 'pg.key'),
        '--bootstrap-token-file',
        join(dir, 'pg-token'),
      ];
      const first = await servers.start(args);
      const token = readFileSync(join(dir, 'pg-token'), 'utf8').trim();
      const c = new ConfigServerClient({ url: first.url, token });
      expect((await c.healthz()).database).toBe('postgres');
      await c.addSite('ams', 'primary');
      await c.addSite('rtm', 'secondary');
      const viewer = await c.createToken('kept', 'viewer');
      const pair = await c.addPair({
        sourceSite: 'ams',
        targetSite: 'rtm',
        sourceVmId: 'vm-1',
        sourceVmName: 'db-1',
        osFamily: 'linux',
      });
      await c.reportProgress(pair.id, 'initial-replication-started');
      // Telemetry commits asynchronously on PostgreSQL: still durable when only the server dies.
      await c.reportStats(pair.id, {
        rpoSec: 7,
        pendingChangeBytes: 1,
        diskSizeBytes: 10e9,
        throughputBps: 1,
        progress: 0.25,
      });
      c.close();
      await servers.kill(first.child);
      const second = await servers.start(args);
      const v = new ConfigServerClient({ url: second.url, token: viewer.secret });
      expect((await v.listSites()).map((s) => s.name)).toEqual(['ams', 'rtm']);
      expect((await v.getPair(pair.id)).stats?.progress).toBe(0.25);
      v.close();
      await servers.kill(second.child);
    } finally {
      await pgdb.drop();
    }
  });
});
