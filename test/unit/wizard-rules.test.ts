import { describe, expect, it } from 'vitest';
import {
  draftFromPlan,
  emptyProtectDraft,
  fieldOfPlanPath,
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
import {
  type MasterTarget,
  type Pair,
  type Plan,
  planSpecSchema,
  type RecoveryPoint,
} from '../../shared/configserver';

const gib = 1024 ** 3;
const site = (over: Partial<SiteChoices> = {}): SiteChoices => ({
  vms: [
    {
      name: 'web-01',
      platform: 'vsphere',
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
      platform: 'vsphere',
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
      platform: 'vsphere',
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
      platform: 'vsphere',
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
  hypervHosts: [],
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

describe('Protect wizard with Hyper-V machines', () => {
  const hvVm = (name: string, disks = 1) => ({
    name,
    platform: 'hyperv' as const,
    osFamily: null,
    guestOs: null,
    powerState: 'poweredOn' as const,
    disks,
    diskBytes: disks * 60 * gib,
    networks: ['vSwitch-Prod'],
    hostName: 'hv-ams-01',
  });
  const replicaHost = (enabled = true) => ({
    name: 'hv-rtm-01',
    endpoint: 'hv-rtm-01',
    replicaServer: { enabled, auth: 'Certificate', port: 443 },
  });
  const hvCtx = (over: Partial<ProtectContext> = {}) =>
    ctx({
      source: site({ vms: [...site().vms, hvVm('hv-app-01'), hvVm('hv-nodisk', 0)] }),
      target: site({ hypervHosts: [replicaHost()] }),
      ...over,
    });
  const hvDraft = (over = {}) =>
    draft({ vms: ['hv-app-01'], masterTarget: '', cluster: '', datastore: '', networks: {}, ...over });

  it('refuses a mix of vSphere and Hyper-V machines in a new plan, and says what to do', () => {
    expect(messages(machinesIssues(hvDraft({ vms: ['web-01', 'hv-app-01'] }), hvCtx()))).toEqual([
      'You chose 1 vSphere machine and 1 Hyper-V machine. They replicate differently (vSphere through a master target, Hyper-V through Hyper-V Replica to the replica server), so each kind gets its own plan: keep one kind now and protect the other in a second plan.',
    ]);
    // A stored mixed plan (written as a file) can still be edited; a vSphere plan does not become one.
    const base = planSpecSchema.parse({
      name: 'mixed',
      source: { site: 'ams' },
      target: { site: 'rtm' },
      machines: [{ vm: 'web-01' }, { vm: 'hv-app-01' }],
    });
    const edited = hvDraft({ vms: ['web-01', 'hv-app-01'], base });
    expect(machinesIssues(edited, hvCtx({ editing: true }))).toEqual([]);
    const vsphereOnly = { ...base, machines: [{ vm: 'web-01', bootGroup: 1, dependsOn: [] }] };
    expect(messages(machinesIssues({ ...edited, base: vsphereOnly }, hvCtx({ editing: true })))[0]).toMatch(
      /^You chose 1 vSphere machine and 1 Hyper-V machine/,
    );
    expect(messages(machinesIssues(hvDraft({ vms: ['hv-nodisk'] }), hvCtx()))).toEqual([
      'hv-nodisk has no disk to replicate.',
    ]);
    expect(machinesIssues(hvDraft(), hvCtx())).toEqual([]);
  });

  it('needs no master target or mappings, but a replica server on the target site', () => {
    expect(targetIssues(hvDraft(), hvCtx())).toEqual([]);
    expect(mappingIssues(hvDraft(), hvCtx())).toEqual([]);
    expect(targetIssues(hvDraft(), hvCtx({ target: site({ hypervHosts: [] }) }))).toEqual([
      {
        field: 'replicaServer',
        severity: 'error',
        message:
          'rtm has no Hyper-V host for Hyper-V Replica to replicate to. Add the replica host (siteshift endpoint add --site rtm hyperv …) or choose another site.',
      },
    ]);
    expect(
      messages(targetIssues(hvDraft(), hvCtx({ target: site({ hypervHosts: [replicaHost(false)] }) }))),
    ).toEqual([
      'hv-rtm-01 does not accept replication yet. Enable it as a replica server on the host (Set-VMReplicationServer -ReplicationEnabled $true …), then check again.',
    ]);
    expect(
      messages(
        targetIssues(
          hvDraft(),
          hvCtx({ target: site({ hypervHosts: [replicaHost(), { ...replicaHost(), name: 'hv-rtm-02' }] }) }),
        ),
      ),
    ).toEqual([
      'rtm has several Hyper-V hosts (hv-rtm-01, hv-rtm-02); Siteshift replicates Hyper-V machines to a site with one Hyper-V Replica server. Choose a site with one.',
    ]);
  });

  it('says at the policy fields what Hyper-V Replica makes of them', () => {
    const issues = policyIssues(hvDraft({ retentionHours: '72', appConsistentEveryMinutes: '90' }), hvCtx());
    expect(issues.map((i) => [i.field, i.severity, i.message])).toEqual([
      [
        'retentionHours',
        'warning',
        'Hyper-V Replica keeps at most 24 hourly recovery points: the Hyper-V machines keep 24 hours.',
      ],
      [
        'appConsistentEveryMinutes',
        'warning',
        'Hyper-V takes application-consistent points in whole hours (1 to 12): the Hyper-V machines get one every 2 h.',
      ],
    ]);
    expect(policyIssues(hvDraft(), hvCtx())).toEqual([]);
  });

  it('writes a plan that names only the target site, which the plan schema accepts', () => {
    const plan = protectPlan(hvDraft(), hvCtx());
    expect(plan.target).toEqual({ site: 'rtm', networks: {} });
    expect(plan.machines).toEqual([{ vm: 'hv-app-01', bootGroup: 1 }]);
    expect(planSpecSchema.safeParse(plan).success).toBe(true);
  });
});

describe('editing a stored plan', () => {
  const stored = planSpecSchema.parse({
    name: 'web',
    source: { site: 'ams' },
    target: {
      site: 'rtm',
      masterTarget: 'mt-win',
      placement: { host: 'esx-dr-01', datastore: 'big' },
      networks: { Prod: 'DR', Backup: 'DR' },
    },
    policy: { rpoThresholdMinutes: 30, retentionHours: 48, appConsistentEveryMinutes: 60 },
    machines: [
      { vm: 'db-01', bootGroup: 1 },
      {
        vm: 'web-01',
        bootGroup: 2,
        dependsOn: ['db-01'],
        recoveredName: 'web-01-dr',
        reip: { address: '10.0.0.5/24' },
      },
    ],
    steps: [{ after: 1, message: 'check the database' }],
  });

  it('prefills every step and writes back the same plan, keeping what the wizard does not edit', () => {
    const d = draftFromPlan(stored);
    expect(d).toMatchObject({
      name: 'web',
      vms: ['db-01', 'web-01'],
      placementKind: 'host',
      host: 'esx-dr-01',
      folder: '',
      rpoThresholdMinutes: '30',
      machines: { 'web-01': { bootGroup: 2, dependsOn: ['db-01'] } },
    });
    const c = ctx({ editing: true, planNames: ['web'] });
    expect(planSpecSchema.parse(protectPlan(d, c))).toEqual(stored);
    // The plan's own name is not "taken" while it is edited.
    expect(policyIssues(d, c)).toEqual([]);
    const changed = protectPlan(
      { ...d, machines: { ...d.machines, 'db-01': { bootGroup: 2, dependsOn: [] } } },
      c,
    );
    expect(changed.machines?.[0]).toEqual({ vm: 'db-01', bootGroup: 2 });
    expect(changed.machines?.[1]).toMatchObject({ recoveredName: 'web-01-dr' });
    expect(changed.steps).toEqual(stored.steps);
  });

  it('writes a stored Hyper-V plan back unchanged (no master target, placement or mappings added)', () => {
    const hv = planSpecSchema.parse({
      name: 'hv',
      source: { site: 'ams' },
      target: { site: 'rtm' },
      machines: [{ vm: 'hv-app-01', bootGroup: 2 }],
    });
    const c = ctx({
      editing: true,
      source: site({
        vms: [
          {
            name: 'hv-app-01',
            platform: 'hyperv',
            osFamily: null,
            guestOs: null,
            powerState: 'poweredOn',
            disks: 1,
            diskBytes: gib,
            networks: ['vSwitch-Prod'],
            hostName: 'hv-ams-01',
          },
        ],
      }),
    });
    expect(planSpecSchema.parse(protectPlan(draftFromPlan(hv), c))).toEqual(hv);
  });

  it('puts a server refusal at the field that causes it', () => {
    const d = draftFromPlan(stored);
    expect(fieldOfPlanPath('target.masterTarget', d)).toBe('masterTarget');
    expect(fieldOfPlanPath('policy.rpoThresholdMinutes', d)).toBe('rpoThresholdMinutes');
    expect(fieldOfPlanPath('machines[1].bootGroup', d)).toBe('machine:web-01');
    expect(fieldOfPlanPath('machines[0].vm', d)).toBe('vms');
    expect(fieldOfPlanPath('target.networks.Prod', d)).toBe('network:Prod');
    expect(fieldOfPlanPath('steps[0].after', d)).toBeNull();
    expect(stepOfPlanPath('policy.rpoThresholdMinutes')).toBe(3);
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
