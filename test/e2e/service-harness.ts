import { randomBytes } from 'node:crypto';
import type { INestApplication, Type } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { parseEventData } from '@pm/contracts';
import type { AddressInfo } from 'node:net';
import { bootstrapService } from '@pm/platform/observability';

export interface RunningService {
  readonly app: INestApplication;
  readonly url: string;
  close(): Promise<void>;
}

/** Boots a service the way its main.ts does (same bootstrap, same modules), on a free port. */
export async function startService(serviceName: string, module: unknown): Promise<RunningService> {
  const app = await bootstrapService({ serviceName, port: 0, host: '127.0.0.1', module: module as Type<unknown> });
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** An event as a subscriber in another service sees it: read under its contract (upcast to the latest version). */
export interface SeenEvent {
  readonly type: string;
  readonly subject: string;
  readonly data: Record<string, unknown>;
}

/**
 * Subscribes to topics from the beginning, the way an outside system would, and collects one tenant's events;
 * every event must parse under its contract, so a publisher that breaks one fails the spec.
 */
export async function watchTenantEvents(topics: string[], tenant: string): Promise<{ seen: SeenEvent[]; stop(): Promise<void> }> {
  const kafka = new Kafka({ clientId: 'e2e-watcher', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `e2e-watcher-${randomBytes(4).toString('hex')}` });
  const seen: SeenEvent[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const value = JSON.parse(message.value?.toString() ?? '{}');
      if (value.tenantid !== tenant) return;
      const { data } = parseEventData(value.type, Number(/:(\d+)$/.exec(value.dataschema)?.[1]), value.data);
      seen.push({ type: value.type, subject: value.subject, data: data as Record<string, unknown> });
    },
  });
  return { seen, stop: () => consumer.disconnect() };
}

/**
 * Consumer groups of their own for one service instance of a spec: specs run side by side on one broker, and two
 * instances (each on its own database) sharing a group would split the partitions and each miss the other's events.
 */
export function ownConsumerGroups(service: string): { consumerGroupId: string; planConsumerGroupId: string } {
  const id = randomBytes(4).toString('hex');
  return { consumerGroupId: `${service}-e2e-${id}`, planConsumerGroupId: `${service}-plan-e2e-${id}` };
}
