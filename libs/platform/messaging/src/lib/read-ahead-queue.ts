import { bulkhead } from 'cockatiel';
import type { BulkheadPolicy } from 'cockatiel';
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { EventConsumerOptions, PartitionScope } from './consumer.types';
import { errorInfo } from './infrastructure-errors';
import type { MessagingLogger } from './messaging.types';

/** What a ReadAheadQueue needs of the EventConsumer it queues batches for. */
export interface ReadAheadHost {
  readonly log: MessagingLogger;
  /**
   * Settles a fetched batch's messages in order, a transaction per run of them, while `running()`; `settledUpTo` gets
   * the offset of the last message settled after each run (EventConsumer's `settleMessages`).
   */
  readonly settleMessages: (scope: PartitionScope, messages: readonly KafkaMessage[], running: () => boolean, settledUpTo: (offset: string) => Promise<void>) => Promise<void>;
  /** Whether `consumer` is still the one consuming: false once stopping, and once another has replaced it. */
  readonly isCurrent: (consumer: Consumer) => boolean;
  /**
   * After a queued batch of `consumer` failed and every queue has ended, `consumer` being still current: it is
   * disconnected and a new one starts from the committed offsets.
   */
  readonly replace: (consumer: Consumer, error: Error) => Promise<void>;
}

/**
 * Read-ahead for a replay (`readAhead`, ADR 0504): each fetched batch joins its partition's queue and its offsets are
 * resolved at once, so kafkajs fetches the next batches while earlier ones are applied (kafkajs alone fetches again
 * only once every batch of the last fetch is applied). A partition's batches are applied one after another, in order,
 * by the host's `settleMessages`; offsets are committed here (kafkajs's `autoCommit` off) after each transaction,
 * never ahead of what is applied. Stopping applies at most each queue's transaction in flight (`end`); a failed batch
 * stops its kafkajs consumer from applying anything more, and the host replaces it once every queue has ended.
 */
export class ReadAheadQueue {
  /** Per partition, the queued batches' settlements, oldest first. */
  private readonly queues = new Map<string, Array<Promise<void>>>();
  /** Every queued batch's settlement, until it ends (what stop() and a restart wait for). */
  private readonly outstanding = new Set<Promise<void>>();
  /** The kafkajs consumer whose queue failed; it applies nothing more and is replaced. */
  private failedConsumer?: Consumer;
  /** How many queued batches are applied at a time. */
  private readonly applying: BulkheadPolicy;

  constructor(
    private readonly options: Pick<EventConsumerOptions, 'groupId' | 'readAhead' | 'partitionsConsumedConcurrently'>,
    private readonly host: ReadAheadHost,
  ) {
    this.applying = bulkhead(options.partitionsConsumedConcurrently ?? 1, Infinity);
  }

  /**
   * The batch joins its partition's queue and its offsets are resolved at once, so kafkajs fetches the next batches
   * while this one is applied. Offsets are committed by the queue, once their messages are durable. Waits only while
   * the partition already has `readAhead` batches queued (memory stays bounded). `consumer`: the kafkajs consumer
   * that fetched the batch, none once stopped or being replaced.
   */
  async queueBatch(payload: EachBatchPayload, consumer: Consumer | undefined): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0 || !consumer) return;
    const running = () => this.host.isCurrent(consumer) && this.failedConsumer !== consumer;
    if (!running()) {
      // Stopping, or restarting after a failure: fetching this partition again until then would only spin.
      payload.pause();
      return;
    }
    const key = `${batch.topic}/${batch.partition}`;
    const queue = this.queues.get(key) ?? [];
    this.queues.set(key, queue);
    const scope: PartitionScope = { topic: batch.topic, partition: batch.partition, heartbeat: payload.heartbeat };
    const messages = batch.messages;
    const previous = queue.at(-1) ?? Promise.resolve();
    // At most partitionsConsumedConcurrently batches are applied at a time, as kafkajs's own workers would. After a
    // failure earlier in the queue (a rejected `previous`) nothing more is applied: the consumer restarts.
    const applied = previous.then(() =>
      this.applying.execute(async () => {
        if (!running()) return;
        await this.host.settleMessages(scope, messages, running, async (offset) => {
          await consumer.commitOffsets([{ topic: scope.topic, partition: scope.partition, offset: (BigInt(offset) + 1n).toString() }]);
        });
      }),
    );
    queue.push(applied);
    this.outstanding.add(applied);
    applied.then(
      () => {
        queue.shift();
        this.outstanding.delete(applied);
      },
      (err: unknown) => {
        queue.shift();
        this.outstanding.delete(applied);
        this.batchFailed(consumer, err);
      },
    );
    payload.resolveOffset(messages[messages.length - 1].offset);
    while (queue.length > (this.options.readAhead ?? 0) && running()) await queue[0].catch(() => undefined);
  }

  /**
   * Once the consumer is stopping: each queue ends after its transaction in flight, whose offsets it commits; the
   * rest is not applied. Resolves when every queue has ended.
   */
  async end(): Promise<void> {
    await Promise.allSettled([...this.outstanding]);
    this.queues.clear();
  }

  /**
   * A queued batch failed (its DLQ send, a heartbeat, a commit): the offsets kafkajs resolved ahead are no longer
   * true, so this consumer applies nothing more; once every queue has ended, a new kafkajs consumer starts from the
   * committed offsets, which never run ahead of what is applied (the inbox skips what was applied past them).
   */
  private batchFailed(consumer: Consumer, err: unknown): void {
    if (!this.host.isCurrent(consumer) || this.failedConsumer === consumer) return;
    this.failedConsumer = consumer;
    const error = err instanceof Error ? err : new Error(String(err));
    this.host.log.error({ err: errorInfo(error), groupId: this.options.groupId }, 'a read-ahead batch failed; restarting from the committed offsets');
    void (async () => {
      await Promise.allSettled([...this.outstanding]);
      if (!this.host.isCurrent(consumer)) return;
      this.queues.clear();
      await this.host.replace(consumer, error);
    })();
  }
}
