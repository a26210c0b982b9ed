import type { WebContents, WebPreferences } from 'electron';
import { shell } from 'electron';
import { contentSecurityPolicy } from '../core/console/csp';

/** The app's own origin: the renderer is served from this custom scheme, never from file://. */
export const APP_SCHEME = 'siteshift';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

export { contentSecurityPolicy };

/** Links the operator may open in the system browser (documentation only); everything else is denied. */
export const externalLinkAllowList: readonly string[] = [
  'docs.vmware.com',
  'techdocs.broadcom.com',
  'learn.microsoft.com',
  'github.com',
];

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'app';
  } catch {
    return false;
  }
}

export function isAllowedExternalLink(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.username === '' && externalLinkAllowList.includes(u.hostname);
  } catch {
    return false;
  }
}

/**
 * Keeps a window on the app: navigation and redirects away from it are refused, new windows are
 * denied, and allow-listed https links go to the system browser instead.
 */
export function lockNavigation(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
