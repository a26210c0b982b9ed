import type { z } from 'zod';
import type { EndpointOperations, VmInfo } from '../core/inventory/operations';
import type { EndpointSource } from '../core/inventory/source';
import {
  type Endpoint,
  type MasterTarget,
  type MasterTargetCheck,
  type MasterTargetSlotUse,
  type masterTargetConfigureInputSchema,
  type OsFamily,
  type ReadinessCheck,
  reservedUnit,
  scsiControllers,
  unitsPerController,
} from '../shared/configserver';
import { ApiError } from '../shared/errors';
import type { VsphereInventory } from '../shared/schemas/inventory';
import { formatBytes, osFamilyOf } from './estate';
import type { Store } from './store';

/**
 * Configure master target, the read half: what a VM of the receiving site would be as a master
 * target — its OS family, power state, own disks (slots no replica may take), the slot map with
 * the replicas already allocated, the SCSI controllers present and to add, the retention
 * datastore and its space — as pass / warn / fail checks with the fix, and the changes the
 * configure-master-target job would make. Used by the check route (nothing changes) and by each
 * step of the job (server/workflows/configure-master-target.ts), which reads the world again.
 */

export type MasterTargetConfigureRequest = z.output<typeof masterTargetConfigureInputSchema>;

export interface MtSession {
  readonly endpoint: Endpoint;
  readonly source: EndpointSource;
  readonly operations: EndpointOperations;
}

/** What the job acts on once the check passed. */
export interface MasterTargetPlan {
  check: MasterTargetCheck;
  vm: VmInfo;
  session: MtSession;
  siteId: string;
  osFamily: OsFamily;
  reservedSlots: Array<{ controller: number; unit: number }>;
  busesToAdd: number[];
}

const REPLICA_DIR = 'siteshift-replicas/';
/** Below this share of free space the retention datastore is a warning (recovery points grow). */
const RETENTION_WARN_FRACTION = 0.1;

