import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PLANNING_CONSUMER_OPTIONS, PLANNING_SERVICE, ResourceCostsConsumer } from './actual-cost/resource-costs.consumer';
import type { PlanningConsumerOptions } from './actual-cost/resource-costs.consumer';
import { CHANGE_APPROVAL_CONFIG, DEFAULT_CHANGE_APPROVAL_CONFIG } from './change-requests/change-approval.config';
import type { ChangeApprovalConfig } from './change-requests/change-approval.config';
import { DecideChangeRequestHandler } from './change-requests/change-request.handlers';
import { ChangeRequestsController } from './change-requests/change-requests.controller';
import { ChangeRequestRowsRunner } from './change-requests/change-request-rows.runner';
import { CreateProjectHandler } from './projects/create-project.handler';
import { GetProjectHandler } from './projects/get-project.handler';
import { ChangeProjectHandler } from './projects/lifecycle/change-project.handler';
import { ProjectLifecycleController } from './projects/lifecycle/project-lifecycle.controller';
import { SetStatusDateHandler } from './projects/lifecycle/set-status-date.handler';
import { IMPORT_OPTIONS } from './schedule/interchange/import/import.options';
import type { ImportOptions } from './schedule/interchange/import/import.options';
import { ScheduleImportJob } from './schedule/interchange/import/schedule-import.job';
import { DEFAULT_XML_LIMITS } from '@pm/shared/interchange';
import { LevellingProposalsController } from './levelling/levelling-proposals.controller';
import { ProjectsController } from './projects/projects.controller';
import { BaselinesController } from './schedule/baselines/baselines.controller';
import { ChangeScheduleHandler } from './schedule/change-schedule.handler';
import { DependenciesController } from './schedule/dependencies/dependencies.controller';
import { ProgressController } from './schedule/progress/progress.controller';
import { ScheduleInterchangeController } from './schedule/interchange/schedule-interchange.controller';
import { GetScheduleReportHandler } from './schedule/read/schedule-queries.handler';
import { ScheduleReadController } from './schedule/read/schedule-read.controller';
import { ScheduleViewRunner } from './schedule/read/schedule-view.runner';
import { ScheduleSetupController } from './schedule/setup/schedule-setup.controller';
import { WbsController } from './schedule/wbs/wbs.controller';
import { CalendarsController } from './tenant-calendar/calendars.controller';
import { GetTenantCalendarHandler, SetDefaultCalendarHandler } from './tenant-calendar/tenant-calendar.handlers';

/** 400,000 tasks (Microsoft Project's maximum) are about 70 MB of MSPDI and fit a 2 GiB worker. */
export const DEFAULT_IMPORT_OPTIONS: ImportOptions = { maxBytes: 96 * 1024 * 1024, maxTasks: 400_000, limits: DEFAULT_XML_LIMITS, workerHeapMb: 2048 };

/** Planning's HTTP API and use cases; needs EventStoreModule (and RelayModule to publish) in the app. */
@Module({
  imports: [CqrsModule],
  controllers: [
    ProjectsController,
    ProjectLifecycleController,
    ScheduleSetupController,
    WbsController,
    DependenciesController,
    ProgressController,
    BaselinesController,
    ScheduleReadController,
    ScheduleInterchangeController,
    ChangeRequestsController,
    CalendarsController,
    LevellingProposalsController,
  ],
  providers: [
    CreateProjectHandler, GetProjectHandler, ChangeProjectHandler, SetStatusDateHandler, ChangeScheduleHandler, ScheduleImportJob, GetScheduleReportHandler, ScheduleViewRunner,
    DecideChangeRequestHandler,
    ChangeRequestRowsRunner,
    GetTenantCalendarHandler,
    SetDefaultCalendarHandler,
    { provide: CHANGE_APPROVAL_CONFIG, useValue: DEFAULT_CHANGE_APPROVAL_CONFIG },
    { provide: PLANNING_CONSUMER_OPTIONS, useValue: { consumerGroupId: PLANNING_SERVICE } },
    { provide: IMPORT_OPTIONS, useValue: DEFAULT_IMPORT_OPTIONS },
    ResourceCostsConsumer,
  ],
  exports: [ScheduleViewRunner],
})
export class PlanningFeatureModule {
  /** The module with the service's configuration: approval limits come from here, never from a request body. */
  static forRoot(options: { changeApproval?: ChangeApprovalConfig; consumer?: PlanningConsumerOptions; imports?: Partial<ImportOptions> } = {}): DynamicModule {
    return {
      module: PlanningFeatureModule,
      providers: [
        { provide: IMPORT_OPTIONS, useValue: { ...DEFAULT_IMPORT_OPTIONS, ...options.imports } },
        { provide: CHANGE_APPROVAL_CONFIG, useValue: options.changeApproval ?? DEFAULT_CHANGE_APPROVAL_CONFIG },
        { provide: PLANNING_CONSUMER_OPTIONS, useValue: options.consumer ?? { consumerGroupId: PLANNING_SERVICE } },
      ],
    };
  }
}
