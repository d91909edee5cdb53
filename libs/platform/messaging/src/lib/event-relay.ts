import { performance } from 'node:perf_hooks';
import type { Producer } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { BoundedContext, KafkaEventMessage } from '@pm/contracts';
import { STAGED_PARTS_PER_READ, START_OF_LOG, TimeSlice, prepared, startAppendListener } from '@pm/platform/event-store';
import type { AppendListener } from '@pm/platform/event-store';
import type { Checkpoint, PgEventStore, StoredEvent } from '@pm/platform/event-store';
import { cloudEventEnvelopeSchema, toKafkaMessage } from '@pm/contracts';
import { toCloudEvent } from './cloud-event.mapper';
import type { StagedFor } from './cloud-event.mapper';
import type { MessagingLogger } from './messaging.types';
import { silentLogger } from '@pm/platform/observability';
import { ByteBatcher, DEFAULT_MAX_REQUEST_BYTES, recordBytes, tracedRequest, uninstrumentedSend } from './relay-publisher';

/** Re-read interval while an announced append is not yet readable, and how long it is kept up before backing off. */
const RECHECK_MS = 25;
const RECHECK_FAST_MS = 2000;

export interface EventRelayOptions {
  /** Checkpoint name, e.g. `planning-service.relay`. */
  readonly name: string;
  readonly context: BoundedContext;
  readonly topic: string;
  readonly pool: Pool;
  readonly store: PgEventStore;
  /** An idempotent producer (see createIdempotentProducer); the relay connects and disconnects it. */
  readonly producer: Producer;
  /** Events read from the store per batch (one checkpoint write per batch); default 1,000. */
  readonly batchSize?: number;
  /** Upper bound of one produce request (see DEFAULT_MAX_REQUEST_BYTES); a batch is split to stay under it. */
  readonly maxRequestBytes?: number;
  /** The fallback poll when no append notification arrives (default 1,000 ms); see `wakeOnAppend`. */
  readonly pollIntervalMs?: number;
  /** LISTEN for committed appends (PgEventStore notifies after each commit) and publish at once; default true. */
  readonly wakeOnAppend?: boolean;
  readonly logger?: MessagingLogger;
  /** Test seam: runs after Kafka acknowledged a batch and before the checkpoint is stored. */
  readonly afterPublish?: (events: readonly StoredEvent[]) => Promise<void> | void;
  readonly onPublished?: (count: number, last: Checkpoint) => void;
  /** After each acknowledged produce request: how many events and (estimated) bytes it carried. */
  readonly onRequest?: (events: number, bytes: number) => void;
}

const RELAY_LOCK_NAMESPACE = 0x706d72;

/**
 * Tails the service's event store (the outbox) and publishes every event to Kafka, in log order, a batch of
 * events per read and as many of them per produce request as the size limit allows (ADR 0006).
 *
 * At least once: the checkpoint is stored only after the broker acknowledged every request of the batch, so a
 * crash in between republishes that batch on restart; consumers deduplicate on the event id. One relay per
 * service is active at a time (a PostgreSQL advisory lock); other replicas wait for it, so replicas do not
 * double-publish. It wakes when an append is announced (LISTEN) and polls as the fallback.
 */
export class EventRelay {
  private stopped = false;
  private loop?: Promise<void>;
  /** The session that holds the leadership advisory lock; checkpoints are read and written through it only. */
  private leader?: PoolClient;
  private leaderLost = false;
  /**
   * Where this relay's checkpoint stands while it leads: read once on the leader session, then what it wrote. Only the
   * holder of the leadership lock writes it, so nobody else moves it meanwhile; forgotten with the leadership and after
   * any failed round, so the next round reads it again on the session (and finds a dead session before publishing).
   */
  private leaderCheckpoint?: Checkpoint;
  private producerConnected = false;
  /** Ends the current pause early when an append is announced. */
  private wake?: () => void;
  /** Ends the current pause when the relay stops. */
  private stopWake?: () => void;
  /** An append was announced since the last read began: the next pause is skipped. */
  private notified = false;
  private listener?: AppendListener;
  private inFlight: Promise<unknown> = Promise.resolve();
  private readonly log: MessagingLogger;

