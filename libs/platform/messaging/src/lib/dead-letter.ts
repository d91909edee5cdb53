import type { IHeaders, KafkaMessage, Producer } from 'kafkajs';
import type { MessagingLogger } from './messaging.types';

export const DLQ_HEADERS = {
  error: 'dlq_error',
  errorCode: 'dlq_error_code',
  attempts: 'dlq_attempts',
  consumer: 'dlq_consumer',
  topic: 'dlq_original_topic',
  partition: 'dlq_original_partition',
  offset: 'dlq_original_offset',
  failedAt: 'dlq_failed_at',
} as const;

export interface DeadLetter {
  readonly consumer: string;
  readonly topic: string;
  readonly partition: number;
  readonly message: Pick<KafkaMessage, 'key' | 'value' | 'headers' | 'offset'>;
  readonly error: unknown;
  readonly attempts: number;
}

/** Publishes the original message, untouched, to the dead-letter topic with the error and its origin in headers. */
export async function sendToDeadLetterTopic(producer: Producer, dlqTopic: string, letter: DeadLetter, log: MessagingLogger): Promise<void> {
  const { topic, partition, message, attempts } = letter;
  const error = letter.error instanceof Error ? letter.error : new Error(String(letter.error));
  const code = (error as { code?: unknown }).code;
  log.error(
    { topic, partition, offset: message.offset, attempts, errorCode: code, err: { name: error.name, message: error.message } },
    'message dead-lettered',
  );
  const headers: IHeaders = {
    ...message.headers,
    [DLQ_HEADERS.error]: `${error.name}: ${error.message}`.slice(0, 2000),
    [DLQ_HEADERS.errorCode]: typeof code === 'string' ? code : 'UNHANDLED_ERROR',
    [DLQ_HEADERS.attempts]: String(attempts),
    [DLQ_HEADERS.consumer]: letter.consumer,
    [DLQ_HEADERS.topic]: topic,
    [DLQ_HEADERS.partition]: String(partition),
    [DLQ_HEADERS.offset]: message.offset,
    [DLQ_HEADERS.failedAt]: new Date().toISOString(),
  };
  await producer.send({ topic: dlqTopic, acks: -1, messages: [{ key: message.key, value: message.value, headers }] });
}
