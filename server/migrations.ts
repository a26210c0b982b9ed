import type { Db } from './db';

/**
 * Versioned migrations: append, never edit a released one. Each runs in its own transaction
 * under an advisory lock, so several server instances starting together migrate once.
 */
export const migrations: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE settings (key text PRIMARY KEY, value jsonb NOT NULL);
CREATE TABLE tokens (
  id text PRIMARY KEY, name text NOT NULL, role text NOT NULL CHECK (role IN ('viewer','operator','admin','agent')),
  hash text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now(), created_by text NOT NULL,
  last_used_at timestamptz, revoked_at timestamptz);
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), actor text NOT NULL, action text NOT NULL,
  target text, outcome text NOT NULL, status int NOT NULL, detail text);
CREATE TABLE sites (
  id text PRIMARY KEY, name text NOT NULL UNIQUE, role text NOT NULL CHECK (role IN ('primary','secondary')),
  created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE endpoints (
  id text PRIMARY KEY, site_id text NOT NULL REFERENCES sites(id), name text NOT NULL, kind text NOT NULL,
  target jsonb NOT NULL, trust jsonb NOT NULL, product text NOT NULL, secret text,
  verified_at timestamptz NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (site_id, name));
CREATE TABLE process_servers (
  id text PRIMARY KEY, site_id text NOT NULL REFERENCES sites(id), name text NOT NULL UNIQUE, host text NOT NULL,
  health jsonb, level text NOT NULL DEFAULT 'unknown', last_heartbeat_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE master_targets (
  id text PRIMARY KEY, site_id text NOT NULL REFERENCES sites(id), endpoint_id text REFERENCES endpoints(id),
  name text NOT NULL UNIQUE, vm_id text NOT NULL, vm_name text NOT NULL,
  os_family text NOT NULL CHECK (os_family IN ('windows','linux')),
  retention_datastore text, retention_free_bytes double precision, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE plans (
  id text PRIMARY KEY, name text NOT NULL UNIQUE, source_site_id text NOT NULL REFERENCES sites(id),
  target_site_id text NOT NULL REFERENCES sites(id), master_target_id text REFERENCES master_targets(id),
  policy jsonb NOT NULL, mappings jsonb NOT NULL, boot_groups jsonb NOT NULL, parallelism int NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE pairs (
  id text PRIMARY KEY, plan_id text REFERENCES plans(id), source_vm_id text NOT NULL, source_vm_name text NOT NULL,
  source_site_id text NOT NULL REFERENCES sites(id), target_site_id text NOT NULL REFERENCES sites(id),
  master_target_id text REFERENCES master_targets(id), process_server_id text REFERENCES process_servers(id),
  os_family text NOT NULL, state text NOT NULL, direction text NOT NULL DEFAULT 'forward',
  health text NOT NULL DEFAULT 'unknown', stats jsonb, rpo_threshold_sec int NOT NULL,
  resync_scheduled_at timestamptz, retry jsonb, last_heartbeat_at timestamptz,
  state_changed_at timestamptz NOT NULL DEFAULT now(), created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source_site_id, source_vm_id));
CREATE TABLE mt_slots (
  master_target_id text NOT NULL REFERENCES master_targets(id) ON DELETE CASCADE,
  controller int NOT NULL CHECK (controller BETWEEN 0 AND 3),
  unit int NOT NULL CHECK (unit BETWEEN 0 AND 15 AND unit <> 7),
  pair_id text NOT NULL REFERENCES pairs(id) ON DELETE CASCADE, disk_key text NOT NULL,
  PRIMARY KEY (master_target_id, controller, unit));
CREATE TABLE recovery_points (
  id text PRIMARY KEY, pair_id text NOT NULL REFERENCES pairs(id) ON DELETE CASCADE, at timestamptz NOT NULL,
  tag text, consistency text NOT NULL CHECK (consistency IN ('app','crash')));
CREATE INDEX recovery_points_pair_at ON recovery_points (pair_id, at DESC);
CREATE TABLE agents (
  id text PRIMARY KEY, kind text NOT NULL, name text NOT NULL, host text NOT NULL, version text NOT NULL,
  pair_id text REFERENCES pairs(id) ON DELETE SET NULL, process_server_id text REFERENCES process_servers(id),
  last_heartbeat_at timestamptz, registered_at timestamptz NOT NULL DEFAULT now(), UNIQUE (kind, name));
CREATE TABLE alerts (
  id text PRIMARY KEY, key text NOT NULL, severity text NOT NULL, subject_kind text NOT NULL, subject_id text NOT NULL,
  message text NOT NULL, raised_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, cleared_at timestamptz);
CREATE UNIQUE INDEX alerts_open_key ON alerts (key) WHERE cleared_at IS NULL;
CREATE TABLE events (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), type text NOT NULL, payload jsonb NOT NULL);
CREATE TABLE jobs (
  id text PRIMARY KEY, kind text NOT NULL, state text NOT NULL, progress double precision NOT NULL DEFAULT 0,
  dry_run boolean NOT NULL, plan_id text, pair_ids jsonb NOT NULL, input jsonb NOT NULL, steps jsonb NOT NULL,
  error text, created_by text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(), claimed_by text, lease_until timestamptz);
CREATE INDEX jobs_queue ON jobs (created_at) WHERE state IN ('queued','running');
`,
  },
  {
    // Plans become the plan file (shared/configserver/plan.ts) stored whole in spec; the id
    // columns stay as checked references. Plans written before are converted: policy seconds to
    // minutes, boot groups (0 first, VM ids) to machines (group 1 first, the VM name the pairs
    // know, else the id), network mappings kept; placement only when the old compute and
    // datastore mappings named one target each. The old columns are kept, renamed, so that
    // nothing an operator wrote is lost.
    version: 2,
    name: 'plans as files',
    sql: `
ALTER TABLE plans ADD COLUMN spec jsonb;
ALTER TABLE plans ADD COLUMN updated_at timestamptz;
UPDATE plans p SET updated_at = p.created_at, spec = jsonb_build_object(
  'name', p.name,
  'source', jsonb_build_object('site', (SELECT s.name FROM sites s WHERE s.id = p.source_site_id)),
  'target', jsonb_strip_nulls(jsonb_build_object(
    'site', (SELECT s.name FROM sites s WHERE s.id = p.target_site_id),
    'masterTarget', (SELECT m.name FROM master_targets m WHERE m.id = p.master_target_id),
    'placement', (SELECT jsonb_build_object('cluster', c.v, 'datastore', d.v)
       FROM (SELECT min(value) AS v, count(DISTINCT value) AS n FROM jsonb_each_text(COALESCE(p.mappings->'compute', '{}'::jsonb))) c,
            (SELECT min(value) AS v, count(DISTINCT value) AS n FROM jsonb_each_text(COALESCE(p.mappings->'datastores', '{}'::jsonb))) d
       WHERE c.n = 1 AND d.n = 1))
    || jsonb_build_object('networks', COALESCE(p.mappings->'networks', '{}'::jsonb))),
  'policy', jsonb_build_object(
    'rpoThresholdMinutes', GREATEST(1, CEIL(COALESCE((p.policy->>'rpoThresholdSec')::numeric, 900) / 60))::int,
    'retentionHours', COALESCE((p.policy->>'retentionHours')::int, 24),
    'appConsistentEveryMinutes', GREATEST(5, COALESCE((p.policy->>'appConsistencyIntervalMin')::int, 60))),
  'parallelism', p.parallelism,
  'machines', COALESCE((
    SELECT jsonb_agg(jsonb_build_object(
        'vm', COALESCE((SELECT pr.source_vm_name FROM pairs pr
                        WHERE pr.source_site_id = p.source_site_id AND pr.source_vm_id = g.vm #>> '{}' LIMIT 1),
                       g.vm #>> '{}'),
        'bootGroup', bg.grp, 'dependsOn', '[]'::jsonb) ORDER BY bg.grp, g.pos)
    FROM jsonb_array_elements(p.boot_groups) WITH ORDINALITY AS bg(arr, grp)
    CROSS JOIN LATERAL jsonb_array_elements(bg.arr) WITH ORDINALITY AS g(vm, pos)), '[]'::jsonb),
  'steps', '[]'::jsonb);
ALTER TABLE plans ALTER COLUMN spec SET NOT NULL;
ALTER TABLE plans ALTER COLUMN updated_at SET NOT NULL;
ALTER TABLE plans ALTER COLUMN updated_at SET DEFAULT now();
ALTER TABLE plans RENAME COLUMN policy TO legacy_policy;
ALTER TABLE plans RENAME COLUMN mappings TO legacy_mappings;
ALTER TABLE plans RENAME COLUMN boot_groups TO legacy_boot_groups;
ALTER TABLE plans RENAME COLUMN parallelism TO legacy_parallelism;
ALTER TABLE plans ALTER COLUMN legacy_policy DROP NOT NULL;
ALTER TABLE plans ALTER COLUMN legacy_mappings DROP NOT NULL;
ALTER TABLE plans ALTER COLUMN legacy_boot_groups DROP NOT NULL;
ALTER TABLE plans ALTER COLUMN legacy_parallelism DROP NOT NULL
`,
  },
  {
    // What a failover or test failover created, written before the VM is created (vm_id null
    // until it exists), so that a resumed step adopts its own VM instead of creating a second,
    // and cleanup or rollback removes exactly what was created. A master target's own disks
    // (its system disk on SCSI 0:0) hold slots no replica may take: reserved_slots.
    version: 3,
    name: 'recovered VMs',
    sql: `
CREATE TABLE recovered_vms (
  pair_id text NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('test','failover')),
  endpoint_id text NOT NULL, vm_name text NOT NULL, vm_id text, disks jsonb NOT NULL,
  job_id text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (pair_id, purpose));
ALTER TABLE master_targets ADD COLUMN reserved_slots jsonb NOT NULL DEFAULT '[]'::jsonb
`,
  },
  {
    // Where protect put each replica disk ("[datastore] path"), written before the disk is
    // created: a failover, rollback or cleanup finds the disk there whatever the plan's placement
    // says later. Slots of disks created before this migration keep null and fall back to the
    // plan's datastore, as before.
    version: 4,
    name: 'replica disk files',
    sql: `
ALTER TABLE mt_slots ADD COLUMN file_name text
`,
  },
  {
    // How a pair replicates: through Siteshift's agents to a master target (vsphere) or through
    // Hyper-V Replica between two Hyper-V hosts (hyperv), which needs no master target and no
    // agent. Pairs made before this column were Hyper-V ones exactly when the lab seeded them
    // without a master target and without a process server.
    version: 5,
    name: 'pair platform',
    sql: `
ALTER TABLE pairs ADD COLUMN platform text NOT NULL DEFAULT 'vsphere' CHECK (platform IN ('vsphere','hyperv'));
UPDATE pairs SET platform = 'hyperv' WHERE master_target_id IS NULL AND process_server_id IS NULL
`,
  },
  {
    // Reprotect keeps each original VM registered on the original site as a shell and moves its
    // disks to the master target there (the resync compares checksums against them); failback
    // puts them back at the same controller and unit. The record ('original') is written before
    // the first disk moves, so a resumed step knows where every disk belongs.
    version: 6,
    name: 'original VMs of a reprotect',
    sql: `
ALTER TABLE recovered_vms DROP CONSTRAINT recovered_vms_purpose_check;
ALTER TABLE recovered_vms ADD CONSTRAINT recovered_vms_purpose_check CHECK (purpose IN ('test','failover','original'))
`,
  },
  {
    // An alert's message as a word-book key and values (shared/i18n/alert-words.ts) beside its
    // English text, so that a console words it in its own language. Alerts raised before keep
    // null and are shown in their English words.
    version: 7,
    name: 'worded alerts',
    sql: `
ALTER TABLE alerts ADD COLUMN message_words jsonb
`,
  },
  {
    // A job's error as the key and values a console words it with (shared/i18n/step-words.ts),
    // beside the English words in `error`. Jobs that ended before this column keep null: their
    // consoles show the English words.
    version: 8,
    name: 'job error words',
    sql: `
ALTER TABLE jobs ADD COLUMN error_words jsonb
`,
  },
  {
    // What a job for no plan acts on (server/jobs.ts subjectOf), written when the job is made:
    // a resync's pairs may be removed afterwards, and a list must not read every job's input.
    // Jobs made before get theirs where it is still known: a master target's name from the
    // input, a resync's machines (up to three, as new jobs list them) from pairs still there.
    version: 9,
    name: 'job subject',
    sql: `
ALTER TABLE jobs ADD COLUMN subject text;
ALTER TABLE jobs ADD COLUMN subject_words jsonb;
UPDATE jobs SET subject = COALESCE(input->>'name', input->>'vm')
  WHERE kind = 'configure-master-target' AND plan_id IS NULL;
UPDATE jobs j SET subject = (SELECT string_agg(p.source_vm_name, ', ' ORDER BY p.source_vm_name)
    FROM pairs p WHERE j.pair_ids ? p.id)
  WHERE j.plan_id IS NULL AND j.subject IS NULL AND jsonb_array_length(j.pair_ids) BETWEEN 1 AND 3
    AND (SELECT count(*) FROM pairs p WHERE j.pair_ids ? p.id) = jsonb_array_length(j.pair_ids)
`,
  },
];

/** Applies the pending migrations (up to `upTo`, for tests of a migration itself). */
export async function migrate(db: Db, upTo = Number.POSITIVE_INFINITY): Promise<number> {
  let applied = 0;
  for (const m of migrations) {
    if (m.version > upTo) break;
    const done = await db.tx(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock(710170)');
      await q.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const rows = await q.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (rows.length > 0) return false;
      for (const statement of splitStatements(m.sql)) await q.query(statement);
      await q.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (done) applied++;
  }
  return applied;
}

/** Migrations hold no functions or quoted semicolons, so a plain split is exact. */
function splitStatements(sql: string): string[] {
  return sql
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
