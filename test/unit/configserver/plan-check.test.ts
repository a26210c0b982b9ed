import { afterEach, describe, expect, it } from 'vitest';
import { tServer, useLocale } from '../../../renderer/src/i18n';
import { formatBytes, type SiteEstate } from '../../../server/estate';
import { type PlanInventoryContext, planInventoryIssues } from '../../../server/plan-check';
import { type PlanIssue, type PlanSpecInput, planSpecSchema } from '../../../shared/configserver';
import { checkWordsEn } from '../../../shared/i18n/check-words';
import { listWordsEn } from '../../../shared/i18n/list-words';
import { planWordsEn } from '../../../shared/i18n/plan-words';
import { pairFor, planWorld, windowsPlanInput } from '../../support/plans';
import { englishOf } from '../../support/words';

const GiB = 1024 ** 3;

function issues(
  w: ReturnType<typeof planWorld>,
  input: PlanSpecInput,
  over: Partial<PlanInventoryContext> = {},
): PlanIssue[] {
  const spec = planSpecSchema.parse(input);
  const found = planInventoryIssues(spec, {
    source: w.source,
    target: w.target,
    masterTarget: w.mtWin,
    pairs: [],
    planId: null,
    planNames: new Map([['plan-other', 'other']]),
    ...over,
  });
  // Every message carries its words, and its English is exactly what they say.
  const _book = { ...planWordsEn, ...listWordsEn, ...checkWordsEn };
  for (const i of found) {
    expect(i.messageWords, i.message).toBeDefined();
    expect(englishOf(i.messageWords!)).toBe(i.message);
  }
  return found;
}

const check = (...args: Parameters<typeof issues>): string[] =>
  issues(...args).map((i) => `${i.severity} ${i.path}: ${i.message}`);

