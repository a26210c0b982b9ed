import { useEffect, useMemo, useState } from 'react';
import type { Alert, MasterTarget, Pair, ProcessServer } from '../../../shared/configserver';
import {
  atRisk,
  type MachineReason,
  type MachineStatus,
  masterTargetLevel,
  pairStatus,
} from '../../../shared/configserver/risk';
import { type HealthLevel, worseOf } from '../../../shared/schemas/health';
import type { HypervInventory } from '../../../shared/schemas/inventory';
import type { ProtectionSnapshot } from '../../../shared/schemas/protection';
import { Empty, ErrorState, HealthDot, Loading, PageHeader } from '../components/states';
import { VirtualTable } from '../components/VirtualTable';
import { t, tServer, useT } from '../i18n';
import { formatDuration as formatLength, formatMoment, formatPercent } from '../i18n/format';
import { useConsole } from '../store';
import { formatAge, formatBytes, formatCount, humanTimes, replicationHealthClass } from './format';
import { compareStatus, reasonLabel, StatusCell, useStableOrder } from './status';
import { useProtection } from './use-protection';

type PairRow = Pair & { server: string; planName: string; mtName: string; status: MachineStatus };

/** RPOs and intervals: to the second under 90 s, then whole minutes, then hours with a decimal. */
function formatDuration(sec: number): string {
  if (sec < 5400) return formatLength(sec < 90 ? sec : Math.round(sec / 60) * 60);
  return `${formatCount(Math.round(sec / 360) / 10)} h`;
}

/** RPO against the plan's threshold, read the way the rules grade it: over = warning, 2× = critical. */
function RpoCell({ pair }: { pair: PairRow }) {
  useT();
  if (
    ['enabling', 'initial-replication', 'resync-required', 'resyncing', 'reprotecting'].includes(pair.state)
  )
    return (
      <span className="muted" title={t('prot.noneYet', { threshold: formatDuration(pair.rpoThresholdSec) })}>
        {t('prot.noneYetShort', { threshold: formatDuration(pair.rpoThresholdSec) })}
      </span>
    );
  if (!pair.stats) return <span className="muted">—</span>;
  const ratio = pair.stats.rpoSec / pair.rpoThresholdSec;
  const tone = ratio > 2 ? 'critical' : ratio > 1 ? 'warning' : 'ok';
  return (
    <span
      className={`rpo rpo-${tone}`}
      title={t('prot.threshold', { threshold: formatDuration(pair.rpoThresholdSec) })}
    >
      {formatDuration(pair.stats.rpoSec)}{' '}
      <span className="muted">/ {formatDuration(pair.rpoThresholdSec)}</span>
    </span>
  );
}

/** A pair's state as a table cell reads it: "Initial replication". */
const stateLabel = (state: Pair['state']) => {
  const word = t(`pairState.${state}`);
  return word.charAt(0).toUpperCase() + word.slice(1);
};

