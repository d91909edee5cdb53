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
  /**
   * Partitions the consumer works on at once, each in its own transaction. A notification is mostly waiting on
   * PostgreSQL round trips (routing reads, the appends, the inbox rows), so a few partitions side by side multiply
   * throughput; people told by two partitions at once wait for each other's head row (ADR 0401).
   */
  readonly consumerConcurrency: number;
  /**
   * The source consumer's transaction takes no further message once it has run this long (ms; EventConsumer's
   * maxBatchMs, whose platform default is 100). A notification's handler routes with reads in the transaction and its
   * writes are made together at the end (ADR 0019), so under load a short bound cut batches into transactions of 3 to
   * 5 messages, each paying the fixed statements again (BEGIN, the inbox insert and the DELETE of the rows it could
   * not apply, the flush, COMMIT): bench:notify at 50 events/s put 100 ms against 1000 ms (ADR 0405).
   */
  readonly consumerMaxBatchMs: number;
}

export function notificationOptions(options: Partial<NotificationOptions> = {}): NotificationOptions {
  return { consumerGroupId: NOTIFICATION_SERVICE, streamPollMs: 1000, ticketTtlSeconds: 30, maxEventAgeMinutes: 1440, consumerConcurrency: 3, consumerMaxBatchMs: 1000, ...options };
}
