import type { Pool, PoolClient } from 'pg';

type Queryable = Pick<Pool | PoolClient, 'query'>;

export interface ActivityEntry {
  readonly eventId: string;
  readonly projectId: string;
  readonly eventType: string;
  readonly actor: string;
  readonly subject: { readonly kind: string; readonly id: string };
  readonly summary: string;
  readonly occurredAt: string;
}

export const MAX_ACTIVITY_PAGE = 200;

/**
 * A project's activity feed (ADR 0404): who changed what, from the events the consumer already receives, written in
 * the consumer's inbox transaction. Keyed by the event id, so a redelivered or replayed event adds nothing.
 */
export class ActivityFeed {
  async record(q: Queryable, tenantId: string, entry: ActivityEntry): Promise<void> {
    await this.recordMany(q, [{ tenantId, entry }]);
  }

  /** A batch's lines in one statement (the consumer writes them before its COMMIT). */
  async recordMany(q: Queryable, lines: ReadonlyArray<{ readonly tenantId: string; readonly entry: ActivityEntry }>): Promise<void> {
    if (lines.length === 0) return;
    const col = <V>(pick: (l: (typeof lines)[number]) => V): V[] => lines.map(pick);
    await q.query({
      name: 'activity_record_many',
      text: `INSERT INTO notification_activity (tenant_id, event_id, project_id, event_type, actor, subject_kind, subject_id, summary, occurred_at)
             SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
             ON CONFLICT DO NOTHING`,
      values: [
        col((l) => l.tenantId),
        col((l) => l.entry.eventId),
        col((l) => l.entry.projectId),
        col((l) => l.entry.eventType),
        col((l) => l.entry.actor),
        col((l) => l.entry.subject.kind),
        col((l) => l.entry.subject.id),
        col((l) => l.entry.summary),
        col((l) => l.entry.occurredAt),
      ],
    });
  }

  /**
   * Newest first by when it happened (events of several topics arrive in any order between topics); `before` is the
   * previous page's `next` (`<epoch ms>-<seq>` of its last entry), `since` keeps only what happened from then on.
   */
  async page(
    q: Queryable,
    tenantId: string,
    projectId: string,
    page: { limit: number; before?: string; since?: string },
  ): Promise<{ items: Array<ActivityEntry & { seq: string }>; page: { limit: number; next: string | null } }> {
    const cursor = page.before === undefined ? undefined : activityCursorOf(page.before);
    const { rows } = await q.query<{ seq: string; event_id: string; project_id: string; event_type: string; actor: string; subject_kind: string; subject_id: string; summary: string; occurred_at: Date }>(
      `SELECT seq, event_id, project_id, event_type, actor, subject_kind, subject_id, summary, occurred_at FROM notification_activity
       WHERE tenant_id = $1 AND project_id = $2 AND ($3::bigint IS NULL OR (occurred_at, seq) < (to_timestamp($3::bigint / 1000.0), $4::bigint))
         AND ($5::timestamptz IS NULL OR occurred_at >= $5::timestamptz)
       ORDER BY occurred_at DESC, seq DESC LIMIT $6`,
      [tenantId, projectId, cursor?.at ?? null, cursor?.seq ?? null, page.since ?? null, Math.min(page.limit, MAX_ACTIVITY_PAGE) + 1],
    );
    const items = rows.slice(0, page.limit).map((r) => ({
      seq: String(r.seq),
      eventId: r.event_id,
      projectId: r.project_id,
      eventType: r.event_type,
      actor: r.actor,
      subject: { kind: r.subject_kind, id: r.subject_id },
      summary: r.summary,
      occurredAt: r.occurred_at.toISOString(),
    }));
    const last = items[items.length - 1];
    return { items, page: { limit: page.limit, next: rows.length > page.limit ? `${Date.parse(last.occurredAt)}-${last.seq}` : null } };
  }
}

export const ACTIVITY_CURSOR = /^[0-9]{1,15}-[0-9]{1,18}$/;

function activityCursorOf(before: string): { at: string; seq: string } | undefined {
  if (!ACTIVITY_CURSOR.test(before)) return undefined;
  const [at, seq] = before.split('-');
  return { at, seq };
}