  constructor(private readonly options: EventRelayOptions) {
    this.log = options.logger ?? silentLogger;
  }

  private announced(): void {
    this.notified = true;
    this.wake?.();
  }

  async start(): Promise<void> {
    if (this.loop) return;
    this.stopped = false;
    if (this.options.wakeOnAppend !== false) {
      const lost = (err: Error) => this.log.warn({ err: errorInfo(err), relay: this.options.name }, 'append listener lost; polling until it is back');
      this.listener = startAppendListener(this.options.pool, () => this.announced(), lost);
    }
    this.loop = this.run();
  }

  /** True while append notifications reach this relay (otherwise it only polls). */
  get listening(): boolean {
    return this.listener?.listening ?? false;
  }

  /** Server process id of the listening session (tests end it to prove the fallback poll). */
  get listenerPid(): number | undefined {
    return this.listener?.backendPid;
  }

  /** Lets the batch in flight finish and checkpoint, then gives up leadership and the producer. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopWake?.();
    await this.listener?.stop();
    this.listener = undefined;
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

  /**
   * Publishes while there is something to publish, then pauses until an append is announced or the poll
   * interval passes. An announced append may not be readable yet (readAll waits for every older transaction on
   * the server to finish, and those announce nothing), so a wake-up that found nothing is followed by quick
   * re-reads (25 ms, doubling) before the relay falls back to its poll interval.
   */
  private async run(): Promise<void> {
    const poll = this.options.pollIntervalMs ?? 1000;
    let recheck = 0;
    /** When an announced append was first found unreadable (performance.now()), until something is published. */
    let waitingSince: number | undefined;
    while (!this.stopped) {
      try {
        const announced = this.notified;
        this.notified = false;
        const published = await this.publishBatch();
        if (published > 0) {
          recheck = 0;
          waitingSince = undefined;
          // A batch short of full reached the log's horizon: the next read waits for the next announced append (or
          // the poll), not an empty round per commit. An append announced meanwhile ends the pause at once.
          if (published < (this.options.batchSize ?? 1000)) await this.idle(poll);
          continue;
        }
        if (announced) waitingSince ??= performance.now();
        // An append was announced and is not readable yet: an older transaction anywhere on the server holds the
        // horizon back (a consumer's batch, another service's write), usually for well under a second. Re-read every
        // 25 ms for the first RECHECK_FAST_MS of that wait, then back off (doubling) to the poll interval.
        const fast = waitingSince !== undefined && performance.now() - waitingSince < RECHECK_FAST_MS;
        recheck = fast ? RECHECK_MS : announced ? RECHECK_MS : recheck * 2;
        if (!fast && waitingSince !== undefined && recheck >= poll) waitingSince = undefined;
        if (recheck >= poll) recheck = 0;
        await this.idle(recheck || poll);
      } catch (err) {
        if (this.stopped) return;
        this.log.error({ err: errorInfo(err), relay: this.options.name }, 'relay batch failed; retrying');
        await this.idle(1000, false);
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
        // Announced appends do not hurry a replica that is not the leader.
        await this.idle(2000, false);
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
    this.leaderCheckpoint = undefined;
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
    try {
      const from = (this.leaderCheckpoint ??= await this.readCheckpoint(leader));
      const events = await this.options.store.readAll(from, this.options.batchSize ?? 1000);
      if (events.length === 0) return 0;
      await this.publish(events);
      await this.options.afterPublish?.(events);
      const last = events[events.length - 1].checkpoint;
      if (this.leaderLost) throw new Error('leadership lost before the checkpoint; the batch will be published again');
      await leader.query(
        prepared(
          `INSERT INTO relay_checkpoints (relay_name, transaction_id, position) VALUES ($1, $2::text::xid8, $3)
           ON CONFLICT (relay_name) DO UPDATE SET transaction_id = EXCLUDED.transaction_id, position = EXCLUDED.position, updated_at = now()`,
          [this.options.name, last.transactionId, last.position],
        ),
      );
      this.leaderCheckpoint = last;
      this.options.onPublished?.(events.length, last);
      return events.length;
    } catch (err) {
      this.leaderCheckpoint = undefined;
      throw err;
    }
  }

  /**
   * Sends the batch in log order, in as few requests as the size limit allows. The batch's own events are all
   * validated before anything is sent. Requests go one after another on the idempotent producer (acks=all, one in
   * flight), so each partition receives its events in store order, and a retried request is not duplicated by the
   * broker. Parts of a staged change (ADR 0009) are not published where they were stored: they follow, page by
   * page, right before the event that commits them, keyed by its stream, so an abandoned change is never seen.
   */
  private async publish(events: readonly StoredEvent[]): Promise<void> {
    // Every event of the batch is checked before anything is sent; a batch of 1,000 large events took 80-120 ms of
    // checks and encoding, so the loops pause for other work once a time slice has passed (ADR 0021 amendment).
    const slice = new TimeSlice();
    const own: Array<Outgoing | null> = [];
    for (const e of events) {
      own.push(e.metadata.stagedInto === undefined ? this.outgoing(e) : null);
      await slice.pauseIfDue();
    }
    const batcher = new ByteBatcher<Outgoing>(this.options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES);
    const add = async (m: Outgoing): Promise<void> => {
      const full = batcher.add(m, m.bytes);
      if (full) await this.send(full);
      await slice.pauseIfDue();
    };
    for (let i = 0; i < events.length; i++) {
      const message = own[i];
      if (message === null) continue;
      const stage = events[i].metadata.commitsStage;
      if (stage) {
        const stagedFor = { streamId: events[i].streamId, streamVersion: events[i].streamVersion };
        for (let from = 1; from <= stage.chunks; from += STAGE_PAGE) {
          const parts = await this.options.store.readStream(stage.streamId, { fromVersion: from, maxCount: Math.min(STAGE_PAGE, stage.chunks - from + 1), tenantId: events[i].tenantId });
          if (parts.length === 0) throw new Error(`event ${events[i].eventId} commits ${stage.chunks} parts of ${stage.streamId}, which has fewer`);
          for (const part of parts) await add(this.outgoing(part, stagedFor));
        }
      }
      await add(message);
    }
    const last = batcher.take();
    if (last.length > 0) await this.send(last);
  }

  private async send(request: readonly Outgoing[]): Promise<void> {
    const { topic } = this.options;
    const traced = tracedRequest(topic, request.map((m) => m.message), request.map((m) => m.traceparent));
    try {
      await uninstrumentedSend(this.options.producer)({ topic, acks: -1, messages: traced.messages });
    } catch (err) {
      traced.end(err);
      throw err;
    }
    traced.end();
    this.options.onRequest?.(request.length, request.reduce((n, m) => n + m.bytes, 0));
  }

  private outgoing(e: StoredEvent, stagedFor?: StagedFor): Outgoing {
    const message = this.toMessage(e, stagedFor);
    return { message, traceparent: e.metadata.traceparent, bytes: recordBytes(message) };
  }

  /**
   * The last line of defence for the public contract: an event whose envelope would be rejected by every
   * subscriber is not published. The relay stops there (its lag grows, the error is logged with the event id)
   * rather than skip it or break per-stream order; fixing the data or the code unblocks it.
   */
  private toMessage(e: StoredEvent, stagedFor?: StagedFor): KafkaEventMessage {
    const envelope = toCloudEvent(this.options.context, e, stagedFor);
    const checked = cloudEventEnvelopeSchema.safeParse(envelope);
    if (!checked.success) {
      const issues = checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`event ${e.eventId} (${e.streamId} v${e.streamVersion}) has an invalid envelope: ${issues}`);
    }
    return toKafkaMessage(envelope);
  }

  /** Pauses for `ms`; an announced append ends the pause early unless `onAppend` is false. stop() always does. */
  private idle(ms: number, onAppend = true): Promise<void> {
    if (this.stopped || (onAppend && this.notified)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        if (this.stopWake === done) this.stopWake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.stopWake = done;
      if (onAppend) this.wake = done;
    });
  }
}

/** Parts of a staged change read from the store at a time: as many as its other readers take (each under one message's size). */
const STAGE_PAGE = STAGED_PARTS_PER_READ;

interface Outgoing {
  readonly message: KafkaEventMessage;
  readonly traceparent: string | null | undefined;
  readonly bytes: number;
}

function errorInfo(err: unknown): { name: string; message: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
}

function hash32(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}
