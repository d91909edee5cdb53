import type { Pool, PoolClient } from 'pg';
import { InvalidScheduleRequest, checkDate, checkId } from './scheduler.errors';
import type { JsonValue, ListFilter, ScheduleRequest, ScheduledItem, ScheduledItemState } from './scheduler.types';

export type Queryable = Pick<Pool, 'query'> | PoolClient;

/** A bulk schedule call is bounded like any loop a client controls. */
export const MAX_ITEMS_PER_CALL = 10_000;
const MAX_PAYLOAD_CHARS = 64 * 1024;
const MAX_LIST = 1000;

export interface ItemRow {
  tenant_id: string;
  kind: string;
  key: string;
  due_at: Date;
  payload: JsonValue;
  state: ScheduledItemState;
  attempts: number;
  version: string;
  last_error_code: string | null;
  last_error_message: string | null;
  last_failed_at: Date | null;
  scheduled_at: Date;
}

export const ITEM_COLUMNS =
  'tenant_id, kind, key, due_at, payload, state, attempts, version, last_error_code, last_error_message, last_failed_at, scheduled_at';

export function toItem(row: ItemRow): ScheduledItem {
  return {
    tenantId: row.tenant_id,
    kind: row.kind,
    key: row.key,
    dueAt: row.due_at,
    payload: row.payload,
    state: row.state,
    attempts: row.attempts,
    lastError:
      row.last_error_code === null ? null : { code: row.last_error_code, message: row.last_error_message ?? '', at: row.last_failed_at ?? row.scheduled_at },
    scheduledAt: row.scheduled_at,
  };
}

function serialisePayload(payload: JsonValue | undefined): string {
  const text = JSON.stringify(payload ?? null);
  if (text === undefined || text.length > MAX_PAYLOAD_CHARS) {
    throw new InvalidScheduleRequest(`payload must be JSON of at most ${MAX_PAYLOAD_CHARS} characters (keep a reference, not the data)`);
  }
  return text;
}

/** Upserts items; within one call the last request for a key wins (ON CONFLICT may not touch a row twice). */
export async function upsertItems(db: Queryable, requests: readonly ScheduleRequest[], now: Date): Promise<void> {
  if (requests.length > MAX_ITEMS_PER_CALL) throw new InvalidScheduleRequest(`at most ${MAX_ITEMS_PER_CALL} items per call`);
  const byKey = new Map<string, ScheduleRequest>();
  for (const r of requests) {
    byKey.set(JSON.stringify([checkId('tenantId', r.tenantId), checkId('kind', r.kind, 100), checkId('key', r.key)]), r);
  }
  const items = [...byKey.values()];
  if (items.length === 0) return;
  await db.query(
    `INSERT INTO scheduler_items (tenant_id, kind, key, due_at, payload, scheduled_at, updated_at)
     SELECT i.tenant_id, i.kind, i.key, i.due_at, i.payload, $6, $6
     FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::jsonb[]) AS i(tenant_id, kind, key, due_at, payload)
     ON CONFLICT (tenant_id, kind, key) DO UPDATE SET
       due_at = EXCLUDED.due_at, payload = EXCLUDED.payload, state = 'pending', attempts = 0,
       version = scheduler_items.version + 1, last_error_code = NULL, last_error_message = NULL, last_failed_at = NULL,
       scheduled_at = EXCLUDED.scheduled_at, updated_at = EXCLUDED.updated_at`,
    [
      items.map((i) => i.tenantId),
      items.map((i) => i.kind),
      items.map((i) => i.key),
      items.map((i) => checkDate('dueAt', i.dueAt).toISOString()),
      items.map((i) => serialisePayload(i.payload)),
      now.toISOString(),
    ],
  );
}

export async function deleteItem(db: Queryable, tenantId: string, kind: string, key: string): Promise<boolean> {
  const res = await db.query('DELETE FROM scheduler_items WHERE tenant_id = $1 AND kind = $2 AND key = $3', [tenantId, kind, key]);
  return (res.rowCount ?? 0) > 0;
}

export async function findItem(db: Queryable, tenantId: string, kind: string, key: string): Promise<ScheduledItem | undefined> {
  const res = await db.query<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM scheduler_items WHERE tenant_id = $1 AND kind = $2 AND key = $3`, [
    tenantId,
    kind,
    key,
  ]);
  return res.rows.length ? toItem(res.rows[0]) : undefined;
}

/** Diagnostics: items in due order, optionally only one tenant, kind, state or the overdue ones. */
export async function listItems(db: Queryable, filter: ListFilter): Promise<ScheduledItem[]> {
  const limit = Math.min(Math.max(1, Math.trunc(filter.limit ?? 100)), MAX_LIST);
  const res = await db.query<ItemRow>(
    `SELECT ${ITEM_COLUMNS} FROM scheduler_items
     WHERE ($1::text IS NULL OR tenant_id = $1) AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR state = $3)
       AND ($4::timestamptz IS NULL OR due_at <= $4)
     ORDER BY due_at, tenant_id, kind, key LIMIT $5`,
    [filter.tenantId ?? null, filter.kind ?? null, filter.state ?? null, filter.dueBefore?.toISOString() ?? null, limit],
  );
  return res.rows.map(toItem);
}
