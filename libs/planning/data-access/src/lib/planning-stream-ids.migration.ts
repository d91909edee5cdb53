import type { MigrationInterface, QueryRunner } from 'typeorm';
import { contractRepairMigration, tenantScopedStreamIdsMigration } from '@pm/platform/event-store';

/** Planning's streams carry their tenant (ADR 0008): `schedule-<project>` becomes `schedule:<tenant>:<project>`. */
export const PlanningTenantScopedStreamIds1764300000000 = tenantScopedStreamIdsMigration('PlanningTenantScopedStreamIds1764300000000', [
  { oldPrefix: 'project-', category: 'project' },
  { oldPrefix: 'schedule-', category: 'schedule' },
  { oldPrefix: 'change-request-', category: 'change-request' },
  { oldPrefix: 'tenant-calendar-', category: 'tenant-calendar', perTenant: true },
]);

/**
 * The schedule read model's document is now the schedule state as the snapshot codec writes it (Maps as entry
 * lists): the old documents are dropped and the projection replays the store from the start.
 */
export class PlanningScheduleViewRebuild1764300000100 implements MigrationInterface {
  name = 'PlanningScheduleViewRebuild1764300000100';
  async up(q: QueryRunner): Promise<void> {
    await q.query('TRUNCATE planning_schedule_views');
    await q.query(`DELETE FROM projection_checkpoints WHERE projection = 'planning-schedule-view'`);
  }
  async down(): Promise<void> {
    // A rebuild has nothing to undo.
  }
}

/** Events stored before contracts were enforced that break them (ADR 0008): see `contractRepairMigration`. */
export const PlanningContractRepair1764300000200 = contractRepairMigration('PlanningContractRepair1764300000200', 'planning');
