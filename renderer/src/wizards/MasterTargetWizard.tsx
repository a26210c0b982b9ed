import { useEffect, useMemo, useState } from 'react';
import type {
  MasterTargetCheck,
  MasterTargetConfigureInput,
  MasterTargetSlotUse,
} from '../../../shared/configserver';
import type { Worded } from '../../../shared/i18n/worded';
import {
  ConfirmRun,
  Field,
  fieldProps,
  ReadinessPanel,
  WizardFrame,
  WizardNav,
} from '../components/wizard/Wizard';
import { t, tServer, useT } from '../i18n';
import { errorText, useConsole } from '../store';
import { useRunJob } from './common';
import { FailoverDryRun } from './FailoverWizard';
import { type FieldIssue, gib } from './protect-model';
import { siteChoices } from './site';
import { siteKey, useWizard } from './store';

/**
 * Configure master target: a VM of the receiving site → the server's check of it (OS family,
 * power, the 64-position slot map, controllers to add, retention) → dry run → run. The draft is
 * the configure input itself; a changed choice drops the check and the dry run.
 */
export interface MasterTargetDraft {
  site: string;
  vm: string;
  name: string;
  osFamily: '' | 'windows' | 'linux';
  retentionDatastore: string;
  controllers: string;
}

const emptyDraft = (): MasterTargetDraft => ({
  site: '',
  vm: '',
  name: '',
  osFamily: '',
  retentionDatastore: '',
  controllers: '',
});

/** The configure-master-target job's input (shared/configserver/master-target.ts). */
export function configureInput(d: MasterTargetDraft): MasterTargetConfigureInput {
  return {
    site: d.site,
    vm: d.vm,
    ...(d.name.trim() ? { name: d.name.trim() } : {}),
    ...(d.osFamily ? { osFamily: d.osFamily } : {}),
    ...(d.retentionDatastore ? { retentionDatastore: d.retentionDatastore } : {}),
    ...(d.controllers ? { controllers: Number(d.controllers) } : {}),
  };
}

export function masterTargetIssues(d: MasterTargetDraft): FieldIssue[] {
  const out: FieldIssue[] = [];
  if (!d.site) out.push({ field: 'site', severity: 'error', message: t('mt.err.site') });
  if (!d.vm) out.push({ field: 'vm', severity: 'error', message: t('mt.err.vm') });
  const name = d.name.trim();
  if (name.length > 100)
    out.push({
      field: 'name',
      severity: 'error',
      message: t('mt.err.name'),
    });
  return out;
}

