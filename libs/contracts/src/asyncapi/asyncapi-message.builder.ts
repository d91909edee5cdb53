import { z } from 'zod';
import { createCloudEvent } from '../envelope/cloud-event.codec';
import { cloudEventEnvelopeSchemaFor } from '../envelope/cloud-event.schema';
import { CLOUDEVENTS_CONTENT_TYPE, KAFKA_HEADERS, kafkaHeadersFor, kafkaHeadersSchema } from '../envelope/kafka-headers';
import type { EventContract } from '../registry/event-contract';

export type JsonSchema = Record<string, unknown>;

// The Kafka bindings version the document is written against (AsyncAPI bindings repository).
export const KAFKA_BINDING_VERSION = '0.5.0';

/**
 * AsyncAPI 3's default schema format is a superset of JSON Schema draft-07, so that is the
 * target. `$schema` is dropped because a Schema Object inside the document may not redeclare it.
 */
export function toAsyncApiSchema(schema: z.ZodType): JsonSchema {
  const jsonSchema: JsonSchema = { ...z.toJSONSchema(schema, { target: 'draft-07', io: 'output' }) };
  delete jsonSchema['$schema'];
  return jsonSchema;
}

/** `pm.planning.ProjectCreated.v1`: unique per version, and valid as an AsyncAPI component key. */
export function messageId(contract: EventContract): string {
  return `${contract.type}.v${contract.version}`;
}

// Fixed values so the generated document is byte-for-byte reproducible.
const EXAMPLE_ATTRIBUTES = {
  id: '0198a1f4-3c2e-7d51-9a8b-4c7e2f1d6b90',
  subject: 'example-stream-id',
  time: '2025-07-14T09:30:00.000Z',
  occurredat: '2025-07-14T09:29:59.940Z',
  tenantid: 'acme',
  streamversion: 1,
  correlationid: '0198a1f4-3b90-7c22-8d4e-5f6a7b8c9d0e',
  causationid: '0198a1f4-3b90-7c22-8d4e-5f6a7b8c9d0e',
  actor: 'user:b3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
} as const;

export function buildMessage(contract: EventContract): Record<string, unknown> {
  const example = createCloudEvent(contract, { ...EXAMPLE_ATTRIBUTES, data: contract.example });
  const headers = kafkaHeadersSchema.extend({ [KAFKA_HEADERS.type]: z.literal(contract.type) });
  return {
    name: contract.type,
    title: `${contract.name} v${contract.version}`,
    summary: contract.description,
    description: [
      `CloudEvent \`${contract.type}\`, data version ${contract.version}`,
      `(\`dataschema: ${contract.dataschema}\`). The Kafka key is the stream id (= \`subject\`).`,
    ].join(' '),
    contentType: CLOUDEVENTS_CONTENT_TYPE,
    headers: toAsyncApiSchema(headers),
    payload: toAsyncApiSchema(cloudEventEnvelopeSchemaFor(contract)),
    correlationId: {
      description: 'Shared by every event caused by one original request',
      location: '$message.payload#/correlationid',
    },
    bindings: {
      kafka: {
        key: { type: 'string', description: 'Stream id of the aggregate; equals the CloudEvent subject' },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    examples: [{ name: `${contract.name}V${contract.version}`, headers: kafkaHeadersFor(example), payload: example }],
  };
}
