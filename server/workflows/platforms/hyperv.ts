import type {
  EnableReplicationOptions,
  HvReplication,
  HvSnapshot,
  ReplicationSettings,
} from '../../../core/hyperv/client';
import type { HypervOperations } from '../../../core/hyperv/operations';
import { hypervReplicaPolicy, type Pair, type Plan } from '../../../shared/configserver';
import { sayStep, stepError } from '../../../shared/i18n/step-words';
import type { Said } from '../../../shared/i18n/worded';
import type { StepContext, StepSession, WorkflowStep } from '../../jobs';
import {
  declareRecovered,
  findSourceVm,
  forgetRecovered,
  pairsAt,
  parsePoint,
  platformPairs,
  recoveredRows,
  setRecoveredVm,
  step,
} from '../common';
import type { Flavour, PlatformSteps } from './index';

/**
 * Hyper-V machines in the DR workflows, through Hyper-V Replica (module Hyper-V, Windows Server
 * 2022): the primary host replicates the VM to a replica host of the target site, which keeps
 * the VM's id; a failover is Start-VMFailover on that replica, not a VM built from disk files.
 *
 * protect     Enable-VMReplication (policy from the plan) + Start-VMInitialReplication on the
 *             primary; the pair is `protected` once the primary reports Replicating.
 * test        Start-VMFailover -AsTest on the replica ("<name> - Test", its network adapters not
 *             connected); cleanup is Stop-VMFailover.
 * planned     the shared step shuts the guest down (never turned off); Start-VMFailover -Prepare
 *             on the primary sends the last changes; Start-VMFailover on the replica; the shared
 *             boot-group steps Start-VM it.
 * unplanned   Start-VMFailover on the replica at the chosen recovery point (replica snapshots).
 * commit      Complete-VMFailover; rollback: the replica turned off and Stop-VMFailover on it,
 *             Stop-VMFailover on a primary prepared for failover.
 * reprotect   Set-VMReplication -Reverse on the failed-over replica (now the primary), the original
 *             turned off first; after a planned failover the prepared original takes the changes
 *             at once, after an unplanned one Start-VMInitialReplication sends a full copy; the
 *             pair is `protected` (reverse) once the new primary reports Replicating.
 * failback    the shared step shuts the recovery-site VM down; Start-VMFailover -Prepare on it,
 *             Start-VMFailover on the original, Start-VM in its boot group, Complete-VMFailover,
 *             then Set-VMReplication -Reverse on the original: replication runs forward again.
 *
 * Every step reads the replication state first and does only what is missing, so a step run
 * again after an interruption finds its own work done.
 */

/** The operations of a Hyper-V session, with the Hyper-V Replica cmdlets. */
function hv(session: StepSession): HypervOperations {
  if (session.operations.kind !== 'hyperv')
    throw stepError('invalid-input', sayStep('stepError.hvNotHost', { endpoint: session.endpoint.name }));
  // The lab's Hyper-V hosts run the same cmdlets (core/lab/hyperv-replica.ts): protect, not failover.
  return session.operations as unknown as HypervOperations;
}

async function hypervSessions(ctx: StepContext, siteId: string): Promise<StepSession[]> {
  const eps = (await ctx.store.endpoints.list()).filter(
    (e) => e.siteId === siteId && e.target.kind === 'hyperv',
  );
  return Promise.all(eps.map((e) => ctx.sessions.get(e.id)));
}

/** The Hyper-V host of the source site that runs the pair's VM as its primary. */
async function primaryOf(ctx: StepContext, plan: Plan, pair: Pair): Promise<StepSession> {
  for (const s of await hypervSessions(ctx, plan.sourceSiteId))
    if (await s.operations.findVm({ id: pair.sourceVmId })) return s;
  throw stepError(
    'not-found',
    sayStep('stepError.hvNoPrimary', { vm: pair.sourceVmName, id: pair.sourceVmId, site: plan.source.site }),
  );
}

/**
 * The replica host: the target site's Hyper-V host that has the VM (Hyper-V Replica keeps its
 * id), or, before replication exists, the site's only Hyper-V host.
 */
async function replicaOf(ctx: StepContext, plan: Plan, pair: Pair): Promise<StepSession> {
  const hosts = await hypervSessions(ctx, plan.targetSiteId);
  for (const s of hosts) if (await s.operations.findVm({ id: pair.sourceVmId })) return s;
  if (hosts.length === 1) return hosts[0]!;
  throw stepError(
    'not-found',
    hosts.length === 0
      ? sayStep('stepError.hvNoReplicaHost', { site: plan.target.site, vm: pair.sourceVmName })
      : sayStep('stepError.hvManyReplicaHosts', {
          site: plan.target.site,
          count: hosts.length,
          vm: pair.sourceVmName,
        }),
  );
}

