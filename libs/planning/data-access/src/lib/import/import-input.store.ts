import type { Pool } from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Uploaded files waiting for their import job, in chunks: the request streams the body in as it arrives and answers
 * 202 at once; the job streams it out again. Neither side holds the whole file (up to ~70 MB for 400,000 tasks).
 */
export class PlanningImportInputsSchema1764300000400 implements MigrationInterface {
  name = 'PlanningImportInputsSchema1764300000400';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS planning_import_inputs (
        import_id  uuid        NOT NULL,
        seq        integer     NOT NULL,
        tenant_id  text        NOT NULL,
        chunk      bytea       NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (import_id, seq)
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS planning_import_inputs');
  }
}

/** Writes one uploaded file, chunk by chunk, as it streams in; returns its size in bytes. */
export async function storeImportInput(pool: Pool, tenantId: string, importId: string, body: AsyncIterable<Buffer | string>, chunkBytes = 1024 * 1024): Promise<number> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let seq = 0;
  let total = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    await pool.query('INSERT INTO planning_import_inputs (import_id, seq, tenant_id, chunk) VALUES ($1, $2, $3, $4)', [importId, seq++, tenantId, Buffer.concat(pending)]);
    pending = [];
    pendingBytes = 0;
  };
  for await (const part of body) {
    const buffer = typeof part === 'string' ? Buffer.from(part) : part;
    pending.push(buffer);
    pendingBytes += buffer.length;
    total += buffer.length;
    if (pendingBytes >= chunkBytes) await flush();
  }
  await flush();
  return total;
}

/** The file, chunk by chunk, in order; only the owning tenant's. */
export async function* readImportInput(pool: Pool, tenantId: string, importId: string): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const res = await pool.query<{ chunk: Buffer }>('SELECT chunk FROM planning_import_inputs WHERE import_id = $1 AND seq = $2 AND tenant_id = $3', [importId, seq, tenantId]);
    if (res.rows.length === 0) return;
    yield res.rows[0].chunk;
  }
}

export async function discardImportInput(pool: Pool, importId: string): Promise<void> {
  await pool.query('DELETE FROM planning_import_inputs WHERE import_id = $1', [importId]);
}
