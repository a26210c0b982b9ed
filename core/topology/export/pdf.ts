import PDFDocument from 'pdfkit';
import type {
  ExportDeployment,
  ExportDocument,
  ExportPair,
  ExportPlan,
  ExportRecoveryPoint,
} from '../../../shared/export/schema';
import type { ExportFold } from '../../../shared/topology/export-view';
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
 */

type Doc = PDFKit.PDFDocument;

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

function table(doc: Doc, columns: readonly Column[], rows: unknown[][]): void {
  const total = columns.reduce((s, [, width]) => s + width, 0);
  const widths = columns.map(([, width]) => (width / total) * BODY);
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
  if (rows.length === 0) drawRow(['(none)', ...columns.slice(1).map(() => '')], false);
  for (const r of rows) drawRow(r, false);
  doc.moveDown(0.5);
}

/** A titled table; where `empty` is given, an empty table is replaced by that sentence. */
function section(
  doc: Doc,
  title: string,
  columns: readonly Column[],
  rows: unknown[][],
  empty?: string,
): void {
  heading(doc, title);
  if (rows.length === 0 && empty !== undefined) para(doc, empty);
  else table(doc, columns, rows);
}

function steps(doc: Doc, items: string[]): void {
  items.forEach((s, i) => {
    ensureRoom(doc, 28);
    write(doc, `${i + 1}.  ${plain(s)}`, M + 8, doc.y, { size: 9.5, width: BODY - 8 });
    doc
      .font('sans')
      .text('      Done: ____   Time: ________   By: ______________', M + 8, doc.y, { width: BODY - 8 });
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

const duration = (sec: number | null | undefined) =>
  sec === null || sec === undefined
    ? '-'
    : sec < 120
      ? `${Math.round(sec)} s`
      : `${Math.round(sec / 60)} min`;

/** Network mappings, placement and test network of the plan (or the mapping tables of older plans). */
function mappingRows(plan: ExportPlan): unknown[][] {
  const rows: unknown[][] = [];
  for (const [from, to] of Object.entries(plan.target?.networks ?? {})) rows.push(['network', from, to]);
  for (const [k, v] of Object.entries(plan.target?.placement ?? {})) rows.push([k, '(recovered VMs)', v]);
  if (plan.target?.testNetwork) rows.push(['test network', '(test failover)', plan.target.testNetwork]);
  for (const [kind, table] of Object.entries(plan.mappings ?? {})) {
    if (table && typeof table === 'object') {
      for (const [from, to] of Object.entries(table as Record<string, unknown>)) rows.push([kind, from, to]);
    }
  }
  return rows;
}

function reIpRows(plan: ExportPlan): unknown[][] {
  return (plan.machines ?? [])
    .filter((m) => m.reip)
    .map((m) => [
      m.recoveredName ?? m.vm,
      `NIC ${m.reip!.nic ?? 0}`,
      m.reip!.address,
      m.reip!.gateway,
      (m.reip!.dns ?? []).join(', '),
    ]);
}

/** Boot groups in order: from the machines' bootGroup (plan files) or the bootGroups list of older plans. */
function bootGroups(
  plan: ExportPlan,
  nameOf: (id: string) => string,
): Array<{ group: number; machines: string[] }> {
  if (plan.machines?.length) {
    const groups = new Map<number, string[]>();
    for (const m of plan.machines) {
      const g = m.bootGroup ?? 1;
      const deps = m.dependsOn?.length ? ` (after ${m.dependsOn.join(', ')})` : '';
      groups.set(g, [...(groups.get(g) ?? []), `${m.vm}${deps}`]);
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

function bootGroupRows(plan: ExportPlan, nameOf: (id: string) => string): unknown[][] {
  return bootGroups(plan, nameOf).map(({ group, machines }) => [`Group ${group}`, machines.join(', ')]);
}

/** What the job does after one boot group: a message to acknowledge, a script the server runs. */
function afterGroup(plan: ExportPlan, group: number): string[] {
  return (plan.steps ?? [])
    .filter((st) => st.after === group)
    .map((st) => {
      const script = (st as { script?: { command?: string } }).script;
      return st.message
        ? `The job waits for an acknowledgement of "${st.message}" (siteshift jobs ack JOB, or Acknowledge on the Jobs screen).`
        : `The configuration server runs ${script?.command ? `"${script.command}"` : 'the plan script'}; check its result in the job log.`;
    });
}

/**
 * The recovery itself, in the order the job runs it: each boot group started and checked before
 * the next, with the plan's messages and scripts where the plan puts them.
 */
function recoverySteps(plan: ExportPlan, nameOf: (id: string) => string, where: string): string[] {
  const groups = bootGroups(plan, nameOf);
  if (groups.length === 0)
    return [`Every machine is recovered ${where} and started, at most ${plan.parallelism ?? '-'} at a time.`];
  return groups.flatMap(({ group, machines }) => [
    `Boot group ${group}: ${machines.join(', ')} recovered ${where} and started (at most ${plan.parallelism ?? '-'} at a time); check they are up before the next group.`,
    ...afterGroup(plan, group),
  ]);
}

function latestPoints(points: ExportRecoveryPoint[], pairId: string) {
  const mine = points.filter((p) => p.pairId === pairId).sort((a, b) => b.at.localeCompare(a.at));
  return { latest: mine[0] ?? null, app: mine.find((p) => p.consistency === 'app') ?? null };
}

function planSection(doc: Doc, dep: ExportDeployment, plan: ExportPlan, exportedAt: string): void {
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

  doc.fillColor('#1b2330');
  write(doc, `Runbook: ${plan.name}`, M, M, { size: 18, bold: true, width: BODY });
  para(
    doc,
    `Configuration server ${dep.name} (${dep.url}). State as exported at ${exportedAt}. ${source} -> ${target}.`,
  );

  section(
    doc,
    'Plan',
    [
      ['Setting', 2],
      ['Value', 5],
    ],
    [
      ['Source site', source],
      ['Target site', target],
      ['RPO threshold', duration(rpoSec)],
      ['Retention', policy.retentionHours === undefined ? '-' : `${policy.retentionHours} h`],
      ['App-consistent points', appEvery === undefined ? '-' : `every ${appEvery} min`],
      ['Parallel recoveries', plan.parallelism ?? '-'],
      ['Protected machines', pairs.length],
    ],
  );

  section(
    doc,
    'Master target',
    [
      ['Name', 2],
      ['VM', 2],
      ['OS', 1],
      ['Slots used / free', 2],
      ['Retention datastore', 2],
    ],
    mt ? [[mt.name, mt.vmName, mt.osFamily, `${mt.slotsUsed} / ${mt.slotsFree}`, mt.retentionDatastore]] : [],
  );

  section(
    doc,
    'Protected machines',
    [
      ['VM', 3],
      ['State', 2],
      ['RPO / threshold', 2],
      ['Latest point', 3],
      ['Latest app-consistent', 3],
    ],
    pairs.map((p) => {
      const pts = latestPoints(dep.recoveryPoints, p.id);
      return [
        p.sourceVmName,
        p.state,
        `${duration(p.stats?.rpoSec)} / ${duration(p.rpoThresholdSec)}`,
        pts.latest ? `${pts.latest.at}${pts.latest.tag ? ` (${pts.latest.tag})` : ''}` : 'none yet',
        pts.app?.at ?? 'none yet',
      ];
    }),
  );

  section(
    doc,
    'Boot groups (recovery order)',
    [
      ['Order', 1],
      ['Machines', 6],
    ],
    bootGroupRows(plan, vmName),
    'No boot groups: all machines start together, within the parallelism limit.',
  );

  section(
    doc,
    'Mappings',
    [
      ['Kind', 2],
      ['Primary', 4],
      ['Recovery', 4],
    ],
    mappingRows(plan),
  );

  section(
    doc,
    'Re-IP',
    ['VM', 'NIC', 'Recovery address', 'Gateway', 'DNS'].map((h): Column => [h, 2]),
    reIpRows(plan),
    'No re-IP rules in this plan: recovered machines keep their addresses.',
  );

  section(
    doc,
    'Readiness at export time',
    [
      ['Workflow', 2],
      ['Check', 3],
      ['Result', 1],
      ['Detail and fix', 6],
    ],
    dep.readiness
      .filter((r) => r.planId === plan.id || r.planId === undefined)
      .map((c) => [c.kind, c.name, c.status, [c.message, c.fix].filter(Boolean).join(' Fix: ')]),
    'The configuration server reported no readiness results for this plan at export time: run the readiness check before acting.',
  );

  const name = plan.name.includes(' ') ? `"${plan.name}"` : plan.name;
  const through = `on ${target}${mt ? ` through master target ${mt.name}` : ''}`;
  heading(doc, 'Test failover');
  steps(doc, [
    `Check readiness: siteshift plan check ${name} --for test (or Readiness on the Protection screen); note the recovery point to test.`,
    `Start the test failover: siteshift failover ${name} --type test. Replication keeps running; the copies go on the test network${plan.target?.testNetwork ? ` ${plan.target.testNetwork}` : ''}.`,
    ...recoverySteps(plan, vmName, `as test copies ${through}`),
    'Verify the test machines with their owners; record the results.',
    `Remove the test copies: siteshift cleanup ${name}; check that they are gone.`,
  ]);

  heading(doc, 'Planned failover (no data loss)');
  steps(doc, [
    'Announce the failover window to the contacts below; stop application changes.',
    `Check readiness: siteshift plan check ${name} --for planned; every pair must be protected (not resync-required or in error).`,
    `Start the planned failover: siteshift failover ${name} --type planned. The source machines are shut down first and their last changes replicated.`,
    ...recoverySteps(plan, vmName, through),
    'Apply the re-IP table below; update DNS where the table says so.',
    'Verify the applications with their owners.',
    `Keep the failover: siteshift commit ${name} (the replicas stay pending until committed); or undo it: siteshift rollback ${name}.`,
  ]);

  heading(doc, 'Unplanned failover (primary site lost)');
  steps(doc, [
    'Confirm the primary site is down or isolated: the sources must not come back on the network (split brain).',
    `Check readiness: siteshift plan check ${name} --for unplanned.`,
    'Choose the recovery point: latest, latest app-consistent, latest at or before a time, or a tag (see Protected machines above).',
    `Start the unplanned failover to that point: siteshift failover ${name} --type unplanned --point latest | latest-app | time:ISO | tag:NAME.`,
    ...recoverySteps(plan, vmName, through),
    'Apply the re-IP table below; verify the applications with their owners.',
    `Keep the failover: siteshift commit ${name}; or roll it back (siteshift rollback ${name}) and try another recovery point.`,
  ]);

  heading(doc, 'Failback');
  steps(doc, [
    `Check readiness: siteshift plan check ${name} --for failback (a master target on ${source} is needed; VMware failback lands on VMware VMs).`,
    `Reprotect after the failover is committed: siteshift reprotect ${name}. Replication turns round from ${target} to ${source}; the original VMs stay registered and their disks go to a master target on ${source}.`,
    'Wait until every pair is protected in reverse (the resync compares checksums and sends only the blocks that differ).',
    `In a change window, run the guided failback: siteshift failback ${name}. It reprotects if needed, fails back (recovered machines shut down, final sync, the original VMs started in the boot order above), commits, and protects again from ${source}; run it again to finish one that stopped.`,
    ...recoverySteps(plan, vmName, `on ${source} (the original VMs)`),
    'Verify the applications with their owners on the original site.',
  ]);

  heading(doc, 'Contacts');
  blankLines(
    doc,
    ['Role', 'Name', 'Phone / e-mail'],
    ['Incident lead', 'DR operator', 'Application owner', 'Network', 'Storage / virtualisation'],
  );
  heading(doc, 'Sign-off');
  blankLines(doc, ['Role', 'Name', 'Signature and date'], ['Prepared by', 'Reviewed by', 'Approved by']);
}

export function renderPdf(doc: ExportDocument, fold: ExportFold): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margin: M,
    info: {
      Title: `Siteshift runbook ${doc.exportedAt}`,
      Author: `Siteshift ${doc.exporter.version}`,
      Subject: 'Disaster recovery runbook',
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
  write(pdf, 'Siteshift DR runbook', M, M, { size: 22, bold: true, width: BODY });
  para(pdf, `Offline snapshot of ${doc.exportedAt}, written by Siteshift ${doc.exporter.version}.`);
  para(pdf, `SHA-256 of the export: ${doc.integrity.digest}`);
  if (doc.integrity.signature) para(pdf, `Signed with the key ${doc.integrity.signature.keyFingerprint}.`);

  section(
    pdf,
    'Sources',
    [
      ['Kind', 2],
      ['Name', 3],
      ['Address', 5],
    ],
    doc.sources.map((s) => [s.kind, s.name, s.address]),
  );
  section(
    pdf,
    'Estate',
    [
      ['Inventory', 3],
      ['Site', 2],
      ['Hosts', 1],
      ['VMs', 1],
      ['Read', 3],
    ],
    doc.inventories.map((i) => [
      i.name,
      i.site,
      i.inventory?.hosts.length ?? '-',
      i.inventory?.vms.length ?? '-',
      i.error ? `failed: ${i.error}` : 'ok',
    ]),
  );
  const plans = doc.deployments.flatMap((d) => d.plans.map((p) => ({ d, p })));
  section(
    pdf,
    'Plans',
    [
      ['Plan', 3],
      ['Configuration server', 3],
      ['Machines', 1],
    ],
    plans.map(({ d, p }) => [p.name, d.name, d.pairs.filter((x) => x.planId === p.id).length]),
    'This export has no protection plans (it was not taken from a configuration server): the runbook sections need an export with --server or from the console.',
  );
  // The map as the console draws it, before the plans' runbooks: what is protected where.
  mapPages(pdf, buildScene(doc.topology, '', fold), `Topology at ${doc.exportedAt}`);
  for (const { d, p } of plans) planSection(pdf, d, p, doc.exportedAt);
  pdf.end();
  return done;
}
