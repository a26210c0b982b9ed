import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vsphereConnector } from '../../../core/vsphere';
import type { VsphereInventory } from '../../../shared/schemas/inventory';
import { readSim, startVcsim, type Vcsim } from '../../vcsim/harness';
import { openTestDb, startTestServer, type TestDb, type TestServer } from './harness';

/**
 * Plans validated against two real vSphere endpoints: two strict vcsim vCenters (primary and
 * secondary) read by the server's vSphere connector, through REST and through the CLI.
 */
const root = resolve(__dirname, '../../..');
const bin = join(root, 'bin/siteshift.mjs');
const exec = promisify(execFile);

let tdb: TestDb;
let t: TestServer;
let primary: Vcsim;
let secondary: Vcsim;
let source: VsphereInventory;
let target: VsphereInventory;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siteshift-plans-vcsim-'));
  [primary, secondary, tdb] = await Promise.all([
    startVcsim({ username: 'admin@ams', password: 'ams-secret' }),
    startVcsim({ username: 'admin@rtm', password: 'rtm-secret' }),
    openTestDb('pglite'),
  ]);
  t = await startTestServer(tdb.db, {
    runJobs: false,
    connectors: { vsphere: vsphereConnector },
  });
  await t.admin.addSite('ams', 'primary');
  await t.admin.addSite('rtm', 'secondary');
  for (const [site, vc] of [
    ['ams', primary],
    ['rtm', secondary],
  ] as const)
    await t.admin.addEndpoint({
      site,
      name: `vc-${site}`,
      target: { kind: 'vsphere', url: vc.url, username: vc.username },
      secrets: { password: vc.password },
      trust: { kind: 'thumbprint', thumbprint: vc.thumbprint },
    });
  [source, target] = await Promise.all([readSim(primary), readSim(secondary)]);
  // The master target: a VM of the secondary vCenter, registered through the API.
  await t.admin.addMasterTarget({ site: 'rtm', vm: target.vms[0]!.name, name: 'mt-01' });
});

afterAll(async () => {
  await t?.close();
  await tdb?.drop();
  await Promise.all([primary?.stop(), secondary?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

/** A plan over the primary's first two VMs, mapping each of their networks to the secondary's first. */
function plan(over: Record<string, unknown> = {}) {
  const vms = source.vms.slice(0, 2);
  const nets = new Set(
    vms.flatMap((v) => v.nics.map((n) => source.networks.find((x) => x.id === n.network)?.name ?? '')),
  );
  const to = target.networks[0]!.name;
  return {
    name: 'vcsim-plan',
    source: { site: 'ams' },
    target: {
      site: 'rtm',
      masterTarget: 'mt-01',
      placement: { cluster: target.clusters[0]!.name, datastore: target.datastores[0]!.name },
      networks: Object.fromEntries([...nets].filter(Boolean).map((n) => [n, to])),
    },
    machines: vms.map((v, i) => ({ vm: v.name, bootGroup: i + 1 })),
    ...over,
  };
}

describe('plans against vcsim', { timeout: 120_000 }, () => {
  it('REST: a plan that fits the two vCenters validates; wrong names are errors at their fields', async () => {
    const ok = await t.as.operator.validatePlan(plan());
    expect(ok.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(ok.valid).toBe(true);
    const base = plan();
    const bad = await t.as.operator.validatePlan({
      ...base,
      target: { ...base.target, placement: { cluster: 'C9', datastore: 'NoSuchDS' }, networks: {} },
      machines: [...base.machines, { vm: 'not-on-vcsim' }],
    });
    const errors = bad.issues.filter((i) => i.severity === 'error').map((i) => `${i.path}: ${i.message}`);
    expect(errors).toContain(
      'machines[2].vm: not-on-vcsim is not a VM on site ams (vc-ams); check the name as vCenter or Hyper-V shows it',
    );
    expect(errors).toContain(
      `target.placement.cluster: C9 is not a cluster on site rtm (clusters: ${target.clusters.map((c) => c.name).join(', ')})`,
    );
    expect(
      errors.some((e) => e.startsWith('target.placement.datastore: NoSuchDS is not a datastore on site rtm')),
    ).toBe(true);
    expect(errors.some((e) => e.startsWith('target.networks: source network '))).toBe(true);
  });

  it('REST: apply, then readiness for protect reads both vCenters', async () => {
    const applied = await t.as.operator.applyPlan(plan(), null);
    expect(applied.created).toBe(true);
    const r = await t.as.viewer.planReadiness('vcsim-plan', 'protect');
    expect(r.checks.filter((c) => c.id === 'endpoint').map((c) => `${c.subject}:${c.status}`)).toEqual([
      'vc-ams:pass',
      'vc-rtm:pass',
    ]);
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(r.ready).toBe(true);
  });

  it('CLI: plan apply -f of a YAML file, plan check, against the vCenters', async () => {
    const env = {
      ...process.env,
      SITESHIFT_SERVER: t.url,
      SITESHIFT_TOKEN: t.secrets.operator,
      SITESHIFT_DEBUG: '',
    };
    const p = plan({ parallelism: 6 });
    const yaml = `name: ${p.name}
source: { site: ams }
target:
  site: rtm
  masterTarget: mt-01
  placement: { cluster: ${p.target.placement.cluster}, datastore: ${p.target.placement.datastore} }
  networks: ${JSON.stringify(p.target.networks)}
parallelism: 6
machines:
${p.machines.map((m) => `  - { vm: ${m.vm}, bootGroup: ${m.bootGroup} }`).join('\n')}
`;
    const file = join(dir, 'vcsim-plan.yaml');
    writeFileSync(file, yaml);
    const applied = await exec(process.execPath, [bin, 'plan', 'apply', '-f', file, '--yes'], {
      cwd: root,
      env,
    });
    expect(applied.stdout).toContain('plan vcsim-plan changes:\n  ~ parallelism: 4 → 6\n');
    expect(applied.stdout).toContain('plan vcsim-plan updated');
    const check = await exec(process.execPath, [bin, 'plan', 'check', 'vcsim-plan', '--for', 'protect'], {
      cwd: root,
      env,
    });
    expect(check.stdout).toMatch(/^Plan vcsim-plan for protect: READY/);
    const ghost = join(dir, 'ghost.yaml');
    writeFileSync(ghost, yaml.replace(`vm: ${p.machines[0]!.vm}`, 'vm: ghost-vm'));
    const refused = await exec(process.execPath, [bin, 'plan', 'apply', '-f', ghost, '--yes'], {
      cwd: root,
      env,
    }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain('error: machines[0].vm: ghost-vm is not a VM on site ams (vc-ams)');
    expect(primary.refusals()).toEqual([]);
    expect(secondary.refusals()).toEqual([]);
  });
});
