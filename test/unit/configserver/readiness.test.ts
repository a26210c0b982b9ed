import { afterEach, describe, expect, it } from 'vitest';
import { tServer, useLocale } from '../../../renderer/src/i18n';
import type { SiteEstate } from '../../../server/estate';
import { evaluateReadiness, type ReadinessInput } from '../../../server/readiness';
import type { Pair, PlanSpecInput, ReadinessKind } from '../../../shared/configserver';
import { checkWordsEn } from '../../../shared/i18n/check-words';
import { listWordsEn } from '../../../shared/i18n/list-words';
import type { Worded } from '../../../shared/i18n/worded';
import { pairFor, planWorld, storedPlan, windowsPlanInput } from '../../support/plans';
import { englishOf } from '../../support/words';

const now = new Date('2026-11-29T12:00:00Z');

function run(
  w: ReturnType<typeof planWorld>,
  kind: ReadinessKind,
  options: {
    input?: PlanSpecInput;
    pairs?: Pair[];
    over?: Partial<ReadinessInput>;
    mtId?: string | null;
  } = {},
) {
  const plan = storedPlan(
    w,
    options.input ?? windowsPlanInput(w),
    options.mtId === undefined ? w.mtWin.id : options.mtId,
  );
  return expectWorded(
    evaluateReadiness({
      kind,
      plan,
      now,
      source: w.source,
      target: w.target,
      masterTargets: [w.mtWin, w.mtLnx],
      pairs: options.pairs ?? [],
      ...options.over,
    }),
  );
}

/**
 * Every check carries the words of its title, finding and fix, and the English texts are exactly
 * what those words say; only a list of several findings (already English) and the test network's
 * name, a value, go without.
 */
const _book = { ...checkWordsEn, ...listWordsEn };
function expectWorded<R extends ReturnType<typeof evaluateReadiness>>(report: R): R {
  const said = (text: string, words: Worded | undefined) => {
    expect(words, text).toBeDefined();
    expect(englishOf(words!)).toBe(text);
  };
  for (const c of report.checks) {
    said(c.title, c.titleWords);
    if (c.messageWords || !(c.id === 'networks.test' && c.status === 'pass')) said(c.message, c.messageWords);
    if (c.fix !== null) said(c.fix, c.fixWords);
  }
  return report;
}

/** `status id: message` of every check that did not pass, and the fix of the first. */
const problems = (r: ReturnType<typeof run>) =>
  r.checks.filter((c) => c.status !== 'pass').map((c) => `${c.status} ${c.id}: ${c.message}`);
const byId = (r: ReturnType<typeof run>, id: string) => r.checks.filter((c) => c.id === id);

const protectedPairs = (w: ReturnType<typeof planWorld>, over: Partial<Pair> = {}) =>
  w.windowsVms.slice(0, 3).map((vm) => pairFor(w, vm, over));

function unreachable(
  site: SiteEstate,
  name: string,
  status: 'unreachable' | 'invalid-login' | 'identity-changed',
) {
  return {
    ...site,
    endpoints: site.endpoints.map((e) =>
      e.endpoint.name === name ? { ...e, status, message: 'refused', inventory: null } : e,
    ),
  };
}

