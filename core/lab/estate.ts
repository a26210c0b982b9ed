import type { HypervInventory, HypervVm, VsphereInventory, VsphereVm } from '../../shared/schemas/inventory';
import { linkLabReplica } from './hyperv-replica';
import { pick, seededRandom } from './random';

/**
 * The lab estate: two vSphere sites and a Hyper-V replica pair, shaped exactly like what the real
 * connectors return, so every screen and workflow above the Connector interface runs unchanged on
 * it. Its size is a parameter: the same generator is the benchmark for big estates.
 */
export interface LabEstateOptions {
  /** Protectable VMs on the primary vCenter (default 48). */
  vms?: number;
  seed?: number;
  /** The moment the estate describes (Hyper-V's last replication times); default now. */
  now?: number;
}

export interface LabEstate {
  primary: VsphereInventory;
  secondary: VsphereInventory;
  hypervPrimary: HypervInventory;
  hypervReplica: HypervInventory;
}

const GiB = 1024 ** 3;
const TiB = 1024 ** 4;

const windowsGuests = ['windows2019srv_64Guest', 'windows2022srvNext_64Guest'];
const linuxGuests = ['rhel9_64Guest', 'ubuntu64Guest', 'sles15_64Guest'];
const roles = ['web', 'app', 'db', 'sql', 'file', 'dc', 'erp', 'mq', 'api', 'cache'];

interface SiteSpec {
  url: string;
  fullName: string;
  instanceUuid: string;
  datacenter: string;
  clusters: Array<{ name: string; hosts: number }>;
  datastores: Array<{ name: string; capacityTiB: number; usedFraction: number }>;
  networks: Array<{ name: string; kind: 'standard' | 'distributed' }>;
  hostPrefix: string;
  ipPrefix: string;
}

function buildSite(
  spec: SiteSpec,
  vmNames: Array<{ name: string; guestOs: string; folder: string }>,
  rand: () => number,
) {
  const inv: VsphereInventory = {
    source: {
      kind: 'vsphere',
      url: spec.url,
      about: { fullName: spec.fullName, apiVersion: '8.0.3.0', instanceUuid: spec.instanceUuid },
    },
    datacenters: [{ id: 'datacenter-3', name: spec.datacenter, path: `/${spec.datacenter}` }],
    clusters: [],
    hosts: [],
    datastores: [],
    networks: [],
    vms: [],
  };
  let hostSeq = 10;
  spec.clusters.forEach((c, ci) => {
    const clusterId = `domain-c${100 + ci}`;
    inv.clusters.push({ id: clusterId, name: c.name, datacenter: 'datacenter-3' });
    for (let h = 1; h <= c.hosts; h++) {
      inv.hosts.push({
        id: `host-${hostSeq++}`,
        name: `${spec.hostPrefix}-${c.name.toLowerCase()}-${String(h).padStart(2, '0')}.lab.local`,
        datacenter: 'datacenter-3',
        cluster: clusterId,
        connectionState: 'connected',
        powerState: 'poweredOn',
        product: 'VMware ESXi 8.0.3 build-24022510',
        cpuCores: 32,
        memoryBytes: 512 * GiB,
      });
    }
  });
  spec.datastores.forEach((d, i) => {
    const capacityBytes = d.capacityTiB * TiB;
    inv.datastores.push({
      id: `datastore-${200 + i}`,
      name: d.name,
      datacenter: 'datacenter-3',
      type: 'VMFS',
      capacityBytes,
      freeBytes: Math.round(capacityBytes * (1 - d.usedFraction)),
      accessible: true,
    });
  });
  spec.networks.forEach((n, i) => {
    inv.networks.push({
      id: n.kind === 'distributed' ? `dvportgroup-${300 + i}` : `network-${300 + i}`,
      name: n.name,
      datacenter: 'datacenter-3',
      kind: n.kind,
    });
  });
  vmNames.forEach((v, i) => {
    const host = inv.hosts[i % inv.hosts.length]!;
    const datastore = inv.datastores[i % inv.datastores.length]!;
    const network = inv.networks[i % inv.networks.length]!;
    const diskCount = 1 + Math.floor(rand() * 3);
    const ip = `${spec.ipPrefix}.${Math.floor(i / 250)}.${(i % 250) + 4}`;
    const poweredOn = rand() > 0.08;
    const vm: VsphereVm = {
      id: `vm-${1000 + i}`,
      name: v.name,
      uuid: uuid(rand),
      instanceUuid: uuid(rand),
      powerState: poweredOn ? 'poweredOn' : 'poweredOff',
      template: false,
      connectionState: 'connected',
      host: host.id,
      hostName: host.name,
      datacenter: 'datacenter-3',
      folderPath: `/${spec.datacenter}/vm/${v.folder}`,
      guestOs: v.guestOs,
      cpus: pick(rand, [2, 4, 8]),
      memoryMB: pick(rand, [4096, 8192, 16384, 32768]),
      ipAddresses: poweredOn ? [ip] : [],
      disks: Array.from({ length: diskCount }, (_, d) => ({
        key: 2000 + d,
        label: `Hard disk ${d + 1}`,
        fileName: `[${datastore.name}] ${v.name}/${v.name}${d === 0 ? '' : `_${d}`}.vmdk`,
        datastore: datastore.id,
        capacityBytes: pick(rand, [40, 80, 120, 200, 500]) * GiB,
        controllerKey: 1000,
        busNumber: 0,
        unitNumber: d,
        thin: rand() > 0.3,
      })),
      nics: [
        {
          key: 4000,
          mac: mac(rand),
          network: network.id,
          connected: poweredOn,
          ipAddresses: poweredOn ? [ip] : [],
        },
      ],
    };
    inv.vms.push(vm);
  });
  return inv;
}

