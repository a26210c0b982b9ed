import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ConfigServerClient } from '../../../core/configserver';
import { type Lab, startLab } from '../../../server/lab';
import { type PlanSpecInput, planSpecOf } from '../../../shared/configserver';
import { addFreeWindowsVms } from '../../support/plans';
import { raw, refused } from './harness';

/** Plans as files through the REST API of the lab server (its inventories are the lab's). */
let lab: Lab;
let admin: ConfigServerClient;
let operator: ConfigServerClient;
let operatorSecret: string;
let viewer: ConfigServerClient;

beforeAll(async () => {
  lab = await startLab({ vms: 12, agent: false });
  addFreeWindowsVms(lab.estate, 'ams-w-new', 3);
  admin = new ConfigServerClient({ url: lab.url, token: lab.adminToken });
  operatorSecret = (await admin.createToken('plans-operator', 'operator')).secret;
  operator = new ConfigServerClient({ url: lab.url, token: operatorSecret });
  viewer = new ConfigServerClient({
    url: lab.url,
    token: (await admin.createToken('plans-viewer', 'viewer')).secret,
  });
});

afterAll(async () => {
  for (const c of [admin, operator, viewer]) c?.close();
  await lab?.stop();
});

const windowsVms = () => ['ams-w-new-01', 'ams-w-new-02', 'ams-w-new-03'];
const endpointNames = async (site: string) => {
  const sites = await viewer.listSites();
  const id = sites.find((s) => s.name === site)!.id;
  return (await viewer.listEndpoints()).filter((e) => e.siteId === id).map((e) => e.name);
};
const yamlPlan = (machines: string) => `
name: web-tier
source: { site: lab-amsterdam }
target:
  site: lab-rotterdam
  masterTarget: rtm-mt-win-01
  placement: { cluster: DR, datastore: rtm-vsan-01 }
  networks: { "VM Network": "VM Network", "dvPG-Prod-110": "dvPG-DR-210", "dvPG-App-120": "dvPG-DR-210" }
  testNetwork: dvPG-Bubble-299
parallelism: 2
machines:
${machines}
`;

