import { useEffect, useMemo, useState } from 'react';
import type {
  MasterTargetCheck,
  MasterTargetConfigureInput,
  MasterTargetSlotUse,
} from '../../../shared/configserver';
import {
  ConfirmRun,
  Field,
  fieldProps,
  ReadinessPanel,
  WizardFrame,
  WizardNav,
} from '../components/wizard/Wizard';
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
  if (!d.site)
    out.push({ field: 'site', severity: 'error', message: 'Choose the receiving site the VM is on.' });
  if (!d.vm)
    out.push({ field: 'vm', severity: 'error', message: 'Choose the VM that becomes the master target.' });
  const name = d.name.trim();
  if (name.length > 100)
    out.push({
      field: 'name',
      severity: 'error',
      message: 'A master target name has at most 100 characters.',
    });
  return out;
}

export function MasterTargetWizard() {
  const w = useWizard();
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
      title="Configure master target"
      subtitle={`${snapshot?.connectionName ?? 'Configuration server'}${draft.vm ? ` · ${draft.vm} on ${draft.site}` : ''}`}
      steps={['Machine', 'Check', 'Dry run', 'Run']}
      step={w.step}
      reached={w.reached}
      onStep={w.goTo}
    >
      {w.step === 0 && (
        <div className="wizard-fields">
          <p className="muted">
            A master target is a VM on the receiving site that holds the replica disks of protected machines:
            4 SCSI controllers × 15 usable units (unit 7 is the controller's), so at most 60 replica disks, of
            one OS family, and their retention. Configuring an existing master target updates it.
          </p>
          <div className="form-grid">
            <Field id="site" label="Site" issues={issues} shown={attempted}>
              <select
                className="input"
                value={draft.site}
                onChange={(e) => patch({ site: e.target.value, vm: '', retentionDatastore: '' })}
                {...fieldProps('site', issues, attempted)}
              >
                <option value="">Choose a site…</option>
                {sites.map((s) => (
                  <option key={s.id}>{s.name}</option>
                ))}
              </select>
            </Field>
            <Field id="vm" label="VM" issues={issues} shown={attempted}>
              <select
                className="input"
                value={draft.vm}
                onChange={(e) => patch({ vm: e.target.value })}
                {...fieldProps('vm', issues, attempted)}
              >
                <option value="">{choices ? 'Choose a VM…' : 'Reading the site…'}</option>
                {choices?.vms.map((v) => (
                  <option key={v.name} value={v.name}>
                    {v.name} ({v.osFamily === 'windows' ? 'Windows' : 'Linux'},{' '}
                    {v.powerState === 'poweredOn' ? 'on' : 'off'})
                  </option>
                ))}
              </select>
            </Field>
            <Field
              id="name"
              label="Master target name"
              issues={issues}
              shown={attempted}
              hint="Plans name it; default: the VM name."
            >
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
              label="OS family"
              issues={issues}
              shown={attempted}
              hint="Default: read from the guest OS."
            >
              <select
                className="input"
                value={draft.osFamily}
                onChange={(e) => patch({ osFamily: e.target.value as MasterTargetDraft['osFamily'] })}
                {...fieldProps('osFamily', issues, attempted)}
              >
                <option value="">From the guest OS</option>
                <option value="windows">Windows</option>
                <option value="linux">Linux</option>
              </select>
            </Field>
            <Field
              id="retentionDatastore"
              label="Retention datastore"
              issues={issues}
              shown={attempted}
              hint="Holds the recovery points; default: the datastore of the VM's first disk."
            >
              <select
                className="input"
                value={draft.retentionDatastore}
                onChange={(e) => patch({ retentionDatastore: e.target.value })}
                {...fieldProps('retentionDatastore', issues, attempted)}
              >
                <option value="">The VM's first disk's</option>
                {choices?.datastores.map((d) => (
                  <option key={d.name} value={d.name}>
                    {d.name} ({gib(d.freeBytes)} free)
                  </option>
                ))}
              </select>
            </Field>
            <Field
              id="controllers"
              label="SCSI controllers"
              issues={issues}
              shown={attempted}
              hint="Default: those its replica slots need (protect adds more)."
            >
              <select
                className="input"
                value={draft.controllers}
                onChange={(e) => patch({ controllers: e.target.value })}
                {...fieldProps('controllers', issues, attempted)}
              >
                <option value="">As needed</option>
                {[1, 2, 3, 4].map((n) => (
                  <option key={n} value={n}>
                    {n} (buses 0–{n - 1})
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
            blocked={attempted && issues.length ? 'Choose the site and the VM.' : null}
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
            <section aria-label="Changes" className="card-inset">
              <strong>
                {check.data.existing
                  ? `Updates master target ${check.data.existing.name}`
                  : `Registers ${check.data.name}`}
              </strong>
              {check.data.changes.length === 0 ? (
                <span className="muted">Nothing to change.</span>
              ) : (
                <ul>
                  {check.data.changes.map((c) => (
                    <li key={c}>{c}</li>
                  ))}
                </ul>
              )}
            </section>
          )}
          <WizardNav
            onCancel={cancel}
            onBack={() => w.goTo(0)}
            onNext={check.data?.ready ? () => w.goTo(2) : undefined}
            nextLabel="Next: dry run"
            blocked={check.data && !check.data.ready ? 'Fix the failed checks, then check again.' : null}
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

const useWord: Record<MasterTargetSlotUse['use'], string> = {
  controller: 'controller (unit 7)',
  'own-disk': "the VM's own disk",
  replica: 'replica disk',
  free: 'free',
};

/** The 64 SCSI positions, bus by bus: what each holds now. */
function SlotMap({ check }: { check: MasterTargetCheck }) {
  const buses = [0, 1, 2, 3];
  return (
    <section aria-label="Slot map" className="slot-map">
      <div className="readiness-head">
        <strong>Slot map</strong>
        <span className="muted small">
          {check.slotsFree} of 60 replica slots free · controllers:{' '}
          {check.controllers
            .map(
              (c) =>
                `bus ${c.bus} ${c.present ? `present${c.kind ? ` (${c.kind})` : ''}` : c.add ? 'to add' : 'absent'}`,
            )
            .join(' · ')}
        </span>
      </div>
      <table className="slot-table">
        <thead>
          <tr>
            <th scope="col">Bus</th>
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
                    title={`${bus}:${s.unit} ${useWord[s.use]}${s.sourceVmName ? ` of ${s.sourceVmName}` : ''}${s.fileName ? ` — ${s.fileName}` : ''}`}
                  >
                    <span className="sr-only">
                      {useWord[s.use]}
                      {s.sourceVmName ? ` of ${s.sourceVmName}` : ''}
                    </span>
                  </td>
                ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="slot-legend small" aria-hidden="true">
        <span className="slot slot-free" /> free <span className="slot slot-replica" /> replica{' '}
        <span className="slot slot-own-disk" /> own disk <span className="slot slot-controller" /> controller
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
  return (
    <ConfirmRun
      planName={name}
      what="master target name"
      runLabel="Configure now"
      busy={busy}
      error={error}
      onRun={() => void run()}
      risk={
        <p>
          <strong>
            {check?.existing ? 'Update' : 'Register'} {name}
          </strong>{' '}
          ({check?.vm?.name ?? String(input.vm)} on {String(input.site)}).{' '}
          {adds
            ? `${adds} paravirtual SCSI controller${adds === 1 ? ' is' : 's are'} added to the VM, which reconfigures it while it runs.`
            : 'No controller is added.'}{' '}
          Its own disks keep their slots; replica disks of protected machines are not touched.
        </p>
      }
    />
  );
}
