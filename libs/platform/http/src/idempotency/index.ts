export * from './idempotency-key';
export * from './idempotency-records';
export * from './idempotency.interceptor';
