export * from './pair-state';
export * from './rules';
export * from './schemas';
export * from './slots';
