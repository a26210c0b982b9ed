import PDFDocument from 'pdfkit';
import type {
  ExportDeployment,
  ExportDocument,
  ExportPair,
  ExportPlan,
  ExportRecoveryPoint,
} from '../../../shared/export/schema';
import { type ExportWordKey, exportWord } from '../../../shared/i18n/export-words';
import { formatDuration, formatNumber, formatStamp } from '../../../shared/i18n/format';
import type { Locale } from '../../../shared/i18n/locale';
import { saidIn } from '../../../shared/i18n/said-words';
import type { Values } from '../../../shared/i18n/speak';
import type { Worded } from '../../../shared/i18n/worded';
import type { ExportFold } from '../../../shared/topology/export-view';
import { pairStateName, siteName } from '../../../shared/topology/map-text';
import { face, fallbackChain, runs } from './fonts';
import { mapPages } from './pdf-map';
import { buildScene } from './scene';

/**
 * The runbook: the estate's map (pdf-map.ts), then one section per plan with the steps of failover
 * and failback in order, boot groups, mappings, re-IP table, master target, readiness, and blank
 * lines for contacts and sign-off.
 * pdfkit does the PDF. Every font is embedded (as PDF/A asks), subset to the glyphs used: text
 * is split into runs by glyph coverage (fonts.ts) so that a name in Polish, Greek, Cyrillic,
 * Chinese, Japanese, Korean or with an emoji prints as written, and a character no shipped font
 * has prints as [U+XXXX], never as '?'.
 * Every word is the exporter's language (shared/i18n/export-words.ts), numbers, dates and
 * durations too (shared/i18n/format.ts); commands stay as they are typed.
 */

type Doc = PDFKit.PDFDocument;

/** The runbook's language: its words, numbers, durations and times. */
interface Words {
  locale: Locale;
  w(key: ExportWordKey, values?: Values): string;
  num(n: number): string;
  duration(sec: number | null | undefined): string;
  stamp(when: string): string;
}

function wordsFor(locale: Locale): Words {
  return {
    locale,
    w: (key, values) => exportWord(locale, key, values),
    num: (n) => formatNumber(locale, n),
    duration: (sec) => (sec === null || sec === undefined ? '-' : formatDuration(locale, sec)),
    stamp: (when) => formatStamp(locale, when),
  };
}

const A4 = { width: 595.28, height: 841.89 };
const M = 50;
const BODY = A4.width - 2 * M;

function plain(value: unknown): string {
  return value === null || value === undefined || value === '' ? '-' : String(value);
}

/** The document's faces are registered under their ids (fonts.ts); pdfkit subsets each one. */
function registerFonts(doc: Doc): void {
  for (const id of new Set([...fallbackChain(false), ...fallbackChain(true)]))
    doc.registerFont(id, face(id).data);
}

interface TextStyle {
  size: number;
  bold?: boolean;
  width?: number;
}

/**
 * Writes text at (x, y) in runs of the face that has each character; runs after the first go on
 * the same lines (pdfkit's continued text), so wrapping and line breaks are pdfkit's own.
 */
function write(doc: Doc, text: string, x: number, y: number | undefined, style: TextStyle): void {
  const parts = runs(text, fallbackChain(style.bold ?? false));
  doc.fontSize(style.size);
  parts.forEach((run, i) => {
    doc.font(run.face);
    const options: PDFKit.Mixins.TextOptions = { continued: i < parts.length - 1 };
    if (style.width !== undefined) options.width = style.width;
    if (i === 0) doc.text(run.text, x, y, options);
    else doc.text(run.text, options);
  });
}

/** A tall page that nobody reads: text of several faces is measured by laying it out there. */
let measurer: Doc | null = null;
function measuringDoc(): Doc {
  if (measurer) return measurer;
  const m = new PDFDocument({ size: [A4.width, 1_000_000], margin: M });
  m.on('data', () => {});
  registerFonts(m);
  measurer = m;
  return m;
}

/** The height text takes in a box of this width, measured as write() lays it out. */
function measure(doc: Doc, text: string, style: TextStyle & { width: number }): number {
  const parts = runs(text, fallbackChain(style.bold ?? false));
  if (parts.length === 1) {
    return doc
      .font(parts[0]!.face)
      .fontSize(style.size)
      .heightOfString(parts[0]!.text, { width: style.width });
  }
  const m = measuringDoc();
  m.addPage();
  write(m, text, M, M, style);
  return m.y - M;
}

