import { useEffect, useMemo, useState } from 'react';
import type { Pair, Plan, RecoveryPoint } from '../../../shared/configserver';
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
import { errorText, useConsole } from '../store';
import { dryRunDone, useDryRun, useRunJob } from './common';
import type { FieldIssue } from './protect-model';
import { pairsOfPlan, planIssues, pointFor, pointInput, stateSummary } from './recovery-model';
import { siteChoices } from './site';
import { type FailoverDraft, siteKey, useWizard, type WizardKind } from './store';

type FailoverKind = 'test' | 'planned' | 'unplanned';

const titles: Record<FailoverKind, string> = {
  test: 'Test failover',
  planned: 'Planned failover',
  unplanned: 'Unplanned failover',
};

export function FailoverWizard() {
  const w = useWizard();
  const active = w.active!;
  const kind = active.kind as FailoverKind;
  const snapshot = useConsole((s) => s.protection.data?.find((p) => p.connectionId === active.connectionId));
  const plans = snapshot?.plans ?? [];
  const plan = plans.find((p) => p.name === active.plan);
  const pairs = pairsOfPlan(snapshot?.pairs ?? [], plan);
  const points = useRecoveryPoints(active.connectionId, kind === 'planned' ? [] : pairs, w.step === 1);
  const sourceSite = plan?.source.site;
  const sourceEntry = sourceSite ? w.sites[siteKey(active.connectionId, sourceSite)] : undefined;
  const { loadSite } = w;
  useEffect(() => {
    if (kind === 'unplanned' && sourceSite && !sourceEntry) void loadSite(active.connectionId, sourceSite);
  }, [kind, sourceSite, sourceEntry, active.connectionId, loadSite]);
  const running = useMemo(() => {
    if (!sourceEntry?.data || !plan) return null;
    const choices = siteChoices(sourceEntry.data);
    if (choices.unread.length && choices.vms.length === 0) return null;
    const on = new Set(choices.vms.filter((v) => v.powerState === 'poweredOn').map((v) => v.name));
    return plan.machines.map((m) => m.vm).filter((n) => on.has(n));
  }, [sourceEntry?.data, plan]);

  const steps = ['Plan', kind === 'planned' ? 'Shutdown' : 'Recovery point', 'Readiness', 'Dry run', 'Run'];
  const [attempted, setAttempted] = useState<Record<number, boolean>>({});
  const d = w.failover;
  const issues: FieldIssue[] =
    w.step === 0
      ? planIssues(kind, plan, pairs)
      : w.step === 1
        ? optionIssues(kind, d, pairs, points.data, running)
        : [];
  const errors = issues.filter((i) => i.severity === 'error');
  const shown = attempted[w.step] === true;
  const next = () => {
    setAttempted({ ...attempted, [w.step]: true });
    if (errors.length === 0) w.goTo(w.step + 1);
  };
  const cancel = () => {
    w.close();
    useConsole.getState().setView('plans');
  };
  const input: Record<string, unknown> =
    kind === 'planned'
      ? { shutdownTimeoutSec: Number(d.shutdownTimeoutSec) }
      : kind === 'test'
        ? { point: pointInput(d) }
        : { point: pointInput(d), acceptSplitBrain: d.acceptSplitBrain };
  const blocked =
    shown && errors.length ? `${errors.length} thing${errors.length === 1 ? '' : 's'} to fix above` : null;
  return (
    <WizardFrame
      title={titles[kind]}
      subtitle={`${snapshot?.connectionName ?? 'Configuration server'}${plan ? ` · plan ${plan.name}: ${plan.source.site} → ${plan.target.site}` : ''}`}
      steps={steps}
      step={w.step}
      reached={w.reached}
      onStep={w.goTo}
    >
      {w.step === 0 && (
        <div className="wizard-fields">
          <p className="muted">{explain(kind, plan)}</p>
          <div className="form-grid">
            <PlanField plans={plans} value={active.plan} onChange={w.setPlan} issues={issues} shown={shown} />
            {kind !== 'test' && (
              <fieldset className="pref-choice">
                <legend>Kind of failover</legend>
                <label className="pref-check">
                  <input
                    type="radio"
                    name="kind"
                    checked={kind === 'planned'}
                    onChange={() => w.setKind('planned')}
                  />
                  Planned: the source site is up; shut it down first, no data loss
                </label>
                <label className="pref-check">
                  <input
                    type="radio"
                    name="kind"
                    checked={kind === 'unplanned'}
                    onChange={() => w.setKind('unplanned')}
                  />
                  Unplanned: the source site is lost; recover to a recovery point
                </label>
              </fieldset>
            )}
          </div>
          {plan && (
            <p>
              <strong>{pairs.length}</strong> machine{pairs.length === 1 ? '' : 's'}: {stateSummary(pairs)}
            </p>
          )}
          <WizardNav onCancel={cancel} onNext={next} blocked={blocked} />
        </div>
      )}
      {w.step === 1 && (
        <div className="wizard-fields">
          {kind === 'planned' ? (
            <ShutdownStep d={d} issues={issues} shown={shown} />
          ) : (
            <PointStep
              kind={kind}
              d={d}
              issues={issues}
              shown={shown}
              points={points.data}
              loading={points.loading}
              error={points.error}
              pairs={pairs}
              running={running}
              sourceError={sourceEntry?.error ?? null}
            />
          )}
          <WizardNav onCancel={cancel} onBack={() => w.goTo(0)} onNext={next} blocked={blocked} />
        </div>
      )}
      {w.step === 2 && <FailoverReadiness kind={kind} onCancel={cancel} />}
      {w.step === 3 && <FailoverDryRun kind={kind} input={input} onCancel={cancel} />}
      {w.step === 4 && plan && (
        <div className="wizard-fields">
          <FailoverRun kind={kind} plan={plan} pairs={pairs} input={input} d={d} />
          <WizardNav onCancel={cancel} onBack={() => w.goTo(3)} />
        </div>
      )}
    </WizardFrame>
  );
}

