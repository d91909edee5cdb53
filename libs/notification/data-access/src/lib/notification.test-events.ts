import type { ProjectionEvent } from '@pm/platform/projections';

/**
 * Specs' builder of the notification service's events as its projections receive them: one tenant, one stream, the
 * n-th event's id from `eventId(n)`.
 */
export function notificationEvents(tenantId: string, eventId: (n: number) => string): (type: string, data: object) => ProjectionEvent {
  let n = 0;
  return (type, data) => ({
    eventId: eventId(++n),
    type: `pm.notification.${type}`,
    schemaVersion: 1,
    tenantId,
    streamId: 's',
    streamVersion: 1,
    occurredAt: '2026-03-03T10:00:00.000Z',
    recordedAt: '2026-03-03T10:00:00.000Z',
    data,
  });
}
