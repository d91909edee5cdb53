import type { Pool, PoolClient } from 'pg';
import { parseEventData } from '@pm/contracts';
import type { Projection, ProjectionEvent } from '@pm/platform/projections';

const T = {
  posted: 'pm.notification.CommentPosted',
  edited: 'pm.notification.CommentEdited',
  deleted: 'pm.notification.CommentDeleted',
} as const;

/**
 * Comment threads (ADR 0404): a row per comment with its latest body. Idempotent per event: a post is inserted once,
 * an edit applies only over an older revision, a deletion stamps once, so applying again (a rebuild) changes nothing.
 */
export class CommentsProjection implements Projection {
  readonly name = 'notification-comments';
  readonly handles: readonly string[] = Object.values(T);

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE notification_comments');
  }

  async apply(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    const tenant = event.tenantId;
    switch (event.type) {
      case T.posted: {
        const d = parseEventData(T.posted, event.schemaVersion, event.data).data;
        await tx.query(
          `INSERT INTO notification_comments (tenant_id, comment_id, project_id, target_kind, target_id, reply_to, author, body, mentions, revision, posted_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10) ON CONFLICT DO NOTHING`,
          [tenant, d.commentId, d.projectId, d.on.kind, d.on.id, d.replyTo, d.postedBy, d.body, JSON.stringify(d.mentions), d.postedAt],
        );
        return;
      }
      case T.edited: {
        const d = parseEventData(T.edited, event.schemaVersion, event.data).data;
        await tx.query(`UPDATE notification_comments SET body = $3, mentions = $4, revision = $5, edited_at = $6 WHERE tenant_id = $1 AND comment_id = $2 AND revision < $5 AND deleted_at IS NULL`, [
          tenant,
          d.commentId,
          d.body,
          JSON.stringify(d.mentions),
          d.revision,
          d.editedAt,
        ]);
        return;
      }
      case T.deleted: {
        const d = parseEventData(T.deleted, event.schemaVersion, event.data).data;
        await tx.query(`UPDATE notification_comments SET body = NULL, deleted_at = $3, deleted_by = $4 WHERE tenant_id = $1 AND comment_id = $2 AND deleted_at IS NULL`, [tenant, d.commentId, d.deletedAt, d.deletedBy]);
        return;
      }
      default:
        return;
    }
  }
}

export interface CommentRow {
  readonly commentId: string;
  readonly seq: string;
  readonly projectId: string;
  readonly on: { readonly kind: string; readonly id: string };
  readonly replyTo: string | null;
  readonly author: string;
  readonly body: string | null;
  readonly mentions: readonly string[];
  readonly revision: number;
  readonly deleted: boolean;
  readonly postedAt: string;
  readonly editedAt: string | null;
  readonly deletedAt: string | null;
}

type Raw = {
  comment_id: string;
  seq: string;
  project_id: string;
  target_kind: string;
  target_id: string;
  reply_to: string | null;
  author: string;
  body: string | null;
  mentions: string[];
  revision: number;
  posted_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
};

const rowOf = (r: Raw): CommentRow => ({
  commentId: r.comment_id,
  seq: String(r.seq),
  projectId: r.project_id,
  on: { kind: r.target_kind, id: r.target_id },
  replyTo: r.reply_to,
  author: r.author,
  body: r.body,
  mentions: r.mentions,
  revision: r.revision,
  deleted: r.deleted_at !== null,
  postedAt: r.posted_at.toISOString(),
  editedAt: r.edited_at?.toISOString() ?? null,
  deletedAt: r.deleted_at?.toISOString() ?? null,
});

/** A thread's page in posting order (replies carry `replyTo`); `after` is the last `seq` of the previous page. */
export class CommentQueries {
  constructor(private readonly pool: Pool) {}

  async thread(tenantId: string, projectId: string, on: { kind: string; id: string }, page: { limit: number; after?: string }): Promise<{ items: CommentRow[]; page: { limit: number; next: string | null } }> {
    const { rows } = await this.pool.query<Raw>(
      `SELECT * FROM notification_comments WHERE tenant_id = $1 AND project_id = $2 AND target_kind = $3 AND target_id = $4 AND seq > $5 ORDER BY seq LIMIT $6`,
      [tenantId, projectId, on.kind, on.id, page.after ?? '0', page.limit + 1],
    );
    const items = rows.slice(0, page.limit).map(rowOf);
    return { items, page: { limit: page.limit, next: rows.length > page.limit ? items[items.length - 1].seq : null } };
  }

  async get(tenantId: string, projectId: string, commentId: string): Promise<CommentRow | undefined> {
    const { rows } = await this.pool.query<Raw>('SELECT * FROM notification_comments WHERE tenant_id = $1 AND project_id = $2 AND comment_id = $3', [tenantId, projectId, commentId]);
    return rows[0] === undefined ? undefined : rowOf(rows[0]);
  }
}