function explain(kind: FailoverKind, plan: Plan | undefined): string {
  const where = plan ? ` on ${plan.target.site}` : '';
  if (kind === 'test')
    return `A test failover starts copies of the replicas${where} on the plan's isolated test network. Replication goes on and production is not touched; clean up afterwards.`;
  if (kind === 'planned')
    return `A planned failover shuts the source machines down, sends their last changes and starts them${where}: no data loss, and production moves.`;
  return `An unplanned failover leaves the source site alone (it is assumed lost) and starts the machines${where} from a recovery point: changes after that point are lost.`;
}

function optionIssues(
  kind: FailoverKind,
  d: FailoverDraft,
  pairs: Pair[],
  points: Map<string, RecoveryPoint[]> | null,
  running: string[] | null,
): FieldIssue[] {
  const out: FieldIssue[] = [];
  if (kind === 'planned') {
    const n = Number(d.shutdownTimeoutSec);
    if (!Number.isInteger(n) || n < 10 || n > 3600)
      out.push({
        field: 'shutdownTimeoutSec',
        severity: 'error',
        message: 'Shutdown wait: a whole number of seconds between 10 and 3600.',
      });
    return out;
  }
  if (d.point === 'time' && (!d.time || Number.isNaN(Date.parse(d.time))))
    out.push({ field: 'time', severity: 'error', message: 'Give the date and time to recover to.' });
  else if (d.point === 'time' && Date.parse(d.time) > Date.now())
    out.push({
      field: 'time',
      severity: 'warning',
      message: 'That time is in the future: the latest point is used.',
    });
  if (d.point === 'tag' && !d.tag)
    out.push({ field: 'tag', severity: 'error', message: 'Choose the tag to recover to.' });
  if (points && !(d.point === 'time' && !d.time) && !(d.point === 'tag' && !d.tag)) {
    const none = pairs.filter((p) => !pointFor(points.get(p.id) ?? [], d)).map((p) => p.sourceVmName);
    if (none.length)
      out.push({
        field: 'point',
        severity: 'error',
        message: `${none.slice(0, 5).join(', ')}${none.length > 5 ? ` and ${none.length - 5} more` : ''} ${
          none.length === 1 ? 'has' : 'have'
        } ${
          d.point === 'latest'
            ? 'no recovery point yet: wait for the first one (this list refreshes every 10 s).'
            : d.point === 'latest-app'
              ? 'no app-consistent recovery point yet: choose Latest, or wait for one.'
              : d.point === 'time'
                ? 'no recovery point at or before that time: choose a later time.'
                : 'no recovery point with that tag: choose another tag or another kind of point.'
        }`,
      });
  }
  if (kind === 'unplanned' && running && running.length > 0 && !d.acceptSplitBrain)
    out.push({
      field: 'acceptSplitBrain',
      severity: 'error',
      message: `Split brain: ${running.join(', ')} still ${running.length === 1 ? 'runs' : 'run'} on the source site. Shut ${
        running.length === 1 ? 'it' : 'them'
      } down and run a planned failover, or accept the split brain below.`,
    });
  return out;
}

