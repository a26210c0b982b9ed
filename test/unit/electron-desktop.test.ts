import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JobTracker } from '../../electron/jobs';
import { type MenuActions, menuTemplate } from '../../electron/menu';
import { pickExports } from '../../electron/pick-exports';
import { type Updater, UpdateService } from '../../electron/updates';
import { loadWindowState, saveWindowState, visibleBounds } from '../../electron/window-state';
import type { Locale } from '../../shared/i18n/locale';
import type { Job } from '../../shared/schemas/job';
import { defaultSettings } from '../../shared/schemas/settings';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'siteshift-desktop-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Item = ReturnType<typeof menuTemplate>[number];
const sub = (item: Item | undefined) => (item?.submenu ?? []) as Item[];
const byLabel = (items: Item[], label: string) => items.find((i) => i.label === label);
const click = (item: Item | undefined) => (item!.click as () => void)();

function actions() {
  return {
    command: vi.fn(),
    setTheme: vi.fn(),
    openLogsFolder: vi.fn(),
    about: vi.fn(),
  } satisfies MenuActions;
}

describe('application menu', () => {
  it('File, View and Help carry the console commands as typed app:command events', () => {
    const a = actions();
    const menu = menuTemplate({
      platform: 'linux',
      productName: 'Siteshift',
      theme: 'dark',
      packaged: true,
      locale: 'en',
      actions: a,
    });
    expect(menu.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
    const file = sub(menu[0]);
    click(byLabel(file, 'Open Export…'));
    click(byLabel(file, 'Compare Exports…'));
    click(byLabel(file, 'Export…'));
    click(byLabel(file, 'Settings'));
    expect(a.command.mock.calls.map((c) => c[0])).toEqual([
      { command: 'open-export' },
      { command: 'compare-exports' },
      { command: 'export' },
      { command: 'settings' },
    ]);
    expect(byLabel(file, 'Open Export…')?.accelerator).toBe('CmdOrCtrl+O');

    const view = sub(menu[2]);
    expect(view.filter((i) => i.role).map((i) => i.role)).toEqual([
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
    ]);
    const theme = sub(byLabel(view, 'Theme'));
    expect(theme.map((t) => [t.label, t.type, t.checked])).toEqual([
      ['Follow System', 'radio', false],
      ['Light', 'radio', false],
      ['Dark', 'radio', true],
    ]);
    click(theme[1]);
    expect(a.setTheme).toHaveBeenCalledWith('light');

    const help = sub(menu[4]);
    click(byLabel(help, 'Keyboard Shortcuts'));
    expect(a.command).toHaveBeenLastCalledWith({ command: 'keyboard-shortcuts' });
    click(byLabel(help, 'Open Logs Folder'));
    expect(a.openLogsFolder).toHaveBeenCalled();
    click(byLabel(help, 'About Siteshift'));
    expect(a.about).toHaveBeenCalled();
  });

  it('on macOS puts About and Settings in the app menu; developer tools only unpackaged', () => {
    const mac = menuTemplate({
      platform: 'darwin',
      productName: 'Siteshift',
      theme: 'system',
      packaged: false,
      locale: 'en',
      actions: actions(),
    });
    expect(mac[0]!.label).toBe('Siteshift');
    expect(sub(mac[0]).map((i) => i.label ?? i.role)).toContain('Settings…');
    expect(sub(mac[1]).map((i) => i.label ?? i.role)).toEqual(
      ['Open Export…', 'Compare Exports…', 'Export…', 'separator', 'Close Window'].map((x) =>
        x === 'separator' ? undefined : x,
      ),
    );
    expect(sub(mac[3]).some((i) => i.role === 'toggleDevTools')).toBe(true);
    expect(sub(mac[0]).at(-1)).toMatchObject({ role: 'quit', label: 'Quit Siteshift' });
  });

  it("speaks the console's language, roles included (Electron's own role labels are English only)", () => {
    const labels = (items: Item[]): unknown[] =>
      items.map((i) => (i.submenu ? [i.label, labels(i.submenu as Item[])] : (i.label ?? i.type)));
    const linux = (locale: Locale) =>
      menuTemplate({
        platform: 'linux',
        productName: 'Siteshift',
        theme: 'light',
        packaged: false,
        locale,
        actions: actions(),
      });
    const nl = linux('nl');
    expect(nl.map((m) => m.label)).toEqual(['&Bestand', 'B&ewerken', 'Beel&d', '&Venster', '&Help']);
    expect(labels(sub(nl[0]))).toEqual([
      'Export openen…',
      'Exports vergelijken…',
      'Exporteren…',
      'separator',
      'Instellingen',
      'separator',
      'Stoppen',
    ]);
    expect(labels(sub(nl[2]))).toEqual([
      'Werkelijke grootte',
      'Inzoomen',
      'Uitzoomen',
      'separator',
      ['Thema', ['Systeem volgen', 'Licht', 'Donker']],
      'separator',
      'Volledig scherm aan/uit',
      'Ontwikkelhulpmiddelen aan/uit',
    ]);
    expect(labels(sub(nl[4]))).toEqual(['Sneltoetsen', 'Logmap openen', 'separator', 'Over Siteshift']);
    // Every item with a role has a label of ours, in either language and on every platform.
    for (const platform of ['linux', 'win32', 'darwin'] as const)
      for (const locale of ['en', 'nl'] as const) {
        const all = (items: Item[]): Item[] => items.flatMap((i) => [i, ...all((i.submenu ?? []) as Item[])]);
        const menu = menuTemplate({
          platform,
          productName: 'Siteshift',
          theme: 'dark',
          packaged: false,
          locale,
          actions: actions(),
        });
        for (const item of all(menu).filter((i) => i.role))
          expect(item.label, `${platform} ${locale} ${item.role}`).toBeTruthy();
        expect(JSON.stringify(labels(menu)).includes('Kopiëren')).toBe(locale === 'nl');
      }
    expect(labels(sub(linux('en')[1]))).toEqual([
      'Undo',
      'Redo',
      'separator',
      'Cut',
      'Copy',
      'Paste',
      'Delete',
      'separator',
      'Select All',
    ]);
    const win = menuTemplate({
      platform: 'win32',
      productName: 'Siteshift',
      theme: 'dark',
      packaged: true,
      locale: 'nl',
      actions: actions(),
    });
    expect(sub(win[0]).at(-1)).toMatchObject({ role: 'quit', label: 'Afsluiten' });
  });
});

describe('window state', () => {
  const primary = { x: 0, y: 0, width: 1920, height: 1040 };
  const right = { x: 1920, y: 0, width: 2560, height: 1400 };

  it('restores bounds that are on an attached display', () => {
    const saved = { x: 2100, y: 100, width: 1600, height: 1000 };
    expect(visibleBounds(saved, [primary, right], primary)).toEqual(saved);
  });

  it('moves a window from a detached monitor onto the primary display, shrunk to fit', () => {
    const saved = { x: 2100, y: 100, width: 2400, height: 1300 };
    expect(visibleBounds(saved, [primary], primary)).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
    const small = { x: 2100, y: 100, width: 1200, height: 800 };
    expect(visibleBounds(small, [primary], primary)).toEqual({ x: 360, y: 120, width: 1200, height: 800 });
    // A title bar above the top of every display cannot be grabbed: moved too.
    expect(visibleBounds({ x: 100, y: -500, width: 1200, height: 800 }, [primary], primary).y).toBe(120);
  });

  it('is saved durably and a damaged file means defaults', async () => {
    const path = join(dir, 'window-state.json');
    const state = { bounds: { x: 10, y: 20, width: 1300, height: 900 }, maximized: true };
    await saveWindowState(path, state);
    expect(await loadWindowState(path)).toEqual(state);
    await writeFile(path, '{"bounds":');
    expect(await loadWindowState(path)).toBeNull();
    expect(await loadWindowState(join(dir, 'none.json'))).toBeNull();
  });
});

function job(over: Partial<Job>): Job {
  return {
    id: 'j1',
    kind: 'test-failover',
    state: 'running',
    progress: 0.25,
    dryRun: false,
    planId: 'p1',
    pairIds: ['a', 'b'],
    createdAt: '2026-11-29T10:00:00.000Z',
    updatedAt: '2026-11-29T10:00:00.000Z',
    createdBy: 'operator',
    error: null,
    steps: [],
    ...over,
  };
}

describe('jobs started from this console', () => {
  function surface(focused: boolean, locale: Locale = 'en') {
    return {
      focused: () => focused,
      setProgress: vi.fn(),
      setTray: vi.fn(),
      notify: vi.fn(),
      locale: () => locale,
    };
  }

  it('show progress on the taskbar and tray, and notify when one ends while the window is not focused', () => {
    const s = surface(false);
    const tracker = new JobTracker(s);
    tracker.progress(job({ id: 'elsewhere', progress: 0.9 })); // started by another console
    expect(s.setProgress).not.toHaveBeenCalled();

    tracker.noteCallResult({ job: job({ state: 'queued', progress: 0 }) });
    tracker.noteCallResult(job({ id: 'j2', kind: 'planned-failover', progress: 0.5 }));
    tracker.progress(job({ progress: 0.3 }));
    expect(s.setProgress).toHaveBeenLastCalledWith(0.4);
    expect(s.setTray).toHaveBeenLastCalledWith('Siteshift — 2 jobs running (40 %)');

    tracker.progress(job({ state: 'succeeded', progress: 1 }));
    expect(s.notify).toHaveBeenCalledWith('Test failover finished', 'Every step finished.');
    expect(s.setTray).toHaveBeenLastCalledWith('Siteshift — Planned failover running (50 %)');

    tracker.progress(
      job({
        id: 'j2',
        kind: 'planned-failover',
        state: 'failed',
        error: 'vCenter refused the login',
        pairIds: ['a'],
      }),
    );
    expect(s.notify).toHaveBeenLastCalledWith('Planned failover failed', 'vCenter refused the login');
    expect(s.setProgress).toHaveBeenLastCalledWith(-1);
    expect(s.setTray).toHaveBeenLastCalledWith(null);
    // A terminal state cannot be left: a late duplicate does not notify again.
    tracker.progress(job({ state: 'succeeded' }));
    expect(s.notify).toHaveBeenCalledTimes(2);
  });

  it("speak the console's language: the same words as the console's own notices, in Dutch", () => {
    let locale: Locale = 'nl';
    const s = { ...surface(false), locale: () => locale };
    const tracker = new JobTracker(s);
    tracker.noteCallResult({ job: job({ progress: 0.25, dryRun: true }) });
    expect(s.setTray).toHaveBeenLastCalledWith('Siteshift — Testfailover (proefrun) loopt (25 %)');
    tracker.noteCallResult({ job: job({ id: 'j2', kind: 'planned-failover', progress: 0.75 }) });
    expect(s.setTray).toHaveBeenLastCalledWith('Siteshift — 2 taken lopen (50 %)');
    tracker.progress(job({ state: 'cancelled', dryRun: true }));
    expect(s.notify).toHaveBeenLastCalledWith(
      'Testfailover (proefrun) is geannuleerd',
      'De taak is geannuleerd.',
    );
    // The operator switches to English: the next words follow.
    locale = 'en';
    tracker.progress(job({ id: 'j2', kind: 'planned-failover', state: 'succeeded' }));
    expect(s.notify).toHaveBeenLastCalledWith('Planned failover finished', 'Every step finished.');
  });

  it('does not notify while the operator is looking at the window', () => {
    const s = surface(true);
    const tracker = new JobTracker(s);
    tracker.noteCallResult({ job: job({}) });
    tracker.progress(job({ state: 'succeeded', progress: 1 }));
    expect(s.notify).not.toHaveBeenCalled();
    expect(s.setProgress).toHaveBeenLastCalledWith(-1);
  });
});

describe('updates', () => {
  const logger = pino({ level: 'silent' });
  function fakeUpdater() {
    const updater = {
      autoDownload: false,
      autoInstallOnAppQuit: false,
      allowDowngrade: true,
      allowPrerelease: false,
      channel: null as string | null,
      setFeedURL: vi.fn(),
      checkForUpdates: vi.fn(async () => null),
      on: vi.fn(),
    } satisfies Updater;
    return { updater, load: vi.fn(async () => updater) };
  }

  it("stay off unless the operator opts in, and then use only the organisation's server", async () => {
    const policyFile = join(dir, 'policy.json');
    await writeFile(
      policyFile,
      JSON.stringify({ updates: { url: 'https://updates.example.org/siteshift' } }),
    );
    const { updater, load } = fakeUpdater();
    const service = new UpdateService({ packaged: true, loadUpdater: load, logger, policyFile });
    await service.apply(defaultSettings);
    expect(load).not.toHaveBeenCalled();
    expect(service.state(defaultSettings)).toMatchObject({
      supported: true,
      url: 'https://updates.example.org/siteshift',
      status: { kind: 'off' },
    });

    await service.apply({ ...defaultSettings, updates: { enabled: true, channel: 'beta' } });
    expect(updater.setFeedURL).toHaveBeenCalledWith({
      provider: 'generic',
      url: 'https://updates.example.org/siteshift',
      channel: 'beta',
    });
    expect(updater).toMatchObject({
      channel: 'beta',
      allowPrerelease: true,
      allowDowngrade: false,
      autoDownload: true,
    });
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
    await service.apply({ ...defaultSettings, updates: { enabled: true, channel: 'stable' } });
    expect(updater.setFeedURL).toHaveBeenLastCalledWith({
      provider: 'generic',
      url: 'https://updates.example.org/siteshift',
      channel: 'latest',
    });
  });

  it("reports the updater's events as facts (checking, available, downloaded, up to date, failed)", async () => {
    const policyFile = join(dir, 'policy.json');
    await writeFile(policyFile, JSON.stringify({ updates: { url: 'https://updates.example.org/s' } }));
    const { updater, load } = fakeUpdater();
    updater.checkForUpdates.mockRejectedValueOnce(new Error('net::ERR_NAME_NOT_RESOLVED'));
    const service = new UpdateService({ packaged: true, loadUpdater: load, logger, policyFile });
    const enabled = { ...defaultSettings, updates: { enabled: true, channel: 'beta' as const } };
    expect(service.state(enabled).status).toEqual({
      kind: 'checking',
      url: 'https://updates.example.org/s',
      channel: 'beta',
    });
    await service.apply(enabled);
    expect(service.state(enabled).status).toEqual({ kind: 'error', detail: 'net::ERR_NAME_NOT_RESOLVED' });
    const emit = (event: string, ...args: unknown[]) => {
      for (const [name, listener] of updater.on.mock.calls as [string, (...a: unknown[]) => void][])
        if (name === event) listener(...args);
    };
    emit('update-available', { version: '2.1.0' });
    expect(service.state(enabled).status).toEqual({ kind: 'available', version: '2.1.0' });
    emit('update-downloaded', {});
    expect(service.state(enabled).status).toEqual({ kind: 'downloaded', version: null });
    emit('update-not-available');
    expect(service.state(enabled).status).toEqual({ kind: 'up-to-date' });
    emit('error', new Error('sha512 checksum mismatch'));
    expect(service.state(enabled).status).toEqual({ kind: 'error', detail: 'sha512 checksum mismatch' });
    // Switched off, it says so, whatever the updater said last.
    expect(service.state(defaultSettings).status).toEqual({ kind: 'off' });
  });

  it('without a policy URL, or with a bad one, never loads the updater and says why', async () => {
    const { load } = fakeUpdater();
    const enabled = { ...defaultSettings, updates: { enabled: true, channel: 'stable' as const } };
    const none = new UpdateService({
      packaged: true,
      loadUpdater: load,
      logger,
      policyFile: join(dir, 'missing.json'),
    });
    await none.apply(enabled);
    expect(none.state(enabled).status).toEqual({ kind: 'no-server', file: join(dir, 'missing.json') });
    const badFile = join(dir, 'bad-policy.json');
    await writeFile(badFile, JSON.stringify({ updates: { url: 'http://updates.example.org/' } }));
    const bad = new UpdateService({ packaged: true, loadUpdater: load, logger, policyFile: badFile });
    await bad.apply(enabled);
    expect(bad.state(enabled)).toMatchObject({
      url: null,
      status: { kind: 'policy-unreadable', file: badFile, problem: 'bad-url' },
    });
    const notJson = join(dir, 'not-json-policy.json');
    await writeFile(notJson, '{ updates:');
    const unreadable = new UpdateService({ packaged: true, loadUpdater: load, logger, policyFile: notJson });
    expect(unreadable.state(enabled).status).toMatchObject({
      kind: 'policy-unreadable',
      problem: 'not-json',
    });
    const oddFile = join(dir, 'odd-policy.json');
    await writeFile(oddFile, JSON.stringify({ updates: 'https://updates.example.org/' }));
    const odd = new UpdateService({ packaged: true, loadUpdater: load, logger, policyFile: oddFile });
    expect(odd.state(enabled).status).toMatchObject({
      kind: 'policy-unreadable',
      problem: 'invalid',
      detail: expect.stringMatching(/^updates: /),
      field: 'updates',
      expected: 'object',
    });
    const dev = new UpdateService({
      packaged: false,
      loadUpdater: load,
      logger,
      policyFile: join(dir, 'missing.json'),
    });
    expect(dev.state(enabled)).toMatchObject({ supported: false, status: { kind: 'development' } });
    expect(load).not.toHaveBeenCalled();
  });
});

describe('File › Open Export… and Compare Exports… from the menu', () => {
  // A menu click is no user gesture in the page: the shell's own dialog picks the files.
  const dialogWith = (filePaths: string[], canceled = false) => ({
    showOpenDialog: vi.fn(async (_options: unknown) => ({ canceled, filePaths })),
  });

  it('asks with the native dialog and hands the renderer the paths', async () => {
    const one = dialogWith(['/home/op/a.siteshift.json']);
    expect(await pickExports(one, null, { command: 'open-export' })).toEqual({
      command: 'open-export',
      path: '/home/op/a.siteshift.json',
    });
    expect(one.showOpenDialog.mock.calls[0]![0]).toMatchObject({ properties: ['openFile'] });
    const two = dialogWith(['/a.siteshift.json', '/b.siteshift.json']);
    expect(await pickExports(two, null, { command: 'compare-exports' })).toEqual({
      command: 'compare-exports',
      paths: ['/a.siteshift.json', '/b.siteshift.json'],
    });
    expect(two.showOpenDialog.mock.calls[0]![0]).toMatchObject({
      properties: ['openFile', 'multiSelections'],
    });
  });

  it('sends nothing when the operator cancels, and passes other commands and given paths through', async () => {
    expect(await pickExports(dialogWith([], true), null, { command: 'compare-exports' })).toBeNull();
    const untouched = dialogWith(['/x']);
    expect(
      await pickExports(untouched, null, { command: 'open-export', path: '/given.siteshift.json' }),
    ).toEqual({
      command: 'open-export',
      path: '/given.siteshift.json',
    });
    expect(await pickExports(untouched, null, { command: 'export' })).toEqual({ command: 'export' });
    expect(untouched.showOpenDialog).not.toHaveBeenCalled();
  });
});
