import { describe, expect, it } from 'vitest';
import { type MoRef, VmOperations, vmRef } from '../../../core/vsphere';
import { fakeVcenter, methodOf, soapBody } from '../../vcsim/fake-sdk';

/** A property read answer for one object. */
const props = (obj: MoRef, vals: Array<[string, string]>) =>
  soapBody(
    `<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="${obj.type}">${obj.value}</obj>${vals
      .map(([n, v]) => `<propSet><name>${n}</name>${v}</propSet>`)
      .join('')}</objects></returnval></RetrievePropertiesExResponse>`,
  );

const DEVICES =
  '<val xsi:type="ArrayOfVirtualDevice"><VirtualDevice xsi:type="VirtualVmxnet3"><key>4000</key><deviceInfo><label>Network adapter 1</label><summary>VM Network</summary></deviceInfo><backing xsi:type="VirtualEthernetCardNetworkBackingInfo"><deviceName>VM Network</deviceName><network type="Network">network-7</network></backing><controllerKey>100</controllerKey><unitNumber>7</unitNumber><addressType>assigned</addressType><macAddress>00:50:56:aa:bb:cc</macAddress></VirtualDevice></val>';

/**
 * A fake vCenter for the NIC backings vcsim cannot show: a distributed port group whose `key`
 * differs from its reference id (as on vCenter), and an NSX opaque network (vcsim has none).
 */
async function backingVcenter() {
  const { fake, client, close } = await fakeVcenter((m, b) => {
    if (m === 'RetrievePropertiesEx') {
      if (b.includes('>vm-9<')) return { body: props(vmRef('vm-9'), [['config.hardware.device', DEVICES]]) };
      if (b.includes('>dvportgroup-31<'))
        return {
          body: props({ type: 'DistributedVirtualPortgroup', value: 'dvportgroup-31' }, [
            ['key', '<val xsi:type="xsd:string">dvportgroup-key-0a1b</val>'],
            ['config.distributedVirtualSwitch', '<val type="VmwareDistributedVirtualSwitch">dvs-21</val>'],
          ]),
        };
      if (b.includes('>dvs-21<'))
        return {
          body: props({ type: 'VmwareDistributedVirtualSwitch', value: 'dvs-21' }, [
            ['uuid', '<val xsi:type="xsd:string">50 2a 4b 1c</val>'],
          ]),
        };
      if (b.includes('>network-o1<'))
        return {
          body: props({ type: 'OpaqueNetwork', value: 'network-o1' }, [
            [
              'summary',
              '<val xsi:type="OpaqueNetworkSummary"><network type="OpaqueNetwork">network-o1</network><name>seg-web</name><accessible>true</accessible><opaqueNetworkId>9b2c-44</opaqueNetworkId><opaqueNetworkType>nsx.LogicalSwitch</opaqueNetworkType></val>',
            ],
          ]),
        };
    }
    if (m === 'ReconfigVM_Task')
      return {
        body: soapBody(
          '<ReconfigVM_TaskResponse xmlns="urn:vim25"><returnval type="Task">task-5</returnval></ReconfigVM_TaskResponse>',
        ),
      };
    if (m === 'CreatePropertyCollector')
      return {
        body: soapBody(
          '<CreatePropertyCollectorResponse xmlns="urn:vim25"><returnval type="PropertyCollector">session[x]pc</returnval></CreatePropertyCollectorResponse>',
        ),
      };
    if (m === 'CreateFilter')
      return {
        body: soapBody(
          '<CreateFilterResponse xmlns="urn:vim25"><returnval type="PropertyFilter">session[x]f</returnval></CreateFilterResponse>',
        ),
      };
    if (m === 'WaitForUpdatesEx')
      return {
        body: soapBody(
          '<WaitForUpdatesExResponse xmlns="urn:vim25"><returnval><version>1</version><filterSet><filter type="PropertyFilter">session[x]f</filter><objectSet><kind>enter</kind><obj type="Task">task-5</obj><changeSet><name>info.state</name><op>assign</op><val xsi:type="TaskInfoState">success</val></changeSet></objectSet></filterSet></returnval></WaitForUpdatesExResponse>',
        ),
      };
    return undefined;
  });
  const reconfig = () => fake.requests.filter((r) => methodOf(r) === 'ReconfigVM_Task').at(-1)!.body;
  return { ops: new VmOperations(client), reconfig, close };
}

describe('NIC backings vCenter accepts', () => {
  it("a distributed port group is named by its switch's UUID and its key, not its reference id", async () => {
    const v = await backingVcenter();
    try {
      await v.ops.setNicNetwork(vmRef('vm-9'), 4000, {
        type: 'DistributedVirtualPortgroup',
        value: 'dvportgroup-31',
      });
      expect(v.reconfig()).toContain(
        '<backing xsi:type="VirtualEthernetCardDistributedVirtualPortBackingInfo"><port><switchUuid>50 2a 4b 1c</switchUuid><portgroupKey>dvportgroup-key-0a1b</portgroupKey></port></backing>',
      );
    } finally {
      await v.close();
    }
  });

  it('an opaque network (NSX) gets an opaque network backing with its id and type', async () => {
    const v = await backingVcenter();
    try {
      await v.ops.setNicNetwork(vmRef('vm-9'), 4000, { type: 'OpaqueNetwork', value: 'network-o1' });
      expect(v.reconfig()).toContain(
        '<backing xsi:type="VirtualEthernetCardOpaqueNetworkBackingInfo"><opaqueNetworkId>9b2c-44</opaqueNetworkId><opaqueNetworkType>nsx.LogicalSwitch</opaqueNetworkType></backing>',
      );
      // The rest of the device goes back as read.
      expect(v.reconfig()).toContain('<macAddress>00:50:56:aa:bb:cc</macAddress>');
    } finally {
      await v.close();
    }
  });
});
