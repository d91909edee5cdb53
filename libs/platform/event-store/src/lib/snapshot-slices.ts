import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Snapshots up to this size come inline with the query that finds them; larger ones are read in slices of the same
 * size ({@link readSnapshotSlices}). A bytea arrives as hex text, twice its size, and past 256 MiB that text is
 * longer than a JavaScript string may be (a 400,000-task plan's first edit crashed the planning service on it).
 * Every slice is decoded on the event loop, so the size also bounds how long one holds up every other request:
 * slices of 8 MiB as hex took 200-350 ms each to decode (a 100,000-task plan's 80 MB snapshot, bench:plan); 2 MiB
 * as base64 (a third smaller than hex and decoded natively) take a few milliseconds.
 */
export const INLINE_SNAPSHOT_BYTES = 2 * 1024 * 1024;
const SNAPSHOT_SLICE_BYTES = INLINE_SNAPSHOT_BYTES;

/** The query's own bytes when it carried them inline, else the slices; null when that snapshot was replaced meanwhile. */
export async function snapshotBytes(pool: Pick<Pool, 'query'>, found: { streamId: string; tenantId: string; version: number; size: number; inline: Buffer | null }): Promise<Buffer | null> {
  return found.inline ?? readSnapshotSlices(pool, found.streamId, found.tenantId, found.version, found.size);
}

/**
 * A large snapshot's bytes, one query per slice, into one buffer (the column is stored uncompressed, STORAGE
 * EXTERNAL, so each slice reads only its own TOAST chunks). Null when the snapshot at that version is gone (a newer
 * one replaced it between the queries).
 */
async function readSnapshotSlices(pool: Pick<Pool, 'query'>, streamId: string, tenantId: string, version: number, size: number): Promise<Buffer | null> {
  const bytes = Buffer.allocUnsafe(size);
  for (let offset = 0; offset < size; offset += SNAPSHOT_SLICE_BYTES) {
    // base64 text (PostgreSQL breaks its lines every 76 characters; Node's decoder skips the line breaks).
    const res = await pool.query<{ part: string }>({
      name: 'es_snapshot_slice_b64',
      text: `SELECT encode(substring(state FROM $4::int4 + 1 FOR $5::int4), 'base64') AS part FROM es_snapshots
              WHERE stream_id = $1 AND tenant_id = $2 AND stream_version = $3`,
      values: [streamId, tenantId, version, offset, SNAPSHOT_SLICE_BYTES],
    });
    const part = res.rows[0]?.part;
    if (part === undefined || bytes.write(part, offset, 'base64') !== Math.min(SNAPSHOT_SLICE_BYTES, size - offset)) return null;
  }
  return bytes;
}

/**
 * Runs a load that reads a snapshot in two steps until no newer snapshot replaced it in between (`load` answers
 * undefined then), at most three times: the events read with the first step follow the snapshot it found.
 */
export async function whileSnapshotReplaced<T>(what: string, load: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const loaded = await load();
    if (loaded !== undefined) return loaded;
  }
  throw new Error(`The snapshot of ${what} was replaced during three loads in a row`);
}

export interface SnapshotRow {
  readonly streamId: string;
  readonly tenantId: string;
  readonly streamVersion: number;
  readonly snapshotType: string;
  readonly schemaVersion: number;
}

const UPSERT_SNAPSHOT = `INSERT INTO es_snapshots (stream_id, tenant_id, stream_version, snapshot_type, schema_version, state)
  VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (stream_id) DO UPDATE SET stream_version = EXCLUDED.stream_version, state = EXCLUDED.state,
    snapshot_type = EXCLUDED.snapshot_type, schema_version = EXCLUDED.schema_version, taken_at = now()
  WHERE es_snapshots.stream_version < EXCLUDED.stream_version`;

/**
 * Saves a snapshot's bytes unless the stream already has one at this version or later. Up to
 * INLINE_SNAPSHOT_BYTES they are one parameter of an upsert. A larger one goes as a COPY stream in slices: a bytea
 * parameter is copied whole into node-postgres's bind message, which for a 100,000-task plan's 80 MB snapshot held
 * the event loop 250-270 ms and took 160 MB more memory at the end of its import, the planning service's peak.
 */
export async function writeSnapshotBytes(pool: Pool, row: SnapshotRow, pieces: readonly Buffer[]): Promise<void> {
  const size = pieces.reduce((n, piece) => n + piece.length, 0);
  if (size <= INLINE_SNAPSHOT_BYTES) {
    await pool.query(UPSERT_SNAPSHOT, [row.streamId, row.tenantId, row.streamVersion, row.snapshotType, row.schemaVersion, pieces.length === 1 ? pieces[0] : Buffer.concat(pieces)]);
    return;
  }
  // Two writers that both found no snapshot: the second's rename fails on the key, and it tries again as a replacement.
  for (let attempt = 1; ; attempt++) {
    try {
      await copySnapshot(pool, row, pieces, size);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '23505' || attempt === 2) throw error;
    }
  }
}

