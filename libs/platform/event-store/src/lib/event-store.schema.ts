import type { MigrationInterface, QueryRunner } from 'typeorm';

export const STREAM_VERSION_INDEX = 'es_events_stream_version';
export const EVENT_ID_INDEX = 'es_events_event_id';

const up = `
CREATE TABLE IF NOT EXISTS es_events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Set by PostgreSQL, not by the caller: tailing readers order and filter on it (see PgEventStore.readAll).
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  stream_id       text        NOT NULL,
  stream_version  bigint      NOT NULL CHECK (stream_version >= 1),
  event_id        uuid        NOT NULL,
  event_type      text        NOT NULL,
  schema_version  integer     NOT NULL DEFAULT 1,
  tenant_id       text        NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL,
  occurred_at     timestamptz NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now()  -- clock_timestamp() since EventStoreRecordedAtClock1765300000000
);
-- The optimistic-concurrency guard: two appends at the same expected version race for the same
-- (stream_id, stream_version) and the loser gets a unique violation, reported as ExpectedVersionConflict.
CREATE UNIQUE INDEX IF NOT EXISTS ${STREAM_VERSION_INDEX} ON es_events (stream_id, stream_version);
CREATE UNIQUE INDEX IF NOT EXISTS ${EVENT_ID_INDEX} ON es_events (event_id);
CREATE INDEX IF NOT EXISTS es_events_log_order ON es_events (transaction_id, global_position);

CREATE TABLE IF NOT EXISTS es_snapshots (
  stream_id       text PRIMARY KEY,
  tenant_id       text        NOT NULL,
  stream_version  bigint      NOT NULL,
  snapshot_type   text        NOT NULL,
  schema_version  integer     NOT NULL,
  state           jsonb       NOT NULL,
  taken_at        timestamptz NOT NULL DEFAULT now()
);
`;

const down = `
DROP TABLE IF EXISTS es_snapshots;
DROP TABLE IF EXISTS es_events;
`;

export class EventStoreSchema1764100000000 implements MigrationInterface {
  name = 'EventStoreSchema1764100000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(up);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(down);
  }
}

