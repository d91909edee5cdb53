export * from './lib/webhook-signing';
export * from './lib/retry-schedule';
export * from './lib/address-classifier';
