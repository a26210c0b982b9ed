import { z } from 'zod';
import { wordedSchema } from '../i18n/worded';
import { roles } from '../names';
import {
  hostKeyFingerprintSchema,
  siteRoleSchema,
  thumbprintSchema,
  trustSchema,
} from '../schemas/connection';
import { type HealthLevel, healthLevelSchema } from '../schemas/health';
import { inventoryDocumentSchema } from '../schemas/inventory';
import { jobKindSchema, jobSchema } from '../schemas/job';
import { hostText, nameText, urlWithoutCredentials, usernameText } from '../schemas/text';
import { pairStateSchema } from './pair-state';

/**
 * The configuration server's entities and REST payloads. The server validates with these, the
 * typed client (core/configserver) parses answers with them and the console renders them, so a
 * field is named once. Outputs use z.object (tolerant of additions from a newer server); inputs
 * use z.strictObject (an unknown field is a mistake the operator should hear about).
 */

export const idSchema = z.string().min(1).max(64);
const iso = z.iso.datetime();
const name = nameText(100);

// ---------------------------------------------------------------- auth

export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export const tokenSchema = z.object({
  id: idSchema,
  name: z.string(),
  role: roleSchema,
  createdAt: iso,
  createdBy: z.string(),
  lastUsedAt: iso.nullable(),
  revokedAt: iso.nullable(),
});
export type Token = z.infer<typeof tokenSchema>;

export const tokenCreateInputSchema = z.strictObject({ name, role: roleSchema });
/** The secret is in this answer only: the server keeps a hash. */
export const tokenCreatedSchema = z.object({ token: tokenSchema, secret: z.string() });

export const whoAmISchema = z.object({ tokenId: idSchema, name: z.string(), role: roleSchema });

export const auditEntrySchema = z.object({
  id: z.string(),
  at: iso,
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  outcome: z.enum(['ok', 'refused', 'failed']),
  status: z.number().int(),
  detail: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

// ---------------------------------------------------------------- sites and endpoints

export const siteSchema = z.object({ id: idSchema, name: z.string(), role: siteRoleSchema, createdAt: iso });
export type Site = z.infer<typeof siteSchema>;
export const siteCreateInputSchema = z.strictObject({ name, role: siteRoleSchema });

export const endpointKindSchema = z.enum(['vsphere', 'hyperv']);
export const endpointTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('vsphere'),
    url: urlWithoutCredentials(/^https$/, 'a vCenter URL starts with https://'),
    username: usernameText,
  }),
  z.strictObject({
    kind: z.literal('hyperv'),
    host: hostText,
    port: z.number().int().min(1).max(65535).default(22),
    username: usernameText,
  }),
]);
export type EndpointTarget = z.infer<typeof endpointTargetSchema>;

export const endpointSchema = z.object({
  id: idSchema,
  siteId: idSchema,
  name: z.string(),
  target: endpointTargetSchema,
  trust: trustSchema,
  /** What the endpoint said it is when it was verified, e.g. "VMware vCenter Server 8.0.3". */
  product: z.string(),
  hasSecret: z.boolean(),
  verifiedAt: iso,
  createdAt: iso,
});
export type Endpoint = z.infer<typeof endpointSchema>;

/**
 * What the configuration server reads of one site right now (GET /sites/:id/inventory): each of
 * its endpoints with its inventory, or why it could not be read. The console's wizards offer the
 * VMs, datastores, networks, hosts and folders of this answer, the same reads the server
 * validates a plan against.
 */
export const siteInventorySchema = z.object({
  site: z.object({ id: idSchema, name: z.string() }),
  endpoints: z.array(
    z.object({
      endpoint: z.object({ id: idSchema, name: z.string(), target: endpointTargetSchema }),
      status: z.enum(['ok', 'unreachable', 'invalid-login', 'identity-changed', 'error']),
      message: z.string(),
      /** The words of `message` when the server's connector said it: a console words it in its language. */
      messageWords: wordedSchema.optional(),
      inventory: inventoryDocumentSchema.nullable(),
    }),
  ),
});
export type SiteInventory = z.infer<typeof siteInventorySchema>;

export const endpointCreateInputSchema = z
  .strictObject({
    site: name.describe('site name or id'),
    name,
    target: endpointTargetSchema,
    secrets: z.strictObject({
      password: z.string().min(1).max(1024).optional(),
      privateKey: z.string().min(1).max(16_384).optional(),
    }),
    /** The pinned identity; omit only with trustOnFirstUse. */
    trust: trustSchema.optional(),
    trustOnFirstUse: z.boolean().default(false),
  })
  .refine((v) => v.trust !== undefined || v.trustOnFirstUse, {
    message: 'give the identity to pin (thumbprint or host key) or set trustOnFirstUse',
    path: ['trust'],
  })
  .refine((v) => v.secrets.password !== undefined || v.secrets.privateKey !== undefined, {
    message: 'give a password or a private key for the endpoint',
    path: ['secrets'],
  });
