import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TOPICS } from '@pm/contracts';
import { NOTIFICATION_MIGRATIONS } from '@pm/notification/data-access';
import { NotificationFeatureModule } from '@pm/notification/feature';
import type { NotificationOptions, WebhookOptions } from '@pm/notification/feature';
import { AuthModule } from '@pm/platform/auth';
import { EventStoreModule } from '@pm/platform/event-store';
import { KafkaModule, RelayModule } from '@pm/platform/messaging';
import { ObservabilityModule } from '@pm/platform/observability';
import { RateLimitModule } from '@pm/platform/rate-limit';
import { SchedulerModule } from '@pm/platform/scheduler';
import type { NotificationServiceConfig } from './config';

export const SERVICE_NAME = 'notification-service';

/** Host only: wiring, no business code. */
@Module({})
export class AppModule {
  static register(config: NotificationServiceConfig): DynamicModule {
    const options: Partial<NotificationOptions> = {
      ...(config.consumerGroupId ? { consumerGroupId: config.consumerGroupId } : {}),
      ...(config.streamPollMs ? { streamPollMs: config.streamPollMs } : {}),
      ...(config.ticketTtlSeconds ? { ticketTtlSeconds: config.ticketTtlSeconds } : {}),
      ...(config.maxEventAgeMinutes ? { maxEventAgeMinutes: config.maxEventAgeMinutes } : {}),
      ...(config.email ? { email: config.email } : {}),
      ...(config.consumerConcurrency ? { consumerConcurrency: config.consumerConcurrency } : {}),
      ...(config.consumerMaxBatchMs ? { consumerMaxBatchMs: config.consumerMaxBatchMs } : {}),
    };
    const webhooks: Partial<WebhookOptions> = {
      // A spec that names its inbox group gets a webhook group of its own too (instances side by side on one broker).
      ...(config.webhookConsumerGroupId || config.consumerGroupId ? { consumerGroupId: config.webhookConsumerGroupId ?? `${config.consumerGroupId}-webhooks` } : {}),
      ...(config.clock ? { clock: config.clock } : {}),
      ...(config.webhookResolver ? { resolver: config.webhookResolver } : {}),
      secretKey: config.webhookSecretKey,
      production: config.production ?? false,
    };
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ serviceName: SERVICE_NAME }),
        AuthModule.forRoot(),
        CqrsModule.forRoot(),
        EventStoreModule.forRoot({ url: config.pgUrl, migrations: NOTIFICATION_MIGRATIONS }),
        // Per tenant and per principal, counted in this service's database so the limit holds across replicas.
        RateLimitModule.forRoot({ pgUrl: config.pgUrl }),
        KafkaModule.forRoot({ serviceName: SERVICE_NAME }),
        RelayModule.forRoot({ serviceName: SERVICE_NAME, context: 'notification', topic: TOPICS.notification }),
        // E-mail timers and digests (ADR 0402), webhook retries (ADR 0403), escalation checks and communication-plan runs (ADR 0404); tests inject a ManualClock.
        // A tenant may take a whole e-mail batch (registerBatch's default of 25) in one round: with the default 10, a
        // busy tenant's e-mails went out 10 to a transaction, each costing the same nine statements (ADR 0402 amendment).
        SchedulerModule.forRoot({ name: SERVICE_NAME, clock: config.clock, pollIntervalMs: config.schedulerPollMs, perTenantPerRound: 25 }),
        NotificationFeatureModule.register(options, webhooks),
      ],
    };
  }
}
