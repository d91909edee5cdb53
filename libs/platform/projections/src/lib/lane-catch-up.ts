import type { Pool, PoolClient } from 'pg';
import type { BoundedContext } from '@pm/contracts';
import type { PgEventStore, StoredEvent } from '@pm/platform/event-store';
import type { LaneProjection, ProjectionEvent } from './projection.types';
import { rebuildLockKey } from './rebuild-lock';
import { fromStoredEvent } from './store-projection-runner';

export interface LaneCatchUpOptions {
  readonly projection: LaneProjection;
  readonly context: BoundedContext;
  readonly pool: Pool;
  readonly store: PgEventStore;
  /**
   * Events of one lane applied per transaction (default 500), cut where a store transaction ends: a lane's
   * transaction stays short too.
   */
  readonly laneBatchSize?: number;
  /** One store transaction (one command's events) is applied whole up to this many events (default 20 × laneBatchSize). */
  readonly maxCommitEvents?: number;
}

export interface LaneCatchUpRequest {
  /** Wait for a lane another worker holds (default true); false answers false at once. */
  readonly wait?: boolean;
  /** Run a large event's preparation here (default true); false stops before it and answers false (a read does not import). */
  readonly prepare?: boolean;
}

/**
 * Catches one lane (one stream) up: its events after the lane's version, in transactions that take the lane's
 * advisory lock and record the new version with the rows they write (ADR 0010).
 */
export class LaneCatchUp {
  constructor(private readonly options: LaneCatchUpOptions) {}

  private get name(): string {
    return this.options.projection.name;
  }

  /** The stream version a lane has applied (0: nothing yet). */
  async laneVersion(streamId: string, client: Pick<Pool, 'query'> = this.options.pool): Promise<number> {
    const res = await client.query<{ version: number }>('SELECT version FROM projection_lanes WHERE projection = $1 AND lane = $2', [this.name, streamId]);
    return res.rows[0]?.version ?? 0;
  }

  /**
   * Applies one stream's events up to its head, in transactions of `laneBatchSize` events. A stream's versions
   * are contiguous and commit in order, so reading it by version never skips a late commit. With `wait: false`
   * a lane another worker holds is left to it and the answer is false.
   */
  async catchUpLane(streamId: string, { wait = true, prepare = true }: LaneCatchUpRequest = {}): Promise<boolean> {
    let prepared = 0;
    for (;;) {
      const step = await this.laneStep(streamId, wait, prepared);
      if (step === 'busy') return false;
      if (step === 'done') return true;
      if (step === 'more') continue;
      if (!prepare || !(await this.prepare(streamId, step, wait))) return false;
      prepared = step.streamVersion;
    }
  }

  /** One lane transaction; an event that needs preparation first ends the batch before it (or is handed back). */
  private async laneStep(streamId: string, wait: boolean, prepared: number): Promise<'busy' | 'done' | 'more' | ProjectionEvent> {
    const { projection, context } = this.options;
    const size = this.options.laneBatchSize ?? 500;
    const tx = await this.options.pool.connect();
    try {
      await tx.query('BEGIN');
      // A rebuild holds the read model's lock exclusively while it resets; lanes share it.
      await tx.query('SELECT pg_advisory_xact_lock_shared($1)', [rebuildLockKey(this.name)]);
      if (!(await this.lockLane(tx, streamId, wait))) {
        await tx.query('ROLLBACK');
        return 'busy';
      }
      const from = await this.laneVersion(streamId, tx);
      const read = await this.readCommits(streamId, from + 1, size);
      const events = read.events.map((e) => fromStoredEvent(context, e));
      const cut = events.findIndex((e) => e.streamVersion !== prepared && projection.prepareLane !== undefined && projection.needsPreparation?.(e) === true);
      if (cut === 0) {
        await tx.query('ROLLBACK');
        return events[0];
      }
      const batch = cut > 0 ? events.slice(0, cut) : events;
      if (batch.length > 0) {
        await projection.applyLane(streamId, batch.filter((e) => projection.handles.includes(e.type)), tx);
        await tx.query(
          `INSERT INTO projection_lanes (projection, lane, version) VALUES ($1, $2, $3)
           ON CONFLICT (projection, lane) DO UPDATE SET version = EXCLUDED.version, updated_at = now()`,
          [this.name, streamId, batch[batch.length - 1].streamVersion],
        );
      }
      await tx.query('COMMIT');
      if (batch.length > 0) await projection.laneCommitted?.(streamId, this.options.pool);
      return cut > 0 || read.more ? 'more' : 'done';
    } catch (err) {
      await tx.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      tx.release();
    }
  }

  /**
   * Up to `size` events of a stream from `fromVersion`, cut where a store transaction ends: a lane transaction
   * applies whole commits, so a reader never sees part of one command's events, and a command that reschedules
   * 2,000 tasks costs one lane transaction (one roll-up of the summaries above them), not four. A single commit
   * larger than `size` is taken whole, up to `maxCommitEvents`, past which it is split (large imports are staged
   * and prepared apart, ADR 0010). `more`: events past the returned ones may exist.
   */
  private async readCommits(streamId: string, fromVersion: number, size: number): Promise<{ events: StoredEvent[]; more: boolean }> {
    const { store } = this.options;
    const cap = Math.max(size, this.options.maxCommitEvents ?? 20 * size);
    const txOf = (e: StoredEvent) => e.checkpoint.transactionId;
    let events = await store.readStream(streamId, { fromVersion, maxCount: size + 1 });
    if (events.length <= size) return { events, more: false };
    let cut = size;
    while (cut > 0 && txOf(events[cut]) === txOf(events[cut - 1])) cut--;
    if (cut > 0) return { events: events.slice(0, cut), more: true };
    // The first commit alone passes the bound: read on to its end (or the cap).
    const first = txOf(events[0]);
    while (events.length <= cap && txOf(events[events.length - 1]) === first) {
      const more = await store.readStream(streamId, { fromVersion: fromVersion + events.length, maxCount: size });
      if (more.length === 0) break;
      events = events.concat(more);
    }
    const end = events.findIndex((e) => txOf(e) !== first);
    const take = Math.min(end < 0 ? events.length : end, cap);
    return { events: events.slice(0, take), more: true };
  }

  /** Runs the projection's preparation of a large event holding the lane (and the shared rebuild lock) on a session. */
  private async prepare(streamId: string, event: ProjectionEvent, wait: boolean): Promise<boolean> {
    const session = await this.options.pool.connect();
    const keys = [rebuildLockKey(this.name), rebuildLockKey(streamId)];
    try {
      await session.query('SELECT pg_advisory_lock_shared($1)', [rebuildLockKey(this.name)]);
      try {
        const locked = wait
          ? (await session.query('SELECT pg_advisory_lock($1, $2)', keys), true)
          : (await session.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', keys)).rows[0].ok;
        if (!locked) return false;
        try {
          await this.options.projection.prepareLane?.(streamId, event, this.options.pool);
        } finally {
          await session.query('SELECT pg_advisory_unlock($1, $2)', keys);
        }
        return true;
      } finally {
        await session.query('SELECT pg_advisory_unlock_shared($1)', [rebuildLockKey(this.name)]);
      }
    } finally {
      session.release();
    }
  }

  private async lockLane(tx: PoolClient, streamId: string, wait: boolean): Promise<boolean> {
    const keys = [rebuildLockKey(this.name), rebuildLockKey(streamId)];
    if (wait) {
      await tx.query('SELECT pg_advisory_xact_lock($1, $2)', keys);
      return true;
    }
    return (await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2) AS ok', keys)).rows[0].ok;
  }
}
