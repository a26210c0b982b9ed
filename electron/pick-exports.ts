import type { BrowserWindow, Dialog } from 'electron';
import type { AppCommand } from '../shared/schemas/app';

/**
 * File › Open Export… and Compare Exports… from the application menu. A menu click is not a user
 * gesture inside the page, and Chromium opens no file picker from a script without one, so the
 * shell asks for the files with the native dialog and hands the renderer their paths.
 */
export async function pickExports(
  dialog: Pick<Dialog, 'showOpenDialog'>,
  window: BrowserWindow | null,
  command: AppCommand,
): Promise<AppCommand | null> {
  const compare = command.command === 'compare-exports';
  if (!(compare || command.command === 'open-export') || ('path' in command && command.path)) return command;
  const options: Electron.OpenDialogOptions = {
    title: compare ? 'Compare two Siteshift exports' : 'Open a Siteshift export',
    buttonLabel: compare ? 'Compare' : 'Open',
    properties: compare ? ['openFile', 'multiSelections'] : ['openFile'],
    filters: [
      { name: 'Siteshift exports', extensions: ['siteshift.json', 'json'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  if (result.canceled || result.filePaths.length === 0) return null;
  if (!compare) return { command: 'open-export', path: result.filePaths[0]! };
  // The renderer says what is wrong with a count other than two.
  return { command: 'compare-exports', paths: result.filePaths };
}
