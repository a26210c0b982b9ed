import { hypervConnector } from '../core/hyperv';
import type { Connector } from '../core/inventory/source';
import { vsphereConnector } from '../core/vsphere';
import type { ConnectorRegistry } from './endpoints';

/** The real connectors, for `siteshift server`: vCenter/ESXi over SOAP, Hyper-V over SSH. */
export function realConnectors(): ConnectorRegistry {
  return {
    vsphere: vsphereConnector as unknown as Connector,
    hyperv: hypervConnector as unknown as Connector,
  };
}
