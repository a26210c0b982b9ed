import { describe, expect, it } from 'vitest';
import {
  emptyProtectDraft,
  machinesIssues,
  mappingIssues,
  type ProtectContext,
  policyIssues,
  protectPlan,
  stepOfPlanPath,
  targetIssues,
} from '../../renderer/src/wizards/protect-model';
import { planIssues, pointFor, pointInput } from '../../renderer/src/wizards/recovery-model';
import type { SiteChoices } from '../../renderer/src/wizards/site';
import type { MasterTarget, Pair, Plan, RecoveryPoint } from '../../shared/configserver';

const gib = 1024 ** 3;
const site = (over: Partial<SiteChoices> = {}): SiteChoices => ({
  vms: [
    {
      name: 'web-01',
      osFamily: 'windows',
      guestOs: 'windows2019srv_64Guest',
      powerState: 'poweredOn',
      disks: 2,
      diskBytes: 80 * gib,
      networks: ['Prod'],
      hostName: 'esx-01',
    },
    {
      name: 'db-01',
      osFamily: 'windows',
      guestOs: 'windows2019srv_64Guest',
      powerState: 'poweredOn',
      disks: 1,
      diskBytes: 40 * gib,
      networks: ['Prod', 'Backup'],
      hostName: 'esx-01',
    },
    {
      name: 'lnx-01',
      osFamily: 'linux',
      guestOs: 'rhel9_64Guest',
      powerState: 'poweredOff',
      disks: 1,
      diskBytes: 20 * gib,
      networks: ['Prod'],
      hostName: 'esx-02',
    },
    {
      name: 'empty-01',
      osFamily: 'linux',
      guestOs: null,
      powerState: 'poweredOff',
      disks: 0,
      diskBytes: 0,
      networks: [],
      hostName: null,
    },
  ],
  datastores: [
    { name: 'small', freeBytes: 50 * gib, capacityBytes: 100 * gib },
    { name: 'big', freeBytes: 900 * gib, capacityBytes: 1000 * gib },
  ],
  networks: ['DR', 'Bubble'],
  clusters: ['DR'],
  hosts: ['esx-dr-01'],
  folders: ['/', '/Recovered'],
  unread: [],
  ...over,
});
const mt = (name: string, osFamily: 'windows' | 'linux', slotsFree: number): MasterTarget => ({
  id: `mt-${name}`,
  siteId: 's2',
  endpointId: 'e2',
  name,
  vmId: 'vm-1',
  vmName: name,
  osFamily,
  slots: [],
  slotsUsed: 60 - slotsFree,
  slotsFree,
  reservedSlots: [],
  retentionDatastore: null,
  retentionFreeBytes: null,
  createdAt: '2026-11-29T00:00:00.000Z',
});
const ctx = (over: Partial<ProtectContext> = {}): ProtectContext => ({
  source: site(),
  target: site(),
  masterTargets: [mt('mt-win', 'windows', 60), mt('mt-lnx', 'linux', 1)],
  planNames: ['existing'],
  protectedVms: new Map([['lnx-01', 'linux-plan']]),
  ...over,
});
const draft = (over = {}) => ({
  ...emptyProtectDraft(),
  sourceSite: 'ams',
  targetSite: 'rtm',
  vms: ['web-01', 'db-01'],
  masterTarget: 'mt-win',
  cluster: 'DR',
  datastore: 'big',
  networks: { Prod: 'DR', Backup: 'DR' },
  testNetwork: 'Bubble',
  name: 'web',
  ...over,
});
const messages = (issues: Array<{ message: string }>) => issues.map((i) => i.message);

