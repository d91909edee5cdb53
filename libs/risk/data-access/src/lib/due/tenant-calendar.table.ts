import { DEFAULT_TIME_ZONE, STANDARD_DUE_CALENDAR } from '@pm/risk/domain';
import type { DueCalendar } from '@pm/risk/domain';

interface Queryable {
  query<R extends object>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

export interface TenantDueCalendar {
  readonly calendar: DueCalendar;
  readonly timeZone: string;
}

/**
 * Keeps planning's latest default calendar of the tenant; an older event (a redelivery after a newer one) changes nothing.
 * True when the row changed.
 */
export async function recordTenantCalendar(q: Queryable, tenantId: string, calendar: DueCalendar, eventId: string, setAt: string): Promise<boolean> {
  const res = await q.query(
    `INSERT INTO risk_tenant_calendars (tenant_id, calendar, event_id, set_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id) DO UPDATE SET calendar = EXCLUDED.calendar, event_id = EXCLUDED.event_id, set_at = EXCLUDED.set_at
     WHERE risk_tenant_calendars.set_at IS NULL OR risk_tenant_calendars.set_at <= EXCLUDED.set_at`,
    [tenantId, JSON.stringify({ workingWeekdays: calendar.workingWeekdays, holidays: calendar.holidays, exceptions: calendar.exceptions }), eventId, setAt],
  );
  return (res.rowCount ?? 0) > 0;
}

/** The tenant's time zone for due dates (IANA name, checked by the caller). */
export async function recordTenantTimeZone(q: Queryable, tenantId: string, timeZone: string): Promise<void> {
  await q.query(
    `INSERT INTO risk_tenant_calendars (tenant_id, time_zone) VALUES ($1, $2) ON CONFLICT (tenant_id) DO UPDATE SET time_zone = EXCLUDED.time_zone`,
    [tenantId, timeZone],
  );
}

/** The tenant's calendar and time zone for due dates: the standard calendar and UTC until told otherwise. */
export async function tenantDueCalendar(q: Queryable, tenantId: string): Promise<TenantDueCalendar> {
  const res = await q.query<{ calendar: DueCalendar | null; time_zone: string | null }>('SELECT calendar, time_zone FROM risk_tenant_calendars WHERE tenant_id = $1', [tenantId]);
  const row = res.rows[0];
  return { calendar: row?.calendar ?? STANDARD_DUE_CALENDAR, timeZone: row?.time_zone ?? DEFAULT_TIME_ZONE };
}

/** A pending due item of the tenant (the durable scheduler's table in this database), to be moved when its calendar changes. */
export interface PendingDueItem {
  readonly kind: string;
  readonly key: string;
  readonly dueAt: Date;
  readonly payload: Record<string, unknown>;
}

/** The tenant's pending items of these kinds, read in the caller's transaction. */
export async function pendingDueItems(q: Queryable, tenantId: string, kinds: readonly string[]): Promise<PendingDueItem[]> {
  const res = await q.query<{ kind: string; key: string; due_at: Date; payload: Record<string, unknown> | null }>(
    `SELECT kind, key, due_at, payload FROM scheduler_items WHERE tenant_id = $1 AND state = 'pending' AND kind = ANY($2::text[])`,
    [tenantId, [...kinds]],
  );
  return res.rows.map((r) => ({ kind: r.kind, key: r.key, dueAt: r.due_at, payload: r.payload ?? {} }));
}
