import {
  Background,
  ControlButton,
  Controls,
  type Edge,
  Handle,
  MiniMap,
  type Node,
  type NodeMouseHandler,
  type NodeProps,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
  type Viewport,
} from '@xyflow/react';
import {
  type KeyboardEvent,
  memo,
  startTransition,
  useDeferredValue,
  useEffect,
  useLayoutEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from 'react';
import type { MachineReason } from '../../../shared/configserver/risk';
import type { Topology } from '../../../shared/schemas/topology';
import { type MapEdge, type MapGraph, type MapNode, toMapGraph } from '../../../shared/topology/map';
import {
  edgeWords,
  foldedFacts,
  kindName,
  pairStateName,
  sitesWorded,
  summaryWords,
} from '../../../shared/topology/map-text';
import { Empty, ErrorState, HealthDot, Loading, PageHeader } from '../components/states';
import { locale, t, tServer, useLocale, useT } from '../i18n';
import { useConsole } from '../store';
import { timed } from '../timing';
import { useMapFolds } from '../topology/folds';
import { placeLabels } from '../topology/labels';
import { useLayout } from '../topology/useLayout';
import {
  boundsOf,
  boxesIn,
  boxesOf,
  cutBy,
  MAX_ZOOM,
  MIN_ZOOM,
  openingViewport,
  readableView,
  type SettleGoal,
  settle,
  unionOf,
} from '../topology/viewport';
import { MapDetails } from './MapDetails';
import { nodeDetail } from './node-detail';
import { reasonLabel } from './status';

type FlowNode = Node<{ node: MapNode; onToggle: (id: string) => void }, 'estate'>;

const vmKinds = new Set(['vm', 'hyperv-vm']);

/** A kind of node in the console's language. */
export const kindLabel = (kind: string): string => kindName(locale(), kind);

/** A pair state in words ("initial replication"). */
export const pairStateText = (state: string): string => pairStateName(locale(), state);

/** What a folded node holds, in one line: "4 hosts · 385 VMs · 30 protected". */
export const foldedText = (n: MapNode): string => foldedFacts(locale(), n);

/** What a screen reader says on a node: kind, name, facts, health and fold state. */
function nodeLabel(n: MapNode): string {
  const kind = kindLabel(n.kind);
  const facts = n.counts ? foldedText(n) : nodeDetail(n);
  const health = n.health === 'ok' ? '' : `, ${t(`health.${n.health}`)}`;
  const fold = n.expanded === null ? '' : `, ${t(n.expanded ? 'map.expanded' : 'map.collapsed')}`;
  const hits = n.hitsInside > 0 ? `, ${t('map.matchesInside', { count: n.hitsInside })}` : '';
  const status = typeof n.source.attributes.status === 'string' ? n.source.attributes.status : null;
  const why = status ? `, ${reasonLabel(status as MachineReason)}` : '';
  return `${kind} ${n.label}${facts ? `, ${facts}` : ''}${health}${why}${fold}${hits}`;
}

const EstateNode = memo(function EstateNode({ data, selected }: NodeProps<FlowNode>) {
  const n = data.node;
  const secondary = n.site === 'secondary';
  const inward = secondary ? Position.Right : Position.Left;
  const outward = secondary ? Position.Left : Position.Right;
  const across = secondary ? Position.Left : Position.Right;
  const classes = [
    'map-node',
    `kind-${n.kind}`,
    `site-${n.site ?? 'none'}`,
    `health-${n.health}`,
    n.hit || n.hitsInside > 0 ? 'map-hit' : '',
    selected ? 'map-selected' : '',
  ];
  return (
    <div className={classes.join(' ')} data-testid="map-node">
      {/* Containment runs outward from the site node, replication towards the other site. */}
      <Handle type="target" id="c-in" position={inward} />
      <Handle type="target" id="r-in" position={across} />
      <div className="map-node-kind">
        <HealthDot health={n.health} /> {kindLabel(n.kind)}
        {n.hitsInside > 0 && <span className="map-hit-count">{t('map.found', { count: n.hitsInside })}</span>}
        {n.expanded !== null && (
          // Pointer users fold and unfold here; keyboard users press Enter or the arrow keys on the node.
          <span
            className="map-fold"
            aria-hidden="true"
            onClick={(e) => {
              e.stopPropagation();
              data.onToggle(n.id);
            }}
          >
            {n.expanded ? '▾' : '▸'}
          </span>
        )}
      </div>
      <div className="map-node-label" title={n.label}>
        {n.label}
      </div>
      <div className="map-node-detail">{n.counts ? foldedText(n) : nodeDetail(n)}</div>
      <Handle type="source" id="c-out" position={outward} />
      <Handle type="source" id="r-out" position={across} />
    </div>
  );
});

const nodeTypes = { estate: EstateNode };

/** React Flow's fit icon (its own is not exported). */
function FitIcon() {
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 30" aria-hidden="true">
      <path d="M3.692 4.63c0-.53.4-.938.939-.938h5.215V0H4.708C2.13 0 0 2.054 0 4.63v5.216h3.692V4.631zM27.354 0h-5.2v3.692h5.17c.53 0 .984.4.984.939v5.215H32V4.631A4.624 4.624 0 0027.354 0zm.954 24.83c0 .532-.4.94-.939.94h-5.215v3.768h5.215c2.577 0 4.631-2.13 4.631-4.707v-5.139h-3.692v5.139zm-23.677.94c-.531 0-.939-.4-.939-.94v-5.138H0v5.139c0 2.577 2.13 4.707 4.708 4.707h5.138V25.77H4.631z" />
    </svg>
  );
}