/** The plan's policy as Hyper-V Replica settings, to a replica server configured to accept them. */
async function replicationSettings(
  plan: Plan,
  primary: StepSession,
  replica: StepSession,
  signal: AbortSignal,
): Promise<EnableReplicationOptions & { replicaName: string }> {
  const host = await hv(replica).host({ signal });
  const rs = host.replicaServer;
  const replicaServer = host.fqdn ?? host.name;
  if (!rs.enabled)
    throw stepError(
      'conflict',
      sayStep('stepError.hvNotReplicaServer', { endpoint: replica.endpoint.name, server: replicaServer }),
    );
  const { frequencySec, recoveryHistory, vssFrequencyHours: vss } = hypervReplicaPolicy(plan.policy);
  const base = {
    replicaServer,
    replicaName: replica.endpoint.name,
    compression: true,
    frequencySec,
    recoveryHistory,
    ...(recoveryHistory > 0 ? { vssFrequencyHours: vss } : {}),
  };
  if (rs.auth === 'Kerberos' || rs.auth === 'CertificateAndKerberos')
    return { ...base, auth: 'Kerberos', replicaPort: rs.kerberosPort ?? 80 };
  // Certificate only: the primary presents its own certificate (its replica server's thumbprint).
  const own = (await hv(primary).host({ signal })).replicaServer.certificateThumbprint;
  if (!own)
    throw stepError(
      'conflict',
      sayStep('stepError.hvNoCertificate', {
        replica: replica.endpoint.name,
        primary: primary.endpoint.name,
      }),
    );
  return { ...base, auth: 'Certificate', certificateThumbprint: own, replicaPort: rs.certificatePort ?? 443 };
}

/** A replica snapshot matching the point spec (latest, latest-app, time:, tag: = snapshot name). */
export function chooseReplicaPoint(points: HvSnapshot[], raw: unknown): HvSnapshot | null {
  const p = parsePoint(raw);
  const sorted = [...points].sort((a, b) => (b.created ?? '').localeCompare(a.created ?? ''));
  if (p.kind === 'latest') return sorted[0] ?? null;
  if (p.kind === 'latest-app') return sorted.find((x) => x.type === 'AppConsistentReplica') ?? null;
  if (p.kind === 'time') {
    const t = Date.parse(p.value!);
    return sorted.find((x) => x.created !== null && Date.parse(x.created) <= t) ?? null;
  }
  return sorted.find((x) => x.name === p.value) ?? null;
}

/**
 * A replica snapshot in a log line: its name and consistency as Hyper-V reports them, its time as
 * a stamp a console reads on its own clock (or, with none, 'no time' in the console's words).
 */
export const describePoint = (s: HvSnapshot): Said => {
  const consistency = s.type === 'AppConsistentReplica' ? 'app' : 'crash';
  return s.created === null
    ? sayStep('stepLog.hvPointNoTime', { name: s.name, consistency })
    : sayStep('stepLog.hvPoint', { name: s.name, at: s.created, consistency });
};

const FAILED_OVER = ['FailedOverWaitingCompletion', 'FailedOver'];

const state = (r: HvReplication | null) => r?.state ?? 'Disabled';

/** A step over the plan's Hyper-V pairs (named "Hyper-V: …"); skipped when there are none. */
function hvStep(
  plan: Plan,
  name: Said,
  run: (ctx: StepContext, pairs: Pair[]) => Promise<undefined | 'skipped'>,
  retry = true,
): WorkflowStep {
  return step(
    name,
    async (ctx) => {
      const pairs = await platformPairs(ctx, plan, 'hyperv');
      return pairs.length === 0 ? 'skipped' : run(ctx, pairs);
    },
    retry,
  );
}

const until = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The plan's policy as Hyper-V Replica settings when the replication `r` (on its primary) runs
 * with others, else null: the host keeps what it was enabled with, so a changed policy reaches a
 * replication that runs only when protect sets it. A failed-over or prepared replication is
 * left to the failover's workflows.
 */
function settingsToSet(plan: Plan, r: HvReplication | null): ReplicationSettings | null {
  if (r?.mode !== 'Primary' || FAILED_OVER.includes(r.state) || r.state === 'PreparedForFailover')
    return null;
  const { frequencySec, recoveryHistory, vssFrequencyHours } = hypervReplicaPolicy(plan.policy);
  const vss = recoveryHistory > 0 ? vssFrequencyHours : null;
  if (
    r.frequencySec === frequencySec &&
    r.recoveryHistory === recoveryHistory &&
    (r.vssSnapshotFrequencyHours || null) === vss
  )
    return null;
  return { frequencySec, recoveryHistory, ...(vss === null ? {} : { vssFrequencyHours: vss }) };
}

