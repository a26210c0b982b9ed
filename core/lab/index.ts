export {
  INSTANT_LAB_TIMING,
  type LabEndpoint,
  type LabTiming,
  labEndpointOf,
  REALISTIC_LAB_TIMING,
  setLabTiming,
} from './endpoint';
export { createLabEstate, type LabEstate, type LabEstateOptions } from './estate';
export { LabOperations } from './operations';
export { advanceReplicaClock, startReplicaClock, stopReplicaClock } from './replica-clock';
export { LabInventorySource } from './source';
