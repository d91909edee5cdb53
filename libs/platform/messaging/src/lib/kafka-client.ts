import { Kafka, logLevel } from 'kafkajs';
import type { KafkaConfig, Producer } from 'kafkajs';
import type { MessagingLogger } from './messaging.types';

export function kafkaBrokersFromEnv(): string[] {
  return (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
}

/** The broker's default bounds of a consumer's session timeout (group.min/max.session.timeout.ms). */
const SESSION_TIMEOUT_RANGE_MS = [6_000, 300_000] as const;
export const DEFAULT_SESSION_TIMEOUT_MS = 30_000;

/**
 * A consumer group member's session timeout: how long the partitions of a member that died without leaving (SIGKILL,
 * a lost host) stay with it before the group rebalances them to the others (ADR 0018). `KAFKA_SESSION_TIMEOUT_MS`,
 * 6,000–300,000 ms; 30 s (kafkajs's default) when unset. Heartbeats go every 3 s.
 */
export function sessionTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.KAFKA_SESSION_TIMEOUT_MS?.trim();
  if (!raw) return DEFAULT_SESSION_TIMEOUT_MS;
  const ms = Number(raw);
  const [min, max] = SESSION_TIMEOUT_RANGE_MS;
  if (!Number.isInteger(ms) || ms < min || ms > max) throw new Error(`KAFKA_SESSION_TIMEOUT_MS must be an integer from ${min} to ${max} (ms), got "${raw}"`);
  return ms;
}

/** kafkajs behind one factory, so a different client can replace it without touching callers. */
export function createKafka(clientId: string, options: Partial<KafkaConfig> & { logger?: MessagingLogger } = {}): Kafka {
  const { logger, ...config } = options;
  return new Kafka({
    clientId,
    brokers: kafkaBrokersFromEnv(),
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 8 },
    logCreator: () => (entry) => {
      if (!logger) return;
      const { message, ...extra } = entry.log;
      const line = { kafka: entry.namespace, ...extra };
      if (entry.level <= logLevel.ERROR) logger.error(line, message);
      else logger.warn(line, message);
    },
    ...config,
  });
}

/** Idempotent producer: the broker drops a retried duplicate, so a retry inside kafkajs never doubles a record. */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
}
