import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { EventContractError } from '@pm/contracts';
import { PoisonMessageError, parseCloudEvent } from './cloud-event.mapper';
import { inMessageTrace } from './consumer-tracing';
import type { ConsumedEvent, ConsumerFreshness, EventConsumerOptions, EventHandler, LastApplied, PartitionFreshness, PartitionScope } from './consumer.types';
import { NonRetryableError } from './consumer.types';
import { sendToDeadLetterTopic } from './dead-letter';
import { ConsumerLagMonitor, exportConsumerLag } from './consumer-lag';
import { applyInboxBatch } from './inbox-batch';
import type { InboxBatchOptions, InboxOutcome } from './inbox-batch';
import { errorInfo, isInfrastructureError, sleep } from './infrastructure-errors';
import { sessionTimeoutFromEnv } from './kafka-client';
import { messagingMetrics } from './messaging.metrics';
import type { MessagingLogger } from './messaging.types';
import { ReadAheadQueue } from './read-ahead-queue';
import { silentLogger } from '@pm/platform/observability';

export { DLQ_HEADERS } from './dead-letter';

interface Pending {
  readonly event: ConsumedEvent;
  readonly message: KafkaMessage;
}

type Parsed = { readonly ok: true; readonly pending: Pending } | { readonly ok: false; readonly message: KafkaMessage; readonly error: unknown };

/** How far a run of messages got: `nextAlone` = the message after them broke their batch and is settled alone. */
interface RunResult {
  readonly settled: number;
  readonly nextAlone: boolean;
}

/**
 * Consumes events with effectively-once effects, a batch at a time (ADR 0006): the messages a fetch returns for
 * one partition are applied in order in ONE PostgreSQL transaction together with their inbox rows, and their
 * offsets are committed once it has committed; a redelivered event finds its inbox row and is skipped.
 *
 * When a message breaks its batch, the batch is rolled back, the messages before it are applied again as a batch,
 * and it is settled on its own as before batching: transient failures retried with exponential backoff, and a
 * message that keeps failing, or can never succeed, published to the service's dead-letter topic with the error
 * in its headers; then the partition moves on. Database outages are waited out, never dead-lettered.
 */
export class EventConsumer {
  private consumer?: Consumer;
  private stopping = false;
  private readonly log: MessagingLogger;
  private readonly inboxName: string;
  private readonly lag: ConsumerLagMonitor;
  private readonly lastApplied = new Map<string, LastApplied>();
  private unexportLag?: () => void;
  /** A start after kafkajs gave up on the consumer (see onCrash), pending. */
  private restartTimer?: NodeJS.Timeout;
  /** Consecutive restarts after a crash kafkajs would not restart from; resets when a batch is consumed. */
  private crashRestarts = 0;
  /** With `readAhead` only: the queues fetched batches wait in to be applied (see ReadAheadQueue). */
  private readonly readAhead?: ReadAheadQueue;

  constructor(private readonly options: EventConsumerOptions) {
    this.log = options.logger ?? silentLogger;
    this.inboxName = options.inboxName ?? options.groupId;
    if (options.readAhead) {
      this.readAhead = new ReadAheadQueue(options, {
        log: this.log,
        settleMessages: (scope, messages, running, settledUpTo) => this.settleMessages(scope, messages, running, settledUpTo),
        isCurrent: (consumer) => !this.stopping && this.consumer === consumer,
        replace: async (consumer, error) => {
          this.consumer = undefined;
          await consumer.disconnect().catch(() => undefined);
          this.restartAfterCrash(error);
        },
      });
    }
    this.lag = new ConsumerLagMonitor({ kafka: options.kafka, groupId: options.groupId, topics: options.topics, cacheMs: options.lagCacheMs });
  }

  /**
   * Per topic and partition: the group's committed offset, the high watermark and the lag (from the broker, cached
   * for `lagCacheMs`), and the last message this process settled there. Answers while the consumer is stopped too.
   */
  async freshness(): Promise<ConsumerFreshness> {
    // A stopped consumer keeps no admin connection open after answering.
    const sample = this.consumer ? await this.lag.sample() : await this.lag.sample().finally(() => this.lag.close());
    return {
      ...sample,
      partitions: sample.partitions.map((p) => ({ ...p, lastApplied: this.lastApplied.get(`${p.topic}/${p.partition}`) ?? null })),
    };
  }

