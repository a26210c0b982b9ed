import { describe, expect, it } from 'vitest';
import { createLabEstate } from '../../core/lab/estate';
import { renderExport } from '../../core/topology/export';
import { mapLayout } from '../../core/topology/export/pdf-map';
import { buildScene } from '../../core/topology/export/scene';
import { healthColour, renderDiagram } from '../../core/topology/export/svg';
import { layoutOf } from '../../renderer/src/topology/useLayout';
import { formatStamp } from '../../shared/i18n/format';
import { exportExpanded, exportMap } from '../../shared/topology/export-view';
import { toMapGraph } from '../../shared/topology/map';
import { edgeWords } from '../../shared/topology/map-text';
import { knownLabExport, pdfPageTexts, pdfText } from '../support/export';
import { labTopology } from '../support/topology';

const vmKinds = new Set(['vm', 'hyperv-vm']);

/** Each node's top-left as the SVG places it, less the picture's margin and header. */
function svgPositions(svg: string): Record<string, { x: number; y: number }> {
  const out: Record<string, { x: number; y: number }> = {};
  for (const m of svg.matchAll(
    /<g class="node" data-id="([^"]+)"[^>]* transform="translate\(([-\d.]+),([-\d.]+)\)">/g,
  ))
    out[m[1]!.replace(/&amp;/g, '&')] = { x: Number(m[2]) - 32, y: Number(m[3]) - 32 - 56 };
  return out;
}

