import { describe, expect, it, vi } from 'vitest';

const quit = vi.fn();
const whenReady = vi.fn(() => new Promise(() => undefined));
const registerSchemesAsPrivileged = vi.fn();

vi.mock('electron', () => ({
  app: { requestSingleInstanceLock: () => false, quit, whenReady, on: vi.fn(), getPath: () => '/tmp' },
  protocol: { registerSchemesAsPrivileged, handle: vi.fn() },
  session: {},
  net: {},
  safeStorage: {},
  ipcMain: { handle: vi.fn(), on: vi.fn() },
  BrowserWindow: class {},
  shell: {},
}));

describe('Electron main process', () => {
  it('quits when another instance holds the single-instance lock, and registers the app scheme as secure', {
    timeout: 60_000,
  }, async () => {
    await import('../../electron/main');
    expect(quit).toHaveBeenCalled();
    expect(whenReady).not.toHaveBeenCalled();
    expect(registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'siteshift', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });
});
