import { EVENT_STORE_MIGRATIONS } from '@pm/platform/event-store';
import { JOBS_MIGRATIONS } from '@pm/platform/jobs';
import { PlanningImportInputsSchema1764300000400 } from './import/import-input.store';
import { MESSAGING_MIGRATIONS } from '@pm/platform/messaging';
import { PROJECTION_MIGRATIONS } from '@pm/platform/projections';
import { PlanningChangeRequestRowsSchema1764600000100 } from './change-requests/change-request-rows.migration';
import { PlanningActualCostsSchema1764200000200 } from './actual-cost/actual-cost.migration';
import { PlanningLevellingProposalsSchema1764200000300 } from './levelling/levelling-proposal.migration';
import { PlanningScheduleViewSchema1764200000100 } from './schedule/schedule-view.migration';
import { PlanningScheduleRollupsSchema1764500000100, PlanningScheduleRowsSchema1764400000200 } from './schedule/schedule-rows.migration';
import { PlanningContractRepair1764300000200, PlanningScheduleViewRebuild1764300000100, PlanningTenantScopedStreamIds1764300000000 } from './planning-stream-ids.migration';

/** Everything the planning database needs, in order. */
export const PLANNING_MIGRATIONS = [...EVENT_STORE_MIGRATIONS, ...MESSAGING_MIGRATIONS, ...PROJECTION_MIGRATIONS, PlanningScheduleViewSchema1764200000100, PlanningActualCostsSchema1764200000200, PlanningLevellingProposalsSchema1764200000300, PlanningContractRepair1764300000200, PlanningTenantScopedStreamIds1764300000000, PlanningScheduleViewRebuild1764300000100, ...JOBS_MIGRATIONS, PlanningImportInputsSchema1764300000400, PlanningScheduleRowsSchema1764400000200, PlanningScheduleRollupsSchema1764500000100, PlanningChangeRequestRowsSchema1764600000100];
