import { create } from 'zustand';
import type { SiteshiftApi } from '../../shared/contract';
import { ApiError } from '../../shared/errors';
import * as jobWords from '../../shared/i18n/job-words';
import type { AppCommand, AppInfo } from '../../shared/schemas/app';
import type { Connection } from '../../shared/schemas/connection';
import {
  applyInventoryChange,
  type InventoryChanged,
  type InventoryDocument,
} from '../../shared/schemas/inventory';
import type { Job } from '../../shared/schemas/job';
import {
  applyProtectionChange,
  type ProtectionChanged,
  type ProtectionSnapshot,
} from '../../shared/schemas/protection';
import type { SettingsPatch, SettingsState } from '../../shared/schemas/settings';
import { applyTopologyChange, type Topology, type TopologyChange } from '../../shared/schemas/topology';
import { locale, setLanguage, tServer } from './i18n';
import { markOnce } from './timing';
import { type EndedNotice, extendFades, recordEnded } from './views/ended-notices';

/** `plans` lists the plans and their actions; `wizard` shows the open wizard (renderer/src/wizards). */
export type View = 'topology' | 'inventory' | 'protection' | 'plans' | 'jobs' | 'settings' | 'wizard';

export interface Loadable<T> {
  data: T | null;
  loading: boolean;
  error: string | null;
}

const idle = <T>(): Loadable<T> => ({ data: null, loading: false, error: null });

export interface ConsoleState {
  api: SiteshiftApi | null;
  transport: 'connecting' | 'open' | 'closed';
  fatal: string | null;
  view: View;
  info: AppInfo | null;
  connections: Loadable<Connection[]>;
  topology: Loadable<Topology>;
  inventories: Record<string, Loadable<InventoryDocument>>;
  selectedConnection: string | null;
  jobs: Record<string, Job>;
  /** The job the Jobs screen shows in detail (a wizard hands its job over by selecting it). */
  selectedJob: string | null;
  protection: Loadable<ProtectionSnapshot[]>;
  settings: SettingsState | null;
  shortcutsOpen: boolean;
  /** When the console host stopped answering (ms); null while it answers. What is shown dates from then. */
  staleSince: number | null;
  /** Set while Refresh retries a host that does not answer, so the screen can say so. */
  retrying: boolean;
  /** Jobs that ended while this console watched, newest last, for the in-app notices. */
  endedJobs: EndedNotice[];

  setView(view: View): void;
  setTransport(transport: 'connecting' | 'open' | 'closed'): void;
  /** Reloads what the screens show; when the host is gone, says it retries until it answers. */
  refreshAll(): Promise<void>;
  dismissEnded(ids: readonly string[]): void;
  /** The operator read the notices from `since` until now: what faded meanwhile stays a little longer. */
  resumeFading(since: number): void;
  selectJob(id: string | null): void;
  setShortcutsOpen(open: boolean): void;
  updateSettings(patch: SettingsPatch): Promise<void>;
  selectConnection(id: string): void;
  start(api: SiteshiftApi): Promise<void>;
  loadConnections(): Promise<void>;
  loadInfo(): Promise<void>;
  loadTopology(): Promise<void>;
  loadInventory(connectionId: string): Promise<void>;
  loadProtection(): Promise<void>;
  loadJobs(): Promise<void>;
}

