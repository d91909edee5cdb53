import type { Pool } from 'pg';

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
