import { Injectable, Logger } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { ActivityFeed, NotificationDirectory } from '@pm/notification/data-access';
import type { ActivityEntry } from '@pm/notification/data-access';
import { derivedUuid, MAX_RECIPIENTS_PER_RUN, nextRunAt, notificationIdOf, stakeholderRegisterAggregate, stakeholderRegisterStreamId } from '@pm/notification/domain';
import type { Channel, Communication, IncomingEvent, Route, StakeholderRegisterState } from '@pm/notification/domain';
import { PgEventStore, WritePath } from '@pm/platform/event-store';
import type { WritePlan } from '@pm/platform/event-store';
import { systemContext } from '@pm/platform/request-context';
import { DurableScheduler } from '@pm/platform/scheduler';
import type { FireContext, FireResult } from '@pm/platform/scheduler';
import { createNotificationsInPlan } from '../events/notifications-in-plan';
import { metadataOf } from '../shared/caller';
import { NOTIFICATION_SERVICE } from '../shared/notification-options';

/** The scheduled item of a planned report, keyed by project and communication. */
export const COMMUNICATION_RUN = 'notification-communication-run';
export type CommunicationRunPayload = { readonly projectId: string; readonly communicationId: string };
/** Project ids are UUIDs (no colon): the communication id after the first colon is data. */
export const communicationRunKey = (projectId: string, communicationId: string): string => `${projectId}:${communicationId}`;

const TITLE_CAP = 200;
const DAY_MS = 24 * 60 * 60_000;
const feed = new ActivityFeed();
const directory = new NotificationDirectory();

/** "Project status: 5 changes — 3× Task schedule changed, 2× Risk identified", within the title's 200 characters. */
export function statusSummaryTitle(entries: readonly Pick<ActivityEntry, 'summary'>[]): string {
  if (entries.length === 0) return 'Project status: no changes since the last report';
  const counts = new Map<string, number>();
  for (const { summary } of entries) counts.set(summary, (counts.get(summary) ?? 0) + 1);
  const parts = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([summary, n]) => `${n}× ${summary}`);
  const title = `Project status: ${entries.length} change${entries.length === 1 ? '' : 's'} — ${parts.join(', ')}`;
  return title.length > TITLE_CAP ? `${title.slice(0, TITLE_CAP - 1)}…` : title;
}

/**
 * Carries out each project's communication plan (ADR 0404) on the durable scheduler: at each due time, in the firing
 * transaction, one notification per recipient (stakeholders of the audience with an account, on their preferred
 * channel; people with the audience's roles in the project, in-app) telling the project's status from its activity
 * feed since the last run, the run recorded on the register (once per due time), and the item re-armed at the next
 * wall-clock time of its cadence. A cancelled plan's item is removed with the plan; a late one finds nothing to do.
 */
@Injectable()
export class CommunicationRuns implements OnModuleInit {
  private readonly log = new Logger(CommunicationRuns.name);

  constructor(
    private readonly scheduler: DurableScheduler,
    private readonly writePath: WritePath,
    private readonly store: PgEventStore,
  ) {}

  onModuleInit(): void {
    this.scheduler.register<CommunicationRunPayload>(COMMUNICATION_RUN, (fire) => this.run(fire));
  }

  /** Arms (or moves) a planned report's item and removes a cancelled one, in the plan's transaction. */
  scheduleInPlan(tx: WritePlan, projectId: string, planned: ReadonlyArray<Communication>, cancelled: readonly string[]): void {
    const tenantId = tx.ctx.principal.tenantId;
    tx.alsoInTransaction(async (client) => {
      for (const c of planned) {
        const payload: CommunicationRunPayload = { projectId, communicationId: c.communicationId };
        await this.scheduler.schedule({ tenantId, kind: COMMUNICATION_RUN, key: communicationRunKey(projectId, c.communicationId), dueAt: new Date(nextRunAt(c.cadence, tx.ctx.now)), payload }, { tx: client });
      }
      for (const communicationId of cancelled) await this.scheduler.cancel(tenantId, COMMUNICATION_RUN, communicationRunKey(projectId, communicationId), { tx: client });
    });
  }

