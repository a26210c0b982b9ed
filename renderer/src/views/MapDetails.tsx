import { type ReactNode, useEffect } from 'react';
import { countOf, displayKindLabel } from '../../../shared/topology/display';
import type { MapNode } from '../../../shared/topology/map';
import { formatDuration } from '../i18n/format';
import { useConsole } from '../store';
import { pairsOfPlan, planIssues } from '../wizards/recovery-model';
import { useWizard, type WizardKind } from '../wizards/store';

const vmKinds = new Set(['vm', 'hyperv-vm']);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The map's side panel: what the selected node is and what can be done with it (protect, test
 * failover, failover, expand); for several VMs, protect them together. The wizards it opens check
 * everything again; this panel only offers what could start.
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
  const protection = useConsole((s) => s.protection);
  const loadProtection = useConsole((s) => s.loadProtection);
  useEffect(() => {
    if (!readOnly && !protection.data && !protection.loading && !protection.error) void loadProtection();
  }, [readOnly, protection.data, protection.loading, protection.error, loadProtection]);

  if (selected.length === 0)
    return (
      <section className="map-details" aria-label="Selection">
        <h2>Nothing selected</h2>
        <p className="muted">
          Click a node to see what it is and what you can do with it; clusters and hosts open to show what
          they hold. Shift- or Ctrl-click VMs to select several and protect them together.
        </p>
        <ul className="map-legend">
          <li>
            <span className="legend-line legend-ok" /> replicating within its RPO
          </li>
          <li>
            <span className="legend-line legend-warning" /> RPO over its threshold, or a warning
          </li>
          <li>
            <span className="legend-line legend-critical" /> RPO over twice its threshold, or failing
          </li>
          <li>
            <span className="legend-line legend-nopoint" /> no recovery point yet (initial copy or resync)
          </li>
        </ul>
      </section>
    );

  if (selected.length > 1) return <ManyVms vms={selected} readOnly={readOnly} onClear={onClear} />;

  const n = selected[0]!;
  const a = n.source.attributes;
  const kind = displayKindLabel[n.kind] ?? n.kind;
  const facts: Array<[string, ReactNode]> = [];
  if (n.site) facts.push(['Site', n.site === 'primary' ? 'Primary' : 'Secondary']);
  const parent = labelOf(n.source.parent);
  if (parent && n.kind !== 'site') facts.push(['In', parent]);
  if (n.counts) {
    if (n.kind === 'cluster') facts.push(['Hosts', n.counts.hosts.toLocaleString('en')]);
    facts.push(['VMs', n.counts.vms.toLocaleString('en')]);
    facts.push(['Protected', n.counts.protectedVms.toLocaleString('en')]);
    facts.push(['Need attention', n.counts.attention.toLocaleString('en')]);
  }
  if (n.kind === 'esxi-host') facts.push(['Connection', String(a.connectionState ?? '—')]);
  if (n.kind === 'vm') {
    facts.push([
      'Power',
      a.powerState === 'poweredOn'
        ? 'On'
        : a.powerState === 'poweredOff'
          ? 'Off'
          : String(a.powerState ?? '—'),
    ]);
    facts.push(['IP', str(a.ip) ?? '—']);
    facts.push(['Guest OS', str(a.guestOs) ?? '—']);
  }
  if (n.kind === 'hyperv-vm') {
    facts.push(['State', str(a.state) ?? '—']);
    facts.push([
      'Replication',
      [str(a.replicationState), str(a.replicationHealth)].filter(Boolean).join(' · ') || 'none',
    ]);
    if (n.replica)
      facts.push([
        'Replica',
        `on ${labelOf(n.replica.parent) ?? 'the other site'} · ${[str(n.replica.attributes.state), str(n.replica.attributes.replicationHealth)].filter(Boolean).join(' · ')}`,
      ]);
  }
  if (vmKinds.has(n.kind)) {
    const state = str(a.pairState);
    facts.push(['Protection', state ? state.replace(/-/g, ' ') : 'Not protected']);
    if (state) {
      facts.push(['Plan', str(a.plan) ?? 'none']);
      const rpo = num(a.rpoSec);
      const threshold = num(a.rpoThresholdSec);
      facts.push([
        'RPO',
        rpo === null
          ? 'no recovery point yet'
          : `${formatDuration(rpo)}${threshold ? ` (threshold ${formatDuration(threshold)})` : ''}`,
      ]);
    }
  }
  if (n.kind === 'master-target') {
    facts.push(['OS', str(a.os) ?? '—']);
    facts.push(['Slots', `${num(a.slotsUsed) ?? 0} used · ${num(a.slotsFree) ?? 0} free`]);
  }
  if (!n.counts && !vmKinds.has(n.kind) && n.kind !== 'master-target' && n.detail)
    facts.push(['Details', n.detail]);

  return (
    <section className="map-details" aria-label={`Selected: ${n.label}`}>
      <div className="map-details-kind">{kind}</div>
      <h2>{n.label}</h2>
      <span className={`badge badge-${n.health}`}>{n.health === 'ok' ? 'healthy' : n.health}</span>
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
            {n.expanded ? 'Collapse' : 'Expand'} {n.label}
          </button>
        )}
        {!readOnly && n.kind === 'vm' && !str(a.pairState) && <ProtectButton vms={[n]} />}
        {!readOnly && vmKinds.has(n.kind) && str(a.plan) && (
          <>
            <RecoveryButton kind="test" label="Test failover…" node={n} />
            <RecoveryButton kind="planned" label="Failover…" node={n} />
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
function ProtectButton({ vms }: { vms: MapNode[] }) {
  const open = useWizard((s) => s.open);
  const protection = useConsole((s) => s.protection);
  const servers = (protection.data ?? []).filter((p) => !p.error);
  const sites = new Set(vms.map((v) => v.site));
  const reason =
    servers.length === 0
      ? protection.loading
        ? 'Reading the configuration server…'
        : 'Connect a configuration server under Settings to protect machines.'
      : sites.size > 1
        ? 'Choose VMs of one site: a plan protects machines from one site to the other.'
        : null;
  const server = servers[0];
  return (
    <div className="map-action">
      <button
        type="button"
        className="btn btn-primary"
        disabled={reason !== null}
        aria-describedby={reason ? 'why-protect' : undefined}
        onClick={() =>
          server &&
          open('protect', {
            connectionId: server.connectionId,
            vms: vms.map((v) => v.label),
            sourceSite: server.sites.find((s) => s.role === vms[0]?.site)?.name ?? '',
          })
        }
      >
        {vms.length === 1 ? 'Protect…' : `Protect ${countOf(vms.length, 'VM')}…`}
      </button>
      {reason && (
        <p className="muted small" id="why-protect">
          {reason}
        </p>
      )}
    </div>
  );
}

function ManyVms({ vms, readOnly, onClear }: { vms: MapNode[]; readOnly: boolean; onClear: () => void }) {
  // The Protect wizard takes vSphere VMs that no pair protects yet; the rest are named, not dropped silently.
  const protectable = vms.filter((v) => v.kind === 'vm' && !str(v.source.attributes.pairState));
  const already = vms.filter((v) => str(v.source.attributes.pairState)).length;
  const hyperv = vms.filter((v) => v.kind === 'hyperv-vm' && !str(v.source.attributes.pairState)).length;
  const left = [
    already > 0 ? `${countOf(already, 'VM')} already protected` : '',
    hyperv > 0 ? `${countOf(hyperv, 'Hyper-V VM')} (protected through Hyper-V Replica)` : '',
  ].filter(Boolean);
  const shown = vms.slice(0, 12);
  return (
    <section className="map-details" aria-label={`Selected: ${countOf(vms.length, 'VM')}`}>
      <div className="map-details-kind">Selection</div>
      <h2>{countOf(vms.length, 'VM')} selected</h2>
      <ul className="map-selection">
        {shown.map((v) => (
          <li key={v.id}>{v.label}</li>
        ))}
        {vms.length > shown.length && (
          <li className="muted">and {(vms.length - shown.length).toLocaleString('en')} more</li>
        )}
      </ul>
      {left.length > 0 && <p className="muted small">Left out of Protect: {left.join(', ')}.</p>}
      <div className="map-actions">
        {!readOnly && protectable.length > 0 && <ProtectButton vms={protectable} />}
        <button type="button" className="btn" onClick={onClear}>
          Clear selection
        </button>
      </div>
    </section>
  );
}