function uuid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

function mac(rand: () => number): string {
  return [
    '00',
    '50',
    '56',
    ...Array.from({ length: 3 }, () =>
      Math.floor(rand() * 256)
        .toString(16)
        .padStart(2, '0'),
    ),
  ].join(':');
}

export function createLabEstate(options: LabEstateOptions = {}): LabEstate {
  const count = options.vms ?? 48;
  const now = options.now ?? Date.now();
  const rand = seededRandom(options.seed ?? 20261126);

  const digits = Math.max(3, String(count).length);
  const primaryVms = Array.from({ length: count }, (_, i) => {
    const windows = i % 3 !== 2;
    const role = roles[i % roles.length]!;
    return {
      name: `${windows ? 'ams-w' : 'ams-l'}-${role}-${String(i + 1).padStart(digits, '0')}`,
      guestOs: pick(rand, windows ? windowsGuests : linuxGuests),
      folder: windows ? 'Production/Windows' : 'Production/Linux',
    };
  });
  const clusterCount = Math.max(2, Math.ceil(count / 400));
  const primarySpec: SiteSpec = {
    url: 'https://vcsa-ams.lab.local/sdk',
    fullName: 'VMware vCenter Server 8.0.3 build-24022515 (Siteshift lab)',
    instanceUuid: '7b1e6f2a-0c51-4d8e-9a3f-lab000000001',
    datacenter: 'Amsterdam',
    clusters: Array.from({ length: clusterCount }, (_, i) => ({
      name: i === 0 ? 'Prod' : i === 1 ? 'Dev' : `Prod${i}`,
      hosts: 4,
    })),
    datastores: [
      { name: 'ams-vsan-01', capacityTiB: 40, usedFraction: 0.62 },
      { name: 'ams-nfs-01', capacityTiB: 20, usedFraction: 0.48 },
      { name: 'ams-vmfs-ssd', capacityTiB: 10, usedFraction: 0.71 },
    ],
    networks: [
      { name: 'VM Network', kind: 'standard' },
      { name: 'dvPG-Prod-110', kind: 'distributed' },
      { name: 'dvPG-App-120', kind: 'distributed' },
    ],
    hostPrefix: 'esx-ams',
    ipPrefix: '10.10',
  };
  const primary = buildSite(primarySpec, primaryVms, rand);

  const secondary = buildSite(
    {
      url: 'https://vcsa-rtm.lab.local/sdk',
      fullName: 'VMware vCenter Server 8.0.3 build-24022515 (Siteshift lab)',
      instanceUuid: '7b1e6f2a-0c51-4d8e-9a3f-lab000000002',
      datacenter: 'Rotterdam',
      clusters: [{ name: 'DR', hosts: 3 }],
      datastores: [
        { name: 'rtm-vsan-01', capacityTiB: 60, usedFraction: 0.3 },
        { name: 'rtm-retention-01', capacityTiB: 30, usedFraction: 0.22 },
      ],
      networks: [
        { name: 'VM Network', kind: 'standard' },
        { name: 'dvPG-DR-210', kind: 'distributed' },
        { name: 'dvPG-Bubble-299', kind: 'distributed' },
      ],
      hostPrefix: 'esx-rtm',
      ipPrefix: '10.20',
    },
    [
      { name: 'rtm-mt-win-01', guestOs: 'windows2022srvNext_64Guest', folder: 'Siteshift/MasterTargets' },
      { name: 'rtm-mt-lnx-01', guestOs: 'rhel9_64Guest', folder: 'Siteshift/MasterTargets' },
      { name: 'rtm-ps-01', guestOs: 'windows2022srvNext_64Guest', folder: 'Siteshift/ProcessServers' },
    ],
    rand,
  );
  for (const vm of secondary.vms) vm.powerState = 'poweredOn';

  // The original site's master targets: reprotect and failback replicate back through one
  // (DESIGN.md). Drawn from their own random sequence and appended, so that the protectable VMs
  // and the secondary site are the same as they were before the primary had master targets.
  const primaryMts = buildSite(
    primarySpec,
    [
      { name: 'ams-mt-win-01', guestOs: 'windows2022srvNext_64Guest', folder: 'Siteshift/MasterTargets' },
      { name: 'ams-mt-lnx-01', guestOs: 'rhel9_64Guest', folder: 'Siteshift/MasterTargets' },
    ],
    seededRandom((options.seed ?? 20261126) + 1),
  );
  primaryMts.vms.forEach((vm, i) => {
    primary.vms.push({ ...vm, id: `vm-${1000 + count + i}`, powerState: 'poweredOn' });
  });

  const hypervPrimary = hypervHost(
    'hv-ams-01.lab.local',
    'Primary',
    'hv-ams-01.lab.local',
    'hv-rtm-01.lab.local',
    rand,
    now,
  );
  const hypervReplica = hypervHost(
    'hv-rtm-01.lab.local',
    'Replica',
    'hv-ams-01.lab.local',
    'hv-rtm-01.lab.local',
    rand,
    now,
    // Hyper-V Replica gives the replica VM the primary VM's id.
    hypervPrimary.vms.map((v) => v.id),
  );
  linkLabReplica(hypervPrimary, hypervReplica);
  return { primary, secondary, hypervPrimary, hypervReplica };
}

