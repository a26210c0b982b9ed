import { create } from 'zustand';
import type { SiteshiftApi } from '../../shared/contract';
import type { OpenedExport } from '../../shared/export/open';
import type { ExportDiff, ExportFormat } from '../../shared/export/schema';
import type { AppCommand } from '../../shared/schemas/app';
import { locale, t } from './i18n';
import { errorText } from './store';
import { useMapFolds } from './topology/folds';

/**
 * The offline side of the console: an opened export (read-only snapshot), the diff of two, and
 * File → Export. Files are read and verified here, in the renderer (shared/export/open.ts), so an
 * export of any size opens without crossing the console transport.
 */
export interface OpenedFile extends OpenedExport {
  name: string;
}

export interface OfflineState {
  mode: 'none' | 'snapshot' | 'diff';
  snapshot: OpenedFile | null;
  diff: { a: OpenedFile; b: OpenedFile; result: ExportDiff } | null;
  busy: string | null;
  /** An export is under way (the dialog offers to cancel it). */
  exporting: boolean;
  error: string | null;
  exportDialog: boolean;
  lastExport: { fileName: string; bytes: number; digest: string; signedBy: string | null } | null;
  /** What became of the last export when it produced no file (cancelled). */
  exportNote: string | null;
  /** Bumped to ask the file menu to show the system file picker (app:command open-export without a path). */
  pickRequest: { seq: number; compare: boolean };

  openFiles(files: readonly File[]): Promise<void>;
  openText(name: string, text: string): Promise<void>;
  compare(a: { name: string; text: string }, b: { name: string; text: string }): Promise<void>;
  close(): void;
  dismissError(): void;
  showExportDialog(open: boolean): void;
  exportAs(api: SiteshiftApi, format: ExportFormat): Promise<void>;
  /** Stops the export under way (the backend stops reading sources); nothing is downloaded. */
  cancelExport(): void;
  command(api: SiteshiftApi, command: AppCommand): Promise<void>;
}

// Reading and comparing exports loads its code (the export document's schemas) when first used:
// the console's first screen does not wait for it.
async function read(name: string, text: string): Promise<OpenedFile> {
  const { openExport } = await import('../../shared/export/open');
  return { name, ...(await openExport(text, name)) };
}

/** Hands the bytes to the browser (or Electron) as a download: the operator chooses where it goes. */
function download(fileName: string, mimeType: string, base64: string): void {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The export under way, so that the dialog can cancel it. */
let exporting: AbortController | null = null;

export const useOffline = create<OfflineState>((set, get) => ({
  mode: 'none',
  snapshot: null,
  diff: null,
  busy: null,
  exporting: false,
  error: null,
  exportDialog: false,
  lastExport: null,
  exportNote: null,
  pickRequest: { seq: 0, compare: false },

  async openFiles(files) {
    if (files.length === 0) return;
    if (files.length > 2) {
      set({ error: t('offline.dropTooMany') });
      return;
    }
    const texts = await Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() })));
    if (texts.length === 2) await get().compare(texts[0]!, texts[1]!);
    else await get().openText(texts[0]!.name, texts[0]!.text);
  },

  async openText(name, text) {
    set({ busy: t('offline.opening', { name }), error: null });
    try {
      const snapshot = await read(name, text);
      set({ snapshot, mode: 'snapshot', busy: null });
    } catch (err) {
      // Nothing of a file that cannot be read is shown: the previous view stays as it was.
      set({ busy: null, error: errorText(err) });
    }
  },

  async compare(a, b) {
    set({ busy: t('offline.comparing', { a: a.name, b: b.name }), error: null });
    try {
      let [fa, fb] = await Promise.all([read(a.name, a.text), read(b.name, b.text)]);
      const { diffExports } = await import('../../shared/export/diff');
      // Older first, whatever order the files were picked or dropped in.
      if (fa.document.exportedAt > fb.document.exportedAt) [fa, fb] = [fb, fa];
      set({
        diff: { a: fa, b: fb, result: diffExports(fa.document, fb.document) },
        mode: 'diff',
        busy: null,
      });
    } catch (err) {
      set({ busy: null, error: errorText(err) });
    }
  },

  close: () => set({ mode: 'none', snapshot: null, diff: null, error: null }),
  dismissError: () => set({ error: null }),
  showExportDialog: (open) =>
    set({ exportDialog: open, lastExport: open ? get().lastExport : null, exportNote: null }),

  async exportAs(api, format) {
    const abort = new AbortController();
    exporting = abort;
    set({
      busy: t('offline.exportingAs', { format: format.toUpperCase() }),
      exporting: true,
      error: null,
      lastExport: null,
      exportNote: null,
    });
    try {
      // The picture opens what the operator opened on the map.
      const expanded = [...useMapFolds.getState().expanded];
      // Its words are the console's language: the runbook goes to colleagues who read this one.
      const file = await api['export:create'](
        { format, expanded, locale: locale() },
        { signal: abort.signal },
      );
      download(file.fileName, file.mimeType, file.contentBase64);
      set({
        busy: null,
        exporting: false,
        lastExport: {
          fileName: file.fileName,
          bytes: file.bytes,
          digest: file.digest,
          signedBy: file.signedBy,
        },
      });
    } catch (err) {
      if (abort.signal.aborted)
        set({ busy: null, exporting: false, exportNote: t('offline.exportCancelled') });
      else set({ busy: null, exporting: false, error: errorText(err) });
    } finally {
      if (exporting === abort) exporting = null;
    }
  },

  cancelExport() {
    exporting?.abort();
  },

  async command(api, command) {
    // Settings is a screen of the live console: leave the snapshot or comparison to show it.
    if (command.command === 'settings') set({ mode: 'none', snapshot: null, diff: null });
    else if (command.command === 'export') {
      set({ exportDialog: true, lastExport: null, exportNote: null });
    } else if (command.command === 'compare-exports') {
      if (!command.paths) {
        set((s) => ({ pickRequest: { seq: s.pickRequest.seq + 1, compare: true } }));
        return;
      }
      if (command.paths.length !== 2) {
        set({ error: t('offline.pickTwo') });
        return;
      }
      set({ busy: t('offline.readingTwo'), error: null });
      try {
        const [a, b] = await Promise.all(command.paths.map((path) => api['export:open']({ path })));
        await get().compare(a!, b!);
      } catch (err) {
        set({ busy: null, error: errorText(err) });
      }
    } else if (command.command === 'open-export') {
      if (!command.path) {
        set((s) => ({ pickRequest: { seq: s.pickRequest.seq + 1, compare: false } }));
        return;
      }
      set({ busy: t('offline.opening', { name: command.path }), error: null });
      try {
        const file = await api['export:open']({ path: command.path });
        await get().openText(file.name, file.text);
      } catch (err) {
        set({ busy: null, error: errorText(err) });
      }
    }
  },
}));
