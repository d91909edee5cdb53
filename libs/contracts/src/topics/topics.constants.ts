/** One topic per bounded context that owns state; `reporting` only reads, so it has none. */
export const TOPICS = {
  planning: 'pm.planning.events',
  resource: 'pm.resource.events',
  risk: 'pm.risk.events',
  notification: 'pm.notification.events',
} as const;

export type BoundedContext = keyof typeof TOPICS;
export type EventTopic = (typeof TOPICS)[BoundedContext];

export const BOUNDED_CONTEXTS = Object.keys(TOPICS) as readonly BoundedContext[];

/** Also the Kafka consumer-group ids: a group per service, so each service sees every event once. */
export const SERVICE_NAMES = [
  'planning-service',
  'resource-service',
  'risk-service',
  'notification-service',
  'reporting-service',
] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Which service publishes each context's topic (the only writer, per the architecture). */
export const TOPIC_OWNERS: Readonly<Record<BoundedContext, ServiceName>> = {
  planning: 'planning-service',
  resource: 'resource-service',
  risk: 'risk-service',
  notification: 'notification-service',
};

// Kafka allows dots in names, but a dot in the service part would make `pm.a.b.dlq` ambiguous to
// topic-pattern subscriptions, so the service name must be one kebab-case segment.
const SERVICE_SEGMENT = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** Dead-letter topic of a consuming service: `pm.<service>.dlq`, e.g. `pm.reporting-service.dlq`. */
export function dlqTopic(service: string): string {
  if (!SERVICE_SEGMENT.test(service)) {
    throw new RangeError(`dlqTopic: "${service}" is not a kebab-case service name`);
  }
  return `pm.${service}.dlq`;
}

export function isBoundedContext(value: string): value is BoundedContext {
  return Object.hasOwn(TOPICS, value);
}
