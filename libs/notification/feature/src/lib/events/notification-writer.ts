import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { IncomingEvent } from '@pm/notification/domain';
import { WritePath } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import { DurableScheduler } from '@pm/platform/scheduler';
import { Escalations } from '../escalation/escalations';
import { createNotificationsInPlan, inAppRecipients } from './notifications-in-plan';
import type { GatheredRows } from './notifications-in-plan';
import { NotificationRecipients } from './notification-recipients';
import type { RoutingMemo } from './notification-recipients';

/**
 * The one place notifications of other contexts' events are created (ADR 0401): the people the directory knows for the
 * event's project, their preferences and the tenant's settings go to the pure router; each route is a
 * CreateNotification on its derived stream, appended on the write path inside the consumer's inbox transaction. A
 * redelivered event is skipped by the inbox; one whose first handling rolled back routes again to the same ids. A
 * critical event starts its escalation in the same plan (ADR 0404).
 */
@Injectable()
export class NotificationWriter {
  constructor(
    private readonly writePath: WritePath,
    private readonly scheduler: DurableScheduler,
    private readonly recipients: NotificationRecipients,
    private readonly escalations: Escalations,
  ) {}

  /**
   * Returns the people who got an in-app notification, so their open streams can be woken after the commit. Their
   * inbox and e-mail rows go into `gathered` when given (the caller writes them before its COMMIT), else are written here; `memo`
   * keeps what routing read for the rest of the caller's batch.
   */
  async notify(client: PoolClient, ctx: RequestContext, event: IncomingEvent, gathered?: GatheredRows, memo?: RoutingMemo): Promise<string[]> {
    const routed = await this.recipients.routesFor(client, ctx, event, memo);
    if (routed.routes.length === 0) return [];
    await this.writePath.runIn(client, ctx, async (tx) => {
      await createNotificationsInPlan(tx, routed, event, this.scheduler, gathered);
      await this.escalations.startInPlan(tx, event, inAppRecipients(routed.routes));
    });
    return inAppRecipients(routed.routes);
  }
}
