import type { PoolClient } from 'pg';
import { parseEventData } from '@pm/contracts';
import type { Projection, ProjectionEvent } from '@pm/platform/projections';

const T = {
  created: 'pm.notification.NotificationCreated',
  read: 'pm.notification.NotificationRead',
  archived: 'pm.notification.NotificationArchived',
  allRead: 'pm.notification.InboxMarkedAllRead',
} as const;

/** An in-app NotificationCreated as the inbox stores it. */
export interface InboxRow {
  readonly tenantId: string;
  readonly notificationId: string;
  readonly recipientId: string;
  readonly source: { readonly eventId: string; readonly eventType: string };
  readonly severity: string;
  readonly subject: { readonly projectId: string | null };
  readonly title: string;
  readonly reason: unknown;
  readonly createdAt: string;
}

const LOCK_HEADS = `
INSERT INTO notification_inbox_heads (tenant_id, recipient_id)
SELECT DISTINCT t, r FROM unnest($1::text[], $2::text[]) AS x(t, r) ORDER BY t, r
ON CONFLICT (tenant_id, recipient_id) DO UPDATE SET last_seq = notification_inbox_heads.last_seq`;

const INSERT_ROWS = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::uuid[], $9::text[], $10::text[], $11::timestamptz[])
    WITH ORDINALITY AS x(tenant_id, notification_id, recipient_id, source_event_id, event_type, severity, subject, project_id, title, reason, created_at, ord)
), fresh AS (
  SELECT DISTINCT ON (i.tenant_id, i.notification_id) i.* FROM input i
  WHERE NOT EXISTS (SELECT 1 FROM notification_inbox n WHERE n.tenant_id = i.tenant_id AND n.notification_id = i.notification_id)
  ORDER BY i.tenant_id, i.notification_id, i.ord
), numbered AS (
  SELECT f.*, h.last_seq + row_number() OVER (PARTITION BY f.tenant_id, f.recipient_id ORDER BY f.ord) AS seq
  FROM fresh f JOIN notification_inbox_heads h ON h.tenant_id = f.tenant_id AND h.recipient_id = f.recipient_id
), inserted AS (
  INSERT INTO notification_inbox (tenant_id, notification_id, recipient_id, seq, source_event_id, event_type, severity, subject, project_id, title, reason, created_at)
  SELECT tenant_id, notification_id, recipient_id, seq, source_event_id, event_type, severity, subject::jsonb, project_id, title, reason::jsonb, created_at FROM numbered
  RETURNING tenant_id, recipient_id, seq
)
UPDATE notification_inbox_heads h SET last_seq = a.seq, unread = h.unread + a.n
FROM (SELECT tenant_id, recipient_id, max(seq) AS seq, count(*)::int AS n FROM inserted GROUP BY tenant_id, recipient_id) a
WHERE h.tenant_id = a.tenant_id AND h.recipient_id = a.recipient_id`;

/**
 * Inserts in-app notifications into their recipients' inboxes in two statements, however many rows: the recipients'
 * head rows are locked first, in (tenant, recipient) order — two transactions inserting for the same people wait for
 * each other, never deadlock (when each calls this once) — then the rows not yet there get the next seqs (gap-free, in the order given) and the
 * heads their last seq and unread count. A row already present (by its derived id) is skipped: idempotent.
 */
export async function insertInboxRows(tx: PoolClient, given: readonly InboxRow[]): Promise<void> {
  if (given.length === 0) return;
  // Rows already there (the store-fed runner applying what the consumer wrote) take no lock at all.
  // This lookup and INSERT_ROWS join the given arrays to the inbox: unnamed, so planned for the tables as they are. Named,
  // a generic plan made while the inbox was small is kept until its next ANALYZE and reads the whole table (a hash join);
  // even a LATERAL probe's generic plan then takes notification_inbox_by_seq on tenant_id alone (on a small table it
  // costs what the primary key does), so it reads every row of the tenant once per key.
  const known = await tx.query<{ tenant_id: string; notification_id: string }>({
    text: 'SELECT tenant_id, notification_id::text FROM notification_inbox WHERE (tenant_id, notification_id) IN (SELECT * FROM unnest($1::text[], $2::uuid[]))',
    values: [given.map((r) => r.tenantId), given.map((r) => r.notificationId)],
  });
  const present = new Set(known.rows.map((r) => `${r.tenant_id}\u0000${r.notification_id}`));
  const rows = given.filter((r) => !present.has(`${r.tenantId}\u0000${r.notificationId.toLowerCase()}`));
  if (rows.length === 0) return;
  const column = <T>(pick: (r: InboxRow) => T): T[] => rows.map(pick);
  await tx.query({ name: 'inbox_lock_heads', text: LOCK_HEADS, values: [column((r) => r.tenantId), column((r) => r.recipientId)] });
  await tx.query({
    text: INSERT_ROWS,
    values: [
      column((r) => r.tenantId),
      column((r) => r.notificationId),
      column((r) => r.recipientId),
      column((r) => r.source.eventId),
      column((r) => r.source.eventType),
      column((r) => r.severity),
      column((r) => JSON.stringify(r.subject)),
      column((r) => r.subject.projectId),
      column((r) => r.title),
      column((r) => JSON.stringify(r.reason)),
      column((r) => r.createdAt),
    ],
  });
}

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

  /** A run of new in-app notifications in one insertInboxRows; any other event first writes the run before it (order kept). */
  async applyBatch(events: readonly ProjectionEvent[], tx: PoolClient): Promise<void> {
    let run: InboxRow[] = [];
    for (const event of events) {
      if (event.type === T.created) {
        const d = parseEventData(T.created, event.schemaVersion, event.data).data;
        if (d.channel === 'in-app') run.push({ tenantId: event.tenantId, ...d });
        continue;
      }
      await insertInboxRows(tx, run);
      run = [];
      await this.apply(event, tx);
    }
    await insertInboxRows(tx, run);
  }

  async apply(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    const tenant = event.tenantId;
    switch (event.type) {
      case T.created: {
        const d = parseEventData(T.created, event.schemaVersion, event.data).data;
        if (d.channel !== 'in-app') return;
        await insertInboxRows(tx, [{ tenantId: tenant, ...d }]);
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
