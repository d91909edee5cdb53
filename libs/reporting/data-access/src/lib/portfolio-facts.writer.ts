import type { PoolClient } from 'pg';
import type { ProjectionEvent } from '@pm/platform/projections';

/** A table of rows valid from / to (ADR 0500) and the SQL type of each of its fact columns. */
export interface FactTable {
  readonly name: 'portfolio_project_facts' | 'portfolio_schedule_facts' | 'portfolio_risk_facts' | 'portfolio_change_request_facts' | HeatMapFactTableName;
  /** What one source stream is about: a project, or a change request (of a project), a resource, a risk. */
  readonly key: 'project_id' | 'change_request_id' | 'resource_id' | 'risk_id';
  readonly columns: Readonly<Record<string, 'uuid' | 'text' | 'date' | 'integer' | 'numeric' | 'double precision' | 'jsonb' | 'timestamptz'>>;
}

/** The heat maps' tables (ADR 0502). */
type HeatMapFactTableName = 'portfolio_resource_facts' | 'portfolio_risk_register_facts';

export type FactPatch = Readonly<Record<string, unknown>>;

interface CurrentRow {
  event_id: string;
  stream_version: number;
  valid_from: Date;
  already: boolean;
}

/**
 * Records one event's facts of a project (or change request: `table.key`) as a new row valid from the event's recorded time; the row it supersedes
 * is valid until then. Columns the event does not carry keep the previous row's value. Idempotent: an event applied
 * before (its id) or older than the current row (its stream version) changes nothing. Within a stream validity
 * never runs backwards: a recorded time before the current row's start counts from that start (ADR 0500, skew).
 */
export async function recordFact(tx: PoolClient, table: FactTable, event: ProjectionEvent, key: string, patch: FactPatch): Promise<void> {
  const res = await tx.query<CurrentRow>(
    `SELECT c.event_id, c.stream_version, c.valid_from,
            EXISTS (SELECT 1 FROM ${table.name} WHERE tenant_id = $1 AND event_id = $3) AS already
     FROM (SELECT 1) AS one
     LEFT JOIN LATERAL (
       SELECT event_id, stream_version, valid_from FROM ${table.name}
       WHERE tenant_id = $1 AND ${table.key} = $2 AND valid_to = 'infinity' FOR UPDATE
     ) c ON true`,
    [event.tenantId, key, event.eventId],
  );
  const current = res.rows[0];
  if (current.already) return;
  const hasCurrent = current.event_id !== null;
  // Several events of a staged change share one stream version (ADR 0009): only an older version is stale.
  if (hasCurrent && event.streamVersion < current.stream_version) return;
  const recordedAt = new Date(event.recordedAt);
  const validFrom = hasCurrent && current.valid_from > recordedAt ? current.valid_from : recordedAt;
  if (hasCurrent) {
    await tx.query(`UPDATE ${table.name} SET valid_to = $3 WHERE tenant_id = $1 AND event_id = $2`, [event.tenantId, current.event_id, validFrom]);
  }
  const columns = Object.keys(table.columns);
  const params: unknown[] = [event.tenantId, key, event.eventId, event.streamVersion, recordedAt, validFrom, hasCurrent ? current.event_id : null];
  const values = columns.map((column) => {
    if (!Object.hasOwn(patch, column)) return `prev.${column}`;
    const type = table.columns[column];
    const value = patch[column];
    params.push(type === 'jsonb' && value !== null ? JSON.stringify(value) : value);
    return `$${params.length}::${type}`;
  });
  await tx.query(
    `INSERT INTO ${table.name} (tenant_id, ${table.key}, event_id, stream_version, recorded_at, valid_from, ${columns.join(', ')})
     SELECT $1, $2, $3, $4, $5, $6, ${values.join(', ')}
     FROM (SELECT 1) AS one LEFT JOIN ${table.name} prev ON prev.tenant_id = $1 AND prev.event_id = $7`,
    params,
  );
}
