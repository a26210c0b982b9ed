import { formatDuration } from '../i18n/format';
import type { Locale } from '../i18n/locale';
import { type MapWords, mapWordsEn, mapWordsNl } from '../i18n/map-words';
import { speak, type Values } from '../i18n/speak';
import { pairStates as pairStateList } from '../names';
import type { HealthLevel } from '../schemas/health';
import type { Topology } from '../schemas/topology';
import type { MapEdge, MapNode } from './map';

/**
 * The map's words in one language, for the console's map (renderer/src/views/TopologyView.tsx,
 * in its current language) and the exported picture (core/topology/export/scene.ts, in the
 * exporter's): one function per text, so a box on paper says what it says on screen.
 */
const books: Record<Locale, MapWords> = { en: mapWordsEn, nl: mapWordsNl };
type MapWordKey = keyof MapWords;

export function mapWord(locale: Locale, key: MapWordKey, values?: Values): string {
  return speak(locale, books[locale][key], values);
}

const kinds: ReadonlySet<string> = new Set(
  Object.keys(mapWordsEn)
    .filter((k) => k.startsWith('map.kind.'))
    .map((k) => k.slice('map.kind.'.length)),
);

/** A kind of node ("ESXi host", "ESXi-host"); a kind the book does not know, as it is. */
export function kindName(locale: Locale, kind: string): string {
  return kinds.has(kind) ? mapWord(locale, `map.kind.${kind}` as MapWordKey) : kind;
}

export function healthName(locale: Locale, health: HealthLevel): string {
  return mapWord(locale, `health.${health}`);
}

const pairStates: ReadonlySet<string> = new Set(pairStateList);

/** A pair state in words ("initial replication"); one this console does not know, its words from the name. */
export function pairStateName(locale: Locale, state: string): string {
  return pairStates.has(state)
    ? mapWord(locale, `pairState.${state}` as MapWordKey)
    : state.replace(/-/g, ' ');
}

/** "Primary", "Secondary": a site's role. */
export function siteName(locale: Locale, site: 'primary' | 'secondary'): string {
  return mapWord(locale, site === 'primary' ? 'map.primary' : 'map.secondary');
}

/**
 * A leaf node's line of facts ("on · 10.0.0.4", "66 pairs · 1 alert"). Names, addresses and
 * Hyper-V's own state words stay as the source reports them.
 */
export function nodeFacts(locale: Locale, n: Pick<MapNode, 'kind' | 'detail' | 'source'>): string {
  const a = n.source.attributes;
  const w = (key: MapWordKey, values?: Values) => mapWord(locale, key, values);
  const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0));
  switch (n.kind) {
    case 'vm': {
      const power =
        a.powerState === 'poweredOn'
          ? w('map.power.on')
          : a.powerState === 'poweredOff'
            ? w('map.power.off')
            : a.powerState === 'suspended'
              ? w('map.detail.suspended')
              : a.powerState;
      return [power, a.ip].filter(Boolean).join(' · ');
    }
    case 'esxi-host': {
      const state = a.connectionState;
      const connection =
        state === 'connected' || state === 'disconnected' || state === 'notResponding'
          ? w(`map.detail.${state}`)
          : state;
      return [w('map.vms', { count: num(a.vms) }), connection].filter(Boolean).join(' · ');
    }
    case 'hyperv-host':
      return a.replicaServer ? w('map.detail.replicaOn') : w('map.detail.replicaOff');
    case 'config-server':
      return `${w('map.edge.pairs', { count: num(a.pairs) })} · ${w('map.detail.alerts', { count: num(a.alerts) })}`;
    case 'process-server':
      return a.cpu === null || a.cpu === undefined
        ? w('map.detail.noHealth')
        : w('map.detail.processServer', { cpu: num(a.cpu), cache: num(a.cacheFree) });
    case 'master-target':
      return w('map.slots', { used: num(a.slotsUsed), free: num(a.slotsFree) });
    default:
      return n.detail;
  }
}