export type EndpointCreateInput = z.input<typeof endpointCreateInputSchema>;

export const endpointTestResultSchema = z.object({
  status: z.enum(['ok', 'identity-changed', 'unreachable', 'invalid-login', 'error']),
  product: z.string().nullable(),
  message: z.string(),
  /** The words of `message` ("vc answered as …", or why it did not): a console words it in its language. */
  messageWords: wordedSchema.optional(),
});

export { hostKeyFingerprintSchema, thumbprintSchema };

// ---------------------------------------------------------------- process servers, MTs, agents

export { type HealthLevel, healthLevelSchema };

export const processServerHealthSchema = z.strictObject({
  cpuPercent: z.number().min(0).max(100),
  memoryPercent: z.number().min(0).max(100),
  cacheFreePercent: z.number().min(0).max(100),
  /** Oldest unsent data, in seconds. */
  uploadBacklogSec: z.number().min(0),
});
export type ProcessServerHealth = z.infer<typeof processServerHealthSchema>;

export const processServerSchema = z.object({
  id: idSchema,
  siteId: idSchema,
  name: z.string(),
  host: z.string(),
  health: processServerHealthSchema.nullable(),
  level: healthLevelSchema,
  lastHeartbeatAt: iso.nullable(),
  createdAt: iso,
});
export type ProcessServer = z.infer<typeof processServerSchema>;
export const processServerCreateInputSchema = z.strictObject({
  site: name,
  name,
  host: z.string().trim().min(1),
});

export const osFamilySchema = z.enum(['windows', 'linux']);
export type OsFamily = z.infer<typeof osFamilySchema>;

/** A replica disk in a master target's SCSI slot. */
export const slotSchema = z.object({
  controller: z.number().int().min(0).max(3),
  unit: z.number().int().min(0).max(15),
  pairId: idSchema,
  diskKey: z.string(),
  /**
   * The replica disk's file ("[datastore] path.vmdk"), recorded by protect when it creates the
   * disk: a failover finds the disk there even if the plan's placement changed since. Null for a
   * slot allocated but not yet given its disk.
   */
  fileName: z.string().nullable().default(null),
});
export type Slot = z.infer<typeof slotSchema>;
/** A SCSI slot held by the master target's own disks (its system disk): no replica may take it. */
export const reservedSlotSchema = z.object({
  controller: z.number().int().min(0).max(3),
  unit: z.number().int().min(0).max(15),
});

export const masterTargetSchema = z.object({
  id: idSchema,
  siteId: idSchema,
  endpointId: idSchema.nullable(),
  name: z.string(),
  vmId: z.string(),
  vmName: z.string(),
  osFamily: osFamilySchema,
  slots: z.array(slotSchema),
  /** Slots the master target's own disks hold (recorded when it is configured or protected to). */
  reservedSlots: z.array(reservedSlotSchema).default([]),
  slotsUsed: z.number().int(),
  /** Usable slots (60) less the replica slots and the master target's own disks. */
  slotsFree: z.number().int(),
  retentionDatastore: z.string().nullable(),
  retentionFreeBytes: z.number().nonnegative().nullable(),
  createdAt: iso,
});
export type MasterTarget = z.infer<typeof masterTargetSchema>;
export const masterTargetCreateInputSchema = z.strictObject({
  site: name,
  /** The VM's name as the site's vCenter knows it. */
  vm: z.string().trim().min(1),
  /** Endpoint (name or id) that holds the VM; optional when the site has one vSphere endpoint. */
  endpoint: z.string().trim().min(1).optional(),
  name: name.optional(),
  /** Required when no endpoint can be read to find the VM's guest OS. */
  osFamily: osFamilySchema.optional(),
  vmId: z.string().min(1).optional(),
  retentionDatastore: z.string().min(1).optional(),
  retentionFreeBytes: z.number().nonnegative().optional(),
});

export const agentKindSchema = z.enum(['mobility', 'process-server']);
export const agentSchema = z.object({
  id: idSchema,
  kind: agentKindSchema,
  name: z.string(),
  host: z.string(),
  version: z.string(),
  pairId: idSchema.nullable(),
  processServerId: idSchema.nullable(),
  lastHeartbeatAt: iso.nullable(),
  registeredAt: iso,
});
export type Agent = z.infer<typeof agentSchema>;

// ---------------------------------------------------------------- plans, pairs, recovery points

