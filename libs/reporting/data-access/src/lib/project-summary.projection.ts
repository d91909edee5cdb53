import { eventDataOf } from '@pm/platform/projections';
import type { PoolClient } from 'pg';
import type { Projection, ProjectionEvent } from '@pm/platform/projections';
import { writeSummaries } from './project-summary.batch';
import type { SummaryChange } from './project-summary.batch';

const PROJECT_CREATED = 'pm.planning.ProjectCreated';
const PROJECT_RENAMED = 'pm.planning.ProjectRenamed';

/** Lifecycle events and the status each leaves the project in. */
const STATUS_AFTER: Record<string, (data: Record<string, unknown>) => string> = {
  'pm.planning.ProjectPhaseAdvanced': (d) => String(d.toPhase),
  'pm.planning.ProjectClosed': () => 'closed',
  'pm.planning.ProjectPutOnHold': () => 'on-hold',
  'pm.planning.ProjectResumed': (d) => String(d.resumedTo),
  'pm.planning.ProjectCancelled': () => 'cancelled',
};

/** An update arrived before the row it updates exists (e.g. its create is still being redelivered): retry later. */
export class ProjectSummaryMissing extends Error {
  readonly code = 'PROJECT_SUMMARY_MISSING';
  constructor(readonly projectId: string) {
    super(`No summary yet for project ${projectId}; the update will be retried`);
    this.name = 'ProjectSummaryMissing';
  }
}

/**
 * Portfolio list of projects per tenant. Every write is guarded by the stream version, so a redelivered or
 * replayed event changes nothing and rebuilding gives the same rows.
 */
export class ProjectSummaryProjection implements Projection {
  readonly name = 'project-summary';
  readonly handles = [PROJECT_CREATED, PROJECT_RENAMED, ...Object.keys(STATUS_AFTER)];

  async apply(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    switch (event.type) {
      case PROJECT_CREATED:
        return this.created(event, tx);
      case PROJECT_RENAMED:
        return this.renamed(event, tx);
      default: {
        const statusAfter = STATUS_AFTER[event.type];
        if (statusAfter) return this.statusChanged(event, statusAfter, tx);
        return;
      }
    }
  }

  /** The same rows as `apply` of each event in order, in two statements (ADR 0504). */
  async applyBatch(events: readonly ProjectionEvent[], tx: PoolClient): Promise<void> {
    await writeSummaries(tx, events.flatMap((e) => this.change(e)), (projectId) => {
      throw new ProjectSummaryMissing(projectId);
    });
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE project_summaries');
  }

  private change(event: ProjectionEvent): SummaryChange[] {
    const at = { tenantId: event.tenantId, streamVersion: event.streamVersion, at: event.occurredAt };
    if (event.type === PROJECT_CREATED) {
      const { data: d } = eventDataOf(PROJECT_CREATED, event);
      const row = {
        tenant_id: event.tenantId,
        project_id: d.projectId,
        name: d.name,
        code: d.code,
        description: d.description,
        status: d.status,
        priority: d.priority,
        start_date: d.startDate,
        target_finish_date: d.targetFinishDate,
        sponsor: d.sponsor,
        manager_id: d.managerId,
        currency: d.currency,
        calendar_id: d.calendarId,
        created_at: d.createdAt,
        stream_version: event.streamVersion,
        updated_at: event.occurredAt,
      };
      return [{ kind: 'created', row }];
    }
    if (event.type === PROJECT_RENAMED) {
      const { data } = eventDataOf(PROJECT_RENAMED, event);
      return [{ kind: 'set', ...at, projectId: data.projectId, column: 'name', value: data.name }];
    }
    const statusAfter = STATUS_AFTER[event.type];
    if (!statusAfter) return [];
    const { data } = eventDataOf(event.type, event) as { data: Record<string, unknown> };
    return [{ kind: 'set', ...at, projectId: String(data.projectId), column: 'status', value: statusAfter(data) }];
  }

  private async created(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    const { data } = eventDataOf(PROJECT_CREATED, event);
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
    const { data } = eventDataOf(PROJECT_RENAMED, event);
    await this.update(tx, event, data.projectId, 'name', data.name);
  }

  private async statusChanged(event: ProjectionEvent, statusAfter: (d: Record<string, unknown>) => string, tx: PoolClient): Promise<void> {
    const { data } = eventDataOf(event.type, event) as { data: Record<string, unknown> };
    await this.update(tx, event, String(data.projectId), 'status', statusAfter(data));
  }

  /**
   * Applies one field change if the event is newer than the row. No row at all means the create has not been
   * applied yet: throwing keeps the inbox row uncommitted, so the update is retried instead of lost.
   */
  private async update(tx: PoolClient, event: ProjectionEvent, projectId: string, column: 'name' | 'status', value: string): Promise<void> {
    const res = await tx.query<{ found: boolean }>(
      `WITH target AS (SELECT stream_version FROM project_summaries WHERE tenant_id = $1 AND project_id = $2 FOR UPDATE),
       changed AS (
         UPDATE project_summaries SET ${column} = $3, stream_version = $4, updated_at = $5
         WHERE tenant_id = $1 AND project_id = $2 AND stream_version < $4 RETURNING 1
       )
       SELECT EXISTS (SELECT 1 FROM target) AS found`,
      [event.tenantId, projectId, value, event.streamVersion, event.occurredAt],
    );
    if (!res.rows[0].found) throw new ProjectSummaryMissing(projectId);
  }
}
