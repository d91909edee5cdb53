import type { PoolClient } from 'pg';
import type { DurableScheduler, ScheduleRequest } from '@pm/platform/scheduler';
import { tenantDueCalendar } from '@pm/risk/data-access';
import { dueMoment, overdueFrom } from '@pm/risk/domain';
import type { RiskStreamEvent } from '@pm/risk/domain';

export const REVIEW_DUE = 'risk-review-due';
export const ACTION_DUE = 'mitigation-action-due';

export type ReviewDuePayload = { readonly riskId: string; readonly reviewOn: string };
/** `dueOn` lets a change of the tenant calendar move the item without loading the risk (absent on items scheduled before it). */
export type ActionDuePayload = { readonly riskId: string; readonly actionId: string; readonly dueOn?: string };

/** An action's item key: the risk id (a UUID, no colon) then the client's action id, taken as data. */
export const actionKey = (riskId: string, actionId: string): string => `${riskId}:${actionId}`;

type DueChange = { readonly schedule: ScheduleRequest; readonly dueOn: string } | { readonly cancel: { readonly kind: string; readonly key: string } };

/**
 * What the decided events change (`dueAt` here is the end of the day in UTC; `applyDueChanges` puts it on the tenant's
 * calendar) in the risk's due items: a review date or an action's due date schedules one (a new
 * review date replaces the old item), a completed action or a settled risk removes it. Written in the transaction
 * that appends the events, so a due date is never stored without its timer, nor a timer without its date.
 */
export function dueChangesOf(tenantId: string, events: readonly RiskStreamEvent[]): DueChange[] {
  const changes: DueChange[] = [];
  for (const e of events) {
    if (e.type === 'RiskReviewScheduled') {
      const payload: ReviewDuePayload = { riskId: e.data.riskId, reviewOn: e.data.reviewOn };
      changes.push({ schedule: { tenantId, kind: REVIEW_DUE, key: e.data.riskId, dueAt: new Date(overdueFrom(e.data.reviewOn)), payload }, dueOn: e.data.reviewOn });
    } else if (e.type === 'MitigationActionAdded') {
      const payload: ActionDuePayload = { riskId: e.data.riskId, actionId: e.data.actionId, dueOn: e.data.dueOn };
      changes.push({ schedule: { tenantId, kind: ACTION_DUE, key: actionKey(e.data.riskId, e.data.actionId), dueAt: new Date(overdueFrom(e.data.dueOn)), payload }, dueOn: e.data.dueOn });
    } else if (e.type === 'MitigationActionCompleted') {
      changes.push({ cancel: { kind: ACTION_DUE, key: actionKey(e.data.riskId, e.data.actionId) } });
    } else if (e.type === 'RiskStatusChanged' && (e.data.to === 'closed' || e.data.to === 'occurred')) {
      changes.push({ cancel: { kind: REVIEW_DUE, key: e.data.riskId } });
    }
  }
  return changes;
}

/** Applies the changes in the command's transaction, each due time on the tenant's calendar and time zone (`dueMoment`). */
export async function applyDueChanges(scheduler: DurableScheduler, tenantId: string, changes: readonly DueChange[], tx: PoolClient): Promise<void> {
  const tenant = changes.some((c) => 'schedule' in c) ? await tenantDueCalendar(tx, tenantId) : undefined;
  for (const change of changes) {
    if ('schedule' in change) {
      const dueAt = tenant === undefined ? change.schedule.dueAt : new Date(dueMoment(tenant.calendar, tenant.timeZone, change.dueOn));
      await scheduler.schedule({ ...change.schedule, dueAt }, { tx });
    }
    else await scheduler.cancel(tenantId, change.cancel.kind, change.cancel.key, { tx });
  }
}