describe('the exported picture is the console map', () => {
  it('places every node where the console map does, for the same topology and folds', async () => {
    const t = await labTopology(5000);
    const cluster = t.nodes.find((n) => n.kind === 'cluster' && n.site === 'primary')!;
    const host = t.nodes.find((n) => n.kind === 'esxi-host' && n.parent === cluster.id)!;
    const hv = t.nodes.filter((n) => n.kind === 'hyperv-host').map((n) => n.id);
    for (const expanded of [[], [cluster.id], [cluster.id, host.id, ...hv]]) {
      // The console: its map graph, laid out by its own layout function with its session cache.
      const consoleGraph = toMapGraph(t, { expanded: new Set(expanded), search: '', site: 'all' });
      const consolePositions = layoutOf(consoleGraph);
      const exported = exportMap(t, { expanded });
      expect(exported.graph.nodes.map((n) => [n.id, n.health, n.expanded])).toEqual(
        consoleGraph.nodes.map((n) => [n.id, n.health, n.expanded]),
      );
      expect(exported.graph.edges).toEqual(consoleGraph.edges);
      expect(exported.positions).toEqual(consolePositions);
      // And the SVG draws each box there (to the tenth of a pixel it writes).
      const drawn = svgPositions(renderDiagram(t, 'map', { expanded }).svg);
      expect(Object.keys(drawn).sort()).toEqual(Object.keys(consolePositions).sort());
      for (const [id, p] of Object.entries(consolePositions)) {
        expect(drawn[id]!.x).toBeCloseTo(p.x, 1);
        expect(drawn[id]!.y).toBeCloseTo(p.y, 1);
      }
    }
  }, 60_000);

  it('from the CLI, opens every cluster and each host up to the size, folds bigger ones, or opens all', async () => {
    const small = await labTopology();
    const open = exportMap(small, { hostVms: 64 }).graph;
    // The 48-VM lab: every host is small, so every VM is drawn, each once (a Hyper-V replica in its VM).
    const vms = small.nodes.filter((n) => vmKinds.has(n.kind));
    const drawn = open.nodes.filter((n) => vmKinds.has(n.kind));
    expect(drawn.length + drawn.filter((n) => n.replica).length).toBe(vms.length);
    expect(open.nodes.every((n) => n.expanded !== false)).toBe(true);

    const big = await labTopology(5000);
    const folded = exportExpanded(big, { hostVms: 64 });
    for (const n of big.nodes.filter((x) => x.kind === 'esxi-host' || x.kind === 'hyperv-host')) {
      const count = big.nodes.filter((v) => v.parent === n.id && vmKinds.has(v.kind)).length;
      expect(folded.has(n.id), n.label).toBe(count <= 64);
    }
    expect(big.nodes.filter((n) => n.kind === 'cluster').every((n) => folded.has(n.id))).toBe(true);
    const none = exportMap(big, { hostVms: 0 }).graph;
    expect(none.nodes.filter((n) => vmKinds.has(n.kind) && n.source.parent?.includes('host'))).toHaveLength(
      0,
    );
    const all = exportMap(big, { hostVms: 'all' }).graph;
    expect(all.nodes.filter((n) => n.kind === 'vm').length).toBe(
      big.nodes.filter((n) => n.kind === 'vm').length,
    );
  }, 60_000);

  it('draws replication in the console status colours, problems labelled, and the sites facing each other', async () => {
    const t = await labTopology();
    const d = renderDiagram(t, 'map', { hostVms: 64 });
    const rep = d.graph.edges.filter((e) => e.kind === 'replicates');
    expect(rep.length).toBeGreaterThan(0);
    for (const e of rep) {
      expect(d.svg).toContain(`stroke="${healthColour[e.health]}"`);
      if (e.health !== 'ok') expect(d.svg).toContain(`>${edgeWords('en', e)}</text>`);
    }
    expect(rep.some((e) => e.health !== 'ok')).toBe(true);
    const right = (site: string) =>
      Math.max(...d.graph.nodes.filter((n) => n.site === site).map((n) => d.positions[n.id]!.x + n.width));
    const left = (site: string) =>
      Math.min(...d.graph.nodes.filter((n) => n.site === site).map((n) => d.positions[n.id]!.x));
    expect(left('secondary')).toBeGreaterThan(right('primary'));
    // The secondary's site node on the far right, its leaves facing the primary's.
    const secondarySite = d.graph.nodes.find((n) => n.kind === 'site' && n.site === 'secondary')!;
    expect(d.positions[secondarySite.id]!.x + secondarySite.width).toBe(right('secondary'));
  });

  it('prints the map in the PDF runbook: whole on a page, then in parts where its names can be read', async () => {
    const pages = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;
    const text = (pdf: Buffer) => pdfText(pdf).replace(/ *\n */g, ' ');
    const small = createLabEstate({ vms: 12 });
    const doc = await knownLabExport(small);
    const partsOf = (words: string) =>
      Number(/Printed in (\d+) parts on the pages after this one/.exec(words)?.[1] ?? 0);
    // Every host folded: few boxes, but the two sites side by side are wider than a page at 6 pt
    // names: the whole, then a few parts.
    const folded = await renderExport(doc, 'pdf', { fold: { hostVms: 0 } });
    expect(text(folded)).toContain(`Topology at ${formatStamp('en', doc.exportedAt)}`);
    expect(text(folded)).toContain('Lab vCenter Amsterdam');
    const few = partsOf(text(folded));
    expect(few).toBeGreaterThan(0);
    expect(few).toBeLessThanOrEqual(4);
    // Every VM drawn: more parts, each titled, each VM's name printed.
    const open = await renderExport(doc, 'pdf', { fold: { hostVms: 'all' } });
    const words = text(open);
    const parts = partsOf(words);
    expect(parts).toBeGreaterThan(few);
    for (let r = 1; r <= parts; r++) expect(words).toMatch(new RegExp(`page ${r} of the ${parts} parts`));
    expect(pages(open) - pages(folded)).toBe(parts - few);
    for (const vm of small.primary.vms) expect(words).toContain(vm.name);
  }, 120_000);

  it('gives no page to a part of the map with nothing on it, and every box a part', async () => {
    // The CLI's lab export: two sites side by side, a tall column of VMs, much room between them.
    const doc = await knownLabExport(createLabEstate({ vms: 48 }));
    const scene = buildScene(doc.topology, '', { hostVms: 64 });
    const layout = mapLayout(scene);
    expect(layout.columns * layout.rows).toBeGreaterThan(layout.parts.length);
    const middle = (b: { x: number; y: number; width: number; height: number }) => ({
      x: b.x + b.width / 2,
      y: b.y + b.height / 2,
    });
    const within = (p: { x: number; y: number }, v: (typeof layout.parts)[number]['view']) =>
      p.x >= v.x && p.x < v.x + v.width && p.y >= v.y && p.y < v.y + v.height;
    for (const n of scene.nodes)
      expect(
        layout.parts.filter((part) => within(middle(n), part.view)),
        n.node.id,
      ).toHaveLength(1);

    const pdf = await renderExport(doc, 'pdf', { fold: { hostVms: 64 } });
    const pages = pdfPageTexts(pdf);
    // Each page says which it is at its foot: the texts are in the order of the pages.
    for (const [i, page] of pages.entries()) expect(page).toContain(`page ${i + 1} of ${pages.length}`);
    const partPages = pages.filter((page) => /^Topology at .*, part \d+\.\d+$/m.test(page));
    expect(partPages).toHaveLength(layout.parts.length);
    for (const page of partPages) {
      // What is on the page besides its title, its note (row and column) and its foot.
      const drawn = page
        .split('\n')
        .filter(
          (line) =>
            !/^Topology at |^Row \d+ of |page \d+ of the \d+|^Siteshift DR runbook|^parts\.$/.test(line),
        )
        .join('');
      expect(drawn.trim(), page.split('\n')[0]).not.toBe('');
    }
    const note = pages.find((page) => page.includes('Printed in'))!.replace(/ *\n */g, ' ');
    expect(note).toContain(
      `Printed in ${layout.parts.length} parts on the pages after this one (${layout.rows} rows of ${layout.columns}, less ${layout.columns * layout.rows - layout.parts.length} empty ones)`,
    );
  }, 120_000);
});
