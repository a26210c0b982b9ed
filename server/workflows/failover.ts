import { spawn } from 'node:child_process';
import type { NewVmSpec, RecoverySettings } from '../../core/inventory/operations';
import {
  isMessageStep,
  isScriptStep,
  type Pair,
  type Plan,
  type RecoveryPoint,
} from '../../shared/configserver';
import { stateSaid } from '../../shared/i18n/pair-state-words';
import { sayStep, stepError } from '../../shared/i18n/step-words';
import type { VsphereInventory } from '../../shared/schemas/inventory';
import type { JobKind } from '../../shared/schemas/job';
import type { StepContext, Workflow, WorkflowStep } from '../jobs';
import {
  declareRecoveredAll,
  inventoryOf,
  movePairs,
  pairFor,
  pairsOf,
  parsePoint,
  placementOf,
  planOf,
  powerWaves,
  preparePlan,
  type RecoveredRow,
  readinessStep,
  recoveredNameOf,
  recoveredRows,
  recoveredSlot,
  replicaDisksOf,
  SourceVmIndex,
  setRecoveredVm,
  step,
  targetSession,
  testDiskPath,
} from './common';
import { type Flavour, platformsOf } from './platforms';

/**
 * Test, planned and unplanned failover: one list of steps, three flavours.
 * - test: copies of the replica disks, recovered VMs on the plan's isolated test network;
 *   replication goes on (pairs `test-failover-running`).
 * - planned: guest shutdown of the sources (power off after the timeout), final sync, then the
 *   replica disks themselves move from the master target to the recovered VMs.
 * - unplanned: the sources are not touched; a source still running is a split brain, refused
 *   unless the operator accepts it explicitly.
 * Recovered VMs keep the source's name (or the plan's recoveredName), CPU, memory, firmware,
 * controller kinds and MACs, and power on in boot-group order, dependencies first, with the
 * plan's parallelism; plan steps (message, script) run between the groups.
 */

export { parsePoint };

export function choosePoint(points: RecoveryPoint[], raw: unknown): RecoveryPoint | null {
  const p = parsePoint(raw);
  const sorted = [...points].sort((a, b) => b.at.localeCompare(a.at));
  if (p.kind === 'latest') return sorted[0] ?? null;
  if (p.kind === 'latest-app') return sorted.find((x) => x.consistency === 'app') ?? null;
  if (p.kind === 'time') {
    const t = Date.parse(p.value!);
    return sorted.find((x) => Date.parse(x.at) <= t) ?? null;
  }
  return sorted.find((x) => x.tag === p.value) ?? null;
}

const purposeOf = (f: Flavour) => (f === 'test' ? 'test' : 'failover');

function defaults(pair: Pair): RecoverySettings {
  return {
    guestId: pair.osFamily === 'windows' ? 'windows2019srv_64Guest' : 'otherLinux64Guest',
    cpus: 2,
    memoryMB: 4096,
    firmware: 'bios',
    bootOptions: {},
    scsiControllers: [{ bus: 0, kind: 'lsilogic-sas' }],
    nics: [],
  };
}

/** Runs a plan's script step: audited before and after, its exit code decides. */
export async function runScript(ctx: StepContext, command: string, timeoutSeconds: number): Promise<void> {
  await ctx.store.audit.append({
    actor: ctx.job.createdBy,
    action: 'plan.script.run',
    target: ctx.job.planId,
    outcome: 'ok',
    status: 0,
    detail: `job ${ctx.job.id}: ${command}`,
  });
  // The plan's command line is the admin's, run as written (a shell line, like cron's).
  const code = await new Promise<number | string>((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out = (out + c.toString()).slice(-4000);
    });
    child.stderr.on('data', (c: Buffer) => {
      out = (out + c.toString()).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutSeconds * 1000);
    const onAbort = () => child.kill('SIGKILL');
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', reject);
    child.on('close', (c, sig) => {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      for (const line of out.split('\n').filter(Boolean).slice(-20))
        void ctx.log('info', sayStep('stepLog.scriptOutput', { line }));
      resolve(sig ? `killed by ${sig}` : (c ?? -1));
    });
  });
  await ctx.store.audit.append({
    actor: ctx.job.createdBy,
    action: 'plan.script.exit',
    target: ctx.job.planId,
    outcome: code === 0 ? 'ok' : 'failed',
    status: typeof code === 'number' ? code : -1,
    detail: `job ${ctx.job.id}: ${command} → ${code}`,
  });
  if (code !== 0) {
    throw stepError(
      'conflict',
      typeof code === 'string'
        ? sayStep('stepError.scriptTimeout', { command, seconds: timeoutSeconds, signal: code })
        : sayStep('stepError.scriptExit', { command, code }),
    );
  }
}

