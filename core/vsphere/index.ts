/**
 * The vSphere connector: a typed SOAP client for vCenter and ESXi, in layers (transport,
 * envelope/parser, session, property collector, inventory, live updates, tasks, VM operations).
 */

export { normalizeThumbprint, type PresentedCertificate, thumbprintOf } from '../tls';
export {
  type AboutInfo,
  type BodyFilter,
  type ServiceContent,
  VimClient,
  type VimClientOptions,
} from './client';
export {
  type OpenOptions,
  openVsphere,
  VsphereInventorySource,
  type VsphereTarget,
  vsphereConnector,
} from './connector';
export * from './faults';
export {
  displayName,
  dropIgnoredDevices,
  escapeName,
  fetchInventory,
  fetchInventoryModel,
  INVENTORY_SPECS,
  InventoryModel,
  readDevices,
  streamInventory,
  VM_SPEC,
} from './inventory';
export { networkRef, splitDatastorePath, VsphereOperations } from './operations';
export {
  type ObjectContent,
  type ObjectUpdate,
  objectsFilterSpec,
  PropertyCollector,
  type PropertySpec,
  type UpdateSet,
  viewFilterSpec,
} from './property';
export { parseSoapResponse } from './soap';
export {
  cancelTask,
  runTask,
  type TaskOptions,
  type TaskProgress,
  type TaskState,
  waitForTask,
} from './tasks';
export { probeCertificate, SoapTransport, type TlsTrust } from './transport';
export * from './vm';
export { applyUpdates, type VsphereChange, type WatchOptions, watchInventory } from './watch';
export { type MoRef, moRef, text, type XmlObject, type XmlValue } from './xml';
