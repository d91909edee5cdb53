export * from './lib/projection.types';
export * from './lib/projection-events';
export * from './lib/projections.schema';
export * from './lib/store-projection-runner';
export * from './lib/topic-rebuild';
export * from './lib/terminal-progress';
export * from './lib/rebuild-lock';
