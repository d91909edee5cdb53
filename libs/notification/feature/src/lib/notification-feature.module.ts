import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { InboxQueries, StreamTickets } from '@pm/notification/data-access';
import { PG_POOL } from '@pm/platform/event-store';
import { EmailDeliveriesController } from './email/email-deliveries.controller';
import { EMAIL_OPTIONS, emailOptions } from './email/email-options';
import { EmailSettingsController, SetEmailSenderHandler } from './email/email-settings.controller';
import { EmailTimers } from './email/email-timers';
import { SmtpMailer } from './email/smtp-mailer';
import { NotificationWriter } from './events/notification-writer';
import { SourceEventsConsumer } from './events/source-events.consumer';
import { InboxController } from './inbox/inbox.controller';
import { ActOnInboxHandler } from './inbox/inbox.handler';
import { PreferencesController } from './preferences/preferences.controller';
import { ChangePreferencesHandler } from './preferences/preferences.handler';
import { InboxReadModel } from './shared/inbox-read-model';
import { NOTIFICATION_OPTIONS, notificationOptions } from './shared/notification-options';
import type { NotificationOptions } from './shared/notification-options';
import { InboxStreamController } from './stream/inbox-stream.controller';
import { InboxWakeups } from './stream/inbox-wakeups';
import { WebhookDeliveryWorker } from './webhooks/webhook-delivery.worker';
import { WebhookEndpointCommands } from './webhooks/webhook-endpoint.commands';
import { WebhookEndpointsController } from './webhooks/webhook-endpoints.controller';
import { WebhookEventsConsumer } from './webhooks/webhook-events.consumer';
import { WEBHOOK_OPTIONS, webhookOptions } from './webhooks/webhook-options';
import type { WebhookOptions } from './webhooks/webhook-options';

/** Inbox, preferences, subscriptions, the live stream and e-mail (needs SchedulerModule), fed by every other context's events; needs EventStoreModule, KafkaModule and AuthModule in the app. */
@Module({})
export class NotificationFeatureModule {
  static register(options: Partial<NotificationOptions> = {}, webhooks: Partial<WebhookOptions> = {}): DynamicModule {
    return {
      module: NotificationFeatureModule,
      imports: [CqrsModule],
      controllers: [InboxStreamController, InboxController, PreferencesController, EmailSettingsController, EmailDeliveriesController, WebhookEndpointsController],
      providers: [
        { provide: NOTIFICATION_OPTIONS, useValue: notificationOptions(options) },
        { provide: InboxQueries, useFactory: (pool: Pool) => new InboxQueries(pool), inject: [PG_POOL] },
        { provide: StreamTickets, useFactory: (pool: Pool) => new StreamTickets(pool), inject: [PG_POOL] },
        InboxWakeups,
        InboxReadModel,
        NotificationWriter,
        SourceEventsConsumer,
        ActOnInboxHandler,
        ChangePreferencesHandler,
        { provide: EMAIL_OPTIONS, useValue: emailOptions(options.email) },
        SmtpMailer,
        EmailTimers,
        SetEmailSenderHandler,
        { provide: WEBHOOK_OPTIONS, useValue: webhookOptions(webhooks) },
        WebhookDeliveryWorker,
        WebhookEndpointCommands,
        WebhookEventsConsumer,
      ],
      exports: [InboxReadModel],
    };
  }
}
