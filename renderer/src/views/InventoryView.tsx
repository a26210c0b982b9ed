import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { HypervInventory, VsphereInventory } from '../../../shared/schemas/inventory';
import { Empty, ErrorState, Loading, PageHeader } from '../components/states';
import { useConsole } from '../store';
import { useWizard } from '../wizards/store';
import { formatBytes, replicationHealthClass } from './format';

export function InventoryView() {
  const { connections, selectedConnection, selectConnection, inventories, loadInventory } = useConsole();
  const list = connections.data ?? [];
  useEffect(() => {
    if (selectedConnection && !inventories[selectedConnection]) void loadInventory(selectedConnection);
  }, [selectedConnection, inventories, loadInventory]);
  const entry = selectedConnection ? inventories[selectedConnection] : undefined;

  return (
    <section className="page" aria-label="Inventory">
      <PageHeader
        title="Inventory"
        subtitle="Everything each endpoint reports, kept current by live updates"
        actions={
          selectedConnection && (
            <button type="button" className="btn" onClick={() => void loadInventory(selectedConnection)}>
              Reload
            </button>
          )
        }
      />
      {connections.loading && !connections.data && <Loading what="connections" />}
      {connections.data && list.length === 0 && <Empty title="No connections">Add one under Settings.</Empty>}
      <div className="tabs" role="tablist">
        {list.map((c) => (
          <button
            type="button"
            role="tab"
            aria-selected={c.id === selectedConnection}
            key={c.id}
            className={c.id === selectedConnection ? 'tab active' : 'tab'}
            onClick={() => selectConnection(c.id)}
          >
            {c.name}
            <span className="tab-kind">
              {c.target.kind === 'vsphere' ? 'vSphere' : c.target.kind === 'hyperv' ? 'Hyper-V' : 'Server'}
            </span>
          </button>
        ))}
      </div>
      {entry?.error && (
        <ErrorState
          message={entry.error}
          onRetry={() => selectedConnection && void loadInventory(selectedConnection)}
        />
      )}
      {entry?.loading && !entry.data && <Loading what="the inventory" />}
      {entry?.data?.source.kind === 'vsphere' && (
        <VsphereInventoryPane doc={entry.data as VsphereInventory} />
      )}
      {entry?.data?.source.kind === 'hyperv' && <HypervInventoryPane doc={entry.data as HypervInventory} />}
    </section>
  );
}

type TreeSelection = { kind: 'all' } | { kind: 'datacenter' | 'cluster' | 'host'; id: string };

function VsphereInventoryPane({ doc }: { doc: VsphereInventory }) {
  const [selection, setSelection] = useState<TreeSelection>({ kind: 'all' });
  const [filter, setFilter] = useState('');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const loadProtection = useConsole((s) => s.loadProtection);
  const protectionState = useConsole((s) => s.protection);
  const servers = (protectionState.data ?? []).filter((p) => !p.error);
  useEffect(() => {
    if (!protectionState.data && !protectionState.loading) void loadProtection();
  }, [protectionState.data, protectionState.loading, loadProtection]);
  const open = useWizard((s) => s.open);
  const hostCluster = useMemo(() => new Map(doc.hosts.map((h) => [h.id, h.cluster])), [doc.hosts]);
  const vms = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return doc.vms.filter((vm) => {
      if (f && !vm.name.toLowerCase().includes(f) && !vm.ipAddresses.some((ip) => ip.includes(f)))
        return false;
      if (selection.kind === 'datacenter') return vm.datacenter === selection.id;
      if (selection.kind === 'cluster') return vm.host !== null && hostCluster.get(vm.host) === selection.id;
      if (selection.kind === 'host') return vm.host === selection.id;
      return true;
    });
  }, [doc.vms, filter, selection, hostCluster]);
  const is = (kind: TreeSelection['kind'], id?: string) =>
    selection.kind === kind && (kind === 'all' || ('id' in selection && selection.id === id));

  return (
    <div className="inventory">
      <nav className="tree" aria-label="Inventory tree">
        <button
          type="button"
          className={is('all') ? 'tree-item active' : 'tree-item'}
          onClick={() => setSelection({ kind: 'all' })}
        >
          {doc.source.about.fullName}
        </button>
        {doc.datacenters.map((dc) => (
          <div key={dc.id}>
            <button
              type="button"
              className={is('datacenter', dc.id) ? 'tree-item depth-1 active' : 'tree-item depth-1'}
              onClick={() => setSelection({ kind: 'datacenter', id: dc.id })}
            >
              ▣ {dc.name}
            </button>
            {doc.clusters
              .filter((c) => c.datacenter === dc.id)
              .map((c) => (
                <div key={c.id}>
                  <button
                    type="button"
                    className={is('cluster', c.id) ? 'tree-item depth-2 active' : 'tree-item depth-2'}
                    onClick={() => setSelection({ kind: 'cluster', id: c.id })}
                  >
                    ◎ {c.name}
                  </button>
                  {doc.hosts
                    .filter((h) => h.cluster === c.id)
                    .map((h) => (
                      <HostItem
                        key={h.id}
                        host={h}
                        depth={3}
                        active={is('host', h.id)}
                        onSelect={setSelection}
                      />
                    ))}
                </div>
              ))}
            {doc.hosts
              .filter((h) => h.datacenter === dc.id && h.cluster === null)
              .map((h) => (
                <HostItem key={h.id} host={h} depth={2} active={is('host', h.id)} onSelect={setSelection} />
              ))}
          </div>
        ))}
      </nav>
      <div className="table-pane">
        <div className="table-toolbar">
          <input
            className="input"
            type="search"
            placeholder="Filter by name or IP…"
            aria-label="Filter VMs"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
          <span className="muted">
            {vms.length} of {doc.vms.length} VMs
          </span>
          <span className="spacer" />
          {/* Plans name machines, so the wizard finds the configuration server's site that has them. */}
          <button
            type="button"
            className="btn btn-primary"
            disabled={chosen.size === 0 || servers.length === 0}
            title={
              servers.length === 0
                ? 'Connect a configuration server under Settings to protect machines'
                : undefined
            }
            onClick={() =>
              open('protect', {
                connectionId: servers[0]!.connectionId,
                vms: doc.vms.filter((v) => chosen.has(v.id)).map((v) => v.name),
              })
            }
          >
            Protect {chosen.size || ''} selected…
          </button>
        </div>
        <VirtualTable
          rows={vms}
          columns={[
            {
              title: 'Select',
              width: '56px',
              render: (vm) => (
                <input
                  type="checkbox"
                  aria-label={`Select ${vm.name}`}
                  checked={chosen.has(vm.id)}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.target.checked) next.add(vm.id);
                    else next.delete(vm.id);
                    setChosen(next);
                  }}
                />
              ),
            },
            { title: 'Name', width: '2fr', render: (vm) => vm.name },
            {
              title: 'Power',
              width: '90px',
              render: (vm) => (
                <span className={`power power-${vm.powerState}`} data-testid={`power-${vm.name}`}>
                  {vm.powerState === 'poweredOn'
                    ? 'On'
                    : vm.powerState === 'poweredOff'
                      ? 'Off'
                      : 'Suspended'}
                </span>
              ),
            },
            { title: 'Host', width: '1.6fr', render: (vm) => vm.hostName ?? '—' },
            { title: 'Guest OS', width: '1.4fr', render: (vm) => vm.guestOs ?? '—' },
            { title: 'vCPU', width: '60px', render: (vm) => vm.cpus },
            { title: 'Memory', width: '80px', render: (vm) => formatBytes(vm.memoryMB * 1024 * 1024) },
            {
              title: 'Disks',
              width: '90px',
              render: (vm) => formatBytes(vm.disks.reduce((s, d) => s + d.capacityBytes, 0)),
            },
            { title: 'IP', width: '1fr', render: (vm) => vm.ipAddresses[0] ?? '—' },
          ]}
        />
      </div>
    </div>
  );
}

