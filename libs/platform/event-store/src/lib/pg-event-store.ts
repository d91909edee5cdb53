import type { Pool, PoolClient } from 'pg';
import { randomUUID } from 'node:crypto';
import { ExpectedVersionConflict, InvalidAppend, StreamTenantMismatch } from './event-store.errors';
import { SQLSTATE_TENANT_MISMATCH, SQLSTATE_VERSION_CONFLICT } from './event-store.schema';
import type {
  AppendResult,
  Checkpoint,
  EventMetadata,
  ExpectedVersion,
  NewEvent,
  Snapshot,
  StoredEvent,
} from './event-store.types';
import { START_OF_LOG } from './event-store.types';

type Queryable = Pick<Pool, 'query'> | PoolClient;

interface EventRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_version: string;
  event_id: string;
  event_type: string;
  schema_version: number;
  tenant_id: string;
  data: unknown;
  metadata: EventMetadata;
  occurred_at: Date;
  recorded_at: Date;
}

const EVENT_COLUMNS = `global_position::text AS global_position, transaction_id::text AS transaction_id, stream_id,
  stream_version::text AS stream_version, event_id, event_type, schema_version, tenant_id, data, metadata, occurred_at, recorded_at`;

function encodeExpected(expected: ExpectedVersion): number {
  switch (expected) {
    case 'no-stream':
      return -1;
    case 'any':
      return -2;
    case 'stream-exists':
      return -3;
    default:
      if (!Number.isSafeInteger(expected) || expected < 0) throw new InvalidAppend(`Invalid expected version ${expected}`);
      return expected;
  }
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    eventId: row.event_id,
    type: row.event_type,
    schemaVersion: row.schema_version,
    tenantId: row.tenant_id,
    data: row.data,
    metadata: row.metadata,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    checkpoint: { transactionId: row.transaction_id, position: row.global_position },
  };
}

interface PgError {
  code?: string;
  detail?: string;
}

/**
 * The event store of one service, on its own PostgreSQL database. It is also the outbox: the relay tails
 * {@link readAll} and publishes to Kafka, so an event is stored and published without a distributed transaction.
 */
export class PgEventStore {
  constructor(private readonly pool: Pool) {}

