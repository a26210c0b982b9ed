/**
 * Conformance of the vSphere parser with a real vCenter's wire format.
 *
 * `tsx test/conformance/vsphere/run.ts [fixturesDir]` reads the SOAP traffic recorded from a
 * vCenter 8.0.3 (../shared/fixtures/vcenter-8.0.3-recorded by default; not part of a clone,
 * hence a script for .ci/run rather than a unit test), parses every response with the
 * project's parser, replays the login conversations through the real client over HTTPS, and
 * builds inventory entries from the recorded property values. Exits 1 on any failure.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readServiceContent, VimClient } from '../../../core/vsphere/client';
import { InvalidLogin } from '../../../core/vsphere/faults';
import { InventoryModel } from '../../../core/vsphere/inventory';
import { parseSoapResponse } from '../../../core/vsphere/soap';
import {
  arrayOf,
  asArray,
  asObject,
  decodeAny,
  type MoRef,
  moRef,
  text,
  type XmlObject,
  type XmlValue,
  xsiType,
} from '../../../core/vsphere/xml';
import { vsphereInventorySchema, vsphereVmSchema } from '../../../shared/schemas/inventory';
import { type FakeRequest, type FakeResponse, methodOf, startFakeSdk } from '../../vcsim/fake-sdk';

interface Interaction {
  request: { body: string | null; uri: string; headers?: Record<string, string[]> };
  response: { body: { string: string }; status: { code: number }; headers?: Record<string, string[]> };
}

interface Call {
  method: string;
  self: MoRef | null;
  prop: string | null;
  status: number;
  body: string;
  setCookie: string[];
}

const dir = resolve(
  process.argv[2] ?? join(import.meta.dirname, '../../../../shared/fixtures/vcenter-8.0.3-recorded'),
);
let failures = 0;
let checks = 0;

function check(what: string, ok: boolean, detail?: unknown): void {
  checks++;
  if (!ok) {
    failures++;
    process.stdout.write(
      `  FAIL ${what}${detail === undefined ? '' : `: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`}\n`,
    );
  }
}

function load(file: string): Call[] {
  // Older cassettes (vCenter 6.0.0) mark strings with PyYAML's python/unicode tag.
  const pythonUnicode = { tag: 'tag:yaml.org,2002:python/unicode', resolve: (s: string) => s };
  const doc = parseYaml(readFileSync(join(dir, file), 'utf8'), { customTags: [pythonUnicode] }) as {
    interactions: Interaction[];
  };
  const calls: Call[] = [];
  for (const i of doc.interactions) {
    const body = i.request.body ?? '';
    if (!body.includes('Envelope')) continue;
    const method = /<soapenv:Body>\s*<(\w+)/.exec(body)?.[1] ?? '';
    const self = /<_this[^>]*type="(\w+)"[^>]*>([^<]*)<\/_this>/.exec(body);
    const headers = i.response.headers ?? {};
    const setCookie = Object.entries(headers)
      .filter(([k]) => k.toLowerCase() === 'set-cookie')
      .flatMap(([, v]) => v);
    calls.push({
      method,
      self: self ? { type: self[1]!, value: self[2]! } : null,
      prop: /<prop[^>]*>([^<]*)<\/prop>/.exec(body)?.[1] ?? null,
      status: i.response.status.code,
      body: i.response.body.string,
      setCookie,
    });
  }
  return calls;
}

/** Every recorded response parses; faults become typed errors. Returns the Fetch results by prop. */
function parseAll(file: string, calls: Call[]): Map<string, XmlValue | undefined> {
  const fetched = new Map<string, XmlValue | undefined>();
  for (const c of calls) {
    try {
      const v = parseSoapResponse(c.body, c.method, c.status);
      decodeAny(v);
      if (c.method === 'Fetch' && c.prop) fetched.set(c.prop, v);
      check(`${file}: ${c.method} answered HTTP ${c.status} without a fault`, c.status < 400);
    } catch (err) {
      const expectedFault = file === 'basic_connection_bad_password.yaml' && c.method === 'Login';
      check(
        `${file}: ${c.method} parses`,
        expectedFault && err instanceof InvalidLogin,
        (err as Error).message,
      );
    }
  }
  return fetched;
}

/** Replays a recorded conversation through the real client over HTTPS, request by request. */
async function replay(
  calls: Call[],
  run: (client: Promise<VimClient>, seen: FakeRequest[]) => Promise<void>,
): Promise<void> {
  const fake = await startFakeSdk((req): FakeResponse => {
    const m = methodOf(req);
    const rec = calls.find((c) => c.method === m && !used.has(c));
    if (!rec) return { status: 500, body: `no recorded answer for ${m}` };
    used.add(rec);
    return {
      status: rec.status,
      body: rec.body,
      headers: rec.setCookie.length ? { 'Set-Cookie': rec.setCookie[0]! } : {},
    };
  });
  const used = new Set<Call>();
  try {
    const client = VimClient.connect({
      url: fake.url,
      trust: { kind: 'thumbprint', thumbprint: fake.thumbprint },
      username: 'my_user',
      password: 'my_password',
    });
    await run(client, fake.requests);
  } finally {
    await fake.close();
  }
}

