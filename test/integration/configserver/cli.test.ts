import { execFile, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, startTestServer, type TestDb, type TestServer, waitFor } from './harness';

/** The deployment verbs and the stand-alone lab agent, run as the `siteshift` command. */
const root = resolve(__dirname, '../../..');
const bin = join(root, 'bin/siteshift.mjs');
const run = promisify(execFile);

let tdb: TestDb;
let t: TestServer;

beforeAll(async () => {
  tdb = await openTestDb('pglite');
  t = await startTestServer(tdb.db, { runJobs: false });
  await t.admin.addSite('ams', 'primary');
  await t.admin.addSite('rtm', 'secondary');
});

afterAll(async () => {
  await t?.close();
  await tdb?.drop();
});

async function siteshift(
  args: string[],
  token = t.secrets.admin,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd: root,
      env: { ...process.env, SITESHIFT_SERVER: t.url, SITESHIFT_TOKEN: token, SITESHIFT_DEBUG: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

// Each run starts a Node process with tsx: seconds each on a busy machine.
describe('siteshift deployment verbs', { timeout: 120_000 }, () => {
  it('adds and lists sites, for people and for scripts', async () => {
    expect((await siteshift(['site', 'add', 'fra', '--role', 'secondary'])).stdout).toContain(
      'site fra (secondary) added',
    );
    const json = await siteshift(['site', 'list', '--json']);
    expect(JSON.parse(json.stdout).map((s: { name: string }) => s.name)).toEqual(['ams', 'fra', 'rtm']);
    const dup = await siteshift(['site', 'add', 'ams', '--role', 'primary']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain("a site named 'ams' already exists");
    const bad = await siteshift(['site', 'add', 'x', '--role', 'tertiary']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--role must be one of primary, secondary');
  });

  it('creates tokens (secret on stdout only), lists and revokes them; roles are enforced', async () => {
    const created = await siteshift(['token', 'create', '--role', 'viewer', '--name', 'ci-viewer']);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^sst_/);
    expect(created.stderr).not.toContain(secret);
    const list = await siteshift(['token', 'list']);
    expect(list.stdout).toContain('ci-viewer');
    expect(list.stdout).not.toContain(secret);
    const asViewer = await siteshift(['site', 'add', 'x', '--role', 'primary'], secret);
    expect(asViewer.code).toBe(1);
    expect(asViewer.stderr).toContain("role 'viewer'");
    expect((await siteshift(['token', 'revoke', 'ci-viewer'])).stdout).toContain('revoked');
    const revoked = await siteshift(['pairs', 'list'], secret);
    expect(revoked.stderr).toContain('unknown or revoked');
  });

  it('says what is missing before calling the server', async () => {
    const noTrust = await siteshift([
      'endpoint',
      'add',
      '--site',
      'ams',
      'vsphere',
      '--url',
      'https://vc/sdk',
      '--username',
      'u',
    ]);
    expect(noTrust.code).toBe(2);
    expect(noTrust.stderr).toContain('--thumbprint HEX or --trust-on-first-use');
    const badKeyType = await siteshift([
      'endpoint',
      'add',
      '--site',
      'ams',
      'hyperv',
      '--host',
      'hv',
      '--username',
      'u',
      '--host-key',
      `SHA256:${'A'.repeat(43)}`,
      '--host-key-type',
      'DSA',
    ]);
    expect(badKeyType.code).toBe(2);
    expect(badKeyType.stderr).toContain('--host-key-type: "DSA" is not ED25519, RSA or ECDSA');
    const noToken = await siteshift(['pairs', 'list', '--token-env', 'SITESHIFT_NOPE']);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('SITESHIFT_NOPE is not set');
    expect((await siteshift(['alerts', 'list', '--json'])).stdout.trim()).toBe('[]');
  });
});

describe('siteshift lab agent', { timeout: 120_000 }, () => {
  it('drives the pairs of a server through the agent API until stopped', async () => {
    const pair = await t.as.operator.addPair({
      sourceSite: 'ams',
      targetSite: 'rtm',
      sourceVmId: 'vm-1',
      sourceVmName: 'app-1',
      osFamily: 'linux',
    });
    const child = spawn(
      process.execPath,
      [
        bin,
        'lab',
        'agent',
        '--server',
        t.url,
        '--token-env',
        'LAB_AGENT_TOKEN',
        '--tick-ms',
        '200',
        '--rate-mbps',
        '10000000',
      ],
      {
        cwd: root,
        env: { ...process.env, LAB_AGENT_TOKEN: t.secrets.agent },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      await waitFor(
        async () => (await t.as.viewer.getPair(pair.id)).state === 'protected',
        'the pair to be protected',
        30_000,
      );
      expect(stderr).toContain('siteshift lab agent: 1 pair on ');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