/** "10.20.0.11/24" → address and dotted subnet mask. */
export function splitCidr(cidr: string): { address: string; subnetMask: string } {
  const [address, bits] = cidr.split('/');
  const n = Number(bits);
  const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
  return {
    address: address!,
    subnetMask: [24, 16, 8, 0].map((s) => (mask >>> s) & 255).join('.'),
  };
}

/** A guest host name from a VM name: letters, digits and hyphens, at most 63 characters. */
export function hostNameOf(vmName: string): string {
  const h = vmName
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return h || 'recovered';
}

/** The DNS domain a re-addressed Linux guest is put in unless the plan says (LinuxPrep requires one). */
const REIP_DOMAIN = 'localdomain';

/** A Windows computer name: a host name cut to NetBIOS' 15 characters. */
export function computerNameOf(vmName: string): string {
  return hostNameOf(vmName).slice(0, 15).replace(/-+$/, '') || 'recovered';
}

/**
 * Re-IP (the plan's machines[].reip): vSphere guest customization queued on each recovered VM
 * while it is still off, applied by VMware Tools at its first power-on (the next steps). The
 * re-addressed NIC gets the plan's address, gateway and DNS; the others DHCP (vSphere's
 * customization sets every NIC). A Windows guest is customized by Sysprep: it comes up with a
 * new SID in the plan's workgroup, out of its domain (a domain join needs a domain account's
 * password, which a plan does not hold), and the log says so.
 */
function reipStep(plan: Plan, purpose: 'test' | 'failover'): WorkflowStep {
  return step(sayStep('jobStep.reip'), async (ctx) => {
    const target = await targetSession(ctx, plan);
    const pairs = await pairsOf(ctx, plan);
    const machines = plan.machines.filter((m) => m.reip && pairs.has(m.vm));
    const rows = await recoveredRows(
      ctx,
      purpose,
      machines.map((m) => pairFor(pairs, m).id),
    );
    let queued = 0;
    await ctx.parallel(machines, plan.parallelism, async (machine) => {
      const reip = machine.reip!;
      const pair = pairFor(pairs, machine);
      const name = recoveredNameOf(machine, purpose);
      const { address, subnetMask } = splitCidr(reip.address);
      // Gateway and DNS read the same in every language the console speaks.
      const what = {
        nic: reip.nic,
        vm: name,
        address: reip.address,
        via: reip.gateway ? ` via ${reip.gateway}` : '',
        dns: reip.dns.length ? `, DNS ${reip.dns.join(' ')}` : '',
      };
      const windows = pair.osFamily === 'windows';
      const sysprep = { computer: computerNameOf(machine.vm), workgroup: reip.workgroup ?? 'WORKGROUP' };
      if (ctx.job.dryRun) {
        await ctx.log(
          'info',
          windows
            ? sayStep('stepLog.dryRun.reipSysprep', { ...what, ...sysprep })
            : sayStep('stepLog.dryRun.reip', what),
        );
        return;
      }
      const row = rows.find((r) => r.pairId === pair.id);
      const vm = row?.vmId ? await target.operations.findVm({ id: row.vmId }) : null;
      if (!vm) throw stepError('not-found', sayStep('stepError.notCreated', { vm: name }));
      if (vm.powerState !== 'poweredOff') {
        await ctx.log('info', sayStep('stepLog.reipOnAlready', { vm: name }));
        return;
      }
      if (reip.nic >= vm.nics.length)
        throw stepError(
          'invalid-input',
          sayStep('stepError.reipNic', {
            vm: machine.vm,
            nic: reip.nic,
            recovered: name,
            count: vm.nics.length,
          }),
        );
      const outcome = await target.operations.customizeGuest(vm.id, {
        ...(windows
          ? {
              osFamily: 'windows' as const,
              hostName: computerNameOf(machine.vm),
              domain: reip.domain ?? '',
              workgroup: reip.workgroup ?? 'WORKGROUP',
            }
          : {
              osFamily: 'linux' as const,
              hostName: hostNameOf(machine.vm),
              domain: reip.domain ?? REIP_DOMAIN,
            }),
        dnsServers: reip.dns,
        nics: vm.nics.map((_, i) =>
          i === reip.nic
            ? { address, subnetMask, gateway: reip.gateway, dns: reip.dns }
            : { dhcp: true as const },
        ),
      });
      if (outcome === 'customized') queued++;
      const key =
        `stepLog.reip.${outcome === 'customized' ? 'queued' : 'already'}${vm.nics.length > 1 ? 'Others' : ''}${windows ? 'Sysprep' : ''}` as const;
      await ctx.log(windows ? 'warn' : 'info', sayStep(key, { ...what, ...(windows ? sysprep : {}) }));
    });
    return queued === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
  });
}

