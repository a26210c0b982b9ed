import { useMemo, useState } from 'react';
import { judgeTrust } from '../../../shared/export/open';
import type { ExportDocument, ExportPlan, ExportVerification } from '../../../shared/export/schema';
import { exportChangeLabel } from '../../../shared/export/schema';
import { Empty, PageHeader } from '../components/states';
import { type OpenedFile, useOffline } from '../offline';
import { useConsole } from '../store';
import { TopologyView } from './TopologyView';

const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

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
  const bad = v.digest !== 'valid' || v.signature === 'invalid';
  const tone = bad ? 'banner-danger' : v.trust === 'trusted' ? 'banner-ok' : 'banner-warning';
  return (
    <div className={`banner ${tone}`} role={bad ? 'alert' : 'status'} data-testid="verification">
      <strong>{bad ? 'Do not trust this file. ' : ''}</strong>
      {name}: {v.message}
      {!bad && v.signature === 'valid' && v.trust !== 'trusted' && (
        <> Trusted keys are kept under Settings → Exports.</>
      )}
    </div>
  );
}

function OfflineBanner({ file, onClose }: { file: OpenedFile; onClose: () => void }) {
  return (
    <div className="offline-banner" role="status" data-testid="offline-banner">
      <span className="offline-badge">OFFLINE</span>
      <span>
        Offline snapshot of <strong>{when(file.document.exportedAt)}</strong> ({file.name}): what the estate
        looked like then, read-only.
      </span>
      <button type="button" className="btn btn-small" onClick={onClose}>
        Close snapshot
      </button>
    </div>
  );
}

type Tab = 'topology' | 'inventory' | 'plans' | 'pairs' | 'master-targets';

export function SnapshotView() {
  const { snapshot, close } = useOffline();
  const [tab, setTab] = useState<Tab>('topology');
  if (!snapshot) return null;
  const doc = snapshot.document;
  const pairs = doc.deployments.reduce((s, d) => s + d.pairs.length, 0);
  const plans = doc.deployments.reduce((s, d) => s + d.plans.length, 0);
  const vms = doc.inventories.reduce((s, i) => s + (i.inventory?.vms.length ?? 0), 0);
  const tabs: Array<[Tab, string]> = [
    ['topology', 'Topology'],
    ['inventory', `Inventory (${vms} VMs)`],
    ['plans', `Plans (${plans})`],
    ['pairs', `Protected machines (${pairs})`],
    ['master-targets', `Master targets (${doc.deployments.reduce((s, d) => s + d.masterTargets.length, 0)})`],
  ];
  return (
    <section className="page page-offline" aria-label="Offline snapshot">
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
      {tab === 'topology' && <TopologyView snapshot={doc.topology} title="Topology (snapshot)" />}
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
            disks: `${disks.length} · ${gib.toFixed(0)} GiB`,
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
          {i.name} could not be read when this was exported: {i.error}
        </div>
      ))}
      <div className="table-toolbar">
        <input
          className="input"
          type="search"
          placeholder="Find a VM, host or address…"
          aria-label="Find in the snapshot inventory"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <span className="muted">
          {found.length} of {rows.length} VMs
          {found.length > SHOWN ? ` (first ${SHOWN} shown: refine the search)` : ''}
        </span>
      </div>
      <div className="table-scroll">
        <table className="table" data-testid="snapshot-inventory">
          <thead>
            <tr>
              <th>VM</th>
              <th>Source</th>
              <th>Site</th>
              <th>Power</th>
              <th>Host</th>
              <th>Addresses</th>
              <th>Disks</th>
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
        reip: m.reip ? `${m.reip.address}${m.reip.gateway ? ` via ${m.reip.gateway}` : ''}` : '',
      }));
  }
  return (plan.bootGroups ?? []).flatMap((g, i) =>
    (Array.isArray(g) ? g : []).map((id) => ({ vm: nameOf(String(id)), group: i + 1, after: '', reip: '' })),
  );
}

