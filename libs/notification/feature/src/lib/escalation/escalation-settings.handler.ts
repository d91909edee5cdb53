import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { escalationChainAggregate, escalationChainStreamId, tenantNotificationSettingsAggregate, tenantNotificationSettingsStreamId } from '@pm/notification/domain';
import { WritePath, committedOf } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import { metadataOf } from '../shared/caller';

export type EscalationSettingsChange =
  | { readonly kind: 'chain'; readonly projectId: string; readonly chain: readonly string[] }
  | { readonly kind: 'timeout'; readonly ackWithinMinutes: number };

export class ChangeEscalationSettingsCommand {
  constructor(
    readonly change: EscalationSettingsChange,
    readonly ctx: RequestContext,
  ) {}
}

/** A project's chain (its own stream) or the tenant's acknowledgement time (the settings stream); the caller authorised. */
@CommandHandler(ChangeEscalationSettingsCommand)
export class ChangeEscalationSettingsHandler implements ICommandHandler<ChangeEscalationSettingsCommand> {
  constructor(private readonly writePath: WritePath) {}

  async execute({ change, ctx }: ChangeEscalationSettingsCommand) {
    const { tenantId } = ctx.principal;
    const metadata = metadataOf(ctx);
    if (change.kind === 'chain') {
      const stream = escalationChainStreamId(tenantId, change.projectId);
      const outcome = await this.writePath.run(ctx, async (tx) => {
        const { events, state } = await tx.decide(escalationChainAggregate, stream, { type: 'DefineEscalationChain', data: { projectId: change.projectId, chain: change.chain }, metadata });
        return { events, chain: [...state.chain] };
      });
      return { version: committedOf(outcome, escalationChainAggregate, stream)?.version ?? 0, projectId: change.projectId, ...outcome.result };
    }
    const stream = tenantNotificationSettingsStreamId(tenantId);
    const outcome = await this.writePath.run(ctx, async (tx) => {
      const { events, state } = await tx.decide(tenantNotificationSettingsAggregate, stream, { type: 'SetEscalationTimeout', data: { ackWithinMinutes: change.ackWithinMinutes }, metadata });
      return { events, ackWithinMinutes: state.ackWithinMinutes };
    });
    return { version: committedOf(outcome, tenantNotificationSettingsAggregate, stream)?.version ?? 0, ...outcome.result };
  }
}