// Plans: see ./plan.ts (the plan file and the stored plan share one schema).

export const pairStatsSchema = z.object({
  /** Seconds between now and the newest data on the replica. */
  rpoSec: z.number().nonnegative(),
  pendingChangeBytes: z.number().nonnegative(),
  diskSizeBytes: z.number().nonnegative(),
  throughputBps: z.number().nonnegative(),
  /** 0..1 while initial replication or resync runs. */
  progress: z.number().min(0).max(1),
  reportedAt: iso,
});
export type PairStats = z.infer<typeof pairStatsSchema>;

export const errorKindSchema = z.enum([
  'network',
  'low-disk',
  'low-memory',
  'authentication',
  'authorisation',
  'invalid-replica-state',
]);
export type ReplicationErrorKind = z.infer<typeof errorKindSchema>;

export const pairRetrySchema = z.object({
  attempt: z.number().int().min(1),
  nextAt: iso.nullable(),
  kind: errorKindSchema,
  message: z.string(),
  recoverable: z.boolean(),
});

/** How a pair replicates; each DR workflow runs a machine through its own platform. */
export const pairPlatformSchema = z.enum(['vsphere', 'hyperv']);
export type PairPlatform = z.infer<typeof pairPlatformSchema>;

export const pairSchema = z.object({
  id: idSchema,
  planId: idSchema.nullable(),
  sourceVmId: z.string(),
  sourceVmName: z.string(),
  sourceSiteId: idSchema,
  targetSiteId: idSchema,
  masterTargetId: idSchema.nullable(),
  processServerId: idSchema.nullable(),
  osFamily: osFamilySchema,
  /** vsphere: agents and a master target; hyperv: Hyper-V Replica between two Hyper-V hosts. */
  platform: pairPlatformSchema,
  state: pairStateSchema,
  /** forward: primary → secondary; reverse after reprotect. */
  direction: z.enum(['forward', 'reverse']),
  health: healthLevelSchema,
  stats: pairStatsSchema.nullable(),
  rpoThresholdSec: z.number().int(),
  resyncScheduledAt: iso.nullable(),
  retry: pairRetrySchema.nullable(),
  lastHeartbeatAt: iso.nullable(),
  stateChangedAt: iso,
  createdAt: iso,
});
export type Pair = z.infer<typeof pairSchema>;

export const pairCreateInputSchema = z.strictObject({
  plan: z.string().min(1).optional(),
  sourceSite: name,
  targetSite: name,
  sourceVmId: z.string().min(1),
  sourceVmName: z.string().min(1),
  osFamily: osFamilySchema,
  /** Default vsphere. A hyperv pair replicates with Hyper-V Replica: no master target, no disks to slot. */
  platform: pairPlatformSchema.optional(),
  masterTarget: z.string().min(1).optional(),
  processServer: z.string().min(1).optional(),
  rpoThresholdSec: z.number().int().min(30).max(86_400).optional(),
  /** Source disk keys: each takes one SCSI slot on the master target (default: one disk). */
  disks: z.array(z.string().min(1)).min(1).max(60).optional(),
});

export const pairTransitionInputSchema = z.strictObject({
  to: pairStateSchema,
  reason: z.string().max(500).optional(),
});

export const recoveryPointSchema = z.object({
  id: idSchema,
  pairId: idSchema,
  at: iso,
  tag: z.string().nullable(),
  consistency: z.enum(['app', 'crash']),
});
export type RecoveryPoint = z.infer<typeof recoveryPointSchema>;

// ---------------------------------------------------------------- alerts

export const alertSeveritySchema = z.enum(['warning', 'critical']);
export const alertSchema = z.object({
  id: idSchema,
  /** One open alert per key: re-raising updates it, clearing closes it. */
  key: z.string(),
  severity: alertSeveritySchema,
  subjectKind: z.enum(['pair', 'process-server', 'agent', 'master-target', 'server']),
  subjectId: z.string(),
  /** In English, for the CLI, logs and any client; a console words it by messageWords. */
  message: z.string(),
  /** The message as a word-book key and values (shared/i18n/alert-words.ts); absent on alerts raised before. */
  messageWords: wordedSchema.optional(),
  raisedAt: iso,
  updatedAt: iso,
  clearedAt: iso.nullable(),
});
export type Alert = z.infer<typeof alertSchema>;

// ---------------------------------------------------------------- settings

