import { hypervConnector } from './hyperv';
import type { ConnectorRegistry } from './inventory/source';
import { vsphereConnector } from './vsphere';

/**
 * The real connectors, one list for every host: vCenter/ESXi over SOAP, Hyper-V over SSH. The
 * desktop shell, the web host and the CLI give it to the console backend; `siteshift server` to
 * the configuration server.
 */
export const realConnectors: ConnectorRegistry = {
  vsphere: vsphereConnector,
  hyperv: hypervConnector,
};
