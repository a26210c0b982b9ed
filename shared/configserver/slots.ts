import type { MasterTarget, Slot } from './schemas';

/** A master target has 4 SCSI controllers × 16 units; unit 7 is the controller's own, so 60 usable. */
export const scsiControllers = 4;
export const unitsPerController = 16;
export const reservedUnit = 7;
export const usableSlots = scsiControllers * (unitsPerController - 1);

/** The first free slot in controller/unit order, or null when the master target is full. */
export function firstFreeSlot(
  used: ReadonlyArray<Pick<Slot, 'controller' | 'unit'>>,
): { controller: number; unit: number } | null {
  const taken = new Set(used.map((s) => `${s.controller}:${s.unit}`));
  for (let controller = 0; controller < scsiControllers; controller++) {
    for (let unit = 0; unit < unitsPerController; unit++) {
      if (unit === reservedUnit) continue;
      if (!taken.has(`${controller}:${unit}`)) return { controller, unit };
    }
  }
  return null;
}

export function isUsableSlot(controller: number, unit: number): boolean {
  return (
    Number.isInteger(controller) &&
    Number.isInteger(unit) &&
    controller >= 0 &&
    controller < scsiControllers &&
    unit >= 0 &&
    unit < unitsPerController &&
    unit !== reservedUnit
  );
}

/**
 * The master targets a plan's new pairs take slots on, in the order they fill: the plan's own,
 * then the other master targets of its site and OS family on the same vCenter (the failover
 * steps recover through that one endpoint), by name. A machine whose disks do not fit on the
 * first goes to the next, so a full master target does not stop a protect.
 */
export function spillOrder(planMt: MasterTarget, all: readonly MasterTarget[]): MasterTarget[] {
  const others = all
    .filter(
      (m) =>
        m.id !== planMt.id &&
        m.siteId === planMt.siteId &&
        m.osFamily === planMt.osFamily &&
        m.endpointId === planMt.endpointId,
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [planMt, ...others];
}
