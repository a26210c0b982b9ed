import { type ReactNode, useEffect } from 'react';
import type { MachineReason } from '../../../shared/configserver/risk';
import type { MapNode } from '../../../shared/topology/map';
import { useT } from '../i18n';
import { formatDuration, formatList, formatNumber } from '../i18n/format';
import { useConsole } from '../store';
import { pairsOfPlan, planIssues } from '../wizards/recovery-model';
import { useWizard, type WizardKind } from '../wizards/store';
import { nodeDetail } from './node-detail';
import { reasonLabel } from './status';
import { kindLabel, pairStateText } from './TopologyView';

const vmKinds = new Set(['vm', 'hyperv-vm']);
/** States with no recovery point yet: no RPO to show (an initial copy reports 0 s). */
const noPointStates = new Set([
  'enabling',
  'initial-replication',
  'resync-required',
  'resyncing',
  'reprotecting',
]);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The map's side panel: what the selected node is and what can be done with it (protect, test
 * failover, failover, expand); for several VMs, protect them together. The wizards it opens check
 * everything again; this panel only offers what could start, and says why not.
 */
export function MapDetails({
  selected,
  readOnly,
  labelOf,
  onClear,
  onFold,
}: {
  selected: MapNode[];
  readOnly: boolean;
  labelOf: (id: string | null) => string | null;
  onClear: () => void;
  onFold: (id: string, open: boolean) => void;
}) {
  const t = useT();
  const protection = useConsole((s) => s.protection);
  const loadProtection = useConsole((s) => s.loadProtection);
  useEffect(() => {
    if (!readOnly && !protection.data && !protection.loading && !protection.error) void loadProtection();
  }, [readOnly, protection.data, protection.loading, protection.error, loadProtection]);

  if (selected.length === 0)
    return (
      <section className="map-details" aria-label={t('map.sel.region')}>
        <h2>{t('map.sel.none')}</h2>
        <p className="muted">{t('map.sel.help')}</p>
        <ul className="map-legend">
          {(['ok', 'warning', 'critical', 'nopoint'] as const).map((k) => (
            <li key={k}>
              <span className={`legend-line legend-${k}`} /> {t(`map.legend.${k}`)}
            </li>
          ))}
        </ul>
      </section>
    );

  if (selected.length > 1) return <ManyVms vms={selected} readOnly={readOnly} onClear={onClear} />;

  const n = selected[0]!;
  const a = n.source.attributes;
  const facts: Array<[string, ReactNode]> = [];
  if (n.site) facts.push([t('map.fact.site'), t(n.site === 'primary' ? 'map.primary' : 'map.secondary')]);
  const parent = labelOf(n.source.parent);
  if (parent && n.kind !== 'site') facts.push([t('map.fact.in'), parent]);
  if (n.counts) {
    if (n.kind === 'cluster') facts.push([t('map.fact.hosts'), formatNumber(n.counts.hosts)]);
    facts.push([t('map.fact.vms'), formatNumber(n.counts.vms)]);
    facts.push([t('map.fact.protected'), formatNumber(n.counts.protectedVms)]);
    facts.push([t('map.fact.attention'), formatNumber(n.counts.attention)]);
  }
  if (n.kind === 'esxi-host') facts.push([t('map.fact.connection'), str(a.connectionState) ?? '—']);
  if (n.kind === 'vm') {
    const power =
      a.powerState === 'poweredOn'
        ? t('map.power.on')
        : a.powerState === 'poweredOff'
          ? t('map.power.off')
          : (str(a.powerState) ?? '—');
    facts.push([t('map.fact.power'), power]);
    facts.push([t('map.fact.ip'), str(a.ip) ?? '—']);
    facts.push([t('map.fact.guest'), str(a.guestOs) ?? '—']);
  }
  if (n.kind === 'hyperv-vm') {
    facts.push([t('map.fact.state'), str(a.state) ?? '—']);
    const replication = [str(a.replicationState), str(a.replicationHealth)].filter(Boolean).join(' · ');
    facts.push([t('map.fact.replication'), replication || t('common.none')]);
    if (n.replica) {
      const r = n.replica.attributes;
      facts.push([
        t('map.fact.replica'),
        t('map.replicaOn', {
          host: labelOf(n.replica.parent) ?? t('map.otherSite'),
          state: [str(r.state), str(r.replicationHealth)].filter(Boolean).join(' · '),
        }),
      ]);
    }
  }
  const status = str(a.status) as MachineReason | null;
  if (status) facts.push([t('map.fact.status'), reasonLabel(status)]);
  if (vmKinds.has(n.kind)) {
    const state = str(a.pairState);
    facts.push([t('map.fact.protection'), state ? pairStateText(state) : t('map.notProtected')]);
    if (state) {
      facts.push([t('map.fact.plan'), str(a.plan) ?? t('common.none')]);
      const rpo = noPointStates.has(state) ? null : num(a.rpoSec);
      const threshold = num(a.rpoThresholdSec);
      facts.push([
        t('map.fact.rpo'),
        rpo === null
          ? t('map.noPoint')
          : threshold
            ? t('map.rpoOf', { rpo: formatDuration(rpo), threshold: formatDuration(threshold) })
            : formatDuration(rpo),
      ]);
    }
  }
  if (n.kind === 'master-target') {
    facts.push([t('map.fact.os'), str(a.os) ?? '—']);
    facts.push([
      t('map.fact.slots'),
      t('map.slots', { used: num(a.slotsUsed) ?? 0, free: num(a.slotsFree) ?? 0 }),
    ]);
  }
  if (!n.counts && !vmKinds.has(n.kind) && n.kind !== 'master-target' && n.detail)
    facts.push([t('map.fact.details'), nodeDetail(n)]);

  return (
    <section className="map-details" aria-label={t('map.sel.selected', { name: n.label })}>
      <div className="map-details-kind">{kindLabel(n.kind)}</div>
      <h2>{n.label}</h2>
      <span className={`badge badge-${n.health}`}>{t(`health.${n.health}`)}</span>
      <dl className="map-facts">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <div className="map-actions">
        {n.expanded !== null && (
          <button type="button" className="btn" onClick={() => onFold(n.id, !n.expanded)}>
            {t(n.expanded ? 'map.collapse' : 'map.expand', { name: n.label })}
          </button>
        )}
        {!readOnly && vmKinds.has(n.kind) && !str(a.pairState) && <ProtectButton vms={[n]} />}
        {!readOnly && vmKinds.has(n.kind) && str(a.plan) && (
          <>
            <RecoveryButton kind="test" label={t('map.testFailover')} node={n} />
            <RecoveryButton kind="planned" label={t('map.failover')} node={n} />
          </>
        )}
      </div>
    </section>
  );
}

