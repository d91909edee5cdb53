import type { Pool } from 'pg';
import { decodeState } from '@pm/shared/ddd';
import type { ScheduleState } from '@pm/planning/domain';

export interface StoredScheduleView {
  readonly version: number;
  readonly state: ScheduleState;
}

/** Reads the schedule read model; always within one tenant, so another tenant's project is simply absent. */
export class ScheduleViewRepository {
  constructor(private readonly pool: Pool) {}

  async find(tenantId: string, projectId: string): Promise<StoredScheduleView | null> {
    const res = await this.pool.query<{ stream_version: number; document: unknown }>(
      'SELECT stream_version, document FROM planning_schedule_views WHERE tenant_id = $1 AND project_id = $2',
      [tenantId, projectId],
    );
    const row = res.rows[0];
    // The document is the schedule state as the snapshot codec writes it (Maps as entry lists).
    return row ? { version: row.stream_version, state: decodeState(row.document) as ScheduleState } : null;
  }

  /** Projects of the tenant whose schedule runs on the tenant's default calendar (none of its own). */
  async projectsFollowingTenantCalendar(tenantId: string, calendarId: string): Promise<string[]> {
    const res = await this.pool.query<{ project_id: string }>(
      `SELECT project_id FROM planning_schedule_views
        WHERE tenant_id = $1 AND document #>> '{calendar,calendarId}' = $2 ORDER BY project_id`,
      [tenantId, calendarId],
    );
    return res.rows.map((r) => r.project_id);
  }
}
