import { describe, expect, it } from 'vitest';
import { REPLICATION_STATE, SNAPSHOT_TYPE, VM_STATE } from '../../../core/hyperv/enums';
import {
  asArray,
  buildScript,
  commandLine,
  type ExecResult,
  encodeCommand,
  enumName,
  MAX_COMMAND_LINE,
  PowerShellError,
  PowerShellRunner,
  parseDate,
  parseErrorRecord,
  parseJsonOutput,
  parseStderr,
  type RemoteExec,
} from '../../../core/hyperv/powershell';
import { OPS } from '../../../core/hyperv/scripts';
import { hostKeyTypeOf } from '../../../core/hyperv/ssh';
import { ApiError } from '../../../shared/errors';

/** What Windows PowerShell 5.1 writes on stderr for a failed Get-VM over SSH (progress record included). */
const GET_VM_ERROR =
  '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">' +
  '<Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN>' +
  '<MS><I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC>' +
  '<T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>' +
  '<S S="Error">Get-VM : Hyper-V was unable to find a virtual machine with name "nope"._x000D__x000A_</S>' +
  '<S S="Error">At line:1 char:1_x000D__x000A_</S><S S="Error">+ Get-VM -Name nope_x000D__x000A_</S>' +
  '<S S="Error">+ ~~~~~~~~~~~~~~~~_x000D__x000A_</S>' +
  '<S S="Error">    + CategoryInfo          : InvalidArgument: (nope:String) [Get-VM], VirtualizationException_x000D__x000A_</S>' +
  '<S S="Error">    + FullyQualifiedErrorId : InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM_x000D__x000A_</S>' +
  '<S S="Error"> _x000D__x000A_</S></Objs>';

function transport(
  result: Partial<ExecResult> | (() => Promise<ExecResult>),
): RemoteExec & { commands: string[] } {
  const commands: string[] = [];
  return {
    endpoint: 'hv01:22',
    commands,
    exec(command) {
      commands.push(command);
      if (typeof result === 'function') return result();
      return Promise.resolve({
        code: 0,
        signal: null,
        stdout: Buffer.alloc(0),
        stderr: Buffer.alloc(0),
        ...result,
      });
    },
  };
}