const hypervVmNames = [
  'ams-hv-sql-01',
  'ams-hv-web-01',
  'ams-hv-web-02',
  'ams-hv-file-01',
  'ams-hv-app-01',
  'ams-hv-lab-01',
];

function hypervHost(
  name: string,
  mode: 'Primary' | 'Replica',
  primaryServer: string,
  replicaServer: string,
  rand: () => number,
  now: number,
  ids?: readonly string[],
): HypervInventory {
  const replica = mode === 'Replica';
  // Times the way Hyper-V reports them at `now`: a Normal VM replicated within its last cycle, the
  // one resynchronizing (Warning) 25 minutes ago, the Critical one three hours ago: its cycles
  // stopped. The lab's replica clock (replica-clock.ts) moves the Normal ones on.
  const lastReplication = (i: number, frequencySec: number) =>
    now - (i === 3 ? 25 * 60_000 : i === 4 ? 3 * 3_600_000 : ((i * 7) % frequencySec) * 1000);
  const vms: HypervVm[] = hypervVmNames.map((vmName, i) => {
    const replicated = i < 5;
    const state = replica ? 'Off' : i === 5 ? 'Off' : 'Running';
    // Drawn even when given, so that the rest of the estate stays the same for a given seed.
    const drawn = uuid(rand);
    return {
      id: ids?.[i] ?? drawn,
      name: vmName,
      state,
      host: name,
      generation: 2,
      cpus: pick(rand, [2, 4]),
      memoryBytes: pick(rand, [4, 8, 16]) * GiB,
      uptimeSec: state === 'Running' ? Math.floor(rand() * 3_000_000) : 0,
      disks: [
        {
          path: `D:\\Hyper-V\\${vmName}\\${vmName}.vhdx`,
          controllerType: 'SCSI',
          controllerNumber: 0,
          controllerLocation: 0,
          sizeBytes: pick(rand, [60, 127, 200]) * GiB,
        },
      ],
      nics: [
        {
          name: 'Network Adapter',
          mac: mac(rand).replace(/:/g, '').toUpperCase(),
          switch: 'vSwitch-Prod',
          ipAddresses: state === 'Running' ? [`10.30.0.${i + 10}`] : [],
        },
      ],
      replication: replicated
        ? (() => {
            const frequencySec = pick(rand, [30, 300, 900]);
            return {
              state: i === 3 ? 'Resynchronizing' : 'Replicating',
              health: i === 3 ? 'Warning' : i === 4 && !replica ? 'Critical' : 'Normal',
              mode,
              primaryServer,
              replicaServer,
              frequencySec,
              lastReplicationTime: new Date(lastReplication(i, frequencySec)).toISOString(),
              pendingBytes: replica ? null : Math.floor(rand() * 256 * 1024 * 1024),
            };
          })()
        : null,
    };
  });
  return {
    source: { kind: 'hyperv', host: name, port: 22 },
    hosts: [
      {
        id: name,
        name,
        os: 'Microsoft Windows Server 2022 Datacenter',
        cpuCores: 48,
        memoryBytes: 768 * GiB,
        replicaServer: { enabled: true, port: 443, auth: 'Certificate' },
      },
    ],
    switches: [
      { id: 'sw-prod', name: 'vSwitch-Prod', kind: 'External' },
      { id: 'sw-repl', name: 'vSwitch-Replication', kind: 'External' },
    ],
    vms: replica ? vms.filter((v) => v.replication !== null) : vms,
  };
}
