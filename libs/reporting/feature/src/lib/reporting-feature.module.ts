import { Module } from '@nestjs/common';
import { PortfolioProjectionsConsumer } from './portfolio-projections.consumer';
import { PortfolioController } from './portfolio.controller';

/** Portfolio read models and their API; needs EventStoreModule (the pool) and KafkaModule in the app. */
@Module({ controllers: [PortfolioController], providers: [PortfolioProjectionsConsumer] })
export class ReportingFeatureModule {}
