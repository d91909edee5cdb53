import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SQLSTATEs raised by es_append; class "PM" is ours. */
export const SQLSTATE_VERSION_CONFLICT = 'PM001';
export const SQLSTATE_TENANT_MISMATCH = 'PM002';
export const APPEND_NOTIFY_CHANNEL = 'es_appended';

/**
 * Expected-version encoding inside es_append: n >= 0 exact (0 = empty stream = no stream),
 * -1 no stream, -2 any, -3 stream exists.
 */
const up = `
CREATE TABLE IF NOT EXISTS es_streams (
  stream_id  text PRIMARY KEY,
  tenant_id  text   NOT NULL,
  version    bigint NOT NULL CHECK (version >= 0)
);

CREATE TABLE IF NOT EXISTS es_events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Set by PostgreSQL, not by the caller: tailing readers order and filter on it (see readAll).
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  stream_id       text        NOT NULL,
  stream_version  bigint      NOT NULL,
  event_id        uuid        NOT NULL,
  event_type      text        NOT NULL,
  schema_version  integer     NOT NULL DEFAULT 1,
  tenant_id       text        NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL,
  occurred_at     timestamptz NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS es_events_stream_version ON es_events (stream_id, stream_version);
CREATE UNIQUE INDEX IF NOT EXISTS es_events_event_id ON es_events (event_id);
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

CREATE OR REPLACE FUNCTION es_append(
  p_stream_id text, p_tenant_id text, p_expected bigint,
  p_event_ids uuid[], p_types text[], p_schema_versions integer[],
  p_data jsonb[], p_metadata jsonb[], p_occurred_at timestamptz[]
) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  n bigint := cardinality(p_event_ids);
  v_new bigint;
  v_actual bigint;
  v_tenant text;
BEGIN
  IF p_expected = -1 OR p_expected = 0 THEN
    INSERT INTO es_streams (stream_id, tenant_id, version) VALUES (p_stream_id, p_tenant_id, n)
      ON CONFLICT (stream_id) DO NOTHING RETURNING version INTO v_new;
  ELSIF p_expected = -2 THEN
    INSERT INTO es_streams AS s (stream_id, tenant_id, version) VALUES (p_stream_id, p_tenant_id, n)
      ON CONFLICT (stream_id) DO UPDATE SET version = s.version + n WHERE s.tenant_id = p_tenant_id
      RETURNING s.version INTO v_new;
  ELSIF p_expected = -3 THEN
    UPDATE es_streams SET version = version + n
      WHERE stream_id = p_stream_id AND tenant_id = p_tenant_id RETURNING version INTO v_new;
  ELSE
    -- The row lock serialises writers of one stream; a loser re-checks version = p_expected and finds none.
    UPDATE es_streams SET version = version + n
      WHERE stream_id = p_stream_id AND version = p_expected AND tenant_id = p_tenant_id RETURNING version INTO v_new;
  END IF;

  IF v_new IS NULL THEN
    SELECT version, tenant_id INTO v_actual, v_tenant FROM es_streams WHERE stream_id = p_stream_id;
    IF v_tenant IS NOT NULL AND v_tenant <> p_tenant_id THEN
      RAISE EXCEPTION 'stream % belongs to another tenant', p_stream_id USING ERRCODE = '${SQLSTATE_TENANT_MISMATCH}';
    END IF;
    RAISE EXCEPTION 'expected version conflict on %', p_stream_id
      USING ERRCODE = '${SQLSTATE_VERSION_CONFLICT}', DETAIL = coalesce(v_actual, -1)::text;
  END IF;

  INSERT INTO es_events (stream_id, stream_version, event_id, event_type, schema_version, tenant_id, data, metadata, occurred_at)
  SELECT p_stream_id, v_new - n + e.ord, e.event_id, e.event_type, e.schema_version, p_tenant_id, e.data, e.metadata, e.occurred_at
  FROM unnest(p_event_ids, p_types, p_schema_versions, p_data, p_metadata, p_occurred_at)
       WITH ORDINALITY AS e(event_id, event_type, schema_version, data, metadata, occurred_at, ord);

  -- Wakes tailing relays at once; polling stays the source of truth (notifications are lost while nobody listens).
  PERFORM pg_notify('${APPEND_NOTIFY_CHANNEL}', '');
  RETURN v_new;
END;
$$;
`;

const down = `
DROP FUNCTION IF EXISTS es_append(text, text, bigint, uuid[], text[], integer[], jsonb[], jsonb[], timestamptz[]);
DROP TABLE IF EXISTS es_snapshots;
DROP TABLE IF EXISTS es_events;
DROP TABLE IF EXISTS es_streams;
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

export const EVENT_STORE_SCHEMA_SQL = up;
