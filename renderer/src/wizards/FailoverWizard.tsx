import { useEffect, useMemo, useState } from 'react';
import type { Pair, Plan, RecoveryPoint } from '../../../shared/configserver';
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
import { t, useT } from '../i18n';
import { formatDateTime, formatTime } from '../i18n/format';
import { errorText, useConsole } from '../store';
import { dryRunDone, useDryRun, useRunJob } from './common';
import type { FieldIssue } from './protect-model';
import { pairsOfPlan, planIssues, pointFor, pointInput, stateSummary } from './recovery-model';
import { siteChoices } from './site';
import { type FailoverDraft, siteKey, useWizard, type WizardKind } from './store';

type FailoverKind = 'test' | 'planned' | 'unplanned';

export function FailoverWizard() {
  const w = useWizard();
  useT();
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

  const steps = [
    t('fw.step.plan'),
    kind === 'planned' ? t('fw.step.shutdown') : t('fw.step.point'),
    t('step.readiness'),
    t('step.dryRun'),
    t('step.run'),
  ];
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
  const blocked = shown && errors.length ? t('pw.toFix', { count: errors.length }) : null;
  const server = snapshot?.connectionName ?? t('pw.configServer');
  return (
    <WizardFrame
      title={t(`fw.title.${kind}`)}
      subtitle={
        plan
          ? t('fw.subtitlePlan', {
              server,
              plan: plan.name,
              source: plan.source.site,
              target: plan.target.site,
            })
          : server
      }
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
                <legend>{t('fw.kind')}</legend>
                <label className="pref-check">
                  <input
                    type="radio"
                    name="kind"
                    checked={kind === 'planned'}
                    onChange={() => w.setKind('planned')}
                  />
                  {t('fw.kind.planned')}
                </label>
                <label className="pref-check">
                  <input
                    type="radio"
                    name="kind"
                    checked={kind === 'unplanned'}
                    onChange={() => w.setKind('unplanned')}
                  />
                  {t('fw.kind.unplanned')}
                </label>
              </fieldset>
            )}
          </div>
          {plan && <p>{t('fw.machinesState', { count: pairs.length, summary: stateSummary(pairs) })}</p>}
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
  return t(`fw.explain.${kind}`, { site: plan?.target.site ?? t('fw.targetSite') });
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
        message: t('fw.err.shutdown'),
      });
    return out;
  }
  if (d.point === 'time' && (!d.time || Number.isNaN(Date.parse(d.time))))
    out.push({ field: 'time', severity: 'error', message: t('fw.err.time') });
  else if (d.point === 'time' && Date.parse(d.time) > Date.now())
    out.push({
      field: 'time',
      severity: 'warning',
      message: t('fw.warn.future'),
    });
  if (d.point === 'tag' && !d.tag) out.push({ field: 'tag', severity: 'error', message: t('fw.err.tag') });
  if (points && !(d.point === 'time' && !d.time) && !(d.point === 'tag' && !d.tag)) {
    const none = pairs.filter((p) => !pointFor(points.get(p.id) ?? [], d)).map((p) => p.sourceVmName);
    if (none.length)
      out.push({
        field: 'point',
        severity: 'error',
        message: t(`fw.err.noPoint.${d.point}`, {
          count: none.length,
          names:
            none.length > 5
              ? t('fw.andMore', { names: none.slice(0, 5).join(', '), count: none.length - 5 })
              : none.join(', '),
        }),
      });
  }
  if (kind === 'unplanned' && running && running.length > 0 && !d.acceptSplitBrain)
    out.push({
      field: 'acceptSplitBrain',
      severity: 'error',
      message: t('fw.err.splitBrain', { count: running.length, names: running.join(', ') }),
    });
  return out;
}

