export * from './lib/domain-error';
export type * from './lib/decider';
