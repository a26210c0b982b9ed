import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidRequest, type MoRef, moRef, VimClient } from '../../../core/vsphere';
import { buildGoProgram, startVcsim, type Vcsim } from '../../vcsim/harness';

const run = promisify(execFile);

/**
 * The harness's strict mode: vcsim answers a request missing a required property (by govmomi's
 * generated types) with InvalidRequest, as vCenter does, and refuses nothing govmomi sends.
 */
describe('strict vcsim', () => {
  let sim: Vcsim;
  let client: VimClient;
  let vm: MoRef;

  beforeAll(async () => {
    sim = await startVcsim({ clusters: 1, clusterHosts: 1, standaloneHosts: 0, vmsPerPool: 1 });
    client = await VimClient.connect({
      url: sim.url,
      trust: { kind: 'thumbprint', thumbprint: sim.thumbprint },
      username: sim.username,
      password: sim.password,
    });
    const found = await client.invoke('FindByInventoryPath', client.serviceContent.searchIndex!, [
      ['inventoryPath', 'DC0/vm/DC0_C0_RP0_VM0'],
    ]);
    vm = moRef(found)!;
  });
  afterAll(async () => {
    await client?.close();
    await sim?.stop();
  });

  const reconfigure = (device: Record<string, unknown>) =>
    client
      .invoke('ReconfigVM_Task', vm, [
        ['spec', { deviceChange: { $type: 'VirtualDeviceConfigSpec', operation: 'add', ...device } }],
      ])
      .catch((e: unknown) => e);

  it('refuses a VirtualDisk without capacityInKB with the fault vCenter sends', async () => {
    const err = await reconfigure({
      device: {
        $type: 'VirtualDisk',
        key: -1,
        backing: {
          $type: 'VirtualDiskFlatVer2BackingInfo',
          fileName: '[LocalDS_0] x/x.vmdk',
          diskMode: 'persistent',
        },
        controllerKey: 1000,
        unitNumber: 3,
      },
    });
    expect(err).toBeInstanceOf(InvalidRequest);
    expect((err as InvalidRequest).fault).toBe('InvalidRequest');
    expect((err as InvalidRequest).serverMessage).toBe(
      'Required property capacityInKB is missing from data object of type VirtualDisk',
    );
    // The simulator logs the refusal on stderr, which may arrive just after the answer.
    await expect
      .poll(() => sim.refusals())
      .toContain('Required property capacityInKB is missing from data object of type VirtualDisk');
  });

  it('follows xsi:type into nested values (the backing of a disk)', async () => {
    const err = await reconfigure({
      device: {
        $type: 'VirtualDisk',
        key: -1,
        backing: { $type: 'VirtualDiskFlatVer2BackingInfo', fileName: '[LocalDS_0] x/x.vmdk' },
        controllerKey: 1000,
        unitNumber: 3,
        capacityInKB: 0,
      },
    });
    expect((err as InvalidRequest).serverMessage).toBe(
      'Required property diskMode is missing from data object of type VirtualDiskFlatVer2BackingInfo',
    );
  });

  it('reads an untyped element of an interface property BaseX as an X', async () => {
    const err = await client
      .invoke('ReconfigVM_Task', vm, [['spec', { deviceChange: { operation: 'add' } }]])
      .catch((e: unknown) => e);
    expect((err as InvalidRequest).serverMessage).toBe(
      'Required property device is missing from data object of type VirtualDeviceConfigSpec',
    );
  });

  it('refuses a call missing a required parameter', async () => {
    const err = await client.invoke('ReconfigVM_Task', vm, []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidRequest);
    expect((err as InvalidRequest).serverMessage).toBe('Required parameter spec is missing');
  });

  it('refuses nothing govmomi itself sends: create, power, disks, snapshot, clone, destroy', async () => {
    const bin = await buildGoProgram('govmomi-ops');
    const before = sim.refusals().length;
    const { stdout, stderr } = await run(
      bin,
      ['-url', sim.url, '-thumbprint', sim.thumbprint, '-username', sim.username],
      { env: { ...process.env, VCSIM_PASSWORD: sim.password }, timeout: 120_000 },
    );
    expect(stdout.trim()).toBe('ok');
    for (const step of [
      'create vm',
      'power on',
      'power off',
      'add disk',
      'remove disk keeping files',
      'attach existing disk',
      'snapshot',
      'remove snapshot',
      'clone',
      'destroy',
    ]) {
      expect(stderr).toContain(`done: ${step}\n`);
    }
    expect(sim.refusals().slice(before)).toEqual([]);
  }, 180_000);
});