function ShutdownStep({ d, issues, shown }: { d: FailoverDraft; issues: FieldIssue[]; shown: boolean }) {
  const patch = useWizard((s) => s.patchFailover);
  useT();
  return (
    <>
      <p className="muted">{t('fw.shutdownIntro')}</p>
      <div className="form-grid">
        <Field id="shutdownTimeoutSec" label={t('fw.shutdownWait')} issues={issues} shown={shown}>
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
    const tick = setInterval(() => setRound((r) => r + 1), 10_000);
    return () => clearInterval(tick);
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

const choices: Array<FailoverDraft['point']> = ['latest', 'latest-app', 'time', 'tag'];

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
  useT();
  const all = points ? [...points.values()].flat() : [];
  const tags = [...new Set(all.flatMap((p) => (p.tag ? [p.tag] : [])))].sort();
  const chosen = points ? pairs.map((p) => ({ pair: p, point: pointFor(points.get(p.id) ?? [], d) })) : [];
  return (
    <>
      <fieldset className="pref-choice">
        <legend>{t('fw.recoverTo')}</legend>
        {choices.map((c) => (
          <label key={c} className="pref-check">
            <input type="radio" name="point" checked={d.point === c} onChange={() => patch({ point: c })} />
            {t(`fw.point.${c}`)}
          </label>
        ))}
      </fieldset>
      <div className="form-grid">
        {d.point === 'time' && (
          <Field id="time" label={t('fw.recoverAt')} issues={issues} shown={shown}>
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
          <Field id="tag" label={t('fw.tag')} issues={issues} shown={shown}>
            <select
              className="input"
              value={d.tag}
              onChange={(e) => patch({ tag: e.target.value })}
              {...fieldProps('tag', issues, shown)}
            >
              <option value="">{tags.length ? t('fw.chooseTag') : t('fw.noTags')}</option>
              {tags.map((tag) => (
                <option key={tag}>{tag}</option>
              ))}
            </select>
          </Field>
        )}
      </div>
      {loading && <Busy>{t('fw.readingPoints')}</Busy>}
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
        <table className="table" aria-label={t('fw.chosenPoints')}>
          <thead>
            <tr>
              <th scope="col">{t('pw.col.machine')}</th>
              <th scope="col">{t('fw.col.point')}</th>
              <th scope="col">{t('fw.col.kind')}</th>
            </tr>
          </thead>
          <tbody>
            {chosen.slice(0, 200).map(({ pair, point }) => (
              <tr key={pair.id}>
                <td>{pair.sourceVmName}</td>
                <td>
                  {point ? (
                    formatDateTime(point.at)
                  ) : (
                    <span className="field-error">{t('fw.noneMatches')}</span>
                  )}
                </td>
                <td>
                  {point
                    ? `${point.consistency === 'app' ? t('fw.app') : t('fw.crash')}${point.tag ? ` · ${point.tag}` : ''}`
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <IssueList issues={issues.filter((i) => i.field === 'point')} label={t('fw.pointProblems')} />
      {kind === 'unplanned' && (
        <section aria-label={t('fw.splitBrain')} className="split-brain">
          {running === null && (
            <p className="muted">
              {sourceError ? t('fw.sourceUnread', { error: sourceError }) : t('fw.lookingSource')}
            </p>
          )}
          {running && running.length === 0 && <p className="muted">{t('fw.noneRunning')}</p>}
          {running && running.length > 0 && (
            <div className="banner banner-danger" role="alert">
              <p>
                <strong>{t('fw.splitRisk')}</strong>{' '}
                {t('fw.splitRiskText', { count: running.length, names: running.join(', ') })}
              </p>
              <label className="pref-check">
                <input
                  type="checkbox"
                  checked={d.acceptSplitBrain}
                  onChange={(e) => patch({ acceptSplitBrain: e.target.checked })}
                  {...fieldProps('acceptSplitBrain', issues, shown)}
                />
                {t('fw.acceptSplit')}
              </label>
              <IssueList
                issues={issues.filter((i) => i.field === 'acceptSplitBrain' && shown)}
                label={t('fw.splitProblems')}
              />
            </div>
          )}
        </section>
      )}
    </>
  );
}

const toLocalInput = (iso: string) => {
  const at = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
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
  if (points.length === 0) return <p className="field-error">{t('fw.noPoints')}</p>;
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
        {t('fw.timeline', {
          count: points.length,
          from: formatDateTime(min),
          to: formatTime(max),
          app,
          oldest: oldestChosen ? t('fw.oldestChosen', { time: formatTime(oldestChosen.at) }) : '',
        })}
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
        nextLabel={t('pw.nextDryRun')}
        blocked={report && !report.ready ? t('pw.fixFailed') : null}
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
  useT();
  return (
    <div className="wizard-fields">
      <p className="muted">{t('fw.dryRunIntro')}</p>
      <DryRunPanel job={job} error={error} />
      <WizardNav
        onCancel={onCancel}
        onBack={() => w.goTo(back)}
        onNext={dryRunDone(job) ? () => w.goTo(back + 2) : undefined}
        nextLabel={t('pw.nextRun')}
        blocked={error || job?.state === 'failed' ? t('fw.dryRunMustSucceed') : null}
        extra={
          error || job?.state === 'failed' ? (
            <button type="button" className="btn" onClick={retry}>
              {t('pw.dryRunAgain')}
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
  useT();
  const n = t('pw.machines', { count: pairs.length });
  const point =
    d.point === 'time'
      ? t('fw.pointWords.time', { time: formatDateTime(d.time) })
      : d.point === 'tag'
        ? t('fw.pointWords.tag', { tag: d.tag })
        : t(`fw.pointWords.${d.point}`);
  const risk =
    kind === 'test' ? (
      <p>
        <strong>{t('fw.risk.test.title', { machines: n })}</strong>{' '}
        {t('fw.risk.test', {
          site: plan.target.site,
          point,
          network: plan.target.testNetwork ?? t('fw.noneSet'),
        })}
      </p>
    ) : kind === 'planned' ? (
      <p>
        <strong>{t('fw.risk.planned.title', { machines: n })}</strong>{' '}
        {t('fw.risk.planned', {
          source: plan.source.site,
          seconds: Number(d.shutdownTimeoutSec),
          target: plan.target.site,
        })}
      </p>
    ) : (
      <p>
        <strong>{t('fw.risk.unplanned.title', { machines: n })}</strong>{' '}
        {t('fw.risk.unplanned', { site: plan.target.site, point })}
        {d.acceptSplitBrain ? ` ${t('fw.risk.accepted')}` : ''} {t('fw.risk.after')}
      </p>
    );
  return (
    <ConfirmRun
      planName={plan.name}
      runLabel={t(`fw.start.${kind}`)}
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
  useT();
  return (
    <Field id="plan" label={t('fw.plan')} issues={issues} shown={shown}>
      <select
        className="input"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...fieldProps('plan', issues, shown)}
      >
        <option value="">{t('fw.choosePlan')}</option>
        {plans.map((p) => (
          <option key={p.id}>{p.name}</option>
        ))}
      </select>
    </Field>
  );
}
