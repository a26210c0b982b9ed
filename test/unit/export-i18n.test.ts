import { describe, expect, it } from 'vitest';
import { buildExport, renderExport } from '../../core/topology/export';
import { runs } from '../../core/topology/export/fonts';
import type { ExportDocument } from '../../shared/export/schema';
import { exportWordsEn, exportWordsNl } from '../../shared/i18n/export-words';
import { formatDuration, formatNumber, formatStamp } from '../../shared/i18n/format';
import type { Locale } from '../../shared/i18n/locale';
import { mapWordsEn, mapWordsNl } from '../../shared/i18n/map-words';
import { knownParts, pdfText } from '../support/export';

/**
 * The exports speak the language they are asked for: every word of the books
 * (shared/i18n/export-words.ts, map-words.ts) is written in Dutch for a Dutch export, and no English
 * word of them is left over.
 */

type Entry = string | { one: string; other: string };
type Book = Readonly<Record<string, Entry>>;

/** Each entry as its forms: a plural's one and other are two texts. */
function forms(book: Book): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, entry] of Object.entries(book)) {
    if (typeof entry === 'string') out.set(key, entry);
    else {
      out.set(`${key}#one`, entry.one);
      out.set(`${key}#other`, entry.other);
    }
  }
  return out;
}

/** The fixed words of a template, between its placeholders, with three letters or more. */
const fragments = (template: string) =>
  template
    .split(/\{\w+\}/)
    .map((f) => f.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((f) => /\p{L}{3}/u.test(f));

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// pdfkit wraps a line at a space or after a hyphen: there a line break may stand in the text.
const loose = (words: string) =>
  words
    .trim()
    .split(/\s+/)
    .map((w) => literal(w).replace(/-/g, '-\\s*'))
    .join('\\s+');
const wordAt = (pattern: string) => new RegExp(`(?<![\\p{L}\\p{N}])${pattern}(?![\\p{L}\\p{N}])`, 'u');

/** Found as words, not inside a longer word. */
const has = (text: string, fragment: string) => wordAt(loose(fragment)).test(text);

/** The whole template found, its placeholders filled with anything. */
const written = (text: string, template: string) =>
  wordAt(
    template
      .trim()
      .split(/\{\w+\}/)
      .map(loose)
      .join('[\\s\\S]{0,400}?'),
  ).test(text);

/** What a reader of the HTML reads: its text and spoken attributes, not the embedded data. */
function readable(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/\s(?:aria-label|placeholder|data-one|data-other)="([^"]*)"/g, ' >$1< ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

/** The PDF's title and subject (its document information), as a reader's PDF viewer shows them. */
function pdfInfo(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  for (const [, ref] of raw.matchAll(/\/(?:Title|Subject) (\d+) 0 R/g)) {
    const value = new RegExp(`\\n${ref} 0 obj\\n([\\s\\S]*?)\\nendobj`).exec(raw)?.[1]?.trim() ?? '';
    if (value.startsWith('(')) out.push(value.slice(1, -1).replace(/\\(.)/g, '$1'));
    // UTF-16BE with its byte order mark, as pdfkit writes text outside Latin-1.
    else out.push(Buffer.from(value.slice(1, -1), 'hex').subarray(2).swap16().toString('utf16le'));
  }
  return out.join('\n');
}

async function rendered(doc: ExportDocument, locale: Locale) {
  const html = readable((await renderExport(doc, 'html', { locale })).toString('utf8'));
  const svg = readable((await renderExport(doc, 'svg', { locale })).toString('utf8'));
  const file = await renderExport(doc, 'pdf', { locale });
  const pdf = `${pdfText(file)}\n${pdfInfo(file)}`;
  return { html, svg, pdf, all: `${html}\n${pdf}` };
}

