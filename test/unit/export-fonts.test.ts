import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { buildExport, renderExport } from '../../core/topology/export';
import { fallbackChain, replacement, runs } from '../../core/topology/export/fonts';
import { pngFontOptions } from '../../core/topology/export/png';
import { renderDiagram } from '../../core/topology/export/svg';
import { knownParts, pdfText } from '../support/export';

/** Names an estate really has: Polish, Greek, Cyrillic, Chinese, Japanese, Korean, an emoji. */
const NAMES = {
  plan: 'Łódź księgowość 北京 東京サーバー 서울 🚀',
  vms: ['Αθήνα-βάση-01', 'Москва-сервер-02', '北京数据库-03', '東京サーバー-04', '서울-백업-05', 'web-🚀-06'],
  site: 'Kraków-Żółć',
  target: 'Θεσσαλονίκη',
};
/** A private-use character: no shipped font has it, so it prints as its code point. */
const UNCOVERED = '\ue000';

async function internationalExport() {
  const { parts } = await knownParts();
  const dep = parts.deployments[0]!;
  const plan = dep.plans[0]!;
  const rename = new Map(dep.pairs.map((p, i) => [p.sourceVmName, NAMES.vms[i]!]));
  plan.name = `${NAMES.plan} ${UNCOVERED}`;
  plan.source = { ...plan.source, site: NAMES.site };
  plan.target = { ...plan.target, site: NAMES.target };
  for (const m of plan.machines ?? []) m.vm = rename.get(m.vm) ?? m.vm;
  for (const p of dep.pairs) p.sourceVmName = rename.get(p.sourceVmName) ?? p.sourceVmName;
  const inventory = parts.inventories[0]!.inventory!;
  inventory.vms.forEach((vm, i) => {
    if (i < NAMES.vms.length) vm.name = NAMES.vms[i]!;
  });
  return buildExport(parts);
}

/** Dark pixels of a string rendered black on white by resvg with the export's fonts. */
function ink(text: string, font = pngFontOptions()): number {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40" font-family="DejaVu Sans, Helvetica, Arial, sans-serif"><text x="4" y="28" font-size="20" fill="#000">${text}</text></svg>`;
  const { pixels } = new Resvg(svg, { font, background: '#ffffff' }).render();
  let dark = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 128) dark++;
  return dark;
}

describe('export fonts', () => {
  it('splits text into runs by glyph coverage and shows what no font has as [U+XXXX]', () => {
    expect(runs('erp-tier 10.2.0.10', fallbackChain(false))).toEqual([
      { face: 'sans', text: 'erp-tier 10.2.0.10' },
    ]);
    expect(runs('Łódź Αθήνα Москва → ok', fallbackChain(false))).toEqual([
      { face: 'sans', text: 'Łódź Αθήνα Москва → ok' },
    ]);
    expect(runs(`db 北京 서울 🚀 x${UNCOVERED}`, fallbackChain(true))).toEqual([
      { face: 'sans-bold', text: 'db ' },
      { face: 'cjk-sc', text: '北京 ' },
      { face: 'cjk-kr', text: '서울 ' },
      { face: 'emoji', text: '🚀 ' },
      { face: 'sans-bold', text: `x${replacement(0xe000)}` },
    ]);
    expect(replacement(0xe000)).toBe('[U+E000]');
  });

  it('prints names in every script in the PDF runbook, embedding font subsets only', async () => {
    const pdf = await renderExport(await internationalExport(), 'pdf');
    const text = pdfText(pdf).replace(/\n/g, '');
    // The plan has three machines (the other names are in the diagram only).
    for (const s of [
      `Runbook: ${NAMES.plan} [U+E000]`,
      ...NAMES.vms.slice(0, 3),
      `${NAMES.site} -> ${NAMES.target}`,
    ])
      expect(text).toContain(s);
    expect(text).not.toContain('?');
    const raw = pdf.toString('latin1');
    // Every font is embedded, each as a subset (pdfkit tags subsets with six letters and a '+').
    expect(raw).not.toMatch(/\/BaseFont \/Helvetica/);
    const embedded = [...raw.matchAll(/\/BaseFont \/([A-Z]{6})\+([\w-]+)/g)].map((m) => m[2]);
    for (const f of ['DejaVuSans', 'DejaVuSans-Bold', 'NotoSansSC', 'NotoSansKR', 'NotoEmoji'])
      expect(embedded.some((e) => e?.startsWith(f))).toBe(true);
    // The CJK font alone is 10 MB: a subset keeps the runbook small.
    expect(pdf.length).toBeLessThan(2 * 1024 * 1024);
  }, 120_000);

  it('renders names in every script in the PNG with the same fonts (no system fonts)', async () => {
    for (const s of ['Łódź', 'Αθήνα', 'Москва', '北京数据库', 'サーバー', '서울', '🚀']) {
      expect(ink(s), s).toBeGreaterThan(20);
      // Without the export's fonts resvg draws nothing: the ink above is theirs.
      expect(ink(s, { loadSystemFonts: false, fontFiles: [], defaultFontFamily: 'DejaVu Sans' }), s).toBe(0);
    }
    const doc = await internationalExport();
    const diagram = renderDiagram(doc.topology, 'names', { hostVms: 'all' });
    for (const name of NAMES.vms.slice(0, 3)) expect(diagram.svg).toContain(name);
    const png = await renderExport(doc, 'png');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  }, 120_000);
});
