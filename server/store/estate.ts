import type {
  Endpoint,
  EndpointTarget,
  MasterTarget,
  OsFamily,
  ProcessServer,
  Site,
} from '../../shared/configserver';
import { ApiError } from '../../shared/errors';
import { sayRefusal } from '../../shared/i18n/refusal-words';
import type { SiteRole, Trust } from '../../shared/schemas/connection';
import type { Queryable } from '../db';
import { endpointRow, masterTargetRow, processServerRow, type Row, siteRow, str, strOrNull } from './rows';
import { mapDbError, newId, type Transactions } from './tx';

export class SiteStore {
  constructor(private readonly tx: Transactions) {}

  async create(name: string, role: SiteRole): Promise<Site> {
    return this.tx.write(async (w) => {
      const id = newId('site');
      const rows = await w.q
        .query<Row>('INSERT INTO sites (id, name, role, created_at) VALUES ($1,$2,$3,$4) RETURNING *', [
          id,
          name,
          role,
          w.now.toISOString(),
        ])
        .catch((e) => mapDbError(e, sayRefusal('refusal.what.site', { name })));
      w.emit('entity.changed', { entity: 'site', id, change: 'created' });
      return siteRow(rows[0]!);
    });
  }

  async list(): Promise<Site[]> {
    return (await this.tx.db.query<Row>('SELECT * FROM sites ORDER BY name')).map(siteRow);
  }

  async resolve(nameOrId: string, q: Queryable = this.tx.db): Promise<Site> {
    const rows = await q.query<Row>('SELECT * FROM sites WHERE id = $1 OR name = $1', [nameOrId]);
    if (!rows[0]) throw new ApiError('not-found', sayRefusal('refusal.noSite', { ref: nameOrId }));
    return siteRow(rows[0]);
  }
}

export class EndpointStore {
  constructor(private readonly tx: Transactions) {}

  async create(input: {
    siteId: string;
    name: string;
    target: EndpointTarget;
    trust: Trust;
    product: string;
    sealedSecret: string;
  }): Promise<Endpoint> {
    return this.tx.write(async (w) => {
      const id = newId('ep');
      const rows = await w.q
        .query<Row>(
          `INSERT INTO endpoints (id, site_id, name, kind, target, trust, product, secret, verified_at, created_at)
           VALUES ($1,$2,$3,$4,$5::jsonb,$6::jsonb,$7,$8,$9,$9) RETURNING *`,
          [
            id,
            input.siteId,
            input.name,
            input.target.kind,
            JSON.stringify(input.target),
            JSON.stringify(input.trust),
            input.product,
            input.sealedSecret,
            w.now.toISOString(),
          ],
        )
        .catch((e) => mapDbError(e, sayRefusal('refusal.what.endpoint', { name: input.name })));
      w.emit('entity.changed', { entity: 'endpoint', id, change: 'created' });
      return endpointRow(rows[0]!);
    });
  }

  async list(): Promise<Endpoint[]> {
    return (await this.tx.db.query<Row>('SELECT * FROM endpoints ORDER BY name')).map(endpointRow);
  }

  /** The endpoint and its sealed secret (server-internal: never returned by the API). */
  async withSecret(idOrName: string): Promise<{ endpoint: Endpoint; sealedSecret: string | null }> {
    const rows = await this.tx.db.query<Row>('SELECT * FROM endpoints WHERE id = $1 OR name = $1', [
      idOrName,
    ]);
    if (rows.length === 0)
      throw new ApiError('not-found', sayRefusal('refusal.noEndpoint', { ref: idOrName }));
    if (rows.length > 1)
      throw new ApiError('conflict', sayRefusal('refusal.endpointsNamed', { ref: idOrName }));
    return { endpoint: endpointRow(rows[0]!), sealedSecret: strOrNull(rows[0]!.secret) };
  }

  async markVerified(id: string, product: string): Promise<void> {
    await this.tx.db.query('UPDATE endpoints SET verified_at = $2, product = $3 WHERE id = $1', [
      id,
      this.tx.clock().toISOString(),
      product,
    ]);
  }

  async remove(idOrName: string): Promise<Endpoint> {
    const { endpoint } = await this.withSecret(idOrName);
    return this.tx.write(async (w) => {
      await w.q
        .query('DELETE FROM endpoints WHERE id = $1', [endpoint.id])
        .catch((e) => mapDbError(e, sayRefusal('refusal.what.endpointInUse', { name: endpoint.name })));
      w.emit('entity.changed', { entity: 'endpoint', id: endpoint.id, change: 'removed' });
      return endpoint;
    });
  }
}

export class ProcessServerStore {
  constructor(private readonly tx: Transactions) {}

  async create(siteId: string, name: string, host: string): Promise<ProcessServer> {
    return this.tx.write(async (w) => {
      const id = newId('ps');
      const rows = await w.q
        .query<Row>(
          'INSERT INTO process_servers (id, site_id, name, host, created_at) VALUES ($1,$2,$3,$4,$5) RETURNING *',
          [id, siteId, name, host, w.now.toISOString()],
        )
        .catch((e) => mapDbError(e, sayRefusal('refusal.what.processServer', { name })));
      w.emit('entity.changed', { entity: 'process-server', id, change: 'created' });
      return processServerRow(rows[0]!);
    });
  }

