import type { MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../shared/schemas/app';
import type { Theme } from '../shared/schemas/settings';

export interface MenuActions {
  /** Hands a command to the renderer (typed app:command event). */
  command(command: AppCommand): void;
  setTheme(theme: Theme): void;
  openLogsFolder(): void;
  about(): void;
}

/**
 * The application menu as data (tested without Electron): File, Edit, View, Window, Help. Zoom,
 * clipboard and window items are Electron roles, so they behave as each OS expects; the rest are
 * typed commands. Developer tools appear only in an unpackaged build.
 */
export function menuTemplate(options: {
  platform: NodeJS.Platform;
  productName: string;
  theme: Theme;
  packaged: boolean;
  actions: MenuActions;
}): MenuItemConstructorOptions[] {
  const { actions, platform } = options;
  const mac = platform === 'darwin';
  const themeItem = (theme: Theme, label: string): MenuItemConstructorOptions => ({
    label,
    type: 'radio',
    checked: options.theme === theme,
    click: () => actions.setTheme(theme),
  });
  const template: MenuItemConstructorOptions[] = [
    {
      label: '&File',
      submenu: [
        {
          label: 'Open Export…',
          accelerator: 'CmdOrCtrl+O',
          click: () => actions.command({ command: 'open-export' }),
        },
        {
          label: 'Compare Exports…',
          accelerator: 'CmdOrCtrl+Shift+O',
          click: () => actions.command({ command: 'compare-exports' }),
        },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => actions.command({ command: 'export' }) },
        { type: 'separator' },
        {
          label: mac ? 'Settings…' : 'Settings',
          accelerator: 'CmdOrCtrl+,',
          click: () => actions.command({ command: 'settings' }),
        },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { label: '&Edit', role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        {
          label: 'Theme',
          submenu: [
            themeItem('system', 'Follow System'),
            themeItem('light', 'Light'),
            themeItem('dark', 'Dark'),
          ],
        },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(options.packaged ? [] : [{ role: 'toggleDevTools' } as MenuItemConstructorOptions]),
      ],
    },
    { label: '&Window', role: 'windowMenu' },
    {
      label: '&Help',
      role: 'help',
      submenu: [
        {
          label: 'Keyboard Shortcuts',
          accelerator: 'CmdOrCtrl+/',
          click: () => actions.command({ command: 'keyboard-shortcuts' }),
        },
        { label: 'Open Logs Folder', click: () => actions.openLogsFolder() },
        ...(mac ? [] : [{ type: 'separator' } as MenuItemConstructorOptions]),
        ...(mac ? [] : [{ label: `About ${options.productName}`, click: () => actions.about() }]),
      ],
    },
  ];
  if (mac) {
    template.unshift({
      label: options.productName,
      submenu: [
        { label: `About ${options.productName}`, click: () => actions.about() },
        { type: 'separator' },
        { label: 'Settings…', accelerator: 'Cmd+,', click: () => actions.command({ command: 'settings' }) },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
    // On macOS Settings lives in the app menu; File keeps the document commands.
    const file = template[1]!.submenu as MenuItemConstructorOptions[];
    template[1]!.submenu = file
      .filter((i) => i.label !== 'Settings…')
      .filter((i, n, all) => !(i.type === 'separator' && all[n - 1]?.type === 'separator'));
  }
  return template;
}
