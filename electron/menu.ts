import type { MenuItemConstructorOptions } from 'electron';
import type { Locale } from '../shared/i18n/locale';
import { type MenuWordKey, menuWord } from '../shared/i18n/menu-words';
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
 * typed commands. Developer tools appear only in an unpackaged build. Every label, roles' too, is in
 * the console's language (`locale`); main builds the menu again when the language setting changes.
 */
export function menuTemplate(options: {
  platform: NodeJS.Platform;
  productName: string;
  theme: Theme;
  packaged: boolean;
  locale: Locale;
  actions: MenuActions;
}): MenuItemConstructorOptions[] {
  const { actions, platform } = options;
  const mac = platform === 'darwin';
  const w = (key: MenuWordKey) => menuWord(options.locale, key, options.productName);
  // A role keeps its native behaviour; its label is ours, as Electron's are English only.
  const role = (
    r: NonNullable<MenuItemConstructorOptions['role']>,
    key: MenuWordKey,
  ): MenuItemConstructorOptions => ({
    role: r,
    label: w(key),
  });
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  const themeItem = (theme: Theme, label: string): MenuItemConstructorOptions => ({
    label,
    type: 'radio',
    checked: options.theme === theme,
    click: () => actions.setTheme(theme),
  });
  const template: MenuItemConstructorOptions[] = [
    {
      label: w('file'),
      submenu: [
        {
          label: w('openExport'),
          accelerator: 'CmdOrCtrl+O',
          click: () => actions.command({ command: 'open-export' }),
        },
        {
          label: w('compareExports'),
          accelerator: 'CmdOrCtrl+Shift+O',
          click: () => actions.command({ command: 'compare-exports' }),
        },
        {
          label: w('export'),
          accelerator: 'CmdOrCtrl+E',
          click: () => actions.command({ command: 'export' }),
        },
        { type: 'separator' },
        {
          id: 'settings',
          label: mac ? w('settingsMac') : w('settings'),
          accelerator: 'CmdOrCtrl+,',
          click: () => actions.command({ command: 'settings' }),
        },
        { type: 'separator' },
        mac ? role('close', 'closeWindow') : role('quit', platform === 'win32' ? 'exit' : 'quit'),
      ],
    },
    {
      // Electron's editMenu role only fills in an English submenu; this is the same submenu, worded.
      label: w('edit'),
      submenu: [
        role('undo', 'undo'),
        role('redo', 'redo'),
        separator,
        role('cut', 'cut'),
        role('copy', 'copy'),
        role('paste', 'paste'),
        ...(mac ? [role('pasteAndMatchStyle', 'pasteAndMatchStyle')] : []),
        role('delete', 'delete'),
        ...(mac ? [] : [separator]),
        role('selectAll', 'selectAll'),
      ],
    },
    {
      label: w('view'),
      submenu: [
        role('resetZoom', 'resetZoom'),
        role('zoomIn', 'zoomIn'),
        role('zoomOut', 'zoomOut'),
        separator,
        {
          label: w('theme'),
          submenu: [
            themeItem('system', w('themeSystem')),
            themeItem('light', w('themeLight')),
            themeItem('dark', w('themeDark')),
          ],
        },
        separator,
        role('togglefullscreen', 'fullScreen'),
        ...(options.packaged ? [] : [role('toggleDevTools', 'devTools')]),
      ],
    },
    {
      // The role keeps macOS's window list; the submenu is Electron's default, worded.
      label: w('window'),
      role: 'windowMenu',
      submenu: mac
        ? [role('minimize', 'minimize'), role('zoom', 'zoom'), separator, role('front', 'front')]
        : [role('minimize', 'minimize'), role('close', 'close')],
    },
    {
      label: w('help'),
      role: 'help',
      submenu: [
        {
          label: w('shortcuts'),
          accelerator: 'CmdOrCtrl+/',
          click: () => actions.command({ command: 'keyboard-shortcuts' }),
        },
        { label: w('logsFolder'), click: () => actions.openLogsFolder() },
        ...(mac ? [] : [{ type: 'separator' } as MenuItemConstructorOptions]),
        ...(mac ? [] : [{ label: w('about'), click: () => actions.about() }]),
      ],
    },
  ];
  if (mac) {
    template.unshift({
      label: options.productName,
      submenu: [
        { label: w('about'), click: () => actions.about() },
        separator,
        {
          label: w('settingsMac'),
          accelerator: 'Cmd+,',
          click: () => actions.command({ command: 'settings' }),
        },
        separator,
        role('services', 'services'),
        separator,
        role('hide', 'hide'),
        role('hideOthers', 'hideOthers'),
        role('unhide', 'showAll'),
        separator,
        role('quit', 'quitApp'),
      ],
    });
    // On macOS Settings lives in the app menu; File keeps the document commands.
    const file = template[1]!.submenu as MenuItemConstructorOptions[];
    template[1]!.submenu = file
      .filter((i) => i.id !== 'settings')
      .filter((i, n, all) => !(i.type === 'separator' && all[n - 1]?.type === 'separator'));
  }
  return template;
}
