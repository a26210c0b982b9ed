import { useMemo, useState } from 'react';
import { judgeTrust } from '../../../shared/export/open';
import type {
  ExportChangeKind,
  ExportDocument,
  ExportPlan,
  ExportVerification,
} from '../../../shared/export/schema';
import type { pairStates } from '../../../shared/names';
import { Empty, PageHeader } from '../components/states';
import { type KeyOf, t, tServer, useT } from '../i18n';
import { formatDateTime, formatDuration, formatNumber } from '../i18n/format';
import { Trans } from '../i18n/Trans';
import { type OpenedFile, useOffline } from '../offline';
import { useConsole } from '../store';
import { TopologyView } from './TopologyView';

const when = (iso: string) => formatDateTime(iso);

const healthWord = (health: string) =>
  health === 'ok' || health === 'warning' || health === 'critical' || health === 'unknown'
    ? t(`health.${health}`)
    : health;

/** judgeTrust's verdict in the console's words (the CLI prints judgeTrust's own English). */
function trustText(v: ExportVerification): string {
  if (v.digest !== 'valid') return t('trust.digestBad');
  if (v.signature === 'invalid') return t('trust.signatureBad');
  const key = v.keyFingerprint ?? '';
  if (v.signature === 'valid' && v.signer) return t('trust.signedTrusted', { name: v.signer, key });
  if (v.signature === 'valid' && v.trust === 'not-checked') return t('trust.signedUnchecked', { key });
  if (v.signature === 'valid') return t('trust.signedUntrusted', { key });
  return v.trust === 'not-checked' ? t('trust.unsigned') : t('trust.unsignedChecked');
}

/**
 * How far to trust the file, said plainly: green only when intact and signed by a key the operator
 * trusts (Settings → Exports). Judged again whenever that list changes.
 */
export function VerificationBanner({
  name,
  verification,
}: {
  name: string;
  verification: ExportVerification;
}) {
  const trustedKeys = useConsole((s) => s.settings?.settings.export.trustedKeys ?? []);
  const v = judgeTrust(verification, trustedKeys);
  useT();
  const bad = v.digest !== 'valid' || v.signature === 'invalid';
  const tone = bad ? 'banner-danger' : v.trust === 'trusted' ? 'banner-ok' : 'banner-warning';
  return (
    <div className={`banner ${tone}`} role={bad ? 'alert' : 'status'} data-testid="verification">
      <strong>{bad ? t('trust.dontTrust') : ''}</strong>
      {name}: {trustText(v)}
      {!bad && v.signature === 'valid' && v.trust !== 'trusted' && <> {t('trust.keysWhere')}</>}
    </div>
  );
}

function OfflineBanner({ file, onClose }: { file: OpenedFile; onClose: () => void }) {
  useT();
  return (
    <div className="offline-banner" role="status" data-testid="offline-banner">
      <span className="offline-badge">{t('offline.badge')}</span>
      <span>
        <Trans
          k="offline.banner"
          values={{ when: <strong>{when(file.document.exportedAt)}</strong>, file: file.name }}
        />
      </span>
      <button type="button" className="btn btn-small" onClick={onClose}>
        {t('offline.closeSnapshot')}
      </button>
    </div>
  );
}

type Tab = 'topology' | 'inventory' | 'plans' | 'pairs' | 'master-targets';

