import { BrowserWindow, type Session } from 'electron';
import { APP_URL, contentSecurityPolicy, lockNavigation, secureWebPreferences } from './security';

/** Every permission request (camera, notifications, geolocation …) is refused: the console needs none. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** The CSP travels as a response header on everything the window loads, not only in the HTML. */
export function enforceCsp(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] },
    });
  });
}

export function createMainWindow(
  preloadPath: string,
  options: {
    bounds?: { x: number; y: number; width: number; height: number };
    maximized?: boolean;
    icon?: string;
  } = {},
): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    ...options.bounds,
    ...(options.icon ? { icon: options.icon } : {}),
    minWidth: 1024,
    minHeight: 640,
    title: 'Siteshift',
    show: false,
    backgroundColor: '#f4f6f9',
    webPreferences: secureWebPreferences(preloadPath),
  });
  lockNavigation(win.webContents);
  win.once('ready-to-show', () => {
    if (options.maximized) win.maximize();
    win.show();
  });
  void win.loadURL(APP_URL);
  return win;
}
