export * from './lib/test-database';
export * from './lib/wait-for';
export * from './lib/test-events';
export * from './lib/mspdi-testdata';
export * from './lib/table-compare';
