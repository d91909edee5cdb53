import type { PoolClient } from 'pg';
import { initialUserPreferences, nextDigestAt } from '@pm/notification/domain';
import type { NotificationCreated, UserPreferences } from '@pm/notification/domain';
import type { DurableScheduler, ScheduleRequest } from '@pm/platform/scheduler';

/** One item per e-mail notification sent on its own (key: the notification id), due now or at the end of quiet hours. */
export const EMAIL_DUE = 'notification-email-due';
/** One item per person with digest notifications (key: the user id), due at their next digest time, re-armed after each. */
export const EMAIL_DIGEST = 'notification-email-digest';

/** A digest being retried keeps its digest time, so its e-mail keeps its id. */
export type DigestPayload = { readonly digestAt?: string };

/**
 * The timers the new e-mail notifications need, written in the transaction that appends them (ADR 0401's "same
 * transaction"): a notification is never stored without its timer. A digest item is created only when the person has
 * none pending: an armed digest keeps its time. With `collect`, the timers due at a time are added to it for the caller
 * to write (in the same transaction); digests are still armed here, each after reading whether one is pending.
 */
export async function scheduleEmailItems(
  scheduler: DurableScheduler,
  client: PoolClient,
  tenantId: string,
  created: readonly NotificationCreated[],
  preferences: ReadonlyMap<string, UserPreferences>,
  now: string,
  collect?: ScheduleRequest[],
): Promise<void> {
  const digests = new Set<string>();
  const due: ScheduleRequest[] = [];
  for (const { data } of created) {
    if (data.channel !== 'email') continue;
    if (data.delivery.mode === 'digest') digests.add(data.recipientId);
    else due.push({ tenantId, kind: EMAIL_DUE, key: data.notificationId, dueAt: new Date(data.delivery.mode === 'at' ? data.delivery.at : now), payload: {} });
  }
  // A consumer batch inserts its timers due now in one statement before its COMMIT (`collect`).
  if (collect) collect.push(...due);
  else if (due.length > 0) await scheduler.scheduleMany(due, { tx: client });
  for (const recipientId of digests) {
    // A pending digest keeps its time; one parked as failed (its handler kept erroring) is revived by new work.
    if ((await scheduler.get(tenantId, EMAIL_DIGEST, recipientId, { tx: client }))?.state === 'pending') continue;
    const prefs = preferences.get(recipientId) ?? initialUserPreferences();
    await scheduler.schedule({ tenantId, kind: EMAIL_DIGEST, key: recipientId, dueAt: new Date(nextDigestAt(prefs.digest, prefs.timeZone, now)), payload: {} }, { tx: client });
  }
}

/**
 * A person who changes their digest time or time zone has their armed digest moved to the new next time, in the
 * transaction of the change; a person with no digest pending has no item and gets one with their next digest e-mail.
 */
export async function rearmDigest(scheduler: DurableScheduler, client: PoolClient, tenantId: string, userId: string, prefs: UserPreferences, now: string): Promise<void> {
  const armed = await scheduler.get(tenantId, EMAIL_DIGEST, userId, { tx: client });
  if (armed === undefined || armed.state !== 'pending') return;
  await scheduler.schedule({ tenantId, kind: EMAIL_DIGEST, key: userId, dueAt: new Date(nextDigestAt(prefs.digest, prefs.timeZone, now)), payload: armed.payload }, { tx: client });
}