/** What a step says of the settings it sets (or would set) on `vm`'s replication, which ran every `was` s. */
function settingsWords(dryRun: boolean, vm: string, o: ReplicationSettings, was: number | null): Said {
  const values = {
    vm,
    seconds: String(o.frequencySec),
    count: o.recoveryHistory ?? 0,
    wasSeconds: String(was ?? '?'),
  };
  if (o.vssFrequencyHours === undefined)
    return sayStep(dryRun ? 'stepLog.dryRun.hvSettings' : 'stepLog.hvSettings', values);
  return sayStep(dryRun ? 'stepLog.dryRun.hvSettingsVss' : 'stepLog.hvSettingsVss', {
    ...values,
    hours: o.vssFrequencyHours,
  });
}

function protect(plan: Plan): WorkflowStep[] {
  return [
    step(sayStep('jobStep.hv.enable'), async (ctx) => {
      if (ctx.job.dryRun) {
        // Before protect there are no pairs: say what would happen to each Hyper-V machine.
        let seen = 0;
        for (const m of plan.machines) {
          const { found } = await findSourceVm(ctx, plan, m.vm);
          if (found?.session.endpoint.target.kind !== 'hyperv') continue;
          seen++;
          const pair = { sourceVmId: found.vm.id, sourceVmName: m.vm } as Pair;
          const replica = await replicaOf(ctx, plan, pair);
          const r = await hv(found.session).replication(found.vm.id, { signal: ctx.signal });
          if (state(r) !== 'Disabled') {
            await ctx.log(
              'info',
              sayStep('stepLog.dryRun.hvReplicates', {
                vm: m.vm,
                state: r!.state,
                replica: String(r!.replicaServer),
              }),
            );
            const set = settingsToSet(plan, r);
            if (set) await ctx.log('info', settingsWords(true, m.vm, set, r!.frequencySec));
            continue;
          }
          const o = await replicationSettings(plan, found.session, replica, ctx.signal);
          const settings = {
            vm: m.vm,
            from: found.session.endpoint.name,
            to: o.replicaServer,
            auth: o.auth,
            port: String(o.replicaPort),
            seconds: String(o.frequencySec),
            count: o.recoveryHistory ?? 0,
          };
          await ctx.log(
            'info',
            o.vssFrequencyHours
              ? sayStep('stepLog.dryRun.hvEnableVss', { ...settings, hours: o.vssFrequencyHours })
              : sayStep('stepLog.dryRun.hvEnable', settings),
          );
        }
        return seen === 0 ? 'skipped' : undefined;
      }
      const pairs = await platformPairs(ctx, plan, 'hyperv');
      if (pairs.length === 0) return 'skipped';
      let changed = 0;
      await ctx.parallel(pairs, plan.parallelism, async (pair) => {
        const primary = await primaryOf(ctx, plan, pair);
        const ops = hv(primary);
        let r = await ops.replication(pair.sourceVmId, { signal: ctx.signal });
        if (state(r) === 'Disabled') {
          const replica = await replicaOf(ctx, plan, pair);
          const { replicaName, ...o } = await replicationSettings(plan, primary, replica, ctx.signal);
          r = await ops.enableReplication(pair.sourceVmId, o, { signal: ctx.signal });
          await ctx.log(
            'info',
            sayStep('stepLog.hvEnabled', {
              vm: pair.sourceVmName,
              from: primary.endpoint.name,
              to: replicaName,
              auth: o.auth,
              port: String(o.replicaPort),
              seconds: String(o.frequencySec),
            }),
          );
          changed++;
        }
        const set = settingsToSet(plan, r);
        if (set) {
          const was = r!.frequencySec;
          r = await ops.setReplicationSettings(pair.sourceVmId, set, { signal: ctx.signal });
          await ctx.log('info', settingsWords(false, pair.sourceVmName, set, was));
          changed++;
        }
        // A pair in error starts over (the state machine's way out of error is enabling).
        if ((await ctx.store.pairs.get(pair.id)).state === 'error')
          await ctx.store.pairs.transition(pair.id, 'enabling', `protect again (job ${ctx.job.id})`);
        if ((await ctx.store.pairs.get(pair.id)).state === 'enabling')
          await ctx.store.pairs.transition(
            pair.id,
            'initial-replication',
            `Hyper-V Replica enabled (job ${ctx.job.id})`,
          );
        if (r?.state === 'ReadyForInitialReplication') {
          await ops.startInitialReplication(pair.sourceVmId, { signal: ctx.signal });
          await ctx.log('info', sayStep('stepLog.hvInitialStarted', { vm: pair.sourceVmName }));
          changed++;
        }
      });
      return changed === 0 ? 'skipped' : undefined;
    }),
    hvStep(
      plan,
      sayStep('jobStep.hv.waitInitial'),
      async (ctx, pairs) => {
        if (ctx.job.dryRun) {
          await ctx.log('info', sayStep('stepLog.dryRun.hvReplicateUntil', { count: pairs.length }));
          return undefined;
        }
        const primaries = new Map<string, StepSession>();
        for (const p of pairs) primaries.set(p.id, await primaryOf(ctx, plan, p));
        for (;;) {
          let done = 0;
          for (const pair of pairs) {
            const now = await ctx.store.pairs.get(pair.id);
            if (now.state === 'protected') {
              done++;
              continue;
            }
            const r = await hv(primaries.get(pair.id)!).replication(pair.sourceVmId, { signal: ctx.signal });
            if (r?.state === 'Replicating' && r.lastReplicationTime) {
              await ctx.store.pairs.transition(
                pair.id,
                'protected',
                `Hyper-V Replica: initial copy done (job ${ctx.job.id})`,
                ['initial-replication'],
              );
              await ctx.log(
                'info',
                sayStep('stepLog.hvReplicating', { vm: pair.sourceVmName, health: r.health }),
              );
              done++;
            } else if (r?.state === 'Error' || r?.health === 'Critical') {
              await ctx.store.pairs.transition(
                pair.id,
                'error',
                `Hyper-V Replica: ${state(r)} (${r?.health})`,
              );
              throw stepError(
                'conflict',
                sayStep('stepError.hvReplicaError', {
                  vm: pair.sourceVmName,
                  state: state(r),
                  health: String(r?.health),
                  host: primaries.get(pair.id)!.endpoint.name,
                }),
              );
            }
          }
          await ctx.progress(done / pairs.length);
          if (done === pairs.length) break;
          await until(500);
          ctx.signal.throwIfAborted();
        }
        await ctx.log('info', sayStep('stepLog.hvPairsProtected', { count: pairs.length }));
        return undefined;
      },
      false,
    ),
  ];
}

