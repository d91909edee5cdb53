import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { PortfolioProjectionsConsumer, REPORTING_OPTIONS, REPORTING_SERVICE } from './portfolio-projections.consumer';
import type { ReportingOptions } from './portfolio-projections.consumer';
import { PortfolioCurvesController } from './portfolio-curves.controller';
import { PortfolioHeatMapsController } from './portfolio-heat-maps.controller';
import { PortfolioReportController } from './portfolio-report.controller';
import { PortfolioController } from './portfolio.controller';
import { freshnessControllers, freshnessProviders } from './freshness.providers';

/** Portfolio read models and their API; needs EventStoreModule (the pool) and KafkaModule in the app. */
@Module({})
export class ReportingFeatureModule {
  static register(options: Partial<ReportingOptions> = {}): DynamicModule {
    return {
      module: ReportingFeatureModule,
      controllers: [PortfolioController, PortfolioReportController, PortfolioCurvesController, PortfolioHeatMapsController, ...freshnessControllers],
      providers: [
        { provide: REPORTING_OPTIONS, useValue: { consumerGroupId: options.consumerGroupId ?? REPORTING_SERVICE } },
        PortfolioProjectionsConsumer,
        ...freshnessProviders,
      ],
    };
  }
}