function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > A4.height - M) doc.addPage();
}

function heading(doc: Doc, text: string, size = 13): void {
  ensureRoom(doc, size * 3);
  doc.moveDown(0.6).fillColor('#1b2330');
  write(doc, text, M, doc.y, { size, bold: true, width: BODY });
  doc.moveDown(0.3).font('sans').fontSize(9.5).fillColor('#1b2330');
}

function para(doc: Doc, text: string): void {
  ensureRoom(doc, 24);
  doc.fillColor('#1b2330');
  write(doc, plain(text), M, doc.y, { size: 9.5, width: BODY });
}

/** A column: its header and its share of the page width. */
type Column = readonly [header: string, width: number];

/**
 * The columns' widths on the page: their shares of it, but each at least as wide as its longest word
 * (pdfkit cuts a word that does not fit its column in two, and Dutch words run long:
 * "Besturingssysteem", "waarschuwing"), taken from the columns with room to spare. A word longer than
 * a third of the page (a digest, a URL) is left to wrap.
 */
function columnWidths(doc: Doc, columns: readonly Column[], rows: unknown[][]): number[] {
  const total = columns.reduce((s, [, width]) => s + width, 0);
  const widths = columns.map(([, width]) => (width / total) * BODY);
  const longest = (text: string, bold: boolean) => {
    doc.font(bold ? 'sans-bold' : 'sans').fontSize(8.5);
    return Math.max(0, ...text.split(/\s+|(?<=-)/).map((word) => doc.widthOfString(word)));
  };
  const least = columns.map(([header], i) =>
    Math.min(BODY / 3, 7 + Math.max(longest(header, true), ...rows.map((r) => longest(plain(r[i]), false)))),
  );
  const short = widths.reduce((s, w, i) => s + Math.max(0, least[i]! - w), 0);
  const spare = widths.reduce((s, w, i) => s + Math.max(0, w - least[i]!), 0);
  if (short === 0 || spare < short) return widths;
  return widths.map((w, i) => (w < least[i]! ? least[i]! : w - ((w - least[i]!) / spare) * short));
}

function table(doc: Doc, columns: readonly Column[], rows: unknown[][], none = '-'): void {
  const widths = columnWidths(doc, columns, rows);
  const drawRow = (cells: unknown[], bold: boolean) => {
    const texts = cells.map((c) => plain(c));
    const style = (i: number) => ({ size: 8.5, bold, width: widths[i]! - 6 });
    const height = Math.max(...texts.map((t, i) => measure(doc, t, style(i)))) + 6;
    ensureRoom(doc, height);
    const y = doc.y;
    let x = M;
    texts.forEach((t, i) => {
      doc.fillColor('#1b2330');
      write(doc, t, x + 3, y + 3, style(i));
      x += widths[i]!;
    });
    doc
      .moveTo(M, y + height)
      .lineTo(M + BODY, y + height)
      .lineWidth(0.5)
      .strokeColor(bold ? '#5b6675' : '#cfd6df')
      .stroke();
    doc.x = M;
    doc.y = y + height;
  };
  drawRow(
    columns.map(([header]) => header),
    true,
  );
  if (rows.length === 0) drawRow([none, ...columns.slice(1).map(() => '')], false);
  for (const r of rows) drawRow(r, false);
  doc.moveDown(0.5);
}

/** A titled table; where `empty` is given, an empty table is replaced by that sentence. */
function section(
  doc: Doc,
  words: Words,
  title: string,
  columns: readonly Column[],
  rows: unknown[][],
  empty?: string,
): void {
  heading(doc, title);
  if (rows.length === 0 && empty !== undefined) para(doc, empty);
  else table(doc, columns, rows, words.w('none'));
}

function steps(doc: Doc, words: Words, items: string[]): void {
  items.forEach((s, i) => {
    ensureRoom(doc, 28);
    write(doc, `${words.num(i + 1)}.  ${plain(s)}`, M + 8, doc.y, { size: 9.5, width: BODY - 8 });
    write(doc, `      ${words.w('steps.checkLine')}`, M + 8, doc.y, { size: 9.5, width: BODY - 8 });
    doc.moveDown(0.25);
  });
}

