import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { inboxAggregate, inboxStreamId, notificationAggregate, notificationStreamId } from '@pm/notification/domain';
import { WritePath } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import { Escalations } from '../escalation/escalations';
import { metadataOf } from '../shared/caller';
import { inboxRowsInPlan } from '../events/notifications-in-plan';

export type InboxAction = { readonly kind: 'read' | 'archive'; readonly notificationId: string } | { readonly kind: 'read-all' };

export class ActOnInboxCommand {
  constructor(
    readonly action: InboxAction,
    readonly ctx: RequestContext,
  ) {}
}

/**
 * Read, archive, mark all read: always on the caller's own inbox (the recipient is the token's `sub`); a notification
 * of someone else is answered as missing by the decider, so ids cannot be probed. The inbox rows change in the
 * command's own transaction. Reading a critical notification acknowledges its escalation in the same plan (ADR 0404).
 */
@CommandHandler(ActOnInboxCommand)
export class ActOnInboxHandler implements ICommandHandler<ActOnInboxCommand> {
  constructor(
    private readonly writePath: WritePath,
    private readonly escalations: Escalations,
  ) {}

  async execute({ action, ctx }: ActOnInboxCommand): Promise<{ version: number; events: unknown[] }> {
    const { tenantId, sub } = ctx.principal;
    const metadata = metadataOf(ctx);
    const outcome = await this.writePath.run(ctx, async (tx) => {
      if (action.kind === 'read-all') {
        const stream = inboxStreamId(tenantId, sub);
        const { version } = await tx.load(inboxAggregate, stream);
        const { events } = await tx.decide(inboxAggregate, stream, { type: 'MarkAllRead', data: { recipientId: sub }, metadata });
        inboxRowsInPlan(tx, stream, version, events);
        return { version: version + events.length, events };
      }
      const stream = notificationStreamId(tenantId, action.notificationId);
      const { version } = await tx.load(notificationAggregate, stream);
      const type = action.kind === 'read' ? 'ReadNotification' : 'ArchiveNotification';
      const { events, state } = await tx.decide(notificationAggregate, stream, { type, data: { notificationId: action.notificationId }, metadata });
      inboxRowsInPlan(tx, stream, version, events);
      if (action.kind === 'read') await this.escalations.acknowledgeOnReadInPlan(tx, state, sub);
      return { version: version + events.length, events };
    });
    return outcome.result;
  }
}
