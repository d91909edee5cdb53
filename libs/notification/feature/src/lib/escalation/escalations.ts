import { Injectable, Logger } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import {
  derivedUuid,
  escalationAggregate,
  escalationChainAggregate,
  escalationChainStreamId,
  escalationStreamId,
  notificationIdOf,
  tenantNotificationSettingsAggregate,
  tenantNotificationSettingsStreamId,
} from '@pm/notification/domain';
import type { IncomingEvent, NotificationState, SubjectLink } from '@pm/notification/domain';
import { PgEventStore, WritePath } from '@pm/platform/event-store';
import type { WritePlan } from '@pm/platform/event-store';
import { systemContext } from '@pm/platform/request-context';
import { DurableScheduler } from '@pm/platform/scheduler';
import type { FireContext, FireResult } from '@pm/platform/scheduler';
import { DomainError } from '@pm/shared/ddd';
import { NotificationRecipients, chainKey, remembered } from '../events/notification-recipients';
import type { RoutingMemo } from '../events/notification-recipients';
import { createNotificationsInPlan } from '../events/notifications-in-plan';
import { metadataOf } from '../shared/caller';
import { NOTIFICATION_SERVICE } from '../shared/notification-options';

/** The scheduled item of an escalation, keyed by its id (the critical event's id). */
export const ESCALATION_CHECK = 'notification-escalation-check';

/** What a step's notification tells, kept with the timer: the escalation stream keeps the chain, not the wording. */
export type EscalationCheckPayload = {
  readonly escalationId: string;
  readonly eventType: string;
  readonly occurredAt: string;
  readonly title: string;
  readonly subject: { readonly kind: SubjectLink['kind']; readonly id: string; readonly projectId: string | null };
};

const TITLE_CAP = 200;

/**
 * Escalation of critical notifications (ADR 0404, on ADR 0400's decider). A critical event that told someone in-app
 * starts an escalation in the plan that created its notifications, with the project's chain and the tenant's time as
 * they are then, and arms a CheckEscalation at `ackDueAt` on the durable scheduler in the same transaction. Each check
 * that finds nobody acknowledged tells the next person of the chain (a notification with reason `escalation`, in the
 * firing transaction) and re-arms itself at the new `ackDueAt`; past the last person the escalation is exhausted (the
 * event records the chain's end). Reading a critical notification in the inbox acknowledges it and cancels the timer.
 */
@Injectable()
export class Escalations implements OnModuleInit {
  private readonly log = new Logger(Escalations.name);

  constructor(
    private readonly scheduler: DurableScheduler,
    private readonly writePath: WritePath,
    private readonly store: PgEventStore,
    private readonly recipients: NotificationRecipients,
  ) {}

  onModuleInit(): void {
    this.scheduler.register<EscalationCheckPayload>(ESCALATION_CHECK, (fire) => this.check(fire));
  }

  /** Starts the escalation of a critical project event, unless the project has no chain (nobody to escalate to). */
  async startInPlan(tx: WritePlan, event: IncomingEvent, notified: readonly string[], memo?: RoutingMemo): Promise<void> {
    const { projectId } = event;
    if (event.severity !== 'critical' || projectId === null || notified.length === 0) return;
    const tenantId = tx.ctx.principal.tenantId;
    // A consumer batch reads each project's chain and the tenant's settings once (`memo`): the plan decides neither.
    const chainRead = remembered(memo?.chains, chainKey(tenantId, projectId), () =>
      (memo ? this.writePath.load(escalationChainAggregate, escalationChainStreamId(tenantId, projectId), tenantId) : tx.load(escalationChainAggregate, escalationChainStreamId(tenantId, projectId))).then((l) => l.state),
    );
    const chain = await chainRead;
    if (chain.projectId === null) return;
    const settings = await (memo?.settings.get(tenantId) ?? tx.load(tenantNotificationSettingsAggregate, tenantNotificationSettingsStreamId(tenantId)).then((l) => l.state));
    const title = event.title.length > TITLE_CAP ? `${event.title.slice(0, TITLE_CAP - 1)}…` : event.title;
    const { events } = await tx.decide(escalationAggregate, escalationStreamId(tenantId, event.eventId), {
      type: 'StartEscalation',
      data: { escalationId: event.eventId, projectId, severity: event.severity, subject: event.subject, title, notified, chain: chain.chain, ackWithinMinutes: settings.ackWithinMinutes },
      metadata: metadataOf(tx.ctx),
    });
    for (const started of events) {
      if (started.type !== 'EscalationStarted') continue;
      const { subject } = started.data;
      const payload: EscalationCheckPayload = {
        escalationId: started.data.escalationId,
        eventType: event.type,
        occurredAt: event.occurredAt,
        title: started.data.title,
        subject: { kind: subject.kind, id: subject.id, projectId: subject.projectId },
      };
      tx.alsoInTransaction((client) => this.scheduler.schedule({ tenantId, kind: ESCALATION_CHECK, key: payload.escalationId, dueAt: new Date(started.data.ackDueAt), payload }, { tx: client }));
    }
  }