describe('Protect wizard rules', () => {
  it('says in words what is wrong with the chosen machines', () => {
    expect(messages(machinesIssues(draft({ vms: [] }), ctx()))).toEqual([
      'Choose at least one machine to protect.',
    ]);
    expect(messages(machinesIssues(draft({ vms: ['web-01', 'lnx-01', 'empty-01'] }), ctx()))).toEqual([
      'Already protected: lnx-01 (plan linux-plan). Leave it out.',
      'empty-01 has no disk to replicate.',
      'A plan has one master target, and a master target serves one OS family: you chose 1 Windows machine and 2 Linux machines. Protect them in two plans.',
    ]);
    expect(machinesIssues(draft(), ctx())).toEqual([]);
  });

  it('refuses a master target of the other OS family or without slots for every disk', () => {
    expect(messages(targetIssues(draft({ masterTarget: 'mt-lnx' }), ctx()))).toEqual([
      'mt-lnx is a Linux master target; Windows machines need a Windows one.',
      'mt-lnx has 1 free SCSI slot of 60; the chosen machines have 3 disks. Choose fewer machines or another master target.',
    ]);
    expect(messages(targetIssues(draft({ targetSite: 'ams' }), ctx()))).toEqual([
      'The target site must be another site than the machines run on.',
    ]);
  });

  it('needs every source network mapped, a datastore big enough, and warns about the test network', () => {
    const issues = mappingIssues(
      draft({ datastore: 'small', networks: { Prod: 'DR' }, testNetwork: 'DR', folder: 'Recovered/' }),
      ctx(),
    );
    expect(issues.map((i) => [i.field, i.severity])).toEqual([
      ['datastore', 'error'],
      ['folder', 'error'],
      ['network:Backup', 'error'],
      ['testNetwork', 'warning'],
    ]);
    expect(issues[0]!.message).toBe(
      'small has 50.0 GiB free; the replica disks can grow to 120 GiB. Choose a bigger datastore.',
    );
    expect(mappingIssues(draft(), ctx())).toEqual([]);
  });

  it('checks the name, the policy numbers and the boot order', () => {
    const issues = policyIssues(
      draft({
        name: 'Existing',
        rpoThresholdMinutes: '0',
        parallelism: 'four',
        machines: {
          'web-01': { bootGroup: 1, dependsOn: ['db-01'] },
          'db-01': { bootGroup: 2, dependsOn: [] },
        },
      }),
      ctx(),
    );
    expect(messages(issues)).toEqual([
      'A plan named Existing already exists on this server; choose another name (this wizard never replaces a plan).',
      'RPO threshold: between 1 and 1,440 minutes.',
      'Machines recovered at once: type a whole number of machines.',
      "db-01 is in boot group 2, after web-01's group 1; a dependency must boot in the same or an earlier group",
    ]);
    expect(messages(policyIssues(draft({ name: 'a/b' }), ctx()))).toEqual([
      'A plan name cannot contain / \\ ? # or %.',
    ]);
  });

  it('writes the plan file the server validates, and sends server issues back to their step', () => {
    const plan = protectPlan(
      draft({
        machines: {
          'db-01': { bootGroup: 1, dependsOn: [] },
          'web-01': { bootGroup: 2, dependsOn: ['db-01'] },
        },
      }),
      ctx(),
    );
    expect(plan).toEqual({
      name: 'web',
      source: { site: 'ams' },
      target: {
        site: 'rtm',
        masterTarget: 'mt-win',
        placement: { cluster: 'DR', datastore: 'big', folder: '/Recovered' },
        networks: { Backup: 'DR', Prod: 'DR' },
        testNetwork: 'Bubble',
      },
      policy: { rpoThresholdMinutes: 15, retentionHours: 24, appConsistentEveryMinutes: 60 },
      parallelism: 4,
      machines: [
        { vm: 'web-01', bootGroup: 2, dependsOn: ['db-01'] },
        { vm: 'db-01', bootGroup: 1 },
      ],
    });
    expect(stepOfPlanPath('machines[1].vm')).toBe(0);
    expect(stepOfPlanPath('target.masterTarget')).toBe(1);
    expect(stepOfPlanPath('target.placement.datastore')).toBe(2);
    expect(stepOfPlanPath('machines[0].dependsOn[0]')).toBe(3);
  });
});

describe('recovery wizards rules', () => {
  const plan = { id: 'p1', name: 'web' } as Plan;
  const pair = (state: Pair['state']) =>
    ({ id: `pair-${state}`, planId: 'p1', state, sourceVmName: `vm-${state}` }) as Pair;
  it('offers a workflow only when a pair is in a state it starts from, and says why not', () => {
    expect(planIssues('cleanup', plan, [pair('protected')])[0]!.message).toBe(
      'No machine of web is test failover running (1 protected): there is no test failover to clean up.',
    );
    expect(planIssues('commit', plan, [pair('failover-pending')])).toEqual([]);
    expect(planIssues('test', plan, [])[0]!.message).toBe('web protects no machine yet: protect it first.');
    expect(planIssues('test', plan, [pair('protected'), pair('resyncing')])[0]!.severity).toBe('warning');
  });

  it('picks the recovery point the server picks, and writes the point the job takes', () => {
    const p = (at: string, consistency: 'app' | 'crash', tag: string | null = null): RecoveryPoint => ({
      id: at,
      pairId: 'x',
      at,
      consistency,
      tag,
    });
    const points = [
      p('2026-11-29T10:00:00.000Z', 'app', 'before-patch'),
      p('2026-11-29T10:05:00.000Z', 'crash'),
      p('2026-11-29T10:10:00.000Z', 'crash'),
    ];
    const d = {
      point: 'latest' as const,
      time: '',
      tag: '',
      acceptSplitBrain: false,
      shutdownTimeoutSec: '300',
    };
    expect(pointFor(points, d)?.at).toBe('2026-11-29T10:10:00.000Z');
    expect(pointFor(points, { ...d, point: 'latest-app' })?.at).toBe('2026-11-29T10:00:00.000Z');
    expect(pointFor(points, { ...d, point: 'tag', tag: 'before-patch' })?.at).toBe(
      '2026-11-29T10:00:00.000Z',
    );
    const time = new Date('2026-11-29T10:07:00.000Z');
    const local = new Date(time.getTime() - time.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
    expect(pointFor(points, { ...d, point: 'time', time: local })?.at).toBe('2026-11-29T10:05:00.000Z');
    expect(pointInput({ ...d, point: 'time', time: local })).toBe('time:2026-11-29T10:07:00.000Z');
    expect(pointInput({ ...d, point: 'tag', tag: 'x' })).toBe('tag:x');
  });
});