describe('a Dutch export', () => {
  it('writes every word of the books in Dutch, and the English export the English ones', async () => {
    const { parts } = await knownParts();
    const doc = buildExport(parts);
    const nl = await rendered(doc, 'nl');
    const en = await rendered(doc, 'en');
    // A word that is also a name or value in the estate's data (a network called "VM Network")
    // cannot tell a translated word from data: those are left out of the comparison.
    const data = JSON.stringify(doc);
    const english = new Map([...forms(exportWordsEn), ...forms(mapWordsEn)]);
    const dutch = new Map([...forms(exportWordsNl), ...forms(mapWordsNl)]);
    // An English word that is also a Dutch entry ("Status") is Dutch where the Dutch export writes it.
    const dutchWords = new Set([...dutch.values()].flatMap(fragments));
    const left: string[] = [];
    let compared = 0;
    for (const [key, enText] of english) {
      const nlText = dutch.get(key)!;
      const own = fragments(enText).filter((f) => !dutchWords.has(f) && !data.includes(f));
      for (const f of own) if (has(nl.all, f)) left.push(`${key}: ${f}`);
      // Where the Dutch export used the entry, the English one says it in English.
      const used = written(nl.all, nlText);
      if (used && own.length > 0) {
        compared++;
        for (const f of own) expect(has(en.all, f), `${key}: "${f}" in the English export`).toBe(true);
      }
    }
    expect(left).toEqual([]);
    // The site boxes are named by the topology in English (data, so not compared above): the
    // pictures and tables name them in the export's language, as the console's map does.
    expect(nl.svg).toContain('Primaire locatie');
    expect(nl.all).not.toMatch(/Primary site|Secondary site/);
    expect(en.svg).toContain('Primary site');
    // How often Hyper-V Replica sends is data in the topology, worded as a duration by locale.
    expect(nl.svg).toContain(' elke 5 min ');
    expect(en.svg).toContain(' every 5 min ');
    expect(nl.all).not.toMatch(/every \d/);
    // Not an empty comparison: most of the book is in these four files.
    expect(compared).toBeGreaterThan(120);
    // The page's language is declared: screen readers and hyphenation follow it.
    expect((await renderExport(doc, 'html', { locale: 'nl' })).toString()).toMatch(
      /^<!doctype html>\n<html lang="nl">/,
    );
  }, 120_000);

  it('fills in the same values in Dutch as in English, and plurals where the English has them', () => {
    const names = (e: Entry) =>
      [...(typeof e === 'string' ? e : `${e.one} ${e.other}`).matchAll(/\{(\w+)\}/g)]
        .map((m) => m[1])
        .filter((n) => n !== 'count')
        .sort();
    for (const [key, en] of Object.entries(exportWordsEn as Book)) {
      const nl = (exportWordsNl as Book)[key]!;
      expect(typeof nl, key).toBe(typeof en);
      expect(names(nl), key).toEqual(names(en));
    }
  });

  it('has Dutch words of its own: an entry the same in both languages is a name or a word Dutch borrows', () => {
    const same = [
      [exportWordsEn, exportWordsNl],
      [mapWordsEn, mapWordsNl],
    ].flatMap(([en, nl]) =>
      Object.keys(en!).filter((k) => JSON.stringify((en as Book)[k]) === JSON.stringify((nl as Book)[k])),
    );
    // An entry copied from the English and left untranslated shows up here, not in the exports.
    expect(same.sort()).toEqual(
      [
        'attr.cpu',
        'attr.host',
        'attr.ip',
        'attr.lab',
        'attr.plan',
        'attr.product',
        'attr.rpoSec',
        'attr.url',
        'attr.vm',
        'col.machines',
        'col.plan',
        'col.vm',
        'failback.title',
        'html.col.in',
        'html.col.masterTarget',
        'map.edge.rpo',
        'map.hosts',
        'map.kind.cluster',
        'map.kind.datacenter',
        'map.kind.datastore',
        'map.kind.master-target',
        'map.kind.vcenter',
        'map.kind.vm',
        'os.linux',
        'os.windows',
        'pdf.col.hosts',
        'plan.col.dns',
        'plan.col.gateway',
        'plan.col.nic',
        'plan.mapping.cluster',
        'plan.mapping.datastore',
        'plan.mapping.host',
        'plan.masterTarget',
        'plan.nic',
        'plan.plan',
        'sourceKind.hyperv',
        'sourceKind.vsphere',
        'workflow.failback',
      ].sort(),
    );
  });

  it('writes numbers, dates and durations the Dutch way', async () => {
    const { parts } = await knownParts(1200);
    const doc = buildExport(parts);
    const nl = await rendered(doc, 'nl');
    const en = await rendered(doc, 'en');
    const vms = doc.topology.nodes.filter((n) => n.kind === 'vm' || n.kind === 'hyperv-vm').length;
    expect(vms).toBeGreaterThan(1000);
    // The estate's summary: "1.234 VM’s" / "1,234 VMs".
    expect(nl.svg).toContain(`${formatNumber('nl', vms)} VM’s`);
    expect(formatNumber('nl', vms)).toMatch(/^\d\.\d{3}$/);
    expect(en.svg).toContain(`${formatNumber('en', vms)} VMs`);
    // The moment of the snapshot, with its time zone, in the locale's words.
    const when = formatStamp('nl', doc.exportedAt);
    expect(when).toMatch(/nov 2026/);
    expect(nl.html).toContain(when);
    expect(nl.pdf.replace(/\s+/g, ' ')).toContain(when);
    expect(en.html).toContain(formatStamp('en', doc.exportedAt));
    // The plan's retention (24 hours) and RPO threshold (15 minutes).
    expect(formatDuration('nl', 24 * 3600)).toBe('24 uur');
    expect(nl.pdf).toMatch(/Bewaartermijn\s+24 uur/);
    expect(en.pdf).toMatch(/Retention\s+24 hr/);
    expect(nl.pdf).toMatch(/RPO-drempel\s+15 min/);
    // A recovery point's time: "20 nov 2026" in Dutch, "Nov 20, 2026" in English.
    expect(nl.pdf).toMatch(/20 nov 2026/);
    expect(en.pdf).toMatch(/Nov 20, 2026/);
  }, 120_000);

  it("words a readiness check in the runbook's language by the words the server sent with it", async () => {
    const { parts } = await knownParts();
    const worded = structuredClone(parts);
    worded.deployments[0]!.readiness = [
      {
        planId: 'plan1',
        kind: 'unplanned',
        name: 'Recovery points to recover to',
        titleWords: { key: 'check.title.recoveryPoints' },
        status: 'warn',
        message: 'no recovery point yet: ams-w-web-001',
        messageWords: { key: 'check.points.none', params: { machines: 'ams-w-web-001' } },
      },
      {
        planId: 'plan1',
        kind: 'planned',
        name: 'Recovery points to recover to',
        titleWords: { key: 'check.title.recoveryPoints' },
        status: 'fail',
        message: 'no recovery point yet: a, b and 3 more',
        messageWords: {
          key: 'check.points.none',
          parts: { machines: { key: 'list.more', params: { list: 'a, b', more: 3 } } },
        },
      },
    ];
    const doc = buildExport(worded);
    const nl = pdfText(await renderExport(doc, 'pdf', { locale: 'nl' })).replace(/\s+/g, ' ');
    expect(nl).toContain(
      'ongeplande failover Herstelpunten om naar te herstellen waarschuwing nog geen herstelpunt: ams-w-web-001',
    );
    // A list inside the finding is worded with it.
    expect(nl).toContain('mislukt nog geen herstelpunt: a, b en nog 3');
    const en = pdfText(await renderExport(doc, 'pdf', { locale: 'en' })).replace(/\s+/g, ' ');
    expect(en).toContain(
      'unplanned failover Recovery points to recover to warn no recovery point yet: ams-w-web-001',
    );
  }, 60_000);

  it('prints Dutch letters (ë, é, ï) in the PDF with the embedded text faces, not a fallback', () => {
    for (const bold of [false, true]) {
      const face = bold ? 'sans-bold' : 'sans';
      expect(runs('geïsoleerd, coördinator, café, België', [face, 'cjk-sc'])).toEqual([
        { face, text: 'geïsoleerd, coördinator, café, België' },
      ]);
    }
  });
});