export function MasterTargetWizard() {
  const w = useWizard();
  useT();
  const active = w.active!;
  const snapshot = useConsole((s) => s.protection.data?.find((p) => p.connectionId === active.connectionId));
  const sites = snapshot?.sites ?? [];
  const [draft, setDraft] = useState<MasterTargetDraft>(emptyDraft);
  const [check, setCheck] = useState<{
    data: MasterTargetCheck | null;
    loading: boolean;
    error: string | null;
  }>({
    data: null,
    loading: false,
    error: null,
  });
  const [attempted, setAttempted] = useState(false);
  const { loadSite } = w;
  // The receiving site is the usual place for a master target.
  useEffect(() => {
    if (!draft.site && sites.length) {
      const site = sites.find((s) => s.role === 'secondary') ?? sites[0]!;
      setDraft((d) => ({ ...d, site: site.name }));
    }
  }, [draft.site, sites]);
  const entry = draft.site ? w.sites[siteKey(active.connectionId, draft.site)] : undefined;
  useEffect(() => {
    if (draft.site && !entry) void loadSite(active.connectionId, draft.site);
  }, [draft.site, entry, active.connectionId, loadSite]);
  const choices = useMemo(() => (entry?.data ? siteChoices(entry.data) : null), [entry?.data]);
  const patch = (p: Partial<MasterTargetDraft>) => {
    setDraft({ ...draft, ...p });
    setCheck({ data: null, loading: false, error: null });
    useWizard.setState({ dryRunJob: null, reached: w.step });
  };
  const runCheck = async () => {
    setCheck({ data: check.data, loading: true, error: null });
    try {
      const api = useConsole.getState().api!;
      const data = await api['masterTargets:check']({
        connectionId: active.connectionId,
        ...configureInput(draft),
      });
      setCheck({ data, loading: false, error: null });
    } catch (err) {
      setCheck({ data: null, loading: false, error: errorText(err) });
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: checks once each time the step opens without a result
  useEffect(() => {
    if (w.step === 1 && !check.data && !check.loading && !check.error) void runCheck();
  }, [w.step, check]);
  const issues = masterTargetIssues(draft);
  const cancel = () => {
    w.close();
    useConsole.getState().setView('plans');
  };
  const name = check.data?.name ?? (draft.name.trim() || draft.vm);
  const input: Record<string, unknown> = { ...configureInput(draft) };
  return (
    <WizardFrame
      title={t('mt.title')}
      subtitle={
        draft.vm
          ? t('mt.subtitleVm', {
              server: snapshot?.connectionName ?? t('pw.configServer'),
              vm: draft.vm,
              site: draft.site,
            })
          : (snapshot?.connectionName ?? t('pw.configServer'))
      }
      steps={[t('mt.step.machine'), t('mt.step.check'), t('step.dryRun'), t('step.run')]}
      step={w.step}
      reached={w.reached}
      onStep={w.goTo}
    >
      {w.step === 0 && (
        <div className="wizard-fields">
          <p className="muted">{t('mt.intro')}</p>
          <div className="form-grid">
            <Field id="site" label={t('mt.site')} issues={issues} shown={attempted}>
              <select
                className="input"
                value={draft.site}
                onChange={(e) => patch({ site: e.target.value, vm: '', retentionDatastore: '' })}
                {...fieldProps('site', issues, attempted)}
              >
                <option value="">{t('pw.chooseSite')}</option>
                {sites.map((s) => (
                  <option key={s.id}>{s.name}</option>
                ))}
              </select>
            </Field>
            <Field id="vm" label={t('mt.vm')} issues={issues} shown={attempted}>
              <select
                className="input"
                value={draft.vm}
                onChange={(e) => patch({ vm: e.target.value })}
                {...fieldProps('vm', issues, attempted)}
              >
                <option value="">{choices ? t('mt.chooseVm') : t('mt.readingSite')}</option>
                {choices?.vms.map((v) => (
                  <option key={v.name} value={v.name}>
                    {t(v.powerState === 'poweredOn' ? 'mt.vmOption.on' : 'mt.vmOption.off', {
                      name: v.name,
                      family: v.osFamily === 'windows' ? 'Windows' : 'Linux',
                    })}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="name" label={t('mt.name')} issues={issues} shown={attempted} hint={t('mt.nameHint')}>
              <input
                className="input"
                value={draft.name}
                placeholder={draft.vm}
                onChange={(e) => patch({ name: e.target.value })}
                {...fieldProps('name', issues, attempted)}
              />
            </Field>
            <Field
              id="osFamily"
              label={t('mt.osFamily')}
              issues={issues}
              shown={attempted}
              hint={t('mt.osFamilyHint')}
            >
              <select
                className="input"
                value={draft.osFamily}
                onChange={(e) => patch({ osFamily: e.target.value as MasterTargetDraft['osFamily'] })}
                {...fieldProps('osFamily', issues, attempted)}
              >
                <option value="">{t('mt.fromGuest')}</option>
                <option value="windows">Windows</option>
                <option value="linux">Linux</option>
              </select>
            </Field>
            <Field
              id="retentionDatastore"
              label={t('mt.retention')}
              issues={issues}
              shown={attempted}
              hint={t('mt.retentionHint')}
            >
              <select
                className="input"
                value={draft.retentionDatastore}
                onChange={(e) => patch({ retentionDatastore: e.target.value })}
                {...fieldProps('retentionDatastore', issues, attempted)}
              >
                <option value="">{t('mt.firstDisk')}</option>
                {choices?.datastores.map((d) => (
                  <option key={d.name} value={d.name}>
                    {t('pw.dsOption', { name: d.name, free: gib(d.freeBytes) })}
                  </option>
                ))}
              </select>
            </Field>
            <Field
              id="controllers"
              label={t('mt.controllers')}
              issues={issues}
              shown={attempted}
              hint={t('mt.controllersHint')}
            >
              <select
                className="input"
                value={draft.controllers}
                onChange={(e) => patch({ controllers: e.target.value })}
                {...fieldProps('controllers', issues, attempted)}
              >
                <option value="">{t('mt.asNeeded')}</option>
                {[1, 2, 3, 4].map((n) => (
                  <option key={n} value={n}>
                    {t('mt.buses', { n, last: n - 1 })}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          {entry?.error && (
            <div className="state state-error" role="alert">
              {entry.error}
            </div>
          )}
          <WizardNav
            onCancel={cancel}
            onNext={() => {
              setAttempted(true);
              if (!issues.some((i) => i.severity === 'error')) w.goTo(1);
            }}
            blocked={attempted && issues.length ? t('mt.chooseSiteVm') : null}
          />
        </div>
      )}
      {w.step === 1 && (
        <div className="wizard-fields">
          <ReadinessPanel
            report={check.data}
            loading={check.loading}
            error={check.error}
            onRecheck={() => void runCheck()}
          />
          {check.data && <SlotMap check={check.data} />}
          {check.data && (
            <section aria-label={t('mt.changes')} className="card-inset">
              <strong>
                {check.data.existing
                  ? t('mt.updates', { name: check.data.existing.name })
                  : t('mt.registers', { name: check.data.name })}
              </strong>
              {check.data.changes.length === 0 ? (
                <span className="muted">{t('mt.nothing')}</span>
              ) : (
                <ul>
                  {check.data.changes.map((c, i) => (
                    <li key={c}>{tServer(c, changeWords(check.data!)[i])}</li>
                  ))}
                </ul>
              )}
            </section>
          )}
          <WizardNav
            onCancel={cancel}
            onBack={() => w.goTo(0)}
            onNext={check.data?.ready ? () => w.goTo(2) : undefined}
            nextLabel={t('pw.nextDryRun')}
            blocked={check.data && !check.data.ready ? t('pw.fixFailed') : null}
          />
        </div>
      )}
      {w.step === 2 && <FailoverDryRun kind="master-target" input={input} onCancel={cancel} back={1} />}
      {w.step === 3 && (
        <div className="wizard-fields">
          <MasterTargetRun name={name} input={input} check={check.data} />
          <WizardNav onCancel={cancel} onBack={() => w.goTo(2)} />
        </div>
      )}
    </WizardFrame>
  );
}

const slotWord = (use: MasterTargetSlotUse['use']) => t(`mt.use.${use}`);

/** The 64 SCSI positions, bus by bus: what each holds now. */
function SlotMap({ check }: { check: MasterTargetCheck }) {
  const buses = [0, 1, 2, 3];
  useT();
  return (
    <section aria-label={t('mt.slotMap')} className="slot-map">
      <div className="readiness-head">
        <strong>{t('mt.slotMap')}</strong>
        <span className="muted small">
          {t('mt.slotsFree', {
            free: check.slotsFree,
            controllers: check.controllers
              .map((c) =>
                c.present
                  ? c.kind
                    ? t('mt.bus.presentKind', { bus: c.bus, kind: c.kind })
                    : t('mt.bus.present', { bus: c.bus })
                  : t(c.add ? 'mt.bus.add' : 'mt.bus.absent', { bus: c.bus }),
              )
              .join(' · '),
          })}
        </span>
      </div>
      <table className="slot-table">
        <thead>
          <tr>
            <th scope="col">{t('mt.bus')}</th>
            {Array.from({ length: 16 }, (_, u) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: units are positions
              <th scope="col" key={u}>
                {u}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {buses.map((bus) => (
            <tr key={bus}>
              <th scope="row">{bus}</th>
              {check.slots
                .filter((s) => s.controller === bus)
                .sort((a, b) => a.unit - b.unit)
                .map((s) => (
                  <td
                    key={s.unit}
                    className={`slot slot-${s.use}${s.detached ? ' slot-detached' : ''}`}
                    title={`${bus}:${s.unit} ${slotWord(s.use)}${s.sourceVmName ? ` ${t('mt.of', { vm: s.sourceVmName })}` : ''}${s.fileName ? ` — ${s.fileName}` : ''}`}
                  >
                    <span className="sr-only">
                      {slotWord(s.use)}
                      {s.sourceVmName ? ` ${t('mt.of', { vm: s.sourceVmName })}` : ''}
                    </span>
                  </td>
                ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="slot-legend small" aria-hidden="true">
        <span className="slot slot-free" /> {t('mt.legend.free')} <span className="slot slot-replica" />{' '}
        {t('mt.legend.replica')} <span className="slot slot-own-disk" /> {t('mt.legend.own')}{' '}
        <span className="slot slot-controller" /> {t('mt.legend.controller')}
      </div>
    </section>
  );
}

function MasterTargetRun({
  name,
  input,
  check,
}: {
  name: string;
  input: Record<string, unknown>;
  check: MasterTargetCheck | null;
}) {
  const { run, busy, error } = useRunJob('master-target', input);
  const adds = check?.controllers.filter((c) => c.add).length ?? 0;
  useT();
  return (
    <ConfirmRun
      planName={name}
      what={t('mt.what')}
      runLabel={t('mt.run')}
      busy={busy}
      error={error}
      onRun={() => void run()}
      risk={
        <p>
          <strong>{t(check?.existing ? 'mt.risk.update' : 'mt.risk.register', { name })}</strong>{' '}
          {t('mt.risk.where', { vm: check?.vm?.name ?? String(input.vm), site: String(input.site) })}{' '}
          {adds ? t('mt.risk.adds', { count: adds }) : t('mt.risk.noAdd')} {t('mt.risk.keep')}
        </p>
      }
    />
  );
}

/** The words of each change line, when the server sent one for every line (else its English). */
function changeWords(check: MasterTargetCheck): ReadonlyArray<Worded | undefined> {
  return check.changeWords?.length === check.changes.length ? check.changeWords : [];
}
