import { normalize, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, type Session } from 'electron';
import { APP_SCHEME, APP_URL, contentSecurityPolicy, lockNavigation, secureWebPreferences } from './security';

/** Every permission request (camera, notifications, geolocation …) is refused: the console needs none. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * No remote content: a request from a window (not from the main process, e.g. the updater) may go
 * only to the app's own scheme; http(s), ws(s) and file URLs are cancelled before they leave.
 */
export function blockRemoteContent(session: Session): void {
  session.webRequest.onBeforeRequest((details, callback) => {
    const fromWindow = details.webContentsId !== undefined;
    const own = details.url.startsWith(`${APP_SCHEME}:`) || details.url.startsWith('devtools:');
    callback({ cancel: fromWindow && !own });
  });
}

/**
 * The siteshift:// scheme serves the built renderer and nothing else: a path that decodes to
 * outside the renderer folder (`%2e%2e/`) is refused, and every answer carries the CSP.
 */
export function rendererProtocol(
  rendererDir: string,
  fetchFile: (fileUrl: string) => Promise<Response>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const path = normalize(decodeURIComponent(new URL(request.url).pathname));
    const file = resolve(rendererDir, `.${path}`);
    if (relative(rendererDir, file).startsWith('..')) return new Response('not found', { status: 404 });
    const response = await fetchFile(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy);
    return new Response(response.body, { status: response.status, headers });
  };
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
