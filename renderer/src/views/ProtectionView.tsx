import { useEffect, useMemo } from 'react';
import type { HypervInventory } from '../../../shared/schemas/inventory';
import { Empty, Loading, PageHeader } from '../components/states';
import { useConsole } from '../store';
import { formatAge, formatBytes, replicationHealthClass } from './format';

/**
 * What is protected and how well. Hyper-V Replica relationships come straight from the hosts;
 * pairs run by a configuration server join this list when one is connected.
 */
export function ProtectionView() {
  const { connections, inventories, loadInventory } = useConsole();
  const hyperv = useMemo(
    () => (connections.data ?? []).filter((c) => c.target.kind === 'hyperv'),
    [connections.data],
  );
  useEffect(() => {
    for (const c of hyperv) if (!inventories[c.id]) void loadInventory(c.id);
  }, [hyperv, inventories, loadInventory]);

  const rows = hyperv.flatMap((c) => {
    const doc = inventories[c.id]?.data as HypervInventory | undefined;
    return (doc?.vms ?? [])
      .filter((vm) => vm.replication && vm.replication.mode === 'Primary')
      .map((vm) => ({ connection: c.name, vm }));
  });
  const loading = hyperv.some((c) => inventories[c.id]?.loading);

  return (
    <section className="page" aria-label="Protection">
      <PageHeader title="Protection" subtitle="Protected machines, their replication state and health" />
      {loading && rows.length === 0 && <Loading what="replication state" />}
      {!loading && rows.length === 0 && (
        <Empty title="No protected machines yet">
          Hyper-V Replica relationships appear here as soon as a Hyper-V host is connected.
        </Empty>
      )}
      {rows.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Machine</th>
              <th>Source</th>
              <th>Replica server</th>
              <th>State</th>
              <th>Health</th>
              <th>Frequency</th>
              <th>Last replication</th>
              <th>Pending</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ connection, vm }) => (
              <tr key={`${connection}:${vm.id}`}>
                <td>{vm.name}</td>
                <td>{connection}</td>
                <td>{vm.replication?.replicaServer ?? '—'}</td>
                <td>{vm.replication?.state}</td>
                <td>
                  <span className={replicationHealthClass(vm.replication?.health ?? '')}>
                    {vm.replication?.health}
                  </span>
                </td>
                <td>{vm.replication?.frequencySec ? `${vm.replication.frequencySec} s` : '—'}</td>
                <td>{formatAge(vm.replication?.lastReplicationTime ?? null)}</td>
                <td>
                  {vm.replication?.pendingBytes != null ? formatBytes(vm.replication.pendingBytes) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
