import type { SiteInventory } from '../../../shared/configserver';
import type { Worded } from '../../../shared/i18n/worded';
import type { HypervInventory, VsphereInventory, VsphereVm } from '../../../shared/schemas/inventory';

/**
 * What a wizard offers from a site as the configuration server reads it (sites:inventory): its
 * vSphere and Hyper-V VMs, datastores, networks, clusters, hosts, VM folders and Hyper-V Replica
 * servers, each named as a plan file names them. Plans name objects, not ids, so the lists are
 * names.
 */
export interface SiteChoices {
  vms: SiteVm[];
  datastores: Array<{ name: string; freeBytes: number; capacityBytes: number }>;
  networks: string[];
  clusters: string[];
  hosts: string[];
  folders: string[];
  /** The site's Hyper-V hosts: Hyper-V machines replicate to the target site's replica server. */
  hypervHosts: HypervHostChoice[];
  /** Endpoints the server could not read, with why: their objects are unknown, not absent. */
  unread: Array<{ name: string; message: string; words?: Worded }>;
}

export interface HypervHostChoice {
  name: string;
  /** The endpoint it is read through. */
  endpoint: string;
  replicaServer: { enabled: boolean; auth: string | null; port: number | null };
}

export interface SiteVm {
  name: string;
  /** vSphere machines replicate through a master target; Hyper-V ones through Hyper-V Replica. */
  platform: 'vsphere' | 'hyperv';
  /** Null for a Hyper-V VM: Hyper-V does not report the guest OS (and needs no master target). */
  osFamily: 'windows' | 'linux' | null;
  guestOs: string | null;
  powerState: VsphereVm['powerState'];
  disks: number;
  diskBytes: number;
  /** Network names of the VM's NICs. */
  networks: string[];
  hostName: string | null;
}

export const osFamilyOf = (guestOs: string | null): 'windows' | 'linux' =>
  /^win/i.test(guestOs ?? '') ? 'windows' : 'linux';

export function siteChoices(site: SiteInventory): SiteChoices {
  const docs = site.endpoints.flatMap((e) =>
    e.inventory?.source.kind === 'vsphere' ? [e.inventory as VsphereInventory] : [],
  );
  const uniq = (xs: string[]) => [...new Set(xs)].sort((a, b) => a.localeCompare(b));
  const folders = new Set<string>();
  const vms: SiteVm[] = [];
  for (const doc of docs) {
    const netName = new Map(doc.networks.map((n) => [n.id, n.name]));
    if (doc.datacenters.length > 0) folders.add('/');
    for (const vm of doc.vms) {
      const m = /^\/[^/]+\/vm(\/.*)?$/.exec(vm.folderPath);
      const parts = (m?.[1] ?? '').split('/').filter(Boolean);
      for (let i = 1; i <= parts.length; i++) folders.add(`/${parts.slice(0, i).join('/')}`);
      vms.push({
        name: vm.name,
        osFamily: osFamilyOf(vm.guestOs),
        guestOs: vm.guestOs,
        powerState: vm.powerState,
        disks: vm.disks.length,
        diskBytes: vm.disks.reduce((n, d) => n + d.capacityBytes, 0),
        networks: uniq(vm.nics.flatMap((n) => (n.network ? [netName.get(n.network) ?? n.network] : []))),
        hostName: vm.hostName,
        platform: 'vsphere',
      });
    }
  }
  const hvDocs = site.endpoints.flatMap((e) =>
    e.inventory?.source.kind === 'hyperv'
      ? [{ endpoint: e.endpoint.name, doc: e.inventory as HypervInventory }]
      : [],
  );
  for (const { doc } of hvDocs)
    for (const vm of doc.vms) {
      // A replica VM is the far end of a pair: it is protected from its primary, never itself.
      if (vm.replication?.mode === 'Replica' || vm.replication?.mode === 'ExtendedReplica') continue;
      vms.push({
        name: vm.name,
        platform: 'hyperv',
        osFamily: null,
        guestOs: null,
        powerState: vm.state === 'Off' ? 'poweredOff' : vm.state === 'Running' ? 'poweredOn' : 'suspended',
        disks: vm.disks.length,
        diskBytes: vm.disks.reduce((n, d) => n + (d.sizeBytes ?? 0), 0),
        networks: uniq(vm.nics.flatMap((n) => (n.switch ? [n.switch] : []))),
        hostName: vm.host,
      });
    }
  return {
    vms: vms.sort((a, b) => a.name.localeCompare(b.name)),
    datastores: docs
      .flatMap((d) => d.datastores.filter((ds) => ds.accessible))
      .map((d) => ({ name: d.name, freeBytes: d.freeBytes, capacityBytes: d.capacityBytes }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    networks: uniq(docs.flatMap((d) => d.networks.map((n) => n.name))),
    clusters: uniq(docs.flatMap((d) => d.clusters.map((c) => c.name))),
    hosts: uniq(docs.flatMap((d) => d.hosts.map((h) => h.name))),
    folders: [...folders].sort(),
    hypervHosts: hvDocs.flatMap(({ endpoint, doc }) =>
      doc.hosts.map((h) => ({ name: h.name, endpoint, replicaServer: h.replicaServer })),
    ),
    unread: site.endpoints
      .filter((e) => e.status !== 'ok')
      .map((e) => ({ name: e.endpoint.name, message: e.message, words: e.messageWords })),
  };
}
