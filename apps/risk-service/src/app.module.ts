import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TOPICS } from '@pm/contracts';
import { AuthModule } from '@pm/platform/auth';
import { RateLimitModule } from '@pm/platform/rate-limit';
import { EventStoreModule } from '@pm/platform/event-store';
import { JobsModule } from '@pm/platform/jobs';
import { KafkaModule, RelayModule } from '@pm/platform/messaging';
import { ObservabilityModule } from '@pm/platform/observability';
import { SchedulerModule } from '@pm/platform/scheduler';
import { RISK_MIGRATIONS } from '@pm/risk/data-access';
import { RiskFeatureModule } from '@pm/risk/feature';
import type { RiskServiceConfig } from './config';

export const SERVICE_NAME = 'risk-service';

/** Host only: wiring, no business code. */
@Module({})
export class AppModule {
  static register(config: RiskServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ serviceName: SERVICE_NAME }),
        AuthModule.forRoot(),
        CqrsModule.forRoot(),
        EventStoreModule.forRoot({ url: config.pgUrl, migrations: RISK_MIGRATIONS, snapshotEvery: config.snapshotEvery }),
        // Per tenant and per principal, counted in this service's database so the limit holds across replicas.
        RateLimitModule.forRoot({ pgUrl: config.pgUrl }),
        // Overdue reviews and mitigation actions: due times in this service's database, fired once across replicas.
        SchedulerModule.forRoot({ name: SERVICE_NAME, clock: config.clock, pollIntervalMs: config.schedulerPollMs }),
        KafkaModule.forRoot({ serviceName: SERVICE_NAME }),
        RelayModule.forRoot({ serviceName: SERVICE_NAME, context: 'risk', topic: TOPICS.risk }),
        // Monte Carlo runs (ADR 0304): each uses every core, so one at a time per replica by default.
        JobsModule.forRoot({ name: SERVICE_NAME, store: { limits: config.jobLimits }, runner: { concurrency: config.jobConcurrency ?? 1 } }),
        RiskFeatureModule.register({
          ...(config.consumerGroupId ? { consumerGroupId: config.consumerGroupId } : {}),
          ...(config.planConsumerGroupId ? { planConsumerGroupId: config.planConsumerGroupId } : {}),
        }),
      ],
    };
  }
}
