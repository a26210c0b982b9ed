import type { HypervOperations } from '../core/hyperv/operations';
import {
  canTransition,
  failbackStage,
  heartbeatMissed,
  type MasterTarget,
  type Pair,
  type PairState,
  type Plan,
  type ReadinessCheck,
  type ReadinessKind,
  type ReadinessReport,
  type ReadinessStatus,
  type RecoveryPoint,
  spillOrder,
} from '../shared/configserver';
import { checkWordsEn } from '../shared/i18n/check-words';
import { asSent, joined, sizeSaid, upTo } from '../shared/i18n/list-words';
import { pairIsSaid } from '../shared/i18n/pair-state-words';
import { sayer, type Text } from '../shared/i18n/worded';
import type { HypervInventory } from '../shared/schemas/inventory';
import {
  diskBytes,
  type EndpointRead,
  type EstateDeps,
  endpointStatusSaid,
  hypervInventories,
  osFamilyOf,
  powerSaid,
  readSite,
  type SiteEstate,
  sameHostName,
  vsphereInventories,
} from './estate';
import { newDiskBytes, newDisks, platformOf, type ResolvedMachine, resolveMachines } from './plan-check';
import { openEndpointSession } from './sessions';

/**
 * Readiness checks before protect and before each failover kind: each check passes, warns or
 * fails, and says what to do about it. `evaluateReadiness` is pure over the sites' inventories
 * and the store's state; `checkReadiness` reads them and evaluates. A workflow runs only when
 * `report.ready` (no check failed).
 *
 * Usage from a workflow:
 *   const report = await checkReadiness({ store, box, connectors }, planIdOrName, 'planned');
 *   if (!report.ready) refuse with the failed checks (report.checks.filter(c => c.status === 'fail')).
 */

export interface ReadinessInput {
  kind: ReadinessKind;
  plan: Plan;
  now: Date;
  source: SiteEstate;
  target: SiteEstate;
  /** Every registered master target (failback looks for one on the original site). */
  masterTargets: MasterTarget[];
  /** Pairs whose source is the plan's source site (any plan). */
  pairs: Pair[];
  /** What the Hyper-V hosts answered when asked (protect): see probeHyperv. */
  hypervProbe?: HypervProbe;
  /** Newest recovery point per pair of the plan (null: none yet); test and unplanned failover recover to one. */
  latestPoints?: ReadonlyMap<string, RecoveryPoint | null>;
  /** The plan's replica disk files looked for on their datastores (failovers): see findReplicaFiles. */
  replicaFiles?: ReplicaFiles;
}

/** Replica disk files of a plan's pairs looked for on the target datastores. */
export interface ReplicaFiles {
  checked: number;
  missing: Array<{ pairId: string; fileName: string }>;
  /** Endpoints that could not be asked, with why. */
  errors: string[];
}

type Check = Omit<ReadinessCheck, 'fix' | 'subject'> & { fix?: string | null; subject?: string | null };
type Said = Text;

/** A check's words: English text from the check word book, and the key a console words it by. */
const w = sayer(checkWordsEn);
/** Disks to attach and free slots, each in its own plural form. */
const slotCounts = (needed: number, free: number) => ({
  disks: w('check.mt.toAttach', { count: needed }),
  slots: w('check.mt.freeSlots', { count: free }),
});
const raw = asSent;
/** Findings joined by '; '. */
const joinSaid = (items: Said[]): Said => joined(items, 'then');
const upToTen = (items: ReadonlyArray<string | Said>): Said => upTo(items, 10);

const pass = (id: string, title: Said, message: Said, subject: string | null = null): Check => ({
  id,
  title: title.text,
  ...(title.words ? { titleWords: title.words } : {}),
  status: 'pass',
  message: message.text,
  ...(message.words ? { messageWords: message.words } : {}),
  subject,
});
const problem = (
  status: Exclude<ReadinessStatus, 'pass'>,
  id: string,
  title: Said,
  message: Said,
  fix: Said,
  subject: string | null = null,
): Check => ({
  ...pass(id, title, message, subject),
  status,
  fix: fix.text,
  ...(fix.words ? { fixWords: fix.words } : {}),
});

/** The state each kind's first move takes a pair to (shared/configserver/pair-state.ts decides). */
const firstMove: Record<Exclude<ReadinessKind, 'protect'>, PairState> = {
  test: 'test-failover-running',
  planned: 'failover-pending',
  unplanned: 'failover-pending',
  failback: 'reprotecting',
};

export function evaluateReadiness(input: ReadinessInput): ReadinessReport {
  const { kind, plan } = input;
  const checks: Check[] = [];
  const all = resolveMachines(plan, input);
  // Hyper-V machines replicate with Hyper-V Replica: the master target, the placement, the
  // network mappings and the agents are vSphere's; Hyper-V's own checks are hypervChecks.
  const machines = all.filter((r) => platformOf(r) !== 'hyperv');
  const hyperv = all.filter((r) => platformOf(r) === 'hyperv');
  const vsphere = machines.length > 0 || hyperv.length === 0;
  const failover = kind !== 'protect';
  // Failback lands on the original site: that is where its master target and endpoints matter most.
  const landing = kind === 'failback' ? input.source : input.target;

  // ------------------------------------------------ the plan itself
  if (plan.machines.length === 0)
    checks.push(
      problem(
        'fail',
        'plan.machines',
        w('check.title.planMachines'),
        w('check.plan.noMachines'),
        w('check.plan.noMachinesFix'),
      ),
    );
  else
    checks.push(
      pass(
        'plan.machines',
        w('check.title.planMachines'),
        w('check.plan.machines', { count: plan.machines.length }),
      ),
    );
  if (!plan.target.placement && vsphere)
    checks.push(
      problem(
        'fail',
        'plan.placement',
        w('check.title.placement'),
        w('check.plan.noPlacement'),
        w('check.plan.noPlacementFix'),
      ),
    );

  // ------------------------------------------------ endpoints
  const sourceNeeded = kind === 'protect' || kind === 'planned' || kind === 'failback';
  checks.push(...endpointChecks(input.source, sourceNeeded ? 'fail' : 'warn', kind));
  checks.push(...endpointChecks(input.target, 'fail', 'target'));

  // ------------------------------------------------ machines and pairs
  checks.push(...machineChecks(input, all));

  if (vsphere) {
    // ------------------------------------------------ master target
    checks.push(...masterTargetChecks(input, machines, landing));

    // ------------------------------------------------ datastore space
    checks.push(...datastoreChecks(input, machines));

    // ------------------------------------------------ networks
    checks.push(...networkChecks(input, machines));

    // ------------------------------------------------ re-IP
    if (failover && kind !== 'failback') checks.push(...reipChecks(input, machines));

    // ------------------------------------------------ replica disks
    checks.push(...replicaFileChecks(input));
  }

  // ------------------------------------------------ Hyper-V Replica
  checks.push(...hypervChecks(input, hyperv, landing));

  // ------------------------------------------------ agents and recovery points
  checks.push(...heartbeatChecks(input, machines));
  if (kind === 'test' || kind === 'unplanned') checks.push(...recoveryPointChecks(input, machines));

  // ------------------------------------------------ recovered names
  if (failover && kind !== 'failback') checks.push(...nameCollisionChecks(input));

  const full = checks.map((c) => ({ ...c, fix: c.fix ?? null, subject: c.subject ?? null }));
  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const c of full) counts[c.status]++;
  return {
    planId: plan.id,
    plan: plan.name,
    kind,
    ready: counts.fail === 0,
    checkedAt: input.now.toISOString(),
    counts,
    checks: full,
  };
}