export function ProtectionView() {
  const {
    protection,
    loadProtection,
    connections,
    inventories,
    loadInventory,
    topology,
    staleSince,
    refreshAll,
  } = useConsole();
  const [filter, setFilter] = useState('');
  const [held, setHeld] = useState(false);
  useT();
  useProtection();

  const servers = protection.data ?? [];
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
  // Hyper-V Replica's own word on each running copy, by VM id (the replica keeps the same id).
  const replicaHealth = useMemo(
    () => new Map(replicaRows.map(({ vm }) => [vm.id, vm.replication?.health ?? null])),
    [replicaRows],
  );
  const all = useMemo(() => pairRows(servers, replicaHealth), [servers, replicaHealth]);
  const filtered = useMemo(() => filterRows(all, filter), [all, filter]);
  const rows = useStableOrder(filtered, held);
  const alerts = servers.flatMap((s) => s.alerts.map((a) => ({ ...a, server: s.connectionName })));
  const unprotected = useMemo(
    () =>
      (topology.data?.nodes ?? []).filter(
        (n) => (n.kind === 'vm' || n.kind === 'hyperv-vm') && n.attributes.status === 'unprotected',
      ).length,
    [topology.data],
  );
  const totals = useMemo(() => summarize(servers, all, unprotected), [servers, all, unprotected]);
  const pairStatusOf = useMemo(() => new Map(all.map((p) => [p.sourceVmId, p.status])), [all]);

  return (
    <section className="page" aria-label={t('prot.title')}>
      <PageHeader
        title={t('prot.title')}
        subtitle={t('prot.subtitle')}
        actions={
          <button
            type="button"
            className="btn"
            onClick={() => void (staleSince !== null ? refreshAll() : loadProtection())}
          >
            {t('common.refresh')}
          </button>
        }
      />
      {protection.error && (
        <ErrorState
          title={t('prot.loadFailed')}
          message={protection.error}
          onRetry={() => void loadProtection()}
        />
      )}
      {!protection.data && protection.loading && <Loading what={t('prot.loading')} />}
      {servers
        .filter((s) => s.error)
        .map((s) => (
          <div className="banner banner-warning" role="alert" key={s.connectionId}>
            {t('state.sourceError', {
              source: s.connectionName,
              error: tServer(s.error ?? '', s.errorWords),
            })}
          </div>
        ))}

      {servers.length > 0 && (
        <section className="cards cards-summary" aria-label={t('prot.summary')}>
          <div className="card stat stat-risk">
            <div className={`stat-value ${totals.riskTone}`}>{formatCount(totals.atRisk)}</div>
            <div className="stat-label">{t('prot.atRisk')}</div>
            {totals.reasons.length > 0 && (
              <ul className="stat-breakdown" aria-label={t('prot.byReason')}>
                {totals.reasons.map(([reason, n]) => (
                  <li key={reason}>
                    <strong>{formatCount(n)}</strong> {reasonLabel(reason)}
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className="card stat">
            <div className={`stat-value ${totals.within ? 'ok' : ''}`}>{formatCount(totals.within)}</div>
            <div className="stat-label">{t('prot.within', { count: totals.pairs })}</div>
          </div>
          <div className="card stat">
            <div className={`stat-value ${totals.mtFull ? 'critical' : ''}`}>
              {formatCount(totals.mtFull)}
            </div>
            <div className="stat-label">{t('prot.mtFull', { count: totals.mts })}</div>
          </div>
          <div className="card stat">
            <div className={`stat-value ${totals.critical ? 'critical' : alerts.length ? 'warning' : ''}`}>
              {formatCount(alerts.length)}
            </div>
            <div className="stat-label">{t('prot.alertsOpen', { critical: totals.critical })}</div>
          </div>
        </section>
      )}

      {alerts.length > 0 && (
        <section className="card" aria-label={t('prot.alerts')}>
          <h2>{t('prot.alerts')}</h2>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the list scrolls; the keyboard must reach it (WCAG 2.1.1) */}
          <ul className="alerts" tabIndex={0} aria-label={t('prot.alerts')}>
            {[...alerts]
              .sort((a, b) => severityRank(b) - severityRank(a) || b.raisedAt.localeCompare(a.raisedAt))
              .slice(0, 50)
              .map((a) => (
                <li key={`${a.server}:${a.id}`} className={`alert alert-${a.severity}`}>
                  <span className={`badge badge-${a.severity}`}>{t(`prot.severity.${a.severity}`)}</span>{' '}
                  {humanTimes(tServer(a.message, a.messageWords))}
                  <span className="muted" title={formatMoment(a.raisedAt)}>
                    {' '}
                    · {formatAge(a.raisedAt)}
                  </span>
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
        <section className="table-pane" aria-label={t('prot.pairs')}>
          <div className="table-toolbar">
            <input
              className="input input-filter"
              type="search"
              placeholder={t('prot.filter')}
              aria-label={t('prot.filterLabel')}
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
            <span className="muted">
              {t('prot.count', { shown: rows.length, total: totals.pairs })}
              {held ? t('prot.held') : ''}
            </span>
          </div>
          <VirtualTable
            label={t('prot.pairs')}
            scroll="page"
            holdOrder={setHeld}
            rows={rows}
            columns={[
              {
                title: t('prot.col.machine'),
                width: '1.4fr',
                min: 140,
                render: (p) => p.sourceVmName,
                tooltip: (p) => p.sourceVmName,
              },
              {
                title: t('prot.col.status'),
                width: '1.7fr',
                min: 200,
                render: (p) => (
                  <span data-testid={`pair-status-${p.sourceVmName}`}>
                    <StatusCell status={p.status} />
                  </span>
                ),
                tooltip: (p) => reasonLabel(p.status.reason),
              },
              {
                title: t('prot.col.state'),
                width: '1fr',
                // "wordt ingeschakeld", "Initial replication 45%": a state is read whole.
                min: 170,
                render: (p) => (
                  <span data-testid={`pair-state-${p.sourceVmName}`}>
                    {stateLabel(p.state)}
                    {p.state === 'initial-replication' && p.stats
                      ? ` ${formatPercent(p.stats.progress)}`
                      : ''}
                  </span>
                ),
                tooltip: (p) => stateLabel(p.state),
              },
              {
                title: t('prot.col.plan'),
                width: '0.9fr',
                min: 90,
                drop: 2,
                render: (p) => p.planName,
                tooltip: (p) => p.planName,
              },
              {
                title: t('prot.col.rpo'),
                width: '1.1fr',
                min: 150,
                render: (p) => <RpoCell pair={p} />,
              },
              {
                title: t('prot.col.pending'),
                width: '90px',
                drop: 5,
                render: (p) => (p.stats ? formatBytes(p.stats.pendingChangeBytes) : '—'),
              },
              {
                title: t('prot.col.throughput'),
                width: '100px',
                drop: 6,
                render: (p) => (p.stats ? `${formatBytes(p.stats.throughputBps)}/s` : '—'),
              },
              {
                title: t('prot.col.mt'),
                width: '1fr',
                min: 110,
                drop: 3,
                render: (p) => p.mtName,
                tooltip: (p) => p.mtName,
              },
              {
                title: t('prot.col.direction'),
                width: '84px',
                drop: 4,
                render: (p) => (p.direction === 'forward' ? '→' : t('prot.reverse')),
              },
            ]}
          />
        </section>
      )}

      {replicaRows.length > 0 && (
        <section className="card" aria-label={t('prot.hvReplica')}>
          <h2>{t('prot.hvReplica')}</h2>
          <div className="table-scroll">
            <table className="table hv-replica">
              <thead>
                <tr>
                  <th>{t('prot.col.machine')}</th>
                  <th>{t('prot.col.status')}</th>
                  <th>{t('prot.col.source')}</th>
                  <th>{t('prot.col.replicaServer')}</th>
                  <th>{t('prot.col.replState')}</th>
                  <th>{t('prot.col.hvHealth')}</th>
                  <th>{t('prot.col.frequency')}</th>
                  <th>{t('prot.col.last')}</th>
                  <th>{t('prot.col.pending')}</th>
                </tr>
              </thead>
              <tbody>
                {replicaRows.map(({ connection, vm }) => {
                  const last = vm.replication?.lastReplicationTime ?? null;
                  const status = pairStatusOf.get(vm.id) ?? {
                    level:
                      vm.replication?.health === 'Critical'
                        ? 'critical'
                        : vm.replication?.health === 'Warning'
                          ? 'warning'
                          : 'unknown',
                    reason: vm.replication?.health === 'Normal' ? 'no-report' : 'replica-unhealthy',
                  };
                  return (
                    <tr key={`${connection}:${vm.id}`}>
                      <td>{vm.name}</td>
                      <td>
                        <StatusCell status={status as MachineStatus} />
                      </td>
                      <td>{connection}</td>
                      <td>{vm.replication?.replicaServer ?? '—'}</td>
                      <td>{vm.replication?.state}</td>
                      <td>
                        <span className={replicationHealthClass(vm.replication?.health ?? '')}>
                          {vm.replication?.health}
                        </span>
                      </td>
                      <td>
                        {vm.replication?.frequencySec ? formatDuration(vm.replication.frequencySec) : '—'}
                      </td>
                      <td title={last ? formatMoment(last) : undefined}>{formatAge(last)}</td>
                      <td>
                        {vm.replication?.pendingBytes != null
                          ? formatBytes(vm.replication.pendingBytes)
                          : '—'}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      )}

      {protection.data && servers.length === 0 && replicaRows.length === 0 && (
        <Empty title={t('prot.none')}>{t('prot.noneText')}</Empty>
      )}
    </section>
  );
}

function severityRank(a: Alert): number {
  return a.severity === 'critical' ? 2 : 1;
}

function pairRows(servers: ProtectionSnapshot[], replicaHealth: Map<string, string | null>): PairRow[] {
  const rows: PairRow[] = [];
  for (const s of servers) {
    const plans = new Map(s.plans.map((p) => [p.id, p.name]));
    const mts = new Map(s.masterTargets.map((m) => [m.id, m.name]));
    for (const p of s.pairs) {
      rows.push({
        ...p,
        server: s.connectionName,
        planName: p.planId ? (plans.get(p.planId) ?? '—') : '—',
        mtName: p.masterTargetId ? (mts.get(p.masterTargetId) ?? '—') : '—',
        status: pairStatus(p, p.platform === 'hyperv' ? replicaHealth.get(p.sourceVmId) : null),
      });
    }
  }
  return rows.sort(
    (a, b) => compareStatus(a.status, b.status) || a.sourceVmName.localeCompare(b.sourceVmName),
  );
}

function filterRows(rows: PairRow[], filter: string): PairRow[] {
  const f = filter.trim().toLowerCase();
  if (!f) return rows;
  return rows.filter((r) =>
    `${r.sourceVmName} ${r.planName} ${r.state} ${stateLabel(r.state)} ${reasonLabel(r.status.reason)}`
      .toLowerCase()
      .includes(f),
  );
}

/** Totals that add up: pairs = within RPO + pairs at risk; at risk = those + unprotected machines. */
function summarize(servers: ProtectionSnapshot[], rows: PairRow[], unprotected: number) {
  const reasons = new Map<MachineReason, number>();
  if (unprotected) reasons.set('unprotected', unprotected);
  let within = 0;
  let worst: HealthLevel = 'ok';
  for (const r of rows) {
    if (!atRisk(r.status)) {
      within++;
      continue;
    }
    reasons.set(r.status.reason, (reasons.get(r.status.reason) ?? 0) + 1);
    worst = worseOf(worst, r.status.level);
  }
  if (unprotected) worst = worseOf(worst, 'warning');
  const mts = servers.flatMap((s) => s.masterTargets);
  const mtFull = mts.filter((m) => masterTargetLevel(m) === 'critical').length;
  const critical = servers.reduce((n, s) => n + s.alerts.filter((a) => a.severity === 'critical').length, 0);
  const atRiskCount = [...reasons.values()].reduce((a, b) => a + b, 0);
  return {
    pairs: rows.length,
    within,
    atRisk: atRiskCount,
    riskTone: worst === 'critical' ? 'critical' : atRiskCount ? 'warning' : 'ok',
    reasons: [...reasons.entries()].sort((a, b) => b[1] - a[1]),
    mts: mts.length,
    mtFull,
    critical,
  };
}

function ProcessServerCard({ ps }: { ps: ProcessServer }) {
  const h = ps.health;
  useT();
  return (
    <section className="card infra" aria-label={t('prot.ps', { name: ps.name })}>
      <div className="infra-kind">
        <HealthDot health={ps.level} /> {t('prot.psKind')}
      </div>
      <div className="infra-name">{ps.name}</div>
      {h ? (
        <div className="meters">
          <Meter label={t('prot.cpu')} value={h.cpuPercent} warn={80} crit={95} />
          <Meter label={t('prot.memory')} value={h.memoryPercent} warn={80} crit={95} />
          <Meter label={t('prot.cacheFree')} value={h.cacheFreePercent} warn={30} crit={25} inverted />
          <div className="muted small">
            {t('prot.backlog', { duration: formatDuration(h.uploadBacklogSec) })}
          </div>
        </div>
      ) : (
        <div className="muted small">{t('prot.noHealth')}</div>
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
      <span className="meter-value">{formatPercent(value / 100)}</span>
    </div>
  );
}

function MasterTargetCard({ mt }: { mt: MasterTarget }) {
  const total = mt.slotsUsed + mt.slotsFree;
  useT();
  return (
    <section className="card infra" aria-label={t('prot.mt', { name: mt.name })}>
      <div className="infra-kind">
        <HealthDot health={masterTargetLevel(mt)} />{' '}
        {t('prot.mtKind', { family: mt.osFamily === 'windows' ? 'Windows' : 'Linux' })}
      </div>
      <div className="infra-name">{mt.name}</div>
      <Meter label={t('prot.slots')} value={total ? (mt.slotsUsed / total) * 100 : 0} warn={85} crit={99.9} />
      {mt.slotsFree === 0 && (
        <div className="mt-full" role="note">
          {t('prot.full')}
        </div>
      )}
      <div className="muted small">
        {t('prot.slotsUsed', { used: mt.slotsUsed, total, free: mt.slotsFree })}
        {mt.retentionFreeBytes != null
          ? t('prot.retentionFree', { size: formatBytes(mt.retentionFreeBytes) })
          : ''}
      </div>
    </section>
  );
}