/** What a folded node holds, in one line: "4 hosts · 385 VMs · 30 protected"; a leaf's facts otherwise. */
export function foldedFacts(locale: Locale, n: MapNode): string {
  const c = n.counts;
  if (!c) return nodeFacts(locale, n);
  const parts = [
    ...(n.kind === 'cluster' ? [mapWord(locale, 'map.hosts', { count: c.hosts })] : []),
    mapWord(locale, 'map.vms', { count: c.vms }),
    mapWord(locale, 'map.protectedCount', { count: c.protectedVms }),
  ];
  if (c.attention > 0) parts.push(mapWord(locale, 'map.attentionCount', { count: c.attention }));
  return parts.join(' · ');
}

/**
 * An edge's words: one pair's RPO or state (a Hyper-V Replica edge with no pair: how often it
 * sends), or how many pairs and the worst RPO among them.
 */
export function edgeWords(locale: Locale, e: MapEdge): string {
  if (e.kind !== 'replicates') return '';
  const rpo = e.worstRpoSec === null ? null : formatDuration(locale, e.worstRpoSec);
  if (e.pairs === 1) {
    if (rpo) return mapWord(locale, 'map.edge.rpo', { rpo });
    if (e.state) return pairStateName(locale, e.state);
    return e.frequencySec
      ? mapWord(locale, 'map.edge.every', { every: formatDuration(locale, e.frequencySec) })
      : mapWord(locale, 'map.edge.replicating');
  }
  const parts = [mapWord(locale, 'map.edge.pairs', { count: e.pairs })];
  if (rpo) parts.push(mapWord(locale, 'map.edge.worst', { rpo }));
  if (e.noPoint > 0) parts.push(mapWord(locale, 'map.edge.noPoint', { count: e.noPoint }));
  return parts.join(' · ');
}

/** The estate in one line: "13 hosts · 64 VMs · 51 replicating · 60 need attention". */
export function summaryWords(
  locale: Locale,
  counts: { hosts: number; vms: number; replicating: number; attention: number },
): string {
  return mapWord(locale, 'map.subtitle', {
    hosts: mapWord(locale, 'map.hosts', { count: counts.hosts }),
    vms: mapWord(locale, 'map.vms', { count: counts.vms }),
    replicating: counts.replicating,
    attention: counts.attention,
  });
}

/**
 * The topology with its two site boxes named in `locale` ("Primaire locatie"): the topology names
 * them in English (core/topology/build.ts), and the console's map and the exports show them in the
 * operator's language. Every other name is the estate's own, as sent.
 */
export function sitesWorded(locale: Locale, topology: Topology): Topology {
  if (locale === 'en') return topology;
  const named = (site: 'primary' | 'secondary') => mapWordsEn[`map.site.${site}`];
  return {
    ...topology,
    nodes: topology.nodes.map((n) =>
      n.kind === 'site' && n.site && n.label === named(n.site)
        ? { ...n, label: mapWord(locale, `map.site.${n.site}`) }
        : n,
    ),
  };
}

const reasons: ReadonlySet<string> = new Set(
  Object.keys(mapWordsEn)
    .filter((k) => k.startsWith('reason.'))
    .map((k) => k.slice('reason.'.length)),
);

/**
 * A fact's value in words where the console words it (a VM's power, a host's connection, a
 * machine's protection and status, an OS family); null for a value shown as sent (a name, an
 * address, Hyper-V's own state words).
 */
export function valueWords(locale: Locale, attribute: string, value: string): string | null {
  const w = (key: MapWordKey) => mapWord(locale, key);
  switch (attribute) {
    case 'powerState':
      return value === 'poweredOn'
        ? w('map.power.on')
        : value === 'poweredOff'
          ? w('map.power.off')
          : value === 'suspended'
            ? w('map.detail.suspended')
            : null;
    case 'connectionState':
      return value === 'connected' || value === 'disconnected' || value === 'notResponding'
        ? w(`map.detail.${value}`)
        : null;
    case 'pairState':
      return pairStateName(locale, value);
    case 'status':
      return reasons.has(value) ? w(`reason.${value}` as MapWordKey) : null;
    default:
      return null;
  }
}
