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
import type { HypervInventory } from '../shared/schemas/inventory';
import {
  diskBytes,
  type EndpointRead,
  type EstateDeps,
  formatBytes,
  hypervInventories,
  osFamilyOf,
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

const pass = (id: string, title: string, message: string, subject: string | null = null): Check => ({
  id,
  title,
  status: 'pass',
  message,
  subject,
});
const problem = (
  status: Exclude<ReadinessStatus, 'pass'>,
  id: string,
  title: string,
  message: string,
  fix: string,
  subject: string | null = null,
): Check => ({ id, title, status, message, fix, subject });

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
        'Plan has machines',
        'the plan has no machines',
        'add machines to the plan file and apply it',
      ),
    );
  else checks.push(pass('plan.machines', 'Plan has machines', `${plan.machines.length} machine(s)`));
  if (!plan.target.placement && vsphere)
    checks.push(
      problem(
        'fail',
        'plan.placement',
        'Placement on the target site',
        'the plan has no target.placement: no datastore for replica disks, no cluster or host for recovered VMs',
        'set target.placement { cluster or host, datastore } in the plan file and apply it',
      ),
    );

  // ------------------------------------------------ endpoints
  const sourceNeeded = kind === 'protect' || kind === 'planned' || kind === 'failback';
  checks.push(...endpointChecks(input.source, sourceNeeded ? 'fail' : 'warn', sourceWhy(kind)));
  checks.push(...endpointChecks(input.target, 'fail', 'the recovered VMs and the master target are there'));

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

function sourceWhy(kind: ReadinessKind): string {
  if (kind === 'protect') return 'protect reads the source VMs and their disks';
  if (kind === 'planned') return 'a planned failover shuts the source VMs down first';
  if (kind === 'failback') return 'failback lands on the original site';
  if (kind === 'unplanned')
    return 'an unplanned failover does not need it (a reachable source risks a split brain)';
  return 'a test failover does not touch the source';
}

