import { z } from 'zod';
import { wordedSchema } from '../i18n/worded';
import { nameText } from '../schemas/text';
import { readinessCheckSchema } from './readiness';
import { masterTargetSchema, osFamilySchema } from './schemas';
import { scsiControllers } from './slots';

/**
 * Configure master target: mark a VM of the receiving site as a master target, with its slot
 * map, its OS family and its retention datastore, and give it the SCSI controllers its replica
 * slots need. The check is a read of the VM and the store (nothing changes); the configuration
 * itself is a job (`configure-master-target`, input = this input) with a dry run, like every
 * workflow, so the console wizard and the CLI follow it the same way.
 */
export const masterTargetConfigureInputSchema = z.strictObject({
  /** The receiving site the VM is on. */
  site: nameText(100),
  /** The VM's name as the site's vCenter knows it. */
  vm: z.string().trim().min(1).max(200),
  /** Endpoint (name or id) that holds the VM; default: any vSphere endpoint of the site. */
  endpoint: z.string().trim().min(1).max(200).optional(),
  /** The master target's name (plans name it in target.masterTarget); default: the VM name. */
  name: nameText(100).optional(),
  /** The OS family the VM must run (Windows sources need a Windows MT); default: read from the guest OS. */
  osFamily: osFamilySchema.optional(),
  /** Datastore for the retention (recovery points); default: the datastore of the VM's first disk. */
  retentionDatastore: z.string().trim().min(1).max(200).optional(),
  /**
   * SCSI controllers to have on the VM (buses 0 … n-1); default: those its allocated replica
   * slots need, at least bus 0. Protect adds a bus when a slot on it is allocated.
   */
  controllers: z.number().int().min(1).max(scsiControllers).optional(),
});
export type MasterTargetConfigureInput = z.input<typeof masterTargetConfigureInputSchema>;

/** One of the 64 SCSI positions of a master target (4 buses × 16 units). */
export const masterTargetSlotUseSchema = z.object({
  controller: z.number().int().min(0).max(3),
  unit: z.number().int().min(0).max(15),
  /**
   * controller: unit 7, the controller itself; own-disk: the VM's own disk (reserved);
   * replica: a pair's replica disk; free: usable by the next replica disk.
   */
  use: z.enum(['controller', 'own-disk', 'replica', 'free']),
  /** The disk file at this position on the VM now, if any. */
  fileName: z.string().nullable(),
  pairId: z.string().nullable(),
  /** The protected machine whose replica disk this slot holds. */
  sourceVmName: z.string().nullable(),
  diskKey: z.string().nullable(),
  /** A replica slot whose disk is not attached to the VM (e.g. failed over: on a recovered VM). */
  detached: z.boolean(),
});
export type MasterTargetSlotUse = z.infer<typeof masterTargetSlotUseSchema>;

export const masterTargetCheckSchema = z.object({
  /** True when no check failed (warnings do not block). */
  ready: z.boolean(),
  /** The name the master target has (or will have). */
  name: z.string(),
  /** The master target already registered for this name or VM (configure updates it), else null. */
  existing: masterTargetSchema.nullable(),
  vm: z
    .object({
      id: z.string(),
      name: z.string(),
      endpointId: z.string(),
      endpointName: z.string(),
      powerState: z.enum(['poweredOn', 'poweredOff', 'suspended']),
      guestOs: z.string().nullable(),
      osFamily: osFamilySchema,
    })
    .nullable(),
  retention: z
    .object({
      datastore: z.string(),
      capacityBytes: z.number().nonnegative(),
      freeBytes: z.number().nonnegative(),
    })
    .nullable(),
  /** Buses 0-3: present on the VM now, and whether configure adds it. */
  controllers: z.array(
    z.object({ bus: z.number().int(), kind: z.string().nullable(), present: z.boolean(), add: z.boolean() }),
  ),
  /** All 64 positions, bus by bus. */
  slots: z.array(masterTargetSlotUseSchema),
  slotsFree: z.number().int(),
  checks: z.array(readinessCheckSchema),
  /** What configure changes, one line each (empty: nothing to do). */
  changes: z.array(z.string()),
  /** The same lines as words (shared/i18n/check-words.ts), in the same order, for a console to word. */
  changeWords: z.array(wordedSchema).optional(),
  checkedAt: z.iso.datetime(),
});
export type MasterTargetCheck = z.infer<typeof masterTargetCheckSchema>;
