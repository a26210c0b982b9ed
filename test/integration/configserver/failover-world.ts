import { expect } from 'vitest';
import type { ConfigServerClient } from '../../../core/configserver';
import type { VsphereInventory } from '../../../shared/schemas/inventory';
import type { Job } from '../../../shared/schemas/job';
import { readSim, startVcsim, type Vcsim } from '../../vcsim/harness';
import { waitFor } from './harness';

/**
 * The world of the failover crash tests: two strict vcsim vCenters (ams primary, rtm secondary)
 * with a master target on rtm and a plan `web` whose first machine is re-addressed, protected and
 * ready to fail over; and the assertions, through the vSphere API, that a failover left it sound.
 */
export interface World {
  primary: Vcsim;
  secondary: Vcsim;
  source: VsphereInventory;
  machines: string[];
  mtVm: string;
}

export async function startWorld(
  options: {
    /** Milliseconds the secondary vCenter takes per method (vcsim's DelayConfig). */
    methodDelay?: Record<string, number>;
    /** Methods the secondary vCenter logs as they arrive (Vcsim.calls, Vcsim.nextLog). */
    logCalls?: string[];
    /** Source VM name prefixes that go into the plan. */
    prefixes?: string[];
  } = {},
): Promise<World> {
  const [primary, secondary] = await Promise.all([
    startVcsim({ username: 'admin@ams', password: 'ams-secret' }),
    startVcsim({
      username: 'admin@rtm',
      password: 'rtm-secret',
      methodDelay: options.methodDelay ?? { CreateVM_Task: 3000, PowerOnVM_Task: 500 },
      logCalls: options.logCalls,
    }),
  ]);
  const source = await readSim(primary);
  const target = await readSim(secondary);
  const prefixes = options.prefixes ?? ['DC0_C0_'];
  return {
    primary,
    secondary,
    source,
    machines: source.vms.filter((v) => prefixes.some((p) => v.name.startsWith(p))).map((v) => v.name),
    mtVm: target.vms.find((v) => v.name.startsWith('DC0_H0_'))!.name,
  };
}

/**
 * Sites ams (primary) and rtm (secondary), each with its vCenter as endpoint vc-<site>, its
 * certificate pinned. `secondaryUrl` reaches the secondary another way (a relay a test can cut).
 */
export async function addSites(
  c: ConfigServerClient,
  primary: Vcsim,
  secondary: Vcsim,
  secondaryUrl?: string,
): Promise<void> {
  await c.addSite('ams', 'primary');
  await c.addSite('rtm', 'secondary');
  for (const [site, vc, url] of [
    ['ams', primary, primary.url],
    ['rtm', secondary, secondaryUrl ?? secondary.url],
  ] as const)
    await c.addEndpoint({
      site,
      name: `vc-${site}`,
      target: { kind: 'vsphere', url, username: vc.username },
      secrets: { password: vc.password },
      trust: { kind: 'thumbprint', thumbprint: vc.thumbprint },
    });
}

/**
 * Sites, endpoints, the master target (configured by its job), the plan, protect: a plan ready to
 * fail over.
 */
export async function prepare(
  c: ConfigServerClient,
  w: World,
  options: {
    parallelism?: number;
    secondaryUrl?: string;
    reip?: { domain?: string; workgroup?: string };
  } = {},
): Promise<void> {
  await addSites(c, w.primary, w.secondary, options.secondaryUrl);
  const mt = await finished(
    c,
    (await c.configureMasterTarget({ site: 'rtm', vm: w.mtVm, name: 'mt-01' })).id,
  );
  expectOk(mt);
  await c.applyPlan({
    name: 'web',
    source: { site: 'ams' },
    target: {
      site: 'rtm',
      masterTarget: 'mt-01',
      placement: { cluster: 'DC0_C0', datastore: 'LocalDS_0', folder: '/Recovered' },
      networks: Object.fromEntries(w.source.networks.map((n) => [n.name, 'VM Network'])),
    },
    parallelism: options.parallelism ?? 4,
    machines: w.machines.map((vm, i) => ({
      vm,
      bootGroup: 1 + (i % 2),
      recoveredName: `${vm}-dr`,
      // Re-IP through vSphere guest customization (CustomizeVM_Task, strict vcsim), applied at power-on.
      ...(i === 0
        ? {
            reip: {
              nic: 0,
              address: '10.20.0.11/24',
              gateway: '10.20.0.1',
              dns: ['10.20.0.2'],
              ...options.reip,
            },
          }
        : {}),
    })),
  });
  expectOk(await finished(c, (await c.createJob({ kind: 'protect', planId: 'web' })).id));
  await waitFor(
    async () => {
      for (const p of await c.listPairs()) if ((await c.recoveryPoints(p.id)).length === 0) return false;
      return true;
    },
    'a recovery point for every pair',
    60_000,
  );
}

export async function finished(c: ConfigServerClient, id: string, timeoutMs = 120_000): Promise<Job> {
  return waitFor(
    async () => {
      const j = await c.getJob(id);
      return ['succeeded', 'failed', 'cancelled'].includes(j.state) ? j : null;
    },
    `job ${id}`,
    timeoutMs,
  );
}

export function expectOk(job: Job): void {
  if (job.state !== 'succeeded') {
    const logs = job.steps.flatMap((s) => s.log.map((l) => `${s.name}: ${l.message}`));
    throw new Error(`${job.kind} ${job.state}: ${job.error}\n${logs.join('\n')}`);
  }
}

/** Replica disk file → the VMs it is attached to, on the secondary vCenter. */
export async function replicaHolders(w: World): Promise<Map<string, string[]>> {
  const target = await readSim(w.secondary);
  const holders = new Map<string, string[]>();
  for (const vm of target.vms)
    for (const d of vm.disks)
      if (d.fileName.includes('siteshift-replicas/'))
        holders.set(d.fileName, [...(holders.get(d.fileName) ?? []), vm.name]);
  return holders;
}

/** A world caught mid-job (a server dead, a vCenter cut off): no replica disk on two VMs, no recovered VM twice. */
export async function expectNothingTwice(w: World, when: string): Promise<void> {
  for (const [file, vms] of await replicaHolders(w)) expect(vms, `${when}: ${file}`).toHaveLength(1);
  const names = (await readSim(w.secondary)).vms.map((v) => v.name);
  for (const m of w.machines)
    expect(names.filter((n) => n === `${m}-dr`).length, `${when}: ${m}-dr`).toBeLessThanOrEqual(1);
}

/** The world after the job: each recovered VM once, powered on, every replica disk on exactly one VM. */
export async function expectSoundWorld(w: World): Promise<void> {
  const target = await readSim(w.secondary);
  for (const name of w.machines) {
    const copies = target.vms.filter((v) => v.name === `${name}-dr`);
    expect(copies, `${name}-dr`).toHaveLength(1);
    expect(copies[0]!.powerState).toBe('poweredOn');
  }
  // The re-addressed machine came up with the plan's address (the customization ran at power-on).
  const reip = target.vms.find((v) => v.name === `${w.machines[0]}-dr`)!;
  expect(reip.ipAddresses).toContain('10.20.0.11');
  const holders = await replicaHolders(w);
  // One replica disk per source disk, each attached once, and to its recovered VM (not the MT).
  const sourceDisks = w.source.vms
    .filter((v) => w.machines.includes(v.name))
    .reduce((n, v) => n + v.disks.length, 0);
  expect(holders.size).toBe(sourceDisks);
  for (const [file, vms] of holders) {
    expect(vms, file).toHaveLength(1);
    expect(vms[0], file).not.toBe(w.mtVm);
  }
}
