import { ROOT_CONTEXT, context as otelContext, propagation } from '@opentelemetry/api';
import type { Producer } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { BoundedContext, KafkaEventMessage } from '@pm/contracts';
import { START_OF_LOG } from '@pm/platform/event-store';
import type { Checkpoint, PgEventStore, StoredEvent } from '@pm/platform/event-store';
import { cloudEventEnvelopeSchema, toKafkaMessage } from '@pm/contracts';
import { toCloudEvent } from './cloud-event.mapper';
import type { MessagingLogger } from './messaging.types';
import { silentLogger } from '@pm/platform/observability';

export interface EventRelayOptions {
  /** Checkpoint name, e.g. `planning-service.relay`. */
  readonly name: string;
  readonly context: BoundedContext;
  readonly topic: string;
  readonly pool: Pool;
  readonly store: PgEventStore;
  /** An idempotent producer (see createIdempotentProducer); the relay connects and disconnects it. */
  readonly producer: Producer;
  readonly batchSize?: number;
  readonly pollIntervalMs?: number;
  readonly logger?: MessagingLogger;
  /** Test seam: runs after Kafka acknowledged a batch and before the checkpoint is stored. */
  readonly afterPublish?: (events: readonly StoredEvent[]) => Promise<void> | void;
  readonly onPublished?: (count: number, last: Checkpoint) => void;
}

const RELAY_LOCK_NAMESPACE = 0x706d72;

/**
 * Tails the service's event store (the outbox) and publishes every event to Kafka, in log order.
 *
 * At least once: the checkpoint is stored only after the broker acknowledged, so a crash in between
 * republishes that batch on restart; consumers deduplicate on the event id. One relay per service is active
 * at a time (a PostgreSQL advisory lock); other replicas wait for it, so replicas do not double-publish.
 */
export class EventRelay {
  private stopped = false;
  private loop?: Promise<void>;
  /** The session that holds the leadership advisory lock; checkpoints are read and written through it only. */
  private leader?: PoolClient;
  private leaderLost = false;
  private producerConnected = false;
  private wake?: () => void;
  private inFlight: Promise<unknown> = Promise.resolve();
  private readonly log: MessagingLogger;

  constructor(private readonly options: EventRelayOptions) {
    this.log = options.logger ?? silentLogger;
  }

  async start(): Promise<void> {
    if (this.loop) return;
    this.stopped = false;
    this.loop = this.run();
  }

  /** Lets the batch in flight finish and checkpoint, then gives up leadership and the producer. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    await this.inFlight.catch(() => undefined);
    this.dropLeadership();
    if (this.producerConnected) {
      this.producerConnected = false;
      await this.options.producer.disconnect();
    }
  }

  /** Publishes everything visible now (tests and tools); returns how many events were published. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.publishBatch();
      if (n === 0) return total;
      total += n;
    }
  }

  async checkpoint(): Promise<Checkpoint> {
    return this.readCheckpoint(this.options.pool);
  }

  private async readCheckpoint(client: Pick<Pool, 'query'> | PoolClient): Promise<Checkpoint> {
    const res = await client.query<{ transaction_id: string; position: string }>(
      'SELECT transaction_id::text AS transaction_id, position::text AS position FROM relay_checkpoints WHERE relay_name = $1',
      [this.options.name],
    );
    return res.rows.length ? { transactionId: res.rows[0].transaction_id, position: res.rows[0].position } : START_OF_LOG;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const published = await this.publishBatch();
        if (published === 0) await this.idle();
      } catch (err) {
        if (this.stopped) return;
        this.log.error({ err: errorInfo(err), relay: this.options.name }, 'relay batch failed; retrying');
        await this.idle(1000);
      }
    }
  }

  /**
   * Leadership is a session-level advisory lock. If that session dies, the lock is gone and another replica may
   * take over, so this relay stops checkpointing (a checkpoint write needs the session) and competes again on a
   * fresh connection.
   */
  private async ensureLeader(): Promise<PoolClient> {
    if (this.leader && !this.leaderLost) return this.leader;
    this.dropLeadership();
    const client = await this.options.pool.connect();
    client.on('error', (err: Error) => {
      this.leaderLost = true;
      this.log.warn({ err: errorInfo(err), relay: this.options.name }, 'relay lost its leadership session');
    });
    this.leaderLost = false;
    const key = [RELAY_LOCK_NAMESPACE, hash32(this.options.name)];
    try {
      while (!this.stopped) {
        const res = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', key);
        if (res.rows[0].ok) {
          this.leader = client;
          return client;
        }
        await this.idle(2000);
      }
    } catch (err) {
      client.release(true);
      throw err;
    }
    client.release();
    throw new Error('relay stopped');
  }

