import { type MasterTarget, type Plan, spillOrder } from '../../shared/configserver';
import { sayStep, stepError } from '../../shared/i18n/step-words';
import type { StepContext, Workflow } from '../jobs';
import {
  inventoryOf,
  masterTargetOf,
  mustFindSourceVm,
  pairsOf,
  placementOf,
  planOf,
  preparePlan,
  readinessStep,
  replicaDisksOf,
  splitFileName,
  step,
  targetSession,
} from './common';
import { platformsOf } from './platforms';

/** The plan's master target and those of its site, OS family and vCenter that new pairs spill onto. */
async function mtSpillOrder(ctx: StepContext, plan: Plan): Promise<MasterTarget[]> {
  return spillOrder(await masterTargetOf(ctx, plan), await ctx.store.masterTargets.list());
}

/**
 * Protect (pair machines): register a pair per machine (each disk takes a master-target slot),
 * give the master target the SCSI controllers its slots need, create thin replica disks of the
 * sources' sizes on the target datastore in those slots, and wait until the agents (the lab agent
 * plays them) have every pair `protected`.
 */
export const protectWorkflow: Workflow = {
  kind: 'protect',
  prepare: preparePlan({ needsPairs: false }),
  steps(_job, input) {
    const plan = planOf(input);
    return [
      readinessStep('protect'),
      step(sayStep('jobStep.reserveMtDisks'), async (ctx) => {
        if (!plan.masterTargetId) {
          await ctx.log('info', sayStep('stepLog.noMasterTarget'));
          return 'skipped';
        }
        const target = await targetSession(ctx, plan);
        // The master targets new pairs may spill onto too: their own disks must be known first.
        for (const [i, mt] of (await mtSpillOrder(ctx, plan)).entries()) {
          const info = await target.operations.findVm({ id: mt.vmId });
          if (!info) {
            if (i === 0)
              throw stepError('not-found', sayStep('stepError.mtVmGone', { vm: mt.vmName, id: mt.vmId }));
            await ctx.log('warn', sayStep('stepLog.mtVmGone', { vm: mt.vmName, id: mt.vmId }));
            continue;
          }
          const own = info.disks
            .filter((d) => !d.fileName.includes('siteshift-replicas/') && d.controller >= 0)
            .map((d) => ({ controller: d.controller, unit: d.unit }));
          if (ctx.job.dryRun) {
            await ctx.log(
              'info',
              own.length
                ? sayStep('stepLog.dryRun.mtOwnDisks', {
                    vm: mt.vmName,
                    slots: own.map((o) => `${o.controller}:${o.unit}`).join(', '),
                  })
                : sayStep('stepLog.dryRun.mtOwnDisksNone', { vm: mt.vmName }),
            );
            continue;
          }
          await ctx.store.db.query('UPDATE master_targets SET reserved_slots = $2::jsonb WHERE id = $1', [
            mt.id,
            JSON.stringify(own),
          ]);
          await ctx.log(
            'info',
            own.length
              ? sayStep('stepLog.mtOwnDisks', {
                  vm: mt.vmName,
                  slots: own.map((o) => `SCSI ${o.controller}:${o.unit}`).join(', '),
                })
              : sayStep('stepLog.mtOwnDisksNone', { vm: mt.vmName }),
          );
        }
        return undefined;
      }),
      step(sayStep('jobStep.registerPairs'), async (ctx) => {
        const pairs = await pairsOf(ctx, plan);
        let created = 0;
        // Free slots as this step takes them; the store still refuses a slot another job took.
        const mts = plan.masterTargetId ? await mtSpillOrder(ctx, plan) : [];
        // A spill master target that is gone or off takes no pair (readiness says so too): its
        // disks could not be created or replicated into.
        for (const mt of mts.slice(1)) {
          const info = await (await targetSession(ctx, plan)).operations.findVm({ id: mt.vmId });
          if (info?.powerState === 'poweredOn') continue;
          mts.splice(mts.indexOf(mt), 1);
          await ctx.log(
            'warn',
            info
              ? sayStep('stepLog.spillMtNotOn', { mt: mt.name, vm: mt.vmName, power: info.powerState })
              : sayStep('stepLog.spillMtGone', { mt: mt.name, vm: mt.vmName }),
          );
        }
        const free = new Map(mts.map((mt) => [mt.id, mt.slotsFree]));
        for (const m of plan.machines) {
          if (pairs.has(m.vm)) continue;
          const { vm, session } = await mustFindSourceVm(ctx, plan, m.vm);
          // The endpoint that has the machine decides its platform: a Hyper-V VM replicates with
          // Hyper-V Replica, host to host, and takes no master-target slot.
          const platform = session.endpoint.target.kind === 'hyperv' ? 'hyperv' : 'vsphere';
          // Hyper-V reports no guest OS without the guest's data exchange service; the family
          // only chooses a master target, which a Hyper-V pair does not have.
          const osFamily = /^win/i.test(vm.guestOs ?? '') || platform === 'hyperv' ? 'windows' : 'linux';
          if (ctx.job.dryRun) {
            const sizes = {
              vm: m.vm,
              count: vm.disks.length,
              bytes: vm.disks.reduce((s, d) => s + d.capacityBytes, 0),
            };
            await ctx.log(
              'info',
              platform === 'hyperv'
                ? sayStep('stepLog.dryRun.protectHyperv', { ...sizes, host: session.endpoint.name })
                : sayStep('stepLog.dryRun.protect', { ...sizes, family: osFamily }),
            );
            continue;
          }
          let masterTarget: string | undefined;
          if (platform === 'vsphere' && mts.length > 0) {
            const needs = Math.max(1, vm.disks.length);
            const mt = mts.find((x) => x.osFamily === osFamily && (free.get(x.id) ?? 0) >= needs);
            // No fit (or another family): the plan's own, whose refusal says what to do.
            masterTarget = (mt ?? mts[0]!).id;
            free.set(masterTarget, (free.get(masterTarget) ?? 0) - needs);
            if (mt && mt.id !== mts[0]!.id)
              await ctx.log(
                'info',
                sayStep('stepLog.mtFullSpill', {
                  vm: m.vm,
                  full: mts[0]!.vmName,
                  count: needs,
                  mt: mt.vmName,
                }),
              );
          }
          await ctx.store.pairs.create({
            ...(masterTarget ? { masterTarget } : {}),
            plan: plan.id,
            sourceSite: plan.sourceSiteId,
            targetSite: plan.targetSiteId,
            sourceVmId: vm.id,
            sourceVmName: vm.name,
            osFamily,
            platform,
            ...(platform === 'vsphere' ? { disks: vm.disks.map((_, i) => `disk-${i}`) } : {}),
          });
          created++;
        }
        await ctx.log('info', sayStep('stepLog.pairsRegistered', { count: created, existing: pairs.size }));
        return created === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
      }),
      step(sayStep('jobStep.scsiControllers'), async (ctx) => {
        const pairs = [...(await pairsOf(ctx, plan)).values()];
        const byMt = new Map<string, Set<number>>();
        for (const { mt, d } of await replicaDisksOf(ctx, plan, pairs)) {
          byMt.set(mt.id, (byMt.get(mt.id) ?? new Set()).add(d.controller));
        }
        if (byMt.size === 0) return 'skipped';
        const target = await targetSession(ctx, plan);
        let added = 0;
        for (const [mtId, buses] of byMt) {
          const mt = await ctx.store.masterTargets.get(mtId);
          const info = await target.operations.findVm({ id: mt.vmId });
          if (!info)
            throw stepError('not-found', sayStep('stepError.mtVmGone', { vm: mt.vmName, id: mt.vmId }));
          const missing = [...buses].sort().filter((b) => !info.scsiControllers.some((c) => c.bus === b));
          for (const bus of missing) {
            if (ctx.job.dryRun)
              await ctx.log('info', sayStep('stepLog.dryRun.addScsi', { bus, vm: mt.vmName }));
            else await target.operations.ensureScsiController(mt.vmId, bus, 'pvscsi');
          }
          if (!ctx.job.dryRun && missing.length)
            await ctx.log('info', sayStep('stepLog.scsiAdded', { vm: mt.vmName, bus: missing.join(', ') }));
          added += missing.length;
        }
        return added === 0 ? 'skipped' : undefined;
      }),
      step(sayStep('jobStep.createReplicaDisks'), async (ctx) => {
        if (!plan.masterTargetId) return 'skipped';
        const target = await targetSession(ctx, plan);
        const inv = await inventoryOf(target, ctx.signal);
        const placement = placementOf(plan);
        const ds = inv.datastores.find((d) => d.name === placement.datastore);
        if (!ds)
          throw stepError(
            'not-found',
            sayStep('stepError.noDatastore', {
              datastore: placement.datastore,
              endpoint: target.endpoint.name,
            }),
          );
        const pairs = [...(await pairsOf(ctx, plan)).values()];
        const attachedOn = new Map<string, Set<string>>();
        const work: Array<{
          pair: (typeof pairs)[number];
          mt: MasterTarget;
          index: number;
          controller: number;
          unit: number;
          bytes: number;
          fileName: string;
        }> = [];
        const sources = new Map<string, Awaited<ReturnType<typeof mustFindSourceVm>>['vm']>();
        for (const { pair, mt, d } of await replicaDisksOf(ctx, plan, pairs)) {
          let attached = attachedOn.get(mt.id);
          if (!attached) {
            const onMt = await target.operations.findVm({ id: mt.vmId });
            attached = new Set(onMt?.disks.map((x) => x.fileName) ?? []);
            attachedOn.set(mt.id, attached);
          }
          if (attached.has(d.fileName)) continue;
          let vm = sources.get(pair.id);
          if (!vm) {
            vm = (await mustFindSourceVm(ctx, plan, pair.sourceVmName)).vm;
            sources.set(pair.id, vm);
          }
          work.push({
            pair,
            mt,
            index: d.index,
            controller: d.controller,
            unit: d.unit,
            bytes: vm.disks[d.index]?.capacityBytes ?? 0,
            // A slot that already names its file (an interrupted run) keeps it; a new one goes to
            // the placement's datastore.
            fileName: d.fileName,
          });
        }
        const total = work.reduce((s, w) => s + w.bytes, 0);
        if (ctx.job.dryRun) {
          for (const w of work)
            await ctx.log(
              'info',
              sayStep('stepLog.dryRun.createDisk', {
                file: w.fileName,
                bytes: w.bytes,
                slot: `${w.controller}:${w.unit}`,
                vm: w.mt.vmName,
              }),
            );
          await ctx.log(
            'info',
            sayStep('stepLog.dryRun.provisioned', { bytes: total, datastore: ds.name, free: ds.freeBytes }),
          );
          return undefined;
        }
        await ctx.parallel(work, plan.parallelism, async (w) => {
          // Recorded before the disk exists: failover, rollback and cleanup look for it there,
          // whatever the plan's placement says by then.
          await ctx.store.masterTargets.recordReplicaFile(w.mt.id, w.controller, w.unit, w.fileName);
          const { datastore, path } = splitFileName(w.fileName);
          const dsId = inv.datastores.find((x) => x.name === datastore)?.id;
          if (!dsId)
            throw stepError(
              'not-found',
              sayStep('stepError.noDatastore', { datastore, endpoint: target.endpoint.name }),
            );
          await target.operations.createDisk(w.mt.vmId, {
            datastore: dsId,
            path,
            capacityBytes: Math.max(w.bytes, 1024 * 1024),
            controller: w.controller,
            unit: w.unit,
            thin: true,
          });
        });
        const onMts = [...new Set(work.map((w) => w.mt.vmName))].join(', ');
        await ctx.log(
          'info',
          onMts
            ? sayStep('stepLog.replicaDisksCreated', { count: work.length, bytes: total, mts: onMts })
            : sayStep('stepLog.replicaDisksCreatedNone', { count: work.length, bytes: total }),
        );
        return work.length === 0 ? 'skipped' : undefined;
      }),
      ...platformsOf(input).flatMap((p) => p.protect(plan)),
      step(
        sayStep('jobStep.waitInitial'),
        async (ctx) => {
          const pairs = [...(await pairsOf(ctx, plan)).values()];
          if (ctx.job.dryRun) {
            await ctx.log('info', sayStep('stepLog.dryRun.replicateUntil', { count: plan.machines.length }));
            return undefined;
          }
          for (;;) {
            const now = await ctx.store.pairs.list({ planId: plan.id });
            const done = now.filter((p) => p.state === 'protected').length;
            const failed = now.find((p) => p.state === 'error');
            if (failed)
              throw stepError(
                'conflict',
                sayStep('stepError.errorDuringInitial', { vm: failed.sourceVmName }),
              );
            await ctx.progress(done / Math.max(1, pairs.length));
            if (done === now.length) break;
            await new Promise((r) => setTimeout(r, 500));
            ctx.signal.throwIfAborted();
          }
          await ctx.log('info', sayStep('stepLog.pairsProtected', { count: pairs.length }));
          return undefined;
        },
        false,
      ),
    ];
  },
};
