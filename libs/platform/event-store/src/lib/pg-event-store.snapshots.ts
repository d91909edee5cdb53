import type { Pool } from 'pg';
import type { Snapshot } from './event-store.types';
import type { FoldEvent, ForFold } from './pg-event-store.sql';
import { INLINE_SNAPSHOT_BYTES, snapshotBytes, whileSnapshotReplaced, writeSnapshotBytes } from './snapshot-slices';
import { decodeSnapshotInSteps } from './snapshot-codec';
import { runInTimeSlices } from './time-slices';

/** Which snapshots a fold can use: the aggregate's snapshot type and the shape (schema version) its fold reads. */
export interface SnapshotShape {
  readonly type: string;
  readonly schemaVersion: number;
}

/** A snapshot row with its state already serialised, whole or in the pieces it was made in. */
export type SnapshotBytes = Omit<Snapshot<never>, 'state'> & { readonly bytes: Uint8Array | readonly Uint8Array[] };

type LoadRow = { stream_id: string; snapshot_version: number | null; snapshot_bytes: number | null; snapshot_state: Buffer | null; tail: FoldEvent[] };

/** A stream's snapshot columns and the JSON array of its events after the snapshot, for the statements below. */
const LOADED_COLUMNS = `snap.stream_version::int4 AS snapshot_version, octet_length(snap.state) AS snapshot_bytes,
       CASE WHEN octet_length(snap.state) <= $5 THEN snap.state END AS snapshot_state,
       coalesce((SELECT json_agg(json_build_object('streamVersion', e.stream_version, 'type', e.event_type, 'schemaVersion', e.schema_version, 'data', e.data) ORDER BY e.stream_version)
                   FROM es_events e
                  WHERE e.stream_id = ids.stream_id AND e.tenant_id = $2 AND e.stream_version > coalesce(snap.stream_version, 0)), '[]'::json) AS tail`;

/** Several streams ($1 an array of ids). */
const LOAD_MANY_SQL = `WITH ids AS (SELECT DISTINCT unnest($1::text[]) AS stream_id),
     snap AS (
       SELECT s.stream_id, s.stream_version, s.state FROM es_snapshots s JOIN ids ON ids.stream_id = s.stream_id
        WHERE s.tenant_id = $2 AND s.snapshot_type = $3 AND s.schema_version = $4
     )
SELECT ids.stream_id, ${LOADED_COLUMNS}
  FROM ids LEFT JOIN snap ON snap.stream_id = ids.stream_id`;

/**
 * One stream ($1 its id), what nearly every command loads. Its own statement because PostgreSQL plans it once: the
 * array form's generic plan guesses an array of 10 ids, so the server kept planning it afresh on every execution
 * (about a third of a millisecond of its CPU per command at 200 commands/s; ADR 0023), while this one's generic plan
 * costs what a custom one would and is kept after the fifth.
 */
const LOAD_ONE_SQL = `WITH ids AS (SELECT $1::text AS stream_id),
     snap AS (
       SELECT s.stream_id, s.stream_version, s.state FROM es_snapshots s
        WHERE s.stream_id = $1 AND s.tenant_id = $2 AND s.snapshot_type = $3 AND s.schema_version = $4
     )
SELECT ids.stream_id, ${LOADED_COLUMNS}
  FROM ids LEFT JOIN snap ON snap.stream_id = ids.stream_id`;

/**
 * The snapshot and event reads of {@link PgEventStore} that loads use (ADR 0011): for several streams of one tenant,
 * each stream's latest snapshot of the given shape and the events after it, in one round trip (a stream with no
 * events gets an empty tail). A snapshot over `INLINE_SNAPSHOT_BYTES` is read after it, in slices (snapshot-slices.ts).
 */
export async function loadManyForFold(pool: Pool, streamIds: readonly string[], tenantId: string, snapshot?: SnapshotShape): Promise<Map<string, ForFold>> {
  return whileSnapshotReplaced(streamIds.join(', '), async () => {
    const one = streamIds.length === 1;
    const res = await pool.query<LoadRow>({
      name: one ? 'es_load_one_for_fold' : 'es_load_many_for_fold',
      text: one ? LOAD_ONE_SQL : LOAD_MANY_SQL,
      values: [one ? streamIds[0] : streamIds, tenantId, snapshot?.type ?? null, snapshot?.schemaVersion ?? null, INLINE_SNAPSHOT_BYTES],
    });
    const loaded = new Map<string, ForFold>();
    for (const row of res.rows) {
      if (row.snapshot_version === null || row.snapshot_bytes === null) {
        loaded.set(row.stream_id, { snapshot: null, tail: row.tail });
        continue;
      }
      const found = { streamId: row.stream_id, tenantId, version: row.snapshot_version, size: row.snapshot_bytes, inline: row.snapshot_state };
      const bytes = await snapshotBytes(pool, found);
      // Replaced between the two reads: the tail no longer starts after it, so everything is loaded again.
      if (bytes === null) return undefined;
      loaded.set(row.stream_id, { snapshot: { streamVersion: row.snapshot_version, bytes }, tail: row.tail });
    }
    return loaded;
  });
}

/** Writes a serialised snapshot unless the stream already has one at its version or later (snapshot-slices.ts). */
export async function saveSnapshotBytes(pool: Pool, snapshot: SnapshotBytes, tenantId: string): Promise<void> {
  const pieces = snapshot.bytes instanceof Uint8Array ? [snapshot.bytes] : snapshot.bytes;
  await writeSnapshotBytes(pool, { ...snapshot, tenantId }, pieces.map((b) => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength))));
}

/** The snapshot of a stream, only for the tenant that owns it, decoded in time slices. */
export async function loadSnapshot<TState>(pool: Pool, streamId: string, snapshotType: string, schemaVersion: number, tenantId: string): Promise<Snapshot<TState> | null> {
  return whileSnapshotReplaced(streamId, async () => {
    const res = await pool.query<{ stream_version: number; size: number; state: Buffer | null }>(
      `SELECT stream_version::float8 AS stream_version, octet_length(state) AS size, CASE WHEN octet_length(state) <= $5 THEN state END AS state FROM es_snapshots
       WHERE stream_id = $1 AND snapshot_type = $2 AND schema_version = $3 AND tenant_id = $4`,
      [streamId, snapshotType, schemaVersion, tenantId, INLINE_SNAPSHOT_BYTES],
    );
    if (!res.rows.length) return null;
    const { stream_version: streamVersion, size, state: inline } = res.rows[0];
    const bytes = await snapshotBytes(pool, { streamId, tenantId, version: streamVersion, size, inline });
    return bytes ? { streamId, snapshotType, schemaVersion, streamVersion, state: (await runInTimeSlices(decodeSnapshotInSteps(bytes))) as TState } : undefined;
  });
}
