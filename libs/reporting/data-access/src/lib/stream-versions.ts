import type { Pool, PoolClient } from 'pg';
import { AppendNotifier } from '@pm/platform/event-store';

/** The channel a consumer transaction notifies (payload: the tenant id) when it applied events of that tenant. */
export const STREAM_APPLIED_CHANNEL = 'reporting_stream_applied';

interface Applied {
  readonly tenantId: string;
  readonly streamId: string;
  readonly version: number;
}

/**
 * Gathers the streams a consumer transaction applies and writes them once, before its COMMIT (ADR 0503): one upsert
 * of the highest version per stream, never lowering it (a stale redelivery changes nothing). The wake-up is not sent
 * from this transaction: a NOTIFY in a committing transaction takes a database-wide lock across the commit (ADR
 * 0006); {@link StreamAppliedNotifier} sends it after the commit.
 */
export class StreamVersionsWriter {
  private readonly gathered = new WeakMap<PoolClient, Map<string, Applied>>();

  begin(tx: PoolClient): void {
    this.gathered.set(tx, new Map());
  }

  note(tx: PoolClient, tenantId: string, streamId: string, version: number): void {
    const streams = this.gathered.get(tx);
    if (!streams) return;
    const key = `${tenantId}\u0000${streamId}`;
    const seen = streams.get(key);
    if (!seen || seen.version < version) streams.set(key, { tenantId, streamId, version });
  }

  async flush(tx: PoolClient): Promise<void> {
    const streams = [...(this.gathered.get(tx)?.values() ?? [])];
    this.gathered.delete(tx);
    if (streams.length === 0) return;
    await tx.query({
      name: 'reporting_stream_versions_upsert',
      text: `
        INSERT INTO reporting_stream_versions AS v (tenant_id, stream_id, version)
        SELECT * FROM unnest($1::text[], $2::text[], $3::int[])
        ON CONFLICT (tenant_id, stream_id) DO UPDATE SET version = EXCLUDED.version, applied_at = now()
          WHERE v.version < EXCLUDED.version`,
      values: [streams.map((s) => s.tenantId), streams.map((s) => s.streamId), streams.map((s) => s.version)],
    });
  }
}

/** The applied version of each of a tenant's streams; a stream never applied is absent. */
export async function appliedStreamVersions(pool: Pool, tenantId: string, streamIds: readonly string[]): Promise<Map<string, number>> {
  const res = await pool.query<{ stream_id: string; version: number }>({
    name: 'reporting_stream_versions_read',
    text: 'SELECT stream_id, version FROM reporting_stream_versions WHERE tenant_id = $1 AND stream_id = ANY($2::text[])',
    values: [tenantId, [...streamIds]],
  });
  return new Map(res.rows.map((r) => [r.stream_id, r.version]));
}

/**
 * Announces, after the consumer's commit, which tenants' streams moved: one `pg_notify` per tenant in one statement of
 * its own, at most one in flight per process (tenants noted meanwhile go in the next, each once). A lost or failed
 * notification only delays a waiter until its next poll.
 */
export function streamAppliedNotifier(pool: Pick<Pool, 'query'>): AppendNotifier {
  return new AppendNotifier(pool, 0, STREAM_APPLIED_CHANNEL);
}
