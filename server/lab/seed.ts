import type { ConfigServerClient } from '../../core/configserver';
import { type LabEstate, LabOperations } from '../../core/lab';
import { usableSlots } from '../../shared/configserver';
import { replicaPath } from '../workflows/common';

export const labSiteNames = { primary: 'lab-amsterdam', secondary: 'lab-rotterdam' } as const;
const labPlacement = { cluster: 'DR', datastore: 'rtm-vsan-01' };

/** The lab's master target VMs (folder Siteshift/MasterTargets) are not machines to protect. */
export const isLabMasterTarget = (vm: { folderPath: string }) =>
  vm.folderPath.endsWith('/Siteshift/MasterTargets');

export interface LabSeedSummary {
  seeded: boolean;
  pairs: number;
  unprotected: number;
}

/**
 * Seeds a lab through the REST API (as an operator would with the CLI): two sites, their
 * vCenters and Hyper-V hosts, a process server, the two master targets, one plan per OS family
 * and a pair per VM while master-target slots last; the Hyper-V replica VMs need no MT.
 */
export async function seedLab(
  client: ConfigServerClient,
  estate: LabEstate,
  log: (line: string) => void = () => {},
): Promise<LabSeedSummary> {
  const sites = await client.listSites();
  if (sites.some((s) => s.name === labSiteNames.primary)) {
    return { seeded: false, pairs: (await client.listPairs()).length, unprotected: 0 };
  }
  const labPassword = 'lab';
  await client.addSite(labSiteNames.primary, 'primary');
  await client.addSite(labSiteNames.secondary, 'secondary');
  await client.putSettings({
    officeHours: { utcOffsetMin: 60, startHour: 8, endHour: 18, days: [1, 2, 3, 4, 5] },
    // The lab shows a resync running rather than one waiting for the evening.
    resyncImmediately: true,
  });
  await client.addEndpoint({
    site: labSiteNames.primary,
    name: 'vcsa-ams',
    target: { kind: 'vsphere', url: estate.primary.source.url, username: 'administrator@vsphere.local' },
    secrets: { password: labPassword },
    trustOnFirstUse: true,
  });
  await client.addEndpoint({
    site: labSiteNames.secondary,
    name: 'vcsa-rtm',
    target: { kind: 'vsphere', url: estate.secondary.source.url, username: 'administrator@vsphere.local' },
    secrets: { password: labPassword },
    trustOnFirstUse: true,
  });
  await client.addEndpoint({
    site: labSiteNames.primary,
    name: estate.hypervPrimary.source.host,
    target: { kind: 'hyperv', host: estate.hypervPrimary.source.host, port: 22, username: 'LAB\\siteshift' },
    secrets: { password: labPassword },
    trustOnFirstUse: true,
  });
  await client.addEndpoint({
    site: labSiteNames.secondary,
    name: estate.hypervReplica.source.host,
    target: { kind: 'hyperv', host: estate.hypervReplica.source.host, port: 22, username: 'LAB\\siteshift' },
    secrets: { password: labPassword },
    trustOnFirstUse: true,
  });
  const ps = await client.addProcessServer({
    site: labSiteNames.primary,
    name: 'ams-ps-01',
    host: 'ams-ps-01.lab.local',
  });
  // The master targets, configured as an admin would (siteshift master-target configure): their
  // own disks keep their slots. The original site's two are where reprotect and failback send
  // the recovered machines' changes back.
  const mtJobs = await Promise.all(
    [
      { site: labSiteNames.secondary, vm: 'rtm-mt-win-01' },
      { site: labSiteNames.secondary, vm: 'rtm-mt-lnx-01' },
      { site: labSiteNames.primary, vm: 'ams-mt-win-01' },
      { site: labSiteNames.primary, vm: 'ams-mt-lnx-01' },
    ].map((input) => client.configureMasterTarget(input)),
  );
  for (const job of mtJobs) await jobDone(client, job.id);
  const mtWin = await client.getMasterTarget('rtm-mt-win-01');
  const mtLnx = await client.getMasterTarget('rtm-mt-lnx-01');
  // Each master target takes the primary's VMs of its OS family while it has free SCSI slots;
  // the plans list exactly those machines, so the lab's plans pass their readiness checks.
  const ownDisks = (name: string) => estate.secondary.vms.find((v) => v.name === name)?.disks.length ?? 0;
  const free = {
    windows: usableSlots - ownDisks('rtm-mt-win-01'),
    linux: usableSlots - ownDisks('rtm-mt-lnx-01'),
  };
  const chosen = { windows: [] as typeof estate.primary.vms, linux: [] as typeof estate.primary.vms };
  let unprotected = 0;
  for (const vm of estate.primary.vms) {
    if (isLabMasterTarget(vm)) continue;
    const os = /^win/i.test(vm.guestOs ?? '') ? 'windows' : 'linux';
    if (vm.disks.length === 0 || free[os] < vm.disks.length) {
      unprotected++;
      continue;
    }
    free[os] -= vm.disks.length;
    chosen[os].push(vm);
  }
  // Databases and directory servers first, web front ends last.
  const bootGroup = (name: string) => (/-(db|sql|dc)-/.test(name) ? 1 : /-web-/.test(name) ? 3 : 2);
  const labPlan = (name: string, mt: string, vms: typeof estate.primary.vms) => ({
    name,
    source: { site: labSiteNames.primary },
    target: {
      site: labSiteNames.secondary,
      masterTarget: mt,
      placement: labPlacement,
      networks: { 'VM Network': 'VM Network', 'dvPG-Prod-110': 'dvPG-DR-210', 'dvPG-App-120': 'dvPG-DR-210' },
      testNetwork: 'dvPG-Bubble-299',
    },
    policy: { rpoThresholdMinutes: 5, retentionHours: 24, appConsistentEveryMinutes: 60 },
    parallelism: 8,
    machines: vms.map((vm) => ({ vm: vm.name, bootGroup: bootGroup(vm.name) })),
  });
  await client.applyPlan(labPlan('lab-windows', mtWin.name, chosen.windows));
  await client.applyPlan(labPlan('lab-linux', mtLnx.name, chosen.linux));

  let pairs = 0;
  const replicas: Array<{ pair: { id: string }; vm: (typeof chosen.windows)[number]; mt: string }> = [];
  for (const os of ['windows', 'linux'] as const) {
    for (const vm of chosen[os]) {
      const pair = await client.addPair({
        plan: os === 'windows' ? 'lab-windows' : 'lab-linux',
        sourceSite: labSiteNames.primary,
        targetSite: labSiteNames.secondary,
        sourceVmId: vm.id,
        sourceVmName: vm.name,
        osFamily: os,
        processServer: ps.id,
        disks: vm.disks.map((d) => String(d.key)),
      });
      replicas.push({ pair, vm, mt: os === 'windows' ? mtWin.name : mtLnx.name });
      pairs++;
    }
  }
  await createReplicaDisks(client, estate, replicas);
  // Hyper-V pairs: the VM's own id (the replica carries the same one), no master target and no
  // process server, since Hyper-V Replica is their data path.
  for (const vm of estate.hypervPrimary.vms) {
    if (vm.replication?.mode !== 'Primary') continue;
    await client.addPair({
      sourceSite: labSiteNames.primary,
      targetSite: labSiteNames.secondary,
      sourceVmId: vm.id,
      sourceVmName: vm.name,
      osFamily: 'windows',
      platform: 'hyperv',
      rpoThresholdSec: 300,
    });
    pairs++;
  }
  log(
    `lab seeded: ${pairs} pairs${unprotected ? `, ${unprotected} VMs left unprotected (master targets full)` : ''}`,
  );
  return { seeded: true, pairs, unprotected };
}

