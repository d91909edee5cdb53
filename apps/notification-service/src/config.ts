import { z } from 'zod';
import type { Clock } from '@pm/platform/request-context';

const envSchema = z.object({
  PG_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/pm_notification'),
  NOTIFICATION_CONSUMER_GROUP: z.string().min(1).default('notification-service'),
  /** How often an open inbox stream looks for notifications another replica wrote (ms). */
  INBOX_STREAM_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** How long a stream ticket may wait for its single use (s). */
  STREAM_TICKET_TTL_SECONDS: z.coerce.number().int().min(5).max(300).default(30),
  /** Events older than this (a new group replaying history) teach the directory but notify nobody (min). */
  NOTIFY_MAX_EVENT_AGE_MINUTES: z.coerce.number().int().min(1).max(525_600).default(1440),
  /** The longest sleep of the scheduler (escalations, communication plans): how late another replica's item is seen at worst (ms). */
  SCHEDULER_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
});

export interface NotificationServiceConfig {
  readonly pgUrl: string;
  readonly consumerGroupId?: string;
  readonly streamPollMs?: number;
  readonly ticketTtlSeconds?: number;
  readonly maxEventAgeMinutes?: number;
  readonly schedulerPollMs?: number;
  /** The scheduler's clock; tests move a ManualClock instead of waiting for an escalation time to pass. */
  readonly clock?: Clock;
}

/** Fails the boot with every bad variable named, rather than at first use. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): NotificationServiceConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`notification-service configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const d = parsed.data;
  return { pgUrl: d.PG_URL, consumerGroupId: d.NOTIFICATION_CONSUMER_GROUP, streamPollMs: d.INBOX_STREAM_POLL_MS, ticketTtlSeconds: d.STREAM_TICKET_TTL_SECONDS, maxEventAgeMinutes: d.NOTIFY_MAX_EVENT_AGE_MINUTES, schedulerPollMs: d.SCHEDULER_POLL_MS };
}
