import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TOPICS } from '@pm/contracts';
import { AuthModule } from '@pm/platform/auth';
import { RateLimitModule } from '@pm/platform/rate-limit';
import { EventStoreModule } from '@pm/platform/event-store';
import { KafkaModule, RelayModule } from '@pm/platform/messaging';
import { ObservabilityModule } from '@pm/platform/observability';
import { RESOURCE_MIGRATIONS } from '@pm/resource/data-access';
import { ResourceFeatureModule } from '@pm/resource/feature';
import type { ResourceServiceConfig } from './config';

export const SERVICE_NAME = 'resource-service';

/** Host only: wiring, no business code. */
@Module({})
export class AppModule {
  static register(config: ResourceServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ serviceName: SERVICE_NAME }),
        AuthModule.forRoot(),
        CqrsModule.forRoot(),
        EventStoreModule.forRoot({ url: config.pgUrl, migrations: RESOURCE_MIGRATIONS, snapshotEvery: config.snapshotEvery }),
        // Per tenant and per principal, counted in this service's database so the limit holds across replicas.
        RateLimitModule.forRoot({ pgUrl: config.pgUrl }),
        KafkaModule.forRoot({ serviceName: SERVICE_NAME }),
        RelayModule.forRoot({ serviceName: SERVICE_NAME, context: 'resource', topic: TOPICS.resource }),
        ResourceFeatureModule.register(config.consumerGroupId ? { consumerGroupId: config.consumerGroupId } : {}),
      ],
    };
  }
}
