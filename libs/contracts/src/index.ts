export * from './topics/topics.constants';
export * from './envelope/cloud-event.schema';
export * from './envelope/kafka-headers';
export * from './envelope/cloud-event.codec';
export * from './registry/event-contract.errors';
export * from './registry/event-contract';
export * from './registry/contract.registry';
export * from './registry/parse-event-data';
export type * from './registry/event-catalogue.types';
export * from './shared/contract-primitives.schema';
// Contract modules register their events on import; every context's barrel must be listed here.
export * from './planning';
export * from './resource';
export * from './risk';
export * from './notification';
export * from './asyncapi/asyncapi.generator';
export { toAsyncApiSchema, messageId } from './asyncapi/asyncapi-message.builder';
export type { JsonSchema } from './asyncapi/asyncapi-message.builder';
