export * from './lib/event-store.types';
export * from './lib/event-store.errors';
export * from './lib/event-store.schema';
export * from './lib/pg-event-store';
export * from './lib/decider-runtime';
export * from './lib/migrations';
export * from './lib/pg-pool';
export * from './lib/event-store.module';