describe('readiness', () => {
  it('a good plan is ready to protect, and each check says what it looked at', () => {
    const w = planWorld();
    const r = run(w, 'protect');
    expect(problems(r)).toEqual([]);
    expect(r.ready).toBe(true);
    expect(r.counts.fail).toBe(0);
    expect(r.checks.map((c) => c.id)).toEqual([
      'plan.machines',
      'endpoint',
      'endpoint',
      'endpoint',
      'machines.exist',
      'pairs.state',
      'master-target.os',
      'master-target.exists',
      'master-target.slots',
      'datastore.space',
      'networks.mapped',
    ]);
    expect(r.checks.every((c) => c.status !== 'pass' || c.fix === null)).toBe(true);
  });

  it('an empty plan without placement or master target fails, each with its fix', () => {
    const w = planWorld();
    const base = windowsPlanInput(w);
    const r = run(w, 'protect', {
      input: { ...base, machines: [], target: { site: 'rtm', networks: {} } },
      mtId: null,
    });
    expect(r.ready).toBe(false);
    expect(problems(r)).toEqual([
      'fail plan.machines: the plan has no machines',
      'fail plan.placement: the plan has no target.placement: no datastore for replica disks, no cluster or host for recovered VMs',
      'fail master-target.exists: the plan names no master target',
    ]);
    expect(byId(r, 'plan.placement')[0]!.fix).toBe(
      'set target.placement { cluster or host, datastore } in the plan file and apply it',
    );
  });

  it('endpoints: the source matters for protect and planned, not for unplanned; each failure has its fix', () => {
    const w = planWorld();
    const down = unreachable(w.source, 'vcsa-ams', 'unreachable');
    const protect = run(w, 'protect', { over: { source: down } });
    expect(problems(protect)).toEqual([
      'fail endpoint: vcsa-ams: unreachable: refused (protect reads the source VMs and their disks)',
      'fail machines.exist: no vCenter of site ams could be read',
    ]);
    expect(byId(protect, 'endpoint')[0]!.fix).toMatch(
      /^check the network path from the configuration server to vcsa-ams/,
    );
    const unplanned = run(w, 'unplanned', { over: { source: down }, pairs: protectedPairs(w) });
    expect(unplanned.ready).toBe(true);
    expect(problems(unplanned)).toEqual([
      'warn endpoint: vcsa-ams: unreachable: refused (an unplanned failover does not need it (a reachable source risks a split brain))',
    ]);
    const login = run(w, 'test', {
      over: { target: unreachable(w.target, 'vcsa-rtm', 'invalid-login') },
      pairs: protectedPairs(w),
    });
    expect(byId(login, 'endpoint').find((c) => c.status === 'fail')!.fix).toMatch(
      /^the stored account was refused/,
    );
    const changed = run(w, 'planned', {
      over: { source: unreachable(w.source, 'hv-ams-01', 'identity-changed') },
      pairs: protectedPairs(w),
    });
    expect(byId(changed, 'endpoint').find((c) => c.status === 'fail')!.fix).toMatch(
      /presents another certificate or host key/,
    );
    const none = run(w, 'protect', { over: { target: { ...w.target, endpoints: [] } } });
    expect(problems(none)[0]).toBe(
      'fail endpoint: site rtm has no endpoint (the recovered VMs and the master target are there)',
    );
  });

  it('protect: unknown machines, machines of another plan, pairs in error', () => {
    const w = planWorld();
    const [a, b, c] = w.windowsVms as [string, string, string];
    const r = run(w, 'protect', {
      input: windowsPlanInput(w, { machines: [{ vm: a }, { vm: b }, { vm: c }, { vm: 'ghost' }] }),
      pairs: [pairFor(w, a, { planId: 'plan-other' }), pairFor(w, b, { state: 'error' })],
    });
    expect(problems(r)).toEqual([
      'fail machines.exist: not found on site ams: ghost',
      `fail pairs.state: already protected by another plan: ${a}`,
      `warn pairs.state: in an error state: ${b}`,
    ]);
  });

  it('failovers need every machine paired, in a state the pair state machine allows', () => {
    const w = planWorld();
    const [a, b, c] = w.windowsVms as [string, string, string];
    const pairs = [pairFor(w, a), pairFor(w, b, { state: 'resync-required' })];
    expect(problems(run(w, 'planned', { pairs }))).toEqual([
      `fail pairs.exist: not protected by this plan: ${c}`,
      `fail pairs.state: ${b} needs a resync; each must be protected (a planned failover ends with a final sync)`,
    ]);
    const all = [...pairs, pairFor(w, c)];
    expect(run(w, 'unplanned', { pairs: all }).ready).toBe(true);
    expect(problems(run(w, 'test', { pairs: all }))).toEqual([
      `fail pairs.state: ${b} needs a resync; each must be in the forward direction, in a state a test failover can start from`,
    ]);
    const running = all.map((p) => ({ ...p, state: 'failover-pending' as const }));
    expect(problems(run(w, 'unplanned', { pairs: running }))[0]).toMatch(
      /has a failover pending; each must be in the forward direction, in a state an unplanned failover can start from$/,
    );
    // A Dutch console words the pair's state with its machine, not the state machine's token.
    const blocked = byId(
      run(w, 'test', { pairs: [pairFor(w, a, { state: 'initial-replication' })] }),
      'pairs.state',
    );
    expect(blocked[0]!.message).toBe(
      `${a} is in initial replication; each must be in the forward direction, in a state a test failover can start from`,
    );
    useLocale.setState({ locale: 'nl' });
    expect(tServer(blocked[0]!.message, blocked[0]!.messageWords)).toBe(
      `${a} zit in de eerste replicatie; elk moet in de voorwaartse richting staan, in een toestand waaruit een testfailover kan starten`,
    );
    useLocale.setState({ locale: 'en' });
  });

  it('master target: powered off, gone, registered with the wrong OS, the wrong family for the machines', () => {
    const w = planWorld();
    const mtVm = w.secondary.vms.find((v) => v.name === 'rtm-mt-win-01')!;
    mtVm.powerState = 'poweredOff';
    expect(problems(run(w, 'protect'))).toEqual(['fail master-target.exists: rtm-mt-win-01 is poweredOff']);
    mtVm.powerState = 'poweredOn';
    mtVm.guestOs = 'rhel9_64Guest';
    expect(problems(run(w, 'protect'))).toEqual([
      'fail master-target.exists: rtm-mt-win-01 is registered as windows but rtm-mt-win-01 runs rhel9_64Guest',
    ]);
    w.secondary.vms = w.secondary.vms.filter((v) => v !== mtVm);
    expect(problems(run(w, 'protect'))).toEqual([
      'fail master-target.exists: VM rtm-mt-win-01 is not on site rtm',
    ]);
    const w2 = planWorld();
    const linux = w2.linuxVms[0]!;
    const r = run(w2, 'protect', { input: windowsPlanInput(w2, { machines: [{ vm: linux }] }) });
    expect(problems(r)).toEqual([`fail master-target.os: rtm-mt-win-01 is windows; ${linux} is not`]);
    expect(byId(r, 'master-target.os')[0]!.fix).toMatch(/^split the plan by OS family/);
  });

  it('SCSI slots: one free slot per disk to protect (60 usable)', () => {
    const w = planWorld();
    const disks = w.primary.vms
      .filter((v) => w.windowsVms.slice(0, 3).includes(v.name))
      .reduce((n, v) => n + v.disks.length, 0);
    const nearlyFull = { ...w.mtWin, slotsUsed: 61 - disks, slotsFree: disks - 1 };
    expect(problems(run(w, 'protect', { over: { masterTargets: [nearlyFull] } }))).toEqual([
      `fail master-target.slots: ${disks} disks to attach, ${disks - 1} free slots on rtm-mt-win-01 (4 controllers × 15 units, unit 7 reserved)`,
    ]);
    const exact = { ...w.mtWin, slotsUsed: 60 - disks, slotsFree: disks };
    expect(run(w, 'protect', { over: { masterTargets: [exact] } }).ready).toBe(true);
  });

  it('datastore: too small to protect fails, to test warns; inaccessible fails; unknown cluster fails', () => {
    const w = planWorld();
    const ds = w.secondary.datastores.find((d) => d.name === 'rtm-vsan-01')!;
    ds.freeBytes = 1024 ** 3;
    expect(problems(run(w, 'protect'))[0]).toMatch(
      /^fail datastore\.space: replica disks need [\d.]+ TiB; rtm-vsan-01 has 1\.0 GiB free$/,
    );
    expect(problems(run(w, 'test', { pairs: protectedPairs(w) }))[0]).toMatch(
      /^warn datastore\.space: the test copies may grow to/,
    );
    ds.accessible = false;
    expect(problems(run(w, 'planned', { pairs: protectedPairs(w) }))).toEqual([
      'fail datastore.space: rtm-vsan-01 is not accessible',
    ]);
    ds.accessible = true;
    ds.freeBytes = 1024 ** 5;
    const base = windowsPlanInput(w);
    const input = {
      ...base,
      target: { ...base.target, placement: { cluster: 'C0', datastore: 'rtm-vsan-01' } },
    };
    expect(problems(run(w, 'planned', { input, pairs: protectedPairs(w) }))).toEqual([
      'fail placement.compute: C0 is not a cluster on site rtm',
    ]);
  });

  it('networks: unmapped or missing on the target fails; test needs an isolated test network', () => {
    const w = planWorld();
    const base = windowsPlanInput(w);
    const withNets = (networks: Record<string, string>, testNetwork?: string) => ({
      ...base,
      target: { ...base.target, networks, testNetwork },
    });
    expect(problems(run(w, 'protect', { input: withNets({ 'VM Network': 'Nowhere' }) }))).toEqual([
      'fail networks.mapped: no mapping for "dvPG-Prod-110"; mapped to networks missing on rtm: "VM Network" → "Nowhere"',
    ]);
    const nets = { 'VM Network': 'VM Network', 'dvPG-Prod-110': 'dvPG-DR-210' };
    const pairs = protectedPairs(w);
    expect(problems(run(w, 'test', { input: withNets(nets), pairs }))).toEqual([
      'fail networks.test: the plan has no target.testNetwork',
    ]);
    expect(problems(run(w, 'test', { input: withNets(nets, 'dvPG-DR-210'), pairs }))).toEqual([
      'fail networks.test: dvPG-DR-210 is also a production network of the plan: test VMs would meet production',
    ]);
    expect(problems(run(w, 'test', { input: withNets(nets, 'Bubble'), pairs }))).toEqual([
      'fail networks.test: Bubble is not a network on rtm',
    ]);
  });

  it('re-IP: a NIC the VM does not have fails; Windows guests warn (no Sysprep on a recovered server)', () => {
    const w = planWorld();
    const base = windowsPlanInput(w);
    const pairs = protectedPairs(w);
    const withReip = (nic: number) => ({
      ...base,
      machines: (base.machines ?? []).map((m, i) =>
        i === 0 ? { ...m, reip: { nic, address: '10.20.0.11/24', gateway: '10.20.0.1' } } : m,
      ),
    });
    expect(byId(run(w, 'planned', { input: base, pairs }), 'reip.guest')).toEqual([]);
    const warned = byId(run(w, 'planned', { input: withReip(0), pairs }), 'reip.guest');
    expect(warned.map((c) => c.status)).toEqual(['warn']);
    expect(warned[0]!.message).toContain(
      `${w.windowsVms[0]}: Windows guests are re-addressed by Sysprep: a new SID`,
    );
    expect(warned[0]!.fix).toMatch(/join them to their domain again in the guest/);
    const noNic = byId(run(w, 'test', { input: withReip(9), pairs }), 'reip.nic');
    expect(noNic.map((c) => c.status)).toEqual(['fail']);
    expect(noNic[0]!.message).toMatch(/machines\[0\]\.reip\.nic is 9 but .* has \d NICs?/);
    // Protect does not re-address anything: no re-IP check.
    expect(byId(run(w, 'protect', { input: withReip(9) }), 'reip.nic')).toEqual([]);
  });

  it('agent heartbeats: stale fails a planned failover, warns otherwise', () => {
    const w = planWorld();
    const pairs = protectedPairs(w);
    pairs[1] = { ...pairs[1]!, lastHeartbeatAt: '2026-11-29T11:40:00.000Z' };
    const message = `no heartbeat for 15 minutes or more: ${w.windowsVms[1]}`;
    expect(problems(run(w, 'planned', { pairs }))).toEqual([`fail agents.heartbeat: ${message}`]);
    expect(problems(run(w, 'unplanned', { pairs }))).toEqual([`warn agents.heartbeat: ${message}`]);
    expect(problems(run(w, 'test', { pairs }))).toEqual([`warn agents.heartbeat: ${message}`]);
  });

  it('test and unplanned failover need a recovery point per pair; one older than the RPO warns', () => {
    const w = planWorld();
    const pairs = protectedPairs(w);
    const point = (id: string, at: string) => ({
      id: `rp-${id}`,
      pairId: id,
      at,
      tag: null,
      consistency: 'crash' as const,
    });
    const points = new Map(pairs.map((p) => [p.id, point(p.id, '2026-11-29T11:58:00.000Z')]));
    expect(
      byId(run(w, 'unplanned', { pairs, over: { latestPoints: points } }), 'recovery-points')[0]!.status,
    ).toBe('pass');
    const missing = new Map(points);
    missing.set(pairs[0]!.id, null as never);
    expect(problems(run(w, 'test', { pairs, over: { latestPoints: missing } }))).toEqual([
      `fail recovery-points: no recovery point yet: ${w.windowsVms[0]}`,
    ]);
    const stale = new Map(points);
    stale.set(pairs[2]!.id, point(pairs[2]!.id, '2026-11-29T11:00:00.000Z'));
    expect(problems(run(w, 'unplanned', { pairs, over: { latestPoints: stale } }))).toEqual([
      `warn recovery-points: latest recovery point older than the RPO threshold: ${w.windowsVms[2]} (60 min, RPO 15 min)`,
    ]);
    expect(byId(run(w, 'planned', { pairs, over: { latestPoints: stale } }), 'recovery-points')).toEqual([]);
  });

  it('a recovered name taken on the target fails a failover, warns a test', () => {
    const w = planWorld();
    w.secondary.vms.push({ ...w.secondary.vms[0]!, id: 'vm-old', name: w.windowsVms[0]! });
    const pairs = protectedPairs(w);
    const message = `VMs already named ${w.windowsVms[0]} exist on rtm`;
    expect(problems(run(w, 'planned', { pairs }))).toEqual([`fail names.collision: ${message}`]);
    expect(problems(run(w, 'test', { pairs }))).toEqual([`warn names.collision: ${message}`]);
  });

  it('failback: committed pairs, a master target of the right family on the original site, networks that map back', () => {
    const w = planWorld();
    const committed = protectedPairs(w, { state: 'committed' });
    const r = run(w, 'failback', { pairs: committed });
    expect(problems(r)).toEqual([
      'fail master-target.exists: failback needs a windows master target on the original site ams; it has none',
      'warn networks.failback: "dvPG-DR-210" came from "dvPG-Prod-110" and "dvPG-App-120"',
    ]);
    const back = {
      ...w.mtWin,
      id: 'mt-ams',
      siteId: 's-ams',
      name: 'ams-mt-win',
      vmName: w.windowsVms[5]!,
      vmId: 'x',
    };
    const ok = run(w, 'failback', { pairs: committed, over: { masterTargets: [w.mtWin, back] } });
    expect(problems(ok)).toEqual([
      'warn networks.failback: "dvPG-DR-210" came from "dvPG-Prod-110" and "dvPG-App-120"',
    ]);
    expect(byId(ok, 'master-target.slots')[0]!.status).toBe('pass');
    expect(
      problems(
        run(w, 'failback', {
          pairs: protectedPairs(w, { state: 'failover-pending' }),
          over: { masterTargets: [w.mtWin, back] },
        }),
      ),
    ).toContain(
      `fail pairs.state: ${w.windowsVms
        .slice(0, 3)
        .map((vm) => `${vm} has a failover pending`)
        .join(', ')}; each must have failed over (commit the failover first), or be on the way back`,
    );
    // A committed failover (the commit job leaves pairs 'failed-over') may fail back.
    expect(
      run(w, 'failback', {
        pairs: protectedPairs(w, { state: 'failed-over' }),
        over: { masterTargets: [w.mtWin, back] },
      }).ready,
    ).toBe(true);
  });
});

