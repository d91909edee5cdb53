import type { EmailOptions } from '../email/email-options';

export const NOTIFICATION_SERVICE = 'notification-service';
export const NOTIFICATION_OPTIONS = Symbol('NOTIFICATION_OPTIONS');

export interface NotificationOptions {
  /** Consumer group (and inbox name) on the other contexts' topics; tests use one of their own. */
  readonly consumerGroupId: string;
  /** How often an open SSE stream looks for rows another replica wrote, when no local commit woke it (ms). */
  readonly streamPollMs: number;
  /** How long a stream ticket may wait for its first use (s). */
  readonly ticketTtlSeconds: number;
  /**
   * A new consumer group reads every topic from its first offset, so the directory learns every project's manager; but
   * only events younger than this are told to anyone (min): a fresh database does not announce last year's slips.
   */
  readonly maxEventAgeMinutes: number;
  /** SMTP server, default sender, links and retries of e-mail (ADR 0402). */
  readonly email?: Partial<EmailOptions>;
}

export function notificationOptions(options: Partial<NotificationOptions> = {}): NotificationOptions {
  return { consumerGroupId: NOTIFICATION_SERVICE, streamPollMs: 1000, ticketTtlSeconds: 30, maxEventAgeMinutes: 1440, ...options };
}
