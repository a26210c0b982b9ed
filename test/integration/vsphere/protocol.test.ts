import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropIgnoredDevices,
  InvalidRequest,
  InventoryModel,
  objectsFilterSpec,
  PropertyCollector,
  text,
  VimClient,
  VM_SPEC,
} from '../../../core/vsphere';
import { ApiError } from '../../../shared/errors';
import { vsphereVmSchema } from '../../../shared/schemas/inventory';
import { type FakeResponse, fakeVcenter, methodOf, soapBody } from '../../vcsim/fake-sdk';
import { startVcsim, type Vcsim } from '../../vcsim/harness';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const page = (n: number) => readFileSync(join(fixtures, `retrieve-page-${n}.xml`), 'utf8');

describe('SOAP protocol edge cases (recorded/broken responses over real HTTPS)', () => {
  it('asks for gzip and reads a compressed answer (UTF-8 names intact); a corrupt one is a clear error', async () => {
    const answer = soapBody(
      `<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="VirtualMachine">vm-1</obj><propSet><name>name</name><val xsi:type="xsd:string">Café-Zürich ${'x'.repeat(5000)}</val></propSet></objects></returnval></RetrievePropertiesExResponse>`,
    );
    let corrupt = false;
    const v = await fakeVcenter(() =>
      corrupt ? { body: answer, headers: { 'Content-Encoding': 'gzip' } } : { body: answer, gzip: true },
    );
    try {
      const pc = new PropertyCollector(v.client);
      const [o] = await pc.retrieveObjects(
        [{ type: 'VirtualMachine', value: 'vm-1' }],
        [{ type: 'VirtualMachine', pathSet: ['name'] }],
      );
      expect(text(o!.props.get('name'))).toBe(`Café-Zürich ${'x'.repeat(5000)}`);
      expect(v.fake.requests.at(-1)!.headers).toMatch(/accept-encoding: gzip/i);
      corrupt = true;
      const err = (await pc
        .retrieveObjects(
          [{ type: 'VirtualMachine', value: 'vm-1' }],
          [{ type: 'VirtualMachine', pathSet: ['name'] }],
        )
        .catch((e: unknown) => e)) as ApiError;
      expect(err.code).toBe('protocol-error');
      expect(err.message).toMatch(/gzip-compressed response .* is corrupt/);
    } finally {
      await v.close();
    }
  });

  it('frees the server-side result set (CancelRetrievePropertiesEx) when a page fails while a token is held', async () => {
    const v = await fakeVcenter((method, _body, i) =>
      method === 'CancelRetrievePropertiesEx'
        ? {
            body: soapBody(
              '<CancelRetrievePropertiesExResponse xmlns="urn:vim25"></CancelRetrievePropertiesExResponse>',
            ),
          }
        : { body: page(i + 1) },
    );
    try {
      const pc = new PropertyCollector(v.client);
      const refs = [101, 102].map((n) => ({ type: 'VirtualMachine', value: `vm-${n}` }));
      const err = await pc
        .retrieve(objectsFilterSpec(refs, [VM_SPEC]), {}, () => {
          throw new Error('the caller stops reading');
        })
        .catch((e: unknown) => e);
      expect((err as Error).message).toBe('the caller stops reading');
      const cancels = v.fake.requests.filter((r) => methodOf(r) === 'CancelRetrievePropertiesEx');
      expect(cancels).toHaveLength(1);
      expect(cancels[0]!.body).toContain('<token>3b9f8c2e-token-1</token>');
    } finally {
      await v.close();
    }
  });

  it('walks RetrievePropertiesEx → ContinueRetrievePropertiesEx to the last page', async () => {
    const v = await fakeVcenter((_method, _body, i) => ({ body: page(i + 1) }));
    try {
      const pc = new PropertyCollector(v.client);
      const refs = [101, 102, 103, 104, 105].map((n) => ({ type: 'VirtualMachine', value: `vm-${n}` }));
      const pages: number[] = [];
      const model = new InventoryModel({
        kind: 'vsphere',
        url: v.fake.url,
        about: { fullName: 'x', apiVersion: '8.0.3.0', instanceUuid: null },
      });
      await pc.retrieve(
        objectsFilterSpec(refs, [VM_SPEC]),
        { maxObjects: 2, bodyFilter: dropIgnoredDevices },
        (objects) => {
          pages.push(objects.length);
          for (const o of objects) model.set(o);
        },
      );
      expect(pages).toEqual([2, 2, 1]);
      const calls = v.fake.requests.slice(2);
      expect(calls.map(methodOf)).toEqual([
        'RetrievePropertiesEx',
        'ContinueRetrievePropertiesEx',
        'ContinueRetrievePropertiesEx',
      ]);
      expect(calls[0]!.body).toContain('<options><maxObjects>2</maxObjects></options>');
      expect(calls[1]!.body).toContain('<token>3b9f8c2e-token-1</token>');
      expect(calls[2]!.body).toContain('<token>3b9f8c2e-token-2</token>');
      const doc = model.build();
      expect(doc.vms.map((vm) => vm.id)).toEqual(['vm-101', 'vm-102', 'vm-103', 'vm-104', 'vm-105']);
      for (const vm of doc.vms) vsphereVmSchema.parse(vm);
      const vm3 = doc.vms[2]!;
      expect(vm3).toMatchObject({
        name: 'app-03 & db',
        powerState: 'suspended',
        guestOs: 'rhel9_64Guest',
        cpus: 2,
        memoryMB: 4096,
        host: 'host-16',
        ipAddresses: ['10.0.0.3', 'fe80::250:56ff:fea0:3'],
      });
      expect(vm3.disks).toEqual([
        {
          key: 2000,
          label: 'Hard disk 1',
          fileName: '[vsanDatastore] 3b307865-804d-7d05-3a9d-0625178fc4c6/app-03.vmdk',
          datastore: 'datastore-17',
          capacityBytes: 2147483648,
          controllerKey: 1000,
          busNumber: 0,
          unitNumber: 0,
          thin: true,
        },
      ]);
      expect(vm3.nics).toEqual([
        {
          key: 4000,
          mac: '00:50:56:a0:00:03',
          network: 'dvportgroup-21',
          connected: true,
          ipAddresses: ['10.0.0.3', 'fe80::250:56ff:fea0:3'],
        },
      ]);
    } finally {
      await v.close();
    }
  });

  it('a truncated response is a protocol error that says so (cut connection, or cut XML)', async () => {
    const answers: FakeResponse[] = [{ body: page(1), truncateAt: 3000 }, { body: page(1).slice(0, 3000) }];
    const v = await fakeVcenter((_m, _b, i) => answers[i]!);
    try {
      const pc = new PropertyCollector(v.client);
      const spec = objectsFilterSpec([{ type: 'VirtualMachine', value: 'vm-1' }], [VM_SPEC]);
      const cut = (await pc.retrieveAll(spec).catch((e: unknown) => e)) as ApiError;
      expect(cut).toBeInstanceOf(ApiError);
      expect(cut.code).toBe('protocol-error');
      expect(cut.message).toMatch(/cut off after [\d,]+ bytes/);
      const half = (await pc.retrieveAll(spec).catch((e: unknown) => e)) as ApiError;
      expect(half.code).toBe('protocol-error');
      expect(half.message).toMatch(/not a complete SOAP envelope/);
    } finally {
      await v.close();
    }
  });

  it('malformed XML, an HTML error page and a body without the expected element are readable errors', async () => {
    const answers: FakeResponse[] = [
      {
        body: soapBody(
          '<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects></returnval></RetrievePropertiesExResponse>',
        ),
      },
      { status: 503, body: '<html><body>Service Unavailable</body></html>' },
      { body: soapBody('<SomethingElse xmlns="urn:vim25"/>') },
    ];
    const v = await fakeVcenter((_m, _b, i) => answers[i]!);
    try {
      const pc = new PropertyCollector(v.client);
      const spec = objectsFilterSpec([{ type: 'VirtualMachine', value: 'vm-1' }], [VM_SPEC]);
      const e1 = (await pc.retrieveAll(spec).catch((e: unknown) => e)) as ApiError;
      expect(e1.code).toBe('protocol-error');
      expect(e1.message).toMatch(/not well-formed XML \(Expected closing tag 'objects'/);
      const e2 = (await pc.retrieveAll(spec).catch((e: unknown) => e)) as ApiError;
      expect(e2.code).toBe('protocol-error');
      expect(e2.message).toMatch(/HTTP 503/);
      const e3 = (await pc.retrieveAll(spec).catch((e: unknown) => e)) as ApiError;
      expect(e3.message).toMatch(/expected RetrievePropertiesExResponse.*got SomethingElse/);
    } finally {
      await v.close();
    }
  });
});

describe('SOAP faults and empty answers from vcsim', () => {
  let sim: Vcsim;
  let client: VimClient;
  beforeAll(async () => {
    sim = await startVcsim({});
    client = await VimClient.connect({
      url: sim.url,
      trust: { kind: 'thumbprint', thumbprint: sim.thumbprint },
      username: sim.username,
      password: sim.password,
    });
  });
  afterAll(async () => {
    await client?.close();
    await sim?.stop();
  });

  it('an unknown method is a typed fault with the method name', async () => {
    const err = await client
      .invoke('FrobnicateVM_Task', { type: 'VirtualMachine', value: 'vm-1' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidRequest);
    expect((err as InvalidRequest).code).toBe('unknown-call');
    expect((err as InvalidRequest).message).toMatch(
      /FrobnicateVM_Task: the server does not understand this request/,
    );
  });

  it('a reference to an object that does not exist is ManagedObjectNotFound', async () => {
    const err = await client
      .invoke('PowerOnVM_Task', { type: 'VirtualMachine', value: 'vm-does-not-exist' })
      .catch((e: unknown) => e);
    expect((err as ApiError).code).toBe('not-found');
    expect((err as ApiError).message).toMatch(/ManagedObjectNotFound/);
  });

  it('an empty WaitForUpdatesEx answer (nothing changed) is null, and the loop can go on', async () => {
    const pc = await new PropertyCollector(client).createPrivate();
    try {
      await pc.createFilter(
        objectsFilterSpec([client.serviceContent.rootFolder], [{ type: 'Folder', pathSet: ['name'] }]),
      );
      const first = await pc.waitForUpdates('', 1);
      expect(first?.objects[0]?.kind).toBe('enter');
      const start = Date.now();
      const empty = await pc.waitForUpdates(first!.version, 1);
      expect(empty).toBeNull();
      expect(Date.now() - start).toBeGreaterThanOrEqual(900);
    } finally {
      await pc.destroy();
    }
  });
});