  private async run(fire: FireContext<CommunicationRunPayload>): Promise<FireResult> {
    const { tenantId, payload } = fire;
    const ctx = systemContext(NOTIFICATION_SERVICE, tenantId, undefined, { now: () => fire.firedAt });
    const stream = stakeholderRegisterStreamId(tenantId, payload.projectId);
    let communication: Communication | undefined;
    await this.writePath.runIn(fire.tx, ctx, async (tx) => {
      const { state } = await tx.load(stakeholderRegisterAggregate, stream);
      communication = state.communications.get(payload.communicationId);
      if (communication === undefined) return;
      const dueAt = fire.dueAt.toISOString();
      const since = state.lastRun.get(communication.communicationId) ?? new Date(fire.dueAt.getTime() - (communication.cadence.every === 'day' ? 1 : 7) * DAY_MS).toISOString();
      const activity = await feed.page(fire.tx, tenantId, payload.projectId, { limit: 200, since });
      const { recipients, unreachable } = await this.recipientsOf(fire.tx, tenantId, payload.projectId, state, communication);
      const event: IncomingEvent = {
        eventId: derivedUuid('communication-run', [payload.projectId, communication.communicationId, dueAt]),
        type: 'pm.notification.CommunicationSent',
        severity: 'low',
        projectId: payload.projectId,
        subject: { kind: 'project', id: payload.projectId, projectId: payload.projectId },
        title: statusSummaryTitle(activity.items),
        occurredAt: dueAt,
        actor: ctx.principal.actor,
      };
      const reason = { kind: 'subscription' as const, subscriptionId: `plan:${communication.communicationId}`.slice(0, 100) };
      const routes: Route[] = recipients.map(({ userId, channel }) => ({ notificationId: notificationIdOf(event.eventId, userId, channel), recipientId: userId, channel, delivery: { mode: 'now' }, reason }));
      const { events } = await tx.decide(stakeholderRegisterAggregate, stream, {
        type: 'RecordCommunicationSent',
        data: { projectId: payload.projectId, communicationId: communication.communicationId, dueAt, recipients: recipients.map((r) => r.userId), unreachable, changes: activity.items.length },
        metadata: metadataOf(ctx),
      });
      // A second firing for the same due time (a retry after a rollback elsewhere) records and tells nothing again.
      if (events.length > 0) await createNotificationsInPlan(tx, { routes, preferences: new Map() }, event, this.scheduler);
    });
    if (communication === undefined) {
      this.log.log({ tenantId, key: fire.key }, 'communication no longer planned; item removed');
      return undefined;
    }
    this.store.notifyAppended();
    return { nextDueAt: new Date(nextRunAt(communication.cadence, fire.firedAt.toISOString())) };
  }

  /** Stakeholders with an account on their channel, then the roles' people in-app; each person once, capped. */
  private async recipientsOf(
    q: PoolClient,
    tenantId: string,
    projectId: string,
    state: StakeholderRegisterState,
    communication: Communication,
  ): Promise<{ recipients: Array<{ userId: string; channel: Channel }>; unreachable: string[] }> {
    const recipients = new Map<string, Channel>();
    const unreachable: string[] = [];
    for (const stakeholderId of communication.audience.stakeholders) {
      const stakeholder = state.stakeholders.get(stakeholderId);
      if (stakeholder === undefined) continue;
      if (stakeholder.userId === null) unreachable.push(stakeholderId);
      else if (!recipients.has(stakeholder.userId)) recipients.set(stakeholder.userId, stakeholder.preferredChannel);
    }
    const roles: ReadonlySet<string> = new Set(communication.audience.roles);
    if (roles.size > 0) {
      for (const person of await directory.candidates(q, tenantId, projectId)) {
        // A project manager hears of their own projects only; tenant-wide roles of every project.
        const hasRole = person.roles.some((role) => roles.has(role) && (role !== 'project-manager' || person.ownProjects.includes(projectId)));
        if (hasRole && !recipients.has(person.userId)) recipients.set(person.userId, 'in-app');
      }
    }
    return { recipients: [...recipients].slice(0, MAX_RECIPIENTS_PER_RUN).map(([userId, channel]) => ({ userId, channel })), unreachable };
  }
}
