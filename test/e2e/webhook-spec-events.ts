import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { TOPICS, contractRegistry } from '@pm/contracts';
import { storedEventToKafkaMessage } from '@pm/platform/messaging';

/**
 * Publishes a planning event on the broker as planning's relay would (for the webhooks e2e), under `eventId` (a new one
 * unless given: the same id again is a redelivery). ObjectiveDefined: an event no other service projects, so the shared
 * topic gains nothing another spec's consumer (reading it from the start) must wait on — a rename of a project never
 * created is retried, then dead-lettered, by reporting.
 */
export async function publishPlanningEvent(kafka: Kafka, tenantId: string, subject: string, version: number, eventId: string = randomUUID()): Promise<string> {
  const contract = contractRegistry.latest('pm.planning.ObjectiveDefined');
  const at = new Date().toISOString();
  const metadata = { eventId, tenantId, actor: 'user:someone', correlationId: eventId, causationId: null, traceparent: null, occurredAt: at };
  const stored = { streamId: subject, streamVersion: version, eventId, type: 'ObjectiveDefined', schemaVersion: contract.version, tenantId, data: contract.example, metadata, occurredAt: at, recordedAt: at, checkpoint: { transactionId: '1', position: '1' } };
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic: TOPICS.planning, messages: [storedEventToKafkaMessage('planning', stored as never)] });
  } finally {
    await producer.disconnect();
  }
  return eventId;
}