/** An error for the operator: a server's refusal in the console's language when it came with its words. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return tServer(err.message, err.messageWords);
  if (err instanceof Error) return err.message;
  return String(err);
}

export const useConsole = create<ConsoleState>((set, get) => ({
  api: null,
  transport: 'connecting',
  fatal: null,
  view: 'topology',
  info: null,
  connections: idle(),
  topology: idle(),
  inventories: {},
  selectedConnection: null,
  jobs: {},
  selectedJob: null,
  protection: idle(),
  settings: null,
  shortcutsOpen: false,
  staleSince: null,
  retrying: false,
  endedJobs: [],

  setView: (view) => set({ view }),
  setTransport(transport) {
    const was = get().transport;
    if (transport === 'open') {
      const wasStale = get().staleSince !== null;
      set({ transport, staleSince: null, retrying: false });
      // Back after an outage: what is on screen is old, so read it all again.
      if (wasStale && get().api) void get().refreshAll();
      return;
    }
    set({ transport, staleSince: was === 'open' ? Date.now() : get().staleSince });
  },
  async refreshAll() {
    if (get().staleSince !== null) set({ retrying: true });
    try {
      await Promise.all([
        get().loadConnections(),
        get().loadTopology(),
        get().protection.data ? get().loadProtection() : Promise.resolve(),
        get().loadJobs(),
      ]);
    } finally {
      // Calls may fail at once while the host is gone: the retry goes on until it answers.
      if (get().staleSince === null) set({ retrying: false });
    }
  },
  dismissEnded: (ids) => set({ endedJobs: get().endedJobs.filter((n) => !ids.includes(n.job.id)) }),
  resumeFading: (since) => set({ endedJobs: extendFades(get().endedJobs, since, Date.now()) }),
  selectJob: (selectedJob) => set({ selectedJob }),
  setShortcutsOpen: (shortcutsOpen) => set({ shortcutsOpen }),
  async updateSettings(patch) {
    const settings = await get().api!['settings:update'](patch);
    applyTheme(settings);
    set({ settings });
  },
  selectConnection: (id) => {
    set({ selectedConnection: id });
    if (!get().inventories[id]?.data) void get().loadInventory(id);
  },

  async start(api) {
    set({ api });
    api.subscribe('topology:changed', (change: TopologyChange) => {
      const current = get().topology.data;
      const next = current && applyTopologyChange(current, change);
      if (next) set({ topology: { data: next, loading: false, error: null } });
      else void get().loadTopology();
    });
    api.subscribe('inventory:changed', ({ connectionId, change }: InventoryChanged) => {
      const entry = get().inventories[connectionId];
      if (!entry?.data) return;
      const data = applyInventoryChange(entry.data, change);
      set({ inventories: { ...get().inventories, [connectionId]: { ...entry, data } } });
    });
    api.subscribe('job:progress', ({ job }) => {
      const before = get().jobs[job.id];
      const ended = before && isRunning(before) && !isRunning(job);
      set({
        jobs: { ...get().jobs, [job.id]: job },
        ...(ended ? { endedJobs: recordEnded(get().endedJobs, job, Date.now()) } : {}),
      });
      if (ended) notifyEnded(job);
    });
    api.subscribe('protection:changed', (change: ProtectionChanged) => {
      const list = get().protection.data;
      if (!list) return;
      const index = list.findIndex((s) => s.connectionId === change.connectionId);
      if (index < 0) {
        void get().loadProtection();
        return;
      }
      const next = [...list];
      next[index] = applyProtectionChange(list[index]!, change);
      set({ protection: { data: next, loading: false, error: null } });
    });
    api.subscribe('settings:changed', (settings: SettingsState) => {
      applyTheme(settings);
      set({ settings });
    });
    // The desktop menu's commands; Export and Open export belong to the export screens.
    api.subscribe('app:command', (command: AppCommand) => {
      if (command.command === 'settings') set({ view: 'settings' });
      else if (command.command === 'keyboard-shortcuts') set({ shortcutsOpen: true });
    });
    // The map is the first screen and its topology the biggest answer: asked for at once, beside
    // the app's info, rather than one round trip later.
    const info = api['app:info']({});
    const topology = get().loadTopology();
    try {
      set({ info: await info });
    } catch (err) {
      set({ fatal: errorText(err) });
      return;
    }
    void api['settings:get']({}).then(
      (settings) => {
        applyTheme(settings);
        set({ settings });
      },
      () => undefined, // the console works on defaults; Settings shows the error when opened
    );
    await Promise.all([get().loadConnections(), topology, get().loadJobs()]);
  },

  async loadInfo() {
    try {
      set({ info: await get().api!['app:info']({}) });
    } catch {
      // The next successful call refreshes it; the console stays usable without the badge.
    }
  },

  async loadConnections() {
    const api = get().api!;
    set({ connections: { ...get().connections, loading: true, error: null } });
    try {
      const list = await api['connections:list']({});
      const selected = get().selectedConnection;
      set({
        connections: { data: list, loading: false, error: null },
        selectedConnection:
          selected && list.some((c) => c.id === selected) ? selected : (list[0]?.id ?? null),
      });
    } catch (err) {
      set({ connections: { ...get().connections, loading: false, error: errorText(err) } });
    }
  },

  async loadTopology() {
    const api = get().api!;
    set({ topology: { ...get().topology, loading: true, error: null } });
    try {
      markOnce('siteshift:topology-requested');
      const data = await api['topology:get']({});
      markOnce('siteshift:topology-received');
      set({ topology: { data, loading: false, error: null } });
    } catch (err) {
      set({ topology: { ...get().topology, loading: false, error: errorText(err) } });
    }
  },

  async loadJobs() {
    try {
      const list = await get().api!['jobs:list']({});
      // Live events may be newer than the list: keep whichever record was updated last.
      const jobs = { ...get().jobs };
      for (const job of list) {
        const live = jobs[job.id];
        if (!live || live.updatedAt < job.updatedAt) jobs[job.id] = job;
      }
      set({ jobs });
    } catch {
      // Jobs stay as the live events left them; the Jobs screen says so when it is empty.
    }
  },

  async loadProtection() {
    const api = get().api!;
    set({ protection: { ...get().protection, loading: true, error: null } });
    try {
      set({ protection: { data: await api['protection:get']({}), loading: false, error: null } });
    } catch (err) {
      set({ protection: { ...get().protection, loading: false, error: errorText(err) } });
    }
  },

  async loadInventory(connectionId) {
    const api = get().api!;
    const before = get().inventories[connectionId] ?? idle<InventoryDocument>();
    set({ inventories: { ...get().inventories, [connectionId]: { ...before, loading: true, error: null } } });
    try {
      const doc = await api['inventory:get']({ connectionId });
      set({
        inventories: { ...get().inventories, [connectionId]: { data: doc, loading: false, error: null } },
      });
    } catch (err) {
      set({
        inventories: {
          ...get().inventories,
          [connectionId]: { ...before, loading: false, error: errorText(err) },
        },
      });
    }
  },
}));

const isRunning = (job: Job) => job.state === 'queued' || job.state === 'running';

/** Words, not raw kinds: what an operator reads during an outage. */
export function jobTitle(job: Job): string {
  return jobWords.jobTitle(locale(), job);
}

/** The words a notification or toast uses for a job that ended, in the console's language. */
export function endedText(job: Job): { title: string; body: string } {
  return jobWords.endedText(locale(), job);
}

/**
 * A system notification when a job ends, in a browser that was allowed to show them (the desktop
 * app's main process notifies by itself). Without that permission the in-app notice is all.
 */
function notifyEnded(job: Job): void {
  if (window.siteshift || typeof Notification === 'undefined' || Notification.permission !== 'granted')
    return;
  const { title, body } = endedText(job);
  try {
    new Notification(title, { body, tag: `siteshift-job-${job.id}` });
  } catch {
    // Some browsers allow notifications only from a service worker; the in-app notice stays.
  }
}

/**
 * `system` follows the OS (prefers-color-scheme); light and dark are forced. The language is
 * applied with the theme: both come with the settings.
 */
function applyTheme(state: SettingsState): void {
  setLanguage(state.settings.language);
  const theme = state.settings.theme;
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}