function endpointChecks(estate: SiteEstate, severity: 'fail' | 'warn', why: string): Check[] {
  const title = (e: EndpointRead) => `Endpoint ${e.endpoint.name} reachable, credentials valid`;
  if (estate.endpoints.length === 0)
    return [
      problem(
        severity,
        'endpoint',
        `Site ${estate.site.name} has an endpoint`,
        `site ${estate.site.name} has no endpoint (${why})`,
        `add its vCenter: siteshift endpoint add --site ${estate.site.name} vsphere ...`,
        estate.site.name,
      ),
    ];
  return estate.endpoints.map((e) => {
    if (e.status === 'ok')
      return pass(
        'endpoint',
        title(e),
        `${e.endpoint.name} answered and accepted its credentials`,
        e.endpoint.name,
      );
    const fix =
      e.status === 'unreachable'
        ? `check the network path from the configuration server to ${e.endpoint.name} and that the service runs; then run the checks again`
        : e.status === 'invalid-login'
          ? `the stored account was refused: remove the endpoint and add it again with a valid account (siteshift endpoint remove/add)`
          : e.status === 'identity-changed'
            ? `${e.endpoint.name} presents another certificate or host key than the pinned one: verify it with its administrator, then pin the new identity`
            : `run siteshift endpoint test ${e.endpoint.name} for details`;
    return problem(
      severity,
      'endpoint',
      title(e),
      `${e.endpoint.name}: ${e.status}: ${e.message} (${why})`,
      fix,
      e.endpoint.name,
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
          'Machines exist on the source site',
          unread.some((e) => e.endpoint.target.kind === 'vsphere') || unread.length === 0
            ? `no vCenter of site ${input.source.site.name} could be read`
            : `${unread.map((e) => e.endpoint.name).join(', ')} of site ${input.source.site.name} could not be read`,
          'fix the source endpoints above, then run the checks again',
        ),
      );
    else if (missing.length > 0)
      checks.push(
        problem(
          'fail',
          'machines.exist',
          'Machines exist on the source site',
          `not found on site ${input.source.site.name}: ${names(plan, missing)}`,
          'correct the VM names in the plan file (as vCenter or Hyper-V shows them) and apply it',
        ),
      );
    else
      checks.push(
        pass('machines.exist', 'Machines exist on the source site', `all ${machines.length} found`),
      );
    const elsewhere = machines.filter((r) => r.pair?.planId && r.pair.planId !== plan.id);
    if (elsewhere.length > 0)
      checks.push(
        problem(
          'fail',
          'pairs.state',
          'Machines free to protect',
          `already protected by another plan: ${names(plan, elsewhere)}`,
          'remove them from this plan or from the other plan',
        ),
      );
    const broken = machines.filter((r) => r.pair?.planId === plan.id && r.pair.state === 'error');
    if (broken.length > 0)
      checks.push(
        problem(
          'warn',
          'pairs.state',
          'Pairs of the plan are healthy',
          `in state error: ${names(plan, broken)}`,
          'protect re-enables them; look at their last error first (siteshift pairs list --plan)',
        ),
      );
    else if (elsewhere.length === 0)
      checks.push(
        pass(
          'pairs.state',
          'Machines free to protect',
          `${machines.filter((r) => !r.pair).length} to protect, ${machines.filter((r) => r.pair).length} already paired`,
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
        'Every machine is protected',
        `not protected by this plan: ${names(plan, unpaired)}`,
        `protect them first: siteshift protect ${plan.name}`,
      ),
    );
  else checks.push(pass('pairs.exist', 'Every machine is protected', `${machines.length} pair(s)`));
  const need =
    kind === 'planned'
      ? "'protected' (a planned failover ends with a final sync)"
      : kind === 'failback'
        ? "'failed-over' (commit the failover first), or on the way back"
        : `in the forward direction, in a state that can move to '${move}'`;
  if (blocked.length > 0)
    checks.push(
      problem(
        'fail',
        'pairs.state',
        `Pairs allow a ${kind === 'failback' ? 'failback' : `${kind} failover`}`,
        `${blocked
          .slice(0, 10)
          .map((r) => `${plan.machines[r.index]!.vm} is '${r.pair!.state}'`)
          .join(', ')}${blocked.length > 10 ? ` and ${blocked.length - 10} more` : ''}; each must be ${need}`,
        kind === 'failback'
          ? blocked.every((r) => r.pair!.state === 'protected' && r.pair!.direction === 'forward')
            ? 'these machines run on the original site already: there is nothing to fail back'
            : `commit the failover (siteshift commit ${plan.name}) or wait for the running job`
          : blocked.some((r) => r.pair!.direction === 'reverse')
            ? `the plan runs on its recovery site, replicating back: bring it home with siteshift failback ${plan.name}`
            : 'wait for replication (or resync) to finish, or end the running test/failover first',
      ),
    );
  else if (unpaired.length < machines.length)
    checks.push(
      pass('pairs.state', 'Pairs allow the workflow', `every pair is ${need.replace(/^a /, 'in a ')}`),
    );
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
          `Master target on ${input.source.site.name} for failback`,
          `failback needs a ${missing.join(' and a ')} master target on the original site ${input.source.site.name}; it has ${mts.length ? mts.map((m) => `${m.name} (${m.osFamily})`).join(', ') : 'none'}`,
          `register one: siteshift master-target add --site ${input.source.site.name} --vm VM`,
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
          'Master target',
          plan.target.masterTarget
            ? `${plan.target.masterTarget} is no longer a registered master target`
            : 'the plan names no master target',
          `set target.masterTarget to a master target of ${input.target.site.name} (siteshift master-target list) and apply the plan`,
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
          'Master target OS family',
          `${mt.name} is ${mt.osFamily}; ${names(plan, wrong)} ${wrong.length === 1 ? 'is' : 'are'} not`,
          'split the plan by OS family: Windows machines need a Windows master target, Linux a Linux one',
          mt.name,
        ),
      );
    else
      checks.push(
        pass(
          'master-target.os',
          'Master target OS family',
          `${mt.name} and every machine are ${mt.osFamily}`,
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
        const check = masterTargetVmCheck(spill, landing, 'spill ');
        if (check.status === 'pass') {
          pool.push(spill);
          room += spill.slotsFree;
          checks.push(check);
        } else
          checks.push({
            ...check,
            status: 'warn',
            message: `${check.message}; no pair spills onto it`,
          });
      }
    }
    const free = pool.reduce((n, m) => n + m.slotsFree, 0);
    const subject = pool.map((m) => m.name).join(', ');
    if (needed > free)
      checks.push(
        problem(
          'fail',
          'master-target.slots',
          'Free SCSI slot for every disk',
          `${needed} disk(s) to attach, ${free} free slot(s) on ${subject} (4 controllers × 15 units, unit 7 reserved)`,
          'protect fewer machines with this master target, or register another master target and split the plan',
          subject,
        ),
      );
    else
      checks.push(
        pass(
          'master-target.slots',
          'Free SCSI slot for every disk',
          `${needed} disk(s) to attach, ${free} free slot(s)`,
          subject,
        ),
      );
  }
  return checks;
}

