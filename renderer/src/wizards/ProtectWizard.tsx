import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { stringify } from 'yaml';
import { hypervReplicaPolicy, type PlanValidation } from '../../../shared/configserver';
import { Busy } from '../components/states';
import {
  ConfirmRun,
  DryRunPanel,
  Field,
  fieldProps,
  IssueList,
  ReadinessPanel,
  WizardFrame,
  WizardNav,
} from '../components/wizard/Wizard';
import { t, tServer, useT } from '../i18n';
import { formatDuration, formatNumber } from '../i18n/format';
import { Trans } from '../i18n/Trans';
import { errorText, useConsole } from '../store';
import { VirtualTable } from '../views/InventoryView';
import { dryRunDone, useDryRun, useRunJob } from './common';
import { PlanReview } from './PlanReview';
import {
  chosenVms,
  type FieldIssue,
  fieldOfPlanPath,
  gib,
  hypervVms,
  machineOf,
  machinesIssues,
  mixedMessage,
  needsVsphere,
  type ProtectContext,
  type ProtectDraft,
  policyOf,
  protectIssues,
  protectPlan,
  protectStepIds,
  protectSteps,
  sourceNetworks,
  stepOfPlanPath,
  vsphereVms,
} from './protect-model';
import { siteChoices } from './site';
import { siteKey, useWizard } from './store';

/**
 * Protect: machines → target site and master target (vSphere) or replica server (Hyper-V) →
 * mappings → policy and boot order → readiness → dry run → run. The plan is saved on the
 * configuration server when readiness is checked (readiness is a property of a stored plan);
 * nothing is protected before Run. Editing a stored plan walks the same steps, prefilled, and ends
 * on the review of what applying changes (PlanReview).
 */
