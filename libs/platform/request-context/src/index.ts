export * from './principal';
export * from './clock';
export * from './request-context';
export * from './idempotency-scope';
