import type { PoolClient } from 'pg';
import { evolveSchedule, initialScheduleState } from '@pm/planning/domain';
import type { ScheduleState, ScheduleStreamEvent } from '@pm/planning/domain';
import type { Projection, ProjectionEvent } from '@pm/platform/projections';
import { decodeState, encodeState } from '@pm/shared/ddd';

const SCHEDULE_EVENT_TYPES = [
  'ScheduleOpened',
  'ProjectStartRescheduled',
  'WorkingCalendarDefined',
  'HolidayDeclared',
  'CalendarExceptionRecorded',
  'TaskAddedToWbs',
  'TaskRenamed',
  'TaskMovedInWbs',
  'TaskRemovedFromWbs',
  'TaskDurationEstimated',
  'TaskThreePointEstimated',
  'TaskWorkPlanned',
  'TaskCostBudgeted',
  'TaskConstrained',
  'DependencyLinked',
  'DependencyLagAdjusted',
  'DependencyUnlinked',
  'TaskStarted',
  'TaskProgressRecorded',
  'TaskFinished',
  'TaskActualCostRecorded',
  'ScheduleStatusDateSet',
  'BaselineSaved',
  'BaselineExtended',
  'BaselineCleared',
  'LevellingProposalAccepted',
  'LevellingProposalRejected',
  'TaskScheduleChanged',
  'TaskUnscheduled',
  'ProjectScheduleCalculated',
  'ScheduleImported',
] as const satisfies ReadonlyArray<ScheduleStreamEvent['type']>;

const PREFIX = 'pm.planning.';
const STAGED_PAGE = 50;

/**
 * One document per project schedule: the schedule state as the snapshot codec writes it. Apply is idempotent per
 * stream: an event at or below the stored stream version was already applied (redelivery, or a concurrent catch-up)
 * and is skipped.
 */
export class ScheduleViewProjection implements Projection {
  readonly name = 'planning-schedule-view';
  readonly handles: readonly string[] = SCHEDULE_EVENT_TYPES.map((type) => `${PREFIX}${type}`);

  async apply(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    const projectId = (event.data as { projectId: string }).projectId;
    const current = await tx.query<{ stream_version: number; document: unknown }>(
      'SELECT stream_version, document FROM planning_schedule_views WHERE tenant_id = $1 AND project_id = $2 FOR UPDATE',
      [event.tenantId, projectId],
    );
    const row = current.rows[0];
    if (row && row.stream_version >= event.streamVersion) return;
    const before = row ? (decodeState(row.document) as ScheduleState) : initialScheduleState();
    const type = event.type.slice(PREFIX.length) as ScheduleStreamEvent['type'];
    let state = before;
    if (type === 'ScheduleImported') {
      // A committed import (ADR 0009): the events of its staged chunks first, in chunk order, read in pages.
      const staging = (event.data as { stagingStreamId: string }).stagingStreamId;
      for (let from = 1; ; from += STAGED_PAGE) {
        const page = await tx.query<{ data: { events: ScheduleStreamEvent[] } }>(
          'SELECT data FROM es_events WHERE stream_id = $1 AND tenant_id = $2 AND stream_version >= $3 ORDER BY stream_version LIMIT $4',
          [staging, event.tenantId, from, STAGED_PAGE],
        );
        for (const chunk of page.rows) for (const staged of chunk.data.events) state = evolveSchedule(state, staged);
        if (page.rows.length < STAGED_PAGE) break;
      }
    }
    const document = evolveSchedule(state, { type, data: event.data } as ScheduleStreamEvent);
    await tx.query(
      `INSERT INTO planning_schedule_views (tenant_id, project_id, stream_version, document) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, project_id) DO UPDATE SET stream_version = EXCLUDED.stream_version, document = EXCLUDED.document, updated_at = now()
       WHERE planning_schedule_views.stream_version < EXCLUDED.stream_version`,
      [event.tenantId, projectId, event.streamVersion, JSON.stringify(encodeState(document))],
    );
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE planning_schedule_views');
  }
}
