import { useEffect, useRef, useState } from 'react';
import { type ExportFormat, exportFormatSchema } from '../../../shared/export/schema';
import { useOffline } from '../offline';
import { useConsole } from '../store';

const formats: Record<ExportFormat, string> = {
  json: 'JSON — the whole snapshot, verifiable; opens here offline (.siteshift.json)',
  html: 'HTML — one self-contained page with diagram, search and tables',
  svg: 'SVG — the topology diagram',
  png: 'PNG — the topology diagram as a picture',
  pdf: 'PDF — a runbook per plan, with contacts and sign-off',
};

const kib = (n: number) =>
  n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;

/**
 * File: Export…, Open export…, Compare exports… — the web console's menu; the desktop shell's
 * application menu sends the same commands as app:command events. Also the drop target for
 * .siteshift.json files anywhere in the window.
 */
export function FileMenu() {
  const api = useConsole((s) => s.api);
  const signing = useConsole((s) => s.settings?.exportSigning);
  const offline = useOffline();
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState<ExportFormat>('json');
  const [dragging, setDragging] = useState(false);
  const openInput = useRef<HTMLInputElement>(null);
  const compareInput = useRef<HTMLInputElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!api) return;
    return api.subscribe('app:command', (command) => void useOffline.getState().command(api, command));
  }, [api]);

  const { seq, compare } = offline.pickRequest;
  useEffect(() => {
    if (seq > 0) (compare ? compareInput : openInput).current?.click();
  }, [seq, compare]);

  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (e.relatedTarget === null) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!e.dataTransfer?.files.length) return;
      e.preventDefault();
      setDragging(false);
      void useOffline.getState().openFiles([...e.dataTransfer.files]);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);

  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (!menu.current?.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', away);
    return () => window.removeEventListener('mousedown', away);
  }, [open]);

  const pick = (input: HTMLInputElement | null) => {
    setOpen(false);
    input?.click();
  };

  return (
    <div className="file-menu" ref={menu}>
      <button
        type="button"
        className="btn file-menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        File ▾
      </button>
      {open && (
        <div className="file-menu-items" role="menu" aria-label="File">
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              setOpen(false);
              offline.showExportDialog(true);
            }}
          >
            Export…
          </button>
          <button type="button" role="menuitem" onClick={() => pick(openInput.current)}>
            Open export…
          </button>
          <button type="button" role="menuitem" onClick={() => pick(compareInput.current)}>
            Compare two exports…
          </button>
        </div>
      )}
      <input
        ref={openInput}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="open-export-input"
        onChange={(e) => {
          void offline.openFiles([...(e.target.files ?? [])]);
          e.target.value = '';
        }}
      />
      <input
        ref={compareInput}
        type="file"
        accept=".json,application/json"
        multiple
        hidden
        data-testid="compare-exports-input"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length !== 2) {
            useOffline.setState({
              error: 'Choose exactly two exports to compare (hold Ctrl or Shift to pick both).',
            });
            return;
          }
          void offline.openFiles(files);
        }}
      />

      {offline.exportDialog && (
        <div className="modal-backdrop">
          <div className="modal" role="dialog" aria-modal="true" aria-labelledby="export-title">
            <h2 id="export-title">Export the estate</h2>
            <p className="muted">
              Everything this console shows now — every connection, and the plans, pairs, master targets and
              recovery points of each configuration server — for use without a connection. Passwords, tokens
              and keys are never exported.
            </p>
            <fieldset className="format-list">
              <legend>Format</legend>
              {exportFormatSchema.options.map((f) => (
                <label key={f}>
                  <input
                    type="radio"
                    name="export-format"
                    value={f}
                    checked={format === f}
                    onChange={() => setFormat(f)}
                  />{' '}
                  {formats[f]}
                </label>
              ))}
            </fieldset>
            <p className="muted" data-testid="export-signing">
              {signing?.fingerprint ? (
                <>
                  Signed with your key <code>{signing.fingerprint}</code> (the JSON carries the signature).
                </>
              ) : signing?.problem ? (
                <span className="pref-warning">{signing.problem}</span>
              ) : (
                <>
                  Exports are not signed: set a signing key under Settings → Exports so readers can tell who
                  wrote them.
                </>
              )}
            </p>
            {offline.lastExport && (
              <div className="banner banner-ok" role="status">
                Saved {offline.lastExport.fileName} ({kib(offline.lastExport.bytes)}) to your downloads.
                SHA-256 <code>{offline.lastExport.digest.slice(0, 16)}…</code>
                {offline.lastExport.signedBy
                  ? `, signed with ${offline.lastExport.signedBy}.`
                  : ', unsigned.'}
              </div>
            )}
            {offline.exportNote && (
              <div className="banner banner-warning" role="status">
                {offline.exportNote}
              </div>
            )}
            <div className="modal-actions">
              {offline.busy?.startsWith('Exporting') ? (
                <button type="button" className="btn" onClick={offline.cancelExport}>
                  Cancel export
                </button>
              ) : (
                <button type="button" className="btn" onClick={() => offline.showExportDialog(false)}>
                  Close
                </button>
              )}
              <button
                type="button"
                className="btn btn-primary"
                disabled={!api || offline.busy !== null}
                onClick={() => api && void offline.exportAs(api, format)}
              >
                {offline.busy?.startsWith('Exporting') ? 'Exporting…' : 'Export'}
              </button>
            </div>
          </div>
        </div>
      )}

      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop a .siteshift.json to open it offline — or two to compare them
        </div>
      )}
      {offline.busy && !offline.exportDialog && (
        <div className="toast" role="status">
          {offline.busy}
        </div>
      )}
      {offline.error && (
        <div className="toast toast-error" role="alert">
          <span>{offline.error}</span>
          <button type="button" className="btn btn-small" onClick={offline.dismissError}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
