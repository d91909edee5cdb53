import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { parseEventData } from '@pm/contracts';
import type { ProjectionEvent } from '@pm/platform/projections';
import { DurableScheduler } from '@pm/platform/scheduler';
import type { JsonValue } from '@pm/platform/scheduler';
import { pendingDueItems, recordTenantCalendar, recordTenantTimeZone, tenantDueCalendar } from '@pm/risk/data-access';
import { dueMoment } from '@pm/risk/domain';
import { ACTION_DUE, REVIEW_DUE } from './due-items';

export const DEFAULT_CALENDAR_SET = 'pm.planning.DefaultCalendarSet';

/**
 * Planning's tenant default calendar (ADR 0104) → `risk_tenant_calendars`, in the consumer's inbox transaction, and the
 * tenant's pending due items moved to their due moment on it (ADR 0302, "Due moment"). A review item carries its date;
 * an action item carries its due date since this step (older ones are left where they are and re-checked when they fire,
 * which moves a late moment but cannot bring an early one forward).
 */
@Injectable()
export class TenantCalendarReactor {
  constructor(private readonly scheduler: DurableScheduler) {}

  async apply(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    if (event.type !== DEFAULT_CALENDAR_SET) return;
    const d = parseEventData(DEFAULT_CALENDAR_SET, event.schemaVersion, event.data).data;
    if (await recordTenantCalendar(tx, event.tenantId, d.calendar, event.eventId, d.setAt)) await this.reschedule(event.tenantId, tx);
  }

  /** The tenant's time zone changed (risk settings): its pending items move too. */
  async timeZoneSet(tenantId: string, timeZone: string, tx: PoolClient): Promise<void> {
    await recordTenantTimeZone(tx, tenantId, timeZone);
    await this.reschedule(tenantId, tx);
  }

  async reschedule(tenantId: string, tx: PoolClient): Promise<void> {
    const { calendar, timeZone } = await tenantDueCalendar(tx, tenantId);
    for (const item of await pendingDueItems(tx, tenantId, [REVIEW_DUE, ACTION_DUE])) {
      const dueOn = item.kind === REVIEW_DUE ? item.payload['reviewOn'] : item.payload['dueOn'];
      if (typeof dueOn !== 'string') continue;
      const dueAt = new Date(dueMoment(calendar, timeZone, dueOn));
      if (dueAt.getTime() !== item.dueAt.getTime()) await this.scheduler.schedule({ tenantId, kind: item.kind, key: item.key, dueAt, payload: item.payload as JsonValue }, { tx });
    }
  }
}
