import type { Kafka, Producer } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { CloudEventEnvelope } from '@pm/contracts';
import type { ConsumerGroupLag, PartitionLag } from './consumer-lag';
import type { InboxBatchOptions } from './inbox-batch';
import type { MessagingLogger } from './messaging.types';

export interface ConsumedEvent {
  readonly envelope: CloudEventEnvelope;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** The partition whose fetched batch is being settled, and the heartbeat of the consumer that fetched it. */
export interface PartitionScope {
  readonly topic: string;
  readonly partition: number;
  readonly heartbeat: () => Promise<void>;
}

/**
 * Runs inside the inbox transaction: write only through `tx`, so the handler's effects and the inbox row commit
 * together. Several messages of one partition may share that transaction (ADR 0006): a handler must not commit,
 * roll back or end it, and sees the writes of the messages before it.
 */
export type EventHandler = (event: ConsumedEvent, tx: PoolClient) => Promise<void>;

/** The last message a partition settled in this process: its offset and the recorded time of its event. */
export interface LastApplied {
  readonly offset: string;
  /** CloudEvents `time` of the event; null for a message that was not a valid event (dead-lettered). */
  readonly eventTime: string | null;
  readonly settledAt: string;
}

export interface PartitionFreshness extends PartitionLag {
  /** Null when no consumer in this process has settled a message of the partition since it started. */
  readonly lastApplied: LastApplied | null;
}

export interface ConsumerFreshness extends Omit<ConsumerGroupLag, 'partitions'> {
  readonly partitions: readonly PartitionFreshness[];
}

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
  /** Attempts for a transient failure of a message on its own before it goes to the DLQ. */
  readonly maxAttempts?: number;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly fromBeginning?: boolean;
  /** Group session timeout; `KAFKA_SESSION_TIMEOUT_MS` (default 30 s) when unset (see sessionTimeoutFromEnv). */
  readonly sessionTimeoutMs?: number;
  /** Most messages applied in one transaction (default 500). */
  readonly batchSize?: number;
  /**
   * A transaction takes no further message once it has run this long (default 100 ms). It bounds how long a
   * transaction stays open (an open transaction holds back every xid8-safe reader on the server, ADR 0002) and
   * how long the first message of a batch waits for its commit.
   */
  readonly maxBatchMs?: number;
  /** Bytes fetched per partition per request (kafkajs `maxBytesPerPartition`, default 1 MiB). */
  readonly maxBytesPerPartition?: number;
  /**
   * Read-ahead for a replay (ADR 0504): up to this many fetched batches per partition wait, in order, while kafkajs
   * fetches the next ones (without it, kafkajs fetches again only once every batch of the last fetch is applied, so
   * fetching and applying never overlap). Offsets are committed by the consumer after their transaction, not by
   * kafkajs. Only for a consumer that is its group's only member, as a rebuild's is: a batch already queued when its
   * partition moves is still applied here (the inbox keeps that effectively-once, not in order with the new owner).
   */
  readonly readAhead?: number;
  /** Partitions handled at the same time, each in its own transaction (default 1). */
  readonly partitionsConsumedConcurrently?: number;
  readonly logger?: MessagingLogger;
  readonly onHandled?: (event: ConsumedEvent, outcome: 'applied' | 'duplicate' | 'dead-lettered') => void;
  /** Called once per message after it is settled (handled, skipped or dead-lettered), poison ones included. */
  readonly onSettled?: (topic: string, partition: number, offset: string) => void;
  /** How long a lag sample from the broker is reused (default 2 s): scrapes and freshness requests share it. */
  readonly lagCacheMs?: number;
  /** Exports outcome counts, handling time and partition lag to Prometheus (on by default). */
  readonly metrics?: boolean;
  /**
   * A span per message, continuing the trace its `traceparent` header carries (on by default). A replay of history
   * (a rebuild) turns it off: a span per replayed event, of requests long finished, says nothing and floods the
   * collector, and it was a twentieth of a rebuild's CPU.
   */
  readonly traceMessages?: boolean;
  /**
   * Messages this consumer has nothing to do for, told from their headers alone (`ce_type`, `ce_tenantid`: see
   * KAFKA_HEADERS), settled without being parsed and without a transaction or an inbox row. Called once per fetched
   * batch with the headers of its messages, before the first is applied; answers per message whether to skip it. Only
   * for a consumer whose effects are keyed by ids derived from the event (a redelivered message it applied does no
   * harm), and it must never skip a message it would act on at that moment.
   */
  readonly skipping?: (headers: ReadonlyArray<ReadonlyMap<string, string>>) => Promise<readonly boolean[]>;
  /** Writes the handlers gather and make once per transaction, before its COMMIT (see InboxBatchOptions). */
  readonly transactionScope?: InboxBatchOptions['transactionScope'];
  /** Test seams: inside a transaction after its handlers ran, and after it committed (before offsets are). */
  readonly testHooks?: Pick<InboxBatchOptions, 'beforeCommit' | 'afterCommit'>;
}