/** Why an endpoint matters: each kind's reason for its source site, or the target site's. */
type EndpointWhy = ReadinessKind | 'target';

function endpointChecks(estate: SiteEstate, severity: 'fail' | 'warn', why: EndpointWhy): Check[] {
  const title = (e: EndpointRead) => w('check.title.endpoint', { name: e.endpoint.name });
  if (estate.endpoints.length === 0)
    return [
      problem(
        severity,
        'endpoint',
        w('check.title.siteEndpoint', { site: estate.site.name }),
        w(`check.endpoint.none.${why}`, { site: estate.site.name }),
        w('check.endpoint.noneFix', { site: estate.site.name }),
        estate.site.name,
      ),
    ];
  return estate.endpoints.map((e) => {
    const name = e.endpoint.name;
    if (e.status === 'ok') return pass('endpoint', title(e), w('check.endpoint.ok', { name }), name);
    const fix =
      e.status === 'unreachable'
        ? w('check.endpoint.fix.unreachable', { name })
        : e.status === 'invalid-login'
          ? w('check.endpoint.fix.invalidLogin')
          : e.status === 'identity-changed'
            ? w('check.endpoint.fix.identityChanged', { name })
            : w('check.endpoint.fix.other', { name });
    // The message is worded when the connector said it (cannot reach …), else what the endpoint answered, as sent.
    const error = { text: e.message, words: e.messageWords };
    return problem(
      severity,
      'endpoint',
      title(e),
      w(`check.endpoint.bad.${why}`, { name, status: endpointStatusSaid(e.status), error }),
      fix,
      name,
    );
  });
}

function machineChecks(input: ReadinessInput, machines: ResolvedMachine[]): Check[] {
  const { kind, plan } = input;
  const checks: Check[] = [];
  // A name not found may be on an endpoint that could not be read: then nothing is asserted.
  const unread = input.source.endpoints.filter((e) => e.status !== 'ok');
  const anyRead = vsphereInventories(input.source).length > 0 || hypervInventories(input.source).length > 0;
  // VMs must exist on the source to be protected; for a failover the pair is what counts.
  if (kind === 'protect') {
    const missing = machines.filter((r) => !r.vm && !r.hv);
    if (!anyRead || (missing.length > 0 && unread.length > 0))
      checks.push(
        problem(
          'fail',
          'machines.exist',
          w('check.title.machinesExist'),
          unread.some((e) => e.endpoint.target.kind === 'vsphere') || unread.length === 0
            ? w('check.machines.noVcenter', { site: input.source.site.name })
            : w('check.machines.unread', {
                endpoints: unread.map((e) => e.endpoint.name).join(', '),
                site: input.source.site.name,
              }),
          w('check.machines.unreadFix'),
        ),
      );
    else if (missing.length > 0)
      checks.push(
        problem(
          'fail',
          'machines.exist',
          w('check.title.machinesExist'),
          w('check.machines.missing', { site: input.source.site.name, machines: names(plan, missing) }),
          w('check.machines.missingFix'),
        ),
      );
    else
      checks.push(
        pass(
          'machines.exist',
          w('check.title.machinesExist'),
          w('check.machines.allFound', { count: machines.length }),
        ),
      );
    const elsewhere = machines.filter((r) => r.pair?.planId && r.pair.planId !== plan.id);
    if (elsewhere.length > 0)
      checks.push(
        problem(
          'fail',
          'pairs.state',
          w('check.title.machinesFree'),
          w('check.pairs.elsewhere', { machines: names(plan, elsewhere) }),
          w('check.pairs.elsewhereFix'),
        ),
      );
    const broken = machines.filter((r) => r.pair?.planId === plan.id && r.pair.state === 'error');
    if (broken.length > 0)
      checks.push(
        problem(
          'warn',
          'pairs.state',
          w('check.title.pairsHealthy'),
          w('check.pairs.broken', { machines: names(plan, broken) }),
          w('check.pairs.brokenFix'),
        ),
      );
    else if (elsewhere.length === 0)
      checks.push(
        pass(
          'pairs.state',
          w('check.title.machinesFree'),
          w('check.pairs.toProtect', {
            toProtect: machines.filter((r) => !r.pair).length,
            paired: machines.filter((r) => r.pair).length,
          }),
        ),
      );
    return checks;
  }
  const move = firstMove[kind];
  const unpaired = machines.filter((r) => !r.pair || r.pair.planId !== plan.id);
  // A failover starts from the forward direction only: a plan running on its recovery site goes
  // home by failback. Failback (and its first phase, reprotect) takes a committed failover at any
  // stage of the way back, so that a failback stopped half-way can be run again.
  const allowed = (p: Pair) =>
    kind === 'failback'
      ? (failbackStage(p) ?? 8) < 8
      : p.direction === 'forward' &&
        (kind === 'planned' ? p.state === 'protected' : canTransition(p.state, move));
  const blocked = machines.filter((r) => r.pair && r.pair.planId === plan.id && !allowed(r.pair));
  if (unpaired.length > 0)
    checks.push(
      problem(
        'fail',
        'pairs.exist',
        w('check.title.everyProtected'),
        w('check.pairs.unpaired', { machines: names(plan, unpaired) }),
        w('check.pairs.unpairedFix', { plan: plan.name }),
      ),
    );
  else
    checks.push(
      pass(
        'pairs.exist',
        w('check.title.everyProtected'),
        w('check.pairs.count', { count: machines.length }),
      ),
    );
  if (blocked.length > 0)
    checks.push(
      problem(
        'fail',
        'pairs.state',
        w(`check.title.pairsAllow.${kind}`),
        // Each blocked machine with the state its pair is in, worded: the machine's name is a value.
        w(`check.pairs.blocked.${kind}`, {
          blocked: upToTen(blocked.map((r) => pairIsSaid(plan.machines[r.index]!.vm, r.pair!.state))),
        }),
        kind === 'failback'
          ? blocked.every((r) => r.pair!.state === 'protected' && r.pair!.direction === 'forward')
            ? w('check.pairs.blockedFix.home')
            : w('check.pairs.blockedFix.commit', { plan: plan.name })
          : blocked.some((r) => r.pair!.direction === 'reverse')
            ? w('check.pairs.blockedFix.reverse', { plan: plan.name })
            : w('check.pairs.blockedFix.wait'),
      ),
    );
  else if (unpaired.length < machines.length)
    checks.push(pass('pairs.state', w('check.title.pairsAllowWorkflow'), w(`check.pairs.allow.${kind}`)));
  return checks;
}

