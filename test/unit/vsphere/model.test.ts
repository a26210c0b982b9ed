import { describe, expect, it } from 'vitest';
import { displayName, escapeName, InventoryModel, sameName } from '../../../core/vsphere/inventory';
import type { ObjectContent, ObjectUpdate } from '../../../core/vsphere/property';
import { applyUpdates } from '../../../core/vsphere/watch';
import type { XmlValue } from '../../../core/vsphere/xml';
import { vsphereInventorySchema } from '../../../shared/schemas/inventory';

const ref = (type: string, value: string) => ({ '@type': type, '#': value });
const obj = (type: string, value: string, props: Record<string, XmlValue>): ObjectContent => ({
  obj: { type, value },
  props: new Map(Object.entries(props)),
  missing: [],
});

const DEVICES = {
  '@xsi': 'ArrayOfVirtualDevice',
  VirtualDevice: [
    { '@xsi': 'ParaVirtualSCSIController', key: '1000', busNumber: '2', scsiCtlrUnitNumber: '7' },
    {
      '@xsi': 'VirtualDisk',
      key: '2000',
      deviceInfo: { label: 'Hard disk 1' },
      backing: {
        '@xsi': 'VirtualDiskFlatVer2BackingInfo',
        fileName: '[ds1] app/app.vmdk',
        datastore: ref('Datastore', 'datastore-1'),
        thinProvisioned: 'false',
      },
      controllerKey: '1000',
      unitNumber: '3',
      capacityInKB: '1024',
    },
    {
      '@xsi': 'VirtualVmxnet3',
      key: '4000',
      backing: {
        '@xsi': 'VirtualEthernetCardNetworkBackingInfo',
        deviceName: 'VM Network',
        network: ref('Network', 'network-1'),
      },
      connectable: { connected: 'true' },
      macAddress: '00:50:56:00:00:01',
    },
  ],
};

function estate(): InventoryModel {
  const m = new InventoryModel({
    kind: 'vsphere',
    url: 'https://vc/sdk',
    about: { fullName: 'vc', apiVersion: '8.0', instanceUuid: null },
  });
  m.set(obj('Folder', 'group-d1', { name: 'Datacenters' }));
  m.set(obj('Folder', 'group-f1', { name: 'Prod', parent: ref('Folder', 'group-d1') }));
  m.set(obj('Datacenter', 'datacenter-1', { name: 'DC', parent: ref('Folder', 'group-f1') }));
  m.set(obj('Folder', 'group-v1', { name: 'vm', parent: ref('Datacenter', 'datacenter-1') }));
  m.set(obj('Folder', 'group-h1', { name: 'host', parent: ref('Datacenter', 'datacenter-1') }));
  m.set(obj('ClusterComputeResource', 'domain-c1', { name: 'C1', parent: ref('Folder', 'group-h1') }));
  m.set(
    obj('HostSystem', 'host-1', {
      name: 'esx1',
      parent: ref('ClusterComputeResource', 'domain-c1'),
      'runtime.connectionState': 'connected',
      'runtime.powerState': 'poweredOn',
      'summary.hardware.numCpuCores': '16',
      'summary.hardware.memorySize': '68719476736',
    }),
  );
  m.set(obj('Network', 'network-1', { name: 'VM Network', parent: ref('Folder', 'group-n1') }));
  m.set(obj('Folder', 'group-n1', { name: 'network', parent: ref('Datacenter', 'datacenter-1') }));
  m.set(
    obj('Datastore', 'datastore-1', {
      name: 'ds1',
      parent: ref('Folder', 'group-s1'),
      'summary.type': 'VMFS',
      'summary.capacity': '1000',
      'summary.freeSpace': '400',
      'summary.accessible': 'true',
    }),
  );
  m.set(obj('Folder', 'group-s1', { name: 'datastore', parent: ref('Datacenter', 'datacenter-1') }));
  m.set(
    obj('VirtualMachine', 'vm-1', {
      name: 'app',
      parent: ref('Folder', 'group-v1'),
      'runtime.powerState': 'poweredOn',
      'runtime.host': ref('HostSystem', 'host-1'),
      'config.hardware.device': DEVICES,
      'guest.net': {
        '@xsi': 'ArrayOfGuestNicInfo',
        GuestNicInfo: { deviceConfigId: '4000', ipAddress: ['10.0.0.5', 'fe80::1'] },
      },
    }),
  );
  return m;
}