/** Where edges attach: containment outward from the site node, replication towards the other site. */
function handlesOf(n: MapNode): NonNullable<FlowNode['handles']> {
  const secondary = n.site === 'secondary';
  const left = { x: 0, y: n.height / 2, position: Position.Left };
  const right = { x: n.width, y: n.height / 2, position: Position.Right };
  const inward = secondary ? right : left;
  const outward = secondary ? left : right;
  const across = secondary ? left : right;
  return [
    { id: 'c-in', type: 'target', width: 1, height: 1, ...inward },
    { id: 'c-out', type: 'source', width: 1, height: 1, ...outward },
    { id: 'r-in', type: 'target', width: 1, height: 1, ...across },
    { id: 'r-out', type: 'source', width: 1, height: 1, ...across },
  ];
}

function minimapColor(node: FlowNode): string {
  const n = node.data.node;
  if (n.health === 'critical') return '#d64545';
  if (n.health === 'warning') return '#d98a00';
  return n.site === 'secondary' ? '#7a4ff0' : '#2f6fed';
}

/** An edge's words: one pair's RPO or state, or how many pairs and the worst RPO among them. */
export const edgeText = (e: MapEdge): string => edgeWords(locale(), e);

/**
 * The live map, or with `snapshot` the map of an opened export: the same graph and layout,
 * read-only (no refresh, no actions).
 */