function masterTargetChecks(
  input: ReadinessInput,
  machines: ResolvedMachine[],
  landing: SiteEstate,
): Check[] {
  const { kind, plan } = input;
  const checks: Check[] = [];
  const families = new Set(
    machines.flatMap((r) => (r.vm ? [osFamilyOf(r.vm.vm)] : r.pair ? [r.pair.osFamily] : [])),
  );
  let mts: MasterTarget[];
  if (kind === 'failback') {
    mts = input.masterTargets.filter((m) => m.siteId === input.source.site.id);
    const missing = [...families].filter((f) => !mts.some((m) => m.osFamily === f));
    if (missing.length > 0) {
      checks.push(
        problem(
          'fail',
          'master-target.exists',
          w('check.title.mtForFailback', { site: input.source.site.name }),
          w(
            missing.length > 1
              ? mts.length
                ? 'check.mt.failbackMissingTwo'
                : 'check.mt.failbackMissingTwoNone'
              : mts.length
                ? 'check.mt.failbackMissing'
                : 'check.mt.failbackMissingNone',
            {
              family: missing[0]!,
              ...(missing[1] ? { other: missing[1] } : {}),
              site: input.source.site.name,
              ...(mts.length ? { have: mts.map((m) => `${m.name} (${m.osFamily})`).join(', ') } : {}),
            },
          ),
          w('check.mt.failbackMissingFix', { site: input.source.site.name }),
        ),
      );
      return checks;
    }
    mts = mts.filter((m) => families.has(m.osFamily));
  } else {
    const mt = input.masterTargets.find((m) => m.id === plan.masterTargetId) ?? null;
    if (!mt) {
      checks.push(
        problem(
          'fail',
          'master-target.exists',
          w('check.title.masterTarget'),
          plan.target.masterTarget
            ? w('check.mt.gone', { name: plan.target.masterTarget })
            : w('check.mt.none'),
          w('check.mt.noneFix', { site: input.target.site.name }),
        ),
      );
      return checks;
    }
    // Pairs that spilled at protect keep their replica disks on another master target: a
    // failover detaches them there, so it too must be there and on.
    const holding = new Set(
      kind === 'protect'
        ? []
        : input.pairs.flatMap((p) =>
            p.planId === plan.id && p.masterTargetId && p.masterTargetId !== mt.id ? [p.masterTargetId] : [],
          ),
    );
    mts = [mt, ...input.masterTargets.filter((m) => holding.has(m.id))];
    const wrong = machines.filter((r) => {
      const family = r.vm ? osFamilyOf(r.vm.vm) : r.pair?.osFamily;
      return family !== undefined && family !== mt.osFamily;
    });
    if (wrong.length > 0)
      checks.push(
        problem(
          'fail',
          'master-target.os',
          w('check.title.mtOs'),
          w(wrong.length === 1 ? 'check.mt.osWrongOne' : 'check.mt.osWrongMany', {
            name: mt.name,
            family: mt.osFamily,
            machines: names(plan, wrong),
          }),
          w('check.mt.osWrongFix'),
          mt.name,
        ),
      );
    else
      checks.push(
        pass(
          'master-target.os',
          w('check.title.mtOs'),
          w('check.mt.osOk', { name: mt.name, family: mt.osFamily }),
          mt.name,
        ),
      );
  }

  for (const mt of mts) checks.push(masterTargetVmCheck(mt, landing));

  // SCSI slots: protect attaches a replica disk per new source disk; failback (reprotect)
  // attaches every disk of the plan to the original site's master target.
  if (kind === 'protect' || kind === 'failback') {
    // Failback moves each pair's disks (one per slot it holds on the plan's master target) to the
    // original site's master target; slots the plan's pairs already hold there are theirs.
    const planPairs = new Set(machines.flatMap((r) => (r.pair?.planId === plan.id ? [r.pair.id] : [])));
    const forwardMt = input.masterTargets.find((m) => m.id === plan.masterTargetId);
    const held = mts.reduce((n, m) => n + m.slots.filter((sl) => planPairs.has(sl.pairId)).length, 0);
    const needed =
      kind === 'protect'
        ? newDisks(machines)
        : forwardMt
          ? Math.max(0, forwardMt.slots.filter((sl) => planPairs.has(sl.pairId)).length - held)
          : machines.reduce((n, r) => n + (r.vm?.vm.disks.length ?? 1), 0);
    // New pairs spill from the plan's master target onto the others of its site, OS family and
    // vCenter when it is full (shared/configserver/slots.ts spillOrder): those protect would fill
    // must be there and on, and one that is not takes no pair (protect passes it over).
    let pool = mts;
    if (kind === 'protect' && forwardMt) {
      pool = [forwardMt];
      let room = forwardMt.slotsFree;
      for (const spill of spillOrder(forwardMt, input.masterTargets).slice(1)) {
        if (room >= needed) break;
        const check = masterTargetVmCheck(spill, landing, true);
        if (check.status === 'pass') {
          pool.push(spill);
          room += spill.slotsFree;
          checks.push(check);
        } else checks.push({ ...check, status: 'warn' });
      }
    }
    const free = pool.reduce((n, m) => n + m.slotsFree, 0);
    const subject = pool.map((m) => m.name).join(', ');
    if (needed > free)
      checks.push(
        problem(
          'fail',
          'master-target.slots',
          w('check.title.slots'),
          w('check.mt.slotsShort', { ...slotCounts(needed, free), masterTargets: subject }),
          w('check.mt.slotsShortFix'),
          subject,
        ),
      );
    else
      checks.push(
        pass(
          'master-target.slots',
          w('check.title.slots'),
          w('check.mt.slots', slotCounts(needed, free)),
          subject,
        ),
      );
  }
  return checks;
}