export async function checkMasterTarget(
  store: Store,
  open: (endpointId: string) => Promise<MtSession>,
  input: MasterTargetConfigureRequest,
  signal?: AbortSignal,
): Promise<{ check: MasterTargetCheck; plan: MasterTargetPlan | null }> {
  const checks: ReadinessCheck[] = [];
  const add = (
    id: string,
    status: ReadinessCheck['status'],
    title: string,
    message: string,
    fix: string | null = null,
    subject: string | null = null,
  ) => checks.push({ id, status, title, message, fix: status === 'pass' ? null : fix, subject });
  const name = input.name ?? input.vm;
  const site = await store.sites.resolve(input.site);
  const endpoints = (await store.endpoints.list()).filter(
    (e) =>
      e.siteId === site.id &&
      e.target.kind === 'vsphere' &&
      (!input.endpoint || e.id === input.endpoint || e.name === input.endpoint),
  );

  // ---------------------------------------------------------------- the VM
  let found: { vm: VmInfo; session: MtSession } | null = null;
  const unreachable: string[] = [];
  for (const ep of endpoints) {
    signal?.throwIfAborted();
    try {
      const session = await open(ep.id);
      const vm = await session.operations.findVm({ name: input.vm }, { signal });
      if (vm) {
        found = { vm, session };
        break;
      }
    } catch (err) {
      if (err instanceof ApiError && err.code === 'conflict') {
        add('vm.found', 'fail', 'VM', err.message, 'rename the VMs apart on vCenter, then check again', 'vm');
        break;
      }
      unreachable.push(`${ep.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (endpoints.length === 0) {
    add(
      'vm.found',
      'fail',
      'VM',
      `site ${site.name} has no vSphere endpoint${input.endpoint ? ` named ${input.endpoint}` : ''} to find ${input.vm} on`,
      `add the site's vCenter (siteshift endpoint add --site ${site.name} …)`,
      'endpoint',
    );
  } else if (!found && !checks.some((c) => c.id === 'vm.found')) {
    add(
      'vm.found',
      'fail',
      'VM',
      `no VM named ${input.vm} on ${endpoints.map((e) => e.name).join(', ')}${unreachable.length ? ` (could not ask: ${unreachable.join('; ')})` : ''}`,
      unreachable.length
        ? 'make the vCenter reachable (siteshift endpoint test), then check again'
        : `give the VM's name as vCenter shows it on site ${site.name}`,
      'vm',
    );
  } else if (found) {
    add('vm.found', 'pass', 'VM', `${found.vm.name} (${found.vm.id}) on ${found.session.endpoint.name}`);
  }

  const all = await store.masterTargets.list();
  const byName = all.find((m) => m.name === name) ?? null;
  const byVm = found
    ? (all.find((m) => m.vmId === found.vm.id && m.endpointId === found.session.endpoint.id) ??
      all.find((m) => m.vmId === found.vm.id && m.siteId === site.id && m.endpointId === null) ??
      null)
    : null;
  let existing: MasterTarget | null = byName ?? byVm;
  if (byName && found && byName.vmId !== found.vm.id) {
    add(
      'master-target.name',
      'fail',
      'Name',
      `master target ${name} is already VM ${byName.vmName} (${byName.vmId})`,
      'give this master target another name (--name)',
      'name',
    );
    existing = null;
  } else if (byVm && byVm.name !== name) {
    add(
      'master-target.name',
      'fail',
      'Name',
      `${input.vm} is already master target ${byVm.name}`,
      `configure it as ${byVm.name} (--name ${byVm.name})`,
      'name',
    );
  } else {
    add(
      'master-target.name',
      'pass',
      'Name',
      existing ? `${name} is registered: configure updates it` : `${name} is new`,
    );
  }
  if (existing && existing.siteId !== site.id) {
    add(
      'master-target.site',
      'fail',
      'Site',
      `master target ${existing.name} belongs to another site`,
      'give the site it is on',
      'site',
    );
  }

  const vm = found?.vm ?? null;
  // ---------------------------------------------------------------- OS family
  let osFamily: OsFamily | null = input.osFamily ?? null;
  if (vm) {
    const guest = vm.guestOs ? osFamilyOf({ guestOs: vm.guestOs }) : null;
    if (!guest && !input.osFamily) {
      add(
        'master-target.os',
        'fail',
        'OS family',
        `vCenter does not say which OS ${vm.name} runs`,
        'give --os-family windows or linux',
        'osFamily',
      );
    } else if (guest && input.osFamily && guest !== input.osFamily) {
      add(
        'master-target.os',
        'fail',
        'OS family',
        `${vm.name} runs ${vm.guestOs} (${guest}), not ${input.osFamily}`,
        `choose a ${input.osFamily} VM: ${input.osFamily} sources need a ${input.osFamily} master target`,
        'osFamily',
      );
    } else {
      osFamily = input.osFamily ?? guest;
      if (existing && existing.slots.length > 0 && existing.osFamily !== osFamily) {
        add(
          'master-target.os',
          'fail',
          'OS family',
          `${existing.name} holds replicas of ${existing.osFamily} machines; it cannot become ${osFamily}`,
          'remove its pairs first, or keep its OS family',
          'osFamily',
        );
      } else {
        add(
          'master-target.os',
          'pass',
          'OS family',
          `${osFamily}${vm.guestOs ? ` (${vm.guestOs})` : ''}: it takes ${osFamily} sources`,
        );
      }
    }
    // ---------------------------------------------------------------- power
    add(
      'master-target.power',
      vm.powerState === 'poweredOn' ? 'pass' : 'warn',
      'Power',
      vm.powerState === 'poweredOn'
        ? `${vm.name} is powered on`
        : `${vm.name} is ${vm.powerState}: it receives no replication until it runs`,
      `power ${vm.name} on before protecting to it`,
      'vm',
    );
  }

  // ---------------------------------------------------------------- slot map
  const pairNames = new Map((await store.pairs.list()).map((p) => [p.id, p.sourceVmName]));
  const replicaSlots = existing?.slots ?? [];
  const replicaFiles = new Set(replicaSlots.map((s) => s.fileName).filter((f): f is string => !!f));
  const diskAt = (c: number, u: number) => vm?.disks.find((d) => d.controller === c && d.unit === u) ?? null;
  const own = (vm?.disks ?? []).filter(
    (d) => d.controller >= 0 && !replicaFiles.has(d.fileName) && !d.fileName.includes(REPLICA_DIR),
  );
  const reservedSlots = own.map((d) => ({ controller: d.controller, unit: d.unit }));
  const slots: MasterTargetSlotUse[] = [];
  for (let controller = 0; controller < scsiControllers; controller++) {
    for (let unit = 0; unit < unitsPerController; unit++) {
      const replica = replicaSlots.find((s) => s.controller === controller && s.unit === unit) ?? null;
      const disk = diskAt(controller, unit);
      const isOwn = own.some((d) => d.controller === controller && d.unit === unit);
      slots.push({
        controller,
        unit,
        use: unit === reservedUnit ? 'controller' : isOwn ? 'own-disk' : replica ? 'replica' : 'free',
        fileName: disk?.fileName ?? replica?.fileName ?? null,
        pairId: replica?.pairId ?? null,
        sourceVmName: replica ? (pairNames.get(replica.pairId) ?? null) : null,
        diskKey: replica?.diskKey ?? null,
        detached: replica !== null && !isOwn && disk === null,
      });
      if (replica && isOwn) {
        add(
          'master-target.slots',
          'fail',
          'Slot map',
          `SCSI ${controller}:${unit} holds ${vm?.name}'s own disk ${disk?.fileName} but is allocated to the replica of ${pairNames.get(replica.pairId) ?? replica.pairId}`,
          `move the master target's own disk off SCSI ${controller}:${unit} (or remove that pair and protect it again)`,
          `slot ${controller}:${unit}`,
        );
      }
    }
  }
  const slotsFree = slots.filter((s) => s.use === 'free').length;
  if (vm && !checks.some((c) => c.id === 'master-target.slots')) {
    add(
      'master-target.slots',
      slotsFree > 0 ? 'pass' : 'warn',
      'Slot map',
      `${slotsFree} of 60 slots free: ${reservedSlots.length} held by its own disks (${reservedSlots.map((s) => `${s.controller}:${s.unit}`).join(', ') || 'none'}), ${replicaSlots.length} by replica disks`,
      'add another master target for more machines',
      'slots',
    );
  }

  // ---------------------------------------------------------------- SCSI controllers
  const wanted = new Set<number>(
    input.controllers
      ? Array.from({ length: input.controllers }, (_, i) => i)
      : [0, ...replicaSlots.map((s) => s.controller)],
  );
  const controllers = Array.from({ length: scsiControllers }, (_, bus) => {
    const present = vm?.scsiControllers.find((c) => c.bus === bus) ?? null;
    return { bus, kind: present?.kind ?? null, present: present !== null, add: !present && wanted.has(bus) };
  });
  const busesToAdd = controllers.filter((c) => c.add).map((c) => c.bus);
  if (vm) {
    add(
      'master-target.controllers',
      'pass',
      'SCSI controllers',
      `bus ${
        controllers
          .filter((c) => c.present)
          .map((c) => c.bus)
          .join(', ') || 'none'
      } present${busesToAdd.length ? `; configure adds bus ${busesToAdd.join(', ')} (paravirtual)` : ''}`,
    );
  }

  // ---------------------------------------------------------------- retention datastore
  let retention: MasterTargetCheck['retention'] = null;
  if (found) {
    let inventory: VsphereInventory | null = null;
    try {
      const inv = await found.session.source.fetchInventory(signal);
      if (inv.source.kind === 'vsphere') inventory = inv as VsphereInventory;
    } catch (err) {
      add(
        'master-target.retention',
        'fail',
        'Retention datastore',
        `cannot read the datastores of ${found.session.endpoint.name}: ${err instanceof Error ? err.message : String(err)}`,
        'make the vCenter reachable, then check again',
        'retentionDatastore',
      );
    }
    if (inventory) {
      const firstDisk = found.vm.disks[0]?.datastore ?? null;
      const dsName =
        input.retentionDatastore ??
        existing?.retentionDatastore ??
        inventory.datastores.find((d) => d.id === firstDisk)?.name ??
        null;
      const ds = dsName ? inventory.datastores.find((d) => d.name === dsName) : undefined;
      if (!ds) {
        add(
          'master-target.retention',
          'fail',
          'Retention datastore',
          dsName
            ? `no datastore ${dsName} on ${found.session.endpoint.name}`
            : `${found.vm.name} has no disk to take a datastore from`,
          `give --retention-datastore, one of: ${inventory.datastores
            .slice(0, 10)
            .map((d) => d.name)
            .join(', ')}`,
          'retentionDatastore',
        );
      } else {
        retention = { datastore: ds.name, capacityBytes: ds.capacityBytes, freeBytes: ds.freeBytes };
        const low = ds.capacityBytes > 0 && ds.freeBytes / ds.capacityBytes < RETENTION_WARN_FRACTION;
        add(
          'master-target.retention',
          !ds.accessible ? 'fail' : low ? 'warn' : 'pass',
          'Retention datastore',
          !ds.accessible
            ? `${ds.name} is not accessible`
            : `${ds.name}: ${formatBytes(ds.freeBytes)} free of ${formatBytes(ds.capacityBytes)}`,
          !ds.accessible
            ? `bring ${ds.name} back or choose another (--retention-datastore)`
            : `free space on ${ds.name} or choose another: recovery points grow with the retention window`,
          'retentionDatastore',
        );
      }
    }
  }

  // ---------------------------------------------------------------- changes
  const changes: string[] = [];
  if (vm && osFamily) {
    if (!existing) changes.push(`register ${vm.name} as master target ${name} (${osFamily})`);
    else {
      if (existing.osFamily !== osFamily) changes.push(`OS family ${existing.osFamily} → ${osFamily}`);
      if (existing.vmId !== vm.id || existing.endpointId !== found?.session.endpoint.id)
        changes.push(`VM ${existing.vmId} → ${vm.id} on ${found?.session.endpoint.name}`);
    }
    const before = JSON.stringify(existing?.reservedSlots ?? null);
    if (JSON.stringify(reservedSlots) !== before)
      changes.push(
        `keep SCSI ${reservedSlots.map((s) => `${s.controller}:${s.unit}`).join(', ') || '(none)'} for its own disks`,
      );
    if (retention && retention.datastore !== existing?.retentionDatastore)
      changes.push(`retention on ${retention.datastore}`);
    for (const bus of busesToAdd) changes.push(`add a paravirtual SCSI controller on bus ${bus}`);
  }

  const ready = !checks.some((c) => c.status === 'fail');
  const check: MasterTargetCheck = {
    ready,
    name,
    existing,
    vm:
      vm && found && osFamily
        ? {
            id: vm.id,
            name: vm.name,
            endpointId: found.session.endpoint.id,
            endpointName: found.session.endpoint.name,
            powerState: vm.powerState,
            guestOs: vm.guestOs,
            osFamily,
          }
        : null,
    retention,
    controllers,
    slots,
    slotsFree,
    checks,
    changes,
    checkedAt: new Date().toISOString(),
  };
  const plan =
    ready && vm && found && osFamily
      ? { check, vm, session: found.session, siteId: site.id, osFamily, reservedSlots, busesToAdd }
      : null;
  return { check, plan };
}
