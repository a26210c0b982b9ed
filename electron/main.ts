import { join, resolve } from 'node:path';
import {
  app,
  type BrowserWindow,
  dialog,
  Menu,
  Notification,
  nativeImage,
  nativeTheme,
  net,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
} from 'electron';
import { realConnectors } from '../core/connectors';
import { ConsoleBackend } from '../core/console/backend';
import { loggedDispatch } from '../core/console/call-log';
import { createSecretStorage } from '../core/console/secret-storage';
import { createLogger, logCrashes } from '../core/log';
import packageJson from '../package.json' with { type: 'json' };
import { startConsoleLabServer } from '../server/lab/console';
import { createDispatcher } from '../shared/dispatch';
import { type Locale, pickLocale } from '../shared/i18n/locale';
import { type AppCommand, appCommandSchema } from '../shared/schemas/app';
import type { Settings } from '../shared/schemas/settings';
import { pushEvent, serveIpc } from './ipc';
import { JobTracker } from './jobs';
import { menuTemplate } from './menu';
import { pickExports } from './pick-exports';
import { APP_SCHEME } from './security';
import { type Updater, UpdateService } from './updates';
import { SafeStorageVault } from './vault';
import {
  blockRemoteContent,
  createMainWindow,
  denyPermissions,
  enforceCsp,
  rendererProtocol,
} from './window';
import { loadWindowState, saveWindowState, visibleBounds } from './window-state';

// The renderer is served from siteshift://app/, a secure standard scheme, so the CSP's 'self'
// means the app and nothing on disk or the network.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

/**
 * A file handed over on the command line (file association, second launch). Any .json is passed
 * on: Windows offers Siteshift under "Open with" for every .json, and a file that is not a
 * *.siteshift.json export should meet export:open's plain refusal, not silence.
 */
export function exportFileIn(argv: readonly string[]): string | undefined {
  return argv.find((a) => !a.startsWith('-') && a.toLowerCase().endsWith('.json'));
}

