import { useEffect, useMemo, useState } from 'react';
import type { Alert, MasterTarget, Pair, ProcessServer } from '../../../shared/configserver';
import { healthRank } from '../../../shared/schemas/health';
import type { HypervInventory } from '../../../shared/schemas/inventory';
import type { ProtectionSnapshot } from '../../../shared/schemas/protection';
import { Empty, ErrorState, HealthDot, Loading, PageHeader } from '../components/states';
import { useConsole } from '../store';
import { formatAge, formatBytes, replicationHealthClass } from './format';
import { VirtualTable } from './InventoryView';

type PairRow = Pair & { server: string; planName: string; mtName: string };

function formatDuration(sec: number): string {
  if (sec < 90) return `${Math.round(sec)} s`;
  if (sec < 5400) return `${Math.round(sec / 60)} min`;
  return `${(sec / 3600).toFixed(1)} h`;
}

/** RPO against the plan's threshold, read the way the rules grade it: over = warning, 2× = critical. */
function RpoCell({ pair }: { pair: Pair }) {
  if (!pair.stats) return <span className="muted">—</span>;
  const ratio = pair.stats.rpoSec / pair.rpoThresholdSec;
  const tone = ratio > 2 ? 'critical' : ratio > 1 ? 'warning' : 'ok';
  return (
    <span className={`rpo rpo-${tone}`} title={`threshold ${formatDuration(pair.rpoThresholdSec)}`}>
      {formatDuration(pair.stats.rpoSec)}{' '}
      <span className="muted">/ {formatDuration(pair.rpoThresholdSec)}</span>
    </span>
  );
}

const stateLabel: Record<string, string> = {
  enabling: 'Enabling',
  'initial-replication': 'Initial replication',
  protected: 'Protected',
  'resync-required': 'Resync required',
  resyncing: 'Resyncing',
  'failover-pending': 'Failover pending',
  'failed-over': 'Failed over',
  committed: 'Committed',
  reprotecting: 'Reprotecting',
  'test-failover-running': 'Test failover running',
  error: 'Error',
};

