import { describe, expect, it } from 'vitest';
import { placeLabels } from '../../renderer/src/topology/labels';
import {
  type Box,
  boundsOf,
  boxesIn,
  boxesOf,
  openingViewport,
  READABLE_ZOOM,
  readableView,
  settle,
  unionOf,
  type Viewport,
} from '../../renderer/src/topology/viewport';
import type { Topology } from '../../shared/schemas/topology';
import { countOf } from '../../shared/topology/display';
import { type MapEdge, type MapGraph, toMapGraph } from '../../shared/topology/map';
import { edgeWords } from '../../shared/topology/map-text';
import { layoutTree, type TreeLayoutCache } from '../../shared/topology/tree-layout';
import { labTopology } from '../support/topology';

/**
 * Primary VMs replicating to a master target on the secondary, as addProtection draws pairs: RPO
 * over the 900 s threshold is a warning, no RPO yet (initial copy) a warning too.
 */
function withPairs(t: Topology, rpo: Array<number | null>): Topology {
  const level = (r: number | null) => (r === null || r > 900 ? ('warning' as const) : ('ok' as const));
  const vms = t.nodes.filter((n) => n.kind === 'vm' && n.site === 'primary').slice(0, rpo.length);
  const mt = {
    id: 'cs:x:mt:1',
    kind: 'master-target' as const,
    label: 'rtm-mt-win-01',
    parent: 'site:secondary',
    site: 'secondary' as const,
    health: 'ok' as const,
    attributes: { slotsUsed: 3, slotsFree: 55 },
  };
  vms.forEach((vm, i) => {
    vm.health = level(rpo[i] ?? null);
    vm.attributes = {
      ...vm.attributes,
      pairState: rpo[i] === null ? 'initial-replication' : 'protected',
      plan: 'lab-windows',
      configServer: 'x',
      rpoSec: rpo[i] ?? null,
      rpoThresholdSec: 900,
    };
  });
  return {
    ...t,
    nodes: [...t.nodes, mt],
    edges: [
      ...t.edges,
      ...vms.map((vm, i) => ({
        id: `pair:x:${i}`,
        kind: 'replicates' as const,
        source: vm.id,
        target: mt.id,
        health: level(rpo[i] ?? null),
        label: String(vm.attributes.pairState),
        frequencySec: null,
      })),
    ],
  };
}

const noSearch = { search: '', site: 'all' as const };

/** Of the boxes a view shows on a canvas of `area`, how many, and which it cuts at an edge. */
function onCanvas(v: Viewport, boxes: readonly Box[], area: { width: number; height: number }) {
  const screen = boxes.map((b) => ({
    x1: b.x * v.zoom + v.x,
    y1: b.y * v.zoom + v.y,
    x2: (b.x + b.width) * v.zoom + v.x,
    y2: (b.y + b.height) * v.zoom + v.y,
  }));
  const shown = screen.filter((b) => b.x1 < area.width && b.x2 > 0 && b.y1 < area.height && b.y2 > 0);
  const cut = shown.filter((b) => b.x1 < 0 || b.y1 < 0 || b.x2 > area.width || b.y2 > area.height);
  return { shown: shown.length, cut };
}
const drawnVms = (g: MapGraph) => g.nodes.filter((n) => n.kind === 'vm' || n.kind === 'hyperv-vm');

