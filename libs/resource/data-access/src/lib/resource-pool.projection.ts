import type { PoolClient } from 'pg';
import { parseEventData } from '@pm/contracts';
import type { Projection } from '@pm/platform/projections';
import { causeOf, markAllocationDirty } from './allocation-dirty';
import type { TracedProjectionEvent } from './allocation-dirty';

const T = {
  person: 'pm.resource.PersonRegistered',
  generic: 'pm.resource.GenericResourceRegistered',
  equipment: 'pm.resource.EquipmentRegistered',
  skill: 'pm.resource.SkillRecorded',
  availability: 'pm.resource.AvailabilitySet',
  leave: 'pm.resource.LeaveRecorded',
  assigned: 'pm.resource.ResourceAssigned',
  revised: 'pm.resource.AssignmentLoadRevised',
  replaced: 'pm.resource.AssignedResourceReplaced',
  removed: 'pm.resource.AssignmentRemoved',
  tenantCalendar: 'pm.resource.TenantCalendarSet',
  threshold: 'pm.resource.BudgetThresholdSet',
} as const;

/**
 * The pool and its assignments, from the service's own store. Each update is guarded by the stream version,
 * so a replay or a redelivery changes nothing; every change of demand or capacity marks the resource for
 * over-allocation re-evaluation in the same transaction.
 */
