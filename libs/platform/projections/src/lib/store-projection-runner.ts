import type { Pool } from 'pg';
import type { BoundedContext } from '@pm/contracts';
import { START_OF_LOG, compareCheckpoints, prepared, startAppendListener } from '@pm/platform/event-store';
import type { AppendListener } from '@pm/platform/event-store';
import type { Checkpoint, PgEventStore, StoredEvent } from '@pm/platform/event-store';
import { defineGauge } from '@pm/platform/observability';
import type { ProgressListener, Projection, ProjectionEvent } from './projection.types';
import { rebuildLockKey } from './rebuild-lock';

/** Runners alive in this process; the lag gauge samples each of them when Prometheus scrapes. */
const liveRunners = new Set<LagSource>();

/** How long a rebuild waits for transactions open when it was called before it returns (see rebuild). */
const REBUILD_SETTLE_MS = 60_000;

/** How long a runner may keep read-past positions (no event of its projection there) before it writes them. */
const SKIPPED_CHECKPOINT_MS = 1_000;

/**
 * A stretch of the log this runner read and found nothing its projection handles in: (from, to]. A fact about the log,
 * whoever applies: a checkpoint anywhere in [from, to] may move to `to`.
 */
interface Skipped {
  readonly from: Checkpoint;
  readonly to: Checkpoint;
  readonly since: number;
}

/** A batch read from `from` (after a stretch read past from `readPast`, or from `from` itself), and its handled events. */
interface ReadBatch {
  readonly from: Checkpoint;
  readonly readPast: Checkpoint;
  readonly events: readonly StoredEvent[];
  readonly handled: readonly ProjectionEvent[];
}

const within = (c: Checkpoint, lo: Checkpoint, hi: Checkpoint) => compareCheckpoints(c, lo) >= 0 && compareCheckpoints(c, hi) <= 0;

export interface LagSource {
  readonly name: string;
  lag(): Promise<number>;
}

/** Reports a runner's lag at every scrape until `unwatchLag`. */
export function watchLag(runner: LagSource): void {
  registerLagGauge();
  liveRunners.add(runner);
}

export function unwatchLag(runner: LagSource): void {
  liveRunners.delete(runner);
}

function registerLagGauge(): void {
  defineGauge({
    name: 'pm_projection_lag_events',
    help: 'Events in the store after the projection checkpoint, sampled at scrape',
    labelNames: ['projection'],
    async collect() {
      for (const runner of liveRunners) {
        this.set({ projection: runner.name }, await runner.lag().catch(() => -1));
      }
    },
  });
}

/** Where a store-fed projection got to in the log (the start of it before its first batch). */
export async function readProjectionCheckpoint(client: Pick<Pool, 'query'>, projection: string): Promise<Checkpoint> {
  const res = await client.query<{ t: string; p: string }>(
    'SELECT transaction_id::text AS t, position::text AS p FROM projection_checkpoints WHERE projection = $1',
    [projection],
  );
  return res.rows.length ? { transactionId: res.rows[0].t, position: res.rows[0].p } : START_OF_LOG;
}

export function fromStoredEvent(context: BoundedContext, e: StoredEvent): ProjectionEvent {
  return {
    eventId: e.eventId,
    type: e.type.startsWith('pm.') ? e.type : `pm.${context}.${e.type}`,
    schemaVersion: e.schemaVersion,
    tenantId: e.tenantId,
    streamId: e.streamId,
    streamVersion: e.streamVersion,
    occurredAt: e.occurredAt,
    recordedAt: e.recordedAt,
    data: e.data,
    correlationId: e.metadata.correlationId,
    traceparent: e.metadata.traceparent ?? null,
  };
}

export interface StoreProjectionRunnerOptions {
  readonly projection: Projection;
  readonly context: BoundedContext;
  readonly pool: Pool;
  readonly store: PgEventStore;
  readonly batchSize?: number;
  /** The fallback poll of start() when no append notification arrives (default 1,000 ms). */
  readonly pollIntervalMs?: number;
  /** start() LISTENs for committed appends (PgEventStore notifies after each commit); default true. */
  readonly wakeOnAppend?: boolean;
  /** A failing batch is retried after a pause; this hears about each failure (log it). */
  readonly onError?: (error: unknown) => void;
}

/**
 * Keeps a projection in step with the service's own event store. Each batch and the checkpoint commit in
 * one transaction, so a crash never applies a batch twice or skips one; the log order is the xid8-safe
 * order of PgEventStore.readAll.
 */
export class StoreProjectionRunner {
  private running = false;
  private loop?: Promise<void>;
  private listener?: AppendListener;
  /** An append was announced since the last catch-up began: the next pause is skipped. */
  private notified = false;
  private wake?: () => void;
  /** Read past, not yet written: batches without an event of the projection commit no transaction (see catchUp). */
  private skipped?: Skipped;