describe('the map graph', () => {
  it('folds clusters and hosts: a 5,000-VM estate draws tens of nodes whose counts add up', async () => {
    const t = await labTopology(5000);
    const g = toMapGraph(t, { ...noSearch, expanded: new Set() });
    expect(g.nodes.length).toBeLessThan(60);
    expect(drawnVms(g)).toHaveLength(0);
    const clusters = g.nodes.filter((n) => n.kind === 'cluster');
    const vsphereVms = t.nodes.filter(
      (n) => n.kind === 'vm' && t.nodes.find((p) => p.id === n.parent)?.kind === 'esxi-host',
    );
    expect(clusters.reduce((s, c) => s + c.counts!.vms, 0)).toBe(vsphereVms.length);
    expect(clusters.every((c) => c.expanded === false && c.counts!.hosts > 0)).toBe(true);
    // Folded Hyper-V host: its own VMs only (the replicas live on the other site's host).
    const hv = g.nodes.find((n) => n.kind === 'hyperv-host' && n.site === 'primary')!;
    expect(hv.counts!.vms).toBe(6);
    expect(hv.health).toBe('critical');
    expect(g.attention).toContain(hv.id);
    // Worst first: every critical node before the first warning.
    const levels = g.attention.map((id) => g.nodes.find((n) => n.id === id)!.health);
    expect(
      levels.indexOf('warning') === -1 || levels.lastIndexOf('critical') < levels.indexOf('warning'),
    ).toBe(true);
  });

  it('says 1 VM and 2 VMs', () => {
    expect(countOf(1, 'VM')).toBe('1 VM');
    expect(countOf(2, 'VM')).toBe('2 VMs');
    expect(countOf(4935, 'VM')).toBe('4,935 VMs');
    expect(countOf(1, 'match', 'matches')).toBe('1 match');
  });

  it('opens a cluster into its hosts and a host into its VMs, each VM drawn once', async () => {
    const t = await labTopology(5000);
    const cluster = t.nodes.find((n) => n.kind === 'cluster' && n.site === 'primary')!;
    const host = t.nodes.find((n) => n.kind === 'esxi-host' && n.parent === cluster.id)!;
    const g1 = toMapGraph(t, { ...noSearch, expanded: new Set([cluster.id]) });
    expect(g1.nodes.filter((n) => n.source.parent === cluster.id).every((n) => n.kind === 'esxi-host')).toBe(
      true,
    );
    expect(drawnVms(g1)).toHaveLength(0);
    const g2 = toMapGraph(t, { ...noSearch, expanded: new Set([cluster.id, host.id]) });
    const vms = drawnVms(g2);
    expect(vms).toHaveLength(Number(host.attributes.vms));
    expect(new Set(g2.nodes.map((n) => n.id)).size).toBe(g2.nodes.length);
    // Walk order: each node after its parent.
    const index = new Map(g2.nodes.map((n, i) => [n.id, i]));
    for (const n of g2.nodes)
      if (n.source.parent && index.has(n.source.parent))
        expect(index.get(n.source.parent)!).toBeLessThan(index.get(n.id)!);
  });

  it('draws a Hyper-V VM once: its replica folds into it and replication lands on the replica host', async () => {
    const t = await labTopology();
    const hosts = t.nodes.filter((n) => n.kind === 'hyperv-host');
    const g = toMapGraph(t, { ...noSearch, expanded: new Set(hosts.map((h) => h.id)) });
    const labels = drawnVms(g).map((n) => n.label);
    expect(new Set(labels).size).toBe(labels.length);
    const app = g.nodes.find((n) => n.label === 'ams-hv-app-01')!;
    expect(app.site).toBe('primary');
    expect(app.replica?.site).toBe('secondary');
    const replicaHost = hosts.find((h) => h.site === 'secondary')!;
    const rep = g.edges.filter((e) => e.kind === 'replicates');
    expect(rep).toHaveLength(5);
    expect(rep.every((e) => e.target === replicaHost.id)).toBe(true);
    // With no pair on them, each says how often Hyper-V Replica sends, in the map's language.
    const sendsEvery = (e: MapEdge) => e.frequencySec ?? 0;
    expect(rep.map(sendsEvery).sort((a, b) => a - b)).toEqual([30, 30, 30, 300, 300]);
    const fiveMin = rep.find((e) => sendsEvery(e) === 300)!;
    expect(edgeWords('en', fiveMin)).toBe('every 5 min');
    expect(edgeWords('nl', fiveMin)).toBe('elke 5 min');
    expect(edgeWords('nl', rep.find((e) => sendsEvery(e) === 30)!)).toBe('elke 30 sec');
    // Folded, the five become one edge between the two hosts, as bad as the worst of them.
    const folded = toMapGraph(t, { ...noSearch, expanded: new Set() });
    const one = folded.edges.filter((e) => e.kind === 'replicates');
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({ pairs: 5, health: 'critical' });
  });

  it('folds pairs between two drawn nodes into one edge: worst status, worst RPO, pairs without a point', async () => {
    const t = withPairs(await labTopology(), [30, 1000, null]);
    const g = toMapGraph(t, { ...noSearch, expanded: new Set() });
    const edges = g.edges.filter((e) => e.kind === 'replicates' && e.target === 'cs:x:mt:1');
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({ pairs: 3, health: 'warning', worstRpoSec: 1000, noPoint: 1 });
    const vm = t.nodes.find((n) => n.attributes.rpoSec === 1000)!;
    const open = toMapGraph(t, {
      ...noSearch,
      expanded: new Set([vm.parent!, t.nodes.find((n) => n.id === vm.parent)!.parent!]),
    });
    expect(open.nodes.find((n) => n.id === vm.id)?.health).toBe('warning');
    // The opened host says the worst of what it holds, as it did folded; the VM, drawn now, is what
    // needs attention, not the host.
    const host = open.nodes.find((n) => n.id === vm.parent)!;
    expect(host.expanded).toBe(true);
    expect(host.health).toBe('warning');
    expect(open.attention).toContain(vm.id);
    expect(open.attention).not.toContain(host.id);
  });

  it('search opens the folds around its hits, hides the other VMs and counts hits it does not open', async () => {
    const t = await labTopology(5000);
    const g = toMapGraph(t, { search: 'web-0011', site: 'all', expanded: new Set() });
    expect(drawnVms(g).map((n) => n.label)).toEqual(['ams-w-web-0011']);
    expect(g.hitCount).toBe(1);
    expect(g.hitIds).toEqual([drawnVms(g)[0]!.id]);
    expect(g.hiddenVms).toBeGreaterThan(0);
    const many = toMapGraph(t, { search: 'ams-w', site: 'all', expanded: new Set(), searchLimit: 50 });
    // The first 50 open their hosts (and so show those hosts' other hits); every other hit is
    // counted on the fold that holds it: none is lost.
    const drawn = drawnVms(many).length;
    expect(drawn).toBeGreaterThanOrEqual(50);
    expect(drawn).toBeLessThan(200);
    expect(drawn + many.nodes.reduce((s, n) => s + n.hitsInside, 0)).toBe(many.hitCount);
    expect(many.hitCount).toBeGreaterThan(1000);
    const none = toMapGraph(t, { search: 'no-such-vm', site: 'all', expanded: new Set() });
    expect(none.hitCount).toBe(0);
  });

  it('filters by site', async () => {
    const t = await labTopology();
    const g = toMapGraph(t, { search: '', site: 'secondary', expanded: new Set() });
    expect(g.nodes.every((n) => n.site !== 'primary')).toBe(true);
    expect(g.nodes.some((n) => n.kind === 'site')).toBe(true);
  });
});

