import { create } from 'zustand';
import {
  type Plan,
  type PlanIssue,
  planSpecOf,
  type ReadinessReport,
  type SiteInventory,
} from '../../../shared/configserver';
import { errorText, type Loadable, useConsole } from '../store';
import { draftFromPlan, emptyProtectDraft, type ProtectDraft } from './protect-model';

/** Every DR workflow a wizard leads to; the failover ones share one wizard, as do the finishing ones. */
export type WizardKind =
  | 'protect'
  | 'test'
  | 'planned'
  | 'unplanned'
  | 'cleanup'
  | 'commit'
  | 'rollback'
  | 'master-target'
  | 'reprotect'
  | 'failback';

export type PointChoice = 'latest' | 'latest-app' | 'time' | 'tag';

export interface FailoverDraft {
  point: PointChoice;
  /** datetime-local value (the operator's local time) for `time`. */
  time: string;
  tag: string;
  acceptSplitBrain: boolean;
  shutdownTimeoutSec: string;
}

export interface ActiveWizard {
  kind: WizardKind;
  connectionId: string;
  /**
   * The plan a recovery wizard acts on; the plan the Protect wizard saved, once saved; empty for
   * the master target wizard, whose job runs on no plan.
   */
  plan: string;
  /**
   * Set when the Protect wizard edits a stored plan: the updatedAt of the plan it opened, which
   * apply passes on so that a plan changed meanwhile by someone else is not overwritten.
   */
  edit?: { updatedAt: string; protectAfter?: boolean };
}

/**
 * The wizards' state, one slice beside the console's: which wizard is open, its step, the
 * operator's draft, the readiness report and the dry-run job it is on. Closing a screen keeps it;
 * Cancel drops it.
 */
export interface WizardState {
  active: ActiveWizard | null;
  step: number;
  /** The furthest step reached: the step list lets the operator jump back, never ahead. */
  reached: number;
  protect: ProtectDraft;
  failover: FailoverDraft;
  readiness: Loadable<ReadinessReport>;
  /** The dry-run job of the current choices (null until started; dropped when a choice changes). */
  dryRunJob: string | null;
  /** Site inventories as the configuration server reads them, by `connectionId site`. */
  sites: Record<string, Loadable<SiteInventory>>;
  /** What the server said about the edited plan, shown at the fields it names until a change. */
  serverIssues: PlanIssue[];

  open(
    kind: WizardKind,
    options: { connectionId: string; plan?: string; vms?: string[]; sourceSite?: string },
  ): void;
  /** The Protect wizard on a stored plan, prefilled from it, ending on the review of the changes. */
  openEdit(connectionId: string, plan: Plan): void;
  setServerIssues(issues: PlanIssue[]): void;
  /** After an applied edit: on to readiness, dry run and run for the machines it added. */
  protectAfterEdit(): void;
  close(): void;
  goTo(step: number): void;
  patchProtect(patch: Partial<ProtectDraft>): void;
  patchFailover(patch: Partial<FailoverDraft>): void;
  setKind(kind: WizardKind): void;
  setPlan(plan: string): void;
  loadSite(connectionId: string, site: string): Promise<void>;
  checkReadiness(kind: ReadinessReport['kind']): Promise<void>;
  setDryRunJob(id: string | null): void;
}

const idle = <T>(): Loadable<T> => ({ data: null, loading: false, error: null });

export const siteKey = (connectionId: string, site: string) => `${connectionId} ${site}`;

const defaultFailover = (): FailoverDraft => ({
  point: 'latest',
  time: '',
  tag: '',
  acceptSplitBrain: false,
  shutdownTimeoutSec: '300',
});

export const useWizard = create<WizardState>((set, get) => ({
  active: null,
  step: 0,
  reached: 0,
  protect: emptyProtectDraft(),
  failover: defaultFailover(),
  readiness: idle(),
  dryRunJob: null,
  sites: {},
  serverIssues: [],

  open(kind, { connectionId, plan = '', vms = [], sourceSite = '' }) {
    set({
      active: { kind, connectionId, plan },
      step: 0,
      reached: 0,
      protect: { ...emptyProtectDraft(), vms, sourceSite },
      failover: defaultFailover(),
      readiness: idle(),
      dryRunJob: null,
      // Each wizard reads the sites afresh: machines come and go between two wizards.
      sites: {},
      serverIssues: [],
    });
    useConsole.getState().setView('wizard');
  },
  openEdit(connectionId, plan) {
    set({
      active: { kind: 'protect', connectionId, plan: plan.name, edit: { updatedAt: plan.updatedAt } },
      step: 0,
      // Every step of a stored plan is filled in: the operator may go straight to the review.
      reached: 4,
      protect: draftFromPlan(planSpecOf(plan)),
      failover: defaultFailover(),
      readiness: idle(),
      dryRunJob: null,
      sites: {},
      serverIssues: [],
    });
    useConsole.getState().setView('wizard');
  },
  setServerIssues(serverIssues) {
    set({ serverIssues });
  },
  protectAfterEdit() {
    const active = get().active;
    if (!active?.edit) return;
    set({
      active: { ...active, edit: { ...active.edit, protectAfter: true } },
      readiness: idle(),
      dryRunJob: null,
    });
    get().goTo(5);
  },
  close() {
    set({ active: null, step: 0, reached: 0, readiness: idle(), dryRunJob: null, serverIssues: [] });
  },
  goTo(step) {
    set({ step, reached: Math.max(get().reached, step) });
  },
  // A changed choice makes the later steps' results stale: readiness and the dry run run again.
  patchProtect(patch) {
    // An edit keeps every step reachable: its draft is complete from the start.
    const reached = get().active?.edit ? get().reached : get().step;
    set({
      protect: { ...get().protect, ...patch },
      readiness: idle(),
      dryRunJob: null,
      reached,
      serverIssues: [],
    });
  },
  patchFailover(patch) {
    set({
      failover: { ...get().failover, ...patch },
      readiness: idle(),
      dryRunJob: null,
      reached: get().step,
    });
  },
  setKind(kind) {
    const active = get().active;
    if (active) set({ active: { ...active, kind }, readiness: idle(), dryRunJob: null, reached: get().step });
  },
  setPlan(plan) {
    const active = get().active;
    if (active)
      set({
        active: { ...active, plan },
        failover: defaultFailover(),
        readiness: idle(),
        dryRunJob: null,
        reached: get().step,
      });
  },
  async loadSite(connectionId, site) {
    const key = siteKey(connectionId, site);
    const before = get().sites[key] ?? idle<SiteInventory>();
    set({ sites: { ...get().sites, [key]: { ...before, loading: true, error: null } } });
    try {
      const data = await useConsole.getState().api!['sites:inventory']({ connectionId, site });
      set({ sites: { ...get().sites, [key]: { data, loading: false, error: null } } });
    } catch (err) {
      set({ sites: { ...get().sites, [key]: { ...before, loading: false, error: errorText(err) } } });
    }
  },
  async checkReadiness(kind) {
    const active = get().active;
    if (!active?.plan) return;
    set({ readiness: { ...get().readiness, loading: true, error: null } });
    try {
      const data = await useConsole
        .getState()
        .api!['plans:readiness']({ connectionId: active.connectionId, plan: active.plan, kind });
      set({ readiness: { data, loading: false, error: null } });
    } catch (err) {
      set({ readiness: { data: null, loading: false, error: errorText(err) } });
    }
  },
  setDryRunJob(dryRunJob) {
    set({ dryRunJob });
  },
}));