  /**
   * A recipient read a notification: if it was critical and its escalation still waits for someone they are among
   * the people told, that is the acknowledgement, decided in the same plan, and the timer goes with it.
   */
  async acknowledgeOnReadInPlan(tx: WritePlan, notification: NotificationState, userId: string): Promise<void> {
    if (notification.status !== 'created' || notification.severity !== 'critical') return;
    const tenantId = tx.ctx.principal.tenantId;
    const stream = escalationStreamId(tenantId, notification.sourceEventId);
    const { state } = await tx.load(escalationAggregate, stream);
    if (state.status !== 'waiting' || !state.told.has(userId)) return;
    const { events } = await tx.decide(escalationAggregate, stream, { type: 'AcknowledgeNotification', data: { escalationId: state.escalationId, userId }, metadata: metadataOf(tx.ctx) });
    if (events.length > 0) tx.alsoInTransaction(async (client) => void (await this.scheduler.cancel(tenantId, ESCALATION_CHECK, state.escalationId, { tx: client })));
  }

  /** Decided at the firing time, in the firing transaction: an early, late or repeated check is harmless. */
  private async check(fire: FireContext<EscalationCheckPayload>): Promise<FireResult> {
    const { payload, tenantId } = fire;
    const ctx = systemContext(NOTIFICATION_SERVICE, tenantId, undefined, { now: () => fire.firedAt });
    let nextDueAt: string | undefined;
    try {
      await this.writePath.runIn(fire.tx, ctx, async (tx) => {
        const { state: settings } = await tx.load(tenantNotificationSettingsAggregate, tenantNotificationSettingsStreamId(tenantId));
        const stream = escalationStreamId(tenantId, payload.escalationId);
        const decided = await tx.decide(escalationAggregate, stream, { type: 'CheckEscalation', data: { escalationId: payload.escalationId, ackWithinMinutes: settings.ackWithinMinutes }, metadata: metadataOf(ctx) });
        nextDueAt = decided.state.status === 'waiting' ? decided.state.ackDueAt : undefined;
        for (const e of decided.events) {
          const event: IncomingEvent = {
            eventId: payload.escalationId,
            type: payload.eventType,
            severity: 'critical',
            projectId: e.data.projectId,
            subject: payload.subject,
            title: payload.title,
            occurredAt: payload.occurredAt,
            actor: ctx.principal.actor,
          };
          if (e.type === 'NotificationEscalated') {
            const route = {
              notificationId: notificationIdOf(payload.escalationId, e.data.toUserId, 'in-app'),
              recipientId: e.data.toUserId,
              channel: 'in-app' as const,
              delivery: { mode: 'now' as const },
              reason: { kind: 'escalation' as const, step: e.data.step },
            };
            await createNotificationsInPlan(tx, { routes: [route], preferences: new Map() }, event, this.scheduler);
          } else if (e.type === 'EscalationExhausted') {
            // The chain's end is a portfolio alert (pmo-admins' default subscription): routed like any event, its own id.
            const alert: IncomingEvent = { ...event, eventId: derivedUuid('escalation-exhausted', [payload.escalationId]), type: 'pm.notification.EscalationExhausted', severity: 'high', title: `Nobody acknowledged: ${payload.title}` };
            await createNotificationsInPlan(tx, await this.recipients.routesFor(fire.tx, ctx, alert), alert, this.scheduler);
          }
        }
      });
    } catch (error) {
      // A refusal is final (no such escalation): retrying would be refused again.
      if (!(error instanceof DomainError)) throw error;
      this.log.warn({ code: error.code, tenantId, key: fire.key }, 'escalation check decided nothing');
      return undefined;
    }
    this.store.notifyAppended();
    return nextDueAt === undefined || Date.parse(nextDueAt) <= fire.dueAt.getTime() ? undefined : { nextDueAt: new Date(nextDueAt) };
  }
}
