import type { PoolClient } from 'pg';
import { parseEventData } from '@pm/contracts';
import type { Projection, ProjectionEvent } from '@pm/platform/projections';

const T = {
  created: 'pm.notification.NotificationCreated',
  attempted: 'pm.notification.EmailDeliveryAttempted',
  sent: 'pm.notification.EmailSent',
  failed: 'pm.notification.EmailDeliveryFailed',
} as const;

/** A settled row (sent or failed) never moves again, so applying an event twice or late changes nothing. */
const OPEN = `status IN ('scheduled', 'retrying')`;

/**
 * E-mail notifications and where each delivery stands (ADR 0402). Applied in the transaction that appends the events
 * (the consumer's for a new notification, the timer's for an outcome); idempotent per event.
 */
export class EmailDeliveriesProjection implements Projection {
  readonly name = 'notification-email-deliveries';
  readonly handles: readonly string[] = Object.values(T);

  async apply(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    const tenant = event.tenantId;
    switch (event.type) {
      case T.created:
        return this.created(event, tx);
      case T.attempted: {
        const d = parseEventData(T.attempted, event.schemaVersion, event.data).data;
        await tx.query(
          `UPDATE notification_email_deliveries SET status = 'retrying', email_id = $3, attempts = $4, last_reply_code = $5, next_attempt_at = $6
           WHERE tenant_id = $1 AND notification_id = ANY($2::uuid[]) AND ${OPEN} AND attempts < $4`,
          [tenant, d.notificationIds, d.emailId, d.attempt, d.reply.code, d.nextAttemptAt],
        );
        return;
      }
      case T.sent: {
        const d = parseEventData(T.sent, event.schemaVersion, event.data).data;
        return this.settle(tx, tenant, d.notificationIds, { status: 'sent', emailId: d.emailId, attempts: d.attempts, code: d.reply.code, reason: null, at: d.sentAt });
      }
      case T.failed: {
        const d = parseEventData(T.failed, event.schemaVersion, event.data).data;
        return this.settle(tx, tenant, d.notificationIds, { status: 'failed', emailId: d.emailId, attempts: d.attempts, code: d.reply.code, reason: d.reason, at: d.failedAt });
      }
      default:
        return;
    }
  }

  /**
   * New e-mail notifications of the batch in one INSERT, then the outcomes in order. Creation rows only ever insert
   * (a row is never overwritten) and an outcome only moves a row that exists, so writing the batch's creations first
   * gives the rows applying the events one by one gives.
   */
  async applyBatch(events: readonly ProjectionEvent[], tx: PoolClient): Promise<void> {
    const created = events.filter((e) => e.type === T.created);
    await this.insertCreated(created, tx);
    const outcomes = events.filter((e) => e.type !== T.created);
    if (!(await this.settleTogether(outcomes, tx))) for (const event of outcomes) await this.apply(event, tx);
  }

  /**
   * A batch of outcomes that are all final (sent or failed) and name each notification once settles in one UPDATE:
   * the order between them cannot matter then. Anything else (a retry among them, a notification named twice) is
   * left to the one-by-one path; false then.
   */
  private async settleTogether(outcomes: readonly ProjectionEvent[], tx: PoolClient): Promise<boolean> {
    if (outcomes.length < 2 || outcomes.some((e) => e.type !== T.sent && e.type !== T.failed)) return false;
    const rows: Array<[string, string, 'sent' | 'failed', string, number, number | null, string | null, string]> = [];
    for (const event of outcomes) {
      if (event.type === T.sent) {
        const d = parseEventData(T.sent, event.schemaVersion, event.data).data;
        for (const id of d.notificationIds) rows.push([event.tenantId, id, 'sent', d.emailId, d.attempts, d.reply.code, null, d.sentAt]);
      } else {
        const d = parseEventData(T.failed, event.schemaVersion, event.data).data;
        for (const id of d.notificationIds) rows.push([event.tenantId, id, 'failed', d.emailId, d.attempts, d.reply.code, d.reason, d.failedAt]);
      }
    }
    if (new Set(rows.map(([t, id]) => `${t}\u0000${id}`)).size !== rows.length) return false;
    const col = <I extends number>(i: I) => rows.map((r) => r[i]);
    // Unnamed: a kept generic plan made while the table was small would hash-join it whole, however large it grew.
    await tx.query({
      text: `UPDATE notification_email_deliveries d SET status = u.status, email_id = u.email_id, attempts = u.attempts, last_reply_code = u.code,
               failure_reason = u.reason, settled_at = u.at, next_attempt_at = NULL
             FROM unnest($1::text[], $2::uuid[], $3::text[], $4::uuid[], $5::int[], $6::int[], $7::text[], $8::timestamptz[])
               AS u(tenant_id, notification_id, status, email_id, attempts, code, reason, at)
             WHERE d.tenant_id = u.tenant_id AND d.notification_id = u.notification_id AND d.${OPEN}`,
      values: [col(0), col(1), col(2), col(3), col(4), col(5), col(6), col(7)],
    });
    return true;
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE notification_email_deliveries');
  }

  private async created(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    await this.insertCreated([event], tx);
  }

  /** Only e-mail notifications have a row; its due time is `at`'s, or the creation for `now`, none for the digest. */
  private async insertCreated(events: readonly ProjectionEvent[], tx: PoolClient): Promise<void> {
    const rows = events
      .map((event) => ({ tenantId: event.tenantId, d: parseEventData(T.created, event.schemaVersion, event.data).data }))
      .filter(({ d }) => d.channel === 'email');
    if (rows.length === 0) return;
    const col = <V>(pick: (r: (typeof rows)[number]) => V): V[] => rows.map(pick);
    await tx.query({
      name: 'email_deliveries_insert_created',
      text: `INSERT INTO notification_email_deliveries (tenant_id, notification_id, recipient_id, mode, due_at, event_type, severity, subject, title, occurred_at, created_at)
             SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::jsonb[], $9::text[], $10::timestamptz[], $11::timestamptz[])
             ON CONFLICT DO NOTHING`,
      values: [
        col((r) => r.tenantId),
        col((r) => r.d.notificationId),
        col((r) => r.d.recipientId),
        col((r) => r.d.delivery.mode),
        col(({ d }) => (d.delivery.mode === 'at' ? d.delivery.at : d.delivery.mode === 'now' ? d.createdAt : null)),
        col((r) => r.d.source.eventType),
        col((r) => r.d.severity),
        col((r) => JSON.stringify(r.d.subject)),
        col((r) => r.d.title),
        col((r) => r.d.source.occurredAt),
        col((r) => r.d.createdAt),
      ],
    });
  }

  private async settle(
    tx: PoolClient,
    tenant: string,
    notificationIds: readonly string[],
    s: { status: 'sent' | 'failed'; emailId: string; attempts: number; code: number | null; reason: string | null; at: string },
  ): Promise<void> {
    await tx.query(
      `UPDATE notification_email_deliveries SET status = $3, email_id = $4, attempts = $5, last_reply_code = $6, failure_reason = $7, settled_at = $8, next_attempt_at = NULL
       WHERE tenant_id = $1 AND notification_id = ANY($2::uuid[]) AND ${OPEN}`,
      [tenant, [...notificationIds], s.status, s.emailId, s.attempts, s.code, s.reason, s.at],
    );
  }
}
