import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { PG_POOL } from '@pm/platform/event-store';
import { RiskReadQueries } from '@pm/risk/data-access';
import { ActionSignalsRunner } from './automatic/action-signals.runner';
import { AutomaticRulesController } from './automatic/automatic-rules.controller';
import { AutomaticRiskConsumer } from './automatic/automatic-risk.consumer';
import { AutomaticRiskSignals } from './automatic/automatic-risk.signals';
import { SignalEventsReactor } from './automatic/signal-events.reactor';
import { RiskDueTimers } from './due/risk-due.timers';
import { TenantCalendarReactor } from './due/tenant-calendar.reactor';
import { DueSettingsController, SetDueTimeZoneHandler } from './due/due-settings.controller';
import { RiskExposureRefresher } from './exposure/risk-exposure.refresher';
import { PlanEventsConsumer } from './simulation/plan-events.consumer';
import { ScheduleRiskController } from './simulation/schedule-risk.controller';
import { ScheduleRiskJob } from './simulation/schedule-risk.job';
import { DefineScheduleRiskSpreadHandler, ScheduleRiskSettingsController } from './simulation/schedule-risk-settings.controller';
import { SimulationPoolHost, simulationPoolProvider } from './simulation/simulation-pool.provider';
import { ExecuteIssueHandler } from './issues/issue.handler';
import { IssuesController } from './issues/issues.controller';
import { RiskRegisterController } from './register/risk-register.controller';
import { IdentifySecondaryRiskHandler, RecordOccurrenceHandler } from './register/risk-plans.handler';
import { ExecuteRiskHandler } from './register/risk.handler';
import { DefineRiskScheduleImpactHandler } from './register/risk-schedule-impact.handler';
import { RisksController } from './register/risks.controller';
import { ExecuteRiskSettingsHandler, GetRiskSettingsHandler, RiskSettingsController } from './settings/risk-settings.controller';
import { RISK_OPTIONS, riskOptions } from './shared/risk-options';
import type { RiskOptions } from './shared/risk-options';
import { RiskReadModel } from './shared/risk-read-model';

/** Risk register, issue log, tenant risk settings, automatic risks, exposure and schedule risk simulations; needs EventStoreModule, SchedulerModule, KafkaModule, RelayModule and JobsModule in the app. */
@Module({})
export class RiskFeatureModule {
  static register(options: Partial<RiskOptions> = {}): DynamicModule {
    return {
      module: RiskFeatureModule,
      imports: [CqrsModule],
      controllers: [RisksController, RiskRegisterController, IssuesController, RiskSettingsController, AutomaticRulesController, ScheduleRiskController, ScheduleRiskSettingsController, DueSettingsController],
      providers: [
        { provide: RISK_OPTIONS, useValue: riskOptions(options) },
        { provide: RiskReadQueries, useFactory: (pool: Pool) => new RiskReadQueries(pool), inject: [PG_POOL] },
        RiskReadModel,
        RiskDueTimers,
        TenantCalendarReactor,
        AutomaticRiskSignals,
        SignalEventsReactor,
        AutomaticRiskConsumer,
        ActionSignalsRunner,
        RiskExposureRefresher,
        simulationPoolProvider,
        SimulationPoolHost,
        ScheduleRiskJob,
        DefineScheduleRiskSpreadHandler,
        SetDueTimeZoneHandler,
        PlanEventsConsumer,
        ExecuteRiskHandler,
        DefineRiskScheduleImpactHandler,
        RecordOccurrenceHandler,
        IdentifySecondaryRiskHandler,
        ExecuteIssueHandler,
        ExecuteRiskSettingsHandler,
        GetRiskSettingsHandler,
      ],
      exports: [RiskReadModel, RiskExposureRefresher],
    };
  }
}