const COPY_SNAPSHOT = `COPY es_snapshots (stream_id, tenant_id, stream_version, snapshot_type, schema_version, state) FROM STDIN (FORMAT binary)`;

/**
 * The bytes go first, under a key of their own, then the snapshot takes the stream's key if it is newer than the one
 * there. A transaction takes an id at its first write (a row lock included), and the store's readers of the log wait
 * behind the oldest open one: written in this order, no id is taken before the whole snapshot has arrived, so a slow
 * stream of tens of megabytes never holds up a relay or a projection.
 */
async function copySnapshot(pool: Pool, row: SnapshotRow, pieces: readonly Buffer[], size: number): Promise<void> {
  const client = await pool.connect();
  const uploadKey = `${row.streamId}\u0001upload`;
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await pipeline(Readable.from(copyBinaryRow({ ...row, streamId: uploadKey }, pieces, size)), client.query(copyFrom(COPY_SNAPSHOT)));
    const held = await client.query<{ version: number }>(`SELECT stream_version::float8 AS version FROM es_snapshots WHERE stream_id = $1 FOR UPDATE`, [row.streamId]);
    if (held.rows.length > 0 && held.rows[0].version >= row.streamVersion) {
      await client.query('ROLLBACK');
      return;
    }
    if (held.rows.length > 0) await client.query(`DELETE FROM es_snapshots WHERE stream_id = $1`, [row.streamId]);
    await client.query(`UPDATE es_snapshots SET stream_id = $1 WHERE stream_id = $2`, [row.streamId, uploadKey]);
    await client.query('COMMIT');
  } catch (error) {
    broken = await rollback(client, error as Error);
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Rolls back after a failure; a connection that cannot is returned broken, so the pool discards it. */
async function rollback(client: PoolClient, cause: Error): Promise<Error | undefined> {
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch {
    return cause;
  }
}

/**
 * One row in PostgreSQL's binary COPY format: the header, the row's six fields (text as UTF-8, bigint and integer
 * big-endian, the bytea as it is: the caller's pieces one after another, in slices that are views, never copies) and the trailer.
 */
function* copyBinaryRow(row: SnapshotRow, pieces: readonly Buffer[], size: number): Generator<Buffer> {
  const text = (value: string): Buffer[] => {
    const body = Buffer.from(value, 'utf8');
    const length = Buffer.alloc(4);
    length.writeInt32BE(body.length);
    return [length, body];
  };
  const fixed = (size: 4 | 8, value: number): Buffer => {
    const field = Buffer.alloc(4 + size);
    field.writeInt32BE(size);
    if (size === 8) field.writeBigInt64BE(BigInt(value), 4);
    else field.writeInt32BE(value, 4);
    return field;
  };
  const header = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
  const fieldCount = Buffer.alloc(2);
  fieldCount.writeInt16BE(6);
  const stateLength = Buffer.alloc(4);
  stateLength.writeInt32BE(size);
  yield Buffer.concat([
    header,
    fieldCount,
    ...text(row.streamId),
    ...text(row.tenantId),
    fixed(8, row.streamVersion),
    ...text(row.snapshotType),
    fixed(4, row.schemaVersion),
    stateLength,
  ]);
  for (const bytes of pieces) {
    for (let offset = 0; offset < bytes.length; offset += SNAPSHOT_SLICE_BYTES) yield bytes.subarray(offset, offset + SNAPSHOT_SLICE_BYTES);
  }
  yield Buffer.from([0xff, 0xff]);
}
