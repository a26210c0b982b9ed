export { createLabEstate, type LabEstate, type LabEstateOptions } from './estate';
export { LabInventorySource } from './source';