  /**
   * Appends events to one stream in one statement (and so one transaction, unless `client` is inside one).
   * All events of one call must belong to the stream's tenant.
   */
  async append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
    client: Queryable = this.pool,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new InvalidAppend('Nothing to append');
    const tenantId = events[0].metadata.tenantId;
    if (!tenantId) throw new InvalidAppend('Every event needs a tenant');
    const ids: string[] = [];
    const types: string[] = [];
    const versions: number[] = [];
    const data: string[] = [];
    const metadata: string[] = [];
    const occurredAt: string[] = [];
    for (const e of events) {
      if (e.metadata.tenantId !== tenantId) throw new InvalidAppend('All events of one append must share a tenant');
      ids.push(e.metadata.eventId);
      types.push(e.type);
      versions.push(e.schemaVersion ?? 1);
      data.push(JSON.stringify(e.data));
      metadata.push(JSON.stringify(e.metadata));
      occurredAt.push(e.metadata.occurredAt);
    }
    try {
      const res = await client.query<{ v: string }>(
        'SELECT es_append($1, $2, $3, $4::uuid[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[], $9::timestamptz[]) AS v',
        [streamId, tenantId, encodeExpected(expected), ids, types, versions, data, metadata, occurredAt],
      );
      return { nextExpectedVersion: Number(res.rows[0].v) };
    } catch (err) {
      const pgErr = err as PgError;
      if (pgErr.code === SQLSTATE_VERSION_CONFLICT) {
        throw new ExpectedVersionConflict(streamId, expected, Number(pgErr.detail ?? -1));
      }
      if (pgErr.code === SQLSTATE_TENANT_MISMATCH) throw new StreamTenantMismatch(streamId);
      throw err;
    }
  }

  /** Reads one stream forward from `fromVersion` (inclusive, 1-based). A tenant filter keeps tenants apart. */
  async readStream(
    streamId: string,
    options: { fromVersion?: number; maxCount?: number; tenantId?: string } = {},
  ): Promise<StoredEvent[]> {
    const params: unknown[] = [streamId, options.fromVersion ?? 1, options.maxCount ?? 2_147_483_647];
    let tenantFilter = '';
    if (options.tenantId !== undefined) {
      params.push(options.tenantId);
      tenantFilter = ' AND tenant_id = $4';
    }
    const res = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM es_events WHERE stream_id = $1 AND stream_version >= $2${tenantFilter}
       ORDER BY es_events.stream_version LIMIT $3`,
      params,
    );
    return res.rows.map(toStoredEvent);
  }

  async streamVersion(streamId: string): Promise<number> {
    const res = await this.pool.query<{ version: string }>('SELECT version::text AS version FROM es_streams WHERE stream_id = $1', [
      streamId,
    ]);
    return res.rows.length ? Number(res.rows[0].version) : 0;
  }

  /**
   * Reads the whole log after `from`, in (transaction id, position) order.
   *
   * Positions come from a sequence and are taken before commit, so a transaction that commits late can hold
   * a smaller position than one already read: "position > last seen" would skip it forever. Rows are therefore
   * only returned once every transaction that could still add a row before them has finished
   * (`transaction_id < pg_snapshot_xmin(pg_current_snapshot())`), and the checkpoint is the pair
   * (transaction id, position), which grows monotonically in that visibility order.
   */
  async readAll(from: Checkpoint = START_OF_LOG, maxCount = 1000): Promise<StoredEvent[]> {
    const res = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM es_events
       WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
         AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY es_events.transaction_id, es_events.global_position
       LIMIT $3`,
      [from.transactionId, from.position, maxCount],
    );
    return res.rows.map(toStoredEvent);
  }

  /** Number of events after a checkpoint (visible or not yet), for progress bars and lag metrics. */
  async countAfter(from: Checkpoint = START_OF_LOG): Promise<number> {
    const res = await this.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM es_events WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)`,
      [from.transactionId, from.position],
    );
    return Number(res.rows[0].n);
  }

  async saveSnapshot<TState>(snapshot: Snapshot<TState>, tenantId: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO es_snapshots (stream_id, tenant_id, stream_version, snapshot_type, schema_version, state)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb)
       ON CONFLICT (stream_id) DO UPDATE SET stream_version = EXCLUDED.stream_version, state = EXCLUDED.state,
         snapshot_type = EXCLUDED.snapshot_type, schema_version = EXCLUDED.schema_version, taken_at = now()
       WHERE es_snapshots.stream_version < EXCLUDED.stream_version`,
      [snapshot.streamId, tenantId, snapshot.streamVersion, snapshot.snapshotType, snapshot.schemaVersion, JSON.stringify(snapshot.state)],
    );
  }

  async loadSnapshot<TState>(streamId: string, snapshotType: string, schemaVersion: number): Promise<Snapshot<TState> | null> {
    const res = await this.pool.query<{ stream_version: string; state: TState }>(
      `SELECT stream_version::text AS stream_version, state FROM es_snapshots
       WHERE stream_id = $1 AND snapshot_type = $2 AND schema_version = $3`,
      [streamId, snapshotType, schemaVersion],
    );
    if (!res.rows.length) return null;
    return { streamId, snapshotType, schemaVersion, streamVersion: Number(res.rows[0].stream_version), state: res.rows[0].state };
  }
}

/** Builds metadata for events caused by one command. Ids and time come from the caller, never from the store. */
export function eventMetadata(input: {
  tenantId: string;
  actor: string;
  occurredAt: string;
  correlationId?: string;
  causationId?: string | null;
  traceparent?: string | null;
  eventId?: string;
}): EventMetadata {
  return {
    eventId: input.eventId ?? randomUUID(),
    tenantId: input.tenantId,
    actor: input.actor,
    correlationId: input.correlationId ?? randomUUID(),
    causationId: input.causationId ?? null,
    traceparent: input.traceparent ?? null,
    occurredAt: input.occurredAt,
  };
}