const model = new InventoryModel({
  kind: 'vsphere',
  url: 'https://vcenter/sdk',
  about: { fullName: '', apiVersion: '', instanceUuid: null },
});
const entryOf = (obj: MoRef, props: Array<[string, XmlValue | undefined]>) => {
  const p = new Map<string, XmlValue>();
  for (const [k, v] of props) if (v !== undefined) p.set(k, v);
  model.set({ obj, props: p, missing: [] });
  return model.entry(model.objects.get(obj.value)!)?.value;
};

async function main(): Promise<void> {
  if (!existsSync(dir)) {
    process.stderr.write(
      `no recorded vCenter responses at ${dir}: pass the fixtures folder as the first argument\n`,
    );
    process.exit(2);
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  for (const file of files) {
    const before = failures;
    const calls = load(file);
    const fetched = parseAll(file, calls);
    const get = (prop: string) => asObject(fetched.get(prop));

    switch (file) {
      case 'basic_connection.yaml':
        await replay(calls, async (connecting, seen) => {
          const client = await connecting;
          check(
            'service content: about',
            client.serviceContent.about.fullName === 'VMware vCenter Server 8.0.3 build-69507950',
            client.serviceContent.about,
          );
          check('service content: apiVersion', client.apiVersion === '8.0.2.0', client.apiVersion);
          const cookie = calls.find((c) => c.method === 'Login')!.setCookie[0]!.split(';')[0]!;
          await client.invoke('Fetch', calls.find((c) => c.method === 'Fetch')!.self!, [
            ['prop', calls.find((c) => c.method === 'Fetch')!.prop],
          ]);
          const last = seen.at(-1)!;
          check('session cookie sent back verbatim', last.headers.includes(`Cookie: ${cookie}`), {
            cookie,
            headers: last.headers,
          });
          check(
            'SOAPAction carries about.apiVersion',
            last.headers.includes('SOAPAction: "urn:vim25/8.0.2.0"'),
            last.headers,
          );
          client.transport.close();
        });
        break;
      case 'basic_connection_bad_password.yaml':
        await replay(calls, async (connecting) => {
          const err = await connecting.then(
            () => null,
            (e: unknown) => e,
          );
          check(
            'a wrong password is InvalidLogin (invalid-login)',
            err instanceof InvalidLogin && err.code === 'invalid-login',
            String(err),
          );
        });
        break;
      case 'basic_container_view.yaml': {
        const view = moRef(
          parseSoapResponse(
            calls.find((c) => c.method === 'CreateContainerView')!.body,
            'CreateContainerView',
          ),
        );
        check(
          'CreateContainerView returns a ContainerView reference',
          view?.type === 'ContainerView' && view.value.length > 0,
          view,
        );
        const sc = readServiceContent(
          parseSoapResponse(
            calls.find((c) => c.method === 'RetrieveServiceContent')!.body,
            'RetrieveServiceContent',
          ),
        );
        check('service content: root folder', sc.rootFolder.value === 'group-d1', sc.rootFolder);
        break;
      }
      case 'test_json_vm_explode_default.yaml': {
        const config = get('config');
        const hardware = asObject(config.hardware);
        const runtime = get('runtime');
        const guest = get('guest');
        const vm = entryOf({ type: 'VirtualMachine', value: 'vm-19' }, [
          ['name', fetched.get('name')],
          ['parent', fetched.get('parent')],
          ['config.uuid', config.uuid],
          ['config.instanceUuid', config.instanceUuid],
          ['config.guestId', config.guestId],
          ['config.hardware.numCPU', hardware.numCPU],
          ['config.hardware.memoryMB', hardware.memoryMB],
          // Fetch returns the device list inside VirtualMachineConfigInfo; RetrievePropertiesEx wraps the same elements in ArrayOfVirtualDevice.
          [
            'config.hardware.device',
            { '@xsi': 'ArrayOfVirtualDevice', VirtualDevice: hardware.device } as XmlObject,
          ],
          ['runtime.powerState', runtime.powerState],
          ['runtime.host', runtime.host],
          ['guest.ipAddress', guest.ipAddress],
          ['guest.net', { '@xsi': 'ArrayOfGuestNicInfo', GuestNicInfo: guest.net } as XmlObject],
        ]);
        const parsed = vsphereVmSchema.safeParse(vm);
        check('VM entry validates', parsed.success, parsed.success ? undefined : parsed.error.issues);
        if (parsed.success) {
          const v = parsed.data;
          check(
            'VM name, power, host',
            v.name.startsWith('vCLS-') && v.powerState === 'poweredOn' && v.host === 'host-16',
            v,
          );
          check(
            'VM uuid/instanceUuid',
            v.uuid === '4220824e-c2eb-ed46-47db-8e5746f5bde4' &&
              v.instanceUuid === '50201f05-b37c-db69-fda5-fb077e87af04',
            v,
          );
          check(
            'VM disk from the xsi-typed device list',
            v.disks.length === 1 &&
              v.disks[0]!.capacityBytes === 2147483648 &&
              v.disks[0]!.controllerKey === 1000 &&
              v.disks[0]!.busNumber === 0 &&
              v.disks[0]!.unitNumber === 0 &&
              v.disks[0]!.datastore === 'datastore-17' &&
              v.disks[0]!.thin,
            v.disks,
          );
          check(
            'VM device types resolved through the xsi prefix',
            asArray(hardware.device).every((d) => typeof xsiType(d) === 'string'),
          );
        }
        break;
      }
      case 'test_json_host_explode.yaml': {
        const summary = get('summary');
        const runtime = get('runtime');
        const host = entryOf({ type: 'HostSystem', value: 'host-14' }, [
          ['name', fetched.get('name')],
          ['parent', fetched.get('parent')],
          ['runtime.connectionState', runtime.connectionState],
          ['runtime.powerState', runtime.powerState],
          ['summary.config.product.fullName', asObject(asObject(summary.config).product).fullName],
          ['summary.hardware.numCpuCores', asObject(summary.hardware).numCpuCores],
          ['summary.hardware.memorySize', asObject(summary.hardware).memorySize],
        ]) as { product: string | null; cpuCores: number; memoryBytes: number; connectionState: string };
        const ok = vsphereInventorySchema.shape.hosts.element.safeParse(host);
        check('host entry validates', ok.success, ok.success ? undefined : ok.error.issues);
        check(
          'host product, cores, memory',
          /ESXi/.test(host.product ?? '') &&
            host.cpuCores > 0 &&
            host.memoryBytes > 2 ** 30 &&
            host.connectionState === 'connected',
          host,
        );
        break;
      }
      case 'test_json_datastore_explode.yaml': {
        const summary = get('summary');
        const ds = entryOf({ type: 'Datastore', value: 'datastore-17' }, [
          ['name', fetched.get('name')],
          ['summary.type', summary.type],
          ['summary.capacity', summary.capacity],
          ['summary.freeSpace', summary.freeSpace],
          ['summary.accessible', summary.accessible],
        ]) as { type: string; capacityBytes: number; freeBytes: number; accessible: boolean };
        const ok = vsphereInventorySchema.shape.datastores.element.safeParse(ds);
        check('datastore entry validates', ok.success, ok.success ? undefined : ok.error.issues);
        check(
          'datastore type and space',
          ds.type.length > 0 &&
            ds.capacityBytes > 0 &&
            ds.freeBytes > 0 &&
            ds.freeBytes <= ds.capacityBytes &&
            ds.accessible,
          ds,
        );
        break;
      }
      case 'test_json_network_explode.yaml': {
        const net = entryOf({ type: 'Network', value: 'network-13' }, [
          ['name', fetched.get('name')],
          ['parent', fetched.get('parent')],
        ]);
        const ok = vsphereInventorySchema.shape.networks.element.safeParse(net);
        check(
          'network entry validates',
          ok.success && ok.data.kind === 'standard' && ok.data.name.length > 0,
          net,
        );
        break;
      }
      case 'test_json_datacenter_explode.yaml': {
        const dc = entryOf({ type: 'Datacenter', value: 'datacenter-3' }, [
          ['name', fetched.get('name')],
          ['parent', fetched.get('parent')],
        ]);
        const ok = vsphereInventorySchema.shape.datacenters.element.safeParse(dc);
        check('datacenter entry validates', ok.success && ok.data.name.length > 0, dc);
        check('datacenter parent is a folder reference', moRef(fetched.get('parent'))?.type === 'Folder');
        break;
      }
      case 'vm_nic_data.yaml': {
        const view = arrayOf(fetched.get('view')).map(moRef);
        check(
          'container view lists VM references (ArrayOfManagedObjectReference)',
          view.length > 0 && view.every((r) => r?.type === 'VirtualMachine'),
          view,
        );
        const nics = arrayOf({ '@xsi': 'ArrayOfGuestNicInfo', GuestNicInfo: get('guest').net } as XmlObject);
        check(
          'guest NICs carry MAC and device key',
          nics.every((n) => text(asObject(n).macAddress).length > 0),
          nics.length,
        );
        break;
      }
      case 'root_folder_parent.yaml': {
        const names = calls.filter((c) => c.method === 'Fetch').map((c) => c.prop);
        check('root folder properties read', names.length > 0, names);
        break;
      }
    }
    process.stdout.write(
      `${failures === before ? 'ok  ' : 'FAIL'} ${file} (${calls.length} SOAP responses)\n`,
    );
  }
  process.stdout.write(`${checks} checks, ${failures} failed, over ${files.length} recordings in ${dir}\n`);
  process.exitCode = failures ? 1 : 0;
}

main().catch((err) => {
  process.stderr.write(`conformance run failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
