import { formatNumber } from '../i18n/format';
import type { TopologyNodeKind } from '../schemas/topology';

/** What a box on the map is: a topology node's kind (clusters and hosts fold into their own box). */
export type DisplayKind = TopologyNodeKind;

/** What each kind of box is called on the map (console and exports). */
export const displayKindLabel: Record<string, string> = {
  site: 'Site',
  vcenter: 'vCenter',
  cluster: 'Cluster',
  'esxi-host': 'ESXi host',
  vm: 'VM',
  'hyperv-host': 'Hyper-V host',
  'hyperv-vm': 'Hyper-V VM',
  'master-target': 'Master target',
  'process-server': 'Process server',
  'config-server': 'Configuration server',
};

const sizes: Partial<Record<DisplayKind, [number, number]>> = {
  site: [200, 56],
  vcenter: [220, 56],
  'hyperv-host': [220, 56],
  cluster: [210, 56],
  'esxi-host': [220, 56],
  vm: [190, 44],
  'hyperv-vm': [190, 44],
  'config-server': [220, 56],
  'process-server': [200, 52],
  'master-target': [200, 52],
};

/** Width and height of a kind's box (the map and the exports draw the same boxes). */
export function nodeSize(kind: DisplayKind): [number, number] {
  return sizes[kind] ?? [180, 44];
}

/** "1 VM", "1,234 VMs": English, with the separators of every English count (shared/i18n/worded.ts). */
export const countOf = (n: number, one: string, many = `${one}s`) =>
  `${formatNumber('en', n)} ${n === 1 ? one : many}`;

/** One line of facts about a node, as the map and the exports print it under its name. */
export function detailOf(attrs: Record<string, string | number | boolean | null>, kind: DisplayKind): string {
  switch (kind) {
    case 'vm':
      return [
        attrs.powerState === 'poweredOn'
          ? 'on'
          : attrs.powerState === 'poweredOff'
            ? 'off'
            : attrs.powerState,
        attrs.ip,
      ]
        .filter(Boolean)
        .join(' · ');
    case 'hyperv-vm':
      return [attrs.state, attrs.replicationState].filter(Boolean).join(' · ');
    case 'esxi-host':
      return `${countOf(Number(attrs.vms ?? 0), 'VM')} · ${attrs.connectionState}`;
    case 'vcenter':
      return String(attrs.url ?? '')
        .replace(/^https:\/\//, '')
        .replace(/\/sdk$/, '');
    case 'hyperv-host':
      return attrs.replicaServer ? 'Replica server enabled' : 'Replica server off';
    case 'config-server':
      return `${attrs.pairs ?? 0} pairs · ${attrs.alerts ?? 0} alerts`;
    case 'process-server':
      return attrs.cpu === null || attrs.cpu === undefined
        ? 'no health report'
        : `CPU ${attrs.cpu}% · cache free ${attrs.cacheFree}%`;
    case 'master-target':
      return `${attrs.slotsUsed ?? 0} slots used · ${attrs.slotsFree ?? 0} free`;
    default:
      return '';
  }
}
