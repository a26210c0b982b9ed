import { describe, expect, it } from 'vitest';
import { VmOperations } from '../../../core/vsphere';
import { type FakeRequest, fakeVcenter, methodOf, soapBody } from '../../vcsim/fake-sdk';

const VSAN_SERVICE_CONTENT = soapBody(
  '<RetrieveServiceContentResponse xmlns="urn:vim25"><returnval><rootFolder type="Folder">group-d1</rootFolder><propertyCollector type="PropertyCollector">propertyCollector</propertyCollector><viewManager type="ViewManager">ViewManager</viewManager><about><fullName>VMware vCenter Server 8.0.3</fullName><apiType>VirtualCenter</apiType><apiVersion>8.0.3.0</apiVersion><version>8.0.3</version></about><sessionManager type="SessionManager">SessionManager</sessionManager><fileManager type="FileManager">FileManager</fileManager><datastoreNamespaceManager type="DatastoreNamespaceManager">DatastoreNamespaceManager</datastoreNamespaceManager></returnval></RetrieveServiceContentResponse>',
);

const datastore = (id: string, name: string, type: string) =>
  `<objects><obj type="Datastore">${id}</obj><propSet><name>name</name><val xsi:type="xsd:string">${name}</val></propSet><propSet><name>summary.type</name><val xsi:type="xsd:string">${type}</val></propSet></objects>`;

/** A fake vCenter with a vSAN and a VMFS datastore (vcsim's are all local). */
async function vsanVcenter() {
  const { fake, client, close } = await fakeVcenter((m, body) => {
    if (m === 'RetrievePropertiesEx' && body.includes('datacenter-3'))
      return {
        body: soapBody(
          '<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="Datacenter">datacenter-3</obj><propSet><name>datastore</name><val xsi:type="ArrayOfManagedObjectReference"><ManagedObjectReference type="Datastore" xsi:type="ManagedObjectReference">datastore-11</ManagedObjectReference><ManagedObjectReference type="Datastore" xsi:type="ManagedObjectReference">datastore-12</ManagedObjectReference></val></propSet></objects></returnval></RetrievePropertiesExResponse>',
        ),
      };
    if (m === 'RetrievePropertiesEx')
      return {
        body: soapBody(
          `<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval>${datastore('datastore-11', 'vsanDatastore', 'vsan')}${datastore('datastore-12', 'ds-vmfs', 'VMFS')}</returnval></RetrievePropertiesExResponse>`,
        ),
      };
    if (m === 'CreateDirectory')
      return {
        body: soapBody(
          '<CreateDirectoryResponse xmlns="urn:vim25"><returnval>/vmfs/volumes/vsan:52a1/8c3e-44</returnval></CreateDirectoryResponse>',
        ),
      };
    return undefined;
  }, VSAN_SERVICE_CONTENT);
  const calls = (from: number) =>
    fake.requests
      .slice(from)
      .filter((r: FakeRequest) => ['CreateDirectory', 'MakeDirectory'].includes(methodOf(r)));
  return { ops: new VmOperations(client), fake, calls, close };
}

describe('datastore directories', () => {
  it('the top of a vSAN datastore is made by DatastoreNamespaceManager, below it by FileManager', async () => {
    const v = await vsanVcenter();
    try {
      const dc = { type: 'Datacenter', value: 'datacenter-3' };
      let from = v.fake.requests.length;
      await v.ops.makeDirectory('[vsanDatastore] replicas/app01', dc);
      const calls = v.calls(from);
      expect(calls.map(methodOf)).toEqual(['CreateDirectory', 'MakeDirectory']);
      expect(calls[0]!.body).toContain(
        '<datastore type="Datastore">datastore-11</datastore><displayName>replicas</displayName>',
      );
      expect(calls[1]!.body).toContain('<name>[vsanDatastore] replicas/app01</name>');

      from = v.fake.requests.length;
      await v.ops.makeDirectory('[vsanDatastore] replicas', dc);
      expect(v.calls(from).map(methodOf)).toEqual(['CreateDirectory']);

      from = v.fake.requests.length;
      await v.ops.makeDirectory('[ds-vmfs] replicas/app01', dc);
      expect(v.calls(from).map(methodOf)).toEqual(['MakeDirectory']);

      const err = await v.ops.makeDirectory('replicas/app01', dc).catch((e: { message: string }) => e);
      expect((err as { message: string }).message).toMatch(
        /not a datastore path: expected "\[datastore\] folder"/,
      );
    } finally {
      await v.close();
    }
  });
});
