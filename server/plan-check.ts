import type { MasterTarget, Pair, PlanIssue, PlanSpec } from '../shared/configserver';
import { sizeSaid, upTo } from '../shared/i18n/list-words';
import { planWordsEn } from '../shared/i18n/plan-words';
import { sayer, type Text } from '../shared/i18n/worded';
import {
  diskBytes,
  endpointStatusSaid,
  hypervInventories,
  hypervVmsNamed,
  osFamilyOf,
  type SiteEstate,
  type SiteHypervVm,
  type SiteVm,
  sameHostName,
  unreadEndpoints,
  vmFolders,
  vmsNamed,
  vsphereInventories,
} from './estate';

/**
 * A plan file held against the inventories of its two sites: every name it uses must exist
 * there, and what it asks for must fit. Pure: the caller reads the sites (server/estate.ts).
 * Objects on an endpoint that could not be read are unknown, not absent: that is one warning
 * per endpoint, never an error per name.
 */
export interface PlanInventoryContext {
  source: SiteEstate;
  target: SiteEstate;
  /** The registered master target the plan names, if any. */
  masterTarget: MasterTarget | null;
  /** Pairs whose source is the plan's source site (any plan). */
  pairs: Pair[];
  /** The stored plan's id when this is an update. */
  planId: string | null;
  planNames: ReadonlyMap<string, string>;
}

/** A plan message's words (shared/i18n/plan-words.ts). */
export const w = sayer(planWordsEn);
const issue =
  (severity: PlanIssue['severity']) =>
  (path: string, message: Text): PlanIssue => ({
    severity,
    path,
    message: message.text,
    ...(message.words ? { messageWords: message.words } : {}),
  });
export const error = issue('error');
export const warning = issue('warning');

export interface ResolvedMachine {
  index: number;
  /** The vSphere VM of this name, when exactly one has it. */
  vm: SiteVm | null;
  /** The Hyper-V VM of this name (Hyper-V Replica protects it), when no vSphere VM has it. */
  hv: SiteHypervVm | null;
  pair: Pair | null;
}

/** Whether a machine replicates through Siteshift (vSphere) or Hyper-V Replica. */
export function platformOf(r: ResolvedMachine): 'vsphere' | 'hyperv' | null {
  return r.pair?.platform ?? (r.vm ? 'vsphere' : r.hv ? 'hyperv' : null);
}

/** Each machine's source VM (when exactly one has its name, vSphere first) and its pair. */
export function resolveMachines(
  spec: PlanSpec,
  ctx: Pick<PlanInventoryContext, 'source' | 'pairs'>,
): ResolvedMachine[] {
  return spec.machines.map((m, index) => {
    const found = vmsNamed(ctx.source, m.vm);
    const vm = found.length === 1 ? found[0]! : null;
    const hvFound = found.length === 0 ? hypervVmsNamed(ctx.source, m.vm) : [];
    const hv = hvFound.length === 1 ? hvFound[0]! : null;
    const id = vm?.vm.id ?? hv?.vm.id;
    const pair =
      (id ? ctx.pairs.find((p) => p.sourceVmId === id) : undefined) ??
      ctx.pairs.find((p) => p.sourceVmName === m.vm) ??
      null;
    return { index, vm, hv, pair };
  });
}

