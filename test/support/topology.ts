import { openLab } from '../../core/console/lab-connections';
import { createLabEstate } from '../../core/lab/estate';
import { buildTopology } from '../../core/topology/build';
import type { Topology } from '../../shared/schemas/topology';

/** The topology the console builds of the lab's four inventories (no configuration server). */
export async function labTopology(vms?: number): Promise<Topology> {
  const inputs = await Promise.all(
    openLab(vms === undefined ? undefined : createLabEstate({ vms })).map(async ({ connection, source }) => ({
      connection,
      inventory: await source.fetchInventory(),
      error: null,
    })),
  );
  return buildTopology(inputs, 1);
}