function blankLines(doc: Doc, headers: string[], labels: string[]): void {
  table(
    doc,
    headers.map((h, i): Column => [h, i === 0 ? 2 : 3]),
    labels.map((l) => [l, ...headers.slice(1).map(() => '\n\n')]),
  );
}

/** Network mappings, placement and test network of the plan (or the mapping tables of older plans). */
function mappingRows(plan: ExportPlan, { w }: Words): unknown[][] {
  const rows: unknown[][] = [];
  const placement = new Set(['cluster', 'host', 'datastore', 'folder']);
  const kind = (k: string) => (placement.has(k) ? w(`plan.mapping.${k}` as ExportWordKey) : k);
  for (const [from, to] of Object.entries(plan.target?.networks ?? {}))
    rows.push([w('plan.mapping.network'), from, to]);
  for (const [k, v] of Object.entries(plan.target?.placement ?? {}))
    rows.push([kind(k), w('plan.recoveredVms'), v]);
  if (plan.target?.testNetwork)
    rows.push([w('plan.mapping.testNetwork'), w('plan.testFailoverOnly'), plan.target.testNetwork]);
  for (const [kind, table] of Object.entries(plan.mappings ?? {})) {
    if (table && typeof table === 'object') {
      for (const [from, to] of Object.entries(table as Record<string, unknown>)) rows.push([kind, from, to]);
    }
  }
  return rows;
}

function reIpRows(plan: ExportPlan, { w }: Words): unknown[][] {
  return (plan.machines ?? [])
    .filter((m) => m.reip)
    .map((m) => [
      m.recoveredName ?? m.vm,
      w('plan.nic', { nic: m.reip!.nic ?? 0 }),
      m.reip!.address,
      m.reip!.gateway,
      (m.reip!.dns ?? []).join(', '),
    ]);
}

/** Boot groups in order: from the machines' bootGroup (plan files) or the bootGroups list of older plans. */
function bootGroups(
  plan: ExportPlan,
  nameOf: (id: string) => string,
  { w }: Words,
): Array<{ group: number; machines: string[] }> {
  if (plan.machines?.length) {
    const groups = new Map<number, string[]>();
    for (const m of plan.machines) {
      const g = m.bootGroup ?? 1;
      const vm = m.dependsOn?.length ? w('plan.after', { vm: m.vm, names: m.dependsOn.join(', ') }) : m.vm;
      groups.set(g, [...(groups.get(g) ?? []), vm]);
    }
    return [...groups.entries()]
      .sort((x, y) => x[0] - y[0])
      .map(([group, machines]) => ({ group, machines }));
  }
  return (plan.bootGroups ?? []).map((g, i) => ({
    group: i + 1,
    machines: (Array.isArray(g) ? g : []).map((m) => (typeof m === 'string' ? nameOf(m) : JSON.stringify(m))),
  }));
}

function bootGroupRows(plan: ExportPlan, nameOf: (id: string) => string, words: Words): unknown[][] {
  return bootGroups(plan, nameOf, words).map(({ group, machines }) => [
    words.w('plan.group', { group }),
    machines.join(', '),
  ]);
}

/** What the job does after one boot group: a message to acknowledge, a script the server runs. */
function afterGroup(plan: ExportPlan, group: number, { w }: Words): string[] {
  return (plan.steps ?? [])
    .filter((st) => st.after === group)
    .map((st) => {
      const script = (st as { script?: { command?: string } }).script;
      return st.message
        ? w('steps.ack', { message: st.message })
        : w('steps.script', {
            script: script?.command ? `"${script.command}"` : w('steps.planScript'),
          });
    });
}

/**
 * The recovery itself, in the order the job runs it: each boot group started and checked before
 * the next, with the plan's messages and scripts where the plan puts them.
 */
function recoverySteps(
  plan: ExportPlan,
  nameOf: (id: string) => string,
  where: string,
  words: Words,
): string[] {
  const groups = bootGroups(plan, nameOf, words);
  const parallelism = plan.parallelism ?? '-';
  if (groups.length === 0) return [words.w('steps.allAtOnce', { where, parallelism })];
  return groups.flatMap(({ group, machines }) => [
    words.w('steps.bootGroup', { group, machines: machines.join(', '), where, parallelism }),
    ...afterGroup(plan, group, words),
  ]);
}

