import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// A stand-in for the electron module: records what the shell asks of it.
const created: Array<{ options: Record<string, unknown>; contents: FakeContents; url?: string }> = [];
const openExternal = vi.fn(async () => undefined);

class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
}

vi.mock('electron', () => {
  class BrowserWindow extends EventEmitter {
    webContents = new FakeContents();
    constructor(options: Record<string, unknown>) {
      super();
      created.push({ options, contents: this.webContents });
    }
    loadURL(url: string) {
      created.at(-1)!.url = url;
      return Promise.resolve();
    }
    show() {}
  }
  return { BrowserWindow, shell: { openExternal }, default: {} };
});

const { createMainWindow, denyPermissions, enforceCsp } = await import('../../electron/window');
const { contentSecurityPolicy } = await import('../../electron/security');

function navigate(contents: FakeContents, event: string, url: string): boolean {
  let prevented = false;
  contents.emit(event, { preventDefault: () => (prevented = true) }, url);
  return prevented;
}

describe('Electron shell', () => {
  beforeEach(() => {
    created.length = 0;
    openExternal.mockClear();
  });

  it('creates the window with isolated, sandboxed web preferences', () => {
    createMainWindow('/app/preload.cjs');
    const prefs = created[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
    expect(created[0]!.url).toBe('siteshift://app/index.html');
  });

  it('has a strict Content Security Policy', () => {
    expect(contentSecurityPolicy).toContain("default-src 'none'");
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).not.toMatch(/unsafe-eval|unsafe-inline|https?:|\*/);
    let headers: Record<string, string[]> | undefined;
    const fakeSession = {
      webRequest: {
        onHeadersReceived: (
          fn: (
            d: { responseHeaders: Record<string, string[]> },
            cb: (r: { responseHeaders: Record<string, string[]> }) => void,
          ) => void,
        ) => fn({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (headers = r.responseHeaders)),
      },
    };
    enforceCsp(fakeSession as never);
    expect(headers).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [contentSecurityPolicy] });
  });

  it('locks navigation to the app', () => {
    createMainWindow('/p.cjs');
    const contents = created[0]!.contents;
    expect(navigate(contents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'siteshift://other/index.html')).toBe(true);
    expect(navigate(contents, 'will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'siteshift://app/index.html#inventory')).toBe(false);
    expect(navigate(contents, 'will-attach-webview', 'siteshift://app/')).toBe(true);
  });

  it('denies window.open and sends only allow-listed https links to the system browser', () => {
    createMainWindow('/p.cjs');
    const open = created[0]!.contents.openHandler!;
    expect(open({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(open({ url: 'http://learn.microsoft.com/' })).toEqual({ action: 'deny' });
    expect(open({ url: 'https://user@learn.microsoft.com/' })).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
    expect(open({ url: 'https://learn.microsoft.com/powershell/module/hyper-v/' })).toEqual({
      action: 'deny',
    });
    expect(openExternal).toHaveBeenCalledWith('https://learn.microsoft.com/powershell/module/hyper-v/');
  });

  it('refuses every permission request', () => {
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    denyPermissions({
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
    } as never);
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read'])
      request!(null, p, (ok) => answers.push(ok));
    expect(answers).toEqual([false, false, false, false]);
    expect(check!()).toBe(false);
  });
});

describe('no remote content', () => {
  it('cancels every request a window makes outside the app scheme; the main process (updater) is not affected', async () => {
    const { blockRemoteContent } = await import('../../electron/window');
    let handler:
      | ((d: { url: string; webContentsId?: number }, cb: (r: { cancel: boolean }) => void) => void)
      | undefined;
    blockRemoteContent({ webRequest: { onBeforeRequest: (h: typeof handler) => (handler = h) } } as never);
    const cancelled = (url: string, webContentsId?: number) => {
      let answer: boolean | undefined;
      handler!(
        { url, ...(webContentsId === undefined ? {} : { webContentsId }) },
        (r) => (answer = r.cancel),
      );
      return answer;
    };
    expect(cancelled('siteshift://app/assets/index.js', 1)).toBe(false);
    expect(cancelled('https://cdn.example/lib.js', 1)).toBe(true);
    expect(cancelled('http://127.0.0.1:8080/api', 1)).toBe(true);
    expect(cancelled('wss://evil.example/', 1)).toBe(true);
    expect(cancelled('file:///etc/passwd', 1)).toBe(true);
    expect(cancelled('https://updates.example.org/latest.yml')).toBe(false);
  });
});

describe('the siteshift:// scheme', () => {
  it('serves only the built renderer, with the CSP on every answer', async () => {
    const { rendererProtocol } = await import('../../electron/window');
    const fetched: string[] = [];
    const serve = rendererProtocol('/opt/siteshift/renderer', async (url) => {
      fetched.push(url);
      return new Response('<html></html>', { headers: { 'content-type': 'text/html' } });
    });
    const ok = await serve(new Request('siteshift://app/index.html'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(fetched).toEqual(['file:///opt/siteshift/renderer/index.html']);
    // Encoded dot segments and slashes never reach outside the renderer folder.
    for (const url of [
      'siteshift://app/%2e%2e/%2e%2e/etc/passwd',
      'siteshift://app/..%2F..%2Fetc/passwd',
      'siteshift://app/assets/..%5C..%5C..%5Cetc/passwd',
    ])
      await serve(new Request(url));
    expect(fetched.slice(1).every((u) => u.startsWith('file:///opt/siteshift/renderer/'))).toBe(true);
    expect(fetched).toHaveLength(4);
  });
});