export function ProtectWizard() {
  const w = useWizard();
  useT();
  const active = w.active!;
  const draft = w.protect;
  const snapshot = useConsole((s) => s.protection.data?.find((p) => p.connectionId === active.connectionId));
  const loadProtection = useConsole((s) => s.loadProtection);
  useEffect(() => {
    if (!snapshot) void loadProtection();
  }, [snapshot, loadProtection]);
  const sites = snapshot?.sites ?? [];
  const sourceEntry = draft.sourceSite ? w.sites[siteKey(active.connectionId, draft.sourceSite)] : undefined;
  const targetEntry = draft.targetSite ? w.sites[siteKey(active.connectionId, draft.targetSite)] : undefined;
  const source = useMemo(
    () => (sourceEntry?.data ? siteChoices(sourceEntry.data) : null),
    [sourceEntry?.data],
  );
  const target = useMemo(
    () => (targetEntry?.data ? siteChoices(targetEntry.data) : null),
    [targetEntry?.data],
  );
  const { loadSite } = w;

  // Machines preselected elsewhere (Inventory) name no site: the site whose VMs include them all.
  useEffect(() => {
    if (draft.sourceSite || sites.length === 0) return;
    if (draft.vms.length === 0) {
      const primary = sites.find((s) => s.role === 'primary') ?? sites[0]!;
      useWizard.setState({ protect: { ...useWizard.getState().protect, sourceSite: primary.name } });
      return;
    }
    for (const s of sites) {
      const entry = w.sites[siteKey(active.connectionId, s.name)];
      if (!entry) void loadSite(active.connectionId, s.name);
      else if (entry.data) {
        const names = new Set(siteChoices(entry.data).vms.map((v) => v.name));
        if (draft.vms.every((v) => names.has(v))) {
          useWizard.setState({ protect: { ...useWizard.getState().protect, sourceSite: s.name } });
          return;
        }
      }
    }
  }, [draft.sourceSite, draft.vms, sites, w.sites, active.connectionId, loadSite]);
  useEffect(() => {
    if (draft.sourceSite && !sourceEntry) void loadSite(active.connectionId, draft.sourceSite);
  }, [draft.sourceSite, sourceEntry, active.connectionId, loadSite]);
  useEffect(() => {
    if (draft.targetSite && !targetEntry) void loadSite(active.connectionId, draft.targetSite);
  }, [draft.targetSite, targetEntry, active.connectionId, loadSite]);
  // The other site is the usual target: preset it once a source is known.
  useEffect(() => {
    if (!draft.targetSite && draft.sourceSite && sites.length > 1) {
      const other = sites.find((s) => s.name !== draft.sourceSite);
      if (other) useWizard.setState({ protect: { ...useWizard.getState().protect, targetSite: other.name } });
    }
  }, [draft.targetSite, draft.sourceSite, sites]);

  const editing = Boolean(active.edit);
  const protectedVms = useMemo(() => {
    const plans = new Map((snapshot?.plans ?? []).map((p) => [p.id, p.name]));
    const siteId = sites.find((s) => s.name === draft.sourceSite)?.id;
    return new Map(
      (snapshot?.pairs ?? [])
        .filter((p) => p.sourceSiteId === siteId)
        // The edited plan's own machines are its to keep, not protected elsewhere.
        .filter((p) => !(editing && p.planId && plans.get(p.planId) === active.plan))
        .map((p) => [p.sourceVmName, (p.planId && plans.get(p.planId)) || t('protect.noPlan')]),
    );
  }, [snapshot, sites, draft.sourceSite, editing, active.plan]);
  const pairedInPlan = useMemo(() => {
    const plan = snapshot?.plans.find((p) => p.name === active.plan);
    return new Set(
      editing && plan
        ? (snapshot?.pairs ?? []).filter((p) => p.planId === plan.id).map((p) => p.sourceVmName)
        : [],
    );
  }, [snapshot, editing, active.plan]);
  const targetSiteId = sites.find((s) => s.name === draft.targetSite)?.id;
  const ctx: ProtectContext = {
    source,
    target,
    masterTargets: (snapshot?.masterTargets ?? []).filter((m) => m.siteId === targetSiteId),
    planNames: (snapshot?.plans ?? []).map((p) => p.name).filter((n) => n !== active.plan),
    protectedVms,
    editing,
    pairedInPlan,
  };
  const [attempted, setAttempted] = useState<Record<number, boolean>>({});
  const [touched, setTouched] = useState<Set<string>>(new Set());
  // The server's word on an edit, at the fields of this step it names.
  const fromServer: FieldIssue[] = w.serverIssues.flatMap((i) => {
    const field = fieldOfPlanPath(i.path, draft);
    return field && stepOfPlanPath(i.path) === w.step
      ? [{ field, severity: i.severity, message: tServer(i.message, i.messageWords) }]
      : [];
  });
  const issues = [...protectIssues(w.step, draft, ctx), ...fromServer];
  const shown = (field: string) => attempted[w.step] === true || touched.has(field);
  const visible = issues.filter((i) => i.severity === 'warning' || fromServer.includes(i) || shown(i.field));
  const errors = issues.filter((i) => i.severity === 'error');
  const patch = (p: Partial<ProtectDraft>, field?: string) => {
    if (field) setTouched(new Set(touched).add(field));
    w.patchProtect(p);
  };
  const next = () => {
    setAttempted({ ...attempted, [w.step]: true });
    if (errors.length === 0) w.goTo(w.step + 1);
  };
  const cancel = async () => {
    // A plan this wizard saved protects nothing yet: Cancel takes it away again (an edit changed nothing).
    if (active.plan && !editing) {
      await useConsole
        .getState()
        .api!['plans:remove']({ connectionId: active.connectionId, plan: active.plan })
        .catch(() => undefined);
      void loadProtection();
    }
    w.close();
    useConsole.getState().setView('plans');
  };
  const blocked = attempted[w.step] && errors.length ? t('pw.toFix', { count: errors.length }) : null;
  const save = () => saveAsFile(protectPlan(draft, ctx));
  const vms = chosenVms(draft, ctx);
  // What protect has to do: every machine of a new plan, the ones an edit added to a stored one.
  const unpaired = vms.filter((v) => !pairedInPlan.has(v.name));
  const stepId = protectStepIds(editing, active.edit?.protectAfter)[w.step];
  const laterNav = (
    <>
      <button type="button" className="btn" onClick={() => void cancel()}>
        {editing ? t('common.cancel') : t('pw.cancelRemove')}
      </button>
      <button type="button" className="btn" onClick={save}>
        {t('pw.saveFile')}
      </button>
    </>
  );

  return (
    <WizardFrame
      title={editing ? t('pe.title', { plan: active.plan }) : t('pw.title')}
      subtitle={t('pw.subtitle', {
        server: snapshot?.connectionName ?? t('pw.configServer'),
        count: vms.length,
      })}
      steps={protectSteps(editing, active.edit?.protectAfter)}
      step={w.step}
      reached={w.reached}
      onStep={w.goTo}
    >
      {w.step === 0 && (
        <MachinesStep
          draft={draft}
          ctx={ctx}
          sites={sites.map((s) => s.name)}
          loading={sourceEntry?.loading ?? false}
          error={sourceEntry?.error ?? null}
          issues={visible}
          shown={shown}
          patch={patch}
        />
      )}
      {w.step === 1 && (
        <TargetStep
          draft={draft}
          ctx={ctx}
          sites={sites.map((s) => s.name)}
          issues={visible}
          shown={shown}
          patch={patch}
        />
      )}
      {w.step === 2 && (
        <MappingsStep
          draft={draft}
          ctx={ctx}
          loading={targetEntry?.loading ?? false}
          error={targetEntry?.error ?? null}
          issues={visible}
          shown={shown}
          patch={patch}
        />
      )}
      {w.step === 3 && <PolicyStep draft={draft} ctx={ctx} issues={visible} shown={shown} patch={patch} />}
      {stepId === 'review' && (
        <PlanReview
          plan={protectPlan(draft, ctx)}
          machines={draft.vms}
          unpaired={unpaired.map((v) => v.name)}
          onCancel={() => void cancel()}
        />
      )}
      {stepId === 'readiness' && <ReadinessStep draft={draft} ctx={ctx} nav={laterNav} />}
      {stepId === 'dryRun' && <ProtectDryRun nav={laterNav} />}
      {stepId === 'run' && (
        <ProtectRun
          planName={active.plan}
          summary={t('pw.summary', {
            machines: t('pw.machines', { count: unpaired.length }),
            disks: t('protect.disks', { count: unpaired.reduce((n, v) => n + v.disks, 0) }),
            size: gib(unpaired.reduce((n, v) => n + v.diskBytes, 0)),
            source: draft.sourceSite,
            target: draft.targetSite,
          })}
          risk={
            vsphereVms(draft, ctx).length > 0
              ? t('pw.risk2', { mt: draft.masterTarget, datastore: draft.datastore })
              : t('pw.riskHv', {
                  replica: ctx.target?.hypervHosts[0]?.name ?? draft.targetSite,
                })
          }
          nav={laterNav}
        />
      )}
      {w.step < 4 && (
        <WizardNav
          onCancel={() => void cancel()}
          onBack={w.step > 0 ? () => w.goTo(w.step - 1) : undefined}
          onNext={next}
          blocked={blocked}
          nextLabel={editing && w.step === 3 ? t('pe.review') : undefined}
          extra={
            w.step === 3 && !editing ? (
              <button type="button" className="btn" onClick={save}>
                {t('pw.saveFile')}
              </button>
            ) : undefined
          }
        />
      )}
    </WizardFrame>
  );
}

