import { useEffect, useMemo, useRef, useState } from 'react';
import type { MachineStatus } from '../../../shared/configserver/risk';
import type { HypervInventory, VsphereInventory } from '../../../shared/schemas/inventory';
import { Empty, ErrorState, Loading, PageHeader } from '../components/states';
import { VirtualTable } from '../components/VirtualTable';
import { t, useT } from '../i18n';
import { useConsole } from '../store';
import { useWizard } from '../wizards/store';
import { commonDomain, formatBytes, guestOsName, replicationHealthClass } from './format';
import { StatusCell } from './status';

export function InventoryView() {
  const { connections, selectedConnection, selectConnection, inventories, loadInventory } = useConsole();
  useT();
  // A configuration server has no inventory of its own: its sites' machines are on Plans and Protection.
  const list = (connections.data ?? []).filter((c) => c.target.kind !== 'configserver');
  const current = list.find((c) => c.id === selectedConnection) ?? list[0] ?? null;
  const currentId = current?.id ?? null;
  useEffect(() => {
    if (currentId && !inventories[currentId]) void loadInventory(currentId);
  }, [currentId, inventories, loadInventory]);
  const entry = currentId ? inventories[currentId] : undefined;
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);
  // The ARIA tabs pattern: arrows, Home and End move along the tabs and select them.
  const onTabKey = (e: React.KeyboardEvent, index: number) => {
    const last = list.length - 1;
    const to =
      e.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : e.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : null;
    if (to === null) return;
    e.preventDefault();
    selectConnection(list[to]!.id);
    tabs.current[to]?.focus();
  };

  return (
    <section className="page page-inventory" aria-label={t('inv.title')}>
      <PageHeader
        title={t('inv.title')}
        subtitle={t('inv.subtitle')}
        actions={
          currentId && (
            <button type="button" className="btn" onClick={() => void loadInventory(currentId)}>
              {t('inv.reload')}
            </button>
          )
        }
      />
      {connections.loading && !connections.data && <Loading what={t('inv.loadingConnections')} />}
      {connections.data && list.length === 0 && <Empty title={t('inv.none')}>{t('inv.noneText')}</Empty>}
      <div className="tabs" role="tablist" aria-label={t('inv.endpoints')}>
        {list.map((c, i) => (
          <button
            type="button"
            role="tab"
            id={`tab-${c.id}`}
            aria-selected={c.id === currentId}
            aria-controls="inventory-panel"
            tabIndex={c.id === currentId ? 0 : -1}
            key={c.id}
            ref={(el) => {
              tabs.current[i] = el;
            }}
            className={c.id === currentId ? 'tab active' : 'tab'}
            onClick={() => selectConnection(c.id)}
            onKeyDown={(e) => onTabKey(e, i)}
          >
            {c.name}
            <span className="tab-kind">{c.target.kind === 'vsphere' ? 'vSphere' : 'Hyper-V'}</span>
          </button>
        ))}
      </div>
      {current && (
        <div className="tab-panel" role="tabpanel" id="inventory-panel" aria-labelledby={`tab-${current.id}`}>
          {entry?.error && (
            <ErrorState
              title={t('inv.loadFailed')}
              message={entry.error}
              onRetry={() => void loadInventory(current.id)}
            />
          )}
          {entry?.loading && !entry.data && <Loading what={t('inv.loadingInventory')} />}
          {entry?.data?.source.kind === 'vsphere' && (
            <VsphereInventoryPane connectionId={current.id} doc={entry.data as VsphereInventory} />
          )}
          {entry?.data?.source.kind === 'hyperv' && (
            <HypervInventoryPane connectionId={current.id} doc={entry.data as HypervInventory} />
          )}
        </div>
      )}
    </section>
  );
}

/** Each VM's one status, as the map has it (core/topology/build: the same rule everywhere). */
function useStatuses(): Map<string, MachineStatus> {
  const topology = useConsole((s) => s.topology.data);
  return useMemo(() => {
    const m = new Map<string, MachineStatus>();
    for (const n of topology?.nodes ?? []) {
      if ((n.kind === 'vm' || n.kind === 'hyperv-vm') && typeof n.attributes.status === 'string')
        m.set(n.id, { level: n.health, reason: n.attributes.status as MachineStatus['reason'] });
    }
    return m;
  }, [topology]);
}

function shortName(name: string, domain: string): string {
  return domain && name.endsWith(domain) ? name.slice(0, name.length - domain.length) : name;
}

function ProtectionCell({ status }: { status: MachineStatus | undefined }) {
  return status ? <StatusCell status={status} /> : <span className="muted">—</span>;
}