/**
 * A master target's VM on the landing site: there, powered on, of its registered OS family. A
 * spill master target that is not takes no pair, which its finding says.
 */
function masterTargetVmCheck(mt: MasterTarget, landing: SiteEstate, spill = false): Check {
  const title = w(spill ? 'check.title.mtVmSpill' : 'check.title.mtVm', { name: mt.name });
  const finding = (
    key: 'unread' | 'missing' | 'off' | 'os' | 'osUnknown',
    params: Record<string, string | number | Text>,
  ) => w(`check.mt.${key}${spill ? 'NoSpill' : ''}`, params);
  const invs = vsphereInventories(landing);
  const vm = invs.flatMap((inv) => inv.vms).find((v) => v.id === mt.vmId || v.name === mt.vmName);
  if (invs.length === 0)
    return problem(
      'fail',
      'master-target.exists',
      title,
      finding('unread', { site: landing.site.name, vm: mt.vmName }),
      w('check.mt.unreadFix'),
      mt.name,
    );
  if (!vm)
    return problem(
      'fail',
      'master-target.exists',
      title,
      finding('missing', { vm: mt.vmName, site: landing.site.name }),
      w('check.mt.missingFix'),
      mt.name,
    );
  if (vm.powerState !== 'poweredOn')
    return problem(
      'fail',
      'master-target.exists',
      title,
      finding('off', { vm: mt.vmName, power: powerSaid(vm.powerState) }),
      w('check.mt.offFix', { vm: mt.vmName }),
      mt.name,
    );
  if (osFamilyOf(vm) !== mt.osFamily)
    return problem(
      'fail',
      'master-target.exists',
      title,
      typeof vm.guestOs === 'string'
        ? finding('os', { name: mt.name, family: mt.osFamily, vm: mt.vmName, guest: vm.guestOs })
        : finding('osUnknown', { name: mt.name, family: mt.osFamily, vm: mt.vmName }),
      w('check.mt.osFix'),
      mt.name,
    );
  return pass('master-target.exists', title, w('check.mt.on', { vm: mt.vmName }), mt.name);
}

/** Before a failover: every replica disk file of the plan's pairs is on its datastore. */
function replicaFileChecks(input: ReadinessInput): Check[] {
  const r = input.replicaFiles;
  if (!r) return [];
  const title = w('check.title.replicaFiles');
  const checks: Check[] = [];
  if (r.missing.length > 0) {
    const name = (id: string) => input.pairs.find((p) => p.id === id)?.sourceVmName ?? id;
    checks.push(
      problem(
        'fail',
        'replica.files',
        title,
        w('check.replica.missing', {
          count: r.missing.length,
          files: upToTen(r.missing.map((m) => `${name(m.pairId)}: ${m.fileName}`)),
        }),
        w('check.replica.missingFix', { plan: input.plan.name }),
        name(r.missing[0]!.pairId),
      ),
    );
  }
  if (r.errors.length > 0)
    checks.push(
      problem(
        'warn',
        'replica.files',
        title,
        w('check.replica.unasked', { errors: r.errors.join('; ') }),
        w('check.replica.unaskedFix'),
      ),
    );
  if (checks.length === 0)
    checks.push(pass('replica.files', title, w('check.replica.found', { count: r.checked })));
  return checks;
}

/**
 * Looks for the replica disk files of the plan's vSphere pairs, through the vCenter of the master
 * target that holds each (one datastore search per folder: existingFiles).
 */
