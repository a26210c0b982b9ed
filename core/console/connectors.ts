import { hypervConnector } from '../hyperv';
import type { Connector } from '../inventory/source';

/** Every connector the console knows; the shell, the web host and the CLI share this list. */
export const consoleConnectors: readonly Connector[] = [hypervConnector as Connector];
