import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { CommentQueries, CommentsProjection } from '@pm/notification/data-access';
import { commentAggregate, commentStreamId, derivedUuid } from '@pm/notification/domain';
import type { CommentCommand, CommentEvent, CommentTarget, IncomingEvent, PlatformRole } from '@pm/notification/domain';
import { WritePath, committedOf } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import { DurableScheduler } from '@pm/platform/scheduler';
import { notFound } from '@pm/shared/ddd';
import { NotificationRecipients } from '../events/notification-recipients';
import { createNotificationsInPlan, inAppRecipients, projectInPlan } from '../events/notifications-in-plan';
import { metadataOf } from '../shared/caller';
import { InboxWakeups } from '../stream/inbox-wakeups';

export type CommentAction =
  | { readonly kind: 'post'; readonly projectId: string; readonly commentId: string; readonly on: CommentTarget; readonly replyTo: string | null; readonly body: string }
  | { readonly kind: 'edit'; readonly projectId: string; readonly commentId: string; readonly body: string }
  | { readonly kind: 'delete'; readonly projectId: string; readonly commentId: string };

export class ActOnCommentCommand {
  constructor(
    readonly action: CommentAction,
    readonly ctx: RequestContext,
  ) {}
}

const comments = new CommentsProjection();

const missing = (commentId: string) => notFound('COMMENT_NOT_FOUND', 'No such comment in this project', { commentId });

/** Who a decided comment event newly mentions: everyone in a post, only people never mentioned before in an edit. */
function mentionedBy(event: CommentEvent): { readonly mentions: readonly string[]; readonly revision: number } {
  if (event.type === 'CommentPosted') return { mentions: event.data.mentions, revision: 1 };
  if (event.type === 'CommentEdited') return { mentions: event.data.newlyMentioned, revision: event.data.revision };
  return { mentions: [], revision: 0 };
}

/**
 * Post, edit, delete a comment (ADR 0404) on the write path: the comment's stream, its thread row and the mentioned
 * people's notifications in one plan. The notification's source id is derived from (comment, revision), so a retried
 * request names the same notifications. A comment addressed under another project (or tenant) is a 404.
 */
@CommandHandler(ActOnCommentCommand)
export class ActOnCommentHandler implements ICommandHandler<ActOnCommentCommand> {
  constructor(
    private readonly writePath: WritePath,
    private readonly queries: CommentQueries,
    private readonly recipients: NotificationRecipients,
    private readonly wakeups: InboxWakeups,
    private readonly scheduler: DurableScheduler,
  ) {}

  async execute({ action, ctx }: ActOnCommentCommand) {
    const { tenantId } = ctx.principal;
    const command = await this.commandOf(action, ctx);
    const stream = commentStreamId(tenantId, action.commentId);
    const told: string[] = [];
    const outcome = await this.writePath.run(ctx, async (tx) => {
      told.length = 0;
      const { version } = await tx.load(commentAggregate, stream);
      const { events } = await tx.decide(commentAggregate, stream, command);
      projectInPlan(tx, comments, stream, version, events);
      for (const e of events) {
        const { mentions, revision } = mentionedBy(e);
        if (mentions.length === 0) continue;
        const event: IncomingEvent = {
          eventId: derivedUuid('comment-mention', [action.commentId, String(revision)]),
          type: `pm.notification.${e.type}`,
          severity: 'medium',
          projectId: action.projectId,
          subject: { kind: 'comment', id: action.commentId, projectId: action.projectId },
          title: `${ctx.principal.sub} mentioned you in a comment`,
          occurredAt: ctx.now,
          actor: ctx.principal.actor,
          mentions,
          commentId: action.commentId,
        };
        const routed = await this.recipients.mentionRoutes(ctx, event);
        await createNotificationsInPlan(tx, routed, event, this.scheduler);
        told.push(...inAppRecipients(routed.routes));
      }
      return { commentId: action.commentId, events };
    });
    for (const userId of told) this.wakeups.wake(tenantId, userId);
    return { version: committedOf(outcome, commentAggregate, stream)?.version ?? 0, ...outcome.result };
  }

  private async commandOf(action: CommentAction, ctx: RequestContext): Promise<CommentCommand> {
    const { tenantId, roles } = ctx.principal;
    const metadata = metadataOf(ctx);
    if (action.kind === 'post') {
      if (action.replyTo !== null) {
        const parent = await this.queries.get(tenantId, action.projectId, action.replyTo);
        if (parent === undefined || parent.on.kind !== action.on.kind || parent.on.id !== action.on.id) throw missing(action.replyTo);
      }
      const { projectId, commentId, on, replyTo, body } = action;
      return { type: 'PostComment', data: { commentId, projectId, on, replyTo, body }, metadata };
    }
    if ((await this.queries.get(tenantId, action.projectId, action.commentId)) === undefined) throw missing(action.commentId);
    if (action.kind === 'edit') return { type: 'EditComment', data: { commentId: action.commentId, body: action.body }, metadata };
    return { type: 'DeleteComment', data: { commentId: action.commentId, actorRoles: roles as PlatformRole[] }, metadata };
  }
}