/** A master target's VM on the landing site: there, powered on, of its registered OS family. */
function masterTargetVmCheck(mt: MasterTarget, landing: SiteEstate, role = ''): Check {
  const title = `Master target ${mt.name} ${role ? `(${role.trim()}) ` : ''}exists and is powered on`;
  const invs = vsphereInventories(landing);
  const vm = invs.flatMap((inv) => inv.vms).find((v) => v.id === mt.vmId || v.name === mt.vmName);
  if (invs.length === 0)
    return problem(
      'fail',
      'master-target.exists',
      title,
      `no vCenter of site ${landing.site.name} could be read to find ${mt.vmName}`,
      'fix the endpoints above, then run the checks again',
      mt.name,
    );
  if (!vm)
    return problem(
      'fail',
      'master-target.exists',
      title,
      `VM ${mt.vmName} is not on site ${landing.site.name}`,
      'restore the master target VM, or register another one and point the plan at it',
      mt.name,
    );
  if (vm.powerState !== 'poweredOn')
    return problem(
      'fail',
      'master-target.exists',
      title,
      `${mt.vmName} is ${vm.powerState}`,
      `power ${mt.vmName} on`,
      mt.name,
    );
  if (osFamilyOf(vm) !== mt.osFamily)
    return problem(
      'fail',
      'master-target.exists',
      title,
      `${mt.name} is registered as ${mt.osFamily} but ${mt.vmName} runs ${vm.guestOs ?? 'an unknown guest'}`,
      'register the master target again with the right OS family',
      mt.name,
    );
  return pass('master-target.exists', title, `${mt.vmName} is powered on`, mt.name);
}