type TreeSelection = { kind: 'all' } | { kind: 'datacenter' | 'cluster' | 'host'; id: string };

function VsphereInventoryPane({ connectionId, doc }: { connectionId: string; doc: VsphereInventory }) {
  const statuses = useStatuses();
  useT();
  const domain = useMemo(() => commonDomain(doc.hosts.map((h) => h.name)), [doc.hosts]);
  const [selection, setSelection] = useState<TreeSelection>({ kind: 'all' });
  const [filter, setFilter] = useState('');
  const pick = useProtectSelection();
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
      <nav className="tree" aria-label={t('inv.tree')}>
        <button
          type="button"
          className={is('all') ? 'tree-item active' : 'tree-item'}
          onClick={() => setSelection({ kind: 'all' })}
          title={doc.source.about.fullName}
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
                        domain={domain}
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
                <HostItem
                  key={h.id}
                  host={h}
                  domain={domain}
                  depth={2}
                  active={is('host', h.id)}
                  onSelect={setSelection}
                />
              ))}
          </div>
        ))}
      </nav>
      <div className="table-pane">
        <div className="table-toolbar">
          <input
            className="input"
            type="search"
            placeholder={t('inv.filter')}
            aria-label={t('inv.filterLabel')}
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
          <span className="muted">{t('inv.count', { shown: vms.length, total: doc.vms.length })}</span>
          <span className="spacer" />
          {pick.button(doc.vms)}
        </div>
        <VirtualTable
          label={t('inv.vms')}
          rows={vms}
          columns={[
            pick.column(),
            {
              title: t('inv.col.name'),
              width: '1.5fr',
              min: 122,
              render: (vm) => vm.name,
              tooltip: (vm) => vm.name,
            },
            {
              title: t('inv.col.protection'),
              width: '1.5fr',
              min: 170,
              render: (vm) => <ProtectionCell status={statuses.get(`c:${connectionId}:${vm.id}`)} />,
            },
            {
              title: t('inv.col.power'),
              width: '50px',
              render: (vm) => (
                <span className={`power power-${vm.powerState}`} data-testid={`power-${vm.name}`}>
                  {vm.powerState === 'poweredOn'
                    ? t('inv.power.on')
                    : vm.powerState === 'poweredOff'
                      ? t('inv.power.off')
                      : t('inv.power.suspended')}
                </span>
              ),
            },
            {
              title: t('inv.col.host'),
              width: '1.1fr',
              min: 130,
              render: (vm) => (vm.hostName ? shortName(vm.hostName, domain) : '—'),
              tooltip: (vm) => vm.hostName ?? '',
            },
            {
              title: t('inv.col.guest'),
              width: '1.3fr',
              min: 110,
              drop: 1,
              render: (vm) => guestOsName(vm.guestOs),
              tooltip: (vm) => vm.guestOs ?? '',
            },
            {
              title: t('inv.col.size'),
              width: '1.1fr',
              min: 110,
              drop: 3,
              render: (vm) =>
                `${vm.cpus} · ${formatBytes(vm.memoryMB * 1024 * 1024)} · ${formatBytes(vm.disks.reduce((s, d) => s + d.capacityBytes, 0))}`,
              tooltip: (vm) =>
                t('inv.sizeTip', {
                  cpus: vm.cpus,
                  memory: formatBytes(vm.memoryMB * 1024 * 1024),
                  count: vm.disks.length,
                  disks: formatBytes(vm.disks.reduce((s, d) => s + d.capacityBytes, 0)),
                }),
            },
            {
              title: t('inv.col.ip'),
              width: '0.9fr',
              min: 96,
              drop: 2,
              render: (vm) => vm.ipAddresses[0] ?? '—',
              tooltip: (vm) => vm.ipAddresses.join(', '),
            },
          ]}
        />
      </div>
    </div>
  );
}

function HostItem({
  host,
  domain,
  depth,
  active,
  onSelect,
}: {
  host: VsphereInventory['hosts'][number];
  /** The domain every host shares, left out of the label (the tooltip has the full name). */
  domain: string;
  depth: number;
  active: boolean;
  onSelect: (s: TreeSelection) => void;
}) {
  return (
    <button
      type="button"
      className={`tree-item depth-${depth}${active ? ' active' : ''}${host.connectionState !== 'connected' ? ' bad' : ''}`}
      title={host.name}
      onClick={() => onSelect({ kind: 'host', id: host.id })}
    >
      ▭ {shortName(host.name, domain)}
    </button>
  );
}

