import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { Consumer, EachMessagePayload, IHeaders, Kafka, Producer } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { EventContractError } from '@pm/contracts';
import type { CloudEventEnvelope } from '@pm/contracts';
import { PoisonMessageError, parseCloudEvent } from './cloud-event.mapper';
import { messagingMetrics } from './messaging.metrics';
import type { MessagingLogger } from './messaging.types';
import { silentLogger } from '@pm/platform/observability';

export interface ConsumedEvent {
  readonly envelope: CloudEventEnvelope;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** Runs inside the inbox transaction: write only through `tx`, so the handler's effects and the inbox row commit together. */
export type EventHandler = (event: ConsumedEvent, tx: PoolClient) => Promise<void>;

/** Thrown by a handler for an event that can never succeed (it breaks a contract): no retries, straight to the DLQ. */
export class NonRetryableError extends Error {
  constructor(
    message: string,
    readonly code = 'NON_RETRYABLE',
  ) {
    super(message);
    this.name = 'NonRetryableError';
  }
}

export interface EventConsumerOptions {
  readonly kafka: Kafka;
  /** Consumer group = the service name; also the inbox's consumer name unless `inboxName` is set. */
  readonly groupId: string;
  readonly inboxName?: string;
  readonly topics: readonly string[];
  readonly pool: Pool;
  readonly handler: EventHandler;
  readonly dlqTopic: string;
  /** Producer used for dead letters (shared with the relay is fine); connected by the consumer. */
  readonly dlqProducer: Producer;
  /** Attempts for a transient failure before the message goes to the DLQ. */
  readonly maxAttempts?: number;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly fromBeginning?: boolean;
  readonly sessionTimeoutMs?: number;
  readonly logger?: MessagingLogger;
  readonly onHandled?: (event: ConsumedEvent, outcome: 'applied' | 'duplicate' | 'dead-lettered') => void;
  /** Called once per message after it is settled (handled, skipped or dead-lettered), poison ones included. */
  readonly onSettled?: (topic: string, partition: number, offset: string) => void;
  /** Exports outcome counts, handling time and partition lag to Prometheus (on by default). */
  readonly metrics?: boolean;
}

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

/**
 * Consumes events with effectively-once effects: each message is handled in one PostgreSQL transaction that
 * also inserts (consumer, event id) into the inbox; a redelivery finds the row and is skipped. Transient
 * failures are retried with exponential backoff; a message that keeps failing, or can never succeed, is
 * published to the service's dead-letter topic with the error in its headers, and the partition moves on.
 */
export class EventConsumer {
  private consumer?: Consumer;
  private stopping = false;
  private readonly log: MessagingLogger;
  private readonly inboxName: string;

  constructor(private readonly options: EventConsumerOptions) {
    this.log = options.logger ?? silentLogger;
    this.inboxName = options.inboxName ?? options.groupId;
  }

