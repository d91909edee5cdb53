import type { ProjectScheduleCalculatedV1, TaskScheduleChangedV1 } from '@pm/contracts';
import { DomainError, conflict } from '@pm/planning/domain';
import type { OpenedSchedule } from '@pm/planning/domain';
import { ScheduleCycleError, SchedulingError, schedule } from '@pm/shared/scheduling';
import type { ScheduleResult, ScheduledTask } from '@pm/shared/scheduling';
import { dataDateOf } from '@pm/planning/data-access';
import type { CalculationEvent, PlannedScheduleState } from '@pm/planning/data-access';
import { scheduleInputOf } from './schedule-input.mapper';

/** The fields whose change is a schedule change worth publishing; a rename is already TaskRenamed. */
const SCHEDULE_FIELDS = [
  'start',
  'finish',
  'durationDays',
  'earlyStart',
  'earlyFinish',
  'lateStart',
  'lateFinish',
  'totalFloat',
  'freeFloat',
  'critical',
  'status',
] as const satisfies ReadonlyArray<keyof TaskScheduleChangedV1>;

const moved = (before: TaskScheduleChangedV1 | undefined, after: TaskScheduleChangedV1): boolean =>
  before === undefined || SCHEDULE_FIELDS.some((field) => before[field] !== after[field]);

/** Runs the critical-path engine; an engine refusal is a business refusal of the change that caused it. */
export function runCpm(state: OpenedSchedule, dataDate: string | null): ScheduleResult {
  try {
    return schedule(scheduleInputOf(state, dataDate));
  } catch (error) {
    if (error instanceof ScheduleCycleError) {
      throw conflict('DEPENDENCY_CYCLE', `The plan has the cycle ${[...error.cycle, error.cycle[0]].join(' → ')}`, { cycle: error.cycle });
    }
    if (error instanceof SchedulingError) {
      throw new DomainError('SCHEDULE_NOT_CALCULABLE', 'invalid', error.message, { engineCode: error.code });
    }
    throw error;
  }
}

function taskSchedule(state: OpenedSchedule, task: ScheduledTask, before: TaskScheduleChangedV1 | undefined): TaskScheduleChangedV1 {
  const wbsTask = state.tasks[task.id];
  return {
    projectId: state.projectId,
    taskId: task.id,
    name: wbsTask.name,
    kind: wbsTask.kind === 'milestone' ? 'milestone' : 'task',
    start: task.earlyStart,
    finish: task.earlyFinish,
    durationDays: task.earlyFinishOffset - task.earlyStartOffset,
    earlyStart: task.earlyStart,
    earlyFinish: task.earlyFinish,
    lateStart: task.lateStart,
    lateFinish: task.lateFinish,
    totalFloat: task.totalFloat,
    freeFloat: task.freeFloat,
    critical: task.critical,
    status: task.status,
    previousStart: before?.start ?? null,
    previousFinish: before?.finish ?? null,
  };
}

const sameProjectResult = (a: ProjectScheduleCalculatedV1 | null, b: ProjectScheduleCalculatedV1): boolean =>
  a !== null &&
  a.projectStart === b.projectStart &&
  a.projectFinish === b.projectFinish &&
  a.statusDate === b.statusDate &&
  a.taskCount === b.taskCount &&
  JSON.stringify(a.criticalPaths) === JSON.stringify(b.criticalPaths);

/**
 * What a change moved: TaskScheduleChanged for every work package whose dates, floats or criticality
 * differ from what was last published, TaskUnscheduled for those that left the plan, and
 * ProjectScheduleCalculated when anything at all moved (tasks or the project's own dates and path).
 */
export function recalculate(state: OpenedSchedule, planned: PlannedScheduleState): CalculationEvent[] {
  const result = runCpm(state, dataDateOf(planned));
  const events: CalculationEvent[] = [];
  for (const task of result.tasks) {
    const before = planned.published[task.id];
    const after = taskSchedule(state, task, before);
    if (moved(before, after)) events.push({ type: 'TaskScheduleChanged', data: after });
  }
  const scheduled = new Set(result.tasks.map((t) => t.id));
  for (const taskId of Object.keys(planned.published).sort()) {
    if (!scheduled.has(taskId)) events.push({ type: 'TaskUnscheduled', data: { projectId: state.projectId, taskId } });
  }
  const project: ProjectScheduleCalculatedV1 = {
    projectId: state.projectId,
    projectStart: result.projectStart,
    projectFinish: result.projectFinish < result.projectStart ? result.projectStart : result.projectFinish,
    durationDays: result.projectFinishOffset,
    statusDate: dataDateOf(planned),
    taskCount: result.tasks.length,
    tasksChanged: events.filter((e) => e.type === 'TaskScheduleChanged').length,
    criticalPath: [...(result.criticalPaths[0] ?? [])],
    criticalPaths: result.criticalPaths.map((path) => [...path]),
    criticalPathsTruncated: result.criticalPathsTruncated,
  };
  if (events.length > 0 || !sameProjectResult(planned.lastCalculation, project)) events.push({ type: 'ProjectScheduleCalculated', data: project });
  return events;
}
