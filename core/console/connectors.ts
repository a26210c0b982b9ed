import { hypervConnector } from '../hyperv';
import type { Connector } from '../inventory/source';
import { vsphereConnector } from '../vsphere';

/** Every inventory connector the console knows; the shell, the web host and the CLI share this list. */
export const consoleConnectors: readonly Connector[] = [
  vsphereConnector as Connector,
  hypervConnector as Connector,
];
