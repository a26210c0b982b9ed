import type { ProtectionSnapshot } from '../../../shared/schemas/protection';
import { Empty, ErrorState, Loading, PageHeader } from '../components/states';
import { t, tServer, useT } from '../i18n';
import { formatNumber } from '../i18n/format';
import { useConsole } from '../store';
import { pairsOfPlan, planIssues, stateSummary } from '../wizards/recovery-model';
import { useWizard, type WizardKind } from '../wizards/store';
import { useProtection } from './use-protection';

const actions = [
  'test',
  'cleanup',
  'planned',
  'commit',
  'rollback',
  'reprotect',
  'failback',
] as const satisfies readonly WizardKind[];

/** The plans of every configuration server, and what can be done with each right now (a wizard each). */
export function PlansView() {
  const protection = useProtection();
  const loadProtection = useConsole((s) => s.loadProtection);
  const open = useWizard((s) => s.open);
  const t = useT();
  const servers = (protection.data ?? []).filter((s) => !s.error);
  const first = servers[0];
  return (
    <section className="page" aria-label={t('plans.title')}>
      <PageHeader
        title={t('plans.title')}
        subtitle={t('plans.subtitle')}
        actions={
          <>
            <button
              type="button"
              className="btn"
              disabled={!first}
              onClick={() => first && open('master-target', { connectionId: first.connectionId })}
            >
              {t('plans.configureMt')}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={!first}
              onClick={() => first && open('protect', { connectionId: first.connectionId })}
            >
              {t('plans.protect')}
            </button>
          </>
        }
      />
      {protection.error && (
        <ErrorState
          title={t('prot.loadFailed')}
          message={protection.error}
          onRetry={() => void loadProtection()}
        />
      )}
      {!protection.data && protection.loading && <Loading what={t('plans.loading')} />}
      {(protection.data ?? [])
        .filter((s) => s.error)
        .map((s) => (
          <div className="banner banner-warning" role="alert" key={s.connectionId}>
            {t('state.sourceError', {
              source: s.connectionName,
              error: tServer(s.error ?? '', s.errorWords),
            })}{' '}
            <button type="button" className="btn btn-small" onClick={() => void loadProtection()}>
              {t('state.retry')}
            </button>
          </div>
        ))}
      {protection.data?.length === 0 && <Empty title={t('plans.noServer')}>{t('plans.noServerText')}</Empty>}
      {servers.map((s) => (
        <ServerPlans key={s.connectionId} snapshot={s} multiple={servers.length > 1} />
      ))}
    </section>
  );
}

function ServerPlans({ snapshot, multiple }: { snapshot: ProtectionSnapshot; multiple: boolean }) {
  const open = useWizard((s) => s.open);
  const openEdit = useWizard((s) => s.openEdit);
  useT();
  const mts = new Map(snapshot.masterTargets.map((m) => [m.name, m]));
  return (
    <section className="card" aria-label={t('plans.of', { server: snapshot.connectionName })}>
      {multiple && <h2>{snapshot.connectionName}</h2>}
      {snapshot.plans.length === 0 && <p className="muted">{t('plans.noPlan')}</p>}
      {snapshot.plans.length > 0 && (
        <table className="table plans-table" aria-label={t('plans.title')}>
          <thead>
            <tr>
              <th scope="col">{t('plans.plan')}</th>
              <th scope="col">{t('plans.sites')}</th>
              <th scope="col">{t('plans.masterTarget')}</th>
              <th scope="col">{t('plans.machines')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {[...snapshot.plans]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((plan) => {
                const pairs = pairsOfPlan(snapshot.pairs, plan);
                const mt = plan.target.masterTarget ? mts.get(plan.target.masterTarget) : undefined;
                const possible = actions.filter(
                  (a) => !planIssues(a, plan, pairs).some((i) => i.severity === 'error'),
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
                          · {t('plans.slotsFree', { free: mt.slotsFree, total: mt.slotsFree + mt.slotsUsed })}
                        </span>
                      )}
                    </td>
                    <td>
                      {formatNumber(plan.machines.length)}
                      <div className="muted small">{stateSummary(pairs)}</div>
                    </td>
                    <td className="row-actions">
                      <button
                        type="button"
                        className="btn btn-small"
                        aria-label={t('plans.editPlan', { plan: plan.name })}
                        onClick={() => openEdit(snapshot.connectionId, plan)}
                      >
                        {t('plans.edit')}
                      </button>
                      {possible.length === 0 && (
                        <span className="muted small">
                          {pairs.length === 0 ? t('plans.notProtected') : t('plans.settling')}
                        </span>
                      )}
                      {possible.map((a) => (
                        <button
                          type="button"
                          key={a}
                          className="btn btn-small"
                          aria-label={t('plans.action', { action: t(`action.${a}`), plan: plan.name })}
                          onClick={() => open(a, { connectionId: snapshot.connectionId, plan: plan.name })}
                        >
                          {t(`action.${a}`)}
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