describe('the map layout', () => {
  it('places children beside their parents, the sites facing each other, no two boxes overlapping', async () => {
    const t = await labTopology(5000);
    const cluster = t.nodes.find((n) => n.kind === 'cluster' && n.site === 'primary')!;
    const host = t.nodes.find((n) => n.kind === 'esxi-host' && n.parent === cluster.id)!;
    const dr = t.nodes.find((n) => n.kind === 'cluster' && n.site === 'secondary')!;
    const g = toMapGraph(t, { ...noSearch, expanded: new Set([cluster.id, host.id, dr.id]) });
    const pos = layoutTree(g);
    for (const n of g.nodes) expect(pos[n.id]).toBeDefined();
    for (const e of g.edges.filter((x) => x.kind === 'contains')) {
      const site = g.nodes.find((n) => n.id === e.source)!.site;
      if (site === 'secondary') expect(pos[e.target]!.x).toBeLessThan(pos[e.source]!.x);
      else expect(pos[e.target]!.x).toBeGreaterThan(pos[e.source]!.x);
    }
    const right = (id: string) => pos[id]!.x + g.nodes.find((n) => n.id === id)!.width;
    const primaryRight = Math.max(...g.nodes.filter((n) => n.site === 'primary').map((n) => right(n.id)));
    const secondaryLeft = Math.min(...g.nodes.filter((n) => n.site === 'secondary').map((n) => pos[n.id]!.x));
    expect(secondaryLeft).toBeGreaterThan(primaryRight);
    const boxes = g.nodes.map((n) => ({ ...pos[n.id]!, w: n.width, h: n.height, id: n.id }));
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        if (overlap) throw new Error(`${a.id} overlaps ${b.id}`);
      }
  });

  it('lays out again only what changed: opening a host keeps the other clusters’ arrangements', async () => {
    const t = await labTopology(5000);
    const [c1, c2] = t.nodes.filter((n) => n.kind === 'cluster' && n.site === 'primary');
    const host = t.nodes.find((n) => n.kind === 'esxi-host' && n.parent === c1!.id)!;
    const cache: TreeLayoutCache = new Map();
    layoutTree(toMapGraph(t, { ...noSearch, expanded: new Set([c1!.id, c2!.id]) }), cache);
    const other = cache.get(c2!.id);
    const opened = cache.get(c1!.id);
    layoutTree(toMapGraph(t, { ...noSearch, expanded: new Set([c1!.id, c2!.id, host.id]) }), cache);
    expect(cache.get(c2!.id)).toBe(other);
    expect(cache.get(c1!.id)).not.toBe(opened);
  });

  it('opens readable: the whole estate when it fits, else centred on what needs attention at a readable zoom', () => {
    const area = { width: 800, height: 700 };
    const small = openingViewport({ x: 0, y: 0, width: 600, height: 400 }, null, area);
    expect(small.zoom).toBe(1);
    const big = { x: 0, y: 0, width: 2400, height: 1600 };
    const hot = { x: 1800, y: 1200, width: 200, height: 56 };
    const v = openingViewport(big, hot, area);
    expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    // The attention box's centre lands in the middle of the canvas.
    expect((hot.x + hot.width / 2) * v.zoom + v.x).toBeCloseTo(area.width / 2);
    expect((hot.y + hot.height / 2) * v.zoom + v.y).toBeCloseTo(area.height / 2);
    expect(
      boundsOf(
        ['a', 'b'],
        { a: { x: 0, y: 0 }, b: { x: 100, y: 50 } },
        new Map([
          ['a', { width: 10, height: 10 }],
          ['b', { width: 20, height: 30 }],
        ]),
      ),
    ).toEqual({ x: 0, y: 0, width: 120, height: 80 });
  });

  it('opens with no node cut at the canvas edges, the attention kept in view, at a readable zoom', async () => {
    const t = await labTopology(300);
    const graph = toMapGraph(t, { ...noSearch, expanded: new Set() });
    const positions = layoutTree(graph);
    const sizes = new Map(graph.nodes.map((n) => [n.id, n]));
    const boxes = boxesOf(positions, sizes);
    const all = boundsOf(Object.keys(positions), positions, sizes)!;
    const hot = boundsOf(graph.attention.slice(0, 1), positions, sizes);
    for (const area of [
      { width: 536, height: 622 },
      { width: 828, height: 772 },
    ]) {
      const v = openingViewport(all, hot, area, boxes);
      expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
      const { shown, cut } = onCanvas(v, boxes, area);
      expect(shown).toBeGreaterThan(3);
      expect(cut).toEqual([]);
      expect(onCanvas(v, [hot!], area)).toEqual({ shown: 1, cut: [] });
    }
    // A view that cuts a box at its left edge moves the least to draw it whole or not at all.
    const moved = settle({ x: 50, y: 0, zoom: 1 }, [{ x: -100, y: 10, width: 200, height: 40 }], {
      width: 400,
      height: 300,
    });
    const left = -100 + moved.x;
    const right = 100 + moved.x;
    expect(left >= 12 || right <= 0).toBe(true);
    expect(Math.abs(moved.x - 50)).toBeLessThanOrEqual(62);
  });

  it('opens a host whose grid of VMs is wider than the canvas on the host and as many VMs whole as fit, none cut', async () => {
    const t = await labTopology(300);
    // The canvases of a 1024×768 and a 1440×900 window with the details panel open.
    const areas = [
      { area: { width: 536, height: 622 }, columns: 1 },
      { area: { width: 828, height: 772 }, columns: 3 },
    ];
    const hosts = t.nodes.filter((n) => n.kind === 'esxi-host' && n.site === 'primary');
    expect(hosts.length).toBeGreaterThan(4);
    for (const host of hosts) {
      const graph = toMapGraph(t, { ...noSearch, expanded: new Set([host.parent!, host.id]) });
      const positions = layoutTree(graph);
      const sizes = new Map(graph.nodes.map((n) => [n.id, n]));
      const inside = graph.edges
        .filter((e) => e.kind === 'contains' && e.source === host.id)
        .map((e) => e.target);
      const vms = boxesIn(inside, positions, sizes);
      const keep = boundsOf([host.id], positions, sizes);
      // Twelve VMs a column: the grid is four columns wide, wider than either canvas.
      expect(vms.length).toBeGreaterThan(36);
      for (const { area, columns } of areas)
        for (const maxZoom of [READABLE_ZOOM, 1]) {
          const box = boundsOf([host.id, ...inside], positions, sizes)!;
          const v = readableView(box, boxesOf(positions, sizes), area, { maxZoom, keep, show: vms });
          const where = `${host.label} at ${area.width}×${area.height}, zoom ${maxZoom}`;
          expect(onCanvas(v, [keep!], area), where).toEqual({ shown: 1, cut: [] });
          const drawn = onCanvas(v, vms, area);
          expect(drawn.cut, where).toEqual([]);
          expect(drawn.shown, where).toBeGreaterThanOrEqual(12 * columns);
        }
    }
  });

  it('keeps edge labels whole like nodes: where the map opens, none is cut at the canvas edges', async () => {
    const rpo = Array.from({ length: 60 }, (_, i) => (i % 4 === 0 ? null : 1000 + i));
    const t = withPairs(await labTopology(300), rpo);
    const clusters = new Set(t.nodes.filter((n) => n.kind === 'cluster').map((n) => n.id));
    const graph = toMapGraph(t, { ...noSearch, expanded: clusters });
    const positions = layoutTree(graph);
    const sizes = new Map(graph.nodes.map((n) => [n.id, n]));
    const words = (e: MapEdge) =>
      `${e.pairs} pairs · worst RPO ${e.worstRpoSec} sec · ${e.noPoint} without a recovery point`;
    const labels = [...placeLabels(graph, positions, new Set(), words).values()].map((l) => l.box);
    expect(labels.length).toBeGreaterThan(1);
    const boxes = [...boxesOf(positions, sizes), ...labels];
    // Centred on the estate's middle (between the sites, where the labels are), on the master
    // target the pairs replicate to, and on the lab's critical host.
    const hots = [
      null,
      boundsOf(['cs:x:mt:1'], positions, sizes),
      boundsOf(graph.attention, positions, sizes),
    ];
    let labelsShown = 0;
    for (const hot of hots)
      for (let width = 480; width <= 1000; width += 40)
        for (const height of [520, 640, 800]) {
          const area = { width, height };
          const v = openingViewport(unionOf(boxes)!, hot, area, boxes);
          expect(onCanvas(v, boxes, area).cut, `${width}×${height}`).toEqual([]);
          labelsShown += onCanvas(v, labels, area).shown;
        }
    expect(labelsShown).toBeGreaterThan(10);
  });
});
