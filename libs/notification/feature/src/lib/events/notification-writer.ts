import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { IncomingEvent } from '@pm/notification/domain';
import { WritePath } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import { Escalations } from '../escalation/escalations';
import { createNotificationsInPlan, inAppRecipients } from './notifications-in-plan';
import { NotificationRecipients } from './notification-recipients';

/**
 * The one place notifications are created (ADR 0401): the people the directory knows for the event's project, their
 * preferences and the tenant's settings go to the pure router; each route is a CreateNotification on its derived
 * stream, appended on the write path inside the consumer's inbox transaction. A redelivered event is skipped by the
 * inbox; one whose first handling rolled back routes again to the same ids. A critical event starts its escalation in
 * the same plan (ADR 0404).
 */
@Injectable()
export class NotificationWriter {
  constructor(
    private readonly writePath: WritePath,
    private readonly recipients: NotificationRecipients,
    private readonly escalations: Escalations,
  ) {}

  /** Returns the people who got an in-app notification, so their open streams can be woken after the commit. */
  async notify(client: PoolClient, ctx: RequestContext, event: IncomingEvent): Promise<string[]> {
    const routes = await this.recipients.routesFor(client, ctx, event);
    if (routes.length === 0) return [];
    await this.writePath.runIn(client, ctx, async (tx) => {
      await createNotificationsInPlan(tx, routes, event);
      await this.escalations.startInPlan(tx, event, inAppRecipients(routes));
    });
    return inAppRecipients(routes);
  }
}