/** Waits for a job the seed started; a failed one stops the seed with its error. */
async function jobDone(client: ConfigServerClient, id: string): Promise<void> {
  for (;;) {
    const job = await client.getJob(id);
    if (job.state === 'succeeded') return;
    if (job.state === 'failed' || job.state === 'cancelled')
      throw new Error(`lab seed: ${job.kind} job ${id} ${job.state}: ${job.error ?? ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The seeded pairs' thin replica disks on their master targets, in their slots, where protect
 * would have put them ([placement datastore] siteshift-replicas/PAIR/disk-N.vmdk): a seeded lab
 * can fail over, commit, reprotect and fail back at once. Written through the lab vCenter's own
 * operations, all at once (the lab's task durations overlap).
 */
async function createReplicaDisks(
  client: ConfigServerClient,
  estate: LabEstate,
  replicas: Array<{ pair: { id: string }; vm: LabEstate['primary']['vms'][number]; mt: string }>,
): Promise<void> {
  const ops = new LabOperations(estate.secondary);
  const datastore = estate.secondary.datastores.find((d) => d.name === labPlacement.datastore)!;
  for (const name of [...new Set(replicas.map((r) => r.mt))]) {
    const mt = await client.getMasterTarget(name);
    for (const bus of [...new Set(mt.slots.map((s) => s.controller))])
      await ops.ensureScsiController(mt.vmId, bus, 'pvscsi');
    await Promise.all(
      replicas
        .filter((r) => r.mt === name)
        .flatMap(({ pair, vm }) =>
          mt.slots
            .filter((s) => s.pairId === pair.id)
            .sort((a, b) => a.controller - b.controller || a.unit - b.unit)
            .map((s, index) =>
              ops.createDisk(mt.vmId, {
                datastore: datastore.id,
                path: replicaPath(pair, index),
                capacityBytes: vm.disks[index]?.capacityBytes ?? 1024 ** 3,
                controller: s.controller,
                unit: s.unit,
                thin: true,
              }),
            ),
        ),
    );
  }
}