if (!app.requestSingleInstanceLock()) {
  // The first instance receives our argv in 'second-instance' and opens the file there.
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;
  let backend: ConsoleBackend | null = null;
  let tray: Tray | null = null;
  // Commands wait until the renderer has made its first call: by then it has subscribed.
  let rendererReady = false;
  const pendingCommands: AppCommand[] = [];

  const sendCommand = (command: AppCommand) => {
    const checked = appCommandSchema.parse(command);
    if (mainWindow && rendererReady) pushEvent(mainWindow.webContents, 'app:command', checked);
    else pendingCommands.push(checked);
  };
  const focusWindow = () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };

  app.on('second-instance', (_event, argv) => {
    focusWindow();
    const path = exportFileIn(argv.slice(1));
    if (path) sendCommand({ command: 'open-export', path });
  });
  // macOS hands files over by event, before or after ready.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    focusWindow();
    sendCommand({ command: 'open-export', path });
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  app.whenReady().then(async () => {
    const dataDir = app.getPath('userData');
    const logsDir = join(dataDir, 'logs');
    app.setAppLogsPath(logsDir);
    const logger = await createLogger({ dir: logsDir, name: 'main' });
    logCrashes(logger, logsDir, 'main', (code) => app.exit(code));
    logger.info({ electron: process.versions.electron, platform: process.platform }, 'starting');
    if (process.platform === 'win32') app.setAppUserModelId(packageJson.appId);

    protocol.handle(
      APP_SCHEME,
      rendererProtocol(resolve(__dirname, '../renderer'), (url) => net.fetch(url)),
    );
    denyPermissions(session.defaultSession);
    enforceCsp(session.defaultSession);
    blockRemoteContent(session.defaultSession);

    const keychain = SafeStorageVault.available();
    const secrets = createSecretStorage({
      dataDir,
      osKeychain: keychain ? new SafeStorageVault() : null,
      noKeychainReason: {
        kind: 'no-keyring',
        // Only Linux chooses among keyring libraries; elsewhere there is none to name.
        backend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null,
      },
    });
    const updates = new UpdateService({
      packaged: app.isPackaged,
      logger,
      loadUpdater: async () => (await import('electron-updater')).autoUpdater as unknown as Updater,
    });
    // The renderer's 'system' language is Chromium's, which follows the app locale.
    let language: Locale = 'en';
    const applySettings = async (settings: Settings) => {
      language = pickLocale(settings.language, [app.getLocale()]);
      secrets.apply(settings);
      nativeTheme.themeSource = settings.theme;
      buildMenu(settings);
      await updates.apply(settings).catch((err: unknown) => logger.warn({ err }, 'updater'));
    };
    backend = new ConsoleBackend({
      dataDir,
      vault: secrets.vault,
      host: 'electron',
      connectors: realConnectors,
      startLabServer: startConsoleLabServer,
      settingsHost: {
        logsDir,
        secrets: secrets.describe,
        updates: (settings) => updates.state(settings),
        applied: applySettings,
      },
    });
    const console_ = backend;

    const iconDir = __dirname;
    const buildMenu = (settings: Settings) => {
      Menu.setApplicationMenu(
        Menu.buildFromTemplate(
          menuTemplate({
            platform: process.platform,
            productName: packageJson.productName,
            theme: settings.theme,
            packaged: app.isPackaged,
            locale: language,
            actions: {
              command: (command) => {
                focusWindow();
                void pickExports(dialog, mainWindow, command).then((picked) => picked && sendCommand(picked));
              },
              setTheme: (theme) => void console_.updateSettings({ theme }),
              openLogsFolder: () => void shell.openPath(logsDir),
              about: () => app.showAboutPanel(),
            },
          }),
        ),
      );
    };
    app.setAboutPanelOptions({
      applicationName: packageJson.productName,
      applicationVersion: packageJson.version,
      copyright: packageJson.description,
      iconPath: join(iconDir, 'icon.png'),
    });

    const jobs = new JobTracker({
      focused: () => mainWindow?.isFocused() ?? false,
      setProgress: (fraction) => mainWindow?.setProgressBar(fraction),
      setTray: (text) => {
        if (text === null) {
          tray?.destroy();
          tray = null;
          return;
        }
        if (!tray) {
          tray = new Tray(nativeImage.createFromPath(join(iconDir, 'tray.png')));
          tray.on('click', focusWindow);
        }
        tray.setToolTip(text);
      },
      notify: (title, body) => {
        if (!Notification.isSupported()) return;
        const note = new Notification({ title, body, icon: join(iconDir, 'icon.png') });
        note.on('click', focusWindow);
        note.show();
      },
      locale: () => language,
    });

    let settings: Settings;
    try {
      settings = await backend.settings.get();
    } catch (err) {
      // A damaged settings file is reported and left for the operator; the console runs on defaults.
      logger.error({ err }, 'settings unreadable');
      settings = (await import('../shared/schemas/settings')).defaultSettings;
    }
    await applySettings(settings);
    backend.warmUp();
    const dispatch = loggedDispatch(createDispatcher(backend.handlers), logger);
    serveIpc(async (name, input, signal) => {
      const result = await dispatch(name, input, signal);
      jobs.noteCallResult(result);
      if (!rendererReady) {
        rendererReady = true;
        setImmediate(() => {
          for (const c of pendingCommands.splice(0)) sendCommand(c);
        });
      }
      return result;
    });
    backend.onEvent((name, payload) => {
      if (name === 'job:progress')
        jobs.progress((payload as { job: Parameters<JobTracker['progress']>[0] }).job);
      if (mainWindow) pushEvent(mainWindow.webContents, name, payload);
    });

    const statePath = join(dataDir, 'window-state.json');
    const saved = await loadWindowState(statePath);
    const display = (d: Electron.Display) => d.workArea;
    const bounds = saved
      ? visibleBounds(saved.bounds, screen.getAllDisplays().map(display), display(screen.getPrimaryDisplay()))
      : undefined;
    const win = createMainWindow(join(__dirname, 'preload.cjs'), {
      ...(bounds ? { bounds } : {}),
      maximized: saved?.maximized ?? false,
      icon: join(iconDir, 'icon.png'),
    });
    mainWindow = win;
    win.on('close', () => {
      const state = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
      void saveWindowState(statePath, state).catch((err: unknown) => logger.warn({ err }, 'window state'));
    });
    win.webContents.on('did-start-loading', () => {
      rendererReady = false;
    });
    win.on('closed', () => {
      mainWindow = null;
    });
    const path = exportFileIn(process.argv.slice(1));
    if (path) sendCommand({ command: 'open-export', path });
  });

  app.on('window-all-closed', () => {
    tray?.destroy();
    void backend?.close().finally(() => app.quit());
  });
}
