import { useEffect, useRef, useState } from 'react';
import type { ExportFormat } from '../../../shared/export/schema';
import { exportFormats } from '../../../shared/names';
import { type KeyOf, useT } from '../i18n';
import { formatNumber } from '../i18n/format';
import { Trans } from '../i18n/Trans';
import { useOffline } from '../offline';
import { useConsole } from '../store';

const formats: Record<ExportFormat, KeyOf<'file.format.'>> = {
  json: 'file.format.json',
  html: 'file.format.html',
  svg: 'file.format.svg',
  png: 'file.format.png',
  pdf: 'file.format.pdf',
};

const kib = (n: number) =>
  n < 1024 * 1024
    ? `${formatNumber(n / 1024, { maximumFractionDigits: 0 })} KB`
    : `${formatNumber(n / 1024 / 1024, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} MB`;

/**
 * File: Export…, Open export…, Compare exports… — the web console's menu; the desktop shell's
 * application menu sends the same commands as app:command events. Also the drop target for
 * .siteshift.json files anywhere in the window.
 */
export function FileMenu() {
  const api = useConsole((s) => s.api);
  const signing = useConsole((s) => s.settings?.exportSigning);
  const offline = useOffline();
  const t = useT();
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
        {t('file.menu')}
      </button>
      {open && (
        <div className="file-menu-items" role="menu" aria-label={t('file.title')}>
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              setOpen(false);
              offline.showExportDialog(true);
            }}
          >
            {t('file.export')}
          </button>
          <button type="button" role="menuitem" onClick={() => pick(openInput.current)}>
            {t('file.open')}
          </button>
          <button type="button" role="menuitem" onClick={() => pick(compareInput.current)}>
            {t('file.compare')}
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
            useOffline.setState({ error: t('offline.pickTwo') });
            return;
          }
          void offline.openFiles(files);
        }}
      />

      {offline.exportDialog && (
        <div className="modal-backdrop">
          <div className="modal" role="dialog" aria-modal="true" aria-labelledby="export-title">
            <h2 id="export-title">{t('file.exportTitle')}</h2>
            <p className="muted">{t('file.exportText')}</p>
            <fieldset className="format-list">
              <legend>{t('file.format')}</legend>
              {exportFormats.map((f) => (
                <label key={f}>
                  <input
                    type="radio"
                    name="export-format"
                    value={f}
                    checked={format === f}
                    onChange={() => setFormat(f)}
                  />{' '}
                  {t(formats[f])}
                </label>
              ))}
            </fieldset>
            <p className="muted" data-testid="export-signing">
              {signing?.fingerprint ? (
                <Trans k="file.signedWith" values={{ fingerprint: <code>{signing.fingerprint}</code> }} />
              ) : signing?.problem ? (
                <span className="pref-warning">{signing.problem}</span>
              ) : (
                t('file.unsigned')
              )}
            </p>
            {offline.lastExport && (
              <div className="banner banner-ok" role="status">
                <Trans
                  k="file.saved"
                  values={{
                    file: offline.lastExport.fileName,
                    size: kib(offline.lastExport.bytes),
                    digest: <code>{offline.lastExport.digest.slice(0, 16)}…</code>,
                  }}
                />
                {offline.lastExport.signedBy
                  ? t('file.savedSigned', { by: offline.lastExport.signedBy })
                  : t('file.savedUnsigned')}
              </div>
            )}
            {offline.exportNote && (
              <div className="banner banner-warning" role="status">
                {offline.exportNote}
              </div>
            )}
            <div className="modal-actions">
              {offline.exporting ? (
                <button type="button" className="btn" onClick={offline.cancelExport}>
                  {t('file.cancelExport')}
                </button>
              ) : (
                <button type="button" className="btn" onClick={() => offline.showExportDialog(false)}>
                  {t('common.close')}
                </button>
              )}
              <button
                type="button"
                className="btn btn-primary"
                disabled={!api || offline.busy !== null}
                onClick={() => api && void offline.exportAs(api, format)}
              >
                {offline.exporting ? t('file.exporting') : t('file.exportButton')}
              </button>
            </div>
          </div>
        </div>
      )}

      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          {t('file.drop')}
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
            {t('common.dismiss')}
          </button>
        </div>
      )}
    </div>
  );
}