describe('readiness of Hyper-V machines (Hyper-V Replica)', () => {
  const setup = () => {
    const w = planWorld();
    const vm = w.estate.hypervPrimary.vms.find((v) => v.replication?.mode === 'Primary')!;
    const target: SiteEstate = {
      ...w.target,
      endpoints: [
        ...w.target.endpoints,
        {
          endpoint: {
            id: 'ep-hv-rtm-01',
            name: 'hv-rtm-01',
            target: { kind: 'hyperv', host: 'hv-rtm-01', port: 22, username: 'u' },
          },
          status: 'ok',
          message: '',
          inventory: w.estate.hypervReplica,
        },
      ],
    };
    const input: PlanSpecInput = {
      name: 'hv',
      source: { site: 'ams' },
      target: { site: 'rtm' },
      machines: [{ vm: vm.name }],
    };
    const pair: Pair = {
      ...pairFor(w, w.windowsVms[0]!),
      id: 'pair-hv',
      sourceVmId: vm.id,
      sourceVmName: vm.name,
      masterTargetId: null,
      processServerId: null,
      platform: 'hyperv',
      lastHeartbeatAt: null,
    };
    return { w, vm, target, input, pair };
  };

  it('needs no master target, placement, network mapping or agent; the replica server is checked', () => {
    const { w, target, input } = setup();
    const protect = run(w, 'protect', { input, mtId: null, over: { target } });
    expect(problems(protect)).toEqual([]);
    expect(byId(protect, 'master-target.exists')).toEqual([]);
    expect(byId(protect, 'hyperv.replica-server')[0]).toMatchObject({ status: 'pass' });
    // Without a Hyper-V host read on the target site, protect cannot start.
    const none = run(w, 'protect', { input, mtId: null });
    expect(byId(none, 'hyperv.replica-server')[0]).toMatchObject({ status: 'fail' });
    expect(none.ready).toBe(false);
  });

  it('a test failover needs a replica in a state Hyper-V fails over from, not a heartbeat or a stored point', () => {
    const { w, vm, target, input, pair } = setup();
    const at = new Date(Date.parse(vm.replication!.lastReplicationTime!) + 60_000);
    const ok = evaluateReadiness({
      kind: 'test',
      plan: storedPlan(w, input, null),
      now: at,
      source: w.source,
      target,
      masterTargets: [],
      pairs: [pair],
      latestPoints: new Map([[pair.id, null]]),
    });
    expect(problems(ok)).toEqual([]);
    expect(byId(ok, 'hyperv.replication')[0]).toMatchObject({ status: 'pass' });
    // The replica resynchronising: Hyper-V refuses a test failover then.
    const replica = w.estate.hypervReplica.vms.find((v) => v.id === vm.id)!;
    replica.replication = { ...replica.replication!, state: 'Resynchronizing' };
    const bad = evaluateReadiness({
      kind: 'test',
      plan: storedPlan(w, input, null),
      now: at,
      source: w.source,
      target,
      masterTargets: [],
      pairs: [pair],
    });
    expect(problems(bad)).toEqual([`fail hyperv.replication: ${vm.name}: the replica is Resynchronizing`]);
  });
});