  async list(): Promise<ProcessServer[]> {
    return (await this.tx.db.query<Row>('SELECT * FROM process_servers ORDER BY name')).map(processServerRow);
  }

  async resolve(idOrName: string, q: Queryable = this.tx.db): Promise<ProcessServer> {
    const rows = await q.query<Row>('SELECT * FROM process_servers WHERE id = $1 OR name = $1', [idOrName]);
    if (!rows[0]) throw new ApiError('not-found', sayRefusal('refusal.noProcessServer', { ref: idOrName }));
    return processServerRow(rows[0]);
  }
}

export class MasterTargetStore {
  constructor(private readonly tx: Transactions) {}

  async create(input: {
    siteId: string;
    endpointId: string | null;
    name: string;
    vmId: string;
    vmName: string;
    osFamily: OsFamily;
    retentionDatastore: string | null;
    retentionFreeBytes: number | null;
  }): Promise<MasterTarget> {
    return this.tx.write(async (w) => {
      const id = newId('mt');
      await w.q
        .query(
          `INSERT INTO master_targets (id, site_id, endpoint_id, name, vm_id, vm_name, os_family, retention_datastore, retention_free_bytes, created_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
          [
            id,
            input.siteId,
            input.endpointId,
            input.name,
            input.vmId,
            input.vmName,
            input.osFamily,
            input.retentionDatastore,
            input.retentionFreeBytes,
            w.now.toISOString(),
          ],
        )
        .catch((e) => mapDbError(e, sayRefusal('refusal.what.masterTarget', { name: input.name })));
      w.emit('entity.changed', { entity: 'master-target', id, change: 'created' });
      return this.get(id, w.q);
    });
  }

  /**
   * Creates or updates the master target named `name` (configure master target): its VM, OS
   * family, retention datastore and the slots its own disks hold. Its replica slots stay.
   */
  async configure(input: {
    siteId: string;
    endpointId: string;
    name: string;
    vmId: string;
    vmName: string;
    osFamily: OsFamily;
    retentionDatastore: string | null;
    retentionFreeBytes: number | null;
    reservedSlots: Array<{ controller: number; unit: number }>;
  }): Promise<{ masterTarget: MasterTarget; created: boolean }> {
    return this.tx.write(async (w) => {
      const existing = await w.q.query<Row>('SELECT id FROM master_targets WHERE name = $1 FOR UPDATE', [
        input.name,
      ]);
      const id = existing[0] ? str(existing[0].id) : newId('mt');
      const params = [
        id,
        input.siteId,
        input.endpointId,
        input.name,
        input.vmId,
        input.vmName,
        input.osFamily,
        input.retentionDatastore,
        input.retentionFreeBytes,
        JSON.stringify(input.reservedSlots),
        w.now.toISOString(),
      ];
      if (existing[0]) {
        await w.q.query(
          `UPDATE master_targets SET site_id = $2, endpoint_id = $3, vm_id = $5, vm_name = $6, os_family = $7,
             retention_datastore = $8, retention_free_bytes = $9, reserved_slots = $10::jsonb WHERE id = $1`,
          params.slice(0, 10),
        );
      } else {
        await w.q
          .query(
            `INSERT INTO master_targets (id, site_id, endpoint_id, name, vm_id, vm_name, os_family, retention_datastore,
               retention_free_bytes, reserved_slots, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10::jsonb,$11)`,
            params,
          )
          .catch((e) => mapDbError(e, sayRefusal('refusal.what.masterTarget', { name: input.name })));
      }
      w.emit('entity.changed', { entity: 'master-target', id, change: existing[0] ? 'updated' : 'created' });
      return { masterTarget: await this.get(id, w.q), created: !existing[0] };
    });
  }

  /**
   * Records where a slot's replica disk lives, before protect creates it. A slot that already
   * names a file keeps it (the disk may exist there from an interrupted run).
   */
  async recordReplicaFile(mtId: string, controller: number, unit: number, fileName: string): Promise<void> {
    await this.tx.db.query(
      `UPDATE mt_slots SET file_name = $4
       WHERE master_target_id = $1 AND controller = $2 AND unit = $3 AND file_name IS NULL`,
      [mtId, controller, unit, fileName],
    );
  }

  async list(): Promise<MasterTarget[]> {
    const rows = await this.tx.db.query<Row>('SELECT * FROM master_targets ORDER BY name');
    const slots = await this.tx.db.query<Row>('SELECT * FROM mt_slots ORDER BY controller, unit');
    return rows.map((r) =>
      masterTargetRow(
        r,
        slots.filter((s) => s.master_target_id === r.id),
      ),
    );
  }

  async get(idOrName: string, q: Queryable = this.tx.db): Promise<MasterTarget> {
    const rows = await q.query<Row>('SELECT * FROM master_targets WHERE id = $1 OR name = $1', [idOrName]);
    if (!rows[0]) throw new ApiError('not-found', sayRefusal('refusal.noMasterTarget', { ref: idOrName }));
    const slots = await q.query<Row>(
      'SELECT * FROM mt_slots WHERE master_target_id = $1 ORDER BY controller, unit',
      [rows[0].id],
    );
    return masterTargetRow(rows[0], slots);
  }
}
