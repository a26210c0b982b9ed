import { z } from 'zod';
import { wordedSchema } from '../i18n/worded';
import { type HealthLevel, healthLevelSchema } from './health';

/**
 * One graph for the whole estate, built in core/topology from every source. Plain data: layout
 * and filtering are pure functions over it, rendering is separate (Headlamp's resource map).
 */
/** The one health scale (schemas/health.ts), under the name the topology uses. */
export const healthSchema = healthLevelSchema;
export type Health = HealthLevel;

export const topologyNodeKindSchema = z.enum([
  'site',
  'vcenter',
  'datacenter',
  'cluster',
  'esxi-host',
  'datastore',
  'network',
  'vm',
  'hyperv-host',
  'hyperv-vm',
  'config-server',
  'process-server',
  'master-target',
]);
export type TopologyNodeKind = z.infer<typeof topologyNodeKindSchema>;

export const topologyNodeSchema = z.object({
  id: z.string(),
  kind: topologyNodeKindSchema,
  label: z.string(),
  /** Containment parent (site > vcenter > datacenter > cluster > host > vm). */
  parent: z.string().nullable(),
  site: z.enum(['primary', 'secondary']).nullable(),
  health: healthSchema,
  /** Short facts for tooltips and the details pane: power state, slots used, RPO … */
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type TopologyNode = z.infer<typeof topologyNodeSchema>;

export const topologyEdgeKindSchema = z.enum(['replicates', 'connects', 'stores-on', 'attached-to']);
export const topologyEdgeSchema = z.object({
  id: z.string(),
  kind: topologyEdgeKindSchema,
  source: z.string(),
  target: z.string(),
  health: healthSchema,
  /** A token, not words: a pair's state (the map words it in the console's language). */
  label: z.string().nullable(),
  /**
   * Hyper-V Replica: how often the primary sends its changes, in seconds, as data (the map and the
   * exports word it, "every 5 min" / "elke 5 min"); null on every other edge. An export written
   * before edges carried it still opens (its edge says how often in its label, as it was written).
   */
  frequencySec: z.number().positive().nullable().default(null),
});
export type TopologyEdge = z.infer<typeof topologyEdgeSchema>;

export const topologySchema = z.object({
  /** Increases with every change; a change event names the revision it produces. */
  revision: z.number().int().nonnegative(),
  generatedAt: z.iso.datetime(),
  nodes: z.array(topologyNodeSchema),
  edges: z.array(topologyEdgeSchema),
  /** Sources that could not be read, with the reason: the map still shows what it could. */
  errors: z.array(
    z.object({
      source: z.string(),
      message: z.string(),
      /** The words of `message` when the console or a server said it: a console words it in its language. */
      words: wordedSchema.optional(),
    }),
  ),
});
export type Topology = z.infer<typeof topologySchema>;

/** Incremental change: nodes/edges added or replaced by id, ids removed. */
export const topologyChangeSchema = z.object({
  fromRevision: z.number().int().nonnegative(),
  revision: z.number().int().nonnegative(),
  upsertNodes: z.array(topologyNodeSchema),
  removeNodes: z.array(z.string()),
  upsertEdges: z.array(topologyEdgeSchema),
  removeEdges: z.array(z.string()),
});
export type TopologyChange = z.infer<typeof topologyChangeSchema>;

/** Applies a change (the client side of topology:changed); null on a revision gap: fetch again. */
export function applyTopologyChange(topology: Topology, change: TopologyChange): Topology | null {
  if (change.fromRevision !== topology.revision) return null;
  const nodes = new Map(topology.nodes.map((n) => [n.id, n]));
  for (const id of change.removeNodes) nodes.delete(id);
  for (const n of change.upsertNodes) nodes.set(n.id, n);
  const edges = new Map(topology.edges.map((e) => [e.id, e]));
  for (const id of change.removeEdges) edges.delete(id);
  for (const e of change.upsertEdges) edges.set(e.id, e);
  return { ...topology, revision: change.revision, nodes: [...nodes.values()], edges: [...edges.values()] };
}
