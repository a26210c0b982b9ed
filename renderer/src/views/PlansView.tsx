import { useEffect } from 'react';
import type { ProtectionSnapshot } from '../../../shared/schemas/protection';
import { Empty, ErrorState, Loading, PageHeader } from '../components/states';
import { useConsole } from '../store';
import { pairsOfPlan, planIssues, stateSummary } from '../wizards/recovery-model';
import { useWizard, type WizardKind } from '../wizards/store';

const actions: Array<{ kind: WizardKind; label: string }> = [
  { kind: 'test', label: 'Test failover' },
  { kind: 'cleanup', label: 'Clean up test' },
  { kind: 'planned', label: 'Failover' },
  { kind: 'commit', label: 'Commit' },
  { kind: 'rollback', label: 'Roll back' },
  { kind: 'reprotect', label: 'Reprotect' },
  { kind: 'failback', label: 'Fail back' },
];

/** The plans of every configuration server, and what can be done with each right now (a wizard each). */
export function PlansView() {
  const protection = useConsole((s) => s.protection);
  const loadProtection = useConsole((s) => s.loadProtection);
  const open = useWizard((s) => s.open);
  useEffect(() => {
    if (!protection.data && !protection.loading) void loadProtection();
  }, [protection.data, protection.loading, loadProtection]);
  const servers = (protection.data ?? []).filter((s) => !s.error);
  const first = servers[0];
  return (
    <section className="page" aria-label="Plans">
      <PageHeader
        title="Plans"
        subtitle="Protection and recovery plans, and the DR workflows each one allows now"
        actions={
          <>
            <button
              type="button"
              className="btn"
              disabled={!first}
              onClick={() => first && open('master-target', { connectionId: first.connectionId })}
            >
              Configure master target…
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={!first}
              onClick={() => first && open('protect', { connectionId: first.connectionId })}
            >
              Protect machines…
            </button>
          </>
        }
      />
      {protection.error && <ErrorState message={protection.error} onRetry={() => void loadProtection()} />}
      {!protection.data && protection.loading && <Loading what="plans" />}
      {(protection.data ?? [])
        .filter((s) => s.error)
        .map((s) => (
          <div className="banner banner-warning" role="alert" key={s.connectionId}>
            {s.connectionName}: {s.error}
          </div>
        ))}
      {protection.data && servers.length === 0 && (
        <Empty title="No configuration server connected">
          Plans live on a configuration server: add one under Settings.
        </Empty>
      )}
      {servers.map((s) => (
        <ServerPlans key={s.connectionId} snapshot={s} multiple={servers.length > 1} />
      ))}
    </section>
  );
}

function ServerPlans({ snapshot, multiple }: { snapshot: ProtectionSnapshot; multiple: boolean }) {
  const open = useWizard((s) => s.open);
  const mts = new Map(snapshot.masterTargets.map((m) => [m.name, m]));
  return (
    <section className="card" aria-label={`Plans of ${snapshot.connectionName}`}>
      {multiple && <h2>{snapshot.connectionName}</h2>}
      {snapshot.plans.length === 0 && (
        <p className="muted">No plan yet: Protect machines… writes the first.</p>
      )}
      {snapshot.plans.length > 0 && (
        <table className="table plans-table" aria-label="Plans">
          <thead>
            <tr>
              <th scope="col">Plan</th>
              <th scope="col">Sites</th>
              <th scope="col">Master target</th>
              <th scope="col">Machines</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {[...snapshot.plans]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((plan) => {
                const pairs = pairsOfPlan(snapshot.pairs, plan);
                const mt = plan.target.masterTarget ? mts.get(plan.target.masterTarget) : undefined;
                const possible = actions.filter(
                  (a) => !planIssues(a.kind, plan, pairs).some((i) => i.severity === 'error'),
                );
                return (
                  <tr key={plan.id}>
                    <th scope="row">{plan.name}</th>
                    <td>
                      {plan.source.site} → {plan.target.site}
                    </td>
                    <td>
                      {plan.target.masterTarget ?? '—'}
                      {mt && (
                        <span className="muted small">
                          {' '}
                          · {mt.slotsFree} of {mt.slotsFree + mt.slotsUsed} slots free
                        </span>
                      )}
                    </td>
                    <td>
                      {plan.machines.length}
                      <div className="muted small">{stateSummary(pairs)}</div>
                    </td>
                    <td className="row-actions">
                      {possible.length === 0 && (
                        <span className="muted small">
                          {pairs.length === 0 ? 'Not protected yet' : 'Nothing to do until the pairs settle'}
                        </span>
                      )}
                      {possible.map((a) => (
                        <button
                          type="button"
                          key={a.kind}
                          className="btn btn-small"
                          aria-label={`${a.label} ${plan.name}`}
                          onClick={() =>
                            open(a.kind, { connectionId: snapshot.connectionId, plan: plan.name })
                          }
                        >
                          {a.label}
                        </button>
                      ))}
                    </td>
                  </tr>
                );
              })}
          </tbody>
        </table>
      )}
    </section>
  );
}
