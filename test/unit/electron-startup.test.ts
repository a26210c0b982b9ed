import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { SettingsState } from '../../shared/schemas/settings';

// A stand-in electron module for the whole main process: the app holds the single-instance lock,
// safeStorage only has Linux's basic_text, one 1920×1080 display. It records what main asks of it.
const userData = await mkdtemp(join(tmpdir(), 'siteshift-main-'));
const h = vi.hoisted(() => ({
  appEvents: new Map<string, (...args: unknown[]) => void>(),
  ipcHandlers: new Map<string, (event: unknown, message: unknown) => Promise<unknown>>(),
  windows: [] as Array<{
    options: Record<string, unknown>;
    sent: unknown[];
    maximized: boolean;
    instance: { emit(e: string): void };
  }>,
  menus: [] as unknown[],
  ready: null as null | (() => void),
  themeSource: '',
  focused: true,
  notifications: [] as Array<{ title: string; body: string }>,
  tooltips: [] as string[],
  jobs: null as null | { noteCallResult(result: unknown): void },
}));

// The real job tracker, kept at hand: a job record reaches it as a call result would.
vi.mock('../../electron/jobs', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../electron/jobs')>();
  return {
    JobTracker: class extends real.JobTracker {
      constructor(surface: ConstructorParameters<typeof real.JobTracker>[0]) {
        super(surface);
        h.jobs = this;
      }
    },
  };
});

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  class WebContents extends Emitter {
    id = 7;
    sent: unknown[] = [];
    setWindowOpenHandler() {}
    isDestroyed() {
      return false;
    }
    send(channel: string, message: unknown) {
      this.sent.push({ channel, message });
    }
  }
  class BrowserWindow extends Emitter {
    webContents = new WebContents();
    record: {
      options: Record<string, unknown>;
      sent: unknown[];
      maximized: boolean;
      instance: { emit(e: string): void };
    };
    constructor(options: Record<string, unknown>) {
      super();
      this.record = { options, sent: this.webContents.sent, maximized: false, instance: this };
      h.windows.push(this.record);
    }
    loadURL() {
      return Promise.resolve();
    }
    show() {}
    focus() {}
    restore() {}
    isMinimized() {
      return false;
    }
    isFocused() {
      return h.focused;
    }
    maximize() {
      this.record.maximized = true;
    }
    setProgressBar() {}
    getNormalBounds() {
      return { x: 50, y: 60, width: 1300, height: 850 };
    }
    isMaximized() {
      return false;
    }
  }
  return {
    app: {
      requestSingleInstanceLock: () => true,
      quit: () => undefined,
      exit: () => undefined,
      on: (event: string, fn: (...args: unknown[]) => void) => h.appEvents.set(event, fn),
      whenReady: () => new Promise<void>((resolve) => (h.ready = resolve)),
      getPath: () => userData,
      getLocale: () => 'nl-NL',
      setAppLogsPath: () => undefined,
      setAppUserModelId: () => undefined,
      setAboutPanelOptions: () => undefined,
      showAboutPanel: () => undefined,
      isPackaged: false,
    },
    protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: () => undefined,
        webRequest: { onHeadersReceived: () => undefined, onBeforeRequest: () => undefined },
      },
    },
    net: {},
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'basic_text',
      encryptString: () => {
        throw new Error('basic_text must never be used');
      },
    },
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, message: unknown) => Promise<unknown>) =>
        h.ipcHandlers.set(channel, fn),
      on: () => undefined,
    },
    BrowserWindow,
    Menu: { setApplicationMenu: (m: unknown) => h.menus.push(m), buildFromTemplate: (t: unknown) => t },
    Notification: class {
      static isSupported() {
        return true;
      }
      constructor(private readonly options: { title: string; body: string }) {}
      on() {}
      show() {
        h.notifications.push({ title: this.options.title, body: this.options.body });
      }
    },
    nativeImage: { createFromPath: () => ({}) },
    nativeTheme: {
      set themeSource(v: string) {
        h.themeSource = v;
      },
    },
    screen: {
      getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
      getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }),
    },
    shell: { openPath: async () => '', openExternal: async () => undefined },
    Tray: class {
      on() {}
      setToolTip(text: string) {
        h.tooltips.push(text);
      }
      destroy() {}
    },
  };
});

afterAll(async () => {
  await rm(userData, { recursive: true, force: true });
});

const SECRET = 'Desktop-Pw-9xYz-never-on-disk';
const appFrame = { sender: { id: 7 }, senderFrame: { url: 'siteshift://app/index.html' } };