function SnapshotPlans({ doc }: { doc: ExportDocument }) {
  const plans = doc.deployments.flatMap((d) => d.plans.map((p) => ({ d, p })));
  if (plans.length === 0)
    return (
      <Empty title="No plans in this snapshot">
        It was not exported from a configuration server (or the server had no plans).
      </Empty>
    );
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
              {p.source?.site ?? site(p.sourceSiteId)} → {p.target?.site ?? site(p.targetSiteId)} · master
              target {mt} · {pairs.length} protected · at most {p.parallelism ?? '—'} at a time · {d.name}
            </p>
            <div className="table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th>Boot group</th>
                    <th>VM</th>
                    <th>After</th>
                    <th>Re-IP</th>
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
              Readiness at export time:{' '}
              {checks.length === 0
                ? 'not recorded'
                : `${checks.filter((c) => c.status === 'pass').length} pass, ${failing.length} warn or fail`}
            </p>
            {failing.length > 0 && (
              <ul className="readiness-list">
                {failing.map((c) => (
                  <li key={`${c.kind}:${c.name}:${c.message}`} className={`readiness-${c.status}`}>
                    <strong>
                      {c.kind ? `${c.kind}: ` : ''}
                      {c.name}
                    </strong>{' '}
                    — {c.message}
                    {c.fix ? ` Fix: ${c.fix}` : ''}
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
  if (rows.length === 0) return <Empty title="No protected machines in this snapshot" />;
  return (
    <div className="table-scroll">
      <table className="table">
        <thead>
          <tr>
            <th>VM</th>
            <th>Plan</th>
            <th>State</th>
            <th>Health</th>
            <th>RPO / threshold</th>
            <th>Latest point</th>
            <th>Latest app-consistent</th>
            <th>Tags</th>
            <th>Last state change</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ d, p, plan, points }) => (
            <tr key={`${d.url}:${p.id}`}>
              <td>{p.sourceVmName}</td>
              <td>{plan}</td>
              <td>{p.state}</td>
              <td className={`health-${p.health}`}>{p.health}</td>
              <td>
                {p.stats ? `${Math.round(p.stats.rpoSec)} s` : 'none yet'} / {p.rpoThresholdSec} s
              </td>
              <td>{points?.latest ? when(points.latest) : 'none'}</td>
              <td>{points?.app ? when(points.app) : 'none'}</td>
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
  if (mts.length === 0) return <Empty title="No master targets in this snapshot" />;
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
              VM {m.vmName} · {m.osFamily} · site {site} · {m.slotsUsed} slots used, {m.slotsFree} free ·
              retention on {m.retentionDatastore ?? '—'} · {d.name}
            </p>
            <div className="table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th>SCSI</th>
                    <th>Protected VM</th>
                    <th>Disk</th>
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
  if (!diff) return null;
  const { a, b, result } = diff;
  const counts = new Map<string, number>();
  for (const c of result.changes) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  const shown = kind === 'all' ? result.changes : result.changes.filter((c) => c.kind === kind);
  return (
    <section className="page page-diff" aria-label="Compare exports">
      <PageHeader
        title="Compare exports"
        subtitle={`${a.name} (${when(a.document.exportedAt)}) → ${b.name} (${when(b.document.exportedAt)})`}
        actions={
          <button type="button" className="btn" onClick={close}>
            Close comparison
          </button>
        }
      />
      <VerificationBanner name={a.name} verification={a.verification} />
      <VerificationBanner name={b.name} verification={b.verification} />
      {result.changes.length === 0 ? (
        <Empty title="No differences">The two exports describe the same estate, plans and pairs.</Empty>
      ) : (
        <>
          <fieldset className="diff-summary" aria-label="Kinds of change">
            <button
              type="button"
              className={kind === 'all' ? 'chip active' : 'chip'}
              onClick={() => setKind('all')}
            >
              All {result.changes.length}
            </button>
            {[...counts].map(([k, n]) => (
              <button
                type="button"
                key={k}
                className={kind === k ? 'chip active' : 'chip'}
                onClick={() => setKind(k)}
              >
                {exportChangeLabel[k as keyof typeof exportChangeLabel]} {n}
              </button>
            ))}
          </fieldset>
          <div className="table-scroll">
            <table className="table" data-testid="diff-table">
              <thead>
                <tr>
                  <th>Change</th>
                  <th>Where</th>
                  <th>What</th>
                  <th>Before</th>
                  <th>After</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((c) => (
                  <tr
                    key={`${c.kind}:${c.scope}:${c.subject}:${c.before}:${c.after}`}
                    className={`change-${c.kind}`}
                  >
                    <td>{exportChangeLabel[c.kind]}</td>
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