export const officeHoursSchema = z.strictObject({
  /** Minutes east of UTC of the site's clock, e.g. 60 for CET. */
  utcOffsetMin: z.number().int().min(-720).max(840).default(0),
  startHour: z.number().int().min(0).max(23).default(8),
  endHour: z.number().int().min(1).max(24).default(18),
  /** 0 = Sunday … 6 = Saturday. */
  days: z.array(z.number().int().min(0).max(6)).default([1, 2, 3, 4, 5]),
});
export type OfficeHours = z.infer<typeof officeHoursSchema>;
export const settingsSchema = z.strictObject({
  officeHours: officeHoursSchema.default({
    utcOffsetMin: 0,
    startHour: 8,
    endHour: 18,
    days: [1, 2, 3, 4, 5],
  }),
  /** Start resyncs as soon as they are needed instead of waiting for the end of office hours. */
  resyncImmediately: z.boolean().default(false),
});
export type Settings = z.infer<typeof settingsSchema>;

// ---------------------------------------------------------------- jobs

export { jobSchema };
export const jobCreateInputSchema = z.strictObject({
  kind: jobKindSchema,
  planId: idSchema.nullable().default(null),
  pairIds: z.array(idSchema).max(5000).default([]),
  dryRun: z.boolean().default(false),
  input: z.record(z.string(), z.unknown()).default({}),
});
export type JobCreateInput = z.input<typeof jobCreateInputSchema>;

// ---------------------------------------------------------------- agent API

export const agentRegisterInputSchema = z.strictObject({
  kind: agentKindSchema,
  name: z.string().trim().min(1).max(200),
  host: z.string().trim().min(1).max(255),
  version: z.string().min(1).max(50),
  pairId: idSchema.optional(),
  processServerId: idSchema.optional(),
});

export const pairStatsInputSchema = z.strictObject({
  rpoSec: z.number().nonnegative(),
  pendingChangeBytes: z.number().nonnegative(),
  diskSizeBytes: z.number().positive(),
  throughputBps: z.number().nonnegative(),
  progress: z.number().min(0).max(1).default(1),
});
export type PairStatsInput = z.input<typeof pairStatsInputSchema>;

export const statsBatchInputSchema = z.strictObject({
  items: z
    .array(z.strictObject({ pairId: idSchema, stats: pairStatsInputSchema }))
    .min(1)
    .max(2000),
});

export const recoveryPointInputSchema = z.strictObject({
  at: iso.optional(),
  tag: z.string().trim().min(1).max(200).optional(),
  consistency: z.enum(['app', 'crash']),
});

export const pairErrorInputSchema = z.strictObject({
  kind: errorKindSchema,
  message: z.string().min(1).max(2000),
});

/** What an agent may report about the pair it serves (the server checks the state table). */
export const agentPairProgressInputSchema = z.strictObject({
  /** initial-replication or resync finished: the pair becomes protected. */
  event: z.enum(['initial-replication-started', 'initial-replication-complete', 'resync-complete']),
});

// ---------------------------------------------------------------- events

const ev = <T extends string, P extends z.ZodType>(type: T, payload: P) =>
  z.object({ id: z.string(), at: iso, type: z.literal(type), payload });

export const serverEventSchema = z.discriminatedUnion('type', [
  ev(
    'pair.state',
    z.object({ pair: pairSchema, from: pairStateSchema.nullable(), reason: z.string().nullable() }),
  ),
  ev('pair.stats', z.object({ pairId: idSchema, stats: pairStatsSchema, health: healthLevelSchema })),
  ev('pair.removed', z.object({ pairId: idSchema })),
  ev('recovery-point', z.object({ point: recoveryPointSchema })),
  ev('job.progress', z.object({ job: jobSchema })),
  ev('alert.raised', z.object({ alert: alertSchema })),
  ev('alert.cleared', z.object({ alert: alertSchema })),
  ev('process-server.health', z.object({ processServer: processServerSchema })),
  ev(
    'entity.changed',
    z.object({
      entity: z.enum([
        'site',
        'endpoint',
        'process-server',
        'master-target',
        'plan',
        'agent',
        'token',
        'settings',
      ]),
      id: z.string(),
      change: z.enum(['created', 'updated', 'removed']),
    }),
  ),
]);
export type ServerEvent = z.infer<typeof serverEventSchema>;
export type ServerEventType = ServerEvent['type'];

/** Frames the server sends on the event stream besides events. */
export const streamControlSchema = z.discriminatedUnion('type', [
  /** Sent once the backlog after `since` has been replayed; live events follow. */
  z.object({ type: z.literal('ready'), lastId: z.string() }),
  /** The requested id is older than the retained history: reload state, then resume from lastId. */
  z.object({ type: z.literal('reset'), lastId: z.string(), message: z.string() }),
]);

export const healthzSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  database: z.enum(['pglite', 'postgres']),
  instanceId: z.string(),
  uptimeSec: z.number(),
});

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
