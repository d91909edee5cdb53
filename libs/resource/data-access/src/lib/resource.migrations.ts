import { EVENT_STORE_MIGRATIONS } from '@pm/platform/event-store';
import { MESSAGING_MIGRATIONS } from '@pm/platform/messaging';
import { PROJECTION_MIGRATIONS } from '@pm/platform/projections';
import { ResourceAllocationDirtyCauseSchema1764200004000 } from './allocation-dirty';
import { ResourceReadModelSchema1764200000000 } from './resource-read-model.schema';
import { ResourcePlanningProjectsSchema1764200002000 } from './planning-projects.schema';
import { ResourceTenantSettingsSchema1764200001000 } from './tenant-settings.schema';
import { ResourceUtilisationHorizonSchema1764200003000 } from './utilisation-horizon';
import { ResourceContractRepair1764300000200, ResourceTenantScopedStreamIds1764300000300 } from './resource-stream-ids.migration';

/** Everything the resource database needs, in order. */
export const RESOURCE_MIGRATIONS = [...EVENT_STORE_MIGRATIONS, ...MESSAGING_MIGRATIONS, ...PROJECTION_MIGRATIONS, ResourceReadModelSchema1764200000000, ResourceTenantSettingsSchema1764200001000, ResourcePlanningProjectsSchema1764200002000, ResourceUtilisationHorizonSchema1764200003000, ResourceAllocationDirtyCauseSchema1764200004000, ResourceContractRepair1764300000200, ResourceTenantScopedStreamIds1764300000300];