export function TopologyView({ snapshot, title }: { snapshot?: Topology; title?: string } = {}) {
  const t = useT();
  const liveTopology = useConsole((s) => s.topology);
  const loadTopology = useConsole((s) => s.loadTopology);
  const current = snapshot ? { data: snapshot, loading: false, error: null } : liveTopology;
  // The map draws a step behind the store: a new topology (the first, or a live update) renders in
  // a transition, which React splits into short slices, instead of one long task the page cannot
  // answer input during. What is shown is at most one render old.
  const data = useDeferredValue(current.data);
  const topology = { ...current, data, loading: current.loading || (current.data !== null && data === null) };
  const language = useLocale((s) => s.locale);
  const worded = useMemo(() => data && sitesWorded(language, data), [data, language]);
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  const [site, setSite] = useState<'all' | 'primary' | 'secondary'>('all');
  // The map follows the search a moment after typing stops: each new query lays the map out again.
  useEffect(() => {
    const t = setTimeout(() => setSearch(typed), 250);
    return () => clearTimeout(t);
  }, [typed]);

  const counts = useMemo(() => {
    const c = { vms: 0, hosts: 0, replicating: 0, warnings: 0 };
    for (const n of topology.data?.nodes ?? []) {
      if (n.kind === 'vm' || n.kind === 'hyperv-vm') c.vms++;
      if (n.kind === 'esxi-host' || n.kind === 'hyperv-host') c.hosts++;
      // Sites roll up what is inside them: counting them too would count each problem twice.
      if (n.kind !== 'site' && (n.health === 'warning' || n.health === 'critical')) c.warnings++;
    }
    c.replicating = topology.data?.edges.filter((e) => e.kind === 'replicates').length ?? 0;
    return c;
  }, [topology.data]);

  return (
    <section className="page page-topology" aria-label={t('nav.topology')}>
      <PageHeader
        title={title ?? t('nav.topology')}
        subtitle={
          topology.data
            ? summaryWords(locale(), {
                hosts: counts.hosts,
                vms: counts.vms,
                replicating: counts.replicating,
                attention: counts.warnings,
              })
            : t('map.subtitleEmpty')
        }
        actions={
          <>
            <input
              className="input"
              type="search"
              placeholder={t('map.findPlaceholder')}
              aria-label={t('map.find')}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') setSearch(typed);
              }}
            />
            <select
              className="input"
              aria-label={t('map.site')}
              value={site}
              onChange={(e) => setSite(e.target.value as typeof site)}
            >
              <option value="all">{t('map.site.all')}</option>
              <option value="primary">{t('map.site.primary')}</option>
              <option value="secondary">{t('map.site.secondary')}</option>
            </select>
            {!snapshot && (
              <button type="button" className="btn" onClick={() => void loadTopology()}>
                {t('common.refresh')}
              </button>
            )}
          </>
        }
      />
      {topology.data?.errors.map((e) => (
        <div className="banner banner-warning" role="alert" key={e.source}>
          {/* The source is a connection's name; the error is worded when the console said it, else as the system answered. */}
          {t('state.sourceError', { source: e.source, error: tServer(e.message, e.words) })}
        </div>
      ))}
      {topology.error && (
        <ErrorState
          title={t('map.loadFailed')}
          message={topology.error}
          onRetry={() => void loadTopology()}
        />
      )}
      {!topology.data && topology.loading && <Loading what={t('map.loading')} />}
      {topology.data && topology.data.nodes.length <= 2 && (
        <Empty title={t('map.emptyTitle')}>{t('map.emptyText')}</Empty>
      )}
      {topology.data && topology.data.nodes.length > 2 && (
        <ReactFlowProvider>
          <EstateMap topology={worded!} search={search} site={site} readOnly={Boolean(snapshot)} />
        </ReactFlowProvider>
      )}
    </section>
  );
}

type Fit = { kind: 'filter' | 'search' } | { kind: 'expand'; id: string };