/** Before a failover: every replica disk file of the plan's pairs is on its datastore. */
function replicaFileChecks(input: ReadinessInput): Check[] {
  const r = input.replicaFiles;
  if (!r) return [];
  const title = 'Replica disks on the target datastores';
  const checks: Check[] = [];
  if (r.missing.length > 0) {
    const name = (id: string) => input.pairs.find((p) => p.id === id)?.sourceVmName ?? id;
    checks.push(
      problem(
        'fail',
        'replica.files',
        title,
        `${r.missing.length} replica disk file(s) missing: ${r.missing
          .slice(0, 10)
          .map((m) => `${name(m.pairId)}: ${m.fileName}`)
          .join(', ')}${r.missing.length > 10 ? ` and ${r.missing.length - 10} more` : ''}`,
        `a failover would recover these machines without those disks: put the files back (from the datastore's backup), or take the machines out of the plan and protect them again (siteshift protect ${input.plan.name})`,
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
        `could not look for the replica disks: ${r.errors.join('; ')}`,
        'fix the target endpoint above, then run the checks again',
      ),
    );
  if (checks.length === 0)
    checks.push(pass('replica.files', title, `${r.checked} replica disk file(s) found on their datastores`));
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
  const title = `Space on datastore ${placement.datastore}`;
  if (!ds)
    return [
      problem(
        'fail',
        'datastore.space',
        title,
        `${placement.datastore} is not a datastore on site ${input.target.site.name}`,
        'set target.placement.datastore to a datastore of the target site and apply the plan',
        placement.datastore,
      ),
    ];
  if (!ds.accessible)
    return [
      problem(
        'fail',
        'datastore.space',
        title,
        `${ds.name} is not accessible`,
        'restore access to the datastore from the target hosts',
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
        'Cluster or host for recovered VMs',
        `${placement.cluster} is not a cluster on site ${input.target.site.name}`,
        'set target.placement.cluster to a cluster of the target site',
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
        'Cluster or host for recovered VMs',
        `${placement.host} is not a host on site ${input.target.site.name}`,
        'set target.placement.host to a host of the target site',
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
          `replica disks need ${formatBytes(bytes)}; ${ds.name} has ${formatBytes(ds.freeBytes)} free`,
          'free space on the datastore or choose a larger one in target.placement.datastore',
          ds.name,
        ),
      ];
    return [
      ...placementChecks,
      pass(
        'datastore.space',
        title,
        `replica disks need ${formatBytes(bytes)}; ${formatBytes(ds.freeBytes)} free`,
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
          `the test copies may grow to ${formatBytes(bytes)}; ${ds.name} has ${formatBytes(ds.freeBytes)} free`,
          'keep the test short or free space on the datastore',
          ds.name,
        ),
      ];
  }
  return [
    ...placementChecks,
    pass('datastore.space', title, `${ds.name}: ${formatBytes(ds.freeBytes)} free`, ds.name),
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
        'Every source network has a mapping',
        [
          unmapped.size > 0 ? `no mapping for ${[...unmapped].map((n) => `"${n}"`).join(', ')}` : '',
          missingTargets.length > 0
            ? `mapped to networks missing on ${input.target.site.name}: ${missingTargets.map(([f, t]) => `"${f}" → "${t}"`).join(', ')}`
            : '',
        ]
          .filter(Boolean)
          .join('; '),
        'add the mappings under target.networks in the plan file and apply it',
      ),
    );
  else
    checks.push(
      pass(
        'networks.mapped',
        'Every source network has a mapping',
        `${Object.keys(plan.target.networks).length} mapping(s)`,
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
          'Networks map back one to one',
          ambiguous
            .map(([to, froms]) => `"${to}" came from ${froms.map((f) => `"${f}"`).join(' and ')}`)
            .join('; '),
          "failback reconnects each VM to its original network; check the VMs' networks after failback",
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
          'Isolated test network',
          'the plan has no target.testNetwork',
          'set target.testNetwork to an isolated network of the target site and apply the plan',
        ),
      );
    else if (targetRead && !targetNets.has(tn))
      checks.push(
        problem(
          'fail',
          'networks.test',
          'Isolated test network',
          `${tn} is not a network on ${input.target.site.name}`,
          'create it or correct target.testNetwork',
          tn,
        ),
      );
    else if (Object.values(plan.target.networks).includes(tn))
      checks.push(
        problem(
          'fail',
          'networks.test',
          'Isolated test network',
          `${tn} is also a production network of the plan: test VMs would meet production`,
          'use a network without uplinks for target.testNetwork',
          tn,
        ),
      );
    else checks.push(pass('networks.test', 'Isolated test network', tn, tn));
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
  const title = 'Agent heartbeats fresh';
  if (stale.length === 0)
    return [pass('agents.heartbeat', title, `${pairs.length} agent(s) reported in the last 15 minutes`)];
  // A planned failover needs the agents for the final sync; otherwise old heartbeats only mean
  // the recovery point may be older than the RPO (an unplanned failover expects the source down).
  const severity = kind === 'planned' ? 'fail' : 'warn';
  return [
    problem(
      severity,
      'agents.heartbeat',
      title,
      `no heartbeat for 15 minutes or more: ${names(plan, stale)}`,
      kind === 'planned'
        ? 'restore the agents (or their process server) so the final sync can run, or run an unplanned failover'
        : 'the latest recovery points of these machines may be older than their RPO; check the agents',
    ),
  ];
}

function recoveryPointChecks(input: ReadinessInput, machines: ResolvedMachine[]): Check[] {
  const { plan, latestPoints, now } = input;
  if (!latestPoints) return [];
  const paired = machines.filter((r) => r.pair && r.pair.planId === plan.id && r.pair.platform === 'vsphere');
  if (paired.length === 0) return [];
  const title = 'Recovery points to recover to';
  const none = paired.filter((r) => !latestPoints.get(r.pair!.id));
  if (none.length > 0)
    return [
      problem(
        'fail',
        'recovery-points',
        title,
        `no recovery point yet: ${names(plan, none)}`,
        'wait for initial replication to finish (siteshift pairs list --plan shows the progress)',
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
        `latest recovery point older than the RPO threshold: ${old
          .slice(0, 10)
          .map(
            (r) =>
              `${plan.machines[r.index]!.vm} (${minutes(now.getTime() - Date.parse(latestPoints.get(r.pair!.id)!.at))} min, RPO ${minutes(r.pair!.rpoThresholdSec * 1000)} min)`,
          )
          .join(', ')}`,
        'more data than the RPO allows would be lost; check replication before failing over, or accept the loss',
      ),
    ];
  return [pass('recovery-points', title, `every pair has a recovery point within its RPO`)];
}

