import type {
  Agent,
  Alert,
  AuditEntry,
  Endpoint,
  EndpointTarget,
  HealthLevel,
  MasterTarget,
  OsFamily,
  Pair,
  PairState,
  Plan,
  PlanSpec,
  ProcessServer,
  ProcessServerHealth,
  RecoveryPoint,
  Role,
  Site,
  Token,
} from '../../shared/configserver';
import { isUsableSlot, planSpecOf, usableSlots } from '../../shared/configserver';
import type { Worded } from '../../shared/i18n/worded';
import type { SiteRole, Trust } from '../../shared/schemas/connection';

/** A database row as the driver returns it; the mappers below turn rows into the API's types. */
export type Row = Record<string, unknown>;

export const iso = (v: unknown): string =>
  v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
export const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));
export const str = (v: unknown): string => String(v);
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function tokenRow(r: Row): Token {
  return {
    id: str(r.id),
    name: str(r.name),
    role: r.role as Role,
    createdAt: iso(r.created_at),
    createdBy: str(r.created_by),
    lastUsedAt: isoOrNull(r.last_used_at),
    revokedAt: isoOrNull(r.revoked_at),
  };
}

export function auditRow(r: Row): AuditEntry {
  return {
    id: str(r.id),
    at: iso(r.at),
    actor: str(r.actor),
    action: str(r.action),
    target: strOrNull(r.target),
    outcome: r.outcome as AuditEntry['outcome'],
    status: Number(r.status),
    detail: strOrNull(r.detail),
  };
}

export function siteRow(r: Row): Site {
  return { id: str(r.id), name: str(r.name), role: r.role as SiteRole, createdAt: iso(r.created_at) };
}

export function endpointRow(r: Row): Endpoint {
  return {
    id: str(r.id),
    siteId: str(r.site_id),
    name: str(r.name),
    target: r.target as EndpointTarget,
    trust: r.trust as Trust,
    product: str(r.product),
    hasSecret: r.secret !== null && r.secret !== undefined,
    verifiedAt: iso(r.verified_at),
    createdAt: iso(r.created_at),
  };
}

export function processServerRow(r: Row): ProcessServer {
  return {
    id: str(r.id),
    siteId: str(r.site_id),
    name: str(r.name),
    host: str(r.host),
    health: (r.health as ProcessServerHealth | null) ?? null,
    level: r.level as HealthLevel,
    lastHeartbeatAt: isoOrNull(r.last_heartbeat_at),
    createdAt: iso(r.created_at),
  };
}

export function masterTargetRow(r: Row, slots: Row[]): MasterTarget {
  const reserved = ((r.reserved_slots as Array<{ controller: number; unit: number }> | undefined) ?? []).map(
    (o) => ({ controller: Number(o.controller), unit: Number(o.unit) }),
  );
  return {
    id: str(r.id),
    siteId: str(r.site_id),
    endpointId: strOrNull(r.endpoint_id),
    name: str(r.name),
    vmId: str(r.vm_id),
    vmName: str(r.vm_name),
    osFamily: r.os_family as OsFamily,
    slots: slots.map((s) => ({
      controller: Number(s.controller),
      unit: Number(s.unit),
      pairId: str(s.pair_id),
      diskKey: str(s.disk_key),
      fileName: strOrNull(s.file_name),
    })),
    reservedSlots: reserved,
    slotsUsed: slots.length,
    // The master target's own disks hold slots too; a reserved slot is counted once even if a
    // replica slot was (wrongly, before migration 3) allocated on it.
    slotsFree:
      usableSlots -
      slots.length -
      reserved.filter(
        (o) =>
          isUsableSlot(o.controller, o.unit) &&
          !slots.some((s) => Number(s.controller) === o.controller && Number(s.unit) === o.unit),
      ).length,
    retentionDatastore: strOrNull(r.retention_datastore),
    retentionFreeBytes: r.retention_free_bytes === null ? null : Number(r.retention_free_bytes),
    createdAt: iso(r.created_at),
  };
}

export function planRow(r: Row): Plan {
  const spec = r.spec as PlanSpec;
  return {
    id: str(r.id),
    ...planSpecOf(spec),
    sourceSiteId: str(r.source_site_id),
    targetSiteId: str(r.target_site_id),
    masterTargetId: strOrNull(r.master_target_id),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export function pairRow(r: Row): Pair {
  return {
    id: str(r.id),
    planId: strOrNull(r.plan_id),
    sourceVmId: str(r.source_vm_id),
    sourceVmName: str(r.source_vm_name),
    sourceSiteId: str(r.source_site_id),
    targetSiteId: str(r.target_site_id),
    masterTargetId: strOrNull(r.master_target_id),
    processServerId: strOrNull(r.process_server_id),
    osFamily: r.os_family as OsFamily,
    platform: r.platform === 'hyperv' ? 'hyperv' : 'vsphere',
    state: r.state as PairState,
    direction: r.direction as Pair['direction'],
    health: r.health as HealthLevel,
    stats: (r.stats as Pair['stats']) ?? null,
    rpoThresholdSec: Number(r.rpo_threshold_sec),
    resyncScheduledAt: isoOrNull(r.resync_scheduled_at),
    retry: (r.retry as Pair['retry']) ?? null,
    lastHeartbeatAt: isoOrNull(r.last_heartbeat_at),
    stateChangedAt: iso(r.state_changed_at),
    createdAt: iso(r.created_at),
  };
}

export function recoveryPointRow(r: Row): RecoveryPoint {
  return {
    id: str(r.id),
    pairId: str(r.pair_id),
    at: iso(r.at),
    tag: strOrNull(r.tag),
    consistency: r.consistency as RecoveryPoint['consistency'],
  };
}

export function agentRow(r: Row): Agent {
  return {
    id: str(r.id),
    kind: r.kind as Agent['kind'],
    name: str(r.name),
    host: str(r.host),
    version: str(r.version),
    pairId: strOrNull(r.pair_id),
    processServerId: strOrNull(r.process_server_id),
    lastHeartbeatAt: isoOrNull(r.last_heartbeat_at),
    registeredAt: iso(r.registered_at),
  };
}

export function alertRow(r: Row): Alert {
  return {
    id: str(r.id),
    key: str(r.key),
    severity: r.severity as Alert['severity'],
    subjectKind: r.subject_kind as Alert['subjectKind'],
    subjectId: str(r.subject_id),
    message: str(r.message),
    ...(r.message_words ? { messageWords: r.message_words as Worded } : {}),
    raisedAt: iso(r.raised_at),
    updatedAt: iso(r.updated_at),
    clearedAt: isoOrNull(r.cleared_at),
  };
}