function HostItem({
  host,
  depth,
  active,
  onSelect,
}: {
  host: VsphereInventory['hosts'][number];
  depth: number;
  active: boolean;
  onSelect: (s: TreeSelection) => void;
}) {
  return (
    <button
      type="button"
      className={`tree-item depth-${depth}${active ? ' active' : ''}${host.connectionState !== 'connected' ? ' bad' : ''}`}
      onClick={() => onSelect({ kind: 'host', id: host.id })}
    >
      ▭ {host.name}
    </button>
  );
}

function HypervInventoryPane({ doc }: { doc: HypervInventory }) {
  return (
    <div className="table-pane">
      <div className="table-toolbar">
        {doc.hosts.map((h) => (
          <span key={h.id} className="muted">
            {h.name} · {h.os ?? 'Windows'} · {h.cpuCores} cores · {formatBytes(h.memoryBytes)} · Replica
            server{' '}
            {h.replicaServer.enabled
              ? `on (${h.replicaServer.auth ?? '?'}, port ${h.replicaServer.port ?? '?'})`
              : 'off'}
          </span>
        ))}
      </div>
      <VirtualTable
        rows={doc.vms}
        columns={[
          { title: 'Name', width: '2fr', render: (vm) => vm.name },
          { title: 'State', width: '90px', render: (vm) => vm.state },
          { title: 'Replication', width: '1.6fr', render: (vm) => vm.replication?.state ?? 'Not replicated' },
          {
            title: 'Health',
            width: '90px',
            render: (vm) =>
              vm.replication ? (
                <span className={replicationHealthClass(vm.replication.health)}>{vm.replication.health}</span>
              ) : (
                '—'
              ),
          },
          { title: 'Mode', width: '80px', render: (vm) => vm.replication?.mode ?? '—' },
          { title: 'Replica server', width: '1.6fr', render: (vm) => vm.replication?.replicaServer ?? '—' },
          { title: 'vCPU', width: '60px', render: (vm) => vm.cpus },
          { title: 'Memory', width: '80px', render: (vm) => formatBytes(vm.memoryBytes) },
        ]}
      />
    </div>
  );
}

interface Column<T> {
  title: string;
  width: string;
  render: (row: T) => React.ReactNode;
}

/** Only the visible rows exist in the DOM: 5,000 VMs scroll like 50. */
export function VirtualTable<T extends { id: string }>({
  rows,
  columns,
}: {
  rows: T[];
  columns: Column<T>[];
}) {
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parent.current,
    estimateSize: () => 34,
    overscan: 12,
  });
  const template = columns.map((c) => c.width).join(' ');
  return (
    <div className="vtable" data-rows={rows.length}>
      <div className="vtable-head" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => (
          <div key={c.title}>{c.title}</div>
        ))}
      </div>
      <div className="vtable-body" ref={parent}>
        {rows.length === 0 && <Empty title="No matching rows" />}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            return (
              <div
                key={row.id}
                className="vtable-row"
                style={{ transform: `translateY(${item.start}px)`, gridTemplateColumns: template }}
              >
                {columns.map((c) => (
                  <div key={c.title}>{c.render(row)}</div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
