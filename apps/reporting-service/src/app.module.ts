import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { AuthModule } from '@pm/platform/auth';
import { RateLimitModule } from '@pm/platform/rate-limit';
import { EventStoreModule } from '@pm/platform/event-store';
import { KafkaModule } from '@pm/platform/messaging';
import { ObservabilityModule } from '@pm/platform/observability';
import { REPORTING_MIGRATIONS } from '@pm/reporting/data-access';
import { ReportingFeatureModule } from '@pm/reporting/feature';
import type { ReportingServiceConfig } from './config';

export const SERVICE_NAME = 'reporting-service';

/** Host only. Reporting writes no events: the database holds its inbox and read models. */
@Module({})
export class AppModule {
  static register(config: ReportingServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ serviceName: SERVICE_NAME }),
        AuthModule.forRoot(),
        EventStoreModule.forRoot({ url: config.pgUrl, migrations: REPORTING_MIGRATIONS }),
        // Per tenant and per principal, counted in this service's database so the limit holds across replicas.
        RateLimitModule.forRoot({ pgUrl: config.pgUrl }),
        KafkaModule.forRoot({ serviceName: SERVICE_NAME }),
        ReportingFeatureModule.register({ consumerGroupId: config.consumerGroupId }),
      ],
    };
  }
}
