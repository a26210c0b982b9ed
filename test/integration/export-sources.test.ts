import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openExport } from '../../shared/export/open';
import { type HypervDoublePair, startHypervDoublePair } from '../hyperv-double';
import { allReadableBytes, pdfText, secretForms } from '../support/export';
import { projectRoot, startVcsim, type Vcsim } from '../vcsim/harness';

/**
 * `siteshift export vsphere` and `export hyperv`: straight from a vCenter (govmomi's simulator) or
 * a Hyper-V host (the SSH host double), with no configuration server, in every format, and never
 * the password that was used to read them.
 */
const run = promisify(execFile);
let dir: string;
let sim: Vcsim;
let hv: HypervDoublePair;

beforeAll(async () => {
  [sim, hv] = await Promise.all([
    startVcsim({ username: 'export@vsphere.local', password: 'Vc-Export-Secret-41d9', vmsPerPool: 3 }),
    startHypervDoublePair(),
  ]);
  dir = await mkdtemp(join(tmpdir(), 'siteshift-export-sources-'));
});
afterAll(async () => {
  await sim?.stop();
  await hv?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function siteshift(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(projectRoot, 'bin/siteshift.mjs'), ...args],
      {
        env: { ...process.env, SITESHIFT_DEBUG: '', ...env },
        timeout: 120_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('siteshift export vsphere', () => {
  const base = () => [
    'export',
    'vsphere',
    '--url',
    sim.url,
    '--username',
    sim.username,
    '--password-env',
    'VC_PW',
  ];

  it('exports the vCenter as a verifiable JSON, HTML, SVG and a PDF, with no trace of the password', async () => {
    for (const format of ['json', 'html', 'svg', 'pdf'] as const) {
      const out = join(dir, `vc.${format === 'json' ? 'siteshift.json' : format}`);
      const r = await siteshift([...base(), '--trust-on-first-use', '--format', format, '--out', out], {
        VC_PW: sim.password,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(
        new RegExp(
          `wrote .* \\(${format}, \\d[\\d,]* bytes\\): [1-9][\\d,]* VMs, 0 plans, sha256 [0-9a-f]{64}, unsigned`,
        ),
      );
      const bytes = allReadableBytes(await readFile(out));
      for (const form of secretForms(sim.password))
        expect(bytes.includes(form), `${format} holds ${form}`).toBe(false);
    }
    const { document, verification } = await openExport(
      await readFile(join(dir, 'vc.siteshift.json'), 'utf8'),
    );
    expect(verification.digest).toBe('valid');
    expect(document.sources).toEqual([{ kind: 'vsphere', name: new URL(sim.url).host, address: sim.url }]);
    expect(document.inventories).toHaveLength(1);
    expect(document.inventories[0]!.inventory!.vms.map((v) => v.name)).toContain('DC0_C0_RP0_VM0');
    expect(document.deployments).toEqual([]);
    expect(await readFile(join(dir, 'vc.html'), 'utf8')).toContain('DC0_C0_RP0_VM0');
    // A vCenter alone has no plans: the runbook says so rather than being empty.
    expect(pdfText(await readFile(join(dir, 'vc.pdf')))).toMatch(/has no protection plans/);
  }, 240_000);

  it('refuses a pinned thumbprint that is not the vCenter, before sending the password', async () => {
    const r = await siteshift(
      [...base(), '--thumbprint', 'ab'.repeat(32), '--out', join(dir, 'no.siteshift.json')],
      {
        VC_PW: sim.password,
      },
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/thumbprint|identity/i);
    expect(r.stderr).not.toContain(sim.password);
  }, 120_000);
});

describe('siteshift export hyperv', () => {
  it('exports the Hyper-V host with a pinned host key and the password from the environment', async () => {
    const out = join(dir, 'hv.siteshift.json');
    const r = await siteshift(
      [
        'export',
        'hyperv',
        '--host',
        '127.0.0.1',
        '--port',
        String(hv.primary.port),
        '--username',
        hv.credentials.username,
        '--password-env',
        'HV_PW',
        '--host-key',
        hv.primary.fingerprint,
        '--out',
        out,
      ],
      { HV_PW: hv.credentials.password },
    );
    expect(r.code, r.stderr).toBe(0);
    const text = await readFile(out, 'utf8');
    for (const form of secretForms(hv.credentials.password)) expect(text.includes(form)).toBe(false);
    const { document } = await openExport(text);
    expect(document.sources[0]).toMatchObject({ kind: 'hyperv', address: `127.0.0.1:${hv.primary.port}` });
    const inv = document.inventories[0]!.inventory!;
    expect(inv.source.kind).toBe('hyperv');
    expect(inv.vms.length).toBeGreaterThan(0);
    expect(document.topology.nodes.some((n) => n.kind === 'hyperv-vm')).toBe(true);
  }, 120_000);
});