async function findReplicaFiles(
  deps: EstateDeps,
  plan: Plan,
  planPairs: Pair[],
  masterTargets: MasterTarget[],
  target: SiteEstate,
  signal?: AbortSignal,
): Promise<ReplicaFiles> {
  const byEndpoint = new Map<string, Array<{ pairId: string; fileName: string }>>();
  for (const p of planPairs) {
    if (p.platform !== 'vsphere') continue;
    const mt = masterTargets.find((m) => m.id === (p.masterTargetId ?? plan.masterTargetId));
    // A master target registered without its endpoint is on the target site's vCenter.
    const endpointId =
      mt?.endpointId ?? target.endpoints.find((e) => e.endpoint.target.kind === 'vsphere')?.endpoint.id;
    if (!mt || !endpointId) continue;
    for (const slot of mt.slots)
      if (slot.pairId === p.id && slot.fileName)
        byEndpoint.set(endpointId, [
          ...(byEndpoint.get(endpointId) ?? []),
          { pairId: p.id, fileName: slot.fileName },
        ]);
  }
  const out: ReplicaFiles = { checked: 0, missing: [], errors: [] };
  await Promise.all(
    [...byEndpoint].map(async ([endpointId, files]) => {
      const where = target.endpoints.find((e) => e.endpoint.id === endpointId)?.endpoint.name ?? endpointId;
      try {
        const session = await openEndpointSession(deps, endpointId, signal);
        try {
          const found = new Set(
            await session.operations.existingFiles(
              files.map((f) => f.fileName),
              { signal },
            ),
          );
          out.checked += files.length;
          out.missing.push(...files.filter((f) => !found.has(f.fileName)));
        } finally {
          await session.close();
        }
      } catch (err) {
        out.errors.push(`${where}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }),
  );
  return out;
}

function datastoreChecks(input: ReadinessInput, machines: ResolvedMachine[]): Check[] {
  const { kind, plan } = input;
  const placement = plan.target.placement;
  if (!placement || kind === 'failback') return [];
  const invs = vsphereInventories(input.target);
  if (invs.length === 0) return [];
  const ds = invs.flatMap((i) => i.datastores).find((d) => d.name === placement.datastore);
  const title = w('check.title.datastoreSpace', { datastore: placement.datastore });
  const site = input.target.site.name;
  if (!ds)
    return [
      problem(
        'fail',
        'datastore.space',
        title,
        w('check.ds.missing', { datastore: placement.datastore, site }),
        w('check.ds.missingFix'),
        placement.datastore,
      ),
    ];
  if (!ds.accessible)
    return [
      problem(
        'fail',
        'datastore.space',
        title,
        w('check.ds.inaccessible', { datastore: ds.name }),
        w('check.ds.inaccessibleFix'),
        ds.name,
      ),
    ];
  const placementChecks: Check[] = [];
  if (
    placement.cluster !== undefined &&
    !invs.some((i) => i.clusters.some((c) => c.name === placement.cluster))
  )
    placementChecks.push(
      problem(
        'fail',
        'placement.compute',
        w('check.title.compute'),
        w('check.ds.noCluster', { cluster: placement.cluster, site }),
        w('check.ds.noClusterFix'),
        placement.cluster,
      ),
    );
  if (
    placement.host !== undefined &&
    !invs.some((i) => i.hosts.some((h) => sameHostName(h.name, placement.host!)))
  )
    placementChecks.push(
      problem(
        'fail',
        'placement.compute',
        w('check.title.compute'),
        w('check.ds.noHost', { host: placement.host, site }),
        w('check.ds.noHostFix'),
        placement.host,
      ),
    );
  if (kind === 'protect') {
    const bytes = newDiskBytes(machines);
    if (bytes > ds.freeBytes)
      return [
        ...placementChecks,
        problem(
          'fail',
          'datastore.space',
          title,
          w('check.ds.short', {
            need: sizeSaid(bytes),
            datastore: ds.name,
            free: sizeSaid(ds.freeBytes),
          }),
          w('check.ds.shortFix'),
          ds.name,
        ),
      ];
    return [
      ...placementChecks,
      pass(
        'datastore.space',
        title,
        w('check.ds.enough', { need: sizeSaid(bytes), free: sizeSaid(ds.freeBytes) }),
        ds.name,
      ),
    ];
  }
  if (kind === 'test') {
    // A test recovers copies of the replica disks; thin copies grow with what the test writes.
    const bytes = machines.reduce((n, r) => n + (r.vm ? diskBytes(r.vm.vm) : 0), 0);
    if (bytes > ds.freeBytes)
      return [
        ...placementChecks,
        problem(
          'warn',
          'datastore.space',
          title,
          w('check.ds.testGrow', {
            need: sizeSaid(bytes),
            datastore: ds.name,
            free: sizeSaid(ds.freeBytes),
          }),
          w('check.ds.testGrowFix'),
          ds.name,
        ),
      ];
  }
  return [
    ...placementChecks,
    pass(
      'datastore.space',
      title,
      w('check.ds.free', { datastore: ds.name, free: sizeSaid(ds.freeBytes) }),
      ds.name,
    ),
  ];
}

function networkChecks(input: ReadinessInput, machines: ResolvedMachine[]): Check[] {
  const { kind, plan } = input;
  const checks: Check[] = [];
  const unmapped = new Set<string>();
  for (const r of machines) {
    if (!r.vm) continue;
    for (const nic of r.vm.vm.nics) {
      if (!nic.network) continue;
      const name = r.vm.inventory.networks.find((n) => n.id === nic.network)?.name ?? nic.network;
      if (plan.target.networks[name] === undefined) unmapped.add(name);
    }
  }
  const targetNets = new Set(vsphereInventories(input.target).flatMap((i) => i.networks.map((n) => n.name)));
  const targetRead = vsphereInventories(input.target).length > 0;
  const missingTargets = targetRead
    ? Object.entries(plan.target.networks).filter(([, to]) => !targetNets.has(to))
    : [];
  if (unmapped.size > 0 || missingTargets.length > 0)
    checks.push(
      problem(
        'fail',
        'networks.mapped',
        w('check.title.networksMapped'),
        w(
          unmapped.size === 0
            ? 'check.net.missing'
            : missingTargets.length === 0
              ? 'check.net.unmapped'
              : 'check.net.unmappedAndMissing',
          {
            networks: [...unmapped].map((n) => `"${n}"`).join(', '),
            site: input.target.site.name,
            mappings: missingTargets.map(([f, t]) => `"${f}" → "${t}"`).join(', '),
          },
        ),
        w('check.net.mappedFix'),
      ),
    );
  else
    checks.push(
      pass(
        'networks.mapped',
        w('check.title.networksMapped'),
        w('check.net.mapped', { count: Object.keys(plan.target.networks).length }),
      ),
    );
  if (kind === 'failback') {
    const back = new Map<string, string[]>();
    for (const [from, to] of Object.entries(plan.target.networks))
      back.set(to, [...(back.get(to) ?? []), from]);
    const ambiguous = [...back].filter(([, froms]) => froms.length > 1);
    if (ambiguous.length > 0)
      checks.push(
        problem(
          'warn',
          'networks.failback',
          w('check.title.networksBack'),
          joinSaid(
            ambiguous.map(([to, froms]) =>
              w('check.net.ambiguous', {
                to,
                from: joined(
                  froms.map((f) => raw(`"${f}"`)),
                  'and',
                ),
              }),
            ),
          ),
          w('check.net.ambiguousFix'),
        ),
      );
  }
  if (kind === 'test') {
    const tn = plan.target.testNetwork;
    if (!tn)
      checks.push(
        problem(
          'fail',
          'networks.test',
          w('check.title.testNetwork'),
          w('check.net.noTest'),
          w('check.net.noTestFix'),
        ),
      );
    else if (targetRead && !targetNets.has(tn))
      checks.push(
        problem(
          'fail',
          'networks.test',
          w('check.title.testNetwork'),
          w('check.net.testMissing', { network: tn, site: input.target.site.name }),
          w('check.net.testMissingFix'),
          tn,
        ),
      );
    else if (Object.values(plan.target.networks).includes(tn))
      checks.push(
        problem(
          'fail',
          'networks.test',
          w('check.title.testNetwork'),
          w('check.net.testProduction', { network: tn }),
          w('check.net.testProductionFix'),
          tn,
        ),
      );
    else checks.push(pass('networks.test', w('check.title.testNetwork'), raw(tn), tn));
  }
  return checks;
}

function heartbeatChecks(input: ReadinessInput, machines: ResolvedMachine[]): Check[] {
  const { kind, plan, now } = input;
  if (kind === 'protect' || kind === 'failback') return [];
  const pairs = machines.flatMap((r) =>
    r.pair && r.pair.planId === plan.id && r.pair.platform === 'vsphere' ? [r] : [],
  );
  if (pairs.length === 0) return [];
  const stale = pairs.filter((r) =>
    heartbeatMissed(r.pair!.lastHeartbeatAt ? new Date(r.pair!.lastHeartbeatAt) : null, now),
  );
  const title = w('check.title.heartbeats');
  if (stale.length === 0)
    return [pass('agents.heartbeat', title, w('check.agents.fresh', { count: pairs.length }))];
  // A planned failover needs the agents for the final sync; otherwise old heartbeats only mean
  // the recovery point may be older than the RPO (an unplanned failover expects the source down).
  const severity = kind === 'planned' ? 'fail' : 'warn';
  return [
    problem(
      severity,
      'agents.heartbeat',
      title,
      w('check.agents.stale', { machines: names(plan, stale) }),
      w(kind === 'planned' ? 'check.agents.staleFix.planned' : 'check.agents.staleFix.other'),
    ),
  ];
}

function recoveryPointChecks(input: ReadinessInput, machines: ResolvedMachine[]): Check[] {
  const { plan, latestPoints, now } = input;
  if (!latestPoints) return [];
  const paired = machines.filter((r) => r.pair && r.pair.planId === plan.id && r.pair.platform === 'vsphere');
  if (paired.length === 0) return [];
  const title = w('check.title.recoveryPoints');
  const none = paired.filter((r) => !latestPoints.get(r.pair!.id));
  if (none.length > 0)
    return [
      problem(
        'fail',
        'recovery-points',
        title,
        w('check.points.none', { machines: names(plan, none) }),
        w('check.points.noneFix'),
      ),
    ];
  const minutes = (ms: number) => Math.round(ms / 60_000);
  const old = paired.filter((r) => {
    const at = Date.parse(latestPoints.get(r.pair!.id)!.at);
    return now.getTime() - at > r.pair!.rpoThresholdSec * 1000;
  });
  if (old.length > 0)
    return [
      problem(
        'warn',
        'recovery-points',
        title,
        w('check.points.old', {
          machines: old
            .slice(0, 10)
            .map(
              (r) =>
                `${plan.machines[r.index]!.vm} (${minutes(now.getTime() - Date.parse(latestPoints.get(r.pair!.id)!.at))} min, RPO ${minutes(r.pair!.rpoThresholdSec * 1000)} min)`,
            )
            .join(', '),
        }),
        w('check.points.oldFix'),
      ),
    ];
  return [pass('recovery-points', title, w('check.points.ok'))];
}

function nameCollisionChecks(input: ReadinessInput): Check[] {
  const { kind, plan } = input;
  const invs = vsphereInventories(input.target);
  if (invs.length === 0) return [];
  const existing = new Set(invs.flatMap((i) => i.vms.map((v) => v.name)));
  const clashes = plan.machines.filter((m) => existing.has(m.recoveredName ?? m.vm));
  if (clashes.length === 0) return [pass('names.collision', w('check.title.names'), w('check.names.free'))];
  return [
    problem(
      kind === 'test' ? 'warn' : 'fail',
      'names.collision',
      w('check.title.names'),
      w('check.names.taken', {
        names: clashes.map((m) => m.recoveredName ?? m.vm).join(', '),
        site: input.target.site.name,
      }),
      w('check.names.takenFix'),
    ),
  ];
}

/**
 * Hyper-V Replica questions only the hosts can answer: can each primary reach the replica server
 * with its authentication and port (Test-VMReplicationConnection), and how much space the replica
 * server's storage location has.
 */
export interface HypervProbe {
  storage: Array<{
    endpoint: string;
    path: string | null;
    volume: string | null;
    freeBytes: number | null;
    error: string | null;
  }>;
  connections: Array<{ from: string; to: string; auth: string; port: number; error: string | null }>;
}

export async function probeHyperv(
  deps: EstateDeps,
  source: SiteEstate,
  target: SiteEstate,
  machines: string[],
  signal?: AbortSignal,
): Promise<HypervProbe> {
  const probe: HypervProbe = { storage: [], connections: [] };
  const replicas = target.endpoints.flatMap((e) =>
    e.inventory?.source.kind === 'hyperv'
      ? (e.inventory as HypervInventory).hosts
          .filter((h) => h.replicaServer.enabled)
          .map((h) => ({ e, host: h }))
      : [],
  );
  const ask = async <T>(endpointId: string, fn: (ops: HypervOperations) => Promise<T>): Promise<T> => {
    const session = await openEndpointSession(deps, endpointId, signal);
    try {
      return await fn(session.operations as unknown as HypervOperations);
    } finally {
      await session.close();
    }
  };
  const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
  await Promise.all(
    replicas.map(async ({ e }) => {
      try {
        const st = await ask(e.endpoint.id, (ops) => ops.replicaStorage({ signal }));
        probe.storage.push({
          endpoint: e.endpoint.name,
          path: st?.path ?? null,
          volume: st?.volume ?? null,
          freeBytes: st?.freeBytes ?? null,
          error: null,
        });
      } catch (err) {
        probe.storage.push({
          endpoint: e.endpoint.name,
          path: null,
          volume: null,
          freeBytes: null,
          error: message(err),
        });
      }
    }),
  );
  const replica = replicas[0];
  const rs = replica?.host.replicaServer;
  // Certificate-only servers need the primary's certificate thumbprint, which the inventory
  // does not carry: the connection is then tested by protect itself.
  if (!replica || !rs?.port || !(rs.auth === 'Kerberos' || rs.auth === 'CertificateAndKerberos'))
    return probe;
  const primaries = source.endpoints.filter(
    (e) =>
      e.inventory?.source.kind === 'hyperv' &&
      (e.inventory as HypervInventory).vms.some((v) => machines.includes(v.name)),
  );
  await Promise.all(
    primaries.map(async (e) => {
      const row = { from: e.endpoint.name, to: replica.host.name, auth: 'Kerberos', port: rs.port! };
      try {
        await ask(e.endpoint.id, (ops) =>
          ops.testReplicationConnection(
            { replicaServer: replica.host.name, replicaPort: rs.port!, auth: 'Kerberos' },
            { signal },
          ),
        );
        probe.connections.push({ ...row, error: null });
      } catch (err) {
        probe.connections.push({ ...row, error: message(err) });
      }
    }),
  );
  return probe;
}

/** States from which Hyper-V fails a replica over (a test failover not while resynchronising). */
const FAILOVER_STATES = ['Replicating', 'Resynchronizing', 'Suspended', 'WaitingForUpdateCompletion'];

/**
 * Hyper-V Replica: the landing site's replica server accepts replication (authentication and
 * port), and for a failover each replica holds a recovery point in a state Hyper-V fails over
 * from (a planned failover needs the primary Replicating, for its final -Prepare).
 */
function hypervChecks(input: ReadinessInput, machines: ResolvedMachine[], landing: SiteEstate): Check[] {
  const { kind, plan, now } = input;
  if (machines.length === 0) return [];
  const checks: Check[] = [];
  const hosts = hypervInventories(landing).flatMap((inv) => inv.hosts);
  const title = w('check.title.hypervServer', { site: landing.site.name });
  const servers = hosts.filter((h) => h.replicaServer.enabled);
  if (hosts.length === 0)
    checks.push(
      problem(
        'fail',
        'hyperv.replica-server',
        title,
        w(machines.length === 1 ? 'check.hv.noHost.one' : 'check.hv.noHost.many', {
          site: landing.site.name,
          machines: names(plan, machines),
        }),
        w('check.hv.noHostFix', { site: landing.site.name }),
      ),
    );
  else if (servers.length === 0)
    checks.push(
      problem(
        'fail',
        'hyperv.replica-server',
        title,
        w(hosts.length === 1 ? 'check.hv.notServer.one' : 'check.hv.notServer.many', {
          hosts: hosts.map((h) => h.name).join(', '),
        }),
        w('check.hv.notServerFix'),
        hosts[0]!.name,
      ),
    );
  else {
    const bad = servers.filter((h) => !h.replicaServer.auth || !h.replicaServer.port);
    if (bad.length > 0)
      checks.push(
        problem(
          'fail',
          'hyperv.replica-server',
          title,
          w('check.hv.unconfigured', { hosts: bad.map((h) => h.name).join(', ') }),
          w('check.hv.unconfiguredFix'),
          bad[0]!.name,
        ),
      );
    else
      checks.push(
        pass(
          'hyperv.replica-server',
          title,
          joinSaid(
            servers.map((h) =>
              w('check.hv.server', {
                host: h.name,
                auth: String(h.replicaServer.auth),
                port: String(h.replicaServer.port),
              }),
            ),
          ),
          servers[0]!.name,
        ),
      );
  }
  if (kind === 'protect' && input.hypervProbe) checks.push(...hypervProbeChecks(input.hypervProbe, machines));
  if (kind === 'protect' || kind === 'failback') return checks;
  const rtitle = w('check.title.hypervReplicas');
  const problems: Said[] = [];
  const old: Said[] = [];
  for (const r of machines) {
    if (!r.pair || r.pair.planId !== plan.id) continue;
    const name = plan.machines[r.index]!.vm;
    const vmId = r.pair.sourceVmId;
    if (kind === 'planned') {
      const primary = hypervInventories(input.source)
        .flatMap((i) => i.vms)
        .find((v) => v.id === vmId);
      const repl = primary?.replication;
      if (primary && (repl?.state !== 'Replicating' || repl.health === 'Critical'))
        problems.push(
          repl
            ? w('check.hv.primary', { vm: name, state: repl.state, health: repl.health })
            : w('check.hv.primaryUnread', { vm: name }),
        );
      continue;
    }
    const replica = hypervInventories(landing)
      .flatMap((i) => i.vms)
      .find((v) => v.id === vmId && v.replication?.mode === 'Replica');
    const repl = replica?.replication;
    if (!repl) problems.push(w('check.hv.noReplica', { vm: name, site: landing.site.name }));
    else if (
      !FAILOVER_STATES.includes(repl.state) ||
      (kind === 'test' && repl.state === 'Resynchronizing') ||
      !repl.lastReplicationTime
    )
      problems.push(
        w(repl.lastReplicationTime ? 'check.hv.replicaState' : 'check.hv.replicaNoPoint', {
          vm: name,
          state: repl.state,
        }),
      );
    else if (now.getTime() - Date.parse(repl.lastReplicationTime) > r.pair.rpoThresholdSec * 1000)
      old.push(w('check.hv.lastReplication', { vm: name, at: repl.lastReplicationTime }));
  }
  if (problems.length > 0)
    checks.push(
      problem(
        'fail',
        'hyperv.replication',
        rtitle,
        joinSaid(problems.slice(0, 10)),
        w(kind === 'planned' ? 'check.hv.problemsFix.planned' : 'check.hv.problemsFix.other'),
      ),
    );
  else if (old.length > 0)
    checks.push(
      problem(
        'warn',
        'hyperv.replication',
        rtitle,
        w('check.hv.old', { machines: joined(old.slice(0, 10), 'comma') }),
        w('check.hv.oldFix'),
      ),
    );
  else checks.push(pass('hyperv.replication', rtitle, w('check.hv.ready', { count: machines.length })));
  return checks;
}

/**
 * Re-IP (machines[].reip) is vSphere guest customization, applied by VMware Tools at the
 * recovered VM's first power-on: the NIC must exist, and a Windows guest is customized by
 * Sysprep (a new SID, out of its domain), which the operator must know before choosing it.
 */
function reipChecks(input: ReadinessInput, machines: ResolvedMachine[]): Check[] {
  const { plan } = input;
  const withReip = machines.filter((r) => plan.machines[r.index]!.reip);
  if (withReip.length === 0) return [];
  const title = w('check.title.reip');
  const noNic = withReip.filter((r) => r.vm && plan.machines[r.index]!.reip!.nic >= r.vm.vm.nics.length);
  if (noNic.length > 0)
    return [
      problem(
        'fail',
        'reip.nic',
        title,
        joinSaid(
          noNic.map((r) =>
            w('check.reip.noNic', {
              index: String(r.index),
              nic: plan.machines[r.index]!.reip!.nic,
              vm: r.vm!.vm.name,
              count: r.vm!.vm.nics.length,
            }),
          ),
        ),
        w('check.reip.noNicFix'),
        'machines[].reip',
      ),
    ];
  const windows = withReip.filter((r) =>
    r.vm ? osFamilyOf(r.vm.vm) === 'windows' : r.pair?.osFamily === 'windows',
  );
  if (windows.length > 0)
    return [
      problem(
        'warn',
        'reip.guest',
        title,
        w('check.reip.windows', { machines: names(plan, windows) }),
        w('check.reip.windowsFix'),
        'machines[].reip',
      ),
    ];
  return [pass('reip.guest', title, w('check.reip.ok', { count: withReip.length }), 'machines[].reip')];
}

function hypervProbeChecks(probe: HypervProbe, machines: ResolvedMachine[]): Check[] {
  const checks: Check[] = [];
  for (const c of probe.connections) {
    const title = w('check.title.hypervConnection', { from: c.from, to: c.to });
    const port = String(c.port);
    checks.push(
      c.error
        ? problem(
            'fail',
            'hyperv.connection',
            title,
            w('check.hv.connectionFailed', { to: c.to, port, auth: c.auth, error: c.error }),
            w('check.hv.connectionFix', { to: c.to, port, from: c.from }),
            c.from,
          )
        : pass('hyperv.connection', title, w('check.hv.connected', { auth: c.auth, port }), c.from),
    );
  }
  // The initial copy sends every disk of the machines not yet replicating.
  const needed = machines.reduce(
    (n, r) => n + (r.pair ? 0 : (r.hv?.vm.disks.reduce((m, d) => m + (d.sizeBytes ?? 0), 0) ?? 0)),
    0,
  );
  for (const st of probe.storage) {
    const title = w('check.title.hypervSpace', { endpoint: st.endpoint });
    const copies = () =>
      w('check.hv.short', {
        need: sizeSaid(needed),
        volume: String(st.volume),
        path: String(st.path),
        free: sizeSaid(st.freeBytes ?? 0),
      });
    if (st.error)
      checks.push(
        problem(
          'warn',
          'hyperv.replica-space',
          title,
          w('check.hv.spaceUnread', { error: st.error }),
          w('check.hv.spaceUnreadFix'),
          st.endpoint,
        ),
      );
    else if (st.freeBytes === null)
      checks.push(
        problem(
          'warn',
          'hyperv.replica-space',
          title,
          st.path ? w('check.hv.notLocal', { path: st.path }) : w('check.hv.noLocation'),
          w('check.hv.noLocationFix'),
          st.endpoint,
        ),
      );
    else if (needed > st.freeBytes)
      checks.push(
        problem('fail', 'hyperv.replica-space', title, copies(), w('check.hv.shortFix'), st.endpoint),
      );
    else checks.push(pass('hyperv.replica-space', title, copies(), st.endpoint));
  }
  return checks;
}

function names(plan: Plan, rows: ResolvedMachine[]): Said {
  return upToTen(rows.map((r) => plan.machines[r.index]!.vm));
}

/** Reads the plan's sites and the store, then evaluates. */
export async function checkReadiness(
  deps: EstateDeps,
  planIdOrName: string,
  kind: ReadinessKind,
  options: { signal?: AbortSignal; now?: Date } = {},
): Promise<ReadinessReport> {
  const plan = await deps.store.plans.resolve(planIdOrName);
  const [source, target, masterTargets, pairs] = await Promise.all([
    readSite(deps, plan.sourceSiteId, options.signal),
    readSite(deps, plan.targetSiteId, options.signal),
    deps.store.masterTargets.list(),
    deps.store.pairs.list(),
  ]);
  const planPairs = pairs.filter((p) => p.planId === plan.id);
  const hypervNames = resolveMachines(plan, { source, pairs })
    .filter((r) => platformOf(r) === 'hyperv')
    .map((r) => plan.machines[r.index]!.vm);
  const hypervProbe =
    kind === 'protect' && hypervNames.length > 0
      ? await probeHyperv(deps, source, target, hypervNames, options.signal)
      : undefined;
  const latestPoints =
    kind === 'test' || kind === 'unplanned'
      ? new Map(
          await Promise.all(
            planPairs.map(
              async (p) => [p.id, (await deps.store.recoveryPoints.list(p.id, 1))[0] ?? null] as const,
            ),
          ),
        )
      : undefined;
  const replicaFiles =
    kind === 'test' || kind === 'planned' || kind === 'unplanned'
      ? await findReplicaFiles(deps, plan, planPairs, masterTargets, target, options.signal)
      : undefined;
  return evaluateReadiness({
    kind,
    plan,
    now: options.now ?? deps.store.clock(),
    replicaFiles,
    source,
    target,
    masterTargets,
    pairs: pairs.filter((p) => p.sourceSiteId === plan.sourceSiteId),
    latestPoints,
    hypervProbe,
  });
}