export function ProtectionView() {
  const { protection, loadProtection, connections, inventories, loadInventory } = useConsole();
  const [filter, setFilter] = useState('');
  useEffect(() => {
    if (!protection.data && !protection.loading) void loadProtection();
  }, [protection.data, protection.loading, loadProtection]);

  const servers = protection.data ?? [];
  const rows = useMemo(() => pairRows(servers, filter), [servers, filter]);
  const alerts = servers.flatMap((s) => s.alerts.map((a) => ({ ...a, server: s.connectionName })));
  const totals = useMemo(() => summarize(servers), [servers]);

  const hyperv = useMemo(
    () => (connections.data ?? []).filter((c) => c.target.kind === 'hyperv'),
    [connections.data],
  );
  useEffect(() => {
    for (const c of hyperv) if (!inventories[c.id]) void loadInventory(c.id);
  }, [hyperv, inventories, loadInventory]);
  const replicaRows = hyperv.flatMap((c) => {
    const doc = inventories[c.id]?.data as HypervInventory | undefined;
    return (doc?.vms ?? [])
      .filter((vm) => vm.replication?.mode === 'Primary')
      .map((vm) => ({ connection: c.name, vm }));
  });

  return (
    <section className="page" aria-label="Protection">
      <PageHeader
        title="Protection"
        subtitle="Protected machines, RPO against each plan's threshold, and open alerts — live"
        actions={
          <button type="button" className="btn" onClick={() => void loadProtection()}>
            Refresh
          </button>
        }
      />
      {protection.error && <ErrorState message={protection.error} onRetry={() => void loadProtection()} />}
      {!protection.data && protection.loading && <Loading what="protection state" />}
      {servers
        .filter((s) => s.error)
        .map((s) => (
          <div className="banner banner-warning" role="alert" key={s.connectionId}>
            {s.connectionName}: {s.error}
          </div>
        ))}

      {servers.length > 0 && (
        <section className="cards" aria-label="Summary">
          <div className="card stat">
            <div className="stat-value">{totals.pairs}</div>
            <div className="stat-label">protected machines</div>
          </div>
          <div className="card stat">
            <div className="stat-value ok">{totals.healthy}</div>
            <div className="stat-label">within RPO</div>
          </div>
          <div className="card stat">
            <div className={`stat-value ${totals.rpoBreaches ? 'warning' : ''}`}>{totals.rpoBreaches}</div>
            <div className="stat-label">over RPO threshold</div>
          </div>
          <div className="card stat">
            <div className={`stat-value ${totals.critical ? 'critical' : ''}`}>{alerts.length}</div>
            <div className="stat-label">open alerts ({totals.critical} critical)</div>
          </div>
        </section>
      )}

      {alerts.length > 0 && (
        <section className="card" aria-label="Alerts">
          <h2>Alerts</h2>
          <ul className="alerts">
            {[...alerts]
              .sort((a, b) => severityRank(b) - severityRank(a) || b.raisedAt.localeCompare(a.raisedAt))
              .slice(0, 50)
              .map((a) => (
                <li key={`${a.server}:${a.id}`} className={`alert alert-${a.severity}`}>
                  <span className={`badge badge-${a.severity}`}>{a.severity}</span> {a.message}
                  <span className="muted"> · {formatAge(a.raisedAt)}</span>
                </li>
              ))}
          </ul>
        </section>
      )}

      {servers.some((s) => s.processServers.length || s.masterTargets.length) && (
        <div className="cards">
          {servers.flatMap((s) => s.processServers.map((ps) => <ProcessServerCard key={ps.id} ps={ps} />))}
          {servers.flatMap((s) => s.masterTargets.map((mt) => <MasterTargetCard key={mt.id} mt={mt} />))}
        </div>
      )}

      {servers.length > 0 && (
        <section className="table-pane" aria-label="Pairs">
          <div className="table-toolbar">
            <input
              className="input"
              type="search"
              placeholder="Filter by VM, plan or state…"
              aria-label="Filter pairs"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
            <span className="muted">
              {rows.length} of {totals.pairs} pairs
            </span>
          </div>
          <VirtualTable
            rows={rows}
            columns={[
              { title: 'Machine', width: '1.6fr', render: (p) => p.sourceVmName },
              { title: 'Plan', width: '1fr', render: (p) => p.planName },
              {
                title: 'State',
                width: '1.3fr',
                render: (p) => (
                  <span data-testid={`pair-state-${p.sourceVmName}`}>
                    <HealthDot health={p.health} /> {stateLabel[p.state] ?? p.state}
                    {p.state === 'initial-replication' && p.stats
                      ? ` ${Math.round(p.stats.progress * 100)}%`
                      : ''}
                  </span>
                ),
              },
              { title: 'RPO / threshold', width: '1.2fr', render: (p) => <RpoCell pair={p} /> },
              {
                title: 'Pending',
                width: '90px',
                render: (p) => (p.stats ? formatBytes(p.stats.pendingChangeBytes) : '—'),
              },
              {
                title: 'Throughput',
                width: '100px',
                render: (p) => (p.stats ? `${formatBytes(p.stats.throughputBps)}/s` : '—'),
              },
              { title: 'Master target', width: '1fr', render: (p) => p.mtName },
              {
                title: 'Direction',
                width: '80px',
                render: (p) => (p.direction === 'forward' ? '→' : '← reverse'),
              },
            ]}
          />
        </section>
      )}

      {replicaRows.length > 0 && (
        <section className="card" aria-label="Hyper-V Replica">
          <h2>Hyper-V Replica</h2>
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
              {replicaRows.map(({ connection, vm }) => (
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
        </section>
      )}

      {protection.data && servers.length === 0 && replicaRows.length === 0 && (
        <Empty title="No protected machines yet">
          Connect a configuration server under Settings to see its pairs here; Hyper-V Replica relationships
          appear as soon as a Hyper-V host is connected.
        </Empty>
      )}
    </section>
  );
}

function severityRank(a: Alert): number {
  return a.severity === 'critical' ? 2 : 1;
}

function pairRows(servers: ProtectionSnapshot[], filter: string): PairRow[] {
  const f = filter.trim().toLowerCase();
  const rows: PairRow[] = [];
  for (const s of servers) {
    const plans = new Map(s.plans.map((p) => [p.id, p.name]));
    const mts = new Map(s.masterTargets.map((m) => [m.id, m.name]));
    for (const p of s.pairs) {
      const row = {
        ...p,
        server: s.connectionName,
        planName: p.planId ? (plans.get(p.planId) ?? '—') : '—',
        mtName: p.masterTargetId ? (mts.get(p.masterTargetId) ?? '—') : '—',
      };
      if (f && !`${row.sourceVmName} ${row.planName} ${row.state}`.toLowerCase().includes(f)) continue;
      rows.push(row);
    }
  }
  return rows.sort(
    (a, b) => healthRank(b.health) - healthRank(a.health) || a.sourceVmName.localeCompare(b.sourceVmName),
  );
}

function summarize(servers: ProtectionSnapshot[]) {
  let pairs = 0;
  let healthy = 0;
  let rpoBreaches = 0;
  let critical = 0;
  for (const s of servers) {
    for (const p of s.pairs) {
      pairs++;
      if (p.stats && p.stats.rpoSec > p.rpoThresholdSec) rpoBreaches++;
      else if (p.health === 'ok') healthy++;
    }
    critical += s.alerts.filter((a) => a.severity === 'critical').length;
  }
  return { pairs, healthy, rpoBreaches, critical };
}

function ProcessServerCard({ ps }: { ps: ProcessServer }) {
  const h = ps.health;
  return (
    <section className="card infra" aria-label={`Process server ${ps.name}`}>
      <div className="infra-kind">
        <HealthDot health={ps.level} /> Process server
      </div>
      <div className="infra-name">{ps.name}</div>
      {h ? (
        <div className="meters">
          <Meter label="CPU" value={h.cpuPercent} warn={80} crit={95} />
          <Meter label="Memory" value={h.memoryPercent} warn={80} crit={95} />
          <Meter label="Cache free" value={h.cacheFreePercent} warn={30} crit={25} inverted />
          <div className="muted small">Upload backlog {formatDuration(h.uploadBacklogSec)}</div>
        </div>
      ) : (
        <div className="muted small">No health report yet</div>
      )}
    </section>
  );
}

function Meter({
  label,
  value,
  warn,
  crit,
  inverted,
}: {
  label: string;
  value: number;
  warn: number;
  crit: number;
  inverted?: boolean;
}) {
  const tone = inverted
    ? value < crit
      ? 'critical'
      : value < warn
        ? 'warning'
        : 'ok'
    : value > crit
      ? 'critical'
      : value > warn
        ? 'warning'
        : 'ok';
  return (
    <div className="meter">
      <span className="meter-label">{label}</span>
      <span className="meter-bar">
        <span
          className={`meter-fill fill-${tone}`}
          style={{ width: `${Math.min(100, Math.max(0, value))}%` }}
        />
      </span>
      <span className="meter-value">{Math.round(value)}%</span>
    </div>
  );
}

function MasterTargetCard({ mt }: { mt: MasterTarget }) {
  const total = mt.slotsUsed + mt.slotsFree;
  return (
    <section className="card infra" aria-label={`Master target ${mt.name}`}>
      <div className="infra-kind">
        <HealthDot health={mt.slotsFree === 0 ? 'warning' : 'ok'} /> Master target ·{' '}
        {mt.osFamily === 'windows' ? 'Windows' : 'Linux'}
      </div>
      <div className="infra-name">{mt.name}</div>
      <Meter label="Slots" value={total ? (mt.slotsUsed / total) * 100 : 0} warn={85} crit={100} />
      <div className="muted small">
        {mt.slotsUsed} of {total} SCSI slots used · {mt.slotsFree} free
        {mt.retentionFreeBytes != null ? ` · retention ${formatBytes(mt.retentionFreeBytes)} free` : ''}
      </div>
    </section>
  );
}