function failoverSteps(flavour: Flavour, plan: Plan, input: Record<string, unknown>): WorkflowStep[] {
  const purpose = purposeOf(flavour);
  const steps: WorkflowStep[] = [readinessStep(flavour)];
  const machinesWithPairs = async (ctx: StepContext) => {
    const pairs = await pairsOf(ctx, plan);
    return plan.machines.map((m) => ({ machine: m, pair: pairFor(pairs, m) }));
  };

  if (flavour === 'planned') {
    steps.push(
      step(sayStep('jobStep.shutDownSource'), async (ctx) => {
        const timeoutMs = Number(input.shutdownTimeoutSec ?? 300) * 1000;
        const items = await machinesWithPairs(ctx);
        const sources = new SourceVmIndex(ctx, plan);
        await ctx.parallel(items, plan.parallelism, async ({ machine }) => {
          const { found, unreachable } = await sources.find(machine.vm);
          if (!found)
            throw unreachable.length
              ? stepError(
                  'unreachable',
                  sayStep('stepError.cannotShutDown', { vm: machine.vm, errors: unreachable.join('; ') }),
                )
              : stepError('not-found', sayStep('stepError.cannotShutDownMissing', { vm: machine.vm }));
          if (ctx.job.dryRun) {
            await ctx.log(
              'info',
              sayStep('stepLog.dryRun.shutDown', { vm: machine.vm, power: found.vm.powerState }),
            );
            return;
          }
          const how = await found.session.operations.shutdownGuest(found.vm.id, { timeoutMs });
          await ctx.log('info', sayStep(`stepLog.shutdown.${how}`, { vm: machine.vm }));
        });
        return undefined;
      }),
      step(sayStep('jobStep.finalSync'), async (ctx) => {
        // Hyper-V's final sync is its own -Prepare step (platforms/hyperv.ts).
        const items = (await machinesWithPairs(ctx)).filter((x) => x.pair.platform === 'vsphere');
        for (const { pair } of items) {
          if (ctx.job.dryRun) {
            await ctx.log('info', sayStep('stepLog.dryRun.finalPoint', { vm: pair.sourceVmName }));
            continue;
          }
          const existing = (await ctx.store.recoveryPoints.list(pair.id, 50)).find(
            (p) => p.tag === `planned-failover ${ctx.job.id}`,
          );
          if (existing) continue;
          await ctx.store.recoveryPoints.add(pair.id, {
            consistency: 'app',
            tag: `planned-failover ${ctx.job.id}`,
          });
        }
        await ctx.log('info', sayStep('stepLog.sourcesOff'));
        return undefined;
      }),
    );
  }

  if (flavour === 'unplanned') {
    steps.push(
      step(
        sayStep('jobStep.splitBrain'),
        async (ctx) => {
          const accept = input.acceptSplitBrain === true;
          const running: string[] = [];
          const sources = new SourceVmIndex(ctx, plan);
          for (const { machine } of await machinesWithPairs(ctx)) {
            const { found, unreachable } = await sources.find(machine.vm).catch(() => ({
              found: null,
              unreachable: ['lookup failed'],
            }));
            if (found?.vm.powerState === 'poweredOn') running.push(machine.vm);
            else if (!found && unreachable.length)
              await ctx.log(
                'info',
                sayStep('stepLog.sourceSilent', { vm: machine.vm, errors: unreachable.join('; ') }),
              );
          }
          if (running.length === 0) {
            await ctx.log('info', sayStep('stepLog.noSplitBrain'));
            return undefined;
          }
          if (!accept)
            throw stepError(
              'conflict',
              sayStep('stepError.splitBrain', { vms: running.join(', '), count: running.length }),
            );
          await ctx.log(
            'warn',
            sayStep('stepLog.splitBrainAccepted', { vms: running.join(', '), count: running.length }),
          );
          return undefined;
        },
        false,
      ),
    );
  }

  if (flavour !== 'planned') {
    steps.push(
      step(
        sayStep('jobStep.choosePoint'),
        async (ctx) => {
          const vsphere = (await machinesWithPairs(ctx)).filter((x) => x.pair.platform === 'vsphere');
          if (vsphere.length === 0) return 'skipped';
          const points = await ctx.store.recoveryPoints.listFor(vsphere.map((x) => x.pair.id));
          for (const { pair } of vsphere) {
            const point = choosePoint(points.get(pair.id) ?? [], input.point);
            if (!point)
              throw stepError(
                'not-found',
                sayStep('stepError.noPoint', {
                  vm: pair.sourceVmName,
                  point: String(input.point ?? 'latest'),
                }),
              );
            const chosen = { vm: pair.sourceVmName, at: point.at, consistency: point.consistency };
            await ctx.log(
              'info',
              point.tag
                ? sayStep('stepLog.pointChosenTag', { ...chosen, tag: point.tag })
                : sayStep('stepLog.pointChosen', chosen),
            );
          }
          return undefined;
        },
        false,
      ),
    );
  }

  // What each platform does before the pairs move (Hyper-V: -Prepare, its recovery points).
  steps.push(...platformsOf(input).flatMap((p) => p.failoverBefore(flavour, plan, input)));

  steps.push(
    step(
      flavour === 'test'
        ? sayStep('jobStep.markTestRunning', { state: stateSaid('test-failover-running') })
        : sayStep('jobStep.markFailoverPending', { state: stateSaid('failover-pending') }),
      async (ctx) => {
        const pairs = (await machinesWithPairs(ctx)).map((x) => x.pair);
        return flavour === 'test'
          ? movePairs(ctx, pairs, 'test-failover-running', ['protected'], `test failover (job ${ctx.job.id})`)
          : movePairs(
              ctx,
              pairs,
              'failover-pending',
              ['protected', 'resync-required'],
              `${flavour} failover (job ${ctx.job.id})`,
            );
      },
      false,
    ),
  );

  steps.push(
    step(
      flavour === 'test' ? sayStep('jobStep.copyReplicaDisks') : sayStep('jobStep.detachReplicaDisks'),
      async (ctx) => {
        const items = await replicaDisksOf(
          ctx,
          plan,
          (await machinesWithPairs(ctx)).map((x) => x.pair),
        );
        if (items.length === 0) return 'skipped';
        const target = await targetSession(ctx, plan);
        const ds = placementOf(plan).datastore;
        let changed = 0;
        await ctx.parallel(items, plan.parallelism, async ({ pair, mt, d }) => {
          if (flavour === 'test') {
            const copy = `[${ds}] ${testDiskPath(pair, d.index)}`;
            if (ctx.job.dryRun)
              return void (await ctx.log(
                'info',
                sayStep('stepLog.dryRun.copyDisk', { file: d.fileName, copy }),
              ));
            if ((await target.operations.copyDisk(d.fileName, copy)) === 'copied') changed++;
            return;
          }
          if (ctx.job.dryRun)
            return void (await ctx.log(
              'info',
              sayStep('stepLog.dryRun.detachDisk', {
                file: d.fileName,
                vm: mt.vmName,
                slot: `${d.controller}:${d.unit}`,
              }),
            ));
          if ((await target.operations.detachDisk(mt.vmId, d.fileName)) === 'detached') changed++;
        });
        if (!ctx.job.dryRun)
          await ctx.log(
            'info',
            sayStep(flavour === 'test' ? 'stepLog.disksCopied' : 'stepLog.disksDetached', { count: changed }),
          );
        return changed === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
      },
    ),
  );

  steps.push(
    step(sayStep('jobStep.createRecovered'), async (ctx) => {
      const vsphere = (await machinesWithPairs(ctx)).filter((x) => x.pair.platform === 'vsphere');
      if (vsphere.length === 0) return 'skipped';
      const target = await targetSession(ctx, plan);
      const inv = await inventoryOf(target, ctx.signal);
      const placement = placementOf(plan);
      const ds = inv.datastores.find((d) => d.name === placement.datastore);
      const cluster = placement.cluster ? inv.clusters.find((c) => c.name === placement.cluster) : undefined;
      const host = placement.host
        ? inv.hosts.find((h) => h.name === placement.host || h.name.split('.')[0] === placement.host)
        : undefined;
      if (!ds || (!cluster && !host))
        throw stepError(
          'not-found',
          sayStep('stepError.placementMissing', {
            where: String(placement.cluster ?? placement.host),
            datastore: placement.datastore,
            endpoint: target.endpoint.name,
          }),
        );
      const networkId = (name: string) => inv.networks.find((n) => n.name === name)?.id;
      const testNet = plan.target.testNetwork ? networkId(plan.target.testNetwork) : undefined;
      if (flavour === 'test' && !testNet)
        throw stepError(
          'not-found',
          sayStep('stepError.testNetworkMissing', {
            network: plan.target.testNetwork ?? '(none)',
            endpoint: target.endpoint.name,
          }),
        );
      let created = 0;
      // One read of each source endpoint's inventory for the step (VM names and network names),
      // and the target's read above for the recovered VMs already there, not one per VM.
      const sources = new SourceVmIndex(ctx, plan);
      const onTarget = new Map<string, string[]>();
      for (const v of inv.vms) onTarget.set(v.name, [...(onTarget.get(v.name) ?? []), v.id]);
      // The replica disks of every pair, each master target read once.
      const replicas = new Map<string, Array<{ fileName: string; controller: number; unit: number }>>();
      for (const { pair, d } of await replicaDisksOf(
        ctx,
        plan,
        vsphere.map((x) => x.pair),
      ))
        replicas.set(pair.id, [
          ...(replicas.get(pair.id) ?? []),
          {
            fileName:
              flavour === 'test' ? `[${placement.datastore}] ${testDiskPath(pair, d.index)}` : d.fileName,
            ...recoveredSlot(d.index),
          },
        ]);
      // Every VM is declared before any is created (one statement for the step, not one per VM).
      const declared = ctx.job.dryRun
        ? new Map<string, RecoveredRow>()
        : await declareRecoveredAll(
            ctx,
            purpose,
            vsphere.map(({ machine, pair }) => ({
              pairId: pair.id,
              endpointId: target.endpoint.id,
              vmName: recoveredNameOf(machine, purpose),
              disks: replicas.get(pair.id) ?? [],
              jobId: ctx.job.id,
            })),
          );
      await ctx.parallel(vsphere, plan.parallelism, async ({ machine, pair }) => {
        const name = recoveredNameOf(machine, purpose);
        const disks = replicas.get(pair.id) ?? [];
        const row = declared.get(pair.id);
        if (row?.vmId && (await target.operations.findVm({ id: row.vmId }))) return;
        const source = await sources.find(machine.vm).catch(() => ({
          found: null,
          unreachable: [],
        }));
        let settings = defaults(pair);
        let sourceNetworks: Array<string | null> = [];
        if (source.found) {
          settings = await source.found.session.operations.recoverySettings(source.found.vm.id);
          const sourceInv = await sources.inventory(source.found.session);
          if (sourceInv.source.kind !== 'vsphere')
            throw stepError(
              'invalid-input',
              sayStep('stepError.sourceNotVcenter', {
                vm: machine.vm,
                endpoint: source.found.session.endpoint.name,
              }),
            );
          const networks = (sourceInv as VsphereInventory).networks;
          sourceNetworks = source.found.vm.nics.map(
            (n) => networks.find((x) => x.id === n.network)?.name ?? null,
          );
        } else await ctx.log('warn', sayStep('stepLog.recoveredWithDefaults', { vm: machine.vm }));
        const nics = (
          settings.nics.length ? settings.nics : [{ adapter: 'vmxnet3' as const, mac: null }]
        ).map((n, i) => {
          const srcName = sourceNetworks[i] ?? null;
          const mapped =
            flavour === 'test'
              ? testNet
              : srcName
                ? networkId(plan.target.networks[srcName] ?? '')
                : undefined;
          if (!mapped)
            throw stepError(
              'invalid-input',
              srcName
                ? sayStep('stepError.nicUnmapped', {
                    vm: machine.vm,
                    nic: i,
                    network: srcName,
                    endpoint: target.endpoint.name,
                  })
                : sayStep('stepError.nicUnknownNetwork', {
                    vm: machine.vm,
                    nic: i,
                    endpoint: target.endpoint.name,
                  }),
            );
          // A test copy must not claim the source's MAC: the source may still run.
          return {
            network: mapped,
            adapter: n.adapter,
            mac: flavour === 'test' ? undefined : (n.mac ?? undefined),
          };
        });
        const buses = [...new Set(disks.map((d) => d.controller))];
        const spec: NewVmSpec = {
          name,
          placement: {
            cluster: cluster?.id,
            host: host?.id,
            datastore: ds.id,
            folder: placement.folder,
          },
          guestId: settings.guestId,
          cpus: settings.cpus,
          memoryMB: settings.memoryMB,
          firmware: settings.firmware,
          bootOptions: settings.bootOptions,
          scsiControllers: buses.map((bus) => ({
            bus,
            kind:
              settings.scsiControllers.find((c) => c.bus === bus)?.kind ??
              settings.scsiControllers[0]?.kind ??
              'lsilogic-sas',
          })),
          disks,
          nics,
        };
        if (ctx.job.dryRun) {
          const vmSpec = {
            vm: name,
            where: `${cluster?.name ?? host?.name}/${ds.name}`,
            cpus: settings.cpus,
            memory: settings.memoryMB,
            firmware: settings.firmware,
            disks: disks.map((d) => `${d.fileName}@${d.controller}:${d.unit}`).join(', '),
            networks: nics.map((n) => inv.networks.find((x) => x.id === n.network)?.name).join(', '),
          };
          await ctx.log(
            'info',
            placement.folder
              ? sayStep('stepLog.dryRun.createVmInFolder', { ...vmSpec, folder: placement.folder })
              : sayStep('stepLog.dryRun.createVm', vmSpec),
          );
          if (machine.reip)
            await ctx.log(
              'info',
              sayStep('stepLog.dryRun.reipNic', {
                nic: machine.reip.nic,
                vm: name,
                address: machine.reip.address,
              }),
            );
          return;
        }
        // Declared before creating: a VM with this name here is ours from an interrupted run.
        const named = onTarget.get(name) ?? [];
        if (named.length > 1)
          throw stepError(
            'conflict',
            sayStep('stepError.recoveredSameName', {
              count: named.length,
              vm: name,
              endpoint: target.endpoint.name,
            }),
          );
        let existing = named[0] ? await target.operations.findVm({ id: named[0] }) : null;
        let vm = existing;
        if (!vm) {
          try {
            vm = await target.operations.createVm(spec);
          } catch (err) {
            // A create sent before an interruption may finish after this run looked (vCenter
            // answers the second create with DuplicateName or FileAlreadyExists): the VM that now
            // has the declared name is that one, ours.
            existing = await target.operations.findVm({ name });
            if (!existing) throw err;
            vm = existing;
          }
        }
        await setRecoveredVm(ctx, pair.id, purpose, vm.id);
        created++;
        await ctx.log(
          'info',
          sayStep(existing ? 'stepLog.vmFound' : 'stepLog.vmCreated', { vm: name, id: vm.id }),
        );
      });
      return created === 0 && !ctx.job.dryRun ? 'skipped' : undefined;
    }),
  );
  if (plan.machines.some((m) => m.reip)) steps.push(reipStep(plan, purpose));
  // Each platform recovers its own machines (Hyper-V: Start-VMFailover on the replica host).
  steps.push(...platformsOf(input).flatMap((p) => p.failoverRecover(flavour, plan, input)));

  // Boot groups span the platforms: each recovered VM powers on through the endpoint it was
  // recovered on, in one order for the whole plan.
  for (const { group, waves } of powerWaves(plan)) {
    steps.push(
      step(sayStep('jobStep.powerOnGroup', { group }), async (ctx) => {
        const pairs = await pairsOf(ctx, plan);
        const rows = await recoveredRows(
          ctx,
          purpose,
          [...pairs.values()].map((p) => p.id),
        );
        let on = 0;
        for (const wave of waves) {
          await ctx.parallel(wave, plan.parallelism, async (machine) => {
            const pair = pairFor(pairs, machine);
            const row = rows.find((r) => r.pairId === pair.id);
            if (ctx.job.dryRun)
              return void (await ctx.log(
                'info',
                sayStep('stepLog.dryRun.powerOn', { vm: recoveredNameOf(machine, purpose) }),
              ));
            if (!row?.vmId)
              throw stepError(
                'not-found',
                sayStep('stepError.notRecovered', { vm: recoveredNameOf(machine, purpose) }),
              );
            const where = await ctx.sessions.get(row.endpointId);
            if ((await where.operations.powerOn(row.vmId)) === 'powered-on') on++;
          });
        }
        if (!ctx.job.dryRun) await ctx.log('info', sayStep('stepLog.groupPoweredOn', { group, count: on }));
        return undefined;
      }),
    );
    for (const planStep of plan.steps.filter((s) => s.after === group)) {
      if (isMessageStep(planStep)) {
        steps.push(
          step(
            sayStep('jobStep.messageAfter', { group }),
            async (ctx) => {
              if (ctx.job.dryRun) {
                await ctx.log('info', sayStep('stepLog.dryRun.waitAck', { message: planStep.message }));
                return undefined;
              }
              await ctx.waitForAck(planStep.message);
              return undefined;
            },
            false,
          ),
        );
      } else if (isScriptStep(planStep)) {
        const { command, timeoutSeconds } = planStep.script;
        steps.push(
          step(
            sayStep('jobStep.scriptAfter', { group, command }),
            async (ctx) => {
              if (ctx.job.dryRun) {
                await ctx.log(
                  'info',
                  sayStep('stepLog.dryRun.runScript', { command, seconds: timeoutSeconds }),
                );
                return undefined;
              }
              await runScript(ctx, command, timeoutSeconds);
              return undefined;
            },
            false,
          ),
        );
      }
    }
  }
  return steps;
}

function failoverWorkflow(kind: JobKind, flavour: Flavour): Workflow {
  return {
    kind,
    prepare: async (request, store) => {
      parsePoint(request.input.point);
      return preparePlan({ needsPairs: true })(request, store);
    },
    steps: (_job, input) => failoverSteps(flavour, planOf(input), input),
  };
}

export const testFailoverWorkflow = failoverWorkflow('test-failover', 'test');
export const plannedFailoverWorkflow = failoverWorkflow('planned-failover', 'planned');
export const unplannedFailoverWorkflow = failoverWorkflow('unplanned-failover', 'unplanned');
