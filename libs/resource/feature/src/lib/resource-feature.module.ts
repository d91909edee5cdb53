import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { PG_POOL } from '@pm/platform/event-store';
import { ResourceReadQueries, UtilisationQueries } from '@pm/resource/data-access';
import { AllocationEvaluator } from './allocation/allocation.evaluator';
import { ReadModelSync } from './allocation/read-model.sync';
import { AssignmentsController } from './assignments/assignments.controller';
import { ExecuteAssignmentHandler, GetAssignmentHandler } from './assignments/assignments.handler';
import { CapacityCalculator } from './capacity/capacity.calculator';
import { CapacityController } from './capacity/capacity.controller';
import { CostsController } from './costs/costs.controller';
import { ExecuteBudgetHandler, ExecuteTimesheetHandler, GetBudgetHandler } from './costs/costs.handler';
import { TimesheetApprovalTransaction } from './costs/timesheet-approval.transaction';
import { ImportMspdiResourcesHandler } from './import/mspdi-resource-import.handler';
import { ResourceImportController } from './import/resource-import.controller';
import { LevellingController } from './levelling/levelling.controller';
import { PlanningEventsConsumer } from './planning/planning-events.consumer';
import { ResourcePoolController } from './pool/resource-pool.controller';
import { ExecuteResourceHandler, GetResourceHandler } from './pool/resource-pool.handler';
import { ExecuteTenantSettingsHandler, GetTenantSettingsHandler, TenantSettingsController } from './settings/tenant-settings.controller';
import { RESOURCE_OPTIONS, resourceOptions } from './shared/resource-options';
import type { ResourceOptions } from './shared/resource-options';

/** Resource pool, assignments, capacity, over-allocation; needs EventStoreModule, KafkaModule and RelayModule in the app. */
@Module({})
export class ResourceFeatureModule {
  static register(options: Partial<ResourceOptions> = {}): DynamicModule {
    return {
      module: ResourceFeatureModule,
      imports: [CqrsModule],
      controllers: [ResourceImportController, ResourcePoolController, AssignmentsController, CapacityController, CostsController, LevellingController, TenantSettingsController],
      providers: [
        { provide: RESOURCE_OPTIONS, useValue: resourceOptions(options) },
        { provide: ResourceReadQueries, useFactory: (pool: Pool) => new ResourceReadQueries(pool), inject: [PG_POOL] },
        { provide: UtilisationQueries, useFactory: (pool: Pool) => new UtilisationQueries(pool), inject: [PG_POOL] },
        CapacityCalculator,
        AllocationEvaluator,
        ReadModelSync,
        PlanningEventsConsumer,
        ExecuteResourceHandler,
        GetResourceHandler,
        ExecuteAssignmentHandler,
        GetAssignmentHandler,
        TimesheetApprovalTransaction,
        ExecuteTimesheetHandler,
        ExecuteBudgetHandler,
        GetBudgetHandler,
        ExecuteTenantSettingsHandler,
        GetTenantSettingsHandler,
        ImportMspdiResourcesHandler,
      ],
    };
  }
}