describe('plans over REST', () => {
  it('validate reports schema and inventory errors by field path, and changes nothing', async () => {
    const schema = await operator.validatePlan({ name: 'x', source: { site: 'lab-amsterdam' }, target: {} });
    expect(schema.valid).toBe(false);
    expect(schema.issues).toEqual([
      {
        severity: 'error',
        path: 'target.site',
        message: 'Invalid input: expected string, received undefined',
        messageWords: {
          key: 'planfile.zod.missing',
          parts: { expected: { key: 'planfile.type.string' } },
        },
      },
    ]);
    const [a, b] = windowsVms() as [string, string];
    const bad = parseYaml(
      yamlPlan(`  - { vm: ${a}, bootGroup: 1 }
  - { vm: db-01, bootGroup: 1 }
  - { vm: ${b}, bootGroup: 2, dependsOn: [${a}], reip: { nic: 3, address: 10.20.0.11/24 } }`),
    );
    bad.target.placement.datastore = 'LocalDS_0';
    const v = await operator.validatePlan(bad);
    expect(v.valid).toBe(false);
    expect(v.issues.filter((i) => i.severity === 'error').map((i) => `${i.path}: ${i.message}`)).toEqual([
      `machines[1].vm: db-01 is not a VM on site lab-amsterdam (${(await endpointNames('lab-amsterdam')).join(', ')}); check the name as vCenter or Hyper-V shows it`,
      `machines[2].reip.nic: ${b} has 1 NIC: nic 3 does not exist (the first NIC is 0)`,
      'target.placement.datastore: LocalDS_0 is not a datastore on site lab-rotterdam (datastores: rtm-vsan-01, rtm-retention-01)',
    ]);
    expect(v.current).toBeNull();
    expect((await operator.listPlans()).map((p) => p.name)).not.toContain('web-tier');
    // A refused apply says every error and stores nothing.
    const e = await refused(operator.applyPlan(bad));
    expect(e.status).toBe(400);
    expect(e.message).toContain('machines[1].vm: db-01 is not a VM on site lab-amsterdam');
    expect(e.details).toEqual(v.issues);
    expect((await operator.listPlans()).map((p) => p.name)).not.toContain('web-tier');
  });

  it('sites and master target are resolved by name; a plan with pairs keeps its sites and master target', async () => {
    const errors = async (plan: unknown) =>
      (await operator.validatePlan(plan)).issues
        .filter((i) => i.severity === 'error')
        .map((i) => `${i.path}: ${i.message}`);
    expect(
      await errors({
        name: 'refs',
        source: { site: 'mars' },
        target: { site: 'lab-amsterdam', masterTarget: 'nope-mt' },
      }),
    ).toEqual([
      'source.site: mars is not a site (sites: lab-amsterdam, lab-rotterdam)',
      'target.masterTarget: nope-mt is not a registered master target; register the VM with siteshift master-target add --site lab-amsterdam --vm nope-mt',
    ]);
    expect(
      await errors({
        name: 'refs',
        source: { site: 'lab-amsterdam' },
        target: { site: 'lab-amsterdam', masterTarget: 'rtm-mt-win-01' },
      }),
    ).toEqual([
      'target.site: lab-amsterdam is also the source site; a plan protects from one site to another',
      'target.masterTarget: rtm-mt-win-01 is a master target of another site, not of lab-amsterdam',
    ]);
    const win = planSpecOf(await viewer.getPlan('lab-windows'));
    const pairs = (await viewer.listPairs({ plan: 'lab-windows' })).length;
    const moved = await operator.validatePlan({
      ...win,
      target: { ...win.target, masterTarget: 'rtm-mt-lnx-01' },
      machines: win.machines.slice(1),
    });
    expect(moved.issues.map((i) => `${i.severity} ${i.path}: ${i.message}`)).toEqual(
      expect.arrayContaining([
        `error target.masterTarget: cannot change the master target: the plan has ${pairs} ${pairs === 1 ? 'pair' : 'pairs'}; remove its pairs before changing it`,
        `warning machines: ${win.machines[0]!.vm} left the plan but stay protected until their pairs are removed`,
      ]),
    );
  });

  it('apply creates, shows the difference, updates; a stale review is refused', async () => {
    const [a, b, c] = windowsVms() as [string, string, string];
    const file = parseYaml(
      yamlPlan(`  - { vm: ${a}, bootGroup: 1 }\n  - { vm: ${b}, bootGroup: 2, dependsOn: [] }`),
    );
    const first = await operator.validatePlan(file);
    expect(first.valid).toBe(true);
    const created = await operator.applyPlan(file, null);
    expect(created.created).toBe(true);
    expect(created.plan).toMatchObject({
      name: 'web-tier',
      source: { site: 'lab-amsterdam' },
      target: { masterTarget: 'rtm-mt-win-01', placement: { cluster: 'DR', datastore: 'rtm-vsan-01' } },
      machines: [
        { vm: a, bootGroup: 1, dependsOn: [] },
        { vm: b, bootGroup: 2, dependsOn: [] },
      ],
    });
    expect((await viewer.getPlan('web-tier')).id).toBe(created.plan.id);
    const again = await operator.validatePlan(file);
    expect(again.changes).toEqual([]);
    const next = {
      ...file,
      parallelism: 4,
      machines: [...file.machines, { vm: c, bootGroup: 2, dependsOn: [a] }],
    };
    const diff = await operator.validatePlan(next);
    expect(diff.changes).toEqual([
      { path: 'parallelism', kind: 'changed', from: 2, to: 4 },
      { path: 'machines[2]', kind: 'added', to: { vm: c, bootGroup: 2, dependsOn: [a] } },
    ]);
    const updated = await operator.applyPlan(next, created.plan.updatedAt);
    expect(updated.created).toBe(false);
    expect(updated.plan.id).toBe(created.plan.id);
    const stale = await refused(operator.applyPlan(file, created.plan.updatedAt));
    expect(stale.status).toBe(409);
    expect(stale.message).toMatch(/plan 'web-tier' was changed at .* since you reviewed it/);
    expect((await viewer.getPlan('web-tier')).parallelism).toBe(4);
  });

  it('while a test failover runs, the tested machines, their recovered names and the placement stay; the rest may change', async () => {
    const linux = planSpecOf(await viewer.getPlan('lab-linux'));
    const pairs = await viewer.listPairs({ plan: 'lab-linux' });
    const tested = pairs[0]!;
    // This lab runs no agent: the pair is walked to protected the way the agent would.
    if (tested.state === 'enabling') await admin.transitionPair(tested.id, 'initial-replication');
    if (tested.state !== 'protected') await admin.transitionPair(tested.id, 'protected');
    await admin.transitionPair(tested.id, 'test-failover-running', 'integration test');
    try {
      const i = linux.machines.findIndex((m) => m.vm === tested.sourceVmName);
      const errors = async (plan: unknown) =>
        (await operator.validatePlan(plan)).issues
          .filter((x) => x.severity === 'error')
          .map((x) => `${x.path}: ${x.message}`);
      expect(
        await errors({
          ...linux,
          target: { ...linux.target, placement: { ...linux.target.placement!, folder: '/Elsewhere' } },
          machines: linux.machines.map((m, j) => (j === i ? { ...m, recoveredName: `${m.vm}-dr` } : m)),
        }),
      ).toEqual([
        `target.placement: cannot change target.placement now: ${tested.sourceVmName}'s test failover is running; clean up the test first`,
        `machines[${i}].recoveredName: cannot change ${tested.sourceVmName}'s recoveredName now: ${tested.sourceVmName}'s test failover is running; clean up the test first`,
      ]);
      const without = { ...linux, machines: linux.machines.filter((m) => m.vm !== tested.sourceVmName) };
      expect(await errors(without)).toEqual([
        `machines: ${tested.sourceVmName} cannot leave the plan now: ${tested.sourceVmName}'s test failover is running; clean up the test first`,
      ]);
      const e = await refused(operator.applyPlan(without));
      expect(e.status).toBe(400);
      expect(e.message).toContain(`${tested.sourceVmName} cannot leave the plan now`);
      // The policy and the boot order are not what the test was built from: they may change.
      const tuned = {
        ...linux,
        policy: { ...linux.policy, rpoThresholdMinutes: linux.policy.rpoThresholdMinutes + 5 },
        machines: linux.machines.map((m) => ({ ...m, bootGroup: m.bootGroup + 1 })),
      };
      expect(await errors(tuned)).toEqual([]);
      const applied = await operator.applyPlan(tuned);
      expect(applied.changes.map((c) => c.path)).toContain('policy.rpoThresholdMinutes');
      await operator.applyPlan(linux);
    } finally {
      await admin.transitionPair(tested.id, 'protected', 'integration test done');
    }
  });

  it('only admins define script steps; an operator may re-apply them unchanged; the definition is audited', async () => {
    const file = planSpecOf(await viewer.getPlan('web-tier'));
    const withScript: PlanSpecInput = {
      ...file,
      steps: [
        { after: 1, message: 'Check the database replicas' },
        { after: 2, script: { command: '/opt/dr/smoke.sh', timeoutSeconds: 120 } },
      ],
    };
    const e = await refused(operator.applyPlan(withScript));
    expect(e.status).toBe(403);
    expect(e.message).toContain(
      'steps[1].script: only an admin may define a script step (your role is operator); ask an admin to apply this plan',
    );
    expect((await operator.validatePlan(withScript)).valid).toBe(false);
    expect((await admin.applyPlan(withScript)).plan.steps).toHaveLength(2);
    // The operator re-applies the plan with the script unchanged: allowed.
    expect((await operator.applyPlan({ ...withScript, parallelism: 3 })).plan.parallelism).toBe(3);
    const changed = {
      ...withScript,
      steps: [
        withScript.steps![0]!,
        { after: 2, script: { command: '/bin/sh -c reboot', timeoutSeconds: 120 } },
      ],
    };
    expect((await refused(operator.applyPlan(changed))).status).toBe(403);
    const audit = await admin.audit(20);
    const mine = audit.filter((x) => x.action === 'POST /api/v1/plans');
    expect(mine.map((x) => `${x.outcome} ${x.detail}`)).toContain(
      'ok updated plan web-tier with 1 script step(s)',
    );
    expect(
      mine.some(
        (x) => x.outcome === 'refused' && /only an admin may define a script step/.test(x.detail ?? ''),
      ),
    ).toBe(true);
  });

  it('readiness per workflow kind, over REST', async () => {
    const protect = await viewer.planReadiness('web-tier', 'protect');
    expect(protect).toMatchObject({ plan: 'web-tier', kind: 'protect', ready: true });
    expect(protect.checks.filter((c) => c.id === 'endpoint').map((c) => c.subject)).toEqual([
      ...(await endpointNames('lab-amsterdam')),
      ...(await endpointNames('lab-rotterdam')),
    ]);
    const test = await viewer.planReadiness('web-tier', 'test');
    expect(test.ready).toBe(false);
    expect(test.checks.find((c) => c.id === 'pairs.exist')).toMatchObject({
      status: 'fail',
      fix: 'protect them first: siteshift protect web-tier',
    });
    // The lab's own plans are protected by the seed (pairs enabling while no agent runs).
    const lab1 = await viewer.planReadiness('lab-windows', 'planned');
    expect(lab1.checks.find((c) => c.id === 'pairs.state')?.status).toBe('fail');
    expect(lab1.checks.find((c) => c.id === 'pairs.exist')?.status).toBe('pass');
    const bad = await raw(lab.url, 'GET', '/api/v1/plans/web-tier/readiness?for=sideways', {
      token: operatorSecret,
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.message).toMatch(/^query: for: /);
    expect((await refused(viewer.planReadiness('nope', 'protect'))).status).toBe(404);
  });

  it('remove: refused while pairs belong to the plan, then gone', async () => {
    const e = await refused(operator.removePlan('lab-windows'));
    expect(e.status).toBe(409);
    expect(e.message).toMatch(/^plan 'lab-windows' still has \d+ pairs? \(.*\); remove its pairs first$/);
    expect((await refused(viewer.removePlan('web-tier'))).status).toBe(403);
    expect((await operator.removePlan('web-tier')).name).toBe('web-tier');
    expect((await refused(viewer.getPlan('web-tier'))).status).toBe(404);
  });
});
