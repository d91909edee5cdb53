import type { PoolClient } from 'pg';
import { prepared } from '@pm/platform/event-store';

/** project_summaries columns and their SQL types, for writing many rows in one statement. */
const COLUMNS: Readonly<Record<string, string>> = {
  tenant_id: 'text',
  project_id: 'uuid',
  name: 'text',
  code: 'text',
  description: 'text',
  status: 'text',
  priority: 'text',
  start_date: 'date',
  target_finish_date: 'date',
  sponsor: 'text',
  manager_id: 'text',
  currency: 'text',
  calendar_id: 'text',
  created_at: 'timestamptz',
  stream_version: 'integer',
  updated_at: 'timestamptz',
};

export type SummaryRow = Record<string, unknown>;

/** One event's change to a project's row, in the order the events came: a create, or a field set at a version. */
export type SummaryChange =
  | { readonly kind: 'created'; readonly row: SummaryRow }
  | {
      readonly kind: 'set';
      readonly tenantId: string;
      readonly projectId: string;
      readonly column: 'name' | 'status';
      readonly value: string;
      readonly streamVersion: number;
      readonly at: string;
    };

/** A project's key: its id compared as PostgreSQL compares uuids (rows come back in lower case). */
const id = (tenant: unknown, project: unknown) => `${String(tenant)}\u0000${String(project).toLowerCase()}`;

/**
 * The rows of the projects the changes touch, locked, folded in memory with the per-event rules (a create of an
 * existing row does nothing; a field is set only by a newer stream version; a change of a row that does not exist
 * calls `missing`, which throws) and written back in one statement.
 */
export async function writeSummaries(tx: PoolClient, changes: readonly SummaryChange[], missing: (projectId: string) => never): Promise<void> {
  if (changes.length === 0) return;
  const keys = changes.map((c) => (c.kind === 'created' ? [String(c.row.tenant_id), String(c.row.project_id)] : [c.tenantId, c.projectId]));
  // Unnamed: planned for the table as it is (see portfolio-facts.batch-writer.ts); the upsert's plan does not depend on it.
  const current = await tx.query<{ row: SummaryRow }>(CURRENT_ROWS_SQL, [keys.map((k) => k[0]), keys.map((k) => k[1])]);
  const rows = new Map(current.rows.map((r) => [id(r.row.tenant_id, r.row.project_id), r.row]));
  const changed = new Map<string, SummaryRow>();
  for (const c of changes) {
    if (c.kind === 'created') {
      const k = id(c.row.tenant_id, c.row.project_id);
      if (!rows.has(k)) {
        rows.set(k, c.row);
        changed.set(k, c.row);
      }
      continue;
    }
    const k = id(c.tenantId, c.projectId);
    const row = rows.get(k);
    if (!row) missing(c.projectId);
    if (Number(row.stream_version) >= c.streamVersion) continue;
    Object.assign(row, { [c.column]: c.value, stream_version: c.streamVersion, updated_at: c.at });
    changed.set(k, row);
  }
  if (changed.size === 0) return;
  await tx.query(prepared(UPSERT_SQL, [JSON.stringify([...changed.values()])]));
}

const CURRENT_ROWS_SQL = `SELECT to_jsonb(s) AS row FROM project_summaries s
  WHERE (s.tenant_id, s.project_id) IN (SELECT * FROM unnest($1::text[], $2::uuid[])) FOR UPDATE`;

const UPSERT_COLUMNS = Object.keys(COLUMNS);
const UPSERT_SQL = `INSERT INTO project_summaries (${UPSERT_COLUMNS.join(', ')})
  SELECT ${UPSERT_COLUMNS.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${UPSERT_COLUMNS.map((c) => `${c} ${COLUMNS[c]}`).join(', ')})
  ON CONFLICT (tenant_id, project_id) DO UPDATE SET ${UPSERT_COLUMNS.filter((c) => c !== 'tenant_id' && c !== 'project_id')
    .map((c) => `${c} = EXCLUDED.${c}`)
    .join(', ')}`;