describe('readiness in Dutch', () => {
  afterEach(() => useLocale.setState({ locale: 'en' }));

  it('a Dutch console words each check by its words, names and the endpoint’s answer as sent', () => {
    const w = planWorld();
    const r = run(w, 'protect', {
      input: { ...windowsPlanInput(w), machines: [], target: { site: 'rtm', networks: {} } },
      mtId: null,
      over: { source: unreachable(w.source, 'vcsa-ams', 'unreachable') },
    });
    useLocale.setState({ locale: 'nl' });
    const nl = r.checks.map((c) => ({
      title: tServer(c.title, c.titleWords),
      message: tServer(c.message, c.messageWords),
      fix: c.fix === null ? null : tServer(c.fix, c.fixWords),
    }));
    expect(nl[0]).toEqual({
      title: 'Plan heeft machines',
      message: 'het plan heeft geen machines',
      fix: 'voeg machines toe aan het planbestand en pas het toe',
    });
    expect(nl).toContainEqual({
      title: 'Eindpunt vcsa-ams bereikbaar, aanmeldgegevens geldig',
      message: 'vcsa-ams: onbereikbaar: refused (beveiligen leest de bron-VM’s en hun schijven)',
      fix: 'controleer het netwerkpad van de configuratieserver naar vcsa-ams en of de dienst draait; voer daarna de controles opnieuw uit',
    });
    expect(nl).toContainEqual({
      title: 'Master target',
      message: 'het plan noemt geen master target',
      fix: 'zet target.masterTarget op een master target van rtm (siteshift master-target list) en pas het plan toe',
    });
    // No English title is left once the console is Dutch ("Master target" is the DR term in both).
    for (const [i, c] of r.checks.entries())
      if (c.titleWords?.key !== 'check.title.masterTarget') expect(nl[i]!.title, c.title).not.toBe(c.title);
  });

  it('words a list longer than ten and several findings in one sentence', () => {
    const w = planWorld();
    const machines = [...w.windowsVms, ...w.linuxVms].slice(0, 13).map((vm) => ({ vm, bootGroup: 1 }));
    const r = run(w, 'test', { input: windowsPlanInput(w, { machines }) });
    const unpaired = byId(r, 'pairs.exist')[0]!;
    expect(unpaired.message).toMatch(/^not protected by this plan: (\S+, ){9}\S+ and \d+ more$/);
    useLocale.setState({ locale: 'nl' });
    expect(tServer(unpaired.message, unpaired.messageWords)).toMatch(
      /^niet beveiligd door dit plan: (\S+, ){9}\S+ en nog \d+$/,
    );
    // Two networks mapped to one: on the way back each is named, joined in the console's words.
    const back = run(w, 'failback', {
      input: windowsPlanInput(w, {
        target: { ...windowsPlanInput(w).target, networks: { a: 'x', b: 'x', c: 'y', d: 'y' } },
      }),
      pairs: protectedPairs(w, { state: 'failed-over', direction: 'forward' }),
    });
    const ambiguous = byId(back, 'networks.failback')[0]!;
    expect(ambiguous.message).toBe('"x" came from "a" and "b"; "y" came from "c" and "d"');
    expect(tServer(ambiguous.message, ambiguous.messageWords)).toBe(
      '"x" kwam van "a" en "b"; "y" kwam van "c" en "d"',
    );
    // vSphere's power state in the console's words.
    const mtVm = w.secondary.vms.find((v) => v.name === 'rtm-mt-win-01')!;
    mtVm.powerState = 'poweredOff';
    const off = byId(run(w, 'protect'), 'master-target.exists').find((c) => c.status === 'fail')!;
    expect(tServer(off.message, off.messageWords)).toBe('rtm-mt-win-01 is uitgeschakeld');
    expect(tServer(off.fix!, off.fixWords)).toBe('zet rtm-mt-win-01 aan');
    mtVm.powerState = 'poweredOn';
    // Sizes with the console's decimal mark.
    const space = byId(run(w, 'protect'), 'datastore.space')[0]!;
    expect(space.message).toMatch(/^replica disks need [\d.]+ [GT]iB; \d+\.\d TiB free$/);
    expect(tServer(space.message, space.messageWords)).toMatch(
      /^replicaschijven hebben [\d,]+ [GT]iB nodig; \d+,\d TiB vrij$/,
    );
  });
});