function nameCollisionChecks(input: ReadinessInput): Check[] {
  const { kind, plan } = input;
  const invs = vsphereInventories(input.target);
  if (invs.length === 0) return [];
  const existing = new Set(invs.flatMap((i) => i.vms.map((v) => v.name)));
  const clashes = plan.machines.filter((m) => existing.has(m.recoveredName ?? m.vm));
  if (clashes.length === 0)
    return [pass('names.collision', 'No name collision on the target', 'every recovered name is free')];
  return [
    problem(
      kind === 'test' ? 'warn' : 'fail',
      'names.collision',
      'No name collision on the target',
      `VMs already named ${clashes.map((m) => m.recoveredName ?? m.vm).join(', ')} exist on ${input.target.site.name}`,
      'give those machines a recoveredName in the plan file, or remove the old VMs',
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
  const title = `Hyper-V Replica server on ${landing.site.name}`;
  const servers = hosts.filter((h) => h.replicaServer.enabled);
  if (hosts.length === 0)
    checks.push(
      problem(
        'fail',
        'hyperv.replica-server',
        title,
        `no Hyper-V host of site ${landing.site.name} could be read; ${names(plan, machines)} replicate${machines.length === 1 ? 's' : ''} to one`,
        `add the replica host (siteshift endpoint add --site ${landing.site.name} hyperv …) or fix its endpoint above`,
      ),
    );
  else if (servers.length === 0)
    checks.push(
      problem(
        'fail',
        'hyperv.replica-server',
        title,
        `${hosts.map((h) => h.name).join(', ')} ${hosts.length === 1 ? 'is not a' : 'are not'} Hyper-V Replica server${hosts.length === 1 ? '' : 's'}`,
        'on the replica host: Set-VMReplicationServer -ReplicationEnabled $true -AllowedAuthenticationType Kerberos -ReplicationAllowedFromAnyServer $true -DefaultStorageLocation <folder>, and open its port in the firewall',
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
          `${bad.map((h) => h.name).join(', ')}: no authentication type or port configured`,
          'set them with Set-VMReplicationServer -AllowedAuthenticationType … -KerberosAuthenticationPort 80 (or the certificate port 443)',
          bad[0]!.name,
        ),
      );
    else
      checks.push(
        pass(
          'hyperv.replica-server',
          title,
          servers.map((h) => `${h.name}: ${h.replicaServer.auth} on port ${h.replicaServer.port}`).join('; '),
          servers[0]!.name,
        ),
      );
  }
  if (kind === 'protect' && input.hypervProbe) checks.push(...hypervProbeChecks(input.hypervProbe, machines));
  if (kind === 'protect' || kind === 'failback') return checks;
  const rtitle = 'Hyper-V replicas can fail over';
  const problems: string[] = [];
  const old: string[] = [];
  for (const r of machines) {
    if (!r.pair || r.pair.planId !== plan.id) continue;
    const name = plan.machines[r.index]!.vm;
    const vmId = r.pair.sourceVmId;
    if (kind === 'planned') {
      const primary = hypervInventories(input.source)
        .flatMap((i) => i.vms)
        .find((v) => v.id === vmId);
      const st = primary?.replication?.state ?? 'not read';
      if (primary && (st !== 'Replicating' || primary.replication?.health === 'Critical'))
        problems.push(`${name}: the primary is ${st} (${primary.replication?.health ?? 'no health'})`);
      continue;
    }
    const replica = hypervInventories(landing)
      .flatMap((i) => i.vms)
      .find((v) => v.id === vmId && v.replication?.mode === 'Replica');
    const repl = replica?.replication;
    if (!repl) problems.push(`${name}: no replica on ${landing.site.name}`);
    else if (
      !FAILOVER_STATES.includes(repl.state) ||
      (kind === 'test' && repl.state === 'Resynchronizing') ||
      !repl.lastReplicationTime
    )
      problems.push(
        `${name}: the replica is ${repl.state}${repl.lastReplicationTime ? '' : ' with no recovery point yet'}`,
      );
    else if (now.getTime() - Date.parse(repl.lastReplicationTime) > r.pair.rpoThresholdSec * 1000)
      old.push(`${name} (last replication ${repl.lastReplicationTime})`);
  }
  if (problems.length > 0)
    checks.push(
      problem(
        'fail',
        'hyperv.replication',
        rtitle,
        problems.slice(0, 10).join('; '),
        kind === 'planned'
          ? 'resume replication (Resume-VMReplication) and wait until it is Replicating, or run an unplanned failover'
          : 'wait for initial replication or resynchronisation to finish (Get-VMReplication on the replica host)',
      ),
    );
  else if (old.length > 0)
    checks.push(
      problem(
        'warn',
        'hyperv.replication',
        rtitle,
        `latest replication older than the RPO threshold: ${old.slice(0, 10).join(', ')}`,
        'more data than the RPO allows would be lost; check replication health before failing over',
      ),
    );
  else checks.push(pass('hyperv.replication', rtitle, `${machines.length} Hyper-V replica(s) ready`));
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
  const title = 'Re-IP by guest customization';
  const noNic = withReip.filter((r) => r.vm && plan.machines[r.index]!.reip!.nic >= r.vm.vm.nics.length);
  if (noNic.length > 0)
    return [
      problem(
        'fail',
        'reip.nic',
        title,
        noNic
          .map(
            (r) =>
              `machines[${r.index}].reip.nic is ${plan.machines[r.index]!.reip!.nic} but ${r.vm!.vm.name} has ${r.vm!.vm.nics.length} NIC(s)`,
          )
          .join('; '),
        'fix machines[].reip.nic in the plan file (0 is the first NIC) and apply it',
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
        `${names(plan, windows)}: Windows guests are re-addressed by Sysprep: a new SID, and out of their domain (they join the reip workgroup, default WORKGROUP)`,
        'join them to their domain again in the guest after the failover, or leave reip out for those that must keep their identity and set their address in the guest',
        'machines[].reip',
      ),
    ];
  return [
    pass(
      'reip.guest',
      title,
      `${withReip.length} machine(s) re-addressed at first power-on (VMware Tools in the guest applies it)`,
      'machines[].reip',
    ),
  ];
}

function hypervProbeChecks(probe: HypervProbe, machines: ResolvedMachine[]): Check[] {
  const checks: Check[] = [];
  for (const c of probe.connections) {
    const title = `${c.from} can replicate to ${c.to}`;
    checks.push(
      c.error
        ? problem(
            'fail',
            'hyperv.connection',
            title,
            `Test-VMReplicationConnection ${c.to} ${c.port} ${c.auth}: ${c.error}`,
            `on ${c.to}: allow inbound TCP ${c.port} (Hyper-V Replica HTTP listener firewall rule), allow ${c.from} as a primary (Set-VMReplicationServer -ReplicationAllowedFromAnyServer $true or an authorization entry), and check name resolution between the hosts`,
            c.from,
          )
        : pass('hyperv.connection', title, `${c.auth} on port ${c.port} answered`, c.from),
    );
  }
  // The initial copy sends every disk of the machines not yet replicating.
  const needed = machines.reduce(
    (n, r) => n + (r.pair ? 0 : (r.hv?.vm.disks.reduce((m, d) => m + (d.sizeBytes ?? 0), 0) ?? 0)),
    0,
  );
  for (const st of probe.storage) {
    const title = `Space for the replicas on ${st.endpoint}`;
    if (st.error)
      checks.push(
        problem(
          'warn',
          'hyperv.replica-space',
          title,
          `could not read it: ${st.error}`,
          'check the replica host, then run the checks again',
          st.endpoint,
        ),
      );
    else if (st.freeBytes === null)
      checks.push(
        problem(
          'warn',
          'hyperv.replica-space',
          title,
          st.path
            ? `${st.path} is not on a local volume Siteshift can measure`
            : 'the replica server has no default storage location',
          'set one on a volume with room for the replicas: Set-VMReplicationServer -DefaultStorageLocation D:\\Replica',
          st.endpoint,
        ),
      );
    else if (needed > st.freeBytes)
      checks.push(
        problem(
          'fail',
          'hyperv.replica-space',
          title,
          `the initial copies need ${formatBytes(needed)}; ${st.volume} (${st.path}) has ${formatBytes(st.freeBytes)} free`,
          'free space on that volume or move the default storage location (Set-VMReplicationServer -DefaultStorageLocation) to a larger one',
          st.endpoint,
        ),
      );
    else
      checks.push(
        pass(
          'hyperv.replica-space',
          title,
          `the initial copies need ${formatBytes(needed)}; ${st.volume} (${st.path}) has ${formatBytes(st.freeBytes)} free`,
          st.endpoint,
        ),
      );
  }
  return checks;
}

function names(plan: Plan, rows: ResolvedMachine[]): string {
  const list = rows.map((r) => plan.machines[r.index]!.vm);
  return list.length <= 10 ? list.join(', ') : `${list.slice(0, 10).join(', ')} and ${list.length - 10} more`;
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
