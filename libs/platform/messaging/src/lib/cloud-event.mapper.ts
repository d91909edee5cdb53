import { cloudEventEnvelopeSchema, dataSchemaUri, eventSource, toKafkaMessage } from '@pm/contracts';
import type { BoundedContext, CloudEventEnvelope, KafkaEventMessage } from '@pm/contracts';
import type { StoredEvent } from '@pm/platform/event-store';

/** Stored events carry their domain name (`ProjectCreated`); the public type adds the context. */
export function publicEventType(context: BoundedContext, storedType: string): string {
  return storedType.startsWith('pm.') ? storedType : `pm.${context}.${storedType}`;
}

/** The commit event a part of a staged change is published with (ADR 0009): its stream and version. */
export interface StagedFor {
  readonly streamId: string;
  readonly streamVersion: number;
}

export function toCloudEvent(context: BoundedContext, event: StoredEvent, stagedFor?: StagedFor): CloudEventEnvelope {
  const type = publicEventType(context, event.type);
  const m = event.metadata;
  return {
    specversion: '1.0',
    id: event.eventId,
    source: eventSource(context),
    type,
    subject: event.streamId,
    // The store's recorded time (ADR 0506); when the event was decided travels beside it.
    time: event.recordedAt,
    occurredat: event.occurredAt,
    datacontenttype: 'application/json',
    dataschema: dataSchemaUri(type, event.schemaVersion),
    tenantid: event.tenantId,
    streamversion: event.streamVersion,
    correlationid: m.correlationId,
    // CloudEvents attributes cannot be null: an event caused directly by a request is caused by its correlation.
    causationid: m.causationId ?? m.correlationId,
    actor: m.actor,
    ...(m.traceparent ? { traceparent: m.traceparent } : {}),
    ...(stagedFor ? { stagedfor: stagedFor.streamId, stagedversion: stagedFor.streamVersion } : {}),
    data: event.data as Record<string, unknown>,
  };
}

export function storedEventToKafkaMessage(context: BoundedContext, event: StoredEvent): KafkaEventMessage {
  return toKafkaMessage(toCloudEvent(context, event));
}

/** A message whose value is not a valid CloudEvent can never succeed: it goes to the DLQ at once. */
export class PoisonMessageError extends Error {
  readonly code = 'POISON_MESSAGE';
  constructor(message: string) {
    super(message);
    this.name = 'PoisonMessageError';
  }
}

export function parseCloudEvent(value: Buffer | string | null): CloudEventEnvelope {
  if (value === null) throw new PoisonMessageError('Message has no value');
  let json: unknown;
  try {
    json = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch {
    throw new PoisonMessageError('Message value is not JSON');
  }
  const parsed = cloudEventEnvelopeSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new PoisonMessageError(`Message value is not a valid CloudEvent: ${issues}`);
  }
  return parsed.data as CloudEventEnvelope;
}
