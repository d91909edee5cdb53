import type { PoolClient } from 'pg';
import { parseEventData } from '@pm/contracts';
import type { Projection, ProjectionEvent } from '@pm/platform/projections';

const PROJECT_CREATED = 'pm.planning.ProjectCreated';
const PROJECT_RENAMED = 'pm.planning.ProjectRenamed';

/**
 * Portfolio list of projects per tenant. Every write is guarded by the stream version, so a redelivered or
 * replayed event changes nothing and rebuilding gives the same rows.
 */
export class ProjectSummaryProjection implements Projection {
  readonly name = 'project-summary';
  readonly handles = [PROJECT_CREATED, PROJECT_RENAMED];

  async apply(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    switch (event.type) {
      case PROJECT_CREATED:
        return this.created(event, tx);
      case PROJECT_RENAMED:
        return this.renamed(event, tx);
      default:
        return;
    }
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE project_summaries');
  }

  private async created(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    const { data } = parseEventData(PROJECT_CREATED, event.schemaVersion, event.data);
    await tx.query(
      `INSERT INTO project_summaries (tenant_id, project_id, name, code, description, status, priority, start_date,
         target_finish_date, sponsor, manager_id, currency, calendar_id, created_at, stream_version, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (tenant_id, project_id) DO NOTHING`,
      [
        event.tenantId,
        data.projectId,
        data.name,
        data.code,
        data.description,
        data.status,
        data.priority,
        data.startDate,
        data.targetFinishDate,
        data.sponsor,
        data.managerId,
        data.currency,
        data.calendarId,
        data.createdAt,
        event.streamVersion,
        event.occurredAt,
      ],
    );
  }

  private async renamed(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    const { data } = parseEventData(PROJECT_RENAMED, event.schemaVersion, event.data);
    await tx.query(
      `UPDATE project_summaries SET name = $3, stream_version = $4, updated_at = $5
       WHERE tenant_id = $1 AND project_id = $2 AND stream_version < $4`,
      [event.tenantId, data.projectId, data.name, event.streamVersion, event.occurredAt],
    );
  }
}
