import type { MapNode } from '../../../shared/topology/map';
import { t } from '../i18n';

/**
 * A leaf node's line of facts in the console's language, from the same attributes that
 * shared/topology/display.ts words in English for the exports ("on · 10.0.0.4", "66 pairs · 1
 * alert"). Names, addresses and Hyper-V's own state words stay as the source reports them.
 */
export function nodeDetail(n: MapNode): string {
  const a = n.source.attributes;
  const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0));
  switch (n.kind) {
    case 'vm': {
      const power =
        a.powerState === 'poweredOn'
          ? t('map.power.on')
          : a.powerState === 'poweredOff'
            ? t('map.power.off')
            : a.powerState === 'suspended'
              ? t('map.detail.suspended')
              : a.powerState;
      return [power, a.ip].filter(Boolean).join(' · ');
    }
    case 'esxi-host': {
      const state = a.connectionState;
      const connection =
        state === 'connected' || state === 'disconnected' || state === 'notResponding'
          ? t(`map.detail.${state}`)
          : state;
      return [t('map.vms', { count: num(a.vms) }), connection].filter(Boolean).join(' · ');
    }
    case 'hyperv-host':
      return a.replicaServer ? t('map.detail.replicaOn') : t('map.detail.replicaOff');
    case 'config-server':
      return `${t('map.edge.pairs', { count: num(a.pairs) })} · ${t('map.detail.alerts', { count: num(a.alerts) })}`;
    case 'process-server':
      return a.cpu === null || a.cpu === undefined
        ? t('map.detail.noHealth')
        : t('map.detail.processServer', { cpu: num(a.cpu), cache: num(a.cacheFree) });
    case 'master-target':
      return t('map.slots', { used: num(a.slotsUsed), free: num(a.slotsFree) });
    default:
      return n.detail;
  }
}