describe('command framing', () => {
  it('encodes the script as base64 UTF-16LE behind the fixed powershell.exe flags', () => {
    const line = commandLine('Get-VM');
    expect(line).toBe(
      'powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand RwBlAHQALQBWAE0A',
    );
    expect(Buffer.from(encodeCommand('é☃'), 'base64').toString('utf16le')).toBe('é☃');
  });

  it('puts the values in a base64 data block, never in the code', () => {
    const evil = "x'; Remove-VM -Name * -Force; '";
    const script = buildScript('Get-VM', { vm: { name: evil } }, OPS['Get-VM'].body);
    expect(script).not.toContain(evil);
    expect(script).not.toContain('Remove-VM');
    expect(script.startsWith("$ProgressPreference='SilentlyContinue';$ErrorActionPreference='Stop'\n")).toBe(
      true,
    );
    expect(script).toContain('[Console]::OutputEncoding=New-Object Text.UTF8Encoding $false');
    expect(script).toContain('\n# siteshift-op: Get-VM\n');
    const b64 = /FromBase64String\('([A-Za-z0-9+/=]+)'\)/.exec(script)![1]!;
    expect(JSON.parse(Buffer.from(b64, 'base64').toString('utf8'))).toEqual({ vm: { name: evil } });
    // Same operation, different values: identical code.
    const other = buildScript('Get-VM', { vm: { name: 'web01' } }, OPS['Get-VM'].body);
    const code = (x: string) => x.replace(/FromBase64String\('[^']*'\)/, '');
    expect(code(other)).toBe(code(script));
  });

  it('keeps every operation under the 8191-character cmd.exe limit with long values', () => {
    const longName = 'v'.repeat(100);
    for (const [op, t] of Object.entries(OPS)) {
      const takesValues = !['Get-VMHost', 'Get-VMSwitch', 'Get-SiteshiftInventory'].includes(op);
      const params = !takesValues
        ? {}
        : {
            vm: { name: longName },
            replicaServer: `${'r'.repeat(60)}.example.com`,
            replicaPort: 443,
            auth: 'Certificate',
            certificateThumbprint: 'A'.repeat(40),
            compression: true,
            frequencySec: 300,
            recoveryHistory: 24,
            vssFrequencyHours: 4,
            snapshot: { name: longName },
            mode: 'failover',
          };
      expect(commandLine(buildScript(op, params, t.body)).length, op).toBeLessThan(MAX_COMMAND_LINE);
    }
  });

  it('refuses a command line past the limit before sending it', async () => {
    const t = transport({ stdout: Buffer.from('[]') });
    const runner = new PowerShellRunner(t);
    const err = await runner
      .run('Get-VM', { vm: { name: 'x'.repeat(6000) } }, OPS['Get-VM'].body, { mutates: false })
      .catch((e: unknown) => e);
    expect((err as ApiError).code).toBe('invalid-input');
    expect((err as ApiError).message).toMatch(/more than the 8191 a Windows command line allows/);
    expect(t.commands).toEqual([]);
  });
});

describe('stderr (CLIXML) and errors', () => {
  it('separates error text from progress records and unescapes _xHHHH_', () => {
    const s = parseStderr(GET_VM_ERROR);
    expect(s.errors).toHaveLength(1);
    expect(s.errors[0]).toMatch(
      /^Get-VM : Hyper-V was unable to find a virtual machine with name "nope"\.\r\nAt line:1 char:1/,
    );
    expect(s.warnings).toEqual([]);
    expect(
      parseStderr(
        '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><S S="warning">The virtual machine is already in the specified state._x000D__x000A_</S></Objs>',
      ),
    ).toEqual({
      errors: [],
      warnings: ['The virtual machine is already in the specified state.'],
      other: [],
    });
    expect(parseStderr('')).toEqual({ errors: [], warnings: [], other: [] });
    expect(
      parseStderr("'dir' is not recognized as an internal or external command,\r\n").errors,
    ).toHaveLength(1);
  });

  it('reads the message, cmdlet, category and error id of an error record', () => {
    expect(parseErrorRecord(parseStderr(GET_VM_ERROR).errors[0]!)).toEqual({
      message: 'Hyper-V was unable to find a virtual machine with name "nope".',
      cmdlet: 'Get-VM',
      category: 'InvalidArgument',
      errorId: 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM',
    });
  });

  it('turns a non-zero exit into a typed error carrying the PowerShell message', async () => {
    const runner = new PowerShellRunner(transport({ code: 1, stderr: Buffer.from(GET_VM_ERROR) }));
    const err = await runner
      .run('Get-VM', {}, OPS['Get-VM'].body, { mutates: false })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PowerShellError);
    expect(err).toMatchObject({
      code: 'not-found',
      message: 'Get-VM failed on hv01:22: Hyper-V was unable to find a virtual machine with name "nope".',
      details: { op: 'Get-VM', exitCode: 1, cmdlet: 'Get-VM', category: 'InvalidArgument' },
    });
  });

  it('an error record with exit code 0 is still an error; a non-zero exit without text too', async () => {
    const r1 = new PowerShellRunner(
      transport({ code: 0, stdout: Buffer.from('[]'), stderr: Buffer.from(GET_VM_ERROR) }),
    );
    expect(
      (await r1.run('Get-VM', {}, '', { mutates: false }).catch((e: unknown) => e)) as ApiError,
    ).toBeInstanceOf(PowerShellError);
    const r2 = new PowerShellRunner(transport({ code: 5 }));
    const e2 = (await r2
      .run('Stop-VM', {}, '', { mutates: true })
      .catch((e: unknown) => e)) as PowerShellError;
    expect(e2.message).toBe('Stop-VM failed on hv01:22: powershell.exe exited with code 5');
  });

  it('retries a read once when the connection was lost mid-command, never a change', async () => {
    let calls = 0;
    const lost = () => {
      calls++;
      if (calls === 1) return Promise.reject(new ApiError('unreachable', 'lost', { lostMidCommand: true }));
      return Promise.resolve({ code: 0, signal: null, stdout: Buffer.from('[1]'), stderr: Buffer.alloc(0) });
    };
    expect(
      (await new PowerShellRunner(transport(lost)).run('Get-VM', {}, '', { mutates: false })).value,
    ).toEqual([1]);
    calls = 0;
    const err = await new PowerShellRunner(transport(lost))
      .run('Stop-VM', {}, '', { mutates: true })
      .catch((e: unknown) => e);
    expect((err as ApiError).code).toBe('unreachable');
    expect(calls).toBe(1);
  });

  it('retries any command once when it never reached the host', async () => {
    let calls = 0;
    const refused = () => {
      calls++;
      if (calls === 1) return Promise.reject(new ApiError('unreachable', 'no channel', { notSent: true }));
      return Promise.resolve({ code: 0, signal: null, stdout: Buffer.from('[]'), stderr: Buffer.alloc(0) });
    };
    const res = await new PowerShellRunner(transport(refused)).run('Stop-VM', {}, '', { mutates: true });
    expect(res.value).toEqual([]);
    expect(calls).toBe(2);
  });
});