/** Opens a recovery wizard on the VM's plan, or says why that plan cannot start it now. */
function RecoveryButton({ kind, label, node }: { kind: WizardKind; label: string; node: MapNode }) {
  const open = useWizard((s) => s.open);
  const connectionId = str(node.source.attributes.configServer);
  const planName = str(node.source.attributes.plan)!;
  const snapshot = useConsole((s) => s.protection.data?.find((p) => p.connectionId === connectionId));
  const plan = snapshot?.plans.find((p) => p.name === planName);
  const blocked = snapshot
    ? planIssues(kind, plan, pairsOfPlan(snapshot.pairs, plan)).find((i) => i.severity === 'error')
    : undefined;
  return (
    <div className="map-action">
      <button
        type="button"
        className="btn"
        disabled={!connectionId || Boolean(blocked)}
        aria-describedby={blocked ? `why-${kind}` : undefined}
        onClick={() => connectionId && open(kind, { connectionId, plan: planName })}
      >
        {label}
      </button>
      {blocked && (
        <p className="muted small" id={`why-${kind}`}>
          {blocked.message}
        </p>
      )}
    </div>
  );
}

/** Opens the Protect wizard with these VMs chosen, on the configuration server and site that hold them. */
function ProtectButton({ vms, label, id = 'why-protect' }: { vms: MapNode[]; label?: string; id?: string }) {
  const t = useT();
  const open = useWizard((s) => s.open);
  const protection = useConsole((s) => s.protection);
  const servers = (protection.data ?? []).filter((p) => !p.error);
  const sites = new Set(vms.map((v) => v.site));
  const reason =
    servers.length === 0
      ? t(protection.loading ? 'map.protect.reading' : 'map.protect.noServer')
      : sites.size > 1
        ? t('map.protect.oneSite')
        : null;
  const server = servers[0];
  return (
    <div className="map-action">
      <button
        type="button"
        className="btn btn-primary"
        disabled={reason !== null}
        aria-describedby={reason ? id : undefined}
        onClick={() =>
          server &&
          open('protect', {
            connectionId: server.connectionId,
            vms: vms.map((v) => v.label),
            sourceSite: server.sites.find((s) => s.role === vms[0]?.site)?.name ?? '',
          })
        }
      >
        {label ?? (vms.length === 1 ? t('map.protect') : t('map.protectMany', { count: vms.length }))}
      </button>
      {reason && (
        <p className="muted small" id={id}>
          {reason}
        </p>
      )}
    </div>
  );
}

function ManyVms({ vms, readOnly, onClear }: { vms: MapNode[]; readOnly: boolean; onClear: () => void }) {
  const t = useT();
  // The Protect wizard takes VMs that no pair protects yet (the rest are named, not dropped
  // silently), vSphere and Hyper-V in separate plans: they replicate differently.
  const free = vms.filter((v) => !str(v.source.attributes.pairState));
  const vsphere = free.filter((v) => v.kind === 'vm');
  const hyperv = free.filter((v) => v.kind === 'hyperv-vm');
  const both = vsphere.length > 0 && hyperv.length > 0;
  const already = vms.length - free.length;
  const left = already > 0 ? [t('map.many.already', { count: already })] : [];
  const shown = vms.slice(0, 12);
  const title = t('map.many.title', { count: vms.length });
  return (
    <section className="map-details" aria-label={t('map.sel.selected', { name: title })}>
      <div className="map-details-kind">{t('map.sel.region')}</div>
      <h2>{title}</h2>
      <ul className="map-selection">
        {shown.map((v) => (
          <li key={v.id}>{v.label}</li>
        ))}
        {vms.length > shown.length && (
          <li className="muted">{t('map.many.more', { count: vms.length - shown.length })}</li>
        )}
      </ul>
      {left.length > 0 && <p className="muted small">{t('map.many.leftOut', { what: formatList(left) })}</p>}
      {!readOnly && both && <p className="muted small">{t('map.many.split')}</p>}
      <div className="map-actions">
        {!readOnly && !both && free.length > 0 && <ProtectButton vms={free} />}
        {!readOnly && both && (
          <>
            <ProtectButton
              vms={vsphere}
              id="why-protect-vsphere"
              label={t('map.protectVsphere', { count: vsphere.length })}
            />
            <ProtectButton
              vms={hyperv}
              id="why-protect-hyperv"
              label={t('map.protectHyperv', { count: hyperv.length })}
            />
          </>
        )}
        <button type="button" className="btn" onClick={onClear}>
          {t('map.clear')}
        </button>
      </div>
    </section>
  );
}