type StepProps = {
  draft: ProtectDraft;
  ctx: ProtectContext;
  issues: FieldIssue[];
  shown: (field: string) => boolean;
  patch: (p: Partial<ProtectDraft>, field?: string) => void;
};

function MachinesStep({
  draft,
  ctx,
  sites,
  loading,
  error,
  issues,
  shown,
  patch,
}: StepProps & { sites: string[]; loading: boolean; error: string | null }) {
  const [filter, setFilter] = useState('');
  useT();
  const chosen = new Set(draft.vms);
  const all = ctx.source?.vms ?? [];
  const f = filter.trim().toLowerCase();
  const rows = all.filter((v) => !f || v.name.toLowerCase().includes(f)).map((v) => ({ ...v, id: v.name }));
  const toggle = (name: string, on: boolean) => {
    const next = on ? [...draft.vms, name] : draft.vms.filter((n) => n !== name);
    patch({ vms: next }, 'vms');
  };
  const selectable = rows.filter((r) => !ctx.protectedVms.has(r.name));
  const allShown = selectable.length > 0 && selectable.every((r) => chosen.has(r.name));
  const vms = chosenVms(draft, ctx);
  const hv = vms.filter((v) => v.platform === 'hyperv');
  const mixed = machinesIssues(draft, ctx).some((i) => i.message === mixedMessage(draft, ctx));
  const keep = (platform: 'vsphere' | 'hyperv') =>
    patch({ vms: vms.filter((v) => v.platform === platform).map((v) => v.name) }, 'vms');
  return (
    <div className="wizard-fields">
      <p className="muted">
        {t('pw.machinesIntro')}
        {all.some((v) => v.platform === 'hyperv') && ` ${t('pw.machinesIntroHv')}`}
      </p>
      <div className="form-grid">
        <Field id="sourceSite" label={t('pw.sourceSite')} issues={issues} shown={shown('sourceSite')}>
          <select
            className="input"
            value={draft.sourceSite}
            onChange={(e) => patch({ sourceSite: e.target.value, vms: [], targetSite: '' }, 'sourceSite')}
            {...fieldProps('sourceSite', issues, shown('sourceSite'))}
          >
            <option value="">{t('pw.chooseSite')}</option>
            {sites.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </Field>
      </div>
      {ctx.source?.unread.map((u) => (
        <div key={u.name} className="banner banner-warning" role="alert">
          {t('pw.unreadListed', { name: u.name, message: tServer(u.message, u.words) })}
        </div>
      ))}
      {loading && !ctx.source && <Busy>{t('pw.reading', { site: draft.sourceSite })}</Busy>}
      {error && (
        <div className="state state-error" role="alert">
          <p className="state-message">{error}</p>
        </div>
      )}
      {ctx.source && (
        <section className="table-pane wizard-vms" aria-label={t('step.machines')}>
          <div className="table-toolbar">
            <input
              className="input"
              type="search"
              placeholder={t('pw.filter')}
              aria-label={t('pw.filterLabel')}
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
            <label className="pref-check">
              <input
                type="checkbox"
                checked={allShown}
                onChange={(e) => {
                  const names = new Set(draft.vms);
                  for (const r of selectable) {
                    if (e.target.checked) names.add(r.name);
                    else names.delete(r.name);
                  }
                  patch({ vms: [...names] }, 'vms');
                }}
              />
              {t('pw.selectAll')}
            </label>
            <span className="muted" role="status">
              {t('pw.chosen', {
                chosen: vms.length,
                windows: vms.filter((v) => v.osFamily === 'windows').length,
                linux: vms.filter((v) => v.osFamily === 'linux').length,
                disks: t('protect.disks', { count: vms.reduce((n, v) => n + v.disks, 0) }),
                size: gib(vms.reduce((n, v) => n + v.diskBytes, 0)),
              })}
              {hv.length > 0 && ` · ${t('pw.chosenHyperv', { count: hv.length })}`}
            </span>
          </div>
          <VirtualTable
            rows={rows}
            columns={[
              {
                title: t('pw.col.protect'),
                width: '70px',
                render: (v) => (
                  <input
                    type="checkbox"
                    aria-label={t('pw.protectVm', { vm: v.name })}
                    checked={chosen.has(v.name)}
                    disabled={ctx.protectedVms.has(v.name) && !chosen.has(v.name)}
                    onChange={(e) => toggle(v.name, e.target.checked)}
                  />
                ),
              },
              { title: t('pw.col.machine'), width: '1.6fr', render: (v) => v.name },
              {
                title: t('pw.col.platform'),
                width: '90px',
                render: (v) => (v.platform === 'hyperv' ? 'Hyper-V' : 'vSphere'),
              },
              {
                title: t('pw.col.os'),
                width: '90px',
                drop: 1,
                render: (v) =>
                  v.osFamily === 'windows' ? 'Windows' : v.osFamily === 'linux' ? 'Linux' : '—',
              },
              {
                title: t('pw.col.power'),
                width: '70px',
                drop: 3,
                render: (v) =>
                  v.powerState === 'poweredOn'
                    ? t('pw.power.on')
                    : v.powerState === 'poweredOff'
                      ? t('pw.power.off')
                      : t('pw.power.suspended'),
              },
              {
                title: t('pw.col.disks'),
                width: '110px',
                drop: 2,
                render: (v) => `${formatNumber(v.disks)} · ${gib(v.diskBytes)}`,
              },
              {
                title: t('pw.col.networks'),
                width: '1.4fr',
                drop: 4,
                render: (v) => v.networks.join(', ') || '—',
              },
              {
                title: t('pw.col.protection'),
                width: '1.2fr',
                render: (v) =>
                  ctx.pairedInPlan?.has(v.name) ? (
                    <span className="muted">{t('pe.inThisPlan')}</span>
                  ) : ctx.protectedVms.has(v.name) ? (
                    <span className="muted">
                      {ctx.protectedVms.get(v.name) === t('protect.noPlan')
                        ? t('protect.noPlan')
                        : t('pw.inPlan', { plan: ctx.protectedVms.get(v.name) ?? '' })}
                    </span>
                  ) : (
                    <span className="badge badge-warning">{t('pw.unprotected')}</span>
                  ),
              },
            ]}
          />
        </section>
      )}
      <IssueList issues={issues.filter((i) => i.field === 'vms')} label={t('pw.vmProblems')} />
      {mixed && (
        <div className="wizard-fix">
          <button type="button" className="btn btn-small" onClick={() => keep('vsphere')}>
            {t('pw.keepVsphere', { count: vms.length - hv.length })}
          </button>
          <button type="button" className="btn btn-small" onClick={() => keep('hyperv')}>
            {t('pw.keepHyperv', { count: hv.length })}
          </button>
        </div>
      )}
    </div>
  );
}

function TargetStep({ draft, ctx, sites, issues, shown, patch }: StepProps & { sites: string[] }) {
  const vms = vsphereVms(draft, ctx);
  const hv = hypervVms(draft, ctx);
  const family = vms[0]?.osFamily;
  const disks = vms.reduce((n, v) => n + v.disks, 0);
  const vsphere = needsVsphere(draft, ctx);
  useT();
  return (
    <div className="wizard-fields">
      <p className="muted">
        {vsphere ? t('pw.targetIntro') : t('pw.targetIntroHv')}{' '}
        {!vsphere
          ? null
          : family
            ? t('pw.targetNeedOn', { count: disks, family: family === 'windows' ? 'Windows' : 'Linux' })
            : t('pw.targetNeed', { count: disks })}
      </p>
      <div className="form-grid">
        <Field id="targetSite" label={t('pw.targetSite')} issues={issues} shown={shown('targetSite')}>
          <select
            className="input"
            value={draft.targetSite}
            onChange={(e) =>
              patch(
                {
                  targetSite: e.target.value,
                  masterTarget: '',
                  cluster: '',
                  host: '',
                  datastore: '',
                  networks: {},
                  testNetwork: '',
                },
                'targetSite',
              )
            }
            {...fieldProps('targetSite', issues, shown('targetSite'))}
          >
            <option value="">{t('pw.chooseSite')}</option>
            {sites
              .filter((s) => s !== draft.sourceSite)
              .map((s) => (
                <option key={s}>{s}</option>
              ))}
          </select>
        </Field>
        {vsphere && (
          <Field
            id="masterTarget"
            label={t('pw.masterTarget')}
            issues={issues}
            shown={shown('masterTarget')}
            wide
          >
            <select
              className="input"
              value={draft.masterTarget}
              onChange={(e) => patch({ masterTarget: e.target.value }, 'masterTarget')}
              {...fieldProps('masterTarget', issues, shown('masterTarget'))}
            >
              <option value="">{t('pw.chooseMt')}</option>
              {ctx.masterTargets.map((m) => (
                <option key={m.id} value={m.name}>
                  {t('pw.mtOption', {
                    name: m.name,
                    family: m.osFamily === 'windows' ? 'Windows' : 'Linux',
                    free: m.slotsFree,
                    total: m.slotsFree + m.slotsUsed,
                  })}
                  {family && m.osFamily !== family ? t('pw.otherFamily') : ''}
                </option>
              ))}
            </select>
          </Field>
        )}
      </div>
      {hv.length > 0 && <ReplicaServer draft={draft} ctx={ctx} issues={issues} count={hv.length} />}
      {vsphere && draft.targetSite && ctx.masterTargets.length === 0 && (
        <div className="banner banner-warning" role="alert">
          {t('pw.noMt', { site: draft.targetSite })}
        </div>
      )}
    </div>
  );
}

function MappingsStep({
  draft,
  ctx,
  loading,
  error,
  issues,
  shown,
  patch,
}: StepProps & { loading: boolean; error: string | null }) {
  const tg = ctx.target;
  useT();
  const need = vsphereVms(draft, ctx).reduce((n, v) => n + v.diskBytes, 0);
  if (!needsVsphere(draft, ctx))
    return (
      <div className="wizard-fields">
        <p className="muted">{t('pw.mappingsHv', { count: hypervVms(draft, ctx).length })}</p>
      </div>
    );
  if (!tg)
    return loading ? (
      <Busy>{t('pw.reading', { site: draft.targetSite })}</Busy>
    ) : (
      <div className="state state-error" role="alert">
        <p className="state-message">{error ?? t('pw.couldNotRead', { site: draft.targetSite })}</p>
      </div>
    );
  return (
    <div className="wizard-fields">
      {tg.unread.map((u) => (
        <div key={u.name} className="banner banner-warning" role="alert">
          {t('pw.unread', { name: u.name, message: tServer(u.message, u.words) })}
        </div>
      ))}
      <h3>{t('pw.whereRun')}</h3>
      <div className="form-grid">
        <fieldset className="pref-choice">
          <legend>{t('pw.runOn')}</legend>
          <label className="pref-check">
            <input
              type="radio"
              name="placement"
              checked={draft.placementKind === 'cluster'}
              onChange={() => patch({ placementKind: 'cluster', host: '' })}
            />
            {t('pw.aCluster')}
          </label>
          <label className="pref-check">
            <input
              type="radio"
              name="placement"
              checked={draft.placementKind === 'host'}
              onChange={() => patch({ placementKind: 'host', cluster: '' })}
            />
            {t('pw.oneHost')}
          </label>
        </fieldset>
        {draft.placementKind === 'cluster' ? (
          <Field id="cluster" label={t('pw.cluster')} issues={issues} shown={shown('cluster')}>
            <select
              className="input"
              value={draft.cluster}
              onChange={(e) => patch({ cluster: e.target.value }, 'cluster')}
              {...fieldProps('cluster', issues, shown('cluster'))}
            >
              <option value="">{t('pw.chooseCluster')}</option>
              {tg.clusters.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </Field>
        ) : (
          <Field id="host" label={t('pw.host')} issues={issues} shown={shown('host')}>
            <select
              className="input"
              value={draft.host}
              onChange={(e) => patch({ host: e.target.value }, 'host')}
              {...fieldProps('host', issues, shown('host'))}
            >
              <option value="">{t('pw.chooseHost')}</option>
              {tg.hosts.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </Field>
        )}
        <Field
          id="datastore"
          label={t('pw.datastore')}
          issues={issues}
          shown={shown('datastore')}
          hint={t('pw.growTo', { size: gib(need) })}
        >
          <select
            className="input"
            value={draft.datastore}
            onChange={(e) => patch({ datastore: e.target.value }, 'datastore')}
            {...fieldProps('datastore', issues, shown('datastore'))}
          >
            <option value="">{t('pw.chooseDatastore')}</option>
            {tg.datastores.map((d) => (
              <option key={d.name} value={d.name}>
                {t('pw.dsOption', { name: d.name, free: gib(d.freeBytes) })}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id="folder"
          label={t('pw.folder')}
          issues={issues}
          shown={shown('folder')}
          hint={t('pw.folderHint')}
        >
          <input
            className="input"
            list="wizard-folders"
            value={draft.folder}
            onChange={(e) => patch({ folder: e.target.value }, 'folder')}
            {...fieldProps('folder', issues, shown('folder'))}
          />
          <datalist id="wizard-folders">
            {tg.folders.map((f) => (
              <option key={f} value={f} />
            ))}
          </datalist>
        </Field>
      </div>
      <h3>{t('pw.networksAfter')}</h3>
      <table className="table" aria-label={t('pw.networkMappings')}>
        <thead>
          <tr>
            <th scope="col">{t('pw.sourceNetwork')}</th>
            <th scope="col">{t('pw.targetNetwork')}</th>
          </tr>
        </thead>
        <tbody>
          {sourceNetworks(draft, ctx).map((net) => (
            <tr key={net}>
              <td>{net}</td>
              <td>
                <Field
                  id={`network:${net}`}
                  label={t('pw.targetNetworkFor', { net })}
                  issues={issues}
                  shown={shown(`network:${net}`)}
                >
                  <select
                    className="input"
                    value={draft.networks[net] ?? ''}
                    onChange={(e) =>
                      patch({ networks: { ...draft.networks, [net]: e.target.value } }, `network:${net}`)
                    }
                    {...fieldProps(`network:${net}`, issues, shown(`network:${net}`))}
                  >
                    <option value="">{t('pw.chooseNetwork')}</option>
                    {tg.networks.map((n) => (
                      <option key={n}>{n}</option>
                    ))}
                  </select>
                </Field>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-grid">
        <Field
          id="testNetwork"
          label={t('pw.testNetwork')}
          issues={issues}
          shown={shown('testNetwork')}
          hint={t('pw.testNetworkHint')}
        >
          <select
            className="input"
            value={draft.testNetwork}
            onChange={(e) => patch({ testNetwork: e.target.value }, 'testNetwork')}
            {...fieldProps('testNetwork', issues, shown('testNetwork'))}
          >
            <option value="">{t('pw.noneYet')}</option>
            {tg.networks.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </Field>
      </div>
    </div>
  );
}

function PolicyStep({ draft, ctx, issues, shown, patch }: StepProps) {
  useT();
  const hvCount = hypervVms(draft, ctx).length;
  const numbersOk = !issues.some(
    (i) =>
      i.severity === 'error' &&
      ['rpoThresholdMinutes', 'retentionHours', 'appConsistentEveryMinutes'].includes(i.field),
  );
  const hv = hvCount > 0 && numbersOk ? hypervReplicaPolicy(policyOf(draft)) : null;
  const num = (field: keyof ProtectDraft, label: string, hint: string) => (
    <Field id={field} label={label} issues={issues} shown={shown(field)} hint={hint}>
      <input
        className="input"
        inputMode="numeric"
        value={draft[field] as string}
        onChange={(e) => patch({ [field]: e.target.value } as Partial<ProtectDraft>, field)}
        {...fieldProps(field, issues, shown(field))}
      />
    </Field>
  );
  const setMachine = (vm: string, m: { bootGroup: number; dependsOn: string[] }) =>
    patch({ machines: { ...draft.machines, [vm]: m } }, `machine:${vm}`);
  const groups = [...new Set(draft.vms.map((vm) => machineOf(draft, vm).bootGroup))].sort((a, b) => a - b);
  return (
    <div className="wizard-fields">
      <div className="form-grid">
        <Field
          id="name"
          label={t('pw.planName')}
          issues={issues}
          shown={shown('name')}
          wide
          hint={ctx.editing ? t('pe.nameFixed') : undefined}
        >
          <input
            className="input"
            value={draft.name}
            readOnly={ctx.editing}
            onChange={(e) => patch({ name: e.target.value }, 'name')}
            {...fieldProps('name', issues, shown('name'))}
          />
        </Field>
        {num('rpoThresholdMinutes', t('pw.rpo'), t('pw.rpoHint'))}
        {num('retentionHours', t('pw.retention'), t('pw.retentionHint'))}
        {num('appConsistentEveryMinutes', t('pw.appEvery'), t('pw.appEveryHint'))}
        {num('parallelism', t('protect.parallelism'), t('pw.parallelismHint'))}
      </div>
      {hv && (
        <p className="muted" role="status">
          {t('pw.hvPolicy', {
            count: hvCount,
            every: formatDuration(hv.frequencySec),
            points: hv.recoveryHistory,
            hours: hv.vssFrequencyHours,
          })}
        </p>
      )}
      <h3>{t('pw.bootOrder')}</h3>
      <p className="muted">{t('pw.bootIntro', { groups: groups.join(', ') })}</p>
      <table className="table" aria-label={t('pw.bootOrder')}>
        <thead>
          <tr>
            <th scope="col">{t('pw.col.machine')}</th>
            <th scope="col">{t('pw.bootGroup')}</th>
            <th scope="col">{t('pw.waitsFor')}</th>
          </tr>
        </thead>
        <tbody>
          {[...draft.vms]
            .sort(
              (a, b) => machineOf(draft, a).bootGroup - machineOf(draft, b).bootGroup || a.localeCompare(b),
            )
            .map((vm) => {
              const m = machineOf(draft, vm);
              const mine = issues.filter((i) => i.field === `machine:${vm}`);
              return (
                <tr
                  key={vm}
                  draggable
                  className="boot-row"
                  onDragStart={(e) => e.dataTransfer.setData('text/plain', vm)}
                  onDragOver={(e) => e.preventDefault()}
                  onDrop={(e) => {
                    e.preventDefault();
                    const moved = e.dataTransfer.getData('text/plain');
                    if (moved && moved !== vm && draft.vms.includes(moved))
                      setMachine(moved, { ...machineOf(draft, moved), bootGroup: m.bootGroup });
                  }}
                >
                  <td>
                    <span className="drag-handle" aria-hidden="true">
                      ⋮⋮
                    </span>{' '}
                    {vm}
                    {mine.map((i) => (
                      <div key={i.message} className="field-error small">
                        ✕ {i.message}
                      </div>
                    ))}
                  </td>
                  <td className="boot-group">
                    <button
                      type="button"
                      className="btn btn-small"
                      aria-label={t('pw.bootEarlier', { vm })}
                      disabled={m.bootGroup <= 1}
                      onClick={() => setMachine(vm, { ...m, bootGroup: m.bootGroup - 1 })}
                    >
                      −
                    </button>
                    <span>{m.bootGroup}</span>
                    <button
                      type="button"
                      className="btn btn-small"
                      aria-label={t('pw.bootLater', { vm })}
                      disabled={m.bootGroup >= 100}
                      onClick={() => setMachine(vm, { ...m, bootGroup: m.bootGroup + 1 })}
                    >
                      +
                    </button>
                  </td>
                  <td>
                    <select
                      multiple
                      className="input depends"
                      aria-label={t('pw.waitsForOf', { vm })}
                      value={m.dependsOn}
                      size={Math.min(3, Math.max(2, draft.vms.length - 1))}
                      onChange={(e) =>
                        setMachine(vm, { ...m, dependsOn: [...e.target.selectedOptions].map((o) => o.value) })
                      }
                    >
                      {draft.vms
                        .filter((o) => o !== vm)
                        .map((o) => (
                          <option key={o}>{o}</option>
                        ))}
                    </select>
                  </td>
                </tr>
              );
            })}
        </tbody>
      </table>
      <IssueList issues={issues.filter((i) => i.field === 'machines')} label={t('pw.bootProblems')} />
    </div>
  );
}

/** Validates on the server, saves the plan (readiness is checked on a stored plan), then checks it. */
function ReadinessStep({ draft, ctx, nav }: { draft: ProtectDraft; ctx: ProtectContext; nav: ReactNode }) {
  const w = useWizard();
  useT();
  const active = w.active!;
  const [validation, setValidation] = useState<PlanValidation | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const plan = protectPlan(draft, ctx);
  const name = plan.name;
  const { checkReadiness } = w;
  // One save at a time: a second one started before the first stored the plan would apply with
  // a stale expectUpdatedAt and be refused ("changed since you reviewed it").
  const busy = useRef(false);
  const run = async () => {
    if (busy.current) return;
    busy.current = true;
    setSaving(true);
    setError(null);
    const api = useConsole.getState().api!;
    try {
      const v = await api['plans:validate']({ connectionId: active.connectionId, plan });
      setValidation(v);
      if (!v.valid) return;
      if (active.plan && active.plan !== name)
        await api['plans:remove']({ connectionId: active.connectionId, plan: active.plan }).catch(
          () => undefined,
        );
      await api['plans:apply']({
        connectionId: active.connectionId,
        plan,
        expectUpdatedAt: active.plan === name ? v.currentUpdatedAt : null,
      });
      useWizard.setState({ active: { ...active, plan: name } });
      void useConsole.getState().loadProtection();
      await checkReadiness('protect');
    } catch (err) {
      setError(errorText(err));
    } finally {
      busy.current = false;
      setSaving(false);
    }
  };
  // Entering the step checks once; a changed choice drops the report and checks again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: run once per report reset
  useEffect(() => {
    if (!w.readiness.data && !w.readiness.loading && !saving && !validation) void run();
  }, [w.readiness.data]);
  const serverIssues = validation?.issues ?? [];
  const report = w.readiness.data;
  const failed = report ? !report.ready : true;
  return (
    <div className="wizard-fields">
      <p className="muted">
        <Trans
          k={w.active?.edit ? 'pe.checkStored' : 'pw.checkSaves'}
          values={{ name: <strong>{name}</strong> }}
        />
      </p>
      {saving && <Busy>{t('pw.savingChecking', { name })}</Busy>}
      {error && (
        <div className="state state-error" role="alert">
          <p className="state-message">{error}</p>
        </div>
      )}
      {serverIssues.length > 0 && (
        <section aria-label={t('pw.planProblems')} className="card-inset">
          <strong>{validation?.valid ? t('pw.serverNotes') : t('pw.serverRefuses')}</strong>
          <ul className="issue-list">
            {serverIssues.map((i) => (
              <li key={`${i.path}:${i.message}`} className={`field-${i.severity}`}>
                {i.severity === 'error' ? '✕ ' : '⚠ '}
                {tServer(i.message, i.messageWords)}{' '}
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => w.goTo(stepOfPlanPath(i.path))}
                >
                  {t('pw.goTo', { step: protectSteps()[stepOfPlanPath(i.path)] ?? '' })}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {(report || w.readiness.loading || w.readiness.error) && (
        <ReadinessPanel
          report={report}
          loading={w.readiness.loading || saving}
          error={w.readiness.error}
          onRecheck={() => void run()}
        />
      )}
      <div className="wizard-nav">
        {nav}
        <span className="spacer" />
        {report && failed && (
          <span className="wizard-blocked" id="wizard-blocked">
            {t('pw.fixFailed')}
          </span>
        )}
        {validation && !validation.valid && (
          <span className="wizard-blocked" id="wizard-blocked">
            {t('pw.fixPlan')}
          </span>
        )}
        <button type="button" className="btn" onClick={() => w.goTo(w.step - 1)}>
          {t('common.back')}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={!report?.ready}
          aria-describedby={report && failed ? 'wizard-blocked' : undefined}
          onClick={() => w.goTo(w.step + 1)}
        >
          {t('pw.nextDryRun')}
        </button>
      </div>
    </div>
  );
}

function ProtectDryRun({ nav }: { nav: ReactNode }) {
  const w = useWizard();
  const { job, error, retry } = useDryRun(true, 'protect', {});
  useT();
  return (
    <div className="wizard-fields">
      <p className="muted">{t('pw.dryRunIntro')}</p>
      <DryRunPanel job={job} error={error} />
      <div className="wizard-nav">
        {nav}
        <span className="spacer" />
        {(error || job?.state === 'failed') && (
          <button type="button" className="btn" onClick={retry}>
            {t('pw.dryRunAgain')}
          </button>
        )}
        <button type="button" className="btn" onClick={() => w.goTo(w.step - 1)}>
          {t('common.back')}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={!dryRunDone(job)}
          onClick={() => w.goTo(w.step + 1)}
        >
          {t('pw.nextRun')}
        </button>
      </div>
    </div>
  );
}

function ProtectRun({
  planName,
  summary,
  risk,
  nav,
}: {
  planName: string;
  summary: string;
  risk: string;
  nav: ReactNode;
}) {
  const w = useWizard();
  const { run, busy, error } = useRunJob('protect', {});
  useT();
  return (
    <div className="wizard-fields">
      <ConfirmRun
        planName={planName}
        runLabel={t('pw.protectNow')}
        busy={busy}
        error={error}
        onRun={() => void run()}
        risk={
          <>
            <p>
              <strong>{t('pw.risk1', { summary })}</strong>
            </p>
            <p>{risk}</p>
          </>
        }
      />
      <div className="wizard-nav">
        {nav}
        <span className="spacer" />
        <button type="button" className="btn" onClick={() => w.goTo(w.step - 1)}>
          {t('common.back')}
        </button>
      </div>
    </div>
  );
}

/**
 * Where Hyper-V machines replicate to: the target site's Hyper-V Replica server, which Siteshift
 * takes (a plan names the site, the server picks its one Hyper-V host) rather than asks for; the
 * replica is stored in that server's default storage location, which readiness checks.
 */
function ReplicaServer({
  draft,
  ctx,
  issues,
  count,
}: {
  draft: ProtectDraft;
  ctx: ProtectContext;
  issues: FieldIssue[];
  count: number;
}) {
  useT();
  const mine = issues.filter((i) => i.field === 'replicaServer');
  const hosts = ctx.target?.hypervHosts ?? [];
  return (
    <section className="card-inset" aria-labelledby="replicaServer-title">
      <h3 id="replicaServer-title">{t('pw.replicaServer')}</h3>
      <p className="muted">{t('pw.replicaIntro', { count, site: draft.targetSite })}</p>
      {hosts.length > 0 && (
        <ul className="plain-list">
          {hosts.map((h) => (
            <li key={`${h.endpoint}:${h.name}`}>
              <strong>{h.name}</strong>{' '}
              {h.replicaServer.enabled
                ? t('pw.replicaAccepts', {
                    auth: h.replicaServer.auth ?? '—',
                    port: h.replicaServer.port ?? '—',
                  })
                : t('pw.replicaOff')}
            </li>
          ))}
        </ul>
      )}
      <IssueList issues={mine} label={t('pw.replicaProblems')} />
    </section>
  );
}

/** The plan as a YAML file (the format `siteshift plan apply -f` reads), downloaded by the browser. */
function saveAsFile(plan: object & { name: string }) {
  const text = `# Siteshift plan (shared/configserver/plan.schema.json)\n${stringify(plan)}`;
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${plan.name || 'plan'}.yaml`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
