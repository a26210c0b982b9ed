import type { MasterTarget, Pair, PlanIssue, PlanSpec } from '../shared/configserver';
import {
  diskBytes,
  formatBytes,
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

const error = (path: string, message: string): PlanIssue => ({ severity: 'error', path, message });
const warning = (path: string, message: string): PlanIssue => ({ severity: 'warning', path, message });

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
            `${hvFound.length} Hyper-V VMs are named ${m.vm} on site ${ctx.source.site.name} (${hvFound.map((f) => f.inventory.source.host).join(', ')}); rename one so the plan names one machine`,
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
              `${m.vm} is already protected by plan ${ctx.planNames.get(pair.planId) ?? pair.planId}; a machine belongs to one plan`,
            ),
          );
        if (hv.vm.disks.length === 0)
          issues.push(error(at, `${m.vm} has no virtual disk: there is nothing to replicate`));
        if (m.recoveredName)
          issues.push(
            warning(
              `machines[${index}].recoveredName`,
              `${m.vm} is a Hyper-V VM: Hyper-V Replica recovers it under its own name; recoveredName is not used`,
            ),
          );
        if (m.reip)
          issues.push(
            warning(
              `machines[${index}].reip`,
              `${m.vm} is a Hyper-V VM: its failover address is set on the replica (Set-VMNetworkAdapterFailoverConfiguration); reip is not applied`,
            ),
          );
        continue;
      }
      if (found.length > 1) {
        issues.push(
          error(
            at,
            `${found.length} VMs are named ${m.vm} on site ${ctx.source.site.name} (${found.map((f) => f.vm.folderPath).join(', ')}); rename one in vCenter so the plan names one machine`,
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
              ? `${m.vm} on site ${ctx.source.site.name} is a Hyper-V replica (the other end of a Hyper-V Replica pair); name the primary VM on the source site`
              : `${m.vm} is not a VM on site ${ctx.source.site.name} (${endpointNames(ctx.source)}); check the name as vCenter or Hyper-V shows it`,
          ),
        );
        continue;
      }
      if (pair?.planId && pair.planId !== ctx.planId)
        issues.push(
          error(
            at,
            `${m.vm} is already protected by plan ${ctx.planNames.get(pair.planId) ?? pair.planId}; a machine belongs to one plan`,
          ),
        );
      if (vm.vm.template)
        issues.push(
          error(
            at,
            `${m.vm} is a template: it never runs, so there is nothing to fail over; protect the VMs deployed from it, or convert it to a VM in vCenter first`,
          ),
        );
      else if (['orphaned', 'inaccessible', 'invalid'].includes(vm.vm.connectionState))
        issues.push(
          error(
            at,
            `${m.vm} is ${vm.vm.connectionState} in vCenter (its files or host are gone): its disks cannot be read; re-register or remove it in vCenter`,
          ),
        );
      else if (vm.vm.disks.length === 0)
        issues.push(error(at, `${m.vm} has no virtual disk: there is nothing to replicate`));
      if (vm.vm.connectionState === 'disconnected')
        issues.push(
          warning(
            at,
            `${m.vm} is disconnected (vCenter has lost its host): readiness and protect cannot act on it until the host reconnects`,
          ),
        );
      if (m.reip && m.reip.nic >= vm.vm.nics.length)
        issues.push(
          error(
            `machines[${index}].reip.nic`,
            `${m.vm} has ${vm.vm.nics.length} NIC(s): nic ${m.reip.nic} does not exist (the first NIC is 0)`,
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
            `source network "${name}" (used by ${summarise(users)}) has no mapping; add "${name}": <network on ${ctx.target.site.name}>`,
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
            `"${name}" is not a network on site ${ctx.source.site.name}; the mapping is unused`,
          ),
        );
  }
  if (targetRead) {
    for (const [from, to] of Object.entries(spec.target.networks))
      if (!targetNetworks.has(to))
        issues.push(
          error(`target.networks.${from}`, `${to} is not a network on site ${ctx.target.site.name}`),
        );
    if (spec.target.testNetwork !== undefined) {
      if (!targetNetworks.has(spec.target.testNetwork))
        issues.push(
          error(
            'target.testNetwork',
            `${spec.target.testNetwork} is not a network on site ${ctx.target.site.name}`,
          ),
        );
      else if (Object.values(spec.target.networks).includes(spec.target.testNetwork))
        issues.push(
          warning(
            'target.testNetwork',
            `${spec.target.testNetwork} is also a production mapping: a test failover would not be isolated`,
          ),
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
          `${mt.name} is a ${mt.osFamily} master target; ${summarise(wrong.map((r) => `machines[${r.index}] ${spec.machines[r.index]!.vm} (${r.vm!.vm.guestOs ?? 'unknown guest'})`))} ${wrong.length === 1 ? 'needs' : 'need'} a ${mt.osFamily === 'linux' ? 'windows' : 'linux'} master target: split the plan by OS family`,
        ),
      );
    const needed = newDisks(machines);
    if (needed > mt.slotsFree)
      issues.push(
        warning(
          'target.masterTarget',
          `${mt.name} has ${mt.slotsFree} free SCSI slot(s); the machines not yet protected have ${needed} disk(s): protect will fail until slots are freed or another master target is used`,
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
          `${mt.name} (VM ${mt.vmName}) is not a VM on site ${ctx.target.site.name} any more`,
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
          `${placement.cluster} is not a cluster on site ${ctx.target.site.name} (clusters: ${list(invs.flatMap((i) => i.clusters.map((c) => c.name)))})`,
        ),
      );
    if (
      placement.host !== undefined &&
      !invs.some((inv) => inv.hosts.some((h) => sameHostName(h.name, placement.host!)))
    )
      issues.push(
        error('target.placement.host', `${placement.host} is not a host on site ${ctx.target.site.name}`),
      );
    const datastores = invs.flatMap((inv) => inv.datastores.filter((d) => d.name === placement.datastore));
    const ds = datastores[0];
    if (!ds)
      issues.push(
        error(
          'target.placement.datastore',
          `${placement.datastore} is not a datastore on site ${ctx.target.site.name} (datastores: ${list(invs.flatMap((i) => i.datastores.map((d) => d.name)))})`,
        ),
      );
    else if (!ds.accessible)
      issues.push(
        error('target.placement.datastore', `${ds.name} is not accessible on site ${ctx.target.site.name}`),
      );
    else if (sourceRead) {
      const bytes = newDiskBytes(machines);
      if (bytes > ds.freeBytes)
        issues.push(
          error(
            'target.placement.datastore',
            `${ds.name} has ${formatBytes(ds.freeBytes)} free; the replica disks of the machines not yet protected need ${formatBytes(bytes)}: choose a larger datastore or free space`,
          ),
        );
    }
    if (placement.folder !== undefined && !vmFolders(ctx.target).has(placement.folder))
      issues.push(
        warning(
          'target.placement.folder',
          `no VM on site ${ctx.target.site.name} is in folder ${placement.folder} (the inventory lists folders that hold VMs); create it in vCenter before a failover`,
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
            `a VM named ${name} already exists on site ${ctx.target.site.name}; a failover would collide with it (give recoveredName)`,
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
    issues.push(
      warning(
        path,
        `site ${estate.site.name} has no endpoint: its VMs, networks and datastores were not checked; add one with siteshift endpoint add`,
      ),
    );
    return false;
  }
  const unread = unreadEndpoints(estate);
  for (const e of unread)
    issues.push(
      warning(
        path,
        `could not read ${e.endpoint.name} (${e.status}: ${e.message}); what it holds was not checked`,
      ),
    );
  // With one vCenter unread, a name not found may well be there: check nothing rather than guess.
  if (unread.some((e) => e.endpoint.target.kind === 'vsphere')) return false;
  if (vsphereInventories(estate).length === 0 && hypervInventories(estate).length === 0) {
    issues.push(
      warning(path, `site ${estate.site.name} has no vSphere or Hyper-V endpoint: its VMs were not checked`),
    );
    return false;
  }
  return true;
}

function endpointNames(estate: SiteEstate): string {
  return estate.endpoints.map((e) => e.endpoint.name).join(', ');
}

function summarise(items: string[]): string {
  return items.length <= 3
    ? items.join(', ')
    : `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`;
}

function list(names: string[]): string {
  const unique = [...new Set(names)];
  return unique.length === 0 ? 'none' : summarise(unique);
}