describe('5.1 values', () => {
  it('parses JSON output, treating empty output as an empty result and garbage as a protocol error', () => {
    expect(parseJsonOutput('Get-VM', 'h', '\uFEFF[{"a":1}]\r\n')).toEqual([{ a: 1 }]);
    expect(parseJsonOutput('Get-VM', 'h', '  \r\n')).toEqual([]);
    expect(() => parseJsonOutput('Get-VM', 'h', '[{"Name":"web0')).toThrow(
      /Get-VM on h returned output Siteshift cannot read: not valid JSON/,
    );
  });

  it('accepts a single object, an array, nothing, and {"value":[…],"Count":n} as arrays', () => {
    expect(asArray({ a: 1 })).toEqual([{ a: 1 }]);
    expect(asArray([1, 2])).toEqual([1, 2]);
    expect(asArray(null)).toEqual([]);
    expect(asArray('')).toEqual([]);
    expect(asArray({ value: [1, 2], Count: 2 })).toEqual([1, 2]);
    expect(asArray('10.0.0.1')).toEqual(['10.0.0.1']);
  });

  it('accepts enums as numbers, numeric text or names', () => {
    expect(enumName(VM_STATE, 2, 'state')).toBe('Running');
    expect(enumName(VM_STATE, '3', 'state')).toBe('Off');
    expect(enumName(VM_STATE, 'running', 'state')).toBe('Running');
    expect(enumName(REPLICATION_STATE, 11, 'state')).toBe('Resynchronizing');
    expect(enumName(REPLICATION_STATE, 'FailedOverWaitingCompletion', 'state')).toBe(
      'FailedOverWaitingCompletion',
    );
    expect(() => enumName(VM_STATE, 5, 'VM state')).toThrow('unknown VM state 5');
    expect(() => enumName(VM_STATE, 'Exploded', 'VM state')).toThrow(/unknown VM state "Exploded"/);
  });

  it('accepts \\/Date(ms)\\/, /Date(ms+hhmm)/ and ISO dates; DateTime.MinValue is no date', () => {
    expect(parseDate('\\/Date(1795734847315)\\/')).toBe('2026-11-26T23:14:07.315Z');
    expect(parseDate('/Date(1795734847315)/')).toBe('2026-11-26T23:14:07.315Z');
    expect(parseDate('/Date(1795734847315+0100)/')).toBe('2026-11-26T23:14:07.315Z');
    expect(parseDate('2026-11-26T23:14:07.315Z')).toBe('2026-11-26T23:14:07.315Z');
    expect(parseDate('2026-11-27T00:14:07.315+01:00')).toBe('2026-11-26T23:14:07.315Z');
    expect(parseDate('/Date(-62135596800000)/')).toBeNull();
    expect(parseDate(null)).toBeNull();
    expect(parseDate({ value: '/Date(0)/', DateTime: 'Thursday, January 1, 1970' })).toBe(
      '1970-01-01T00:00:00.000Z',
    );
    expect(() => parseDate('yesterday')).toThrow(/not a date/);
  });
});