/**
 * A readiness check's title, finding or fix in the runbook's language: from the check word book by
 * the words the server sent with it, else the server's English (an older or a newer server).
 */
function checkText(locale: Locale, text: string | null | undefined, words: Worded | undefined): string {
  return saidIn(locale, text ?? '', words);
}

function latestPoints(points: ExportRecoveryPoint[], pairId: string) {
  const mine = points.filter((p) => p.pairId === pairId).sort((a, b) => b.at.localeCompare(a.at));
  return { latest: mine[0] ?? null, app: mine.find((p) => p.consistency === 'app') ?? null };
}

function planSection(
  doc: Doc,
  words: Words,
  dep: ExportDeployment,
  plan: ExportPlan,
  exportedAt: string,
): void {
  const { w, num, duration } = words;
  doc.addPage();
  const siteName = (id: unknown) => dep.sites.find((s) => s.id === id)?.name ?? String(id ?? '-');
  const pairs: ExportPair[] = dep.pairs.filter((p) => p.planId === plan.id);
  const vmName = (id: string) => pairs.find((p) => p.sourceVmId === id)?.sourceVmName ?? id;
  const mt =
    dep.masterTargets.find((m) => m.id === plan.masterTargetId) ??
    dep.masterTargets.find((m) => m.name === plan.target?.masterTarget);
  const policy = (plan.policy ?? {}) as Record<string, number | undefined>;
  const rpoSec =
    policy.rpoThresholdMinutes !== undefined ? policy.rpoThresholdMinutes * 60 : policy.rpoThresholdSec;
  const appEvery = policy.appConsistentEveryMinutes ?? policy.appConsistencyIntervalMin;
  const source = plan.source?.site ?? siteName(plan.sourceSiteId);
  const target = plan.target?.site ?? siteName(plan.targetSiteId);
  const minutes = (n: number) =>
    formatNumber(words.locale, n, { style: 'unit', unit: 'minute', unitDisplay: 'short' });
  const known = <K extends string>(prefix: string, value: string | undefined, keys: readonly K[]) =>
    value !== undefined && (keys as readonly string[]).includes(value)
      ? w(`${prefix}${value}` as ExportWordKey)
      : (value ?? '-');

  doc.fillColor('#1b2330');
  write(doc, w('plan.title', { plan: plan.name }), M, M, { size: 18, bold: true, width: BODY });
  para(
    doc,
    w('plan.intro', { server: dep.name, url: dep.url, when: words.stamp(exportedAt), source, target }),
  );

  section(
    doc,
    words,
    w('plan.plan'),
    [
      [w('plan.col.setting'), 2],
      [w('plan.col.value'), 5],
    ],
    [
      [w('plan.sourceSite'), source],
      [w('plan.targetSite'), target],
      [w('plan.rpo'), duration(rpoSec)],
      [
        w('plan.retention'),
        policy.retentionHours === undefined ? '-' : duration(policy.retentionHours * 3600),
      ],
      [
        w('plan.appConsistent'),
        appEvery === undefined ? '-' : w('plan.every', { interval: minutes(appEvery) }),
      ],
      [w('plan.parallel'), plan.parallelism === undefined ? '-' : num(plan.parallelism)],
      [w('plan.protected'), num(pairs.length)],
    ],
  );

  section(
    doc,
    words,
    w('plan.masterTarget'),
    [
      [w('col.name'), 2],
      [w('col.vm'), 2],
      [w('plan.col.os'), 1],
      [w('plan.col.slots'), 2],
      [w('plan.col.retentionDatastore'), 2],
    ],
    mt
      ? [
          [
            mt.name,
            mt.vmName,
            known('os.', mt.osFamily, ['windows', 'linux']),
            `${num(mt.slotsUsed)} / ${num(mt.slotsFree)}`,
            mt.retentionDatastore,
          ],
        ]
      : [],
  );

  section(
    doc,
    words,
    w('plan.protected'),
    [
      [w('col.vm'), 3],
      [w('col.state'), 2],
      [w('col.rpo'), 2],
      [w('plan.col.latest'), 3],
      [w('plan.col.latestApp'), 3],
    ],
    pairs.map((p) => {
      const pts = latestPoints(dep.recoveryPoints, p.id);
      return [
        p.sourceVmName,
        pairStateName(words.locale, p.state),
        `${duration(p.stats?.rpoSec)} / ${duration(p.rpoThresholdSec)}`,
        pts.latest
          ? `${words.stamp(pts.latest.at)}${pts.latest.tag ? ` (${pts.latest.tag})` : ''}`
          : w('plan.noneYet'),
        pts.app ? words.stamp(pts.app.at) : w('plan.noneYet'),
      ];
    }),
  );

  section(
    doc,
    words,
    w('plan.bootGroups'),
    [
      [w('plan.col.order'), 1],
      [w('col.machines'), 6],
    ],
    bootGroupRows(plan, vmName, words),
    w('plan.noBootGroups'),
  );

  section(
    doc,
    words,
    w('plan.mappings'),
    [
      [w('col.kind'), 2],
      [w('plan.col.primary'), 4],
      [w('plan.col.recovery'), 4],
    ],
    mappingRows(plan, words),
  );

  section(
    doc,
    words,
    w('plan.reip'),
    (['col.vm', 'plan.col.nic', 'plan.col.address', 'plan.col.gateway', 'plan.col.dns'] as const).map(
      (h): Column => [w(h), 2],
    ),
    reIpRows(plan, words),
    w('plan.noReip'),
  );

  section(
    doc,
    words,
    w('plan.readiness'),
    [
      [w('plan.col.workflow'), 2],
      [w('plan.col.check'), 3],
      [w('plan.col.result'), 1],
      [w('plan.col.detail'), 6],
    ],
    dep.readiness
      .filter((r) => r.planId === plan.id || r.planId === undefined)
      .map((c) => [
        known('workflow.', c.kind, ['test', 'planned', 'unplanned', 'failback']),
        checkText(words.locale, c.name, c.titleWords),
        known('result.', c.status, ['pass', 'warn', 'fail', 'not run']),
        c.fix
          ? w('plan.fix', {
              message: checkText(words.locale, c.message, c.messageWords),
              fix: checkText(words.locale, c.fix, c.fixWords),
            })
          : checkText(words.locale, c.message, c.messageWords),
      ]),
    w('plan.noReadiness'),
  );

  const name = plan.name.includes(' ') ? `"${plan.name}"` : plan.name;
  const through = mt ? w('steps.onThrough', { site: target, mt: mt.name }) : w('steps.on', { site: target });
  const testNetwork = plan.target?.testNetwork ? ` ${plan.target.testNetwork}` : '';
  heading(doc, w('test.title'));
  steps(doc, words, [
    w('test.check', { plan: name }),
    w('test.start', { plan: name, network: testNetwork }),
    ...recoverySteps(plan, vmName, w('steps.asTestCopies', { where: through }), words),
    w('test.verify'),
    w('test.cleanup', { plan: name }),
  ]);

  heading(doc, w('planned.title'));
  steps(doc, words, [
    w('planned.announce'),
    w('planned.check', { plan: name }),
    w('planned.start', { plan: name }),
    ...recoverySteps(plan, vmName, through, words),
    w('planned.reip'),
    w('planned.verify'),
    w('planned.commit', { plan: name }),
  ]);

  heading(doc, w('unplanned.title'));
  steps(doc, words, [
    w('unplanned.confirm'),
    w('unplanned.check', { plan: name }),
    w('unplanned.point'),
    w('unplanned.start', { plan: name }),
    ...recoverySteps(plan, vmName, through, words),
    w('unplanned.verify'),
    w('unplanned.commit', { plan: name }),
  ]);

  heading(doc, w('failback.title'));
  steps(doc, words, [
    w('failback.check', { plan: name, source }),
    w('failback.reprotect', { plan: name, source, target }),
    w('failback.wait'),
    w('failback.run', { plan: name, source }),
    ...recoverySteps(plan, vmName, w('steps.onOriginal', { site: source }), words),
    w('failback.verify'),
  ]);

  heading(doc, w('contacts.title'));
  blankLines(
    doc,
    [w('contacts.col.role'), w('col.name'), w('contacts.col.reach')],
    (
      [
        'contacts.lead',
        'contacts.operator',
        'contacts.owner',
        'contacts.network',
        'contacts.storage',
      ] as const
    ).map((k) => w(k)),
  );
  heading(doc, w('signoff.title'));
  blankLines(
    doc,
    [w('contacts.col.role'), w('col.name'), w('signoff.col.signature')],
    (['signoff.prepared', 'signoff.reviewed', 'signoff.approved'] as const).map((k) => w(k)),
  );
}