  constructor(private readonly options: StoreProjectionRunnerOptions) {}

  get name(): string {
    return this.options.projection.name;
  }

  /** Events stored after this projection's checkpoint. */
  async lag(): Promise<number> {
    return this.options.store.countAfter(this.skipped?.to ?? (await this.checkpoint()));
  }

  async checkpoint(): Promise<Checkpoint> {
    return this.readCheckpoint(this.options.pool);
  }

  private async readCheckpoint(client: Pick<Pool, 'query'>): Promise<Checkpoint> {
    return readProjectionCheckpoint(client, this.options.projection.name);
  }

  /**
   * Applies everything visible now; returns the number of events read.
   *
   * Each batch is read first, outside any transaction. One that holds an event of the projection is applied in a
   * transaction with its checkpoint, under the projection's lock and from the checkpoint re-read there (a batch read
   * from elsewhere is read again): two runners can never apply the same batch or move the checkpoint backwards. One
   * that holds none (most of the log, for a projection of a few event types) costs no transaction: the runner reads
   * on from its end and writes that checkpoint at most once a second, only over a checkpoint inside the stretch it
   * read past, so a rebuild that reset the checkpoint meanwhile, or another replica ahead, is never overwritten.
   */
  async catchUp(onProgress?: ProgressListener): Promise<number> {
    const read = await this.follow(onProgress);
    // Whoever asked for a catch-up finds the checkpoint at the end of what was read.
    await this.writeSkipped();
    return read;
  }

  /** catchUp without writing the stretch read past at the end (start()'s loop: at most once a second). */
  private async follow(onProgress?: ProgressListener): Promise<number> {
    const { pool, store } = this.options;
    const total = onProgress ? await store.countAfter(await this.checkpoint()) : 0;
    const batchSize = this.options.batchSize ?? 1000;
    let done = 0;
    for (;;) {
      const skipped = this.skipped;
      const from = skipped?.to ?? (await this.readCheckpoint(pool));
      const events = await store.readAll(from, batchSize);
      const handled = this.handledOf(events);
      let read = events.length;
      if (handled.length === 0) {
        if (read > 0) this.skipped = { from: skipped?.from ?? from, to: events[read - 1].checkpoint, since: skipped?.since ?? Date.now() };
        if (this.skipped && Date.now() - this.skipped.since >= SKIPPED_CHECKPOINT_MS) await this.writeSkipped();
      } else {
        read = await this.applyBatch({ from, readPast: skipped?.from ?? from, events, handled }, batchSize);
      }
      done += read;
      if (read > 0) onProgress?.(done, Math.max(total, done));
      // A batch short of full reached the log's horizon: everything visible when it was read is applied (the
      // next announced append or poll starts the next catch-up), so no second read just to find nothing.
      if (read < batchSize) return done;
    }
  }

  private handledOf(events: readonly StoredEvent[]): ProjectionEvent[] {
    const { projection, context } = this.options;
    return events.map((e) => fromStoredEvent(context, e)).filter((pe) => projection.handles.includes(pe.type));
  }

