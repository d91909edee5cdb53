import { toProjectId } from '../project/project.ids';
import { metadataAt } from '../testing/decider-specification';
import type { TaskDates } from './schedule.commands';
import type { BaselineSaved, DependencyType, ScheduleEvent, TaskAddedToWbs, TaskKind, TaskScheduleChanged } from './schedule.events';
import { toDependencyId, toTaskId } from './schedule.ids';
import { STANDARD_CALENDAR } from './project-calendar';

export const projectId = toProjectId('p-100');
export const now = '2025-03-03T09:00:00.000Z';
export const meta = metadataAt(now);
/** A Monday. */
export const projectStart = '2025-03-03';
export const T = toTaskId;
export const D = toDependencyId;

export const scheduleOpened: ScheduleEvent = {
  type: 'ScheduleOpened',
  data: { projectId, projectStart, calendar: STANDARD_CALENDAR, openedAt: now },
};

export function added(
  taskId: string,
  kind: TaskKind = 'task',
  parentId: string | null = null,
  position = 0,
  extra: Partial<TaskAddedToWbs['data']> = {},
): TaskAddedToWbs {
  return {
    type: 'TaskAddedToWbs',
    data: {
      projectId,
      taskId,
      name: `Task ${taskId}`,
      kind,
      parentId,
      position,
      durationDays: kind === 'task' ? 5 : 0,
      workHours: null,
      costBudget: null,
      ...extra,
    },
  };
}

export const linked = (dependencyId: string, predecessorId: string, successorId: string, dependencyType: DependencyType = 'FS', lagDays = 0): ScheduleEvent => ({
  type: 'DependencyLinked',
  data: { projectId, dependencyId, predecessorId, successorId, dependencyType, lagDays },
});

/**
 * 1 Build (summary)
 *   1.1 design (task)
 *   1.2 code (task)
 *   1.3 release (milestone)
 * 2 Run (summary)
 */
export const smallWbs: ScheduleEvent[] = [
  scheduleOpened,
  added('build', 'summary', null, 0),
  added('design', 'task', 'build', 0),
  added('code', 'task', 'build', 1),
  added('release', 'milestone', 'build', 2),
  added('run', 'summary', null, 1),
];

/** A plan of 20 000 over three weeks, baselined as baseline 0. */
export const baselineWbs: ScheduleEvent[] = [
  scheduleOpened,
  added('build', 'summary', null, 0),
  added('design', 'task', 'build', 0, { durationDays: 5, workHours: 40, costBudget: 4000 }),
  added('code', 'task', 'build', 1, { durationDays: 10, workHours: 160, costBudget: 16000 }),
  added('release', 'milestone', 'build', 2),
];
export const baselineTaskDates: Record<string, TaskDates> = {
  build: { start: '2025-03-03', finish: '2025-03-21' },
  design: { start: '2025-03-03', finish: '2025-03-07' },
  code: { start: '2025-03-10', finish: '2025-03-21' },
  release: { start: '2025-03-21', finish: '2025-03-21' },
};
export const baseline0: BaselineSaved = {
  type: 'BaselineSaved',
  data: {
    projectId,
    baselineNumber: 0,
    savedAt: now,
    tasks: [
      { taskId: 'build', kind: 'summary', start: '2025-03-03', finish: '2025-03-21', durationDays: 15, workHours: 200, cost: 20000 },
      { taskId: 'design', kind: 'task', start: '2025-03-03', finish: '2025-03-07', durationDays: 5, workHours: 40, cost: 4000 },
      { taskId: 'code', kind: 'task', start: '2025-03-10', finish: '2025-03-21', durationDays: 10, workHours: 160, cost: 16000 },
      { taskId: 'release', kind: 'milestone', start: '2025-03-21', finish: '2025-03-21', durationDays: 0, workHours: 0, cost: 0 },
    ],
  },
};

/** What a calculation published for one task: enough for rules that read the published start. */
export const scheduled = (taskId: string, start: string, finish: string = start): TaskScheduleChanged => ({
  type: 'TaskScheduleChanged',
  data: {
    projectId,
    taskId,
    name: taskId,
    kind: 'task',
    start,
    finish,
    durationDays: 1,
    earlyStart: start,
    earlyFinish: finish,
    lateStart: start,
    lateFinish: finish,
    totalFloat: 0,
    freeFloat: 0,
    critical: true,
    status: 'not-started',
    previousStart: null,
    previousFinish: null,
  },
});

/** Dates per task as the SaveBaseline command takes them. */
export const taskDatesOf = (dates: Readonly<Record<string, TaskDates>>): ReadonlyMap<string, TaskDates> => new Map(Object.entries(dates));
