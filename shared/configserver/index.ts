export * from './master-target';
export * from './pair-state';
export * from './plan';
export * from './readiness';
export * from './routes';
export * from './rules';
export * from './schemas';
export * from './slots';
