import type { PoolClient } from 'pg';
import { parseEventData } from '@pm/contracts';
import type { Projection, ProjectionEvent } from '@pm/platform/projections';

const T = {
  created: 'pm.notification.NotificationCreated',
  read: 'pm.notification.NotificationRead',
  archived: 'pm.notification.NotificationArchived',
  allRead: 'pm.notification.InboxMarkedAllRead',
} as const;

/** Unread: not read, not archived, created after the recipient's mark-all-read watermark. */
const UNREAD = `read_at IS NULL AND archived_at IS NULL AND (h.read_up_to IS NULL OR created_at > h.read_up_to)`;

/**
 * The in-app inbox (ADR 0401). Idempotent per event: a notification row is inserted once (its id is derived), read
 * and archive stamps are set once, the watermark only moves forward, so applying an event again (the runner after
 * the write's own transaction, a rebuild) changes nothing. E-mail notifications have no inbox row.
 */
export class InboxProjection implements Projection {
  readonly name = 'notification-inbox';
  readonly handles: readonly string[] = Object.values(T);

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE notification_inbox, notification_inbox_heads');
  }

  async apply(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    const tenant = event.tenantId;
    switch (event.type) {
      case T.created: {
        const d = parseEventData(T.created, event.schemaVersion, event.data).data;
        if (d.channel !== 'in-app') return;
        // The head row is the recipient's lock: seqs are taken and committed in one order, so a reader never sees n+1 before n.
        const head = await tx.query<{ last_seq: string }>(
          `INSERT INTO notification_inbox_heads (tenant_id, recipient_id) VALUES ($1, $2)
           ON CONFLICT (tenant_id, recipient_id) DO UPDATE SET last_seq = notification_inbox_heads.last_seq RETURNING last_seq`,
          [tenant, d.recipientId],
        );
        const seq = Number(head.rows[0].last_seq) + 1;
        const inserted = await tx.query(
          `INSERT INTO notification_inbox (tenant_id, notification_id, recipient_id, seq, source_event_id, event_type, severity, subject, project_id, title, reason, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
          [tenant, d.notificationId, d.recipientId, seq, d.source.eventId, d.source.eventType, d.severity, JSON.stringify(d.subject), d.subject.projectId, d.title, JSON.stringify(d.reason), d.createdAt],
        );
        if (inserted.rowCount === 1) {
          await tx.query(`UPDATE notification_inbox_heads SET last_seq = $3, unread = unread + 1 WHERE tenant_id = $1 AND recipient_id = $2`, [tenant, d.recipientId, seq]);
        }
        return;
      }
      case T.read: {
        const d = parseEventData(T.read, event.schemaVersion, event.data).data;
        return this.stamp(tx, tenant, d.recipientId, d.notificationId, 'read_at', d.readAt);
      }
      case T.archived: {
        const d = parseEventData(T.archived, event.schemaVersion, event.data).data;
        return this.stamp(tx, tenant, d.recipientId, d.notificationId, 'archived_at', d.archivedAt);
      }
      case T.allRead: {
        const d = parseEventData(T.allRead, event.schemaVersion, event.data).data;
        await tx.query(
          `INSERT INTO notification_inbox_heads (tenant_id, recipient_id, read_up_to) VALUES ($1, $2, $3)
           ON CONFLICT (tenant_id, recipient_id) DO UPDATE SET read_up_to = GREATEST(notification_inbox_heads.read_up_to, EXCLUDED.read_up_to)`,
          [tenant, d.recipientId, d.readUpTo],
        );
        // Counting what is still unread after the watermark is usually nothing: only what arrived after the click.
        await tx.query(
          `UPDATE notification_inbox_heads h SET unread = (SELECT count(*) FROM notification_inbox WHERE tenant_id = h.tenant_id AND recipient_id = h.recipient_id AND ${UNREAD})
           WHERE h.tenant_id = $1 AND h.recipient_id = $2`,
          [tenant, d.recipientId],
        );
        return;
      }
      default:
        return;
    }
  }

  /** Sets a stamp once; the unread count drops when the row was unread before it. */
  private async stamp(tx: PoolClient, tenant: string, recipient: string, notificationId: string, column: 'read_at' | 'archived_at', at: string): Promise<void> {
    // The head row first, as a notification's insert takes it: the same lock order in every path, so a read racing the
    // runner's re-application of the notification's creation waits instead of deadlocking.
    await tx.query('SELECT 1 FROM notification_inbox_heads WHERE tenant_id = $1 AND recipient_id = $2 FOR UPDATE', [tenant, recipient]);
    const changed = await tx.query<{ was_unread: boolean }>(
      `WITH h AS (SELECT read_up_to FROM notification_inbox_heads WHERE tenant_id = $1 AND recipient_id = $2),
            before AS (SELECT notification_id, (${UNREAD}) AS was_unread FROM notification_inbox, h WHERE tenant_id = $1 AND notification_id = $3 AND ${column} IS NULL FOR UPDATE OF notification_inbox)
       UPDATE notification_inbox n SET ${column} = $4 FROM before WHERE n.tenant_id = $1 AND n.notification_id = before.notification_id RETURNING before.was_unread`,
      [tenant, recipient, notificationId, at],
    );
    if (changed.rows[0]?.was_unread) {
      await tx.query(`UPDATE notification_inbox_heads SET unread = GREATEST(unread - 1, 0) WHERE tenant_id = $1 AND recipient_id = $2`, [tenant, recipient]);
    }
  }
}
