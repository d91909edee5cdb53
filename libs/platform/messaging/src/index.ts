export * from './lib/messaging.types';
export * from './lib/messaging.schema';
export * from './lib/kafka-client';
export * from './lib/cloud-event.mapper';
export * from './lib/event-relay';
export * from './lib/event-consumer';
export * from './lib/messaging.module';
export * from './lib/messaging.metrics';