/** "page N of M" at the foot of every page, once the pages are all laid out (pdfkit buffers them). */
function footers(pdf: Doc, words: Words, when: string): void {
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    const { width, height, margins } = pdf.page;
    const bottom = margins.bottom;
    // Written inside the bottom margin: with the margin kept, pdfkit would start a new page.
    pdf.page.margins.bottom = 0;
    const text = words.w('pdf.footer', { when, page: i + 1, pages: range.count });
    pdf.fillColor('#667085');
    write(pdf, text, margins.left, height - bottom / 2 - 4, {
      size: 7.5,
      width: width - margins.left - margins.right,
    });
    pdf.page.margins.bottom = bottom;
  }
}

export function renderPdf(doc: ExportDocument, fold: ExportFold, locale: Locale = 'en'): Promise<Buffer> {
  const words = wordsFor(locale);
  const { w, num } = words;
  const when = words.stamp(doc.exportedAt);
  const pdf = new PDFDocument({
    size: 'A4',
    margin: M,
    bufferPages: true,
    lang: locale,
    info: {
      Title: w('pdf.infoTitle', { when }),
      Author: `Siteshift ${doc.exporter.version}`,
      Subject: w('pdf.subject'),
    },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  registerFonts(pdf);
  pdf.fillColor('#1b2330');
  write(pdf, w('pdf.title'), M, M, { size: 22, bold: true, width: BODY });
  para(pdf, w('pdf.snapshot', { when, version: doc.exporter.version }));
  para(pdf, w('pdf.digest', { digest: doc.integrity.digest }));
  if (doc.integrity.signature) para(pdf, w('pdf.signed', { key: doc.integrity.signature.keyFingerprint }));

  const sourceKind = (k: string) =>
    ['vsphere', 'hyperv', 'configserver', 'lab'].includes(k) ? w(`sourceKind.${k}` as ExportWordKey) : k;
  section(
    pdf,
    words,
    w('pdf.sources'),
    [
      [w('col.kind'), 2],
      [w('col.name'), 3],
      [w('col.address'), 5],
    ],
    doc.sources.map((s) => [sourceKind(s.kind), s.name, s.address]),
  );
  section(
    pdf,
    words,
    w('pdf.estate'),
    [
      [w('pdf.col.inventory'), 3],
      [w('col.site'), 2],
      [w('pdf.col.hosts'), 1],
      [w('pdf.col.vms'), 1],
      [w('pdf.col.read'), 3],
    ],
    doc.inventories.map((i) => [
      i.name,
      siteName(locale, i.site),
      i.inventory ? num(i.inventory.hosts.length) : '-',
      i.inventory ? num(i.inventory.vms.length) : '-',
      i.error ? w('pdf.readFailed', { error: saidIn(locale, i.error, i.errorWords) }) : w('pdf.readOk'),
    ]),
  );
  const plans = doc.deployments.flatMap((d) => d.plans.map((p) => ({ d, p })));
  section(
    pdf,
    words,
    w('pdf.plans'),
    [
      [w('col.plan'), 3],
      [w('col.configServer'), 3],
      [w('col.machines'), 1],
    ],
    plans.map(({ d, p }) => [p.name, d.name, num(d.pairs.filter((x) => x.planId === p.id).length)]),
    w('pdf.noPlans'),
  );
  // The map as the console draws it, before the plans' runbooks: what is protected where.
  mapPages(pdf, buildScene(doc.topology, '', fold, locale), w('pdf.topology', { when }), words.w);
  for (const { d, p } of plans) planSection(pdf, words, d, p, doc.exportedAt);
  footers(pdf, words, when);
  pdf.end();
  return done;
}
