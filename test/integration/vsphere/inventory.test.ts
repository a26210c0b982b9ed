import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ManagedObjectNotFound,
  objectsFilterSpec,
  PropertyCollector,
  text,
  VM_SPEC,
  type VsphereInventorySource,
  viewFilterSpec,
  vmRef,
} from '../../../core/vsphere';
import { type VsphereInventory, vsphereInventorySchema } from '../../../shared/schemas/inventory';
import { openSim, startVcsim, type Vcsim } from '../../vcsim/harness';

// Two datacenters, the second inside a folder; clusters and standalone hosts in each.
const MODEL = {
  datacenters: 2,
  folders: 1,
  clusters: 2,
  clusterHosts: 2,
  standaloneHosts: 1,
  vmsPerPool: 3,
  datastores: 2,
  portgroups: 1,
};
const ORPHANED = 'DC0_H0_VM1';

describe('vSphere inventory document against vcsim', () => {
  let sim: Vcsim;
  let source: VsphereInventorySource;
  let inv: VsphereInventory;

  beforeAll(async () => {
    sim = await startVcsim({ ...MODEL, orphanedVms: [ORPHANED] });
    source = await openSim(sim);
    inv = await source.fetchInventory();
  });
  afterAll(async () => {
    await source?.close();
    await sim?.stop();
  });

  it('a VM deleted mid-read is left out by vCenter, not by reading the batch again', async () => {
    const pc = new PropertyCollector(source.client);
    const alive = { type: 'VirtualMachine', value: inv.vms[0]!.id };
    const gone = { type: 'VirtualMachine', value: 'vm-999999' };
    const read = await pc.retrieveObjects([gone, alive, gone], [VM_SPEC]);
    expect(read.map((o) => o.obj.value)).toEqual([alive.value]);
    // Without the flag (a filter that waits on one object) a missing object stays an error.
    const err = await pc.retrieveAll(objectsFilterSpec([alive, gone], [VM_SPEC])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ManagedObjectNotFound);
  });

  it('validates against vsphereInventorySchema', () => {
    expect(() => vsphereInventorySchema.parse(inv)).not.toThrow();
    expect(inv.source).toMatchObject({ kind: 'vsphere', url: sim.url, about: { apiVersion: '6.5' } });
    expect(inv.source.about.fullName).toMatch(/vCenter Server/);
  });

  it('has the counts vcsim was told to create', () => {
    const dcs = MODEL.datacenters;
    expect(inv.datacenters).toHaveLength(dcs);
    expect(inv.clusters).toHaveLength(dcs * MODEL.clusters);
    expect(inv.hosts).toHaveLength(dcs * (MODEL.clusters * MODEL.clusterHosts + MODEL.standaloneHosts));
    // One root pool per cluster and one per standalone host, each with vmsPerPool VMs.
    expect(inv.vms).toHaveLength(dcs * (MODEL.clusters + MODEL.standaloneHosts) * MODEL.vmsPerPool);
    expect(inv.datastores).toHaveLength(dcs * MODEL.datastores);
    // Per datacenter: "VM Network" and the model's port groups; not the switch's uplink port group.
    expect(inv.networks.filter((n) => n.kind === 'standard')).toHaveLength(dcs);
    expect(inv.networks.filter((n) => n.kind === 'distributed')).toHaveLength(dcs * MODEL.portgroups);
  });

  it('places a datacenter inside a folder with its folder path', () => {
    const paths = inv.datacenters.map((d) => d.path).sort();
    expect(paths).toEqual(['/DC0', '/F0/DC1']);
    const dc1 = inv.datacenters.find((d) => d.name === 'DC1')!;
    const vmsOfDc1 = inv.vms.filter((v) => v.datacenter === dc1.id);
    expect(vmsOfDc1.length).toBe((MODEL.clusters + MODEL.standaloneHosts) * MODEL.vmsPerPool);
    for (const vm of vmsOfDc1) expect(vm.folderPath.startsWith('/F0/DC1/vm')).toBe(true);
  });

  it('links hosts to clusters and datacenters, standalone hosts have no cluster', () => {
    const clusterIds = new Set(inv.clusters.map((c) => c.id));
    const dcIds = new Set(inv.datacenters.map((d) => d.id));
    const standalone = inv.hosts.filter((h) => h.cluster === null);
    expect(standalone).toHaveLength(MODEL.datacenters * MODEL.standaloneHosts);
    for (const h of standalone) expect(h.name).toMatch(/^DC\d_H\d$/);
    for (const h of inv.hosts) {
      expect(dcIds.has(h.datacenter)).toBe(true);
      if (h.cluster) expect(clusterIds.has(h.cluster)).toBe(true);
      expect(h.connectionState).toBe('connected');
      expect(h.powerState).toBe('poweredOn');
      expect(h.product).toMatch(/ESXi/);
      expect(h.cpuCores).toBeGreaterThan(0);
      expect(h.memoryBytes).toBeGreaterThan(0);
    }
    for (const c of inv.clusters) expect(dcIds.has(c.datacenter)).toBe(true);
  });

  it('fills every VM field, with references that resolve', () => {
    const hosts = new Map(inv.hosts.map((h) => [h.id, h]));
    const datastores = new Set(inv.datastores.map((d) => d.id));
    const networks = new Set(inv.networks.map((n) => n.id));
    for (const vm of inv.vms) {
      expect(vm.name).toMatch(/^DC\d_(C\d_RP0|H\d)_VM\d$/);
      expect(vm.uuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(vm.instanceUuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(vm.powerState).toBe('poweredOn');
      expect(vm.template).toBe(false);
      expect(vm.connectionState).toBe(vm.name === ORPHANED ? 'orphaned' : 'connected');
      const host = hosts.get(vm.host!);
      expect(host).toBeDefined();
      expect(vm.hostName).toBe(host!.name);
      expect(vm.datacenter).toBe(host!.datacenter);
      expect(vm.guestOs).toBeTruthy();
      expect(vm.cpus).toBeGreaterThan(0);
      expect(vm.memoryMB).toBeGreaterThan(0);
      expect(vm.disks.length).toBeGreaterThan(0);
      for (const d of vm.disks) {
        expect(d.fileName).toMatch(/^\[LocalDS_\d\] .+\.vmdk$/);
        expect(datastores.has(d.datastore!)).toBe(true);
        expect(d.capacityBytes).toBeGreaterThan(0);
        expect(d.controllerKey).not.toBeNull();
        expect(d.busNumber).toBe(0);
        expect(d.unitNumber).not.toBeNull();
      }
      expect(vm.nics.length).toBeGreaterThan(0);
      for (const n of vm.nics) {
        expect(n.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
        expect(networks.has(n.network!)).toBe(true);
      }
    }
    // VM names encode the host/cluster: DCx_Hy_VMz runs on the standalone host DCx_Hy.
    for (const vm of inv.vms.filter((v) => /_H\d_VM/.test(v.name))) {
      expect(vm.hostName).toBe(vm.name.replace(/_VM\d+$/, ''));
    }
  });

  it('reads the same document twice (views are destroyed, nothing accumulates)', async () => {
    const again = await source.fetchInventory();
    expect(again.vms.map((v) => v.id).sort()).toEqual(inv.vms.map((v) => v.id).sort());
  });

  it('lists no uplink port group (config.uplink) as a network, though vCenter has them', async () => {
    const pc = new PropertyCollector(source.client);
    const view = await pc.createContainerView(
      source.client.serviceContent.rootFolder,
      ['DistributedVirtualPortgroup'],
      true,
    );
    try {
      const all = await pc.retrieveAll(
        viewFilterSpec(view, [{ type: 'DistributedVirtualPortgroup', pathSet: ['name', 'config.uplink'] }]),
      );
      const uplinks = all.filter((o) => text(o.props.get('config.uplink')) === 'true');
      expect(uplinks).toHaveLength(MODEL.datacenters);
      const listed = new Set(inv.networks.map((n) => n.id));
      for (const u of uplinks) expect(listed.has(u.obj.value)).toBe(false);
      expect(all.length - uplinks.length).toBe(MODEL.datacenters * MODEL.portgroups);
    } finally {
      await pc.destroyView(view);
    }
  });

  it('flags a VM marked as a template (config.template)', async () => {
    const vm = inv.vms.find((v) => v.name === 'DC1_H0_VM2')!;
    await source.vm.powerOff(vmRef(vm.id));
    await source.client.invoke('MarkAsTemplate', vmRef(vm.id));
    const again = await source.fetchInventory();
    const marked = again.vms.filter((v) => v.template);
    expect(marked.map((v) => v.id)).toEqual([vm.id]);
    expect(marked[0]!.name).toBe(vm.name);
  });

  it('a cancelled read stops with "aborted"', async () => {
    const ac = new AbortController();
    ac.abort();
    const err = await source.fetchInventory(ac.signal).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('aborted');
  });
});
