import type { NewEvent } from './event-store.types';
import type { Pool, PoolClient } from 'pg';
import { InvalidAppend } from './event-store.errors';
import type { EventMetadata, ExpectedVersion, StoredEvent } from './event-store.types';

/*
 * The SQL of PgEventStore and what it reads back: row shapes, statements, expectation encoding, error codes.
 * Kept apart from the class so the store reads as what it does.
 */

export type Queryable = Pick<Pool, 'query'> | PoolClient;

export interface EventRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_version: number;
  event_id: string;
  event_type: string;
  schema_version: number;
  tenant_id: string;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: string;
}

// Timestamps are formatted by PostgreSQL (C) rather than parsed into Date and re-serialised in JS; occurred_at
// is already in the metadata. Versions fit in a JS number (int4 is plenty per stream); positions are 64-bit.
export const EVENT_COLUMNS = `global_position::text AS global_position, transaction_id::text AS transaction_id, stream_id,
  stream_version::int4 AS stream_version, event_id, event_type, schema_version, tenant_id, data, metadata,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at`;

export const UNIQUE_VIOLATION = '23505';

/**
 * $3 encodes the expectation: n >= 0 exact (0 = no events yet), -1 no stream, -2 any, -3 stream exists.
 * The head is the stream's last event (LIMIT 1 on the unique index, read backwards); its tenant owns the stream.
 * Zero rows inserted = the expectation or the tenant did not hold.
 */
export const HEAD_AND_CHECK = `
WITH head AS (
  SELECT coalesce(last.stream_version, 0) AS v, last.tenant_id AS t, last.transaction_id AS x
  FROM (SELECT 1) AS one
  LEFT JOIN LATERAL (
    SELECT stream_version, tenant_id, transaction_id FROM es_events WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1
  ) AS last ON true
), ok AS (
  SELECT v FROM head
  WHERE (t IS NULL OR t = $2)
    -- A stream's events must carry increasing transaction ids, or readAll would order them wrongly: a transaction
    -- whose id was assigned before the head's writer committed (it wrote something else first) may not append. The
    -- head's writer itself may append again (a large append's later statements).
    AND (x IS NULL OR x <= pg_current_xact_id())
    AND CASE WHEN $3::int8 = -1 THEN v = 0 WHEN $3::int8 = -2 THEN true WHEN $3::int8 = -3 THEN v > 0 ELSE v = $3::int8 END
)`;

export const APPEND_SQL = `${HEAD_AND_CHECK}
INSERT INTO es_events (stream_id, stream_version, event_id, event_type, schema_version, tenant_id, data, metadata, occurred_at)
SELECT $1, ok.v + e.ord, e.event_id, e.event_type, e.schema_version, $2, e.data, e.metadata, e.occurred_at
FROM ok, unnest($4::uuid[], $5::text[], $6::int4[], $7::jsonb[], $8::jsonb[], $9::timestamptz[])
     WITH ORDINALITY AS e(event_id, event_type, schema_version, data, metadata, occurred_at, ord)
RETURNING stream_version::int4 AS v`;

/** The common case, one event: scalar parameters spare building and parsing six array literals. */
export const APPEND_ONE_SQL = `${HEAD_AND_CHECK}
INSERT INTO es_events (stream_id, stream_version, event_id, event_type, schema_version, tenant_id, data, metadata, occurred_at)
SELECT $1, ok.v + 1, $4::uuid, $5::text, $6::int4, $2, $7::jsonb, $8::jsonb, $9::timestamptz FROM ok
RETURNING stream_version::int4 AS v`;

/**
 * Several streams of one tenant in ONE statement (a plan's appends inside its transaction): each stream's head is read
 * and checked as in HEAD_AND_CHECK; rows are inserted only when every stream's expectation holds, so a statement
 * inserts all of the plan's events or none, in the order given (streams in order, each stream's events in order: the
 * global positions are those the appends one by one would have taken). Zero rows = some expectation did not hold.
 * $1 stream ids, $2 encoded expectations (one per stream); $4.. one entry per event with its stream's index (1-based)
 * and its ordinal within that stream.
 */
export const APPEND_STREAMS_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::int8[]) WITH ORDINALITY AS s(stream_id, expected, sidx)
), head AS (
  SELECT s.sidx, s.stream_id, s.expected, coalesce(last.stream_version, 0) AS v, last.tenant_id AS t, last.transaction_id AS x
  FROM input s
  LEFT JOIN LATERAL (
    SELECT stream_version, tenant_id, transaction_id FROM es_events WHERE stream_id = s.stream_id ORDER BY stream_version DESC LIMIT 1
  ) AS last ON true
), ok AS (
  SELECT sidx, stream_id, v FROM head
  WHERE (t IS NULL OR t = $3)
    AND (x IS NULL OR x <= pg_current_xact_id())
    AND CASE WHEN expected = -1 THEN v = 0 WHEN expected = -2 THEN true WHEN expected = -3 THEN v > 0 ELSE v = expected END
)
INSERT INTO es_events (stream_id, stream_version, event_id, event_type, schema_version, tenant_id, data, metadata, occurred_at)
SELECT ok.stream_id, ok.v + e.ord, e.event_id, e.event_type, e.schema_version, $3, e.data, e.metadata, e.occurred_at
FROM unnest($4::int8[], $5::int4[], $6::uuid[], $7::text[], $8::int4[], $9::jsonb[], $10::jsonb[], $11::timestamptz[])
     WITH ORDINALITY AS e(sidx, ord, event_id, event_type, schema_version, data, metadata, occurred_at, seq)
