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
export { LabInventorySource } from './source';
