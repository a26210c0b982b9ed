import { join, normalize, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, type BrowserWindow, net, protocol, session } from 'electron';
import { ConsoleBackend } from '../core/console/backend';
import { consoleConnectors } from '../core/console/connectors';
import { KeyFileVault, type SecretVault } from '../core/console/vault';
import { startConsoleLabServer } from '../server/lab/console';
import { createDispatcher } from '../shared/dispatch';
import { pushEvent, serveIpc } from './ipc';
import { APP_SCHEME, contentSecurityPolicy } from './security';
import { SafeStorageVault } from './vault';
import { createMainWindow, denyPermissions, enforceCsp } from './window';

// The renderer is served from siteshift://app/, a secure standard scheme, so the CSP's 'self'
// means the app and nothing on disk or the network.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;
  let backend: ConsoleBackend | null = null;

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  app.whenReady().then(async () => {
    const rendererDir = resolve(__dirname, '../renderer');
    protocol.handle(APP_SCHEME, async (request) => {
      const path = normalize(decodeURIComponent(new URL(request.url).pathname));
      const file = resolve(rendererDir, `.${path}`);
      if (relative(rendererDir, file).startsWith('..')) return new Response('not found', { status: 404 });
      const response = await net.fetch(pathToFileURL(file).toString());
      const headers = new Headers(response.headers);
      headers.set('Content-Security-Policy', contentSecurityPolicy);
      return new Response(response.body, { status: response.status, headers });
    });
    denyPermissions(session.defaultSession);
    enforceCsp(session.defaultSession);

    const dataDir = app.getPath('userData');
    const vault: SecretVault = SafeStorageVault.available()
      ? new SafeStorageVault()
      : new KeyFileVault(join(dataDir, 'vault.key'));
    backend = new ConsoleBackend({
      dataDir,
      vault,
      host: 'electron',
      connectors: consoleConnectors,
      startLabServer: startConsoleLabServer,
    });
    backend.warmUp();
    serveIpc(createDispatcher(backend.handlers));
    backend.onEvent((name, payload) => {
      if (mainWindow) pushEvent(mainWindow.webContents, name, payload);
    });

    mainWindow = createMainWindow(join(__dirname, 'preload.cjs'));
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  });

  app.on('window-all-closed', () => {
    void backend?.close().finally(() => app.quit());
  });
}