describe('issue 12 defects in the parsers', () => {
  it('8: snapshot types by the numbers Windows writes (Missing 5, Replica 6, AppConsistentReplica 7, SyncedReplica 8)', () => {
    expect(enumName(SNAPSHOT_TYPE, 0, 'snapshot type')).toBe('Standard');
    expect(enumName(SNAPSHOT_TYPE, 5, 'snapshot type')).toBe('Missing');
    expect(enumName(SNAPSHOT_TYPE, 6, 'snapshot type')).toBe('Replica');
    expect(enumName(SNAPSHOT_TYPE, 7, 'snapshot type')).toBe('AppConsistentReplica');
    expect(enumName(SNAPSHOT_TYPE, 8, 'snapshot type')).toBe('SyncedReplica');
    expect(() => enumName(SNAPSHOT_TYPE, 4, 'snapshot type')).toThrow(/unknown snapshot type 4/);
  });

  it('10: "never" is null; 1601-01-01 (WMI zero FILETIME) also reads as never, a real date does not', () => {
    expect(parseDate(null)).toBeNull();
    expect(parseDate('\\/Date(-11644473600000)\\/')).toBeNull();
    expect(parseDate('1601-01-01T00:00:00Z')).toBeNull();
    expect(parseDate('\\/Date(0)\\/')).toBe('1970-01-01T00:00:00.000Z');
  });

  it('12: joins an error record 5.1 cut at its width before reading it', () => {
    // As 5.1 prints it at a width of 100: lines cut mid-word, detail lines continued indented.
    const width = 100;
    const cut = (line: string, indent: string): string[] => {
      const out = [line.slice(0, width)];
      for (let rest = line.slice(width); rest; rest = rest.slice(width - indent.length))
        out.push(indent + rest.slice(0, width - indent.length));
      return out;
    };
    const text = [
      ...cut(
        "Start-VMFailover : 'web01' failed to fail over. The operation cannot be performed while the object is in its current state.",
        '',
      ),
      'At line:9 char:1',
      '+ Start-VMFailover -VM $v -Confirm:$false',
      '+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      ...cut(
        '    + CategoryInfo          : InvalidOperation: (web01:String) [Start-VMFailover], VirtualizationException',
        '   ',
      ),
      ...cut(
        '    + FullyQualifiedErrorId : InvalidState,Microsoft.HyperV.PowerShell.Commands.StartVMFailover,Microsoft.HyperV.PowerShell.Commands.StartVMFailover',
        '   ',
      ),
    ].join('\r\n');
    expect(text.split('\r\n').filter((l) => l.length === width).length).toBeGreaterThanOrEqual(2);
    const r = parseErrorRecord(text);
    expect(r.cmdlet).toBe('Start-VMFailover');
    expect(r.message).toBe(
      "'web01' failed to fail over. The operation cannot be performed while the object is in its current state.",
    );
    expect(r.category).toBe('InvalidOperation');
    expect(r.errorId).toBe(
      'InvalidState,Microsoft.HyperV.PowerShell.Commands.StartVMFailover,Microsoft.HyperV.PowerShell.Commands.StartVMFailover',
    );
    // Lines that end short of the width are separate lines, joined with a space as before.
    expect(parseErrorRecord('Get-VM : first line\nsecond line').message).toBe('first line second line');
  });

  it('11: names the host key types ssh-keygen prints, and nothing else', () => {
    expect(hostKeyTypeOf('ED25519')).toBe('ssh-ed25519');
    expect(hostKeyTypeOf('(RSA)')).toBe('ssh-rsa');
    expect(hostKeyTypeOf('ssh-rsa')).toBe('ssh-rsa');
    expect(hostKeyTypeOf('ECDSA')).toBe('ecdsa-sha2-nistp256');
    expect(hostKeyTypeOf('DSA')).toBeUndefined();
  });
});
