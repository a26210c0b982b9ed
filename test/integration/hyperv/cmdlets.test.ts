import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HypervClient } from '../../../core/hyperv/client';
import {
  buildScript,
  encodeCommand,
  PowerShellError,
  type RemoteExec,
} from '../../../core/hyperv/powershell';
import { OPS } from '../../../core/hyperv/scripts';
import type { SshSession } from '../../../core/hyperv/ssh';
import { type HypervDoublePair, PRIMARY_SEED, startHypervDoublePair } from '../../hyperv-double';
import { rejection } from '../../support/net';
import { clientOf, sessionTo, waitFor } from './helpers';

const EVIL = "x'; Remove-VM -Name * -Force; '";
const STAR = '*';
const SUBEXPR = '$(Stop-VM -Name web01 -TurnOff -Force)';
const EVIL_PATH = "C:\\VMs\\evil\\a'; Remove-Item C:\\ -Recurse -Force; 'b.vhdx";
const UNICODE = 'Café-Zürich ☃';

for (const enums of ['numeric', 'names'] as const) {
  describe(`typed cmdlets over SSH (5.1 writing enums as ${enums})`, () => {
    let pair: HypervDoublePair;
    let s: SshSession;
    let c: HypervClient;

    beforeAll(async () => {
      pair = await startHypervDoublePair({ enums, timing: { initialReplicationMs: 100 } });
      s = sessionTo(pair, pair.primary);
      c = clientOf(s);
    });
    afterAll(async () => {
      await s?.close();
      await pair?.stop();
    });

    it('Get-VMHost', async () => {
      expect(await c.getVMHost()).toEqual({
        name: 'HV-PRIMARY',
        fqdn: 'hv-primary.lab.local',
        os: 'Microsoft Windows Server 2022 Datacenter',
        osVersion: '10.0.20348',
        logicalProcessors: 32,
        cpuCores: 16,
        memoryBytes: 256 * 1024 ** 3,
        replicaServer: {
          enabled: true,
          auth: 'Kerberos',
          kerberosPort: 80,
          certificatePort: 443,
          certificateThumbprint: null,
        },
      });
    });

    it('Get-VM, all and one by name or id', async () => {
      const vms = await c.getVMs();
      expect(vms.map((v) => v.name)).toEqual(['web01', 'db01', 'app01']);
      const web = vms[0]!;
      expect(web).toMatchObject({
        state: 'Running',
        generation: 2,
        cpus: 2,
        memoryStartupBytes: 4096 * 1024 ** 2,
        memoryAssignedBytes: 4096 * 1024 ** 2,
        host: 'HV-PRIMARY',
        replicationMode: 'None',
        replicationState: 'Disabled',
        replicationHealth: 'NotApplicable',
      });
      expect(web.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(web.uptimeSec).toBeGreaterThanOrEqual(3600);
      expect(vms[2]).toMatchObject({
        name: 'app01',
        state: 'Off',
        generation: 1,
        uptimeSec: 0,
        memoryAssignedBytes: 0,
      });
      expect((await c.getVM({ name: 'DB01' })).name).toBe('db01');
      expect((await c.getVM({ id: web.id })).name).toBe('web01');
    });

    it('a missing VM is a typed not-found error carrying the PowerShell message', async () => {
      const err = await rejection(c.getVM({ name: 'nope' }));
      expect(err).toBeInstanceOf(PowerShellError);
      expect(err.code).toBe('not-found');
      expect(err.message).toMatch(
        /^Get-VM failed on 127\.0\.0\.1:\d+: Hyper-V was unable to find a virtual machine with name "nope"\.$/,
      );
      expect((err as PowerShellError).details).toMatchObject({ exitCode: 1, category: 'OperationStopped' });
      const byId = await rejection(c.getVM({ id: '00000000-0000-0000-0000-000000000001' }));
      expect(byId.code).toBe('not-found');
      expect((byId as PowerShellError).details).toMatchObject({
        cmdlet: 'Get-VM',
        category: 'InvalidArgument',
      });
      expect((await rejection(c.getVM({ id: 'not-a-guid' }))).code).toBe('invalid-input');
    });

    it('Get-VMHardDiskDrive', async () => {
      const all = await c.getHardDiskDrives();
      expect(all).toHaveLength(4);
      expect(await c.getHardDiskDrives({ name: 'db01' })).toEqual([
        expect.objectContaining({
          path: 'C:\\VMs\\db01\\db01-os.vhdx',
          controllerType: 'SCSI',
          controllerNumber: 0,
          controllerLocation: 0,
          sizeBytes: 80 * 1024 ** 3,
        }),
        expect.objectContaining({
          path: 'E:\\VMs\\db01\\db01-data.vhdx',
          controllerType: 'SCSI',
          controllerNumber: 0,
          controllerLocation: 1,
          sizeBytes: 500 * 1024 ** 3,
        }),
      ]);
      expect((await c.getHardDiskDrives({ name: 'app01' }))[0]).toMatchObject({
        controllerType: 'IDE',
        controllerNumber: 0,
        controllerLocation: 0,
      });
    });

    it('Get-VMNetworkAdapter', async () => {
      const [nic] = await c.getNetworkAdapters({ name: 'web01' });
      expect(nic).toMatchObject({
        name: 'Network Adapter',
        switchName: 'LAN',
        ipAddresses: ['10.0.0.11', 'fe80::215:5dff:fe01:101'],
      });
      expect(nic!.mac).toMatch(/^00:15:5D(:[0-9A-F]{2}){3}$/);
      expect((await c.getNetworkAdapters({ name: 'app01' }))[0]!.ipAddresses).toEqual([]);
    });

    it('Get-VMSwitch', async () => {
      const sw = await c.getSwitches();
      expect(sw).toEqual([{ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'LAN', kind: 'External' }]);
    });

    it('Get-VMReplication / Measure-VMReplication / Get-VMSnapshot, before and after replication', async () => {
      expect(await c.getReplications()).toEqual([]);
      expect(await c.getReplication({ name: 'app01' })).toBeNull();
      expect(await c.measureReplication()).toEqual([]);
      expect(await c.getSnapshots({ name: 'app01' })).toEqual([]);

      await c.enableReplication(
        { name: 'app01' },
        { replicaServer: pair.replica.fqdn, auth: 'Kerberos', frequencySec: 30, recoveryHistory: 2 },
      );
      const [stats] = await c.measureReplication({ name: 'app01' });
      // Never replicated: Hyper-V reports DateTime.MinValue, which is "no time" here.
      expect(stats).toMatchObject({
        vmName: 'app01',
        state: 'ReadyForInitialReplication',
        lastReplicationTime: null,
        pendingBytes: 0,
      });
      await c.startInitialReplication({ name: 'app01' });
      const r = await waitFor(
        () => c.getReplication({ name: 'app01' }),
        (x) => x?.state === 'Replicating',
      );
      expect(Date.parse(r!.lastReplicationTime!)).toBeGreaterThan(Date.now() - 60_000);
      expect(await c.getReplications()).toHaveLength(1);

      const rc = clientOf(sessionTo(pair, pair.replica));
      const snaps = await waitFor(
        () => rc.getSnapshots({ name: 'app01' }),
        (x) => x.length >= 3,
      );
      expect(snaps.length).toBeLessThanOrEqual(3);
      expect(snaps[0]).toMatchObject({ vmName: 'app01', type: 'Replica' });
      expect(Date.parse(snaps[0]!.created!)).toBeGreaterThan(Date.now() - 60_000);
    });

    it('Start-VM and Stop-VM, including the "already in that state" warning', async () => {
      expect((await c.stopVM({ name: 'db01' })).state).toBe('Off');
      // 5.1 writes a warning (CLIXML on stderr) and exits 0: not an error.
      expect((await c.stopVM({ name: 'db01' }, { turnOff: true })).state).toBe('Off');
      const started = await c.startVM({ name: 'db01' });
      expect(started.state).toBe('Running');
      expect((await c.startVM({ name: 'db01' })).state).toBe('Running');
    });
  });
}

describe('5.1 output quirks and failures', () => {
  let pair: HypervDoublePair;
  let s: SshSession;
  let c: HypervClient;

  beforeAll(async () => {
    pair = await startHypervDoublePair();
    s = sessionTo(pair, pair.primary);
    c = clientOf(s);
  });
  afterAll(async () => {
    await s?.close();
    await pair?.stop();
  });

  it('one object instead of an array', async () => {
    pair.primary.double.injectFault({ op: 'Get-VMSwitch', kind: 'unwrap-single' });
    expect((await c.getSwitches()).map((x) => x.name)).toEqual(['LAN']);
    expect(pair.primary.double.log.at(-1)?.exitCode).toBe(0);
  });

  it('arrays serialised as {"value":[…],"Count":n}', async () => {
    pair.primary.double.injectFault({ op: 'Get-VMNetworkAdapter', kind: 'ets-array' });
    const nics = await c.getNetworkAdapters();
    expect(nics).toHaveLength(3);
    expect(nics[0]!.ipAddresses).toEqual(['10.0.0.11', 'fe80::215:5dff:fe01:101']);
  });

  it('an empty result', async () => {
    pair.primary.double.injectFault({ op: 'Get-VM', kind: 'empty-output' });
    expect(await c.getVMs()).toEqual([]);
    expect(await c.getReplications()).toEqual([]);
    pair.primary.double.injectFault({ op: 'Get-VMHost', kind: 'empty-output' });
    const err = await rejection(c.getVMHost());
    expect(err.code).toBe('protocol-error');
    expect(err.message).toMatch(/returned 0 objects where one was expected/);
  });

  it('malformed JSON', async () => {
    pair.primary.double.injectFault({ op: 'Get-VM', kind: 'malformed-json' });
    const err = await rejection(c.getVMs());
    expect(err.code).toBe('protocol-error');
    expect(err.message).toMatch(
      /^Get-VM on 127\.0\.0\.1:\d+ returned output Siteshift cannot read: not valid JSON/,
    );
    expect((await c.getVMs()).length).toBe(3);
  });

  it('a "progress" CLIXML record on a fresh session is not an error', async () => {
    const fresh = sessionTo(pair, pair.primary);
    try {
      await clientOf(fresh).getSwitches();
      const res = await fresh.exec(pair.primary.double.log.at(-1)!.commandLine, { label: 'replay' });
      expect(res.code).toBe(0);
    } finally {
      await fresh.close();
    }
    const first = pair.primary.double.log.filter((e) => e.op === 'Get-VMSwitch').at(-2);
    expect(first?.exitCode).toBe(0);
  });

  it('the double holds the connector to the powershell.exe -EncodedCommand framing', async () => {
    const run = (cmd: string) => s.exec(cmd, { label: 'raw' });
    const dir = await run('dir C:\\');
    expect(dir.code).toBe(1);
    expect(dir.stderr.toString()).toMatch(/'dir' is not recognized as an internal or external command/);

    const plain = await run('powershell.exe -NoProfile -NonInteractive -Command Get-VM');
    expect(plain.code).toBe(1);
    expect(plain.stderr.toString()).toMatch(/unexpected argument "-Command"/);

    const noBypass = await run(`powershell.exe -NoProfile -EncodedCommand ${encodeCommand('Get-VM')}`);
    expect(noBypass.code).toBe(1);

    const badBase64 = await run(
      'powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand not*base64',
    );
    expect(badBase64.code).not.toBe(0);
    expect(badBase64.stderr.toString()).toMatch(/not properly encoded/);

    const script = buildScript('Get-VM', {}, OPS['Get-VM'].body);
    const utf8 = Buffer.from(script, 'utf8').toString('base64');
    const wrongEncoding = await run(
      `powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ${utf8}`,
    );
    expect(wrongEncoding.code).toBe(1);
    expect(wrongEncoding.stderr.toString()).toMatch(/^#< CLIXML/);
    expect(wrongEncoding.stderr.toString()).toMatch(/is not recognized as the name of a cmdlet/);

    const tooLong = await run(
      `powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ${'A'.repeat(8200)}`,
    );
    expect(tooLong.stderr.toString()).toMatch(/The command line is too long/);
  });

  it('a value spliced into code is caught: the code of an operation never changes', async () => {
    await c.getVMs();
    const spliced = buildScript(
      'Get-VM',
      {},
      OPS['Get-VM'].body.replace('$vs=@(', "$vs=@(Get-VM -Name 'web01';"),
    );
    const res = await s.exec(
      `powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ${encodeCommand(spliced)}`,
      {
        label: 'raw',
      },
    );
    expect(res.code).toBe(1);
    expect(res.stderr.toString()).toMatch(/a value was spliced into code/);
  });

  it('without @(), one object comes back bare and none comes back as nothing', async () => {
    const pairLoose = await startHypervDoublePair({ strictTemplates: false });
    const loose = sessionTo(pairLoose, pairLoose.primary);
    const unwrap: RemoteExec = {
      endpoint: loose.endpoint,
      exec(command, opts) {
        const b64 = command.split(' ').pop()!;
        const script = Buffer.from(b64, 'base64')
          .toString('utf16le')
          .replace(/Out-Json @\(/g, 'Out-Json (');
        return loose.exec(command.replace(b64, encodeCommand(script)), opts);
      },
    };
    try {
      const c2 = new HypervClient(unwrap);
      expect((await c2.getSwitches()).map((x) => x.name)).toEqual(['LAN']);
      expect((await c2.getVMs()).length).toBe(3);
      expect(await c2.getSnapshots()).toEqual([]);
      expect(await c2.getReplication({ name: 'web01' })).toBeNull();
    } finally {
      await loose.close();
      await pairLoose.stop();
    }
  });

  it('CLIXML error records on stderr with exit code 0 are still errors', async () => {
    // Without $ErrorActionPreference='Stop', 5.1 reports the error on stderr and exits 0.
    const pairLoose = await startHypervDoublePair({ strictTemplates: false });
    const loose = sessionTo(pairLoose, pairLoose.primary);
    const stripStop: RemoteExec = {
      endpoint: loose.endpoint,
      exec(command, opts) {
        const b64 = command.split(' ').pop()!;
        const script = Buffer.from(b64, 'base64')
          .toString('utf16le')
          .replace(";$ErrorActionPreference='Stop'", '');
        return loose.exec(command.replace(b64, encodeCommand(script)), opts);
      },
    };
    try {
      // Get-VM -Id of a missing VM: a cmdlet error, non-terminating without Stop.
      const err = await rejection(
        new HypervClient(stripStop).getVM({ id: '00000000-0000-0000-0000-000000000001' }),
      );
      expect(pairLoose.primary.double.log.at(-1)?.exitCode).toBe(0);
      expect(err).toBeInstanceOf(PowerShellError);
      expect(err.code).toBe('not-found');
      expect((err as PowerShellError).details.exitCode).toBe(0);
    } finally {
      await loose.close();
      await pairLoose.stop();
    }
  });
});

describe('script injection through names and paths', () => {
  let pair: HypervDoublePair;
  let s: SshSession;
  let c: HypervClient;

  beforeAll(async () => {
    const seed = structuredClone(PRIMARY_SEED);
    seed.vms!.push(
      { name: EVIL, state: 'Running', disks: [{ path: EVIL_PATH, sizeGB: 10 }], nics: [{ switch: 'LAN' }] },
      { name: STAR, state: 'Running', disks: [], nics: [] },
      { name: SUBEXPR, state: 'Running', disks: [], nics: [] },
      { name: UNICODE, state: 'Off', disks: [], nics: [] },
      { name: 'dup', state: 'Off', disks: [], nics: [] },
      { name: 'DUP', state: 'Off', disks: [], nics: [] },
    );
    pair = await startHypervDoublePair({ primarySeed: seed });
    s = sessionTo(pair, pair.primary);
    c = clientOf(s);
  });
  afterAll(async () => {
    await s?.close();
    await pair?.stop();
  });

  it(`a VM named ${JSON.stringify(EVIL)} is just a name`, async () => {
    const before = (await c.getVMs()).map((v) => ({ name: v.name, state: v.state }));
    expect(before).toHaveLength(9);

    const vm = await c.getVM({ name: EVIL });
    expect(vm.name).toBe(EVIL);
    expect((await c.stopVM({ name: EVIL }, { turnOff: true })).state).toBe('Off');
    expect((await c.getHardDiskDrives({ name: EVIL }))[0]!.path).toBe(EVIL_PATH);

    // Only that VM changed; nothing was removed or stopped besides it.
    const after = (await c.getVMs()).map((v) => ({ name: v.name, state: v.state }));
    expect(after).toEqual(before.map((v) => (v.name === EVIL ? { ...v, state: 'Off' } : v)));
    expect(pair.primary.model.applied).toEqual([{ op: 'Stop-VM', vm: EVIL }]);

    // The name travelled as data: no script the host received contains it.
    for (const e of pair.primary.double.log) {
      expect(e.script).not.toContain('Remove-VM');
      expect(e.script).not.toContain(EVIL);
    }
    expect(
      pair.primary.double.log.some((e) => (e.params as { vm?: { name?: string } })?.vm?.name === EVIL),
    ).toBe(true);
  });

  it('a VM named "*" selects only itself, not every VM (no wildcards)', async () => {
    expect((await c.getVMs({ name: STAR })).map((v) => v.name)).toEqual([STAR]);
    await c.stopVM({ name: STAR });
    const running = (await c.getVMs()).filter((v) => v.state === 'Running').map((v) => v.name);
    expect(running).toEqual(['web01', 'db01', SUBEXPR]);
  });

  it('a name holding a subexpression is not evaluated', async () => {
    expect((await c.stopVM({ name: SUBEXPR })).state).toBe('Off');
    expect((await c.getVM({ name: 'web01' })).state).toBe('Running');
  });

  it('two VMs with the same name (any case) must be told apart by id', async () => {
    const err = await rejection(c.stopVM({ name: 'dup' }));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/More than one virtual machine is named "dup"; use its id\./);
    const dups = (await c.getVMs()).filter((v) => v.name.toLowerCase() === 'dup');
    expect(dups).toHaveLength(2);
    expect((await c.startVM({ id: dups[1]!.id })).name).toBe('DUP');
    expect((await c.getVM({ id: dups[0]!.id })).state).toBe('Off');
  });

  it('non-ASCII names survive the round trip (UTF-8 output)', async () => {
    expect((await c.getVM({ name: UNICODE })).name).toBe(UNICODE);
  });

  it('a replica server name that is not a host name is refused before anything is sent', async () => {
    const sent = pair.primary.double.log.length;
    const err = await rejection(
      c.enableReplication({ name: 'web01' }, { replicaServer: "x'; Remove-VM *; '", auth: 'Kerberos' }),
    );
    expect(err.code).toBe('invalid-input');
    expect(pair.primary.double.log.length).toBe(sent);
  });
});