export function planInventoryIssues(spec: PlanSpec, ctx: PlanInventoryContext): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const sourceRead = siteReadable(ctx.source, 'source.site', issues);
  const targetRead = siteReadable(ctx.target, 'target.site', issues);
  const machines = resolveMachines(spec, ctx);

  // ------------------------------------------------ machines on the source site
  if (sourceRead) {
    for (const { index, vm, pair } of machines) {
      const m = spec.machines[index]!;
      const at = `machines[${index}].vm`;
      const found = vmsNamed(ctx.source, m.vm);
      const hvFound = found.length === 0 ? hypervVmsNamed(ctx.source, m.vm) : [];
      if (hvFound.length > 1) {
        issues.push(
          error(
            at,
            w('plan.hv.sameName', {
              count: hvFound.length,
              vm: m.vm,
              site: ctx.source.site.name,
              hosts: hvFound.map((f) => f.inventory.source.host).join(', '),
            }),
          ),
        );
        continue;
      }
      const hv = hvFound[0];
      if (hv) {
        // Hyper-V Replica protects it: no master-target slot, no network mapping (the replica
        // keeps the VM's adapters), and the replica keeps the VM's name.
        if (pair?.planId && pair.planId !== ctx.planId)
          issues.push(
            error(
              at,
              w('plan.vm.otherPlan', { vm: m.vm, plan: ctx.planNames.get(pair.planId) ?? pair.planId }),
            ),
          );
        if (hv.vm.disks.length === 0) issues.push(error(at, w('plan.vm.noDisk', { vm: m.vm })));
        if (m.recoveredName)
          issues.push(warning(`machines[${index}].recoveredName`, w('plan.hv.recoveredName', { vm: m.vm })));
        if (m.reip) issues.push(warning(`machines[${index}].reip`, w('plan.hv.reip', { vm: m.vm })));
        continue;
      }
      if (found.length > 1) {
        issues.push(
          error(
            at,
            w('plan.vm.sameName', {
              count: found.length,
              vm: m.vm,
              site: ctx.source.site.name,
              folders: found.map((f) => f.vm.folderPath).join(', '),
            }),
          ),
        );
        continue;
      }
      if (!vm) {
        const replica = hypervInventories(ctx.source).some((inv) => inv.vms.some((v) => v.name === m.vm));
        issues.push(
          error(
            at,
            replica
              ? w('plan.vm.replica', { vm: m.vm, site: ctx.source.site.name })
              : w('plan.vm.missing', {
                  vm: m.vm,
                  site: ctx.source.site.name,
                  endpoints: endpointNames(ctx.source),
                }),
          ),
        );
        continue;
      }
      if (pair?.planId && pair.planId !== ctx.planId)
        issues.push(
          error(
            at,
            w('plan.vm.otherPlan', { vm: m.vm, plan: ctx.planNames.get(pair.planId) ?? pair.planId }),
          ),
        );
      if (vm.vm.template) issues.push(error(at, w('plan.vm.template', { vm: m.vm })));
      else if (['orphaned', 'inaccessible', 'invalid'].includes(vm.vm.connectionState))
        issues.push(error(at, w('plan.vm.gone', { vm: m.vm, state: vm.vm.connectionState })));
      else if (vm.vm.disks.length === 0) issues.push(error(at, w('plan.vm.noDisk', { vm: m.vm })));
      if (vm.vm.connectionState === 'disconnected')
        issues.push(warning(at, w('plan.vm.disconnected', { vm: m.vm })));
      if (m.reip && m.reip.nic >= vm.vm.nics.length)
        issues.push(
          error(
            `machines[${index}].reip.nic`,
            w('plan.vm.noNic', { vm: m.vm, count: vm.vm.nics.length, nic: m.reip.nic }),
          ),
        );
    }
  }

  // ------------------------------------------------ networks
  const targetNetworks = new Set(
    vsphereInventories(ctx.target).flatMap((inv) => inv.networks.map((n) => n.name)),
  );
  if (sourceRead) {
    const used = new Map<string, string[]>();
    for (const { index, vm } of machines) {
      if (!vm) continue;
      for (const nic of vm.vm.nics) {
        if (!nic.network) continue;
        const net = vm.inventory.networks.find((n) => n.id === nic.network);
        const name = net?.name ?? nic.network;
        used.set(name, [...(used.get(name) ?? []), `machines[${index}] ${spec.machines[index]!.vm}`]);
      }
    }
    for (const [name, users] of used) {
      if (spec.target.networks[name] === undefined)
        issues.push(
          error(
            'target.networks',
            w('plan.net.unmapped', { network: name, users: upTo(users, 3), site: ctx.target.site.name }),
          ),
        );
    }
    const sourceNetworks = new Set(
      vsphereInventories(ctx.source).flatMap((inv) => inv.networks.map((n) => n.name)),
    );
    for (const name of Object.keys(spec.target.networks))
      if (!sourceNetworks.has(name))
        issues.push(
          warning(
            `target.networks.${name}`,
            w('plan.net.unused', { network: name, site: ctx.source.site.name }),
          ),
        );
  }
  if (targetRead) {
    for (const [from, to] of Object.entries(spec.target.networks))
      if (!targetNetworks.has(to))
        issues.push(
          error(
            `target.networks.${from}`,
            w('plan.net.missing', { network: to, site: ctx.target.site.name }),
          ),
        );
    if (spec.target.testNetwork !== undefined) {
      if (!targetNetworks.has(spec.target.testNetwork))
        issues.push(
          error(
            'target.testNetwork',
            w('plan.net.missing', { network: spec.target.testNetwork, site: ctx.target.site.name }),
          ),
        );
      else if (Object.values(spec.target.networks).includes(spec.target.testNetwork))
        issues.push(
          warning('target.testNetwork', w('plan.net.testProduction', { network: spec.target.testNetwork })),
        );
    }
  }

  // ------------------------------------------------ master target
  const mt = ctx.masterTarget;
  if (mt && sourceRead) {
    const wrong = machines.filter((r) => r.vm && osFamilyOf(r.vm.vm) !== mt.osFamily);
    if (wrong.length > 0)
      issues.push(
        error(
          'target.masterTarget',
          w(wrong.length === 1 ? 'plan.mt.wrongOne' : 'plan.mt.wrongMany', {
            name: mt.name,
            family: mt.osFamily,
            machines: upTo(
              wrong.map((r) => {
                const machine = { index: String(r.index), vm: spec.machines[r.index]!.vm };
                const guest = r.vm!.vm.guestOs;
                return guest === null || guest === undefined
                  ? w('plan.mt.machineUnknown', machine)
                  : w('plan.mt.machine', { ...machine, guest });
              }),
              3,
            ),
            other: mt.osFamily === 'linux' ? 'windows' : 'linux',
          }),
        ),
      );
    const needed = newDisks(machines);
    if (needed > mt.slotsFree)
      issues.push(
        warning(
          'target.masterTarget',
          w('plan.mt.slots', {
            name: mt.name,
            slots: w('plan.mt.freeSlots', { count: mt.slotsFree }),
            disks: w('plan.mt.disks', { count: needed }),
          }),
        ),
      );
  }
  if (mt && targetRead) {
    const onTarget = vsphereInventories(ctx.target).some((inv) =>
      inv.vms.some((v) => v.id === mt.vmId || v.name === mt.vmName),
    );
    if (!onTarget)
      issues.push(
        error(
          'target.masterTarget',
          w('plan.mt.gone', { name: mt.name, vm: mt.vmName, site: ctx.target.site.name }),
        ),
      );
  }

  // ------------------------------------------------ placement
  const placement = spec.target.placement;
  if (placement && targetRead) {
    const invs = vsphereInventories(ctx.target);
    if (
      placement.cluster !== undefined &&
      !invs.some((inv) => inv.clusters.some((c) => c.name === placement.cluster))
    )
      issues.push(
        error(
          'target.placement.cluster',
          w('plan.place.cluster', {
            cluster: placement.cluster,
            site: ctx.target.site.name,
            clusters: list(invs.flatMap((i) => i.clusters.map((c) => c.name))),
          }),
        ),
      );
    if (
      placement.host !== undefined &&
      !invs.some((inv) => inv.hosts.some((h) => sameHostName(h.name, placement.host!)))
    )
      issues.push(
        error(
          'target.placement.host',
          w('plan.place.host', { host: placement.host, site: ctx.target.site.name }),
        ),
      );
    const datastores = invs.flatMap((inv) => inv.datastores.filter((d) => d.name === placement.datastore));
    const ds = datastores[0];
    if (!ds)
      issues.push(
        error(
          'target.placement.datastore',
          w('plan.place.datastore', {
            datastore: placement.datastore,
            site: ctx.target.site.name,
            datastores: list(invs.flatMap((i) => i.datastores.map((d) => d.name))),
          }),
        ),
      );
    else if (!ds.accessible)
      issues.push(
        error(
          'target.placement.datastore',
          w('plan.place.inaccessible', { datastore: ds.name, site: ctx.target.site.name }),
        ),
      );
    else if (sourceRead) {
      const bytes = newDiskBytes(machines);
      if (bytes > ds.freeBytes)
        issues.push(
          error(
            'target.placement.datastore',
            w('plan.place.short', {
              datastore: ds.name,
              free: sizeSaid(ds.freeBytes),
              need: sizeSaid(bytes),
            }),
          ),
        );
    }
    if (placement.folder !== undefined && !vmFolders(ctx.target).has(placement.folder))
      issues.push(
        warning(
          'target.placement.folder',
          w('plan.place.folder', { site: ctx.target.site.name, folder: placement.folder }),
        ),
      );
  }

  // ------------------------------------------------ recovered names
  if (targetRead) {
    const targetVmNames = new Set(
      vsphereInventories(ctx.target).flatMap((inv) => inv.vms.map((v) => v.name)),
    );
    spec.machines.forEach((m, i) => {
      const name = m.recoveredName ?? m.vm;
      if (targetVmNames.has(name))
        issues.push(
          warning(
            `machines[${i}].${m.recoveredName ? 'recoveredName' : 'vm'}`,
            w('plan.names.taken', { name, site: ctx.target.site.name }),
          ),
        );
    });
  }
  return issues;
}

