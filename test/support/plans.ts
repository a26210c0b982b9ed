import { createLabEstate, type LabEstate } from '../../core/lab/estate';
import type { EndpointRead, SiteEstate } from '../../server/estate';
import {
  type MasterTarget,
  type Pair,
  type Plan,
  type PlanSpecInput,
  planSpecSchema,
} from '../../shared/configserver';
import type { VsphereInventory } from '../../shared/schemas/inventory';

/** The plan file of issue 11, verbatim. */
export const issueExample = `
name: web-tier
source: { site: primary }
target:
  site: secondary
  masterTarget: mt-linux-01          # a VM on the target site, registered as master target
  placement: { cluster: C0, datastore: LocalDS_0, folder: /Recovered }   # or host: NAME
  networks: { "VM Network": "DR Network" }    # every source network needs a mapping
  testNetwork: DR-Test                        # isolated network for test failover
policy: { rpoThresholdMinutes: 15, retentionHours: 24, appConsistentEveryMinutes: 60 }
parallelism: 10
machines:
  - { vm: web-01, bootGroup: 1 }
  - { vm: app-01, bootGroup: 2, dependsOn: [db-01], recoveredName: app-01-dr,
      reip: { nic: 0, address: 10.20.0.11/24, gateway: 10.20.0.1, dns: [10.20.0.2] } }
steps:
  - { after: 1, message: "Check the database replicas before starting group 2" }
  - { after: 2, script: { command: "/opt/dr/smoke.sh", timeoutSeconds: 120 } }
`;

/**
 * A small lab estate as the two sites of a plan: ams (primary vCenter and Hyper-V host) and rtm
 * (secondary vCenter with the master target VMs), every endpoint read. Tests change the copies.
 */
export function planWorld(vms = 12) {
  const estate: LabEstate = createLabEstate({ vms });
  const read = (name: string, inventory: EndpointRead['inventory']): EndpointRead => ({
    endpoint: {
      id: `ep-${name}`,
      name,
      target:
        inventory?.source.kind === 'hyperv'
          ? { kind: 'hyperv', host: name, port: 22, username: 'u' }
          : { kind: 'vsphere', url: `https://${name}/sdk`, username: 'u' },
    },
    status: 'ok',
    message: '',
    inventory,
  });
  const source: SiteEstate = {
    site: { id: 's-ams', name: 'ams' },
    endpoints: [read('vcsa-ams', estate.primary), read('hv-ams-01', estate.hypervPrimary)],
  };
  const target: SiteEstate = {
    site: { id: 's-rtm', name: 'rtm' },
    endpoints: [read('vcsa-rtm', estate.secondary)],
  };
  const mtVm = (name: string) => estate.secondary.vms.find((v) => v.name === name)!;
  const mt = (name: string, osFamily: 'windows' | 'linux', slotsUsed = 0): MasterTarget => ({
    id: `mt-${name}`,
    siteId: 's-rtm',
    endpointId: 'ep-vcsa-rtm',
    name,
    vmId: mtVm(name).id,
    vmName: name,
    osFamily,
    slots: [],
    reservedSlots: [],
    slotsUsed,
    slotsFree: 60 - slotsUsed,
    retentionDatastore: null,
    retentionFreeBytes: null,
    createdAt: '2026-11-29T00:00:00.000Z',
  });
  // The primary's master targets are not machines a plan protects.
  const protectable = estate.primary.vms.filter((v) => !v.folderPath.endsWith('/Siteshift/MasterTargets'));
  const windowsVms = protectable.filter((v) => /^win/.test(v.guestOs ?? '')).map((v) => v.name);
  const linuxVms = protectable.filter((v) => !/^win/.test(v.guestOs ?? '')).map((v) => v.name);
  return {
    estate,
    primary: estate.primary as VsphereInventory,
    secondary: estate.secondary as VsphereInventory,
    source,
    target,
    mtWin: mt('rtm-mt-win-01', 'windows'),
    mtLnx: mt('rtm-mt-lnx-01', 'linux'),
    windowsVms,
    linuxVms,
  };
}

/** A valid Windows plan over the world's first three Windows VMs. */
export function windowsPlanInput(
  w: ReturnType<typeof planWorld>,
  over: Partial<PlanSpecInput> = {},
): PlanSpecInput {
  return {
    name: 'win',
    source: { site: 'ams' },
    target: {
      site: 'rtm',
      masterTarget: 'rtm-mt-win-01',
      placement: { cluster: 'DR', datastore: 'rtm-vsan-01' },
      networks: { 'VM Network': 'VM Network', 'dvPG-Prod-110': 'dvPG-DR-210', 'dvPG-App-120': 'dvPG-DR-210' },
      testNetwork: 'dvPG-Bubble-299',
    },
    machines: w.windowsVms.slice(0, 3).map((vm, i) => ({ vm, bootGroup: i + 1 })),
    ...over,
  };
}

export function storedPlan(
  w: ReturnType<typeof planWorld>,
  input: PlanSpecInput,
  masterTargetId: string | null = w.mtWin.id,
): Plan {
  return {
    id: 'plan-1',
    ...planSpecSchema.parse(input),
    sourceSiteId: 's-ams',
    targetSiteId: 's-rtm',
    masterTargetId,
    createdAt: '2026-11-29T00:00:00.000Z',
    updatedAt: '2026-11-29T00:00:00.000Z',
  };
}

export function pairFor(w: ReturnType<typeof planWorld>, vmName: string, over: Partial<Pair> = {}): Pair {
  const vm = w.primary.vms.find((v) => v.name === vmName)!;
  return {
    id: `pair-${vmName}`,
    planId: 'plan-1',
    sourceVmId: vm.id,
    sourceVmName: vm.name,
    sourceSiteId: 's-ams',
    targetSiteId: 's-rtm',
    masterTargetId: w.mtWin.id,
    processServerId: null,
    osFamily: /^win/.test(vm.guestOs ?? '') ? 'windows' : 'linux',
    state: 'protected',
    direction: 'forward',
    health: 'ok',
    stats: null,
    rpoThresholdSec: 900,
    platform: 'vsphere',
    resyncScheduledAt: null,
    retry: null,
    lastHeartbeatAt: '2026-11-29T11:55:00.000Z',
    stateChangedAt: '2026-11-29T00:00:00.000Z',
    createdAt: '2026-11-29T00:00:00.000Z',
    ...over,
  };
}

/**
 * The lab seed protects every lab VM: this adds `count` Windows VMs of one 40 GiB disk each,
 * named PREFIX-01…, that no plan holds yet (the lab's connectors read the estate live).
 */
export function addFreeWindowsVms(estate: LabEstate, prefix: string, count: number): string[] {
  const model = estate.primary.vms.find((v) => /^win/.test(v.guestOs ?? ''))!;
  const names: string[] = [];
  for (let i = 1; i <= count; i++) {
    const name = `${prefix}-${String(i).padStart(2, '0')}`;
    estate.primary.vms.push({
      ...structuredClone(model),
      id: `vm-${name}`,
      name,
      disks: [{ ...model.disks[0]!, key: 2000, capacityBytes: 40 * 1024 ** 3 }],
    });
    names.push(name);
  }
  return names;
}
