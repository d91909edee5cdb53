import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { CommentQueries, InboxQueries, StreamTickets } from '@pm/notification/data-access';
import { PG_POOL } from '@pm/platform/event-store';
import { ActivityController } from './activity/activity.controller';
import { CommentsReadModel } from './comments/comments-read-model';
import { CommentsController } from './comments/comments.controller';
import { ActOnCommentHandler } from './comments/comments.handler';
import { EmailDeliveriesController } from './email/email-deliveries.controller';
import { EMAIL_OPTIONS, emailOptions } from './email/email-options';
import { EmailSettingsController, SetEmailSenderHandler } from './email/email-settings.controller';
import { EmailTimers } from './email/email-timers';
import { SmtpMailer } from './email/smtp-mailer';
import { ChangeEscalationSettingsHandler } from './escalation/escalation-settings.handler';
import { EscalationController } from './escalation/escalation.controller';
import { Escalations } from './escalation/escalations';
import { NotificationRecipients } from './events/notification-recipients';
import { NotificationWriter } from './events/notification-writer';
import { SourceEventsConsumer } from './events/source-events.consumer';
import { InboxController } from './inbox/inbox.controller';
import { ActOnInboxHandler } from './inbox/inbox.handler';
import { PreferencesController } from './preferences/preferences.controller';
import { ChangeRoleSubscriptionsHandler, RoleSubscriptionsController } from './preferences/role-subscriptions.controller';
import { ChangePreferencesHandler } from './preferences/preferences.handler';
import { InboxReadModel } from './shared/inbox-read-model';
import { NOTIFICATION_OPTIONS, notificationOptions } from './shared/notification-options';
import type { NotificationOptions } from './shared/notification-options';
import { CommunicationRuns } from './stakeholders/communication-runs';
import { StakeholdersController } from './stakeholders/stakeholders.controller';
import { ChangeStakeholderRegisterHandler } from './stakeholders/stakeholders.handler';
import { InboxStreamController } from './stream/inbox-stream.controller';
import { InboxWakeups } from './stream/inbox-wakeups';
import { WebhookDeliveryWorker } from './webhooks/webhook-delivery.worker';
import { WebhookEndpointCommands } from './webhooks/webhook-endpoint.commands';
import { WebhookEndpointsController } from './webhooks/webhook-endpoints.controller';
import { WebhookEventsConsumer } from './webhooks/webhook-events.consumer';
import { WEBHOOK_OPTIONS, webhookOptions } from './webhooks/webhook-options';
import type { WebhookOptions } from './webhooks/webhook-options';

/** Inbox, preferences, subscriptions, the live stream, e-mail, escalation and collaboration, fed by every other context's events; needs EventStoreModule, SchedulerModule, KafkaModule and AuthModule in the app. */
@Module({})
export class NotificationFeatureModule {
  static register(options: Partial<NotificationOptions> = {}, webhooks: Partial<WebhookOptions> = {}): DynamicModule {
    return {
      module: NotificationFeatureModule,
      imports: [CqrsModule],
      controllers: [
        InboxStreamController,
        InboxController,
        PreferencesController,
        RoleSubscriptionsController,
        EmailSettingsController,
        EmailDeliveriesController,
        WebhookEndpointsController,
        EscalationController,
        CommentsController,
        ActivityController,
        StakeholdersController,
      ],
      providers: [
        { provide: NOTIFICATION_OPTIONS, useValue: notificationOptions(options) },
        { provide: InboxQueries, useFactory: (pool: Pool) => new InboxQueries(pool), inject: [PG_POOL] },
        { provide: StreamTickets, useFactory: (pool: Pool) => new StreamTickets(pool), inject: [PG_POOL] },
        { provide: CommentQueries, useFactory: (pool: Pool) => new CommentQueries(pool), inject: [PG_POOL] },
        InboxWakeups,
        InboxReadModel,
        NotificationRecipients,
        NotificationWriter,
        SourceEventsConsumer,
        ActOnInboxHandler,
        ChangePreferencesHandler,
        ChangeRoleSubscriptionsHandler,
        { provide: EMAIL_OPTIONS, useValue: emailOptions(options.email) },
        SmtpMailer,
        EmailTimers,
        SetEmailSenderHandler,
        { provide: WEBHOOK_OPTIONS, useValue: webhookOptions(webhooks) },
        WebhookDeliveryWorker,
        WebhookEndpointCommands,
        WebhookEventsConsumer,
        Escalations,
        ChangeEscalationSettingsHandler,
        ActOnCommentHandler,
        CommentsReadModel,
        CommunicationRuns,
        ChangeStakeholderRegisterHandler,
      ],
      exports: [InboxReadModel, CommentsReadModel],
    };
  }
}
