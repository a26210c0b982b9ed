import {
  Background,
  Controls,
  type Edge,
  Handle,
  MiniMap,
  type Node,
  type NodeProps,
  Position,
  ReactFlow,
} from '@xyflow/react';
import { memo, useMemo, useState } from 'react';
import type { Topology } from '../../../shared/schemas/topology';
import {
  type DisplayNode,
  displayKindLabel,
  MAP_VM_LIMIT,
  toDisplayGraph,
} from '../../../shared/topology/display';
import { Empty, ErrorState, HealthDot, Loading, PageHeader } from '../components/states';
import { type KeyOf, t, useT } from '../i18n';
import { useConsole } from '../store';
import { useLayout } from '../topology/useLayout';

type MapNode = Node<{ node: DisplayNode }, 'estate'>;

const EstateNode = memo(function EstateNode({ data }: NodeProps<MapNode>) {
  const n = data.node;
  return (
    <div
      className={`map-node kind-${n.kind} site-${n.site ?? 'none'} health-${n.health}`}
      data-testid="map-node"
    >
      <Handle type="target" position={Position.Left} />
      <div className="map-node-kind">
        <HealthDot health={n.health} /> {kindLabel(n.kind)}
      </div>
      <div className="map-node-label" title={n.label}>
        {n.label}
      </div>
      {n.detail && <div className="map-node-detail">{n.detail}</div>}
      <Handle type="source" position={Position.Right} />
    </div>
  );
});

const nodeTypes = { estate: EstateNode };

const kindLabel = (kind: string) => (kind in displayKindLabel ? t(`kind.${kind}` as KeyOf<'kind.'>) : kind);

function minimapColor(node: MapNode): string {
  const n = node.data.node;
  if (n.health === 'critical') return '#d64545';
  if (n.health === 'warning') return '#d98a00';
  return n.site === 'secondary' ? '#7a4ff0' : '#2f6fed';
}

/**
 * The live map, or with `snapshot` the map of an opened export: the same display graph and layout,
 * read-only (no refresh).
 */
export function TopologyView({ snapshot, title }: { snapshot?: Topology; title?: string } = {}) {
  const live = useConsole();
  useT();
  const topology = snapshot ? { data: snapshot, loading: false, error: null } : live.topology;
  const loadTopology = live.loadTopology;
  const [search, setSearch] = useState('');
  const [site, setSite] = useState<'all' | 'primary' | 'secondary'>('all');
  const graph = useMemo(
    () => (topology.data ? toDisplayGraph(topology.data, { vmLimit: MAP_VM_LIMIT, search, site }) : null),
    [topology.data, search, site],
  );
  const { positions, error: layoutError } = useLayout(graph);

  const { nodes, edges } = useMemo(() => {
    if (!graph || !positions) return { nodes: [] as MapNode[], edges: [] as Edge[] };
    const nodes: MapNode[] = graph.nodes
      .filter((n) => positions[n.id])
      .map((n) => ({
        id: n.id,
        type: 'estate',
        position: positions[n.id]!,
        data: { node: n },
        width: n.width,
        height: n.height,
        draggable: false,
      }));
    const edges: Edge[] = graph.edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      animated: e.kind === 'replicates',
      className: `edge-${e.kind} edge-${e.health}`,
    }));
    return { nodes, edges };
  }, [graph, positions]);

  const counts = useMemo(() => {
    const c = { vms: 0, hosts: 0, replicating: 0, warnings: 0 };
    for (const n of topology.data?.nodes ?? []) {
      if (n.kind === 'vm' || n.kind === 'hyperv-vm') c.vms++;
      if (n.kind === 'esxi-host' || n.kind === 'hyperv-host') c.hosts++;
      if (n.health === 'warning' || n.health === 'critical') c.warnings++;
    }
    c.replicating = topology.data?.edges.filter((e) => e.kind === 'replicates').length ?? 0;
    return c;
  }, [topology.data]);

  return (
    <section className="page page-topology" aria-label={t('topo.title')}>
      <PageHeader
        title={title ?? t('topo.title')}
        subtitle={
          topology.data ? t('topo.counts', { ...counts, attention: counts.warnings }) : t('topo.subtitle')
        }
        actions={
          <>
            <input
              className="input"
              type="search"
              placeholder={t('topo.find')}
              aria-label={t('topo.findLabel')}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
            <select
              className="input"
              aria-label={t('topo.site')}
              value={site}
              onChange={(e) => setSite(e.target.value as typeof site)}
            >
              <option value="all">{t('topo.bothSites')}</option>
              <option value="primary">{t('topo.primary')}</option>
              <option value="secondary">{t('topo.secondary')}</option>
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
          {e.source}: {e.message}
        </div>
      ))}
      {topology.error && <ErrorState message={topology.error} onRetry={() => void loadTopology()} />}
      {layoutError && <ErrorState message={t('topo.layoutFailed', { error: layoutError })} />}
      {!topology.data && topology.loading && <Loading what={t('topo.loading')} />}
      {topology.data && topology.data.nodes.length <= 2 && (
        <Empty title={t('topo.nothing')}>{t('topo.nothingText')}</Empty>
      )}
      {graph && !positions && !layoutError && <Loading what={t('topo.loadingLayout')} />}
      {nodes.length > 0 && (
        <div className="map" data-testid="topology-map">
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            fitView
            minZoom={0.05}
            nodesConnectable={false}
            onlyRenderVisibleElements
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={24} />
            <MiniMap pannable zoomable nodeColor={minimapColor} />
            <Controls showInteractive={false} />
          </ReactFlow>
          {graph && graph.hiddenVms > 0 && (
            <div className="map-note">{t('topo.hidden', { count: graph.hiddenVms })}</div>
          )}
        </div>
      )}
    </section>
  );
}
