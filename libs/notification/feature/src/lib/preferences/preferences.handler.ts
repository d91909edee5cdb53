import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { EmailDeliveries, NotificationDirectory } from '@pm/notification/data-access';
import { userPreferencesAggregate, userPreferencesStreamId } from '@pm/notification/domain';
import type { UserPreferences, UserPreferencesCommand } from '@pm/notification/domain';
import { WritePath, committedOf } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import { DurableScheduler } from '@pm/platform/scheduler';
import { rearmDigest } from '../email/email-items';

export class ChangePreferencesCommand {
  constructor(
    readonly commands: readonly UserPreferencesCommand[],
    readonly ctx: RequestContext,
  ) {}
}

export const preferencesJson = (p: UserPreferences) => ({
  timeZone: p.timeZone,
  quietHours: p.quietHours,
  digest: p.digest,
  channels: [...p.channels].map(([key, choice]) => ({ eventType: key === '*' ? null : key, ...choice })),
  subscriptions: [...p.subscriptions.values()].map(({ subscriptionId, scope, eventTypes, minSeverity }) => ({ subscriptionId, scope, eventTypes, minSeverity })),
});

/**
 * Every change to a person's preferences, on their own stream (the token's `sub`): decided in turn as one plan. The
 * directory learns the token's roles and the person's own subscriptions in the same transaction, so the next event
 * routes to them.
 */
@CommandHandler(ChangePreferencesCommand)
export class ChangePreferencesHandler implements ICommandHandler<ChangePreferencesCommand> {
  private readonly directory = new NotificationDirectory();
  private readonly recipients = new EmailDeliveries();

  constructor(
    private readonly writePath: WritePath,
    private readonly scheduler: DurableScheduler,
  ) {}

  async execute({ commands, ctx }: ChangePreferencesCommand) {
    const { tenantId, sub, roles } = ctx.principal;
    const stream = userPreferencesStreamId(tenantId, sub);
    const outcome = await this.writePath.run(ctx, async (tx) => {
      const { events, state } = await tx.decide(userPreferencesAggregate, stream, commands);
      tx.alsoInTransaction(async (client) => {
        await this.directory.rememberToken(client, tenantId, sub, roles);
        await this.recipients.rememberRecipient(client, tenantId, sub, { email: ctx.principal.email ?? null, locale: ctx.principal.locale ?? null }, ctx.now);
        for (const event of events) {
          if (event.type === 'SubscriptionStarted' || event.type === 'SubscriptionEnded') {
            await this.directory.subscribed(client, tenantId, sub, event.data.subscriptionId, event.type === 'SubscriptionStarted');
          }
        }
        if (events.some((e) => e.type === 'DigestCadenceSet' || e.type === 'TimeZoneSet')) await rearmDigest(this.scheduler, client, tenantId, sub, state, ctx.now);
      });
      return { events, preferences: preferencesJson(state) };
    });
    const version = committedOf(outcome, userPreferencesAggregate, stream)?.version ?? 0;
    return { version, ...outcome.result };
  }
}
