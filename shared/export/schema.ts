import { z } from 'zod';
import { wordedSchema } from '../i18n/worded';
import { exportFormats } from '../names';
import { inventoryDocumentSchema } from '../schemas/inventory';
import { languageSchema } from '../schemas/settings';
import { topologySchema } from '../schemas/topology';

/**
 * The offline export document (`.siteshift.json`): what the estate looked like and what the plans
 * say, readable with no connection. The published JSON Schema (shared/export/export.schema.json) is
 * generated from this file.
 *
 * Records taken from a configuration server are loose objects with the fields the viewer, the
 * runbook and the diff read: a newer server that adds fields (a richer plan model, more readiness
 * detail) exports them unchanged, and an older reader still opens the file. States and kinds are
 * plain strings for the same reason: a new pair state must not make last month's viewer refuse
 * this month's file.
 */
export const EXPORT_KIND = 'siteshift-export';
export const EXPORT_SCHEMA_VERSION = 1;
/** Files are named `<something>.siteshift.json` (the desktop file association). */
export const EXPORT_FILE_SUFFIX = '.siteshift.json';

const iso = z.iso.datetime();
const siteRole = z.enum(['primary', 'secondary']);

export const exportSourceSchema = z.object({
  kind: z.enum(['vsphere', 'hyperv', 'configserver', 'lab', 'console']),
  name: z.string(),
  /** Where it was read: a URL or host:port. Never a credential. */
  address: z.string(),
});
export type ExportSource = z.infer<typeof exportSourceSchema>;

export const exportInventorySchema = z.object({
  connectionId: z.string(),
  name: z.string(),
  site: siteRole,
  kind: z.enum(['vsphere', 'hyperv']),
  address: z.string(),
  /** Null when the source could not be read; `error` says why. */
  inventory: inventoryDocumentSchema.nullable(),
  error: z.string().nullable(),
  /** The words of `error` when the exporter or the server said it: the export's language words it. */
  errorWords: wordedSchema.optional(),
  /**
   * Set when a configuration server read it for the export (its URL and the endpoint's id there);
   * absent when the exporter connected to the endpoint itself.
   */
  via: z.object({ server: z.string(), endpointId: z.string() }).optional(),
});
export type ExportInventory = z.infer<typeof exportInventorySchema>;

const healthOf = z.looseObject({
  cpuPercent: z.number(),
  memoryPercent: z.number(),
  cacheFreePercent: z.number(),
  uploadBacklogSec: z.number(),
});

export const exportSiteSchema = z.looseObject({ id: z.string(), name: z.string(), role: siteRole });

export const exportEndpointSchema = z.looseObject({
  id: z.string(),
  siteId: z.string(),
  name: z.string(),
  kind: z.string(),
  /** URL or host:port. */
  address: z.string(),
  username: z.string().nullable(),
  product: z.string(),
  /** The pinned identity (certificate thumbprint or SSH host key fingerprint): public, not a secret. */
  identity: z.string().nullable(),
});
export type ExportEndpoint = z.infer<typeof exportEndpointSchema>;

export const exportProcessServerSchema = z.looseObject({
  id: z.string(),
  siteId: z.string(),
  name: z.string(),
  host: z.string(),
  level: z.string(),
  health: healthOf.nullable(),
  lastHeartbeatAt: iso.nullable(),
});

export const exportSlotSchema = z.looseObject({
  controller: z.number().int(),
  unit: z.number().int(),
  pairId: z.string(),
  diskKey: z.string(),
});

export const exportMasterTargetSchema = z.looseObject({
  id: z.string(),
  siteId: z.string(),
  name: z.string(),
  vmId: z.string(),
  vmName: z.string(),
  osFamily: z.string(),
  slots: z.array(exportSlotSchema),
  slotsUsed: z.number().int(),
  slotsFree: z.number().int(),
  retentionDatastore: z.string().nullable(),
});
export type ExportMasterTarget = z.infer<typeof exportMasterTargetSchema>;

/**
 * A protection and recovery plan as the server holds it (shared/configserver/plan.ts: source,
 * target with placement and network mappings, policy, machines with boot group, dependencies and
 * re-IP, steps between boot groups). Only id and name are required and every other field is
 * loose: the plan model grows and each field it gains is carried along, and plans stored before
 * it (bootGroups, mappings) still open.
 */
const exportPlanMachineSchema = z.looseObject({
  vm: z.string(),
  bootGroup: z.number().optional(),
  dependsOn: z.array(z.string()).optional(),
  recoveredName: z.string().optional(),
  reip: z
    .looseObject({
      nic: z.number().optional(),
      address: z.string(),
      gateway: z.string().optional(),
      dns: z.array(z.string()).optional(),
    })
    .optional(),
});
export type ExportPlanMachine = z.infer<typeof exportPlanMachineSchema>;

