import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TOPICS } from '@pm/contracts';
import { PLANNING_MIGRATIONS } from '@pm/planning/data-access';
import { PlanningFeatureModule } from '@pm/planning/feature';
import { AuthModule } from '@pm/platform/auth';
import { RateLimitModule } from '@pm/platform/rate-limit';
import { EventStoreModule } from '@pm/platform/event-store';
import { JobsModule } from '@pm/platform/jobs';
import { KafkaModule, RelayModule } from '@pm/platform/messaging';
import { ObservabilityModule } from '@pm/platform/observability';
import type { PlanningServiceConfig } from './config';

export const SERVICE_NAME = 'planning-service';

/** Host only: wiring, no business code. */
@Module({})
export class AppModule {
  static register(config: PlanningServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ serviceName: SERVICE_NAME }),
        AuthModule.forRoot(),
        CqrsModule.forRoot(),
        EventStoreModule.forRoot({ url: config.pgUrl, migrations: PLANNING_MIGRATIONS, snapshotEvery: config.snapshotEvery }),
        // Per tenant and per principal, counted in this service's database so the limit holds across replicas.
        RateLimitModule.forRoot({ pgUrl: config.pgUrl }),
        KafkaModule.forRoot({ serviceName: SERVICE_NAME }),
        RelayModule.forRoot({ serviceName: SERVICE_NAME, context: 'planning', topic: TOPICS.planning }),
        // Imports (and later exports) run as jobs: one per project at a time, a bounded queue and a running limit per tenant.
        JobsModule.forRoot({ name: SERVICE_NAME, store: { limits: config.jobLimits }, runner: { concurrency: config.jobConcurrency } }),
        PlanningFeatureModule.forRoot({
          changeApproval: config.changeApproval,
          consumer: { consumerGroupId: config.consumerGroupId ?? SERVICE_NAME },
          imports: config.imports,
        }),
      ],
    };
  }
}
