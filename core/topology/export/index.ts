import type { ExportDocument, ExportFormat } from '../../../shared/export/schema';
import { exportWord } from '../../../shared/i18n/export-words';
import { formatStamp } from '../../../shared/i18n/format';
import type { Locale } from '../../../shared/i18n/locale';
import { EXPORT_HOST_VMS } from '../../../shared/names';
import type { ExportFold } from '../../../shared/topology/export-view';
import { sitesWorded } from '../../../shared/topology/map-text';
import { serializeExport } from './document';
import { renderHtml } from './html';
import { renderPdf } from './pdf';
import { renderPng } from './png';
import { renderDiagram } from './svg';

export * from './collect';
export * from './document';

export const exportMime: Record<ExportFormat, string> = {
  json: 'application/json',
  html: 'text/html',
  svg: 'image/svg+xml',
  png: 'image/png',
  pdf: 'application/pdf',
};

export const exportExtension: Record<ExportFormat, string> = {
  json: '.siteshift.json',
  html: '.html',
  svg: '.svg',
  png: '.png',
  pdf: '.pdf',
};

export interface RenderOptions {
  /** What the picture opens (shared/topology/export-view.ts); by default hosts up to EXPORT_HOST_VMS VMs. */
  fold?: ExportFold;
  /**
   * The language of every word the picture, HTML and runbook print (JSON stays data): the console's
   * current language, or the CLI's --language. English by default.
   */
  locale?: Locale;
}

/** One export document in one format, as the bytes of the file. */
export async function renderExport(
  doc: ExportDocument,
  format: ExportFormat,
  options: RenderOptions = {},
): Promise<Buffer> {
  if (format === 'json') return Buffer.from(serializeExport(doc), 'utf8');
  const fold = options.fold ?? { hostVms: EXPORT_HOST_VMS };
  const locale = options.locale ?? 'en';
  // The pictures and tables name the two sites in the exporter's language, as the console does.
  const shown = { ...doc, topology: sitesWorded(locale, doc.topology) };
  if (format === 'pdf') return renderPdf(shown, fold, locale);
  const title = exportWord(locale, 'when.snapshot', { when: formatStamp(locale, doc.exportedAt) });
  const diagram = renderDiagram(shown.topology, title, fold, locale);
  if (format === 'svg')
    return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${diagram.svg}\n`, 'utf8');
  if (format === 'png') return renderPng(diagram);
  return Buffer.from(renderHtml(shown, diagram, locale), 'utf8');
}
