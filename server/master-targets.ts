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
import { checkWordsEn } from '../shared/i18n/check-words';
import { asSent, sizeSaid } from '../shared/i18n/list-words';
import { sayer, type Text } from '../shared/i18n/worded';
import type { VsphereInventory } from '../shared/schemas/inventory';
import { osFamilyOf, powerSaid } from './estate';

const w = sayer(checkWordsEn);

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
    title: Text,
    message: Text,
    fix: Text | null = null,
    subject: string | null = null,
  ) => {
    const shownFix = status === 'pass' ? null : fix;
    checks.push({
      id,
      status,
      title: title.text,
      ...(title.words ? { titleWords: title.words } : {}),
      message: message.text,
      ...(message.words ? { messageWords: message.words } : {}),
      fix: shownFix?.text ?? null,
      ...(shownFix?.words ? { fixWords: shownFix.words } : {}),
      subject,
    });
  };
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
        add(
          'vm.found',
          'fail',
          w('mtcheck.title.vm'),
          asSent(err.message),
          w('mtcheck.vm.ambiguousFix'),
          'vm',
        );
        break;
      }
      unreachable.push(`${ep.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (endpoints.length === 0) {
    add(
      'vm.found',
      'fail',
      w('mtcheck.title.vm'),
      input.endpoint
        ? w('mtcheck.vm.noEndpointNamed', { site: site.name, endpoint: input.endpoint, vm: input.vm })
        : w('mtcheck.vm.noEndpoint', { site: site.name, vm: input.vm }),
      w('mtcheck.vm.noEndpointFix', { site: site.name }),
      'endpoint',
    );
  } else if (!found && !checks.some((c) => c.id === 'vm.found')) {
    add(
      'vm.found',
      'fail',
      w('mtcheck.title.vm'),
      unreachable.length
        ? w('mtcheck.vm.missingUnasked', {
            vm: input.vm,
            endpoints: endpoints.map((e) => e.name).join(', '),
            errors: unreachable.join('; '),
          })
        : w('mtcheck.vm.missing', { vm: input.vm, endpoints: endpoints.map((e) => e.name).join(', ') }),
      unreachable.length ? w('mtcheck.vm.unaskedFix') : w('mtcheck.vm.missingFix', { site: site.name }),
      'vm',
    );
  } else if (found) {
    add(
      'vm.found',
      'pass',
      w('mtcheck.title.vm'),
      w('mtcheck.vm.found', { vm: found.vm.name, id: found.vm.id, endpoint: found.session.endpoint.name }),
    );
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
      w('mtcheck.title.name'),
      w('mtcheck.name.taken', { name, vm: byName.vmName, id: byName.vmId }),
      w('mtcheck.name.takenFix'),
      'name',
    );
    existing = null;
  } else if (byVm && byVm.name !== name) {
    add(
      'master-target.name',
      'fail',
      w('mtcheck.title.name'),
      w('mtcheck.name.vmTaken', { vm: input.vm, name: byVm.name }),
      w('mtcheck.name.vmTakenFix', { name: byVm.name }),
      'name',
    );
  } else {
    add(
      'master-target.name',
      'pass',
      w('mtcheck.title.name'),
      w(existing ? 'mtcheck.name.registered' : 'mtcheck.name.new', { name }),
    );
  }
  if (existing && existing.siteId !== site.id) {
    add(
      'master-target.site',
      'fail',
      w('mtcheck.title.site'),
      w('mtcheck.site.other', { name: existing.name }),
      w('mtcheck.site.otherFix'),
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
        w('mtcheck.title.os'),
        w('mtcheck.os.unknown', { vm: vm.name }),
        w('mtcheck.os.unknownFix'),
        'osFamily',
      );
    } else if (guest && input.osFamily && guest !== input.osFamily) {
      add(
        'master-target.os',
        'fail',
        w('mtcheck.title.os'),
        w('mtcheck.os.mismatch', {
          vm: vm.name,
          guest: String(vm.guestOs),
          family: guest,
          wanted: input.osFamily,
        }),
        w('mtcheck.os.mismatchFix', { wanted: input.osFamily }),
        'osFamily',
      );
    } else {
      osFamily = input.osFamily ?? guest;
      if (existing && existing.slots.length > 0 && existing.osFamily !== osFamily) {
        add(
          'master-target.os',
          'fail',
          w('mtcheck.title.os'),
          w('mtcheck.os.holds', { name: existing.name, family: existing.osFamily, wanted: String(osFamily) }),
          w('mtcheck.os.holdsFix'),
          'osFamily',
        );
      } else {
        add(
          'master-target.os',
          'pass',
          w('mtcheck.title.os'),
          vm.guestOs
            ? w('mtcheck.os.okGuest', { family: String(osFamily), guest: vm.guestOs })
            : w('mtcheck.os.ok', { family: String(osFamily) }),
        );
      }
    }
    // ---------------------------------------------------------------- power
    add(
      'master-target.power',
      vm.powerState === 'poweredOn' ? 'pass' : 'warn',
      w('mtcheck.title.power'),
      vm.powerState === 'poweredOn'
        ? w('mtcheck.power.on', { vm: vm.name })
        : w('mtcheck.power.off', { vm: vm.name, power: powerSaid(vm.powerState) }),
      w('mtcheck.power.offFix', { vm: vm.name }),
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
          w('mtcheck.title.slots'),
          w('mtcheck.slots.clash', {
            slot: `${controller}:${unit}`,
            vm: String(vm?.name),
            file: String(disk?.fileName),
            source: pairNames.get(replica.pairId) ?? replica.pairId,
          }),
          w('mtcheck.slots.clashFix', { slot: `${controller}:${unit}` }),
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
      w('mtcheck.title.slots'),
      w('mtcheck.slots.free', {
        free: slotsFree,
        own: reservedSlots.length,
        ownSlots: reservedSlots.length
          ? reservedSlots.map((s) => `${s.controller}:${s.unit}`).join(', ')
          : w('mtcheck.slots.none'),
        replicas: replicaSlots.length,
      }),
      w('mtcheck.slots.fullFix'),
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
      w('mtcheck.title.controllers'),
      w(busesToAdd.length ? 'mtcheck.controllersAdd' : 'mtcheck.controllers', {
        buses: controllers.some((c) => c.present)
          ? controllers
              .filter((c) => c.present)
              .map((c) => c.bus)
              .join(', ')
          : w('mtcheck.slots.none'),
        ...(busesToAdd.length ? { add: busesToAdd.join(', ') } : {}),
      }),
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
        w('mtcheck.title.retention'),
        w('mtcheck.retention.unread', {
          endpoint: found.session.endpoint.name,
          error: err instanceof Error ? err.message : String(err),
        }),
        w('mtcheck.retention.unreadFix'),
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
          w('mtcheck.title.retention'),
          dsName
            ? w('mtcheck.retention.missing', { datastore: dsName, endpoint: found.session.endpoint.name })
            : w('mtcheck.retention.noDisk', { vm: found.vm.name }),
          w('mtcheck.retention.missingFix', {
            datastores: inventory.datastores
              .slice(0, 10)
              .map((d) => d.name)
              .join(', '),
          }),
          'retentionDatastore',
        );
      } else {
        retention = { datastore: ds.name, capacityBytes: ds.capacityBytes, freeBytes: ds.freeBytes };
        const low = ds.capacityBytes > 0 && ds.freeBytes / ds.capacityBytes < RETENTION_WARN_FRACTION;
        add(
          'master-target.retention',
          !ds.accessible ? 'fail' : low ? 'warn' : 'pass',
          w('mtcheck.title.retention'),
          !ds.accessible
            ? w('mtcheck.retention.inaccessible', { datastore: ds.name })
            : w('mtcheck.retention.free', {
                datastore: ds.name,
                free: sizeSaid(ds.freeBytes),
                capacity: sizeSaid(ds.capacityBytes),
              }),
          !ds.accessible
            ? w('mtcheck.retention.inaccessibleFix', { datastore: ds.name })
            : w('mtcheck.retention.lowFix', { datastore: ds.name }),
          'retentionDatastore',
        );
      }
    }
  }

  // ---------------------------------------------------------------- changes
  const said: Text[] = [];
  if (vm && osFamily) {
    if (!existing) said.push(w('mtchange.register', { vm: vm.name, name, family: osFamily }));
    else {
      if (existing.osFamily !== osFamily)
        said.push(w('mtchange.os', { from: existing.osFamily, to: osFamily }));
      if (existing.vmId !== vm.id || existing.endpointId !== found?.session.endpoint.id)
        said.push(
          w('mtchange.vm', {
            from: existing.vmId,
            to: vm.id,
            endpoint: String(found?.session.endpoint.name),
          }),
        );
    }
    const before = JSON.stringify(existing?.reservedSlots ?? null);
    if (JSON.stringify(reservedSlots) !== before)
      said.push(
        reservedSlots.length
          ? w('mtchange.keep', { slots: reservedSlots.map((s) => `${s.controller}:${s.unit}`).join(', ') })
          : w('mtchange.keepNone'),
      );
    if (retention && retention.datastore !== existing?.retentionDatastore)
      said.push(w('mtchange.retention', { datastore: retention.datastore }));
    for (const bus of busesToAdd) said.push(w('mtchange.controller', { bus: String(bus) }));
  }
  const changes = said.map((c) => c.text);
  const changeWords = said.flatMap((c) => (c.words ? [c.words] : []));

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
    changeWords,
    checkedAt: new Date().toISOString(),
  };
  const plan =
    ready && vm && found && osFamily
      ? { check, vm, session: found.session, siteId: site.id, osFamily, reservedSlots, busesToAdd }
      : null;
  return { check, plan };
}