describe('inventory model', () => {
  it("shows names as the operator typed them (vCenter escapes '/', '\\' and '%')", () => {
    const m = estate();
    m.set(obj('Folder', 'group-f1', { name: 'Prod%2fEU', parent: ref('Folder', 'group-d1') }));
    m.set(
      obj('VirtualMachine', 'vm-2', {
        name: 'web%2fapp 100%25 C:%5cdata %2F',
        parent: ref('Folder', 'group-v1'),
        'runtime.powerState': 'poweredOff',
        'runtime.host': ref('HostSystem', 'host-1'),
      }),
    );
    const doc = m.build();
    expect(doc.vms.find((v) => v.id === 'vm-2')!.name).toBe('web/app 100% C:\\data /');
    // Paths keep vCenter's escape: '/' separates their parts.
    expect(doc.datacenters[0]!.path).toBe('/Prod%2fEU/DC');
    expect(displayName('no escapes, 50% off')).toBe('no escapes, 50% off');
    // escapeName is its inverse: what vCenter stores for a name typed.
    expect(escapeName('web/app 100% C:\\data /')).toBe('web%2fapp 100%25 C:%5cdata %2f');
    expect(displayName(escapeName('a%2fb/c'))).toBe('a%2fb/c');
    expect(sameName('ds%2f1', 'ds/1') && sameName('ds%2f1', 'ds%2f1') && !sameName('ds1', 'ds/1')).toBe(true);
  });

  it('builds a valid document with folder paths, datacenters, bus numbers and NIC addresses', () => {
    const doc = estate().build();
    expect(() => vsphereInventorySchema.parse(doc)).not.toThrow();
    expect(doc.datacenters).toEqual([{ id: 'datacenter-1', name: 'DC', path: '/Prod/DC' }]);
    expect(doc.hosts[0]).toMatchObject({
      datacenter: 'datacenter-1',
      cluster: 'domain-c1',
      cpuCores: 16,
      memoryBytes: 68719476736,
      product: null,
    });
    const vm = doc.vms[0]!;
    expect(vm).toMatchObject({
      folderPath: '/Prod/DC/vm',
      datacenter: 'datacenter-1',
      hostName: 'esx1',
      ipAddresses: ['10.0.0.5', 'fe80::1'],
    });
    expect(vm.disks[0]).toEqual({
      key: 2000,
      label: 'Hard disk 1',
      fileName: '[ds1] app/app.vmdk',
      datastore: 'datastore-1',
      capacityBytes: 1048576,
      controllerKey: 1000,
      busNumber: 2,
      unitNumber: 3,
      thin: false,
    });
    expect(vm.nics[0]).toEqual({
      key: 4000,
      mac: '00:50:56:00:00:01',
      network: 'network-1',
      connected: true,
      ipAddresses: ['10.0.0.5', 'fe80::1'],
    });
  });

  it('applies enter / modify / leave to the model and returns document changes', () => {
    const m = estate();
    const updates: ObjectUpdate[] = [
      {
        kind: 'modify',
        obj: { type: 'VirtualMachine', value: 'vm-1' },
        changes: [{ name: 'runtime.powerState', op: 'assign', val: 'poweredOff' }],
      },
      {
        kind: 'enter',
        obj: { type: 'VirtualMachine', value: 'vm-2' },
        changes: [
          { name: 'name', op: 'assign', val: 'new' },
          { name: 'parent', op: 'assign', val: ref('Folder', 'group-v1') },
          { name: 'runtime.powerState', op: 'assign', val: 'poweredOff' },
        ],
      },
      { kind: 'leave', obj: { type: 'Datastore', value: 'datastore-1' }, changes: [] },
      {
        kind: 'modify',
        obj: { type: 'VirtualMachine', value: 'vm-1' },
        changes: [{ name: 'guest.ipAddress', op: 'remove', val: undefined }],
      },
    ];
    const { changes, refetch, containersChanged } = applyUpdates(m, updates);
    expect(refetch).toEqual([]);
    expect(containersChanged).toBe(false);
    expect(changes.map((c) => [c.type, c.collection, c.id])).toEqual([
      ['upsert', 'vms', 'vm-1'],
      ['upsert', 'vms', 'vm-2'],
      ['remove', 'datastores', 'datastore-1'],
      ['upsert', 'vms', 'vm-1'],
    ]);
    const first = changes[0]!;
    expect(first.type === 'upsert' && first.value.powerState).toBe('poweredOff');
    const entered = changes[1]!;
    expect(entered.type === 'upsert' && entered.value.folderPath).toBe('/Prod/DC/vm');
    expect(m.build().datastores).toEqual([]);
  });

  it('a change below a requested path (device[4000].connectable) asks for a fresh read', () => {
    const m = estate();
    const { changes, refetch } = applyUpdates(m, [
      {
        kind: 'modify',
        obj: { type: 'VirtualMachine', value: 'vm-1' },
        changes: [{ name: 'config.hardware.device[4000].connectable.connected', op: 'assign', val: 'false' }],
      },
    ]);
    expect(changes).toEqual([]);
    expect(refetch).toEqual([{ type: 'VirtualMachine', value: 'vm-1' }]);
  });

  it('a renamed folder changes the paths below it', () => {
    const m = estate();
    const { containersChanged } = applyUpdates(m, [
      {
        kind: 'modify',
        obj: { type: 'Folder', value: 'group-f1' },
        changes: [{ name: 'name', op: 'assign', val: 'Production' }],
      },
    ]);
    expect(containersChanged).toBe(true);
    const doc = m.build();
    expect(doc.datacenters[0]!.path).toBe('/Production/DC');
    expect(doc.vms[0]!.folderPath).toBe('/Production/DC/vm');
  });
});