/**
 * Ticking machines in an inventory table and opening the Protect wizard with them: plans name
 * machines, so the wizard finds the configuration server's site that has them.
 */
function useProtectSelection() {
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const loadProtection = useConsole((s) => s.loadProtection);
  const protectionState = useConsole((s) => s.protection);
  const servers = (protectionState.data ?? []).filter((p) => !p.error);
  useEffect(() => {
    if (!protectionState.data && !protectionState.loading) void loadProtection();
  }, [protectionState.data, protectionState.loading, loadProtection]);
  const open = useWizard((s) => s.open);
  return {
    column: <V extends { id: string; name: string }>(can: (vm: V) => boolean = () => true) => ({
      title: t('inv.col.select'),
      width: '44px',
      render: (vm: V) =>
        can(vm) ? (
          <input
            type="checkbox"
            aria-label={t('inv.selectVm', { vm: vm.name })}
            checked={chosen.has(vm.id)}
            onChange={(e) => {
              const next = new Set(chosen);
              if (e.target.checked) next.add(vm.id);
              else next.delete(vm.id);
              setChosen(next);
            }}
          />
        ) : null,
    }),
    button: (vms: ReadonlyArray<{ id: string; name: string }>) => (
      <button
        type="button"
        className="btn btn-primary"
        disabled={chosen.size === 0 || servers.length === 0}
        title={servers.length === 0 ? t('inv.needServer') : undefined}
        onClick={() =>
          open('protect', {
            connectionId: servers[0]!.connectionId,
            vms: vms.filter((v) => chosen.has(v.id)).map((v) => v.name),
          })
        }
      >
        {chosen.size ? t('inv.protectSelected', { count: chosen.size }) : t('inv.protectNone')}
      </button>
    ),
  };
}

function HypervInventoryPane({ connectionId, doc }: { connectionId: string; doc: HypervInventory }) {
  const statuses = useStatuses();
  const pick = useProtectSelection();
  useT();
  return (
    <div className="table-pane">
      <div className="table-toolbar">
        {doc.hosts.map((h) => (
          <span key={h.id} className="muted">
            {t('inv.hvHost', {
              name: h.name,
              os: h.os ?? 'Windows',
              cores: h.cpuCores,
              memory: formatBytes(h.memoryBytes),
              replica: h.replicaServer.enabled
                ? t('inv.replicaOn', {
                    auth: h.replicaServer.auth ?? '?',
                    port: h.replicaServer.port ?? '?',
                  })
                : t('inv.replicaOff'),
            })}
          </span>
        ))}
        <span className="spacer" />
        {pick.button(doc.vms)}
      </div>
      <VirtualTable
        label={t('inv.hvVms')}
        rows={doc.vms}
        columns={[
          // A replica is protected from its primary, never itself.
          pick.column<HypervInventory['vms'][number]>(
            (vm) => vm.replication?.mode !== 'Replica' && vm.replication?.mode !== 'TestReplica',
          ),
          {
            title: t('inv.col.name'),
            width: '1.6fr',
            min: 150,
            render: (vm) => vm.name,
            tooltip: (vm) => vm.name,
          },
          {
            title: t('inv.col.protection'),
            width: '1.5fr',
            min: 170,
            render: (vm) => <ProtectionCell status={statuses.get(`c:${connectionId}:vm:${vm.id}`)} />,
          },
          { title: t('inv.col.state'), width: '90px', render: (vm) => vm.state },
          {
            title: t('inv.col.replication'),
            width: '1.6fr',
            drop: 2,
            render: (vm) => vm.replication?.state ?? t('inv.notReplicated'),
          },
          {
            title: t('inv.col.health'),
            width: '90px',
            render: (vm) =>
              vm.replication ? (
                <span className={replicationHealthClass(vm.replication.health)}>{vm.replication.health}</span>
              ) : (
                '—'
              ),
          },
          { title: t('inv.col.mode'), width: '80px', drop: 4, render: (vm) => vm.replication?.mode ?? '—' },
          {
            title: t('inv.col.replicaServer'),
            width: '1.6fr',
            drop: 3,
            render: (vm) => vm.replication?.replicaServer ?? '—',
          },
          { title: t('inv.col.vcpu'), width: '60px', drop: 6, render: (vm) => vm.cpus },
          { title: t('inv.col.memory'), width: '80px', drop: 5, render: (vm) => formatBytes(vm.memoryBytes) },
        ]}
      />
    </div>
  );
}

/** Kept here too: the wizards import it from this module. */
export { VirtualTable } from '../components/VirtualTable';