export class ResourcePoolProjection implements Projection {
  readonly name = 'resource-pool';
  readonly handles: readonly string[] = Object.values(T);

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE resource_pool, resource_assignments, tenant_settings');
  }

  async apply(event: TracedProjectionEvent, tx: PoolClient): Promise<void> {
    const { tenantId: tenant, streamVersion: v } = event;
    const cause = causeOf(event);
    switch (event.type) {
      case T.person: {
        const d = parseEventData(T.person, event.schemaVersion, event.data).data;
        await tx.query(
          `INSERT INTO resource_pool (tenant_id, resource_id, kind, name, role, department, user_id, calendar, availability_percent, stream_version)
           VALUES ($1, $2, 'person', $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
          [tenant, d.resourceId, d.name, d.role, d.department, d.userId, d.calendar ? JSON.stringify(d.calendar) : null, d.availabilityPercent, v],
        );
        // A new resource gets its capacity rows in the utilisation read model before anything is assigned to it.
        await markAllocationDirty(tx, tenant, [d.resourceId], cause);
        return;
      }
      case T.generic: {
        const d = parseEventData(T.generic, event.schemaVersion, event.data).data;
        await tx.query(
          `INSERT INTO resource_pool (tenant_id, resource_id, kind, name, role, department, stream_version) VALUES ($1, $2, 'generic', $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          [tenant, d.resourceId, d.name, d.role, d.department, v],
        );
        await markAllocationDirty(tx, tenant, [d.resourceId], cause);
        return;
      }
      case T.equipment: {
        const d = parseEventData(T.equipment, event.schemaVersion, event.data).data;
        await tx.query(`INSERT INTO resource_pool (tenant_id, resource_id, kind, name, stream_version) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [tenant, d.resourceId, d.kind, d.name, v]);
        await markAllocationDirty(tx, tenant, [d.resourceId], cause);
        return;
      }
      case T.skill: {
        const d = parseEventData(T.skill, event.schemaVersion, event.data).data;
        await this.updateResource(tx, tenant, d.resourceId, v, `skills = skills || jsonb_build_object($4::text, $5::int)`, [d.skill, d.level]);
        return;
      }
      case T.availability: {
        const d = parseEventData(T.availability, event.schemaVersion, event.data).data;
        if (await this.updateResource(tx, tenant, d.resourceId, v, 'availability_percent = $4', [d.availabilityPercent])) await markAllocationDirty(tx, tenant, [d.resourceId], cause);
        return;
      }
      case T.leave: {
        const d = parseEventData(T.leave, event.schemaVersion, event.data).data;
        if (await this.updateResource(tx, tenant, d.resourceId, v, 'leave = leave || $4::jsonb', [JSON.stringify([{ from: d.from, to: d.to }])])) {
          await markAllocationDirty(tx, tenant, [d.resourceId], cause);
        }
        return;
      }
      case T.tenantCalendar: {
        const d = parseEventData(T.tenantCalendar, event.schemaVersion, event.data).data;
        if (await this.upsertSettings(tx, tenant, v, 'calendar', JSON.stringify(d.calendar))) {
          // Everyone on the default calendar has new capacity; those with their own are re-evaluated to no effect.
          const people = await tx.query<{ resource_id: string }>("SELECT resource_id FROM resource_pool WHERE tenant_id = $1 AND kind = 'person' AND calendar IS NULL", [tenant]);
          await markAllocationDirty(tx, tenant, people.rows.map((r) => r.resource_id), cause);
        }
        return;
      }
      case T.threshold: {
        const d = parseEventData(T.threshold, event.schemaVersion, event.data).data;
        await this.upsertSettings(tx, tenant, v, 'threshold_percent', d.thresholdPercent);
        return;
      }
      default:
        return this.applyAssignment(event, tx);
    }
  }

  private async applyAssignment(event: TracedProjectionEvent, tx: PoolClient): Promise<void> {
    const { tenantId: tenant, streamVersion: v } = event;
    const cause = causeOf(event);
    switch (event.type) {
      case T.assigned: {
        const d = parseEventData(T.assigned, event.schemaVersion, event.data).data;
        const res = await tx.query(
          `INSERT INTO resource_assignments (tenant_id, assignment_id, resource_id, project_id, task_id, load, active, stream_version)
           VALUES ($1, $2, $3, $4, $5, $6, true, $7) ON CONFLICT DO NOTHING`,
          [tenant, d.assignmentId, d.resourceId, d.projectId, d.taskId, JSON.stringify(d.load), v],
        );
        if (res.rowCount) await markAllocationDirty(tx, tenant, [d.resourceId], cause);
        return;
      }
      case T.revised: {
        const d = parseEventData(T.revised, event.schemaVersion, event.data).data;
        if (await this.updateAssignment(tx, tenant, d.assignmentId, v, 'load = $4', [JSON.stringify(d.load)])) await markAllocationDirty(tx, tenant, [d.resourceId], cause);
        return;
      }
      case T.replaced: {
        const d = parseEventData(T.replaced, event.schemaVersion, event.data).data;
        if (await this.updateAssignment(tx, tenant, d.assignmentId, v, 'resource_id = $4', [d.resourceId])) {
          await markAllocationDirty(tx, tenant, [d.previousResourceId, d.resourceId], cause);
        }
        return;
      }
      case T.removed: {
        const d = parseEventData(T.removed, event.schemaVersion, event.data).data;
        if (await this.updateAssignment(tx, tenant, d.assignmentId, v, 'active = false', [])) await markAllocationDirty(tx, tenant, [d.resourceId], cause);
        return;
      }
      default:
        return;
    }
  }

  private async upsertSettings(tx: PoolClient, tenant: string, v: number, column: 'calendar' | 'threshold_percent', value: unknown): Promise<boolean> {
    const res = await tx.query(
      `INSERT INTO tenant_settings AS s (tenant_id, ${column}, stream_version) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id) DO UPDATE SET ${column} = EXCLUDED.${column}, stream_version = EXCLUDED.stream_version WHERE s.stream_version < EXCLUDED.stream_version`,
      [tenant, value, v],
    );
    return (res.rowCount ?? 0) > 0;
  }

  private async updateResource(tx: PoolClient, tenant: string, id: string, v: number, set: string, params: unknown[]): Promise<boolean> {
    const res = await tx.query(`UPDATE resource_pool SET ${set}, stream_version = $3 WHERE tenant_id = $1 AND resource_id = $2 AND stream_version < $3`, [tenant, id, v, ...params]);
    return (res.rowCount ?? 0) > 0;
  }

  private async updateAssignment(tx: PoolClient, tenant: string, id: string, v: number, set: string, params: unknown[]): Promise<boolean> {
    const res = await tx.query(`UPDATE resource_assignments SET ${set}, stream_version = $3 WHERE tenant_id = $1 AND assignment_id = $2 AND stream_version < $3`, [tenant, id, v, ...params]);
    return (res.rowCount ?? 0) > 0;
  }
}