export const exportPlanSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  sourceSiteId: z.string().optional(),
  targetSiteId: z.string().optional(),
  masterTargetId: z.string().nullable().optional(),
  source: z.looseObject({ site: z.string() }).optional(),
  target: z
    .looseObject({
      site: z.string(),
      masterTarget: z.string().optional(),
      placement: z.record(z.string(), z.unknown()).optional(),
      networks: z.record(z.string(), z.string()).optional(),
      testNetwork: z.string().optional(),
    })
    .optional(),
  policy: z.record(z.string(), z.unknown()).optional(),
  parallelism: z.number().optional(),
  machines: z.array(exportPlanMachineSchema).optional(),
  steps: z.array(z.looseObject({ after: z.number(), message: z.string().optional() })).optional(),
  /** Plans stored before the plan-file model: boot groups of source VM ids, mapping tables. */
  bootGroups: z.array(z.unknown()).optional(),
  mappings: z.record(z.string(), z.unknown()).optional(),
});
export type ExportPlan = z.infer<typeof exportPlanSchema>;

export const exportPairSchema = z.looseObject({
  id: z.string(),
  planId: z.string().nullable(),
  sourceVmId: z.string(),
  sourceVmName: z.string(),
  sourceSiteId: z.string(),
  targetSiteId: z.string(),
  masterTargetId: z.string().nullable(),
  state: z.string(),
  direction: z.string(),
  health: z.string(),
  rpoThresholdSec: z.number(),
  stats: z.looseObject({ rpoSec: z.number(), reportedAt: iso }).nullable(),
  stateChangedAt: iso,
});
export type ExportPair = z.infer<typeof exportPairSchema>;

export const exportRecoveryPointSchema = z.looseObject({
  id: z.string(),
  pairId: z.string(),
  at: iso,
  tag: z.string().nullable(),
  consistency: z.string(),
});
export type ExportRecoveryPoint = z.infer<typeof exportRecoveryPointSchema>;

/** One readiness check result of a plan (pass / warn / fail with its fix), as the server reports it. */
export const exportReadinessSchema = z.looseObject({
  planId: z.string().nullable().optional(),
  /** The workflow checked: test, planned, unplanned, failback … */
  kind: z.string().optional(),
  name: z.string().optional(),
  /** pass, warn, fail, or "not run" when the server could not check. */
  status: z.string().optional(),
  message: z.string().optional(),
  fix: z.string().nullable().optional(),
  /** The check's words (shared/i18n/check-words.ts), from which a console words it in its language. */
  titleWords: wordedSchema.optional(),
  messageWords: wordedSchema.optional(),
  fixWords: wordedSchema.optional(),
});
export type ExportReadiness = z.infer<typeof exportReadinessSchema>;

export const exportAlertSchema = z.looseObject({
  id: z.string(),
  severity: z.string(),
  subjectKind: z.string(),
  subjectId: z.string(),
  message: z.string(),
  raisedAt: iso,
});

export const exportDeploymentSchema = z.object({
  /** The configuration server's name as the exporter knows it, and its URL. */
  name: z.string(),
  url: z.string(),
  version: z.string().nullable(),
  /** Null when the server answered; the reason otherwise (the rest is then empty). */
  error: z.string().nullable(),
  errorWords: wordedSchema.optional(),
  sites: z.array(exportSiteSchema),
  endpoints: z.array(exportEndpointSchema),
  processServers: z.array(exportProcessServerSchema),
  masterTargets: z.array(exportMasterTargetSchema),
  plans: z.array(exportPlanSchema),
  pairs: z.array(exportPairSchema),
  recoveryPoints: z.array(exportRecoveryPointSchema),
  readiness: z.array(exportReadinessSchema),
  alerts: z.array(exportAlertSchema),
});
export type ExportDeployment = z.infer<typeof exportDeploymentSchema>;

export const exportSignatureSchema = z.object({
  algorithm: z.literal('ed25519'),
  /** The signer's public key, SPKI DER in base64. */
  publicKey: z.string(),
  /** SHA256:<base64> of the SPKI DER: what an operator compares with the key they trust. */
  keyFingerprint: z.string(),
  /** Signature of the canonical content (the same bytes the digest covers), base64. */
  value: z.string(),
});

export const exportIntegritySchema = z.object({
  /** The content is the document without `integrity`, serialised by RFC 8785 (JSON canonicalization). */
  canonicalization: z.literal('rfc8785'),
  algorithm: z.literal('sha256'),
  /** Lower-case hex SHA-256 of the canonical content. */
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  signature: exportSignatureSchema.nullable(),
});
export type ExportIntegrity = z.infer<typeof exportIntegritySchema>;

export const exportDocumentSchema = z.object({
  kind: z.literal(EXPORT_KIND),
  schemaVersion: z.literal(EXPORT_SCHEMA_VERSION),
  exportedAt: iso,
  exporter: z.object({ name: z.string(), version: z.string(), host: z.string() }),
  /** What the export was taken from. */
  sources: z.array(exportSourceSchema),
  inventories: z.array(exportInventorySchema),
  deployments: z.array(exportDeploymentSchema),
  /** The estate graph the console draws, built from the inventories and deployments above. */
  topology: topologySchema,
  integrity: exportIntegritySchema,
});
export type ExportDocument = z.infer<typeof exportDocumentSchema>;
export type ExportContent = Omit<ExportDocument, 'integrity'>;

