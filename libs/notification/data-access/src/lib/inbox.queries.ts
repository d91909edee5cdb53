import type { Pool } from 'pg';

export interface InboxItem {
  readonly notificationId: string;
  readonly seq: number;
  readonly eventType: string;
  readonly severity: string;
  readonly subject: { readonly kind: string; readonly id: string; readonly projectId: string | null };
  readonly title: string;
  readonly reason: unknown;
  readonly sourceEventId: string;
  readonly createdAt: string;
  readonly read: boolean;
  readonly archived: boolean;
}

export interface InboxPage {
  readonly items: InboxItem[];
  readonly page: { readonly limit: number; readonly next: string | null };
}

interface InboxRow {
  notification_id: string;
  seq: string;
  event_type: string;
  severity: string;
  subject: InboxItem['subject'];
  title: string;
  reason: unknown;
  source_event_id: string;
  created_at: Date;
  read: boolean;
  archived: boolean;
}

const COLUMNS = `i.notification_id, i.seq, i.event_type, i.severity, i.subject, i.title, i.reason, i.source_event_id, i.created_at,
  (i.read_at IS NOT NULL OR (h.read_up_to IS NOT NULL AND i.created_at <= h.read_up_to)) AS read, i.archived_at IS NOT NULL AS archived`;

const toItem = (r: InboxRow): InboxItem => ({
  notificationId: r.notification_id,
  seq: Number(r.seq),
  eventType: r.event_type,
  severity: r.severity,
  subject: r.subject,
  title: r.title,
  reason: r.reason,
  sourceEventId: r.source_event_id,
  createdAt: r.created_at.toISOString(),
  read: r.read,
  archived: r.archived,
});

/** A person's inbox, and nothing but theirs: every query takes the tenant and the recipient from the caller's token. */
export class InboxQueries {
  constructor(private readonly pool: Pool) {}

  /** Newest first; `after` is the last notification id of the previous page (`page.next`). */
  async list(tenantId: string, recipientId: string, options: { limit: number; after?: string; unread?: boolean; archived?: boolean }): Promise<InboxPage> {
    const params: unknown[] = [tenantId, recipientId, options.limit + 1, options.archived ?? false];
    let where = 'i.tenant_id = $1 AND i.recipient_id = $2 AND (i.archived_at IS NOT NULL) = $4';
    if (options.unread) where += ' AND i.read_at IS NULL AND (h.read_up_to IS NULL OR i.created_at > h.read_up_to)';
    if (options.after !== undefined) {
      params.push(options.after);
      where += ` AND i.seq < (SELECT seq FROM notification_inbox WHERE tenant_id = $1 AND recipient_id = $2 AND notification_id = $${params.length})`;
    }
    const { rows } = await this.pool.query<InboxRow>(
      `SELECT ${COLUMNS} FROM notification_inbox i LEFT JOIN notification_inbox_heads h ON h.tenant_id = i.tenant_id AND h.recipient_id = i.recipient_id
       WHERE ${where} ORDER BY i.seq DESC LIMIT $3`,
      params,
    );
    const items = rows.slice(0, options.limit).map(toItem);
    return { items, page: { limit: options.limit, next: rows.length > options.limit ? (items.at(-1)?.notificationId ?? null) : null } };
  }

  async unreadCount(tenantId: string, recipientId: string): Promise<number> {
    const { rows } = await this.pool.query<{ unread: number }>('SELECT unread FROM notification_inbox_heads WHERE tenant_id = $1 AND recipient_id = $2', [tenantId, recipientId]);
    return rows[0]?.unread ?? 0;
  }

  /** What arrived after `afterSeq`, oldest first: the SSE stream's next events. */
  async arrivedAfter(tenantId: string, recipientId: string, afterSeq: number, limit: number): Promise<InboxItem[]> {
    const { rows } = await this.pool.query<InboxRow>(
      `SELECT ${COLUMNS} FROM notification_inbox i LEFT JOIN notification_inbox_heads h ON h.tenant_id = i.tenant_id AND h.recipient_id = i.recipient_id
       WHERE i.tenant_id = $1 AND i.recipient_id = $2 AND i.seq > $3 ORDER BY i.seq LIMIT $4`,
      [tenantId, recipientId, afterSeq, limit],
    );
    return rows.map(toItem);
  }

  async lastSeq(tenantId: string, recipientId: string): Promise<number> {
    const { rows } = await this.pool.query<{ last_seq: string }>('SELECT last_seq FROM notification_inbox_heads WHERE tenant_id = $1 AND recipient_id = $2', [tenantId, recipientId]);
    return Number(rows[0]?.last_seq ?? 0);
  }
}
