import { Kafka, logLevel } from 'kafkajs';
import type { KafkaConfig, Producer } from 'kafkajs';
import type { MessagingLogger } from './messaging.types';

export function kafkaBrokersFromEnv(): string[] {
  return (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
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
