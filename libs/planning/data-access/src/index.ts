export * from './lib/planning.migrations';