/** What a reader found when it checked a file: shown to the operator, never hidden. */
export const exportVerificationSchema = z.object({
  digest: z.enum(['valid', 'mismatch']),
  signature: z.enum(['valid', 'invalid', 'unsigned']),
  keyFingerprint: z.string().nullable(),
  /**
   * Whether a valid signature is by a key the reader trusts (Settings → Exports, `--trusted-key`):
   * `not-checked` when the reader gave no list. A signature verifies for any key, the forger's too;
   * only a trusted key says who wrote the file.
   */
  trust: z.enum(['trusted', 'untrusted', 'not-checked']),
  /** The name the reader gave the trusted key that signed it. */
  signer: z.string().nullable(),
  /** One sentence for the banner. */
  message: z.string(),
});
export type ExportVerification = z.infer<typeof exportVerificationSchema>;

export const exportFormatSchema = z.enum(exportFormats);
export type ExportFormat = z.infer<typeof exportFormatSchema>;

// ---------------------------------------------------------------- console calls

export const exportCreateInputSchema = z.strictObject({
  format: exportFormatSchema,
  /**
   * The clusters and hosts open on the console's map: the exported picture opens the same ones
   * (shared/topology/export-view.ts). Without it, hosts up to EXPORT_HOST_VMS VMs are drawn open.
   */
  expanded: z.array(z.string().min(1).max(1024)).max(200_000).optional(),
  /**
   * The language of the picture's, HTML's and runbook's words: the console's current language.
   * Without it, the operator's Language setting, else English.
   */
  locale: languageSchema.exclude(['system']).optional(),
});
export const exportCreatedSchema = z.object({
  fileName: z.string(),
  mimeType: z.string(),
  /** The file's bytes (base64): the renderer offers them as a download. */
  contentBase64: z.string(),
  bytes: z.number().int().nonnegative(),
  digest: z.string(),
  /** The fingerprint of the key that signed it (Settings → Exports), null when unsigned. */
  signedBy: z.string().nullable(),
});
export type ExportCreated = z.infer<typeof exportCreatedSchema>;

export const exportOpenInputSchema = z.strictObject({
  /** Only files named *.siteshift.json: the console reads no other file by path. */
  path: z
    .string()
    .min(1)
    .max(4096)
    .refine((p) => p.toLowerCase().endsWith(EXPORT_FILE_SUFFIX), {
      message: `only Siteshift exports (*${EXPORT_FILE_SUFFIX}) can be opened by path`,
    }),
});
export const exportOpenedFileSchema = z.object({ name: z.string(), text: z.string() });

export const exportChangeKindSchema = z.enum([
  'vm-added',
  'vm-removed',
  'vm-moved',
  'disk-added',
  'disk-removed',
  'disk-resized',
  'network-changed',
  'network-added',
  'network-removed',
  'host-added',
  'host-removed',
  'plan-added',
  'plan-removed',
  'plan-changed',
  'pair-added',
  'pair-removed',
  'pair-state',
  'pair-rpo',
  /** A source one of the two exports could not read: its objects are unknown there, not gone. */
  'source-unread',
]);
export type ExportChangeKind = z.infer<typeof exportChangeKindSchema>;

export const exportChangeSchema = z.object({
  kind: exportChangeKindSchema,
  /** Where: the inventory or configuration server the object belongs to. */
  scope: z.string(),
  /** What: the VM, plan or pair name. */
  subject: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
});
export type ExportChange = z.infer<typeof exportChangeSchema>;

export const exportDiffSchema = z.object({
  a: z.object({ exportedAt: iso, digest: z.string() }),
  b: z.object({ exportedAt: iso, digest: z.string() }),
  changes: z.array(exportChangeSchema),
});
export type ExportDiff = z.infer<typeof exportDiffSchema>;

/** How each kind of drift reads, in the CLI and the console. */
export const exportChangeLabel: Record<ExportChangeKind, string> = {
  'vm-added': 'VM added',
  'vm-removed': 'VM removed',
  'vm-moved': 'VM moved',
  'disk-added': 'disk added',
  'disk-removed': 'disk removed',
  'disk-resized': 'disk resized',
  'network-changed': 'network changed',
  'network-added': 'network added',
  'network-removed': 'network removed',
  'host-added': 'host added',
  'host-removed': 'host removed',
  'plan-added': 'plan added',
  'plan-removed': 'plan removed',
  'plan-changed': 'plan changed',
  'pair-added': 'pair added',
  'pair-removed': 'pair removed',
  'pair-state': 'pair state',
  'pair-rpo': 'pair RPO',
  'source-unread': 'not compared (source unread)',
};
