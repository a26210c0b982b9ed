import { describe, expect, it } from 'vitest';
import { buildScript } from '../../../core/hyperv/powershell';
import { OPS } from '../../../core/hyperv/scripts';
import { checkScript, TABLE } from '../../hyperv-double/strict';

const LEARN = /^https:\/\/learn\.microsoft\.com\//;

describe('the table of documented Hyper-V members and parameters', () => {
  it('cites a learn.microsoft.com page, and says how, for every row', () => {
    for (const [name, obj] of Object.entries(TABLE.objects)) {
      expect(obj.members.length, name).toBeGreaterThan(0);
      for (const m of obj.members) {
        expect(m.source, `${name}.${m.name}`).toMatch(LEARN);
        expect(['parameter', 'example', 'wmi', 'class'], `${name}.${m.name}`).toContain(m.evidence);
        expect(m.note.length, `${name}.${m.name}`).toBeGreaterThan(10);
      }
    }
    for (const [name, c] of Object.entries(TABLE.cmdlets)) {
      expect(c.source, name).toMatch(
        /^https:\/\/learn\.microsoft\.com\/powershell\/module\/hyper-v\/.+windowsserver2022-ps$/,
      );
      expect(Object.keys(c.parameterSets).length, name).toBeGreaterThan(0);
    }
  });

  it('covers every object the scripts read', () => {
    for (const t of [
      'VirtualMachine',
      'VMReplication',
      'VMReplicationServer',
      'VMHost',
      'HardDiskDrive',
      'VMNetworkAdapter',
      'VMSwitch',
      'VMSnapshot',
      'VMReplicationHealth',
    ]) {
      expect(TABLE.objects[t], t).toBeDefined();
    }
  });
});

describe('every script the connector can send', () => {
  for (const [op, t] of Object.entries(OPS)) {
    it(`${op} names only documented members and parameters`, () => {
      expect(checkScript(buildScript(op, {}, t.body))).toEqual([]);
    });
  }
});

describe('the check fails on what a real host would not accept', () => {
  const bad = (body: string) => checkScript(buildScript('Get-VM', {}, body)).map((v) => v.message);

  it('a parameter alias read as a property (defect 2: $r.State is not a member of VMReplication)', () => {
    const body = OPS['Get-VMReplication'].body.replace('$r.ReplicationState', '$r.State');
    expect(bad(body).join('\n')).toMatch(/VMReplication .* no documented member "State"/);
  });

  it('a statistics column label read as a property', () => {
    const body = OPS['Measure-VMReplication'].body.replace('$m.ReplicationHealth', '$m.Health');
    expect(bad(body).join('\n')).toMatch(/VMReplicationHealth .* no documented member "Health"/);
  });

  it('a member of a piped object in a script block', () => {
    expect(bad('$v=Get-VM\n$s=@(Get-VMSnapshot -VM $v|Where-Object{$_.Kind -eq 1})').join('\n')).toMatch(
      /VMSnapshot .* no documented member "Kind"/,
    );
  });

  it('a parameter a cmdlet does not have, and an alias instead of the name', () => {
    expect(bad('$v=Get-VM\nStop-VM -VM $v -Shutdown').join('\n')).toMatch(
      /Stop-VM has no parameter -Shutdown/,
    );
    expect(bad('$v=Get-VM\nGet-VMReplication -VM $v -Relationship Simple').join('\n')).toMatch(
      /alias of -ReplicationRelationshipType/,
    );
  });

  it('parameters from two parameter sets, and a missing mandatory parameter', () => {
    expect(bad('$v=Get-VM\nStart-VMFailover -VM $v -Prepare -AsTest').join('\n')).toMatch(
      /no parameter set of Start-VMFailover/,
    );
    expect(bad('$v=Get-VM\n$a=@{VM=$v;ReplicaServerName=$p.x}\nEnable-VMReplication @a').join('\n')).toMatch(
      /no parameter set of Enable-VMReplication/,
    );
  });

  it('a cmdlet the table does not know, and a variable whose type it cannot tell', () => {
    expect(bad('Get-VMSomething').join('\n')).toMatch(/not a cmdlet of the table/);
    expect(bad('$x.Name').join('\n')).toMatch(/cannot tell what \$x holds/);
  });
});
