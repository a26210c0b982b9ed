import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventHub } from '../../../server/events';
import { migrate, migrations } from '../../../server/migrations';
import { Store } from '../../../server/store';
import { planSchema, planSpecOf, planSpecSchema } from '../../../shared/configserver';
import { dbKinds, openTestDb, type TestDb } from './harness';

/** Plans as files in the store, on both databases, and the migration of plans stored before. */
describe.each(dbKinds)('plans in the store on %s', (kind) => {
  let tdb: TestDb;
  let hub: EventHub;
  let store: Store;

  beforeAll(async () => {
    tdb = await openTestDb(kind);
    // Version 1, with plans written the old way, then the migration to plans as files.
    await migrate(tdb.db, 1);
    const q = (sql: string, params: unknown[] = []) => tdb.db.query(sql, params);
    await q(`INSERT INTO sites (id, name, role) VALUES ('s1','ams','primary'), ('s2','rtm','secondary')`);
    await q(
      `INSERT INTO master_targets (id, site_id, name, vm_id, vm_name, os_family) VALUES ('mt1','s2','mt-lnx','vm-9','mt-lnx','linux')`,
    );
    await q(
      `INSERT INTO plans (id, name, source_site_id, target_site_id, master_target_id, policy, mappings, boot_groups, parallelism, created_at)
       VALUES ('plan_old', 'old', 's1', 's2', 'mt1', $1, $2, $3, 6, '2026-11-01T10:00:00Z'),
              ('plan_bare', 'bare', 's1', 's2', NULL, $4, $5, '[]', 4, '2026-11-02T10:00:00Z')`,
      [
        JSON.stringify({ rpoThresholdSec: 90, retentionHours: 48, appConsistencyIntervalMin: 30 }),
        JSON.stringify({
          compute: { 'domain-c7': 'DR' },
          datastores: { ds1: 'rtm-ds', ds2: 'rtm-ds' },
          networks: { 'VM Network': 'DR Network' },
          folders: {},
        }),
        JSON.stringify([['vm-1', 'vm-2'], ['vm-3']]),
        JSON.stringify({ rpoThresholdSec: 900, retentionHours: 24, appConsistencyIntervalMin: 60 }),
        JSON.stringify({ compute: { a: 'X', b: 'Y' }, datastores: { d: 'ds' }, networks: {}, folders: {} }),
      ],
    );
    await q(
      `INSERT INTO pairs (id, plan_id, source_vm_id, source_vm_name, source_site_id, target_site_id, os_family, state, rpo_threshold_sec)
       VALUES ('pair1', 'plan_old', 'vm-1', 'db-01', 's1', 's2', 'linux', 'protected', 90)`,
    );
    expect(await migrate(tdb.db)).toBe(migrations.length - 1);
    hub = new EventHub(tdb.db, 50);
    await hub.start();
    store = new Store(tdb.db, hub);
  });

  afterAll(async () => {
    hub?.stop();
    await tdb?.drop();
  });

  it('reads plans stored before plans became files', async () => {
    const old = await store.plans.resolve('old');
    expect(planSchema.parse(old)).toEqual(old);
    expect(old).toMatchObject({
      id: 'plan_old',
      name: 'old',
      source: { site: 'ams' },
      target: {
        site: 'rtm',
        masterTarget: 'mt-lnx',
        placement: { cluster: 'DR', datastore: 'rtm-ds' },
        networks: { 'VM Network': 'DR Network' },
      },
      policy: { rpoThresholdMinutes: 2, retentionHours: 48, appConsistentEveryMinutes: 30 },
      parallelism: 6,
      // Group 0 booted first: it is group 1 now; a VM a pair knows gets its name.
      machines: [
        { vm: 'db-01', bootGroup: 1, dependsOn: [] },
        { vm: 'vm-2', bootGroup: 1, dependsOn: [] },
        { vm: 'vm-3', bootGroup: 2, dependsOn: [] },
      ],
      steps: [],
      sourceSiteId: 's1',
      targetSiteId: 's2',
      masterTargetId: 'mt1',
      createdAt: '2026-11-01T10:00:00.000Z',
      updatedAt: '2026-11-01T10:00:00.000Z',
    });
    // Two compute targets: no placement can be derived, and the plan is still a valid file.
    const bare = await store.plans.resolve('bare');
    expect(bare.target).toEqual({ site: 'rtm', networks: {} });
    expect(planSpecSchema.parse(planSpecOf(bare))).toEqual(planSpecOf(bare));
    // Nothing the operator wrote is lost: the old columns stay.
    const legacy = await tdb.db.query<{ legacy_mappings: unknown }>(
      `SELECT legacy_mappings FROM plans WHERE id = 'plan_bare'`,
    );
    expect(legacy[0]!.legacy_mappings).toMatchObject({ compute: { a: 'X', b: 'Y' } });
  });

  it('applies: creates, replaces, refuses a stale review', async () => {
    const spec = planSpecSchema.parse({
      name: 'web-tier',
      source: { site: 'ams' },
      target: { site: 'rtm', masterTarget: 'mt-lnx' },
      machines: [{ vm: 'web-01' }],
    });
    const first = await store.plans.apply({
      spec,
      sourceSiteId: 's1',
      targetSiteId: 's2',
      masterTargetId: 'mt1',
      expectUpdatedAt: null,
    });
    expect(first.created).toBe(true);
    expect(first.plan).toMatchObject({ name: 'web-tier', machines: [{ vm: 'web-01', bootGroup: 1 }] });
    await expect(
      store.plans.apply({
        spec,
        sourceSiteId: 's1',
        targetSiteId: 's2',
        masterTargetId: null,
        expectUpdatedAt: null,
      }),
    ).rejects.toThrow(/plan 'web-tier' was changed at .* since you reviewed it/);
    const second = await store.plans.apply({
      spec: { ...spec, parallelism: 9 },
      sourceSiteId: 's1',
      targetSiteId: 's2',
      masterTargetId: null,
      expectUpdatedAt: first.plan.updatedAt,
    });
    expect(second.created).toBe(false);
    expect(second.plan).toMatchObject({ id: first.plan.id, parallelism: 9, masterTargetId: null });
    expect((await store.plans.list()).map((p) => p.name)).toEqual(['bare', 'old', 'web-tier']);
  });

  it('removes a plan only when no pair belongs to it', async () => {
    await expect(store.plans.remove('old')).rejects.toThrow(
      "plan 'old' still has 1 pair (db-01); remove its pairs first",
    );
    expect((await store.plans.remove('web-tier')).name).toBe('web-tier');
    await expect(store.plans.resolve('web-tier')).rejects.toThrow(
      "no protection plan with id or name 'web-tier'",
    );
  });
});