JOIN ok ON ok.sidx = e.sidx
WHERE (SELECT count(*) FROM ok) = (SELECT count(*) FROM input)
ORDER BY e.seq
RETURNING stream_id, stream_version::int4 AS v`;

export interface StreamHead {
  readonly version: number;
  readonly tenantId: string | null;
  /** False when the head was written by a transaction with a larger id than the caller's. */
  readonly orderOk: boolean;
}

export const actualVersion = (head: StreamHead) => (head.tenantId === null ? -1 : head.version);

/** PostgreSQL's "invalid text" errors: NUL bytes (22P05), bad escapes or lone surrogates (22P02), bad encoding (22021). */
export const INVALID_TEXT = new Set(['22P05', '22P02', '22021']);

/** Appends with these expectations carry no decision, so a lost race is simply retried against the new head. */
export const RETRYABLE_EXPECTATIONS = new Set<ExpectedVersion>(['any', 'stream-exists']);

export function expectationHolds(expected: ExpectedVersion, version: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'stream-exists') return version > 0;
  if (expected === 'no-stream') return version === 0;
  return version === expected;
}

export function encodeExpected(expected: ExpectedVersion): number {
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

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    eventId: row.event_id,
    type: row.event_type,
    schemaVersion: row.schema_version,
    tenantId: row.tenant_id,
    data: row.data,
    metadata: row.metadata,
    occurredAt: row.metadata.occurredAt,
    recordedAt: row.recorded_at,
    checkpoint: { transactionId: row.transaction_id, position: row.global_position },
  };
}

/** An event as a fold reads it: its place in the stream, its type and version, its data. */
/** A stream as a fold starts from it: its latest snapshot, if any, and the events after it. */
export interface ForFold {
  readonly snapshot: { readonly streamVersion: number; readonly bytes: Buffer } | null;
  readonly tail: FoldEvent[];
}

export interface FoldEvent {
  readonly streamVersion: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
}

export interface PgError {
  code?: string;
  detail?: string;
  constraint?: string;
}

/** See PgEventStore.readHorizon (ADR 0012). `least` skips the NULL of "no open transaction here". */
export const READ_HORIZON_SQL = `
WITH snap AS (SELECT pg_current_snapshot() AS s),
     here AS (
       SELECT backend_xid AS x FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL
       UNION ALL
       SELECT transaction FROM pg_prepared_xacts WHERE database = current_database()
     ),
     sees_all AS (SELECT rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS ok FROM pg_roles WHERE rolname = current_user)
SELECT (CASE WHEN coalesce((SELECT ok FROM sees_all), false)
             THEN least(pg_snapshot_xmax(s), (SELECT min(xip) FROM pg_snapshot_xip(s) AS xip WHERE (xip::text::numeric % 4294967296)::text::xid IN (SELECT x FROM here)))
             ELSE pg_snapshot_xmin(s) END)::text AS horizon
  FROM snap`;

/** The per-event parameters of the append statements, one array each, in the events' order. */
export function eventColumns(events: readonly NewEvent[]): EventColumns<string[], number[]> {
  return {
    ids: events.map((e) => e.metadata.eventId),
    types: events.map((e) => e.type),
    versions: events.map((e) => e.schemaVersion ?? 1),
    data: events.map((e) => e.json ?? JSON.stringify(e.data)),
    metadata: events.map((e) => JSON.stringify(e.metadata)),
    occurredAt: events.map((e) => e.metadata.occurredAt),
  };
}

export interface EventColumns<S, N> {
  readonly ids: S;
  readonly types: S;
  readonly versions: N;
  readonly data: S;
  readonly metadata: S;
  readonly occurredAt: S;
}

/**
 * Past this many events an append encodes its parameters in steps (ADR 0021 amendment): an edit of a 100,000-task
 * plan appends 4,000-17,000 events, whose metadata and array literals took 80-160 ms in one piece under load.
 */
export const STEPPED_APPEND_EVENTS = 500;
/** Events one append statement carries at most; a larger append takes several statements in one transaction. */
export const APPEND_STATEMENT_EVENTS = 2000;
const EVENTS_PER_STEP = 200;

/** A PostgreSQL array element of type text: always quoted (so the text NULL stays text), `"` and `\` escaped; a missing value is NULL, as pg writes it. */
const arrayElement = (s: string | null | undefined): string => (s === null || s === undefined ? 'NULL' : `"${s.replace(/[\\"]/g, '\\$&')}"`);

/**
 * {@link eventColumns} as PostgreSQL array literals (what `pg` would send for the arrays), built EVENTS_PER_STEP
 * events at a time with a pause after each: run it with runInTimeSlices.
 */
export function* eventColumnLiteralsInSteps(events: readonly NewEvent[]): Generator<void, EventColumns<string, string>, void> {
  const parts = { ids: [] as string[], types: [] as string[], versions: [] as string[], data: [] as string[], metadata: [] as string[], occurredAt: [] as string[] };
  for (let i = 0; i < events.length; i += EVENTS_PER_STEP) {
    const slice = eventColumns(events.slice(i, i + EVENTS_PER_STEP));
    parts.ids.push(slice.ids.map(arrayElement).join(','));
    parts.types.push(slice.types.map(arrayElement).join(','));
    parts.versions.push(slice.versions.map((v) => arrayElement(String(v))).join(','));
    parts.data.push(slice.data.map(arrayElement).join(','));
    parts.metadata.push(slice.metadata.map(arrayElement).join(','));
    parts.occurredAt.push(slice.occurredAt.map(arrayElement).join(','));
    yield;
  }
  const literal = (p: string[]) => `{${p.join(',')}}`;
  return { ids: literal(parts.ids), types: literal(parts.types), versions: literal(parts.versions), data: literal(parts.data), metadata: literal(parts.metadata), occurredAt: literal(parts.occurredAt) };
}
