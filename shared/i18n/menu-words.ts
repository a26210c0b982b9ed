import type { Locale } from './locale';

/**
 * The desktop app's native menu, in English and Dutch. Only the main process shows these, and it may
 * not import the renderer, so they live here. Electron's role items carry English labels it does not
 * translate, so every item, roles included, is given its words. `&` marks the Windows/Linux access key.
 */
export const menuWordsEn = {
  file: '&File',
  openExport: 'Open Export…',
  compareExports: 'Compare Exports…',
  export: 'Export…',
  settings: 'Settings',
  settingsMac: 'Settings…',
  closeWindow: 'Close Window',
  quit: 'Quit',
  exit: 'Exit',
  quitApp: 'Quit {product}',
  edit: '&Edit',
  undo: 'Undo',
  redo: 'Redo',
  cut: 'Cut',
  copy: 'Copy',
  paste: 'Paste',
  pasteAndMatchStyle: 'Paste and Match Style',
  delete: 'Delete',
  selectAll: 'Select All',
  view: '&View',
  resetZoom: 'Actual Size',
  zoomIn: 'Zoom In',
  zoomOut: 'Zoom Out',
  theme: 'Theme',
  themeSystem: 'Follow System',
  themeLight: 'Light',
  themeDark: 'Dark',
  fullScreen: 'Toggle Full Screen',
  devTools: 'Toggle Developer Tools',
  window: '&Window',
  minimize: 'Minimize',
  zoom: 'Zoom',
  front: 'Bring All to Front',
  close: 'Close',
  help: '&Help',
  shortcuts: 'Keyboard Shortcuts',
  logsFolder: 'Open Logs Folder',
  about: 'About {product}',
  services: 'Services',
  hide: 'Hide {product}',
  hideOthers: 'Hide Others',
  showAll: 'Show All',
} as const;

export type MenuWordKey = keyof typeof menuWordsEn;
export type MenuWords = Readonly<Record<MenuWordKey, string>>;

export const menuWordsNl: MenuWords = {
  file: '&Bestand',
  openExport: 'Export openen…',
  compareExports: 'Exports vergelijken…',
  export: 'Exporteren…',
  settings: 'Instellingen',
  settingsMac: 'Instellingen…',
  closeWindow: 'Venster sluiten',
  quit: 'Stoppen',
  exit: 'Afsluiten',
  quitApp: 'Stop {product}',
  edit: 'B&ewerken',
  undo: 'Ongedaan maken',
  redo: 'Opnieuw',
  cut: 'Knippen',
  copy: 'Kopiëren',
  paste: 'Plakken',
  pasteAndMatchStyle: 'Plakken met zelfde stijl',
  delete: 'Verwijderen',
  selectAll: 'Alles selecteren',
  view: 'Beel&d',
  resetZoom: 'Werkelijke grootte',
  zoomIn: 'Inzoomen',
  zoomOut: 'Uitzoomen',
  theme: 'Thema',
  themeSystem: 'Systeem volgen',
  themeLight: 'Licht',
  themeDark: 'Donker',
  fullScreen: 'Volledig scherm aan/uit',
  devTools: 'Ontwikkelhulpmiddelen aan/uit',
  window: '&Venster',
  minimize: 'Minimaliseren',
  zoom: 'Zoomen',
  front: 'Alles op voorgrond',
  close: 'Sluiten',
  help: '&Help',
  shortcuts: 'Sneltoetsen',
  logsFolder: 'Logmap openen',
  about: 'Over {product}',
  services: 'Voorzieningen',
  hide: 'Verberg {product}',
  hideOthers: 'Verberg andere',
  showAll: 'Toon alles',
};

const words: Record<Locale, MenuWords> = { en: menuWordsEn, nl: menuWordsNl };

/** The menu's word for `key` in `locale`, with `{product}` filled in. */
export function menuWord(locale: Locale, key: MenuWordKey, product = ''): string {
  return words[locale][key].replace('{product}', product);
}