  async start(): Promise<void> {
    this.stopping = false;
    const { kafka, groupId, topics } = this.options;
    this.consumer = kafka.consumer({
      groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? sessionTimeoutFromEnv(),
      heartbeatInterval: 3_000,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 1_048_576,
    });
    // kafkajs restarts a crashed consumer only when the error is retriable; after any other (e.g. "Failed to find group
    // coordinator" once its retries ran out around a broker restart) it disconnects for good, and this process would
    // consume nothing again while it looks healthy. The consumer is started again instead.
    const consumer = this.consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart && this.consumer === consumer) this.restartAfterCrash(payload.error);
    });
    await this.options.dlqProducer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...topics], fromBeginning: this.options.fromBeginning ?? true });
    if (this.options.metrics !== false) {
      this.unexportLag ??= exportConsumerLag(this.lag);
      const lag = messagingMetrics.consumerLag();
      this.consumer.on(this.consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        lag.set({ consumer: this.inboxName, topic: payload.topic, partition: String(payload.partition) }, Number(payload.offsetLag));
      });
    }
    await this.consumer.run({
      // Offsets are resolved only once their messages are durable (committed or dead-lettered), and then
      // committed at once (threshold 1); an interrupted batch commits what it resolved and nothing more.
      // With read-ahead, offsets are resolved ahead of their messages: the queue commits them itself (ReadAheadQueue).
      autoCommit: !this.readAhead,
      autoCommitThreshold: 1,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  private restartAfterCrash(error: Error): void {
    if (this.stopping || this.restartTimer) return;
    const delayMs = Math.min(1000 * 2 ** this.crashRestarts, 30_000);
    this.crashRestarts++;
    this.log.error({ err: errorInfo(error), groupId: this.options.groupId, delayMs, restarts: this.crashRestarts }, 'consumer crashed and kafkajs will not restart it; starting it again');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      this.start().catch(async (err: unknown) => {
        // A start that failed half-way must not leave a connected consumer behind the next one.
        await this.consumer?.disconnect().catch(() => undefined);
        this.restartAfterCrash(err instanceof Error ? err : new Error(String(err)));
      });
    }, delayMs);
    this.restartTimer.unref?.();
  }

  /** Graceful: the transaction in flight finishes, its offsets are committed, the consumer leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    // Read-ahead: each queue ends after its transaction in flight, whose offsets it commits; the rest is not applied.
    await this.readAhead?.end();
    await this.consumer?.disconnect();
    this.consumer = undefined;
    this.unexportLag?.();
    this.unexportLag = undefined;
    await this.lag.close();
    await this.options.dlqProducer.disconnect();
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    this.crashRestarts = 0;
    if (this.readAhead) return this.readAhead.queueBatch(payload, this.consumer);
    const { batch, resolveOffset, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    const scope: PartitionScope = { topic: batch.topic, partition: batch.partition, heartbeat: payload.heartbeat };
    await this.settleMessages(scope, batch.messages, () => isRunning() && !isStale(), async (offset) => {
      resolveOffset(offset);
      await commitOffsetsIfNecessary();
    });
  }

  /**
   * Settles a fetched batch's messages in order, a transaction per run of them (ADR 0006), while `running()`;
   * `settledUpTo` gets the offset of the last message settled after each run, to resolve and commit it.
   */
  private async settleMessages(
    scope: PartitionScope,
    messages: readonly KafkaMessage[],
    running: () => boolean,
    settledUpTo: (offset: string) => Promise<void>,
  ): Promise<void> {
    const parsed: Parsed[] = [];
    const parse = (i: number): Parsed => (parsed[i] ??= this.parse(scope, messages[i]));
    const max = Math.max(1, this.options.batchSize ?? 500);
    const skips = await this.skipsOf(messages);
    let next = 0;
    let alone = false;
    while (next < messages.length && running()) {
      const started = process.hrtime.bigint();
      if (skips[next]) {
        // Nothing to do for these: settled as they are, no transaction (see `skipping`).
        let end = next;
        while (end < messages.length && skips[end]) end++;
        this.count('skipped', end - next);
        for (const m of messages.slice(next, end)) this.options.onSettled?.(scope.topic, scope.partition, m.offset);
        next = end;
        await settledUpTo(messages[next - 1].offset);
        continue;
      }
      const head = parse(next);
      let settled: number;
      if (!head.ok) {
        await this.deadLetter(scope, head.message, head.error, 1);
        this.count('dead-lettered');
        settled = 1;
      } else if (alone) {
        await this.settleAlone(scope, head.pending);
        settled = 1;
        alone = false;
      } else {
        const run: Pending[] = [];
        for (let i = next; i < messages.length && run.length < max && !skips[i]; i++) {
          const p = parse(i);
          if (!p.ok) break;
          run.push(p.pending);
        }
        ({ settled, nextAlone: alone } = await this.applyRun(scope, run));
      }
      this.observeSettled(scope, messages.slice(next, next + settled), started, parse(next + settled - 1));
      next += settled;
      await settledUpTo(messages[next - 1].offset);
      // Unguarded here, between transactions: a rebalance in progress ends the batch and kafkajs rejoins.
      await scope.heartbeat();
    }
  }

  /** Per message of a fetched batch: whether the consumer's `skipping` settles it unread. */
  private async skipsOf(messages: readonly KafkaMessage[]): Promise<readonly boolean[]> {
    if (!this.options.skipping || messages.length === 0) return [];
    // A Map: header names are whatever a producer sent (`__proto__` and `constructor` included).
    const headers = messages.map((m) => {
      const h = new Map<string, string>();
      for (const [key, value] of Object.entries(m.headers ?? {})) {
        const one = Array.isArray(value) ? value[0] : value;
        if (one !== undefined) h.set(key, one.toString());
      }
      return h;
    });
    try {
      return await this.options.skipping(headers);
    } catch (err) {
      // Skipping only saves work: when it cannot decide (its database is down), every message is read and applied.
      this.log.warn({ err: errorInfo(err), groupId: this.options.groupId }, 'could not tell which messages to skip; reading them all');
      return [];
    }
  }

  private parse(scope: PartitionScope, message: KafkaMessage): Parsed {
    try {
      const event = { envelope: parseCloudEvent(message.value), topic: scope.topic, partition: scope.partition, offset: message.offset };
      return { ok: true, pending: { event, message } };
    } catch (error) {
      return { ok: false, message, error };
    }
  }

  private inboxOptions(scope: PartitionScope, run: readonly Pending[]): InboxBatchOptions {
    return {
      pool: this.options.pool,
      inboxName: this.inboxName,
      handler: this.options.handler,
      maxTransactionMs: this.options.maxBatchMs ?? 100,
      heartbeat: scope.heartbeat,
      around:
        this.options.traceMessages === false
          ? undefined
          : (i, fn) => inMessageTrace({ topic: scope.topic, partition: scope.partition, offset: run[i].message.offset, headers: run[i].message.headers }, fn),
      transactionScope: this.options.transactionScope,
      ...this.options.testHooks,
    };
  }

  /**
   * One transaction for the run. If a message breaks it, everything rolls back; the messages before it are
   * applied again as a batch and it is settled alone next (a rollback of at most one batch per bad message, and
   * no savepoint per message, see ADR 0006). A failure that names no message (e.g. at COMMIT) settles the run
   * one message at a time.
   */
  private async applyRun(scope: PartitionScope, run: readonly Pending[]): Promise<RunResult> {
    for (let outage = 0; ; outage++) {
      const result = await applyInboxBatch(
        run.map((p) => p.event),
        this.inboxOptions(scope, run),
      );
      if (result.ok) {
        this.observeTransaction(result.outcomes.length);
        result.outcomes.forEach((outcome, i) => this.report(run[i].event, outcome));
        return { settled: result.outcomes.length, nextAlone: false };
      }
      if (isInfrastructureError(result.error)) {
        await this.waitOutOutage(scope, run[0].message.offset, outage, result.error);
        continue;
      }
      const culprit = result.failedAt === undefined ? undefined : run[result.failedAt];
      this.log.warn(
        { topic: scope.topic, partition: scope.partition, offset: culprit?.message.offset, batch: run.length, err: errorInfo(result.error) },
        'batch rolled back; settling the failing message on its own',
      );
      if (result.failedAt === undefined) {
        for (const p of run) await this.settleAlone(scope, p);
        return { settled: run.length, nextAlone: false };
      }
      if (result.failedAt === 0) {
        await this.settleAlone(scope, run[0]);
        return { settled: 1, nextAlone: false };
      }
      const before = await this.applyRun(scope, run.slice(0, result.failedAt));
      return { settled: before.settled, nextAlone: before.settled === result.failedAt || before.nextAlone };
    }
  }

  /** One message in its own transaction, with retries and the DLQ: the behaviour before batching. */
  private async settleAlone(scope: PartitionScope, { event, message }: Pending): Promise<void> {
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
    policy.onRetry(() => void scope.heartbeat().catch(() => undefined));
    for (let outage = 0; ; outage++) {
      try {
        const outcome = await policy.execute(async () => {
          attempts++;
          const result = await applyInboxBatch([event], this.inboxOptions(scope, [{ event, message }]));
          if (!result.ok) throw result.error;
          return result.outcomes[0];
        });
        this.observeTransaction(1);
        this.report(event, outcome);
        return;
      } catch (err) {
        if (isInfrastructureError(err)) {
          await this.waitOutOutage(scope, message.offset, outage, err);
          attempts = 0;
          continue;
        }
        await this.deadLetter(scope, message, err, attempts);
        this.count('dead-lettered');
        this.options.onHandled?.(event, 'dead-lettered');
        return;
      }
    }
  }

  /**
   * The message is fine; our database is not. Never dead-letter for that: wait (heartbeating, so the group keeps
   * the partition) until it is back. On shutdown, throw: the offset is not committed and the message comes back.
   */
  private async waitOutOutage(scope: PartitionScope, offset: string, outage: number, err: unknown): Promise<void> {
    if (this.stopping) throw err;
    this.log.warn({ topic: scope.topic, partition: scope.partition, offset, outage, err: errorInfo(err) }, 'database unavailable; waiting');
    const until = Date.now() + Math.min(30_000, (this.options.initialBackoffMs ?? 200) * 2 ** Math.min(outage, 8));
    for (let left = until - Date.now(); left > 0; left = until - Date.now()) {
      await scope.heartbeat().catch(() => undefined);
      if (this.stopping) throw err;
      await sleep(Math.min(left, 2_000));
    }
  }

  private report(event: ConsumedEvent, outcome: InboxOutcome): void {
    this.count(outcome);
    this.options.onHandled?.(event, outcome);
  }

  private count(outcome: 'applied' | 'duplicate' | 'dead-lettered' | 'skipped', messages = 1): void {
    if (this.options.metrics !== false) messagingMetrics.consumerHandled().inc({ consumer: this.inboxName, outcome }, messages);
  }

  private observeTransaction(messages: number): void {
    if (this.options.metrics !== false) messagingMetrics.consumerTransactionEvents().observe({ consumer: this.inboxName }, messages);
  }

  private observeSettled(scope: PartitionScope, messages: readonly KafkaMessage[], started: bigint, last: Parsed): void {
    if (this.options.metrics !== false) {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const histogram = messagingMetrics.consumerHandleSeconds();
      for (let i = 0; i < messages.length; i++) histogram.observe({ consumer: this.inboxName }, seconds);
    }
    for (const m of messages) this.options.onSettled?.(scope.topic, scope.partition, m.offset);
    this.lastApplied.set(`${scope.topic}/${scope.partition}`, {
      offset: last.ok ? last.pending.message.offset : last.message.offset,
      eventTime: last.ok ? last.pending.event.envelope.time : null,
      settledAt: new Date().toISOString(),
    });
  }

  private deadLetter(scope: PartitionScope, message: KafkaMessage, error: unknown, attempts: number): Promise<void> {
    const letter = { consumer: this.inboxName, topic: scope.topic, partition: scope.partition, message, error, attempts };
    return sendToDeadLetterTopic(this.options.dlqProducer, this.options.dlqTopic, letter, this.log);
  }
}

export { NonRetryableError, PoisonMessageError, isInfrastructureError };
export type { ConsumedEvent, ConsumerFreshness, EventConsumerOptions, EventHandler, LastApplied, PartitionFreshness };