function ShutdownStep({ d, issues, shown }: { d: FailoverDraft; issues: FieldIssue[]; shown: boolean }) {
  const patch = useWizard((s) => s.patchFailover);
  return (
    <>
      <p className="muted">
        Each source machine gets a guest shutdown; one still running after this wait is powered off. Then the
        last changes are sent and the replicas take over: no data is lost.
      </p>
      <div className="form-grid">
        <Field id="shutdownTimeoutSec" label="Shutdown wait (seconds)" issues={issues} shown={shown}>
          <input
            className="input"
            inputMode="numeric"
            value={d.shutdownTimeoutSec}
            onChange={(e) => patch({ shutdownTimeoutSec: e.target.value })}
            {...fieldProps('shutdownTimeoutSec', issues, shown)}
          />
        </Field>
      </div>
    </>
  );
}

/**
 * Recovery points of the plan's pairs, loaded a few at a time, and again every 10 s while the
 * step is open: agents keep adding points, and a machine without one yet gets its first.
 */
function useRecoveryPoints(connectionId: string, pairs: Pair[], live: boolean) {
  const ids = pairs.map((p) => p.id).join(',');
  const [state, setState] = useState<{
    data: Map<string, RecoveryPoint[]> | null;
    loading: boolean;
    error: string | null;
  }>({ data: null, loading: false, error: null });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => setRound((r) => r + 1), 10_000);
    return () => clearInterval(t);
  }, [live]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: round asks for a fresh read
  useEffect(() => {
    if (!ids) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: s.data === null, error: null }));
    const api = useConsole.getState().api!;
    const list = ids.split(',');
    const out = new Map<string, RecoveryPoint[]>();
    let next = 0;
    const worker = async () => {
      while (next < list.length) {
        const id = list[next++]!;
        out.set(
          id,
          await api['pairs:recoveryPoints']({ connectionId, pairId: id }, { signal: controller.signal }),
        );
      }
    };
    Promise.all(Array.from({ length: Math.min(6, list.length) }, worker)).then(
      () => setState({ data: out, loading: false, error: null }),
      (err: unknown) => {
        if (!controller.signal.aborted) setState((s) => ({ ...s, loading: false, error: errorText(err) }));
      },
    );
    return () => controller.abort();
  }, [connectionId, ids, round]);
  return state;
}

const choices: Array<{ value: FailoverDraft['point']; label: string }> = [
  { value: 'latest', label: 'Latest: the newest point of each machine (least data lost)' },
  {
    value: 'latest-app',
    label: 'Latest app-consistent: the newest point taken with the applications quiesced',
  },
  { value: 'time', label: 'At a time: the newest point at or before a moment (before a corruption)' },
  { value: 'tag', label: 'By tag: a point tagged by an operator or a script' },
];

