import { contractRepairMigration, tenantScopedStreamIdsMigration } from '@pm/platform/event-store';

/** Events stored before contracts were enforced that break them (ADR 0008): see `contractRepairMigration`. */
export const ResourceContractRepair1764300000200 = contractRepairMigration('ResourceContractRepair1764300000200', 'resource');

/** Resource streams carry their tenant (ADR 0008): `resource-<id>` becomes `resource:<tenant>:<id>`. */
export const ResourceTenantScopedStreamIds1764300000300 = tenantScopedStreamIdsMigration('ResourceTenantScopedStreamIds1764300000300', [
  { oldPrefix: 'resource-', category: 'resource' },
  { oldPrefix: 'assignment-', category: 'assignment' },
  { oldPrefix: 'allocation-', category: 'allocation' },
  { oldPrefix: 'timesheet-', category: 'timesheet' },
  { oldPrefix: 'budget-', category: 'budget' },
  { oldPrefix: 'levelling-', category: 'levelling' },
  { oldPrefix: 'tenant-settings-', category: 'tenant-settings', perTenant: true },
]);