function failoverBefore(flavour: Flavour, plan: Plan, input: Record<string, unknown>): WorkflowStep[] {
  if (flavour === 'planned')
    return [
      hvStep(plan, sayStep('jobStep.hv.prepare'), async (ctx, pairs) => {
        let prepared = 0;
        await ctx.parallel(pairs, plan.parallelism, async (pair) => {
          const primary = await primaryOf(ctx, plan, pair);
          const r = await hv(primary).replication(pair.sourceVmId, { signal: ctx.signal });
          if (state(r) === 'PreparedForFailover') return;
          if (ctx.job.dryRun)
            return void (await ctx.log(
              'info',
              sayStep('stepLog.dryRun.hvPrepare', { vm: pair.sourceVmName, host: primary.endpoint.name }),
            ));
          await hv(primary).startFailover(pair.sourceVmId, { mode: 'prepare' }, { signal: ctx.signal });
          await ctx.log('info', sayStep('stepLog.hvPrepared', { vm: pair.sourceVmName }));
          prepared++;
        });
        return prepared === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
      }),
    ];
  return [
    hvStep(
      plan,
      sayStep('jobStep.hv.choosePoints'),
      async (ctx, pairs) => {
        for (const pair of pairs) {
          const replica = await replicaOf(ctx, plan, pair);
          const points = await hv(replica).recoveryPoints(pair.sourceVmId, { signal: ctx.signal });
          const point = chooseReplicaPoint(points, input.point);
          if (!point)
            throw stepError(
              'not-found',
              sayStep('stepError.hvNoPoint', {
                vm: pair.sourceVmName,
                point: String(input.point ?? 'latest'),
                host: replica.endpoint.name,
                count: points.length,
              }),
            );
          await ctx.log(
            'info',
            sayStep('stepLog.hvPointChosen', {
              vm: pair.sourceVmName,
              point: describePoint(point),
              host: replica.endpoint.name,
            }),
          );
        }
        return undefined;
      },
      false,
    ),
  ];
}

