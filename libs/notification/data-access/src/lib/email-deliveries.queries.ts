import type { Pool, PoolClient } from 'pg';

type Queryable = Pick<Pool | PoolClient, 'query'>;

export interface EmailDeliveryRow {
  readonly notificationId: string;
  readonly recipientId: string;
  readonly mode: 'now' | 'at' | 'digest';
  readonly dueAt: string | null;
  readonly eventType: string;
  readonly severity: 'low' | 'medium' | 'high' | 'critical';
  readonly subject: { readonly kind: string; readonly id: string; readonly projectId: string | null };
  readonly title: string;
  readonly occurredAt: string;
  readonly createdAt: string;
  readonly status: 'scheduled' | 'retrying' | 'sent' | 'failed';
  readonly emailId: string | null;
  readonly attempts: number;
  readonly lastReplyCode: number | null;
  readonly nextAttemptAt: string | null;
  readonly failureReason: string | null;
  readonly settledAt: string | null;
}

export interface Recipient {
  readonly email: string | null;
  readonly locale: string | null;
}

/** A digest carries at most this many items (the contract's cap); the rest wait for the next one. */
export const MAX_DIGEST_ITEMS = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

interface Row {
  notification_id: string;
  recipient_id: string;
  mode: EmailDeliveryRow['mode'];
  due_at: Date | null;
  event_type: string;
  severity: EmailDeliveryRow['severity'];
  subject: EmailDeliveryRow['subject'];
  title: string;
  occurred_at: Date;
  created_at: Date;
  status: EmailDeliveryRow['status'];
  email_id: string | null;
  attempts: number;
  last_reply_code: number | null;
  next_attempt_at: Date | null;
  failure_reason: string | null;
  settled_at: Date | null;
}

const toDelivery = (r: Row): EmailDeliveryRow => ({
  notificationId: r.notification_id,
  recipientId: r.recipient_id,
  mode: r.mode,
  dueAt: iso(r.due_at),
  eventType: r.event_type,
  severity: r.severity,
  subject: r.subject,
  title: r.title,
  occurredAt: r.occurred_at.toISOString(),
  createdAt: r.created_at.toISOString(),
  status: r.status,
  emailId: r.email_id,
  attempts: r.attempts,
  lastReplyCode: r.last_reply_code,
  nextAttemptAt: iso(r.next_attempt_at),
  failureReason: r.failure_reason,
  settledAt: iso(r.settled_at),
});

/** Reads of the e-mail read models and the recipients' addresses; every query is scoped to one tenant. */
export class EmailDeliveries {
  async find(q: Queryable, tenantId: string, notificationId: string): Promise<EmailDeliveryRow | null> {
    const { rows } = await q.query<Row>('SELECT * FROM notification_email_deliveries WHERE tenant_id = $1 AND notification_id = $2', [tenantId, notificationId]);
    return rows[0] === undefined ? null : toDelivery(rows[0]);
  }

  /** A person's digest items not yet sent, oldest first, at most MAX_DIGEST_ITEMS. */
  /** The rows of these notifications (keyed by notification id; a key that is not a uuid finds nothing), in one read. */
  async findMany(q: Queryable, tenantId: string, notificationIds: readonly string[]): Promise<Map<string, EmailDeliveryRow>> {
    const ids = notificationIds.filter((id) => UUID.test(id));
    if (ids.length === 0) return new Map();
    const { rows } = await q.query<Row>('SELECT * FROM notification_email_deliveries WHERE tenant_id = $1 AND notification_id = ANY($2::uuid[])', [tenantId, ids]);
    return new Map(rows.map((r) => [r.notification_id, toDelivery(r)]));
  }

  async pendingDigest(q: Queryable, tenantId: string, recipientId: string): Promise<EmailDeliveryRow[]> {
    const { rows } = await q.query<Row>(
      `SELECT * FROM notification_email_deliveries WHERE tenant_id = $1 AND recipient_id = $2 AND mode = 'digest' AND status IN ('scheduled', 'retrying')
       ORDER BY created_at, notification_id LIMIT $3`,
      [tenantId, recipientId, MAX_DIGEST_ITEMS],
    );
    return rows.map(toDelivery);
  }

  /** A person's own e-mail notifications, newest first; `before` is the createdAt of the previous page's last row. */
  async ofRecipient(q: Queryable, tenantId: string, recipientId: string, limit: number, before: string | null): Promise<EmailDeliveryRow[]> {
    const { rows } = await q.query<Row>(
      `SELECT * FROM notification_email_deliveries WHERE tenant_id = $1 AND recipient_id = $2 AND ($3::timestamptz IS NULL OR created_at < $3)
       ORDER BY created_at DESC, notification_id DESC LIMIT $4`,
      [tenantId, recipientId, before, limit],
    );
    return rows.map(toDelivery);
  }

  /** What the caller's token said about them (ADR 0402): a claim absent keeps what an earlier token said. */
  async rememberRecipient(q: Queryable, tenantId: string, userId: string, recipient: Recipient, at: string): Promise<void> {
    if (recipient.email === null && recipient.locale === null) return;
    await q.query(
      `INSERT INTO notification_recipients (tenant_id, user_id, email, locale, learnt_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, user_id) DO UPDATE SET email = COALESCE(EXCLUDED.email, notification_recipients.email),
         locale = COALESCE(EXCLUDED.locale, notification_recipients.locale), learnt_at = EXCLUDED.learnt_at`,
      [tenantId, userId, recipient.email, recipient.locale, at],
    );
  }

  /** Several people's addresses in one read (a person never seen is absent). */
  async recipients(q: Queryable, tenantId: string, userIds: readonly string[]): Promise<Map<string, Recipient>> {
    const { rows } = await q.query<{ user_id: string; email: string | null; locale: string | null }>(
      'SELECT user_id, email, locale FROM notification_recipients WHERE tenant_id = $1 AND user_id = ANY($2::text[])',
      [tenantId, [...new Set(userIds)]],
    );
    return new Map(rows.map((r) => [r.user_id, { email: r.email, locale: r.locale }]));
  }

  async recipient(q: Queryable, tenantId: string, userId: string): Promise<Recipient> {
    const { rows } = await q.query<{ email: string | null; locale: string | null }>('SELECT email, locale FROM notification_recipients WHERE tenant_id = $1 AND user_id = $2', [tenantId, userId]);
    return rows[0] ?? { email: null, locale: null };
  }
}
