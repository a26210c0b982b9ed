import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Pair,
  Plan,
  PlanValidation,
  ReadinessReport,
  RecoveryPoint,
  SiteInventory,
} from '../../shared/configserver';
import { createDispatcher, type Dispatch } from '../../shared/dispatch';
import type { Job } from '../../shared/schemas/job';
import { tempBackend } from '../support/backend';

// The console's plans calls (the contract's plans:* and plans:readiness), served by the console
// backend through its connection to the lab configuration server.
let env: Awaited<ReturnType<typeof tempBackend>>;
let call: Dispatch;
const connectionId = 'lab-configserver';

beforeAll(async () => {
  env = await tempBackend({ lab: { vms: 12 } });
  call = createDispatcher(env.backend.handlers);
});
afterAll(async () => {
  await env?.dispose();
});

describe('console plans calls', () => {
  it('lists and gets the lab plans', async () => {
    const plans = (await call('plans:list', { connectionId })) as Plan[];
    expect(plans.map((p) => p.name)).toEqual(['lab-linux', 'lab-windows']);
    const win = (await call('plans:get', { connectionId, plan: 'lab-windows' })) as Plan;
    expect(win.target).toMatchObject({ site: 'lab-rotterdam', masterTarget: 'rtm-mt-win-01' });
    expect(win.machines.length).toBeGreaterThan(0);
  });

  it('validates a plan file and reports issues by field path', async () => {
    const v = (await call('plans:validate', {
      connectionId,
      plan: {
        name: 'console-draft',
        source: { site: 'lab-amsterdam' },
        target: { site: 'lab-rotterdam', masterTarget: 'rtm-mt-win-01' },
        machines: [{ vm: 'nowhere-01' }, { vm: 'nowhere-02', dependsOn: ['nowhere-03'] }],
      },
    })) as PlanValidation;
    expect(v.valid).toBe(false);
    expect(v.issues.map((i) => i.path)).toEqual(['machines[1].dependsOn[0]']);
    const inv = (await call('plans:validate', {
      connectionId,
      plan: {
        name: 'console-draft',
        source: { site: 'lab-amsterdam' },
        target: { site: 'lab-rotterdam' },
        machines: [{ vm: 'nowhere-01' }],
      },
    })) as PlanValidation;
    expect(inv.issues.filter((i) => i.severity === 'error').map((i) => i.path)).toEqual(['machines[0].vm']);
    await expect(call('plans:validate', { plan: {} })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(call('plans:list', { connectionId: 'lab-vcenter-primary' })).rejects.toMatchObject({
      code: 'not-found',
    });
  });

  it('applies, checks readiness and removes a plan', async () => {
    const applied = (await call('plans:apply', {
      connectionId,
      plan: { name: 'console-draft', source: { site: 'lab-amsterdam' }, target: { site: 'lab-rotterdam' } },
      expectUpdatedAt: null,
    })) as { created: boolean; plan: Plan };
    expect(applied.created).toBe(true);
    const r = (await call('plans:readiness', {
      connectionId,
      plan: 'console-draft',
      kind: 'protect',
    })) as ReadinessReport;
    expect(r).toMatchObject({ plan: 'console-draft', kind: 'protect', ready: false });
    expect(r.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual([
      'plan.machines',
      'plan.placement',
      'master-target.exists',
    ]);
    await expect(
      call('plans:readiness', { connectionId, plan: 'console-draft', kind: 'sideways' }),
    ).rejects.toMatchObject({ code: 'invalid-input' });
    const lab = (await call('plans:readiness', {
      connectionId,
      plan: 'lab-windows',
      kind: 'protect',
    })) as ReadinessReport;
    expect(lab.checks.find((c) => c.id === 'master-target.exists')?.status).toBe('pass');
    expect(((await call('plans:remove', { connectionId, plan: 'console-draft' })) as Plan).name).toBe(
      'console-draft',
    );
    await expect(call('plans:get', { connectionId, plan: 'console-draft' })).rejects.toMatchObject({
      code: 'not-found',
    });
  });

  it('starts a dry run of a workflow on a plan, follows it and refuses what does not apply', async () => {
    const job = (await call('jobs:create', {
      connectionId,
      kind: 'planned-failover',
      planId: 'lab-linux',
      dryRun: true,
    })) as Job;
    expect(job).toMatchObject({ kind: 'planned-failover', dryRun: true, state: 'queued' });
    expect(job.steps[0]!.name).toBe('readiness checks (planned)');
    let last = job;
    await expect
      .poll(
        async () => {
          last = (await call('jobs:get', { id: job.id })) as Job;
          return ['succeeded', 'failed'].includes(last.state);
        },
        { timeout: 60_000, interval: 250 },
      )
      .toBe(true);
    // The lab's pairs are still replicating or protected: either way the readiness step reported.
    expect(last.steps[0]!.log.some((l) => /^readiness: \d+ pass/.test(l.message))).toBe(true);
    await expect(call('jobs:cancel', { id: job.id })).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(call('jobs:acknowledge', { id: job.id })).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(
      call('jobs:create', {
        connectionId,
        kind: 'test-failover',
        planId: 'lab-linux',
        input: { point: 'soon' },
      }),
    ).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/latest-app/) });
  });

  it("reads a site as the server does (the wizards' choices) and a pair's recovery points", async () => {
    const site = (await call('sites:inventory', { connectionId, site: 'lab-rotterdam' })) as SiteInventory;
    expect(site.site.name).toBe('lab-rotterdam');
    const vcenter = site.endpoints.find((e) => e.endpoint.name === 'vcsa-rtm')!;
    expect(vcenter.status).toBe('ok');
    expect(vcenter.inventory?.source.kind).toBe('vsphere');
    const doc = vcenter.inventory as Extract<
      SiteInventory['endpoints'][number]['inventory'],
      { datastores: unknown }
    >;
    expect(doc.datastores.map((d) => d.name)).toContain('rtm-vsan-01');
    await expect(call('sites:inventory', { connectionId, site: 'atlantis' })).rejects.toMatchObject({
      code: 'not-found',
    });
    const [pair] = (await call('protection:get', {})) as Array<{ pairs: Pair[] }>;
    const points = (await call('pairs:recoveryPoints', {
      connectionId,
      pairId: pair!.pairs[0]!.id,
    })) as RecoveryPoint[];
    expect(Array.isArray(points)).toBe(true);
    for (const p of points) expect(p.pairId).toBe(pair!.pairs[0]!.id);
  });
});