  /**
   * Applies a batch read from `from` in one transaction with its checkpoint. The checkpoint is re-read under the lock:
   * anywhere in [readPast, from] the batch stands (nothing handled lies between); anywhere else (another replica moved
   * on, a rebuild reset it) the batch is read again from there.
   */
  /** Returns the number of events the transaction went through (those read again, when the batch did not stand). */
  private async applyBatch(read: ReadBatch, batchSize: number): Promise<number> {
    const { projection, pool, store } = this.options;
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      await tx.query('SELECT pg_advisory_xact_lock($1)', [rebuildLockKey(projection.name)]);
      const stored = await this.readCheckpoint(tx);
      const stands = within(stored, read.readPast, read.from);
      const events = stands ? read.events : await store.readAll(stored, batchSize);
      const handled = stands ? read.handled : this.handledOf(events);
      if (projection.applyBatch) {
        if (handled.length > 0) await projection.applyBatch(handled, tx);
      } else for (const pe of handled) await projection.apply(pe, tx);
      if (events.length) {
        const last = events[events.length - 1].checkpoint;
        await tx.query(
          prepared(
            `INSERT INTO projection_checkpoints (projection, transaction_id, position) VALUES ($1, $2::text::xid8, $3)
             ON CONFLICT (projection) DO UPDATE SET transaction_id = EXCLUDED.transaction_id, position = EXCLUDED.position, updated_at = now()`,
            [projection.name, last.transactionId, last.position],
          ),
        );
      }
      await tx.query('COMMIT');
      this.skipped = undefined;
      return events.length;
    } catch (err) {
      await tx.query('ROLLBACK').catch(() => undefined);
      this.skipped = undefined;
      throw err;
    } finally {
      tx.release();
    }
  }

  /**
   * Writes the end of the stretch read past, only over a stored checkpoint inside it (a missing row is the start of
   * the log, so it is written only when the stretch began there). Whatever the outcome, the next batch starts from the
   * stored checkpoint again.
   */
  private async writeSkipped(): Promise<void> {
    const skipped = this.skipped;
    this.skipped = undefined;
    if (!skipped) return;
    const values = [this.options.projection.name, skipped.from.transactionId, skipped.from.position, skipped.to.transactionId, skipped.to.position];
    const inside = `(projection_checkpoints.transaction_id, projection_checkpoints.position) >= ($2::text::xid8, $3::bigint)
      AND (projection_checkpoints.transaction_id, projection_checkpoints.position) < ($4::text::xid8, $5::bigint)`;
    await this.options.pool.query(
      compareCheckpoints(skipped.from, START_OF_LOG) === 0
        ? `INSERT INTO projection_checkpoints (projection, transaction_id, position) VALUES ($1, $4::text::xid8, $5)
           ON CONFLICT (projection) DO UPDATE SET transaction_id = EXCLUDED.transaction_id, position = EXCLUDED.position, updated_at = now()
           WHERE ${inside}`
        : `UPDATE projection_checkpoints SET transaction_id = $4::text::xid8, position = $5, updated_at = now() WHERE projection = $1 AND ${inside}`,
      values,
    );
  }

  /**
   * Empties the read model and replays the whole log, returning once it reflects every event committed before the
   * call: a transaction of this database still open then may commit rows before the horizon reaches it, so the
   * replay goes on until the horizon has passed every transaction id assigned before the call (ADR 0012), or
   * REBUILD_SETTLE_MS has gone by (the background loop then applies the rest).
   */
  async rebuild(onProgress?: ProgressListener): Promise<number> {
    this.skipped = undefined;
    const tx = await this.options.pool.connect();
    try {
      await tx.query('BEGIN');
      await tx.query('SELECT pg_advisory_xact_lock($1)', [rebuildLockKey(this.options.projection.name)]);
      await this.options.projection.reset(tx);
      await tx.query('DELETE FROM projection_checkpoints WHERE projection = $1', [this.options.projection.name]);
      await tx.query('COMMIT');
    } catch (err) {
      await tx.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      tx.release();
    }
    const { pool, store } = this.options;
    const target = BigInt((await pool.query<{ x: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x')).rows[0].x);
    const deadline = Date.now() + REBUILD_SETTLE_MS;
    let read = await this.catchUp(onProgress);
    while (BigInt(await store.readHorizon()) < target && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      read += await this.catchUp(onProgress);
    }
    return read + (await this.catchUp(onProgress));
  }

  /**
   * Keeps catching up in the background: at once when an append is announced, otherwise every poll interval
   * (notifications are lost while the listener is down). A wake-up that found nothing readable yet (an older
   * transaction elsewhere on the server still holds the xmin back) is followed by quick re-reads.
   */
  private announced(): void {
    this.notified = true;
    this.wake?.();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    watchLag(this);
    if (this.options.wakeOnAppend !== false) {
      this.listener = startAppendListener(this.options.pool, () => this.announced(), (err) => this.options.onError?.(err));
    }
    const poll = this.options.pollIntervalMs ?? 1000;
    this.loop = (async () => {
      let recheck = 0;
      while (this.running) {
        const announced = this.notified;
        this.notified = false;
        let failed = false;
        const n = await this.follow().catch((err: unknown) => {
          this.options.onError?.(err);
          failed = true;
          return 0;
        });
        if (n > 0) {
          recheck = 0;
          // catchUp returned on a short batch: everything visible is applied. Go again at once only if an append was
          // announced meanwhile; otherwise wait for the next announcement (or the poll), not for an empty transaction.
          if (!this.notified) await this.pause(poll, true);
          continue;
        }
        recheck = announced ? 25 : recheck * 2;
        if (recheck >= poll) recheck = 0;
        await this.pause(failed ? 1000 : recheck || poll, !failed);
      }
    })();
  }

  /** True while append notifications reach start()'s loop. */
  get listening(): boolean {
    return this.listener?.listening ?? false;
  }

  async stop(): Promise<void> {
    this.running = false;
    unwatchLag(this);
    await this.listener?.stop();
    this.listener = undefined;
    this.wake?.();
    await this.loop;
    // A stopped runner leaves its read-past positions written, so the next start does not read them again.
    await this.writeSkipped().catch((err: unknown) => this.options.onError?.(err));
  }

  private pause(ms: number, onAppend: boolean): Promise<void> {
    if (!this.running || (onAppend && this.notified)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      // stop() ends any pause; an announced append ends only a pause that is not a back-off after a failure.
      this.wake = onAppend ? done : () => (this.running ? undefined : done());
    });
  }
}
