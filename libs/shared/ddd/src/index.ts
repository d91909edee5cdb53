export * from './lib/domain-error';
export type * from './lib/decider';
export type * from './lib/aggregate';
export * from './lib/exhaustive';
export * from './lib/same-value';
export type * from './lib/command-metadata';
export * from './lib/text';
export * from './lib/stream-id';
export * from './lib/snapshot-policy';