function failoverRecover(flavour: Flavour, plan: Plan, input: Record<string, unknown>): WorkflowStep[] {
  if (flavour === 'test')
    return [
      hvStep(plan, sayStep('jobStep.hv.testFailover'), async (ctx, pairs) => {
        const rows = await recoveredRows(
          ctx,
          'test',
          pairs.map((p) => p.id),
        );
        let created = 0;
        await ctx.parallel(pairs, plan.parallelism, async (pair) => {
          const replica = await replicaOf(ctx, plan, pair);
          const ops = hv(replica);
          const name = `${pair.sourceVmName} - Test`;
          const row = rows.find((r) => r.pairId === pair.id);
          if (row?.vmId && (await ops.findVm({ id: row.vmId }))) return;
          const point = chooseReplicaPoint(
            await ops.recoveryPoints(pair.sourceVmId, { signal: ctx.signal }),
            input.point,
          );
          if (ctx.job.dryRun)
            return void (await ctx.log(
              'info',
              point
                ? sayStep('stepLog.dryRun.hvTestVm', {
                    vm: name,
                    host: replica.endpoint.name,
                    point: describePoint(point),
                  })
                : sayStep('stepLog.dryRun.hvTestVmLatest', { vm: name, host: replica.endpoint.name }),
            ));
          await declareRecovered(ctx, {
            pairId: pair.id,
            purpose: 'test',
            endpointId: replica.endpoint.id,
            vmName: name,
            disks: [],
            jobId: ctx.job.id,
          });
          // Declared before: a test VM of this name is ours from an interrupted run.
          let vm = await ops.findVm({ name });
          if (!vm) {
            await ops.startFailover(
              pair.sourceVmId,
              { mode: 'test', ...(point ? { recoverySnapshot: { id: point.id } } : {}) },
              { signal: ctx.signal },
            );
            vm = await ops.findVm({ name });
            if (!vm)
              throw stepError(
                'protocol-error',
                sayStep('stepError.hvNoTestVm', { host: replica.endpoint.name, vm: name }),
              );
            created++;
          }
          await setRecoveredVm(ctx, pair.id, 'test', vm.id);
          await ctx.log(
            'info',
            point
              ? sayStep('stepLog.hvTestVm', {
                  vm: name,
                  host: replica.endpoint.name,
                  point: describePoint(point),
                })
              : sayStep('stepLog.hvTestVmLatest', { vm: name, host: replica.endpoint.name }),
          );
        });
        return created === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
      }),
    ];
  return [
    hvStep(plan, sayStep('jobStep.hv.failover'), async (ctx, pairs) => {
      let failed = 0;
      await ctx.parallel(pairs, plan.parallelism, async (pair) => {
        const replica = await replicaOf(ctx, plan, pair);
        const ops = hv(replica);
        const r = await ops.replication(pair.sourceVmId, { signal: ctx.signal });
        // A planned failover goes to the newest point, the one -Prepare just sent.
        const point =
          flavour === 'unplanned'
            ? chooseReplicaPoint(
                await ops.recoveryPoints(pair.sourceVmId, { signal: ctx.signal }),
                input.point,
              )
            : null;
        if (ctx.job.dryRun)
          return void (await ctx.log(
            'info',
            point
              ? sayStep('stepLog.dryRun.hvFailover', {
                  vm: pair.sourceVmName,
                  host: replica.endpoint.name,
                  point: describePoint(point),
                })
              : sayStep('stepLog.dryRun.hvFailoverLatest', {
                  vm: pair.sourceVmName,
                  host: replica.endpoint.name,
                }),
          ));
        await declareRecovered(ctx, {
          pairId: pair.id,
          purpose: 'failover',
          endpointId: replica.endpoint.id,
          vmName: pair.sourceVmName,
          disks: [],
          jobId: ctx.job.id,
        });
        if (!FAILED_OVER.includes(state(r))) {
          await ops.startFailover(
            pair.sourceVmId,
            { mode: 'failover', ...(point ? { recoverySnapshot: { id: point.id } } : {}) },
            { signal: ctx.signal },
          );
          failed++;
          await ctx.log(
            'info',
            point
              ? sayStep('stepLog.hvFailedOverTo', {
                  vm: pair.sourceVmName,
                  host: replica.endpoint.name,
                  point: describePoint(point),
                })
              : sayStep('stepLog.hvFailedOver', { vm: pair.sourceVmName, host: replica.endpoint.name }),
          );
        }
        // Hyper-V Replica keeps the VM's id on the replica.
        await setRecoveredVm(ctx, pair.id, 'failover', pair.sourceVmId);
      });
      return failed === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
  ];
}

function cleanupTest(plan: Plan): WorkflowStep[] {
  return [
    hvStep(plan, sayStep('jobStep.hv.removeTest'), async (ctx, pairs) => {
      const rows = await recoveredRows(
        ctx,
        'test',
        pairs.map((p) => p.id),
      );
      let removed = 0;
      await ctx.parallel(rows, plan.parallelism, async (row) => {
        const pair = pairs.find((p) => p.id === row.pairId)!;
        const ops = hv(await ctx.sessions.get(row.endpointId));
        const there = row.vmId ? await ops.findVm({ id: row.vmId }) : await ops.findVm({ name: row.vmName });
        if (ctx.job.dryRun)
          return void (await ctx.log(
            'info',
            sayStep('stepLog.dryRun.hvRemoveTest', { vm: row.vmName, source: pair.sourceVmName }),
          ));
        if (there) {
          await ops.stopFailover(pair.sourceVmId, { signal: ctx.signal });
          removed++;
          await ctx.log('info', sayStep('stepLog.vmRemoved', { vm: row.vmName }));
        }
        await forgetRecovered(ctx, row.pairId, 'test');
      });
      return rows.length === 0 || (removed === 0 && !ctx.job.dryRun) ? 'skipped' : undefined;
    }),
  ];
}

function commit(plan: Plan): WorkflowStep[] {
  return [
    hvStep(plan, sayStep('jobStep.hv.complete'), async (ctx, pairs) => {
      const rows = await recoveredRows(
        ctx,
        'failover',
        pairs.map((p) => p.id),
      );
      let completed = 0;
      for (const pair of pairs.filter((p) => p.state === 'failover-pending')) {
        const row = rows.find((r) => r.pairId === pair.id);
        if (!row)
          throw stepError('conflict', sayStep('stepError.hvNotFailedOverByPlan', { vm: pair.sourceVmName }));
        const ops = hv(await ctx.sessions.get(row.endpointId));
        const r = await ops.replication(pair.sourceVmId, { signal: ctx.signal });
        if (state(r) === 'FailedOver') continue;
        if (state(r) !== 'FailedOverWaitingCompletion')
          throw stepError(
            'conflict',
            sayStep('stepError.hvNotFailedOver', {
              vm: pair.sourceVmName,
              host: row.endpointId,
              state: state(r),
            }),
          );
        if (ctx.job.dryRun) {
          await ctx.log('info', sayStep('stepLog.dryRun.hvComplete', { vm: pair.sourceVmName }));
          continue;
        }
        await ops.completeFailover(pair.sourceVmId, { signal: ctx.signal });
        completed++;
        await ctx.log('info', sayStep('stepLog.hvCompleted', { vm: pair.sourceVmName }));
      }
      return completed === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
  ];
}

function rollback(plan: Plan): WorkflowStep[] {
  return [
    hvStep(plan, sayStep('jobStep.hv.cancel'), async (ctx, pairs) => {
      const rows = await recoveredRows(
        ctx,
        'failover',
        pairs.map((p) => p.id),
      );
      let cancelled = 0;
      await ctx.parallel(pairs, plan.parallelism, async (pair) => {
        const row = rows.find((r) => r.pairId === pair.id);
        if (row) {
          const replica = await ctx.sessions.get(row.endpointId);
          const ops = hv(replica);
          const r = await ops.replication(pair.sourceVmId, { signal: ctx.signal });
          if (state(r) === 'FailedOverWaitingCompletion') {
            if (ctx.job.dryRun)
              return void (await ctx.log(
                'info',
                sayStep('stepLog.dryRun.hvCancel', { vm: pair.sourceVmName, host: replica.endpoint.name }),
              ));
            // What the recovered VM wrote since the failover is discarded by the cancel anyway.
            await ops.powerOff(pair.sourceVmId, { signal: ctx.signal });
            await ops.stopFailover(pair.sourceVmId, { signal: ctx.signal });
            cancelled++;
            await ctx.log(
              'info',
              sayStep('stepLog.hvCancelled', { vm: pair.sourceVmName, host: replica.endpoint.name }),
            );
          }
          if (!ctx.job.dryRun) await forgetRecovered(ctx, pair.id, 'failover');
        }
        // A planned failover left the primary prepared: back to replicating from it.
        const { found } = await findSourceVm(ctx, plan, pair.sourceVmName);
        if (found?.session.endpoint.target.kind !== 'hyperv') return;
        const pr = await hv(found.session).replication(pair.sourceVmId, { signal: ctx.signal });
        if (state(pr) !== 'PreparedForFailover') return;
        if (ctx.job.dryRun)
          return void (await ctx.log(
            'info',
            sayStep('stepLog.dryRun.hvCancelPrepared', {
              vm: pair.sourceVmName,
              host: found.session.endpoint.name,
            }),
          ));
        await hv(found.session).stopFailover(pair.sourceVmId, { signal: ctx.signal });
        cancelled++;
        await ctx.log(
          'info',
          sayStep('stepLog.hvPrimaryAgain', { vm: pair.sourceVmName, host: found.session.endpoint.name }),
        );
      });
      return cancelled === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
  ];
}

/** The plan's Hyper-V pairs at one of the failback stages (shared/configserver failbackStage). */
async function hvAt(ctx: StepContext, plan: Plan, stages: number[]): Promise<Pair[]> {
  return (await pairsAt(ctx, plan, stages)).filter((p) => p.platform === 'hyperv');
}

/**
 * Turns the replication of each pair round so that `from` (the site whose VM runs, failed over
 * to) replicates to `to`, then waits until it does and marks the pair protected. The VM on `to`
 * must be off (Hyper-V refuses to reverse onto a running VM): one still running there is the
 * split brain of an unplanned failover and is turned off, with a warning. `stage` is the
 * reprotecting stage of the pairs (2 reverse, 7 forward).
 */
function reverseStep(plan: Plan, name: Said, stage: number, fromSite: 'source' | 'target'): WorkflowStep {
  const fromOf = (ctx: StepContext, pair: Pair) =>
    fromSite === 'target' ? replicaOf(ctx, plan, pair) : primaryOf(ctx, plan, pair);
  const toOf = (ctx: StepContext, pair: Pair) =>
    fromSite === 'target' ? primaryOf(ctx, plan, pair) : replicaOf(ctx, plan, pair);
  return step(
    name,
    async (ctx) => {
      const pairs = await hvAt(ctx, plan, [stage]);
      if (pairs.length === 0) return 'skipped';
      const sessions = new Map<string, { from: StepSession; to: StepSession }>();
      for (const pair of pairs)
        sessions.set(pair.id, { from: await fromOf(ctx, pair), to: await toOf(ctx, pair) });
      await ctx.parallel(pairs, plan.parallelism, async (pair) => {
        const { from, to } = sessions.get(pair.id)!;
        const ops = hv(from);
        let r = await ops.replication(pair.sourceVmId, { signal: ctx.signal });
        if (r?.mode === 'Replica' && FAILED_OVER.includes(state(r))) {
          const old = await to.operations.findVm({ id: pair.sourceVmId });
          const prepared = state(await hv(to).replication(pair.sourceVmId, { signal: ctx.signal }));
          const o = await replicationSettings(plan, from, to, ctx.signal);
          const planned = prepared === 'PreparedForFailover';
          const reversal = {
            vm: pair.sourceVmName,
            from: from.endpoint.name,
            to: o.replicaServer,
            auth: o.auth,
            port: String(o.replicaPort),
          };
          if (ctx.job.dryRun) {
            if (old && old.powerState !== 'poweredOff')
              await ctx.log(
                'warn',
                sayStep('stepLog.dryRun.hvSplitBrainOff', { vm: pair.sourceVmName, host: to.endpoint.name }),
              );
            return void (await ctx.log(
              'info',
              sayStep(
                planned ? 'stepLog.dryRun.hvReversePlanned' : 'stepLog.dryRun.hvReverseUnplanned',
                reversal,
              ),
            ));
          }
          if (old && old.powerState !== 'poweredOff') {
            await ctx.log(
              'warn',
              sayStep('stepLog.hvSplitBrainOff', { vm: pair.sourceVmName, host: to.endpoint.name }),
            );
            await to.operations.powerOff(pair.sourceVmId);
          }
          r = await ops.reverseReplication(
            pair.sourceVmId,
            {
              replicaServer: o.replicaServer,
              replicaPort: o.replicaPort,
              auth: o.auth,
              ...(o.certificateThumbprint ? { certificateThumbprint: o.certificateThumbprint } : {}),
            },
            { signal: ctx.signal },
          );
          await ctx.log(
            'info',
            sayStep(planned ? 'stepLog.hvReversedPlanned' : 'stepLog.hvReversedUnplanned', reversal),
          );
        } else if (ctx.job.dryRun) {
          return void (await ctx.log(
            'info',
            sayStep('stepLog.dryRun.hvReplicatesFrom', {
              vm: pair.sourceVmName,
              host: from.endpoint.name,
              state: state(r),
            }),
          ));
        }
        if (r?.state === 'ReadyForInitialReplication') {
          await ops.startInitialReplication(pair.sourceVmId, { signal: ctx.signal });
          await ctx.log(
            'info',
            sayStep('stepLog.hvInitialFrom', { vm: pair.sourceVmName, host: from.endpoint.name }),
          );
        } else if (r?.state === 'Suspended') {
          await ops.resumeReplication(pair.sourceVmId, {}, { signal: ctx.signal });
          await ctx.log(
            'info',
            sayStep('stepLog.hvResumedFrom', { vm: pair.sourceVmName, host: from.endpoint.name }),
          );
        }
      });
      if (ctx.job.dryRun) return undefined;
      // Protected once the new primary reports a replication done in the new direction.
      for (;;) {
        let done = 0;
        for (const pair of pairs) {
          if ((await ctx.store.pairs.get(pair.id)).state === 'protected') {
            done++;
            continue;
          }
          const { from } = sessions.get(pair.id)!;
          const r = await hv(from).replication(pair.sourceVmId, { signal: ctx.signal });
          if (r?.mode === 'Primary' && r.state === 'Replicating' && r.lastReplicationTime) {
            if (fromSite === 'source') await forgetRecovered(ctx, pair.id, 'failover');
            await ctx.store.pairs.transition(
              pair.id,
              'protected',
              `Hyper-V Replica from ${from.endpoint.name} (job ${ctx.job.id})`,
              ['reprotecting'],
            );
            await ctx.log(
              'info',
              sayStep('stepLog.hvReplicatingFrom', {
                vm: pair.sourceVmName,
                host: from.endpoint.name,
                health: r.health,
              }),
            );
            done++;
          } else if (r?.state === 'Error' || r?.health === 'Critical') {
            await ctx.store.pairs.transition(pair.id, 'error', `Hyper-V Replica: ${state(r)} (${r?.health})`);
            throw stepError(
              'conflict',
              sayStep('stepError.hvReplicaErrorOn', {
                vm: pair.sourceVmName,
                state: state(r),
                health: String(r?.health),
                host: from.endpoint.name,
              }),
            );
          }
        }
        await ctx.progress(done / pairs.length);
        if (done === pairs.length) return undefined;
        await until(500);
        ctx.signal.throwIfAborted();
      }
    },
    false,
  );
}

function reprotect(plan: Plan): WorkflowStep[] {
  return [reverseStep(plan, sayStep('jobStep.hv.replicateBack', { source: plan.source.site }), 2, 'target')];
}

function failbackFailover(plan: Plan): WorkflowStep[] {
  return [
    step(sayStep('jobStep.hv.failBack', { source: plan.source.site }), async (ctx) => {
      const pairs = await hvAt(ctx, plan, [4]);
      if (pairs.length === 0) return 'skipped';
      let changed = 0;
      await ctx.parallel(pairs, plan.parallelism, async (pair) => {
        const current = await replicaOf(ctx, plan, pair);
        const original = await primaryOf(ctx, plan, pair);
        const cr = await hv(current).replication(pair.sourceVmId, { signal: ctx.signal });
        const or = await hv(original).replication(pair.sourceVmId, { signal: ctx.signal });
        if (ctx.job.dryRun)
          return void (await ctx.log(
            'info',
            sayStep('stepLog.dryRun.hvFailBack', {
              vm: pair.sourceVmName,
              current: current.endpoint.name,
              original: original.endpoint.name,
            }),
          ));
        if (cr?.mode === 'Primary' && state(cr) !== 'PreparedForFailover') {
          await hv(current).startFailover(pair.sourceVmId, { mode: 'prepare' }, { signal: ctx.signal });
          await ctx.log(
            'info',
            sayStep('stepLog.hvPreparedOn', {
              vm: pair.sourceVmName,
              current: current.endpoint.name,
              original: original.endpoint.name,
            }),
          );
          changed++;
        }
        if (or?.mode === 'Replica' && !FAILED_OVER.includes(state(or))) {
          await hv(original).startFailover(pair.sourceVmId, { mode: 'failover' }, { signal: ctx.signal });
          await ctx.log(
            'info',
            sayStep('stepLog.hvFailedBack', { vm: pair.sourceVmName, host: original.endpoint.name }),
          );
          changed++;
        }
      });
      return changed === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
  ];
}

/** Starts the original VM of a pair failing back (its boot group's turn); true when it was off. */
async function failbackPowerOn(ctx: StepContext, plan: Plan, pair: Pair): Promise<boolean> {
  const original = await primaryOf(ctx, plan, pair);
  if (ctx.job.dryRun) {
    await ctx.log(
      'info',
      sayStep('stepLog.dryRun.hvStart', { vm: pair.sourceVmName, host: original.endpoint.name }),
    );
    return false;
  }
  return (await original.operations.powerOn(pair.sourceVmId)) === 'powered-on';
}

function failbackCommit(plan: Plan): WorkflowStep[] {
  return [
    step(sayStep('jobStep.hv.completeBack'), async (ctx) => {
      const pairs = await hvAt(ctx, plan, [4]);
      if (pairs.length === 0) return 'skipped';
      let completed = 0;
      for (const pair of pairs) {
        const original = await primaryOf(ctx, plan, pair);
        const r = await hv(original).replication(pair.sourceVmId, { signal: ctx.signal });
        if (state(r) === 'FailedOver') continue;
        if (ctx.job.dryRun) {
          await ctx.log(
            'info',
            sayStep('stepLog.dryRun.hvCompleteOn', { vm: pair.sourceVmName, host: original.endpoint.name }),
          );
          continue;
        }
        if (state(r) !== 'FailedOverWaitingCompletion')
          throw stepError(
            'conflict',
            sayStep('stepError.hvNotFailedBack', {
              vm: pair.sourceVmName,
              host: original.endpoint.name,
              state: state(r),
            }),
          );
        await hv(original).completeFailover(pair.sourceVmId, { signal: ctx.signal });
        completed++;
        await ctx.log(
          'info',
          sayStep('stepLog.hvCompletedBack', { vm: pair.sourceVmName, host: original.endpoint.name }),
        );
      }
      return completed === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
  ];
}

function failbackReprotect(plan: Plan): WorkflowStep[] {
  return [
    reverseStep(plan, sayStep('jobStep.hv.replicateForward', { target: plan.target.site }), 7, 'source'),
  ];
}

export const hypervSteps: PlatformSteps = {
  platform: 'hyperv',
  protect,
  failoverBefore,
  failoverRecover,
  cleanupTest,
  commit,
  rollback,
  reprotect,
  failbackFailover,
  failbackPowerOn,
  failbackCommit,
  failbackReprotect,
};
