import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVsphere } from '../../../core/vsphere';
import { type VsphereInventory, vsphereInventorySchema } from '../../../shared/schemas/inventory';
import { projectRoot, startVcsim, type Vcsim } from '../../vcsim/harness';

const run = promisify(execFile);

async function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(projectRoot, 'bin/siteshift.mjs'), ...args],
      {
        env: { ...process.env, ...env },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 60_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('siteshift inventory vsphere', () => {
  let sim: Vcsim;
  beforeAll(async () => {
    sim = await startVcsim({ username: 'ops@vsphere.local', password: 'pw-from-env', vmsPerPool: 2 });
  });
  afterAll(async () => {
    await sim?.stop();
  });
  const base = () => [
    'inventory',
    'vsphere',
    '--url',
    sim.url,
    '--username',
    sim.username,
    '--password-env',
    'VC_PW',
  ];

  it('--json prints the schema-valid document (pinned thumbprint, password from the environment)', async () => {
    const r = await cli([...base(), '--thumbprint', sim.thumbprint.replace(/:/g, ''), '--json'], {
      VC_PW: sim.password,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = vsphereInventorySchema.parse(JSON.parse(r.stdout));
    expect(doc.vms).toHaveLength(2 * (1 + 1));
    expect(r.stdout).not.toContain(sim.password);
    // Written VM by VM (nothing held whole), yet the document and its layout are fetchInventory's.
    expect(r.stdout).toBe(`${JSON.stringify(JSON.parse(r.stdout), null, 2)}\n`);
    const source = await openVsphere(
      { kind: 'vsphere', url: sim.url, username: sim.username },
      { password: sim.password },
      { kind: 'thumbprint', thumbprint: sim.thumbprint },
    );
    try {
      const byId = (d: VsphereInventory) => ({
        ...d,
        vms: [...d.vms].sort((a, b) => a.id.localeCompare(b.id)),
      });
      expect(byId(JSON.parse(r.stdout))).toEqual(byId(await source.fetchInventory()));
    } finally {
      await source.close();
    }
  });

  it('without --json prints tables; --trust-on-first-use shows the thumbprint on stderr', async () => {
    const r = await cli([...base(), '--trust-on-first-use'], { VC_PW: sim.password });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(sim.thumbprint);
    expect(r.stdout).toMatch(/HOST\s+DATACENTER\s+CLUSTER/);
    expect(r.stdout).toMatch(/VM\s+POWER\s+HOST/);
    expect(r.stdout).toContain('DC0_C0_RP0_VM0');
  });

  it('refuses bad input with an operator-readable message', async () => {
    const noTrust = await cli(base(), { VC_PW: sim.password });
    expect(noTrust.code).toBe(2);
    expect(noTrust.stderr).toMatch(/exactly one of --thumbprint/);
    const badThumb = await cli([...base(), '--thumbprint', 'zz'], { VC_PW: sim.password });
    expect(badThumb.code).not.toBe(0);
    expect(badThumb.stderr).toMatch(/64 hex digits/);
    const noEnv = await cli([...base(), '--trust-on-first-use']);
    expect(noEnv.code).toBe(1);
    expect(noEnv.stderr).toMatch(/environment variable VC_PW is not set/);
  });

  it('a wrong password and a changed certificate fail with their own messages', async () => {
    const wrong = await cli([...base(), '--thumbprint', sim.thumbprint], { VC_PW: 'nope' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/user name or password was refused.*\(invalid-login\)/);
    const changed = await cli([...base(), '--thumbprint', 'AB'.repeat(32)], { VC_PW: sim.password });
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/certificate of .* changed.*\(identity-changed\)/);
  });
});
