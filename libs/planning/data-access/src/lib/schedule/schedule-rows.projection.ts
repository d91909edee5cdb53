import type { Pool, PoolClient } from 'pg';
import type { ScheduleImported, ScheduleStreamEvent } from '@pm/planning/domain';
import { readStagedEvents } from '@pm/platform/event-store';
import type { PgEventStore } from '@pm/platform/event-store';
import type { LaneProjection, ProjectionEvent } from '@pm/platform/projections';
import { streamCategoryOf } from '@pm/shared/ddd';
import { ScheduleRowWriter } from './schedule-rows.writer';
import { prepareImportRows, swapInImportRows } from './schedule-import-shadow';

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
  'ScheduleImported',
  'TaskScheduleChanged',
  'TaskUnscheduled',
  'ProjectScheduleCalculated',
  'ProjectEarnedValueCalculated',
] as const satisfies ReadonlyArray<ScheduleStreamEvent['type']>;

const PREFIX = 'pm.planning.';
const SCHEDULE_CATEGORY = 'schedule';

export const SCHEDULE_ROWS_PROJECTION = 'planning-schedule-rows';

const toScheduleEvent = (e: ProjectionEvent): ScheduleStreamEvent => ({ type: e.type.slice(PREFIX.length), data: e.data }) as ScheduleStreamEvent;

/**
 * The schedule read model as rows, one lane per schedule stream (ADR 0010). A lane's events are folded together
 * and written once per row at the end, so a batch that touches a task five times writes it once. A committed import
 * (ScheduleImported) brings its staged chunks in, page by page, before the commit event itself: chunks of an import
 * never committed are never read.
 */
export class ScheduleRowsProjection implements LaneProjection {
  readonly name = SCHEDULE_ROWS_PROJECTION;
  readonly handles: readonly string[] = SCHEDULE_EVENT_TYPES.map((type) => `${PREFIX}${type}`);
  /** Task rows the last lane batch wrote (for specs and the read benchmark). */
  lastTasksWritten = 0;
  /** Lanes whose last transaction swapped a large import in: statistics to refresh once it committed. */
  private readonly bulkLoaded = new Set<string>();

  constructor(private readonly store: PgEventStore) {}

  followsStream(streamId: string): boolean {
    return streamCategoryOf(streamId) === SCHEDULE_CATEGORY;
  }

  async applyLane(streamId: string, events: readonly ProjectionEvent[], tx: PoolClient): Promise<void> {
    if (events.length === 0) return;
    const { tenantId } = events[0];
    const projectId = (events[0].data as { projectId: string }).projectId;
    // A prepared import (prepareLane) comes first in its lane batch: its rows are swapped in, not expanded here.
    const first = toScheduleEvent(events[0]);
    const swapped = first.type === 'ScheduleImported' && (await swapInImportRows(tx, tenantId, projectId, first.data.importId)) ? first : null;
    if (swapped) this.bulkLoaded.add(streamId);
    const writer = await ScheduleRowWriter.open(tx, tenantId, projectId);
    let run: ScheduleStreamEvent[] = [];
    const applyRun = async () => {
      await writer.applyRun(run);
      run = [];
    };
    for (const e of events) {
      const event = toScheduleEvent(e);
      if (event.type === 'ScheduleImported' && event.data.importId !== swapped?.data.importId) {
        await applyRun();
        await this.applyStaged(writer, tenantId, event);
      }
      run.push(event);
    }
    await applyRun();
    await writer.flush(events[events.length - 1].streamVersion);
    this.lastTasksWritten = writer.tasksWritten;
  }

  /**
   * A swapped-in import leaves the planner's statistics behind until autovacuum catches up: page reads then pick
   * the wrong index of two that share the project prefix (measured at 100,000 tasks: 190–250 ms a page instead of
   * 3–10 ms). ANALYZE samples a bounded number of rows, so it costs about the same for any size; imports are rare.
   */
  async laneCommitted(streamId: string, pool: Pool): Promise<void> {
    if (!this.bulkLoaded.delete(streamId)) return;
    await pool.query('ANALYZE planning_schedule_tasks, planning_schedule_links');
  }

  needsPreparation(event: ProjectionEvent): boolean {
    return event.type === `${PREFIX}ScheduleImported`;
  }

  /** A committed import's rows are built in short transactions before its lane transaction (ADR 0010). */
  async prepareLane(_streamId: string, event: ProjectionEvent, pool: Pool): Promise<void> {
    const commit = toScheduleEvent(event) as ScheduleImported;
    await prepareImportRows(pool, this.store, event.tenantId, commit.data.projectId, commit.data);
  }

  private async applyStaged(writer: ScheduleRowWriter, tenantId: string, commit: ScheduleImported): Promise<void> {
    for await (const chunk of readStagedEvents(this.store, commit.data.stagingStreamId, tenantId)) {
      const events = chunk as unknown as ScheduleStreamEvent[];
      await writer.applyRun(events);
      await writer.checkpoint();
    }
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE planning_schedule_projects, planning_schedule_tasks, planning_schedule_links, planning_schedule_baselines, planning_schedule_baseline_tasks');
  }
}
