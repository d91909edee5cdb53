export const NOTIFICATION_SERVICE = 'notification-service';
export const NOTIFICATION_OPTIONS = Symbol('NOTIFICATION_OPTIONS');

export interface NotificationOptions {
  /** Consumer group (and inbox name) on the other contexts' topics; tests use one of their own. */
  readonly consumerGroupId: string;
  /** How often an open SSE stream looks for rows another replica wrote, when no local commit woke it (ms). */
  readonly streamPollMs: number;
  /** How long a stream ticket may wait for its first use (s). */
  readonly ticketTtlSeconds: number;
  /** Start the consumer at each topic's first offset (a new group); a fresh database replays everything. */
  readonly fromBeginning: boolean;
}

export function notificationOptions(options: Partial<NotificationOptions> = {}): NotificationOptions {
  return { consumerGroupId: NOTIFICATION_SERVICE, streamPollMs: 1000, ticketTtlSeconds: 30, fromBeginning: false, ...options };
}