function PointStep({
  kind,
  d,
  issues,
  shown,
  points,
  loading,
  error,
  pairs,
  running,
  sourceError,
}: {
  kind: FailoverKind;
  d: FailoverDraft;
  issues: FieldIssue[];
  shown: boolean;
  points: Map<string, RecoveryPoint[]> | null;
  loading: boolean;
  error: string | null;
  pairs: Pair[];
  running: string[] | null;
  sourceError: string | null;
}) {
  const patch = useWizard((s) => s.patchFailover);
  const all = points ? [...points.values()].flat() : [];
  const tags = [...new Set(all.flatMap((p) => (p.tag ? [p.tag] : [])))].sort();
  const chosen = points ? pairs.map((p) => ({ pair: p, point: pointFor(points.get(p.id) ?? [], d) })) : [];
  return (
    <>
      <fieldset className="pref-choice">
        <legend>Recover to</legend>
        {choices.map((c) => (
          <label key={c.value} className="pref-check">
            <input
              type="radio"
              name="point"
              checked={d.point === c.value}
              onChange={() => patch({ point: c.value })}
            />
            {c.label}
          </label>
        ))}
      </fieldset>
      <div className="form-grid">
        {d.point === 'time' && (
          <Field id="time" label="Recover to the newest point at or before" issues={issues} shown={shown}>
            <input
              className="input"
              type="datetime-local"
              step={1}
              value={d.time}
              onChange={(e) => patch({ time: e.target.value })}
              {...fieldProps('time', issues, shown)}
            />
          </Field>
        )}
        {d.point === 'tag' && (
          <Field id="tag" label="Tag" issues={issues} shown={shown}>
            <select
              className="input"
              value={d.tag}
              onChange={(e) => patch({ tag: e.target.value })}
              {...fieldProps('tag', issues, shown)}
            >
              <option value="">{tags.length ? 'Choose a tag…' : 'No point of this plan has a tag'}</option>
              {tags.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </Field>
        )}
      </div>
      {loading && (
        <div className="state state-loading" role="status">
          <span className="spinner" aria-hidden="true" /> Reading the recovery points…
        </div>
      )}
      {error && (
        <div className="state state-error" role="alert">
          {error}
        </div>
      )}
      {points && (
        <Timeline
          points={all}
          chosen={chosen.flatMap((c) => (c.point ? [c.point] : []))}
          onPick={(at) => patch({ point: 'time', time: toLocalInput(at) })}
        />
      )}
      {points && (
        <table className="table" aria-label="Chosen recovery points">
          <thead>
            <tr>
              <th scope="col">Machine</th>
              <th scope="col">Recovery point</th>
              <th scope="col">Kind</th>
            </tr>
          </thead>
          <tbody>
            {chosen.slice(0, 200).map(({ pair, point }) => (
              <tr key={pair.id}>
                <td>{pair.sourceVmName}</td>
                <td>
                  {point ? (
                    new Date(point.at).toLocaleString()
                  ) : (
                    <span className="field-error">none matches</span>
                  )}
                </td>
                <td>
                  {point
                    ? `${point.consistency === 'app' ? 'app-consistent' : 'crash-consistent'}${point.tag ? ` · ${point.tag}` : ''}`
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <IssueList issues={issues.filter((i) => i.field === 'point')} label="Recovery point problems" />
      {kind === 'unplanned' && (
        <section aria-label="Split brain" className="split-brain">
          {running === null && (
            <p className="muted">
              {sourceError
                ? `The source site cannot be read (${sourceError}): whether its machines still run is unknown.`
                : 'Looking at the source site for machines still running…'}
            </p>
          )}
          {running && running.length === 0 && (
            <p className="muted">No machine of the plan runs on the source site.</p>
          )}
          {running && running.length > 0 && (
            <div className="banner banner-danger" role="alert">
              <p>
                <strong>Split brain risk.</strong> {running.join(', ')} still{' '}
                {running.length === 1 ? 'runs' : 'run'} on the source site. Two copies would serve users and
                write diverging data; the source copies keep writing after the recovery point.
              </p>
              <label className="pref-check">
                <input
                  type="checkbox"
                  checked={d.acceptSplitBrain}
                  onChange={(e) => patch({ acceptSplitBrain: e.target.checked })}
                  {...fieldProps('acceptSplitBrain', issues, shown)}
                />
                I accept the split brain and will isolate the source machines myself
              </label>
              <IssueList
                issues={issues.filter((i) => i.field === 'acceptSplitBrain' && shown)}
                label="Split brain problems"
              />
            </div>
          )}
        </section>
      )}
    </>
  );
}

const toLocalInput = (iso: string) => {
  const t = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}T${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
};

/** Every recovery point of the plan on one time axis: tall marks app-consistent, short crash-consistent. */
function Timeline({
  points,
  chosen,
  onPick,
}: {
  points: RecoveryPoint[];
  chosen: RecoveryPoint[];
  onPick: (at: string) => void;
}) {
  if (points.length === 0)
    return <p className="field-error">No machine of this plan has a recovery point yet.</p>;
  const times = points.map((p) => Date.parse(p.at));
  const min = Math.min(...times);
  const max = Math.max(...times);
  const span = Math.max(1, max - min);
  const x = (at: string) => ((Date.parse(at) - min) / span) * 100;
  const app = points.filter((p) => p.consistency === 'app').length;
  const oldestChosen = chosen.length ? chosen.reduce((a, b) => (a.at < b.at ? a : b)) : null;
  return (
    <figure className="timeline">
      <figcaption className="small">
        {points.length.toLocaleString()} points from {new Date(min).toLocaleString()} to{' '}
        {new Date(max).toLocaleTimeString()} · {app.toLocaleString()} app-consistent
        {oldestChosen
          ? ` · the oldest chosen point is ${new Date(oldestChosen.at).toLocaleTimeString()}`
          : ''}
        . Click the line to recover to that moment.
      </figcaption>
      {/* A pointer shortcut only: the same choice is the "At a time" field above. */}
      <div
        className="timeline-track"
        aria-hidden="true"
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          onPick(new Date(min + ((e.clientX - r.left) / r.width) * span).toISOString());
        }}
      >
        {points.slice(-2000).map((p) => (
          <span
            key={p.id}
            className={`tick tick-${p.consistency}${p.tag ? ' tick-tag' : ''}`}
            style={{ left: `${x(p.at)}%` }}
          />
        ))}
        {chosen.map((p) => (
          <span key={`c-${p.id}`} className="tick tick-chosen" style={{ left: `${x(p.at)}%` }} />
        ))}
      </div>
    </figure>
  );
}

function FailoverReadiness({ kind, onCancel }: { kind: FailoverKind; onCancel: () => void }) {
  const w = useWizard();
  const { checkReadiness } = w;
  useEffect(() => {
    if (!w.readiness.data && !w.readiness.loading && !w.readiness.error) void checkReadiness(kind);
  }, [w.readiness, checkReadiness, kind]);
  const report = w.readiness.data;
  return (
    <div className="wizard-fields">
      <ReadinessPanel
        report={report}
        loading={w.readiness.loading}
        error={w.readiness.error}
        onRecheck={() => void checkReadiness(kind)}
      />
      <WizardNav
        onCancel={onCancel}
        onBack={() => w.goTo(1)}
        onNext={report?.ready ? () => w.goTo(3) : undefined}
        nextLabel="Next: dry run"
        blocked={report && !report.ready ? 'Fix the failed checks, then check again.' : null}
      />
    </div>
  );
}

export function FailoverDryRun({
  kind,
  input,
  onCancel,
  back = 2,
}: {
  kind: WizardKind;
  input: Record<string, unknown>;
  onCancel: () => void;
  back?: number;
}) {
  const w = useWizard();
  const { job, error, retry } = useDryRun(true, kind, input);
  return (
    <div className="wizard-fields">
      <p className="muted">
        The dry run goes through every step against the live sites and lists what it would change; it changes
        nothing.
      </p>
      <DryRunPanel job={job} error={error} />
      <WizardNav
        onCancel={onCancel}
        onBack={() => w.goTo(back)}
        onNext={dryRunDone(job) ? () => w.goTo(back + 2) : undefined}
        nextLabel="Next: run"
        blocked={error || job?.state === 'failed' ? 'The dry run must succeed first.' : null}
        extra={
          error || job?.state === 'failed' ? (
            <button type="button" className="btn" onClick={retry}>
              Run the dry run again
            </button>
          ) : undefined
        }
      />
    </div>
  );
}

function FailoverRun({
  kind,
  plan,
  pairs,
  input,
  d,
}: {
  kind: FailoverKind;
  plan: Plan;
  pairs: Pair[];
  input: Record<string, unknown>;
  d: FailoverDraft;
}) {
  const { run, busy, error } = useRunJob(kind, input);
  const n = `${pairs.length} machine${pairs.length === 1 ? '' : 's'}`;
  const point =
    d.point === 'latest'
      ? 'the latest point of each machine'
      : d.point === 'latest-app'
        ? 'the latest app-consistent point of each machine'
        : d.point === 'time'
          ? `the newest point at or before ${new Date(d.time).toLocaleString()}`
          : `the points tagged ${d.tag}`;
  const risk =
    kind === 'test' ? (
      <p>
        <strong>Test failover of {n}</strong> on {plan.target.site}, from {point}, on the isolated network{' '}
        {plan.target.testNetwork ?? '(none set)'}. Replication goes on; production is not touched. Clean up
        when the test is done.
      </p>
    ) : kind === 'planned' ? (
      <p>
        <strong>Planned failover of {n}.</strong> The source machines on {plan.source.site} are shut down
        (powered off after {d.shutdownTimeoutSec} s) and users lose them until the recovered machines on{' '}
        {plan.target.site} are up. No data is lost. Afterwards commit or roll back.
      </p>
    ) : (
      <p>
        <strong>Unplanned failover of {n}</strong> to {plan.target.site} from {point}: every change made after
        that point is lost.
        {d.acceptSplitBrain ? ' You accepted a split brain: isolate the source machines that still run.' : ''}{' '}
        Afterwards commit or roll back.
      </p>
    );
  return (
    <ConfirmRun
      planName={plan.name}
      runLabel={`Start ${titles[kind].toLowerCase()}`}
      busy={busy}
      error={error}
      onRun={() => void run()}
      risk={risk}
    />
  );
}

/** The plan chooser that opens every recovery wizard (failover, cleanup, commit, rollback, reprotect, failback). */
export function PlanField({
  plans,
  value,
  onChange,
  issues,
  shown,
}: {
  plans: readonly Plan[];
  value: string;
  onChange: (plan: string) => void;
  issues: FieldIssue[];
  shown: boolean;
}) {
  return (
    <Field id="plan" label="Plan" issues={issues} shown={shown}>
      <select
        className="input"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...fieldProps('plan', issues, shown)}
      >
        <option value="">Choose a plan…</option>
        {plans.map((p) => (
          <option key={p.id}>{p.name}</option>
        ))}
      </select>
    </Field>
  );
}