describe('Electron main process start-up (stand-in electron module)', () => {
  it("restores the window, builds the menu, keeps secrets in memory without a keyring, hands files to the renderer, notifies in the console's language, and logs no secret", {
    timeout: 120_000,
  }, async () => {
    // A saved connection keeps the embedded lab (and its database) out of this test; the window
    // was last on a monitor that is no longer attached.
    await writeFile(
      join(userData, 'connections.json'),
      JSON.stringify({
        version: 1,
        connections: [
          {
            id: 'c1',
            name: 'cs',
            site: 'primary',
            target: { kind: 'configserver', url: 'http://127.0.0.1:1' },
            trust: { kind: 'loopback' },
            sealedSecrets: null,
          },
        ],
      }),
    );
    await writeFile(
      join(userData, 'window-state.json'),
      JSON.stringify({ bounds: { x: 3000, y: 100, width: 1200, height: 800 }, maximized: true }),
    );
    await writeFile(
      join(userData, 'settings.json'),
      JSON.stringify({
        version: 1,
        settings: { theme: 'dark', updates: { enabled: false, channel: 'stable' }, secretFallback: 'memory' },
      }),
    );

    await import('../../electron/main');
    h.ready!();
    await vi.waitUntil(() => h.windows.length > 0, { timeout: 60_000, interval: 50 });

    const win = h.windows[0]!;
    expect(win.options).toMatchObject({ x: 360, y: 120, width: 1200, height: 800 });
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(h.themeSource).toBe('dark');
    expect(h.menus.length).toBeGreaterThan(0);
    // The native menu speaks the console's language: 'system' here, the app locale (nl-NL).
    const menuLabels = () => (h.menus.at(-1) as Array<{ label?: string }>).map((m) => m.label);
    expect(menuLabels()).toEqual(['&Bestand', 'B&ewerken', 'Beel&d', '&Venster', '&Help']);

    // A second launch with an export file: queued until the renderer has made its first call.
    h.appEvents.get('second-instance')!({}, [
      '/opt/Siteshift/siteshift',
      '--flag',
      '/home/op/estate.siteshift.json',
    ]);
    expect(win.sent).toEqual([]);
    const call = h.ipcHandlers.get('siteshift:call')!;
    const state = (await call(appFrame, { name: 'settings:get', input: {}, callId: 1 })) as {
      result: { secrets: SettingsState['secrets'] };
    };
    expect(state.result.secrets).toEqual({
      storage: 'memory',
      keychainAvailable: false,
      reason: { kind: 'no-keyring', backend: 'basic_text' },
      keyFile: null,
    });
    await vi.waitUntil(() => win.sent.length > 0);
    expect(win.sent).toEqual([
      {
        channel: 'siteshift:event',
        message: {
          name: 'app:command',
          payload: { command: 'open-export', path: '/home/op/estate.siteshift.json' },
        },
      },
    ]);

    // Windows' "Open with" hands over any .json: passed on, so export:open can refuse it aloud.
    h.appEvents.get('second-instance')!({}, ['/opt/Siteshift/siteshift', 'C:\\Users\\op\\notes.json']);
    await vi.waitUntil(() => win.sent.length > 1);
    expect(win.sent[1]).toMatchObject({
      message: {
        name: 'app:command',
        payload: { command: 'open-export', path: 'C:\\Users\\op\\notes.json' },
      },
    });

    // A secret through the IPC path that logs a failing call, and the theme from the menu.
    const failed = await call(appFrame, {
      name: 'connections:test',
      input: {
        target: { kind: 'vsphere', url: 'https://127.0.0.1:1/sdk', username: 'root' },
        secrets: { password: SECRET },
      },
      callId: 2,
    });
    expect(failed).toMatchObject({ error: { code: 'unreachable' } });
    const foreign = await call(
      { ...appFrame, senderFrame: { url: 'https://evil.example/' } },
      { name: 'settings:get', input: {}, callId: 3 },
    );
    expect(foreign).toMatchObject({ error: { code: 'unauthorized' } });

    // A job of this console ends while the window is not focused: the native notification speaks
    // the console's language, 'system' here, which follows the app locale (nl-NL).
    const job = {
      id: 'j1',
      kind: 'test-failover',
      state: 'running',
      dryRun: false,
      progress: 0.5,
      planId: 'p1',
      pairIds: ['a'],
      createdAt: '2026-11-29T10:00:00.000Z',
      updatedAt: '2026-11-29T10:00:00.000Z',
      createdBy: 'operator',
      error: null,
      steps: [],
    };
    h.focused = false;
    h.jobs!.noteCallResult({ job });
    expect(h.tooltips).toEqual(['Siteshift — Testfailover loopt (50 %)']);
    h.jobs!.noteCallResult({ job: { ...job, state: 'succeeded', progress: 1 } });
    expect(h.notifications).toEqual([
      { title: 'Testfailover is voltooid', body: 'Alle stappen zijn voltooid.' },
    ]);
    // The operator chooses English: the next notification is English.
    await call(appFrame, { name: 'settings:update', input: { language: 'en' }, callId: 4 });
    h.jobs!.noteCallResult({ job: { ...job, id: 'j2' } });
    h.jobs!.noteCallResult({
      job: { ...job, id: 'j2', state: 'failed', error: 'vCenter refused the login' },
    });
    expect(h.notifications[1]).toEqual({ title: 'Test failover failed', body: 'vCenter refused the login' });
    expect(menuLabels()).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
    // And back to Dutch, chosen outright this time: the menu is built again in Dutch.
    await call(appFrame, { name: 'settings:update', input: { language: 'nl' }, callId: 5 });
    expect(menuLabels()).toEqual(['&Bestand', 'B&ewerken', 'Beel&d', '&Venster', '&Help']);
    h.focused = true;

    // Closing saves the bounds and maximised state for the next start.
    win.instance.emit('close');
    await vi.waitUntil(async () =>
      (await readFile(join(userData, 'window-state.json'), 'utf8')).includes('1300'),
    );
    expect(JSON.parse(await readFile(join(userData, 'window-state.json'), 'utf8'))).toEqual({
      bounds: { x: 50, y: 60, width: 1300, height: 850 },
      maximized: false,
    });
    win.instance.emit('ready-to-show');
    expect(win.maximized).toBe(true);
    const files: string[] = [];
    for (const e of await readdir(userData, { recursive: true, withFileTypes: true }))
      if (e.isFile()) files.push(join(e.parentPath, e.name));
    const logs = files.filter((f) => f.includes(`${join('logs', 'main')}`));
    expect(logs.length).toBe(1);
    const logText = await readFile(logs[0]!, 'utf8');
    expect(logText).toContain('call failed');
    for (const f of files) expect(await readFile(f, 'utf8')).not.toContain(SECRET);
  });
});