/** Memoised: the store's other news (jobs, protection) re-renders the page, not the map. */
const EstateMap = memo(function EstateMap({
  topology: latest,
  search,
  site,
  readOnly,
}: {
  topology: Topology;
  search: string;
  site: 'all' | 'primary' | 'secondary';
  readOnly: boolean;
}) {
  useT();
  // While the operator drags or zooms the map, live updates wait for the gesture to end: each would
  // rebuild the graph and React Flow's nodes between the frames of the pan.
  const moving = useRef(false);
  const held = useRef(latest);
  const newest = useRef(latest);
  newest.current = latest;
  if (!moving.current) held.current = latest;
  const topology = held.current;
  const [, resume] = useReducer((n: number) => n + 1, 0);
  // Whether the view is still one the console picked (opening, Fit, a search's, a filter's, an
  // opened node's): false once the operator moves the map (drag, wheel, zoom buttons; programmatic
  // moves come without an event) or selects a node.
  const untouched = useRef(true);
  const onMoveStart = useRef((event: MouseEvent | TouchEvent | null) => {
    moving.current = true;
    if (event) untouched.current = false;
  }).current;
  // Where the map stands: the view the console last picked, or where the operator's move ended. A
  // label it would cut at the canvas's edge is left out (the settling ranks nodes before labels, so
  // it cuts a label only to keep a node whole); it comes back when a move ends with it whole.
  const [standing, setStanding] = useState<Viewport | null>(null);
  const onMoveEnd = useRef((_: unknown, view: Viewport) => {
    moving.current = false;
    setStanding(view);
    if (held.current !== newest.current) startTransition(resume);
  }).current;
  // The live map's folds are the console's (File → Export draws them); an opened export's are its own.
  const [ownExpanded, setOwnExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const liveExpanded = useMapFolds((s) => s.expanded);
  const updateLive = useMapFolds((s) => s.update);
  const expanded = readOnly ? ownExpanded : liveExpanded;
  const setExpanded = readOnly ? setOwnExpanded : updateLive;
  const [selected, setSelected] = useState<string[]>([]);
  // Kept in a ref, not only in useMemo: a transition render that a pan or a keypress interrupts is
  // thrown away with its memos and starts again, and should not build the graph again each time.
  const lastGraph = useRef<{ inputs: unknown[]; graph: MapGraph } | null>(null);
  const graph: MapGraph = useMemo(() => {
    const inputs = [topology, expanded, search, site];
    const last = lastGraph.current;
    if (last?.inputs.every((v, i) => v === inputs[i])) return last.graph;
    const built = timed('siteshift:map-graph', () => toMapGraph(topology, { expanded, search, site }));
    lastGraph.current = { inputs, graph: built };
    return built;
  }, [topology, expanded, search, site]);
  const positions = useLayout(graph);
  const flow = useReactFlow();
  const canvas = useRef<HTMLDivElement>(null);
  const pendingFit = useRef<Fit | null>(null);

  const byId = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n])), [graph]);
  const labels = useMemo(() => new Map(topology.nodes.map((n) => [n.id, n.label])), [topology]);
  const toggle = useRef((id: string) => {
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else {
        next.add(id);
        pendingFit.current = { kind: 'expand', id };
      }
      return next;
    });
  }).current;
  const setOpen = (id: string, open: boolean) => {
    if (expanded.has(id) !== open) toggle(id);
  };

  // Filters re-fit the map once the new layout is in (noted while rendering, so the fit waits for it).
  const filters = useRef({ site, search });
  if (filters.current.site !== site || filters.current.search !== search) {
    pendingFit.current =
      filters.current.search !== search && search.trim() ? { kind: 'search' } : { kind: 'filter' };
    filters.current = { site, search };
  }

  // Drop selections of nodes that are no longer drawn (folded, filtered or gone).
  useEffect(() => {
    setSelected((s) => (s.every((id) => byId.has(id)) ? s : s.filter((id) => byId.has(id))));
  }, [byId]);

  // A node object React Flow has seen is handed back unchanged when nothing it shows changed: React
  // Flow then keeps its internals (and the DOM node, and its focus) through live updates.
  const flowNodes = useRef(new Map<string, { sig: string; node: FlowNode }>());
  const nodes = useMemo(() => {
    if (!positions) return [] as FlowNode[];
    const chosen = new Set(selected);
    const out: FlowNode[] = [];
    const next = new Map<string, { sig: string; node: FlowNode }>();
    for (const n of graph.nodes) {
      const position = positions[n.id];
      if (!position) continue;
      const label = nodeLabel(n);
      const isSelected = chosen.has(n.id);
      const sig = `${position.x},${position.y}|${label}|${n.detail}|${n.hit}|${isSelected}`;
      const before = flowNodes.current.get(n.id);
      const node: FlowNode =
        before && before.sig === sig
          ? before.node
          : {
              id: n.id,
              type: 'estate',
              position,
              data: { node: n, onToggle: toggle },
              width: n.width,
              height: n.height,
              // Handles are known from the box: edges draw at once, without measuring each node.
              handles: handlesOf(n),
              draggable: false,
              selected: isSelected,
              ariaLabel: label,
              ariaRole: 'button',
              domAttributes: {
                'aria-pressed': isSelected,
                ...(n.expanded === null ? {} : { 'aria-expanded': n.expanded }),
              },
            };
      next.set(n.id, { sig, node });
      out.push(node);
    }
    flowNodes.current = next;
    return out;
  }, [graph, positions, selected, toggle]);

  const placed = useMemo(
    () => (positions ? placeLabels(graph, positions, new Set(selected), edgeText) : new Map()),
    [graph, positions, selected],
  );
  const edges = useMemo(() => {
    return graph.edges
      .filter((e) => positions?.[e.source] && positions[e.target])
      .map(
        (e): Edge => ({
          id: e.id,
          source: e.source,
          target: e.target,
          sourceHandle: e.kind === 'contains' ? 'c-out' : 'r-out',
          targetHandle: e.kind === 'contains' ? 'c-in' : 'r-in',
          className: `edge-${e.kind} edge-${e.health}${e.noPoint > 0 ? ' edge-nopoint' : ''}`,
          label: placed.get(e.id)?.text,
          ariaLabel:
            e.kind === 'replicates'
              ? t('map.edge.replication', {
                  from: byId.get(e.source)?.label ?? '',
                  to: byId.get(e.target)?.label ?? '',
                  what: edgeText(e),
                })
              : t('map.edge.holds', {
                  parent: byId.get(e.source)?.label ?? '',
                  child: byId.get(e.target)?.label ?? '',
                }),
          focusable: false,
        }),
      );
  }, [graph, positions, byId, placed]);

  // The canvas size, known before React Flow mounts so that it opens on the right viewport at once.
  const [area, setArea] = useState<{ width: number; height: number } | null>(null);
  useLayoutEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      // In a transition: the size mounts React Flow, which React then renders in short slices
      // rather than in one task right after the layout effect.
      if (r.width > 0 && r.height > 0)
        startTransition(() =>
          setArea((a) =>
            a && a.width === r.width && a.height === r.height ? a : { width: r.width, height: r.height },
          ),
        );
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const sizes = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n])), [graph]);
  // Edge labels count like nodes: the view draws each whole or not at all.
  const boxes = useMemo(() => (positions ? boxesOf(positions, sizes) : []), [positions, sizes]);
  const labelBoxes = useMemo(() => [...placed.values()].map((l) => l.box), [placed]);
  /** Where the map opens and where Fit and the site filter go back to (topology/viewport.ts). */
  const home = (): Viewport | null => {
    if (!area || !positions) return null;
    const all = unionOf([...boxes, ...labelBoxes]);
    // The worst level only: with every unprotected VM at risk, "warning" covers the whole estate,
    // while a critical host or a full master target is what to look at first.
    const worst = byId.get(graph.attention[0] ?? '')?.health;
    const focus = graph.attention.filter((id) => byId.get(id)?.health === worst);
    return all ? openingViewport(all, boundsOf(focus, positions, sizes), area, boxes, labelBoxes) : null;
  };
  const opening = useRef<Viewport | null>(null);
  /**
   * The view the console last picked (where the map is, or is animating to, while untouched) and
   * what it was picked to show, which settling it again keeps in view.
   */
  const picked = useRef<{ view: Viewport; goal: SettleGoal } | null>(null);
  if (!opening.current) {
    opening.current = home();
    picked.current = opening.current && { view: opening.current, goal: {} };
  }
  const pick = (view: Viewport, duration: number, goal: SettleGoal = {}) => {
    untouched.current = true;
    picked.current = { view, goal };
    setStanding(view);
    void flow.setViewport(view, { duration });
  };

  // Before the first move ends or the console picks again, the map stands where it opened.
  const drawnEdges = useMemo(() => {
    const view = standing ?? opening.current;
    if (!view || !area) return edges;
    return edges.map((e) => {
      const label = placed.get(e.id);
      return label && cutBy(view, label.box, area) ? { ...e, label: undefined } : e;
    });
  }, [edges, placed, area, standing]);

  const panZoomReady = useStore((s) => s.panZoom !== null);
  // What is drawn after the console picked the view (the pairs and their edge labels arrive after the
  // inventory; live updates lengthen a label's words) is kept whole too, by the least move from that
  // view (not from a frame of its animation), until the operator moves the map or selects a node.
  // biome-ignore lint/correctness/useExhaustiveDependencies: pick reads flow, listed
  useEffect(() => {
    const last = picked.current;
    if (!untouched.current || !last || pendingFit.current || !area || !panZoomReady) return;
    const { view: from, goal } = last;
    const next = settle(from, boxes, area, goal, labelBoxes);
    if (Math.abs(next.x - from.x) > 0.5 || Math.abs(next.y - from.y) > 0.5) pick(next, 200, goal);
  }, [boxes, labelBoxes, area, panZoomReady, flow]);

  // Searching, filtering and expanding move the view once their layout is in.
  // biome-ignore lint/correctness/useExhaustiveDependencies: home reads graph, positions, sizes and area, listed
  useEffect(() => {
    const fit = pendingFit.current;
    if (!fit || !positions || !area || !panZoomReady) return;
    pendingFit.current = null;
    if (fit.kind === 'search') {
      const show = boxesIn(graph.hitIds, positions, sizes);
      const hits = unionOf(show);
      const view = hits ? readableView(hits, boxes, area, { show, labels: labelBoxes }) : home();
      if (view) pick(view, 300, { keep: null, focus: show });
    } else if (fit.kind === 'expand') {
      // The opened node and what it now shows, without zooming in past where the operator was.
      const inside = graph.edges
        .filter((e) => e.kind === 'contains' && e.source === fit.id)
        .map((e) => e.target);
      const goal = { keep: boundsOf([fit.id], positions, sizes), focus: boxesIn(inside, positions, sizes) };
      const box = unionOf(goal.keep ? [goal.keep, ...goal.focus] : goal.focus);
      if (box) {
        const options = { maxZoom: flow.getZoom(), keep: goal.keep, show: goal.focus, labels: labelBoxes };
        pick(readableView(box, boxes, area, options), 300, goal);
      }
    } else {
      const view = home();
      if (view) pick(view, 300);
    }
  }, [positions, graph, flow, area, sizes, boxes, labelBoxes, panZoomReady]);

  const activate = (id: string, mode: 'click' | 'add' | 'toggle' | 'select') => {
    const n = byId.get(id);
    if (!n) return;
    untouched.current = false;
    if (mode === 'add' && vmKinds.has(n.kind)) {
      setSelected((s) => {
        const vmsOnly = s.filter((x) => vmKinds.has(byId.get(x)?.kind ?? ''));
        return vmsOnly.includes(id) ? vmsOnly.filter((x) => x !== id) : [...vmsOnly, id];
      });
      return;
    }
    setSelected([id]);
    if (n.expanded === null) return;
    if (mode === 'click' && !n.expanded) toggle(id);
    if (mode === 'toggle') toggle(id);
  };

  const onNodeClick: NodeMouseHandler<FlowNode> = (event, node) =>
    activate(node.id, event.shiftKey || event.ctrlKey || event.metaKey ? 'add' : 'click');

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const el = (event.target as HTMLElement).closest('.react-flow__node');
    const id = el?.getAttribute('data-id');
    if (event.key === 'Escape') {
      setSelected([]);
      return;
    }
    if (!id) return;
    const n = byId.get(id);
    if (event.key === 'Enter') activate(id, 'toggle');
    else if (event.key === ' ') activate(id, n && vmKinds.has(n.kind) ? 'add' : 'select');
    else if (event.key === 'ArrowRight' && n?.expanded === false) setOpen(id, true);
    else if (event.key === 'ArrowLeft' && n?.expanded === true) setOpen(id, false);
    else return;
    event.preventDefault();
  };

  const selectedNodes = useMemo(
    () => selected.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
    [selected, byId],
  );

  return (
    <div className="map-layout">
      <div className="map-main">
        {search.trim() && (
          <div className="map-note" role="status">
            {graph.hitCount === 0
              ? t('map.noMatch', { query: search.trim() })
              : graph.drawnHits < graph.hitCount
                ? t('map.matchesFolded', {
                    matches: t('map.matches', { count: graph.hitCount }),
                    drawn: graph.drawnHits,
                  })
                : `${t('map.matches', { count: graph.hitCount })}${graph.hiddenVms > 0 ? ` · ${t('map.otherHidden', { count: graph.hiddenVms })}` : ''}`}
          </div>
        )}
        {/* Keys on a node bubble here: Enter opens or closes it, Space selects it, Escape clears.
            Focus on a node pans the map to it (React Flow, with no event): the operator moved the
            map, so a live update must not settle it back onto the view the console picked. */}
        {/* biome-ignore lint/a11y/noStaticElementInteractions: the nodes inside are the focusable buttons */}
        <div
          className="map"
          data-testid="topology-map"
          ref={canvas}
          onKeyDown={onKeyDown}
          onFocus={(e) => {
            if ((e.target as HTMLElement).closest('.react-flow__node')) untouched.current = false;
          }}
        >
          {positions && opening.current && (
            <ReactFlow
              defaultViewport={opening.current}
              nodes={nodes}
              edges={drawnEdges}
              nodeTypes={nodeTypes}
              minZoom={MIN_ZOOM}
              maxZoom={MAX_ZOOM}
              nodesConnectable={false}
              nodesDraggable={false}
              elementsSelectable={false}
              edgesFocusable={false}
              nodesFocusable
              onNodeClick={onNodeClick}
              onPaneClick={() => setSelected([])}
              onMoveStart={onMoveStart}
              onMoveEnd={onMoveEnd}
              panActivationKeyCode={null}
              selectionKeyCode={null}
              multiSelectionKeyCode={null}
              deleteKeyCode={null}
              // Every drawn node stays in the DOM (Tab reaches it) until the operator opens thousands.
              onlyRenderVisibleElements={nodes.length > 600}
              ariaLabelConfig={{
                'node.a11yDescription.default': t('map.keys'),
                'controls.ariaLabel': t('map.controls'),
                'controls.zoomIn.ariaLabel': t('map.zoomIn'),
                'controls.zoomOut.ariaLabel': t('map.zoomOut'),
                'controls.fitView.ariaLabel': t('map.fitView'),
              }}
              proOptions={{ hideAttribution: true }}
            >
              <Background gap={24} />
            </ReactFlow>
          )}
        </div>
      </div>
      <section className="map-side" aria-label={t('map.details')}>
        <MapDetails
          selected={selectedNodes}
          readOnly={readOnly}
          labelOf={(id) => (id ? (labels.get(id) ?? null) : null)}
          onClear={() => setSelected([])}
          onFold={(id, open) => setOpen(id, open)}
        />
        {/* Beside the map, never over it: neither the zoom buttons nor the minimap can hide a node.
            Fit goes where the map opens (readable, nothing cut), not React Flow's fit, which zooms
            out until a big estate is dots. */}
        <Controls
          showInteractive={false}
          showFitView={false}
          orientation="horizontal"
          className="map-controls"
          onZoomIn={() => {
            untouched.current = false;
          }}
          onZoomOut={() => {
            untouched.current = false;
          }}
        >
          <ControlButton
            className="react-flow__controls-fitview"
            onClick={() => {
              const view = home();
              if (view) pick(view, 300);
            }}
            title={t('map.fitView')}
            aria-label={t('map.fitView')}
          >
            <FitIcon />
          </ControlButton>
        </Controls>
        <MiniMap
          pannable
          zoomable
          nodeColor={minimapColor}
          ariaLabel={t('map.minimap')}
          className="map-minimap"
        />
      </section>
    </div>
  );
});
