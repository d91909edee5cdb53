import { z } from 'zod';
import { cloudEventAttributeShape } from './cloud-event.schema';
import type { CloudEventEnvelope } from './cloud-event.schema';

/** Content type of every message value: a CloudEvent in structured JSON mode. */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

/**
 * Headers that repeat what a router or a dead-letter tool needs without parsing the value.
 * The value stays the source of truth: in structured mode CloudEvents SDKs read the value and
 * ignore `ce_*` headers, so the repetition cannot make them disagree with the SDK.
 */
export const KAFKA_HEADERS = {
  type: 'ce_type',
  id: 'ce_id',
  tenantId: 'ce_tenantid',
  traceparent: 'traceparent',
  contentType: 'content-type',
} as const;

const kafkaHeaderShape = {
  [KAFKA_HEADERS.type]: cloudEventAttributeShape.type.describe('Same as the CloudEvent type'),
  [KAFKA_HEADERS.id]: cloudEventAttributeShape.id.describe('Same as the CloudEvent id'),
  [KAFKA_HEADERS.tenantId]: cloudEventAttributeShape.tenantid.describe('Same as the CloudEvent tenantid'),
  [KAFKA_HEADERS.traceparent]: cloudEventAttributeShape.traceparent.describe(
    'W3C Trace Context, present when the event carries one',
  ),
  [KAFKA_HEADERS.contentType]: z.literal(CLOUDEVENTS_CONTENT_TYPE),
};

/** Loose: producers and tracing instrumentation may add headers of their own. */
export const kafkaHeadersSchema = z.looseObject(kafkaHeaderShape);

/** The headers we set (no index signature, so it stays assignable to kafkajs' `IHeaders`). */
export type KafkaEventHeaders = z.output<z.ZodObject<typeof kafkaHeaderShape>>;

export function kafkaHeadersFor(envelope: CloudEventEnvelope<unknown>): KafkaEventHeaders {
  return {
    [KAFKA_HEADERS.type]: envelope.type,
    [KAFKA_HEADERS.id]: envelope.id,
    [KAFKA_HEADERS.tenantId]: envelope.tenantid,
    ...(envelope.traceparent === undefined ? {} : { [KAFKA_HEADERS.traceparent]: envelope.traceparent }),
    [KAFKA_HEADERS.contentType]: CLOUDEVENTS_CONTENT_TYPE,
  };
}

export interface KafkaEventMessage {
  /** The stream id (`stagedfor` for the parts of a staged change): every event of one aggregate lands in one partition, in order. */
  key: string;
  value: string;
  headers: KafkaEventHeaders;
}

/** The one place that decides key, value and headers, so every producer publishes alike. */
export function toKafkaMessage(envelope: CloudEventEnvelope<unknown>): KafkaEventMessage {
  return { key: envelope.stagedfor ?? envelope.subject, value: JSON.stringify(envelope), headers: kafkaHeadersFor(envelope) };
}