  /** Ends the leader session (which releases the lock); the pool opens a fresh connection when it needs one. */
  private dropLeadership(): void {
    const leader = this.leader;
    this.leader = undefined;
    leader?.release(true);
  }

  /** Serialised: the background loop and an explicit drain() must never publish the same batch twice. */
  private publishBatch(): Promise<number> {
    const next = this.inFlight.then(() => this.publishNextBatch());
    this.inFlight = next.catch(() => 0);
    return next;
  }

  private async publishNextBatch(): Promise<number> {
    const leader = await this.ensureLeader();
    if (!this.producerConnected) {
      await this.options.producer.connect();
      this.producerConnected = true;
    }
    const from = await this.readCheckpoint(leader);
    const events = await this.options.store.readAll(from, this.options.batchSize ?? 500);
    if (events.length === 0) return 0;
    await this.publish(events);
    await this.options.afterPublish?.(events);
    const last = events[events.length - 1].checkpoint;
    if (this.leaderLost) throw new Error('leadership lost before the checkpoint; the batch will be published again');
    await leader.query(
      `INSERT INTO relay_checkpoints (relay_name, transaction_id, position) VALUES ($1, $2::text::xid8, $3)
       ON CONFLICT (relay_name) DO UPDATE SET transaction_id = EXCLUDED.transaction_id, position = EXCLUDED.position, updated_at = now()`,
      [this.options.name, last.transactionId, last.position],
    );
    this.options.onPublished?.(events.length, last);
    return events.length;
  }

  /**
   * Sends in log order. Consecutive events that share a trace context are sent inside it, so the publish
   * span (kafkajs instrumentation) continues the trace of the request that stored them.
   */
  private async publish(events: readonly StoredEvent[]): Promise<void> {
    let group: KafkaEventMessage[] = [];
    let groupTrace: string | null | undefined;
    const flush = async () => {
      if (!group.length) return;
      const messages = group.map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } }));
      const ctx = groupTrace ? propagation.extract(ROOT_CONTEXT, { traceparent: groupTrace }) : ROOT_CONTEXT;
      await otelContext.with(ctx, () => this.options.producer.send({ topic: this.options.topic, acks: -1, messages }));
      group = [];
    };
    // Validate the whole batch before sending any of it.
    const messages = events.map((e) => this.toMessage(e));
    for (let i = 0; i < events.length; i++) {
      const trace = events[i].metadata.traceparent ?? null;
      if (group.length && trace !== groupTrace) await flush();
      groupTrace = trace;
      group.push(messages[i]);
    }
    await flush();
  }

  // Polling, not LISTEN/NOTIFY: NOTIFY takes a database-wide lock at commit, which serialises every
  // appending transaction and cost the store ~40% of its concurrent append throughput (bench/event-store.bench.ts).
  /**
   * The last line of defence for the public contract: an event whose envelope would be rejected by every
   * subscriber is not published. The relay stops there (its lag grows, the error is logged with the event id)
   * rather than skip it or break per-stream order; fixing the data or the code unblocks it.
   */
  private toMessage(e: StoredEvent): KafkaEventMessage {
    const envelope = toCloudEvent(this.options.context, e);
    const checked = cloudEventEnvelopeSchema.safeParse(envelope);
    if (!checked.success) {
      const issues = checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`event ${e.eventId} (${e.streamId} v${e.streamVersion}) has an invalid envelope: ${issues}`);
    }
    return toKafkaMessage(envelope);
  }

  private idle(ms = this.options.pollIntervalMs ?? 100): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

function errorInfo(err: unknown): { name: string; message: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
}

function hash32(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}