  async start(): Promise<void> {
    this.stopping = false;
    const { kafka, groupId, topics } = this.options;
    this.consumer = kafka.consumer({
      groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      allowAutoTopicCreation: false,
    });
    await this.options.dlqProducer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...topics], fromBeginning: this.options.fromBeginning ?? true });
    if (this.options.metrics !== false) {
      const lag = messagingMetrics.consumerLag();
      this.consumer.on(this.consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        lag.set({ consumer: this.inboxName, topic: payload.topic, partition: String(payload.partition) }, Number(payload.offsetLag));
      });
    }
    await this.consumer.run({ autoCommit: true, eachMessage: (payload) => this.onMessage(payload) });
  }

  /** Graceful: waits for the message in flight, commits offsets, leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
    this.consumer = undefined;
    await this.options.dlqProducer.disconnect();
  }

  private async onMessage(payload: EachMessagePayload): Promise<void> {
    const started = process.hrtime.bigint();
    await this.settle(payload);
    if (this.options.metrics !== false) {
      messagingMetrics.consumerHandleSeconds().observe({ consumer: this.inboxName }, Number(process.hrtime.bigint() - started) / 1e9);
    }
    this.options.onSettled?.(payload.topic, payload.partition, payload.message.offset);
  }

  private count(outcome: 'applied' | 'duplicate' | 'dead-lettered'): void {
    if (this.options.metrics !== false) messagingMetrics.consumerHandled().inc({ consumer: this.inboxName, outcome });
  }

  private async settle({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    let event: ConsumedEvent;
    try {
      event = { envelope: parseCloudEvent(message.value), topic, partition, offset: message.offset };
    } catch (err) {
      await this.deadLetter(topic, partition, message.offset, message.key, message.value, message.headers, err, 1);
      this.count('dead-lettered');
      return;
    }
    let attempts = 0;
    const policy = retry(
      // Data that breaks its contract fails the same way every time: retrying only delays the partition.
      // Infrastructure errors skip these attempts: they are waited out below, without a limit.
      handleWhen((err) => !(err instanceof NonRetryableError) && !(err instanceof EventContractError) && !isInfrastructureError(err)),
      {
        maxAttempts: (this.options.maxAttempts ?? 5) - 1,
        backoff: new ExponentialBackoff({ initialDelay: this.options.initialBackoffMs ?? 200, maxDelay: this.options.maxBackoffMs ?? 5_000 }),
      },
    );
    policy.onRetry(() => void heartbeat().catch(() => undefined));
    for (let outage = 0; ; outage++) {
      try {
        const outcome = await policy.execute(() => {
          attempts++;
          return this.handleOnce(event);
        });
        this.count(outcome);
        this.options.onHandled?.(event, outcome);
        return;
      } catch (err) {
        if (isInfrastructureError(err)) {
          // The message is fine; our database is not. Never dead-letter for that: wait (heartbeating, so the
          // group keeps the partition) until it is back. On shutdown, throw: the offset is not committed and
          // the message comes back after the restart.
          if (this.stopping) throw err;
          this.log.warn({ topic, partition, offset: message.offset, outage, err: errorInfo(err) }, 'database unavailable; waiting');
          await heartbeat().catch(() => undefined);
          await sleep(Math.min(30_000, (this.options.initialBackoffMs ?? 200) * 2 ** Math.min(outage, 8)));
          attempts = 0;
          continue;
        }
        await this.deadLetter(topic, partition, message.offset, message.key, message.value, message.headers, err, attempts);
        this.count('dead-lettered');
        this.options.onHandled?.(event, 'dead-lettered');
        return;
      }
    }
  }

  private async handleOnce(event: ConsumedEvent): Promise<'applied' | 'duplicate'> {
    const tx = await this.options.pool.connect();
    try {
      await tx.query('BEGIN');
      const inserted = await tx.query(
        `INSERT INTO inbox (consumer, event_id, event_type, tenant_id, topic, kafka_partition, kafka_offset)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING 1`,
        [this.inboxName, event.envelope.id, event.envelope.type, event.envelope.tenantid, event.topic, event.partition, event.offset],
      );
      if (inserted.rowCount === 0) {
        await tx.query('ROLLBACK');
        return 'duplicate';
      }
      await this.options.handler(event, tx);
      await tx.query('COMMIT');
      return 'applied';
    } catch (err) {
      await tx.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      tx.release();
    }
  }

  private async deadLetter(
    topic: string,
    partition: number,
    offset: string,
    key: Buffer | null,
    value: Buffer | null,
    headers: IHeaders | undefined,
    err: unknown,
    attempts: number,
  ): Promise<void> {
    const error = err instanceof Error ? err : new Error(String(err));
    const code = (error as { code?: unknown }).code;
    this.log.error(
      { topic, partition, offset, attempts, errorCode: code, err: { name: error.name, message: error.message } },
      'message dead-lettered',
    );
    await this.options.dlqProducer.send({
      topic: this.options.dlqTopic,
      acks: -1,
      messages: [
        {
          key,
          value,
          headers: {
            ...headers,
            [DLQ_HEADERS.error]: `${error.name}: ${error.message}`.slice(0, 2000),
            [DLQ_HEADERS.errorCode]: typeof code === 'string' ? code : 'UNHANDLED_ERROR',
            [DLQ_HEADERS.attempts]: String(attempts),
            [DLQ_HEADERS.consumer]: this.inboxName,
            [DLQ_HEADERS.topic]: topic,
            [DLQ_HEADERS.partition]: String(partition),
            [DLQ_HEADERS.offset]: offset,
            [DLQ_HEADERS.failedAt]: new Date().toISOString(),
          },
        },
      ],
    });
  }
}

export { PoisonMessageError };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function errorInfo(err: unknown): { name: string; message: string; code?: unknown } {
  return err instanceof Error ? { name: err.name, message: err.message, code: (err as { code?: unknown }).code } : { name: 'Error', message: String(err) };
}

/** SQLSTATE classes and socket errors that say "the database is unreachable or overloaded", not "this message is bad". */
const INFRASTRUCTURE_SQLSTATE = /^(08|53|57P0[1-3]|58|40001|40P01)/;
const INFRASTRUCTURE_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export function isInfrastructureError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  // Errors that declare themselves transient (e.g. a read model being rebuilt) are waited out the same way.
  if ((err as { transient?: unknown }).transient === true) return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (INFRASTRUCTURE_SQLSTATE.test(code) || INFRASTRUCTURE_SOCKET.has(code))) return true;
  // pg's own client-side failures carry no code.
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(err.message);
}