export function SnapshotView() {
  const { snapshot, close } = useOffline();
  const [tab, setTab] = useState<Tab>('topology');
  useT();
  if (!snapshot) return null;
  const doc = snapshot.document;
  const pairs = doc.deployments.reduce((s, d) => s + d.pairs.length, 0);
  const plans = doc.deployments.reduce((s, d) => s + d.plans.length, 0);
  const vms = doc.inventories.reduce((s, i) => s + (i.inventory?.vms.length ?? 0), 0);
  const tabs: Array<[Tab, string]> = [
    ['topology', t('offline.tab.topology')],
    ['inventory', t('offline.tab.inventory', { count: vms })],
    ['plans', t('offline.tab.plans', { count: plans })],
    ['pairs', t('offline.tab.pairs', { count: pairs })],
    [
      'master-targets',
      t('offline.tab.masterTargets', {
        count: doc.deployments.reduce((s, d) => s + d.masterTargets.length, 0),
      }),
    ],
  ];
  return (
    <section className="page page-offline" aria-label={t('offline.snapshot')}>
      <OfflineBanner file={snapshot} onClose={close} />
      <VerificationBanner name={snapshot.name} verification={snapshot.verification} />
      <div className="tabs" role="tablist">
        {tabs.map(([id, label]) => (
          <button
            type="button"
            role="tab"
            key={id}
            aria-selected={tab === id}
            className={tab === id ? 'tab active' : 'tab'}
            onClick={() => setTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      {tab === 'topology' && <TopologyView snapshot={doc.topology} title={t('offline.topologyTitle')} />}
      {tab === 'inventory' && <SnapshotInventory doc={doc} />}
      {tab === 'plans' && <SnapshotPlans doc={doc} />}
      {tab === 'pairs' && <SnapshotPairs doc={doc} />}
      {tab === 'master-targets' && <SnapshotMasterTargets doc={doc} />}
    </section>
  );
}

const SHOWN = 500;

function SnapshotInventory({ doc }: { doc: ExportDocument }) {
  const [q, setQ] = useState('');
  useT();
  const rows = useMemo(
    () =>
      doc.inventories.flatMap((inv) =>
        (inv.inventory?.vms ?? []).map((vm) => {
          const v = vm as unknown as Record<string, unknown>;
          const disks = (v.disks as Array<{ capacityBytes?: number; sizeBytes?: number | null }>) ?? [];
          const gib = disks.reduce((s, d) => s + (d.capacityBytes ?? d.sizeBytes ?? 0), 0) / 1024 ** 3;
          return {
            key: `${inv.connectionId}:${vm.id}`,
            source: inv.name,
            site: inv.site,
            name: vm.name,
            power: String(v.powerState ?? v.state ?? ''),
            host: String(v.hostName ?? v.host ?? ''),
            ips: ((v.ipAddresses as string[] | undefined) ?? []).join(' '),
            disks: `${formatNumber(disks.length)} · ${formatNumber(gib, { maximumFractionDigits: 0 })} GiB`,
          };
        }),
      ),
    [doc],
  );
  const needle = q.trim().toLowerCase();
  const found = needle
    ? rows.filter((r) => `${r.name} ${r.host} ${r.ips} ${r.source}`.toLowerCase().includes(needle))
    : rows;
  const failed = doc.inventories.filter((i) => i.error);
  return (
    <div className="table-pane">
      {failed.map((i) => (
        <div className="banner banner-warning" key={i.connectionId}>
          {t('offline.unreadAtExport', { name: i.name, error: tServer(i.error ?? '', i.errorWords) })}
        </div>
      ))}
      <div className="table-toolbar">
        <input
          className="input"
          type="search"
          placeholder={t('offline.find')}
          aria-label={t('offline.findLabel')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <span className="muted">
          {t('offline.found', { found: found.length, total: rows.length })}
          {found.length > SHOWN ? t('offline.firstShown', { count: SHOWN }) : ''}
        </span>
      </div>
      <div className="table-scroll">
        <table className="table" data-testid="snapshot-inventory">
          <thead>
            <tr>
              <th>{t('offline.col.vm')}</th>
              <th>{t('offline.col.source')}</th>
              <th>{t('offline.col.site')}</th>
              <th>{t('offline.col.power')}</th>
              <th>{t('offline.col.host')}</th>
              <th>{t('offline.col.addresses')}</th>
              <th>{t('offline.col.disks')}</th>
            </tr>
          </thead>
          <tbody>
            {found.slice(0, SHOWN).map((r) => (
              <tr key={r.key}>
                <td>{r.name}</td>
                <td>{r.source}</td>
                <td>{r.site}</td>
                <td>{r.power}</td>
                <td>{r.host}</td>
                <td>{r.ips}</td>
                <td>{r.disks}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function planRows(plan: ExportPlan, nameOf: (id: string) => string) {
  if (plan.machines?.length) {
    return [...plan.machines]
      .sort((a, b) => (a.bootGroup ?? 1) - (b.bootGroup ?? 1))
      .map((m) => ({
        vm: m.vm,
        group: m.bootGroup ?? 1,
        after: (m.dependsOn ?? []).join(', '),
        reip: m.reip
          ? m.reip.gateway
            ? t('offline.via', { address: m.reip.address, gateway: m.reip.gateway })
            : m.reip.address
          : '',
      }));
  }
  return (plan.bootGroups ?? []).flatMap((g, i) =>
    (Array.isArray(g) ? g : []).map((id) => ({ vm: nameOf(String(id)), group: i + 1, after: '', reip: '' })),
  );
}

function SnapshotPlans({ doc }: { doc: ExportDocument }) {
  const plans = doc.deployments.flatMap((d) => d.plans.map((p) => ({ d, p })));
  useT();
  if (plans.length === 0) return <Empty title={t('offline.noPlans')}>{t('offline.noPlansText')}</Empty>;
  return (
    <div className="snapshot-plans">
      {plans.map(({ d, p }) => {
        const site = (id: unknown) => d.sites.find((s) => s.id === id)?.name ?? String(id ?? '—');
        const mt =
          d.masterTargets.find((m) => m.id === p.masterTargetId)?.name ?? p.target?.masterTarget ?? '—';
        const pairs = d.pairs.filter((x) => x.planId === p.id);
        const nameOf = (id: string) => pairs.find((x) => x.sourceVmId === id)?.sourceVmName ?? id;
        const checks = d.readiness.filter((r) => r.planId === p.id);
        const failing = checks.filter((c) => c.status === 'fail' || c.status === 'warn');
        return (
          <article className="card" key={`${d.url}:${p.id}`} data-testid="snapshot-plan">
            <h2>{p.name}</h2>
            <p className="muted">
              {t('offline.planLine', {
                source: p.source?.site ?? site(p.sourceSiteId),
                target: p.target?.site ?? site(p.targetSiteId),
                mt,
                pairs: pairs.length,
                parallelism: p.parallelism ?? '—',
                server: d.name,
              })}
            </p>
            <div className="table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th>{t('offline.col.bootGroup')}</th>
                    <th>{t('offline.col.vm')}</th>
                    <th>{t('offline.col.after')}</th>
                    <th>{t('offline.col.reip')}</th>
                  </tr>
                </thead>
                <tbody>
                  {planRows(p, nameOf).map((r) => (
                    <tr key={`${r.group}:${r.vm}`}>
                      <td>{r.group}</td>
                      <td>{r.vm}</td>
                      <td>{r.after}</td>
                      <td>{r.reip}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="muted">
              {t('offline.readiness', {
                what:
                  checks.length === 0
                    ? t('offline.readinessNone')
                    : t('offline.readinessCounts', {
                        pass: checks.filter((c) => c.status === 'pass').length,
                        bad: failing.length,
                      }),
              })}
            </p>
            {failing.length > 0 && (
              <ul className="readiness-list">
                {failing.map((c) => (
                  <li key={`${c.kind}:${c.name}:${c.message}`} className={`readiness-${c.status}`}>
                    <strong>
                      {c.kind ? `${readinessKindTitle(c.kind)}: ` : ''}
                      {tServer(c.name ?? '', c.titleWords)}
                    </strong>{' '}
                    — {tServer(c.message ?? '', c.messageWords)}
                    {c.fix ? t('offline.fix', { fix: tServer(c.fix, c.fixWords) }) : ''}
                  </li>
                ))}
              </ul>
            )}
          </article>
        );
      })}
    </div>
  );
}

/** The newest recovery point of each pair, and the newest app-consistent one: what an unplanned failover can reach. */
function latestPoints(d: ExportDocument['deployments'][number]) {
  const out = new Map<string, { latest: string | null; app: string | null; tags: string[] }>();
  for (const rp of d.recoveryPoints) {
    const cur = out.get(rp.pairId) ?? { latest: null, app: null, tags: [] };
    if (!cur.latest || rp.at > cur.latest) cur.latest = rp.at;
    if (rp.consistency === 'app' && (!cur.app || rp.at > cur.app)) cur.app = rp.at;
    if (rp.tag) cur.tags.push(rp.tag);
    out.set(rp.pairId, cur);
  }
  return out;
}

function SnapshotPairs({ doc }: { doc: ExportDocument }) {
  const rows = doc.deployments.flatMap((d) => {
    const points = latestPoints(d);
    return d.pairs.map((p) => ({
      d,
      p,
      plan: d.plans.find((x) => x.id === p.planId)?.name ?? '—',
      points: points.get(p.id),
    }));
  });
  useT();
  if (rows.length === 0) return <Empty title={t('offline.noPairs')} />;
  return (
    <div className="table-scroll">
      <table className="table">
        <thead>
          <tr>
            <th>{t('offline.col.vm')}</th>
            <th>{t('offline.col.plan')}</th>
            <th>{t('offline.col.state')}</th>
            <th>{t('offline.col.health')}</th>
            <th>{t('offline.col.rpo')}</th>
            <th>{t('offline.col.latest')}</th>
            <th>{t('offline.col.latestApp')}</th>
            <th>{t('offline.col.tags')}</th>
            <th>{t('offline.col.changed')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ d, p, plan, points }) => (
            <tr key={`${d.url}:${p.id}`}>
              <td>{p.sourceVmName}</td>
              <td>{plan}</td>
              <td>{t(`pairState.${p.state as (typeof pairStates)[number]}`)}</td>
              <td className={`health-${p.health}`}>{healthWord(p.health)}</td>
              <td>
                {p.stats ? formatDuration(p.stats.rpoSec) : t('offline.noneYet')} /{' '}
                {formatDuration(p.rpoThresholdSec)}
              </td>
              <td>{points?.latest ? when(points.latest) : t('common.none')}</td>
              <td>{points?.app ? when(points.app) : t('common.none')}</td>
              <td>{points?.tags.join(', ') || '—'}</td>
              <td>{when(p.stateChangedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Each master target's SCSI slots as exported: which pair's disk sits where, and what is left. */
function SnapshotMasterTargets({ doc }: { doc: ExportDocument }) {
  const mts = doc.deployments.flatMap((d) => d.masterTargets.map((m) => ({ d, m })));
  useT();
  if (mts.length === 0) return <Empty title={t('offline.noMts')} />;
  return (
    <div className="snapshot-plans">
      {mts.map(({ d, m }) => {
        const vmOf = (pairId: string) => d.pairs.find((p) => p.id === pairId)?.sourceVmName ?? pairId;
        const site = d.sites.find((s) => s.id === m.siteId)?.name ?? m.siteId;
        const slots = [...m.slots].sort((a, b) => a.controller - b.controller || a.unit - b.unit);
        return (
          <article className="card" key={`${d.url}:${m.id}`} data-testid="snapshot-master-target">
            <h2>{m.name}</h2>
            <p className="muted">
              {t('offline.mtLine', {
                vm: m.vmName,
                family: m.osFamily,
                site,
                used: m.slotsUsed,
                free: m.slotsFree,
                retention: m.retentionDatastore ?? '—',
                server: d.name,
              })}
            </p>
            <div className="table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th>{t('offline.col.scsi')}</th>
                    <th>{t('offline.col.protectedVm')}</th>
                    <th>{t('offline.col.disk')}</th>
                  </tr>
                </thead>
                <tbody>
                  {slots.map((x) => (
                    <tr key={`${x.controller}:${x.unit}`}>
                      <td className="mono">
                        {x.controller}:{x.unit}
                      </td>
                      <td>{vmOf(x.pairId)}</td>
                      <td>{x.diskKey}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </article>
        );
      })}
    </div>
  );
}

export function DiffView() {
  const { diff, close } = useOffline();
  const [kind, setKind] = useState<string>('all');
  useT();
  if (!diff) return null;
  const { a, b, result } = diff;
  const counts = new Map<string, number>();
  for (const c of result.changes) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  const shown = kind === 'all' ? result.changes : result.changes.filter((c) => c.kind === kind);
  return (
    <section className="page page-diff" aria-label={t('diff.title')}>
      <PageHeader
        title={t('diff.title')}
        subtitle={`${a.name} (${when(a.document.exportedAt)}) → ${b.name} (${when(b.document.exportedAt)})`}
        actions={
          <button type="button" className="btn" onClick={close}>
            {t('diff.close')}
          </button>
        }
      />
      <VerificationBanner name={a.name} verification={a.verification} />
      <VerificationBanner name={b.name} verification={b.verification} />
      {result.changes.length === 0 ? (
        <Empty title={t('diff.none')}>{t('diff.noneText')}</Empty>
      ) : (
        <>
          <fieldset className="diff-summary" aria-label={t('diff.kinds')}>
            <button
              type="button"
              className={kind === 'all' ? 'chip active' : 'chip'}
              onClick={() => setKind('all')}
            >
              {t('diff.all', { count: result.changes.length })}
            </button>
            {[...counts].map(([k, n]) => (
              <button
                type="button"
                key={k}
                className={kind === k ? 'chip active' : 'chip'}
                onClick={() => setKind(k)}
              >
                {t(`diff.kind.${k as ExportChangeKind}`)} {formatNumber(n)}
              </button>
            ))}
          </fieldset>
          <div className="table-scroll">
            <table className="table" data-testid="diff-table">
              <thead>
                <tr>
                  <th>{t('diff.col.change')}</th>
                  <th>{t('diff.col.where')}</th>
                  <th>{t('diff.col.what')}</th>
                  <th>{t('diff.col.before')}</th>
                  <th>{t('diff.col.after')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((c) => (
                  <tr
                    key={`${c.kind}:${c.scope}:${c.subject}:${c.before}:${c.after}`}
                    className={`change-${c.kind}`}
                  >
                    <td>{t(`diff.kind.${c.kind}`)}</td>
                    <td>{c.scope}</td>
                    <td>{c.subject}</td>
                    <td>{c.before ?? '—'}</td>
                    <td>{c.after ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** The workflow a check of the export is for, in words; a kind this console does not know, as written. */
const readinessKindKeys: Record<string, KeyOf<'jobKind.'>> = {
  protect: 'jobKind.protect',
  test: 'jobKind.test-failover',
  planned: 'jobKind.planned-failover',
  unplanned: 'jobKind.unplanned-failover',
  failback: 'jobKind.failback',
};
function readinessKindTitle(kind: string): string {
  const key = readinessKindKeys[kind];
  return key ? t(key) : kind;
}