describe('plan against the inventories', () => {
  it('a plan that fits passes without an issue', () => {
    const w = planWorld();
    expect(check(w, windowsPlanInput(w))).toEqual([]);
  });

  it('unknown VM and a name two VMs share; a Hyper-V VM is protected by Hyper-V Replica', () => {
    const w = planWorld();
    const twin = w.windowsVms[1]!;
    w.primary.vms.push({
      ...w.primary.vms.find((v) => v.name === twin)!,
      id: 'vm-twin',
      folderPath: '/Amsterdam/vm/Old',
    });
    const input = windowsPlanInput(w, {
      machines: [
        { vm: w.windowsVms[0]! },
        { vm: 'db-01' },
        { vm: 'ams-hv-sql-01', recoveredName: 'sql-dr' },
        { vm: twin },
      ],
    });
    expect(check(w, input)).toEqual([
      'error machines[1].vm: db-01 is not a VM on site ams (vcsa-ams, hv-ams-01); check the name as vCenter or Hyper-V shows it',
      'warning machines[2].recoveredName: ams-hv-sql-01 is a Hyper-V VM: Hyper-V Replica recovers it under its own name; recoveredName is not used',
      `error machines[3].vm: 2 VMs are named ${twin} on site ams (/Amsterdam/vm/Production/Windows, /Amsterdam/vm/Old); rename one in vCenter so the plan names one machine`,
    ]);
  });

  it('a machine protected by another plan, a VM without disks, a re-IP NIC that does not exist', () => {
    const w = planWorld();
    const [a, b, c] = w.windowsVms as [string, string, string];
    w.primary.vms.find((v) => v.name === b)!.disks = [];
    const input = windowsPlanInput(w, {
      machines: [{ vm: a }, { vm: b }, { vm: c, reip: { nic: 1, address: '10.20.0.11/24' } }],
    });
    expect(check(w, input, { pairs: [pairFor(w, a, { planId: 'plan-other' })] })).toEqual([
      `error machines[0].vm: ${a} is already protected by plan other; a machine belongs to one plan`,
      `error machines[1].vm: ${b} has no virtual disk: there is nothing to replicate`,
      `error machines[2].reip.nic: ${c} has 1 NIC: nic 1 does not exist (the first NIC is 0)`,
    ]);
  });

  it('a template, an orphaned VM and a disconnected VM are named for what they are', () => {
    const w = planWorld();
    const [a, b, c] = w.windowsVms as [string, string, string];
    w.primary.vms.find((v) => v.name === a)!.template = true;
    w.primary.vms.find((v) => v.name === b)!.connectionState = 'orphaned';
    w.primary.vms.find((v) => v.name === c)!.connectionState = 'disconnected';
    const input = windowsPlanInput(w, { machines: [{ vm: a }, { vm: b }, { vm: c }] });
    expect(check(w, input)).toEqual([
      `error machines[0].vm: ${a} is a template: it never runs, so there is nothing to fail over; protect the VMs deployed from it, or convert it to a VM in vCenter first`,
      `error machines[1].vm: ${b} is orphaned in vCenter (its files or host are gone): its disks cannot be read; re-register or remove it in vCenter`,
      `warning machines[2].vm: ${c} is disconnected (vCenter has lost its host): readiness and protect cannot act on it until the host reconnects`,
    ]);
  });

  it('networks: a source network without mapping, a mapping to a missing network, the test network', () => {
    const w = planWorld();
    const base = windowsPlanInput(w);
    const input = {
      ...base,
      target: {
        ...base.target,
        networks: { 'VM Network': 'VM Network', 'dvPG-Prod-110': 'DR Network', Lab: 'VM Network' },
        testNetwork: 'VM Network',
      },
    };
    const used = w.primary.vms.find((v) => v.name === w.windowsVms[2])!;
    used.nics[0]!.network = w.primary.networks.find((n) => n.name === 'dvPG-App-120')!.id;
    expect(check(w, input)).toEqual([
      `error target.networks: source network "dvPG-App-120" (used by machines[2] ${used.name}) has no mapping; add "dvPG-App-120": <network on rtm>`,
      'warning target.networks.Lab: "Lab" is not a network on site ams; the mapping is unused',
      'error target.networks.dvPG-Prod-110: DR Network is not a network on site rtm',
      'warning target.testNetwork: VM Network is also a production mapping: a test failover would not be isolated',
    ]);
    expect(check(w, { ...base, target: { ...base.target, testNetwork: 'DR-Test' } })).toEqual([
      'error target.testNetwork: DR-Test is not a network on site rtm',
    ]);
  });

  it('master target: wrong OS family, gone from the target site, too few free slots', () => {
    const w = planWorld();
    const input = windowsPlanInput(w, {
      machines: [{ vm: w.windowsVms[0]! }, { vm: w.linuxVms[0]! }],
    });
    const vm = w.primary.vms.find((v) => v.name === w.linuxVms[0])!;
    expect(check(w, input)).toEqual([
      `error target.masterTarget: rtm-mt-win-01 is a windows master target; machines[1] ${vm.name} (${vm.guestOs}) needs a linux master target: split the plan by OS family`,
    ]);
    w.secondary.vms = w.secondary.vms.filter((v) => v.name !== 'rtm-mt-win-01');
    const full = { ...w.mtWin, slotsUsed: 60, slotsFree: 0 };
    const disks = w.primary.vms
      .filter((v) => w.windowsVms.slice(0, 3).includes(v.name))
      .reduce((n, v) => n + v.disks.length, 0);
    expect(check(w, windowsPlanInput(w), { masterTarget: full })).toEqual([
      `warning target.masterTarget: rtm-mt-win-01 has 0 free SCSI slots; the machines not yet protected have ${disks} disks: protect will fail until slots are freed or another master target is used`,
      'error target.masterTarget: rtm-mt-win-01 (VM rtm-mt-win-01) is not a VM on site rtm any more',
    ]);
  });

  it('placement: unknown cluster, host and datastore; an inaccessible or too small datastore; a folder no VM is in', () => {
    const w = planWorld();
    const base = windowsPlanInput(w);
    const at = (placement: unknown) => check(w, { ...base, target: { ...base.target, placement } as never });
    expect(at({ cluster: 'C0', datastore: 'LocalDS_0' })).toEqual([
      'error target.placement.cluster: C0 is not a cluster on site rtm (clusters: DR)',
      'error target.placement.datastore: LocalDS_0 is not a datastore on site rtm (datastores: rtm-vsan-01, rtm-retention-01)',
    ]);
    expect(at({ host: 'esx-nowhere', datastore: 'rtm-vsan-01' })).toEqual([
      'error target.placement.host: esx-nowhere is not a host on site rtm',
    ]);
    expect(at({ host: 'esx-rtm-dr-01', datastore: 'rtm-vsan-01', folder: '/Siteshift' })).toEqual([]);
    expect(at({ cluster: 'DR', datastore: 'rtm-vsan-01', folder: '/Recovered' })).toEqual([
      'warning target.placement.folder: no VM on site rtm is in folder /Recovered (the inventory lists folders that hold VMs); create it in vCenter before a failover',
    ]);
    const ds = w.secondary.datastores.find((d) => d.name === 'rtm-vsan-01')!;
    ds.freeBytes = 10 * GiB;
    const need = w.primary.vms
      .filter((v) => w.windowsVms.slice(0, 3).includes(v.name))
      .flatMap((v) => v.disks)
      .reduce((n, d) => n + d.capacityBytes, 0);
    expect(at({ cluster: 'DR', datastore: 'rtm-vsan-01' })).toEqual([
      `error target.placement.datastore: rtm-vsan-01 has 10 GiB free; the replica disks of the machines not yet protected need ${formatBytes(need)}: choose a larger datastore or free space`,
    ]);
    // Machines already protected have their replica disks: only the others count.
    expect(
      check(w, base, { pairs: w.windowsVms.slice(0, 3).map((vm) => pairFor(w, vm)), planId: 'plan-1' }),
    ).toEqual([]);
    ds.accessible = false;
    expect(at({ cluster: 'DR', datastore: 'rtm-vsan-01' })).toEqual([
      'error target.placement.datastore: rtm-vsan-01 is not accessible on site rtm',
    ]);
  });

  it('a recovered name that already exists on the target is a warning', () => {
    const w = planWorld();
    w.secondary.vms.push({ ...w.secondary.vms[0]!, id: 'vm-x', name: 'app-dr' });
    const input = windowsPlanInput(w, { machines: [{ vm: w.windowsVms[0]!, recoveredName: 'app-dr' }] });
    expect(check(w, input)).toEqual([
      'warning machines[0].recoveredName: a VM named app-dr already exists on site rtm; a failover would collide with it (give recoveredName)',
    ]);
  });

  it('an endpoint that cannot be read leaves its names unchecked, with one warning', () => {
    const w = planWorld();
    const down: SiteEstate = {
      ...w.source,
      endpoints: w.source.endpoints.map((e) =>
        e.endpoint.name === 'vcsa-ams'
          ? { ...e, status: 'unreachable', message: 'connect ECONNREFUSED', inventory: null }
          : e,
      ),
    };
    const input = windowsPlanInput(w, { machines: [{ vm: 'db-01' }] });
    expect(check(w, input, { source: down })).toEqual([
      'warning source.site: could not read vcsa-ams (unreachable: connect ECONNREFUSED); what it holds was not checked',
    ]);
    expect(check(w, input, { target: { ...w.target, endpoints: [] } })).toEqual([
      'warning target.site: site rtm has no endpoint: its VMs, networks and datastores were not checked; add one with siteshift endpoint add',
      'error machines[0].vm: db-01 is not a VM on site ams (vcsa-ams, hv-ams-01); check the name as vCenter or Hyper-V shows it',
    ]);
  });
});

describe('plan issues in Dutch', () => {
  afterEach(() => useLocale.setState({ locale: 'en' }));

  it('a Dutch console words each issue; names stay as sent', () => {
    const w = planWorld();
    const found = issues(
      w,
      windowsPlanInput(w, {
        machines: [{ vm: 'no-such-vm' }],
        target: {
          ...windowsPlanInput(w).target,
          placement: { cluster: 'nowhere', datastore: 'ds-missing' },
        },
      }),
    );
    useLocale.setState({ locale: 'nl' });
    const nl = found.map((i) => tServer(i.message, i.messageWords));
    expect(nl).toContainEqual(
      expect.stringMatching(/^no-such-vm is geen VM op locatie ams \(.+\); controleer de naam/),
    );
    expect(nl).toContainEqual(
      expect.stringMatching(/^nowhere is geen cluster op locatie rtm \(clusters: .+\)$/),
    );
    expect(nl).toContainEqual(expect.stringMatching(/^ds-missing is geen datastore op locatie rtm/));
    for (const [i, issue] of found.entries()) expect(nl[i], issue.message).not.toBe(issue.message);
  });
});