/** Disks (and bytes) the plan still has to create: machines that have no pair yet. */
export const newDisks = (machines: ResolvedMachine[]): number =>
  machines.reduce((n, r) => n + (r.vm && !r.pair ? r.vm.vm.disks.length : 0), 0);
export const newDiskBytes = (machines: ResolvedMachine[]): number =>
  machines.reduce((n, r) => n + (r.vm && !r.pair ? diskBytes(r.vm.vm) : 0), 0);

function siteReadable(estate: SiteEstate, path: string, issues: PlanIssue[]): boolean {
  if (estate.endpoints.length === 0) {
    issues.push(warning(path, w('plan.site.noEndpoint', { site: estate.site.name })));
    return false;
  }
  const unread = unreadEndpoints(estate);
  for (const e of unread)
    issues.push(
      warning(
        path,
        w('plan.site.unread', {
          endpoint: e.endpoint.name,
          status: endpointStatusSaid(e.status),
          error: e.message,
        }),
      ),
    );
  // With one vCenter unread, a name not found may well be there: check nothing rather than guess.
  if (unread.some((e) => e.endpoint.target.kind === 'vsphere')) return false;
  if (vsphereInventories(estate).length === 0 && hypervInventories(estate).length === 0) {
    issues.push(warning(path, w('plan.site.noInventory', { site: estate.site.name })));
    return false;
  }
  return true;
}

function endpointNames(estate: SiteEstate): string {
  return estate.endpoints.map((e) => e.endpoint.name).join(', ');
}

function list(names: string[]): Text {
  const unique = [...new Set(names)];
  return unique.length === 0 ? w('plan.place.none') : upTo(unique, 3);
}
