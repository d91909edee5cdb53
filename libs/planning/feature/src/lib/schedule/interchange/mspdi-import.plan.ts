import { toCalendarSpec } from '@pm/shared/interchange';
import type { MspdiLag, MspdiProject, MspdiTask } from '@pm/shared/interchange';
import { conflict, isDomainError, scheduleAggregate, toDependencyId, toProjectId, toTaskId } from '@pm/planning/domain';
import type { CommandMetadata, ProjectCalendar, ScheduleCommand, TaskDates, TaskKind } from '@pm/planning/domain';
import type { WritePlan } from '@pm/platform/event-store';

const dateOf = (dateTime: string | null): string | null => (dateTime === null ? null : dateTime.slice(0, 10));
export const importedTaskId = (uid: number): string => `t${uid}`;

/** The plan's calendar as the engine reads it (recurring exceptions expanded), with names for people. */
export function importedCalendar(project: MspdiProject): ProjectCalendar {
  const spec = toCalendarSpec(project);
  return {
    calendarId: 'mspdi',
    name: 'Imported from Microsoft Project',
    workingWeekdays: spec.workingWeekdays,
    hoursPerDay: spec.hoursPerDay,
    holidays: (spec.holidays ?? []).map((date) => ({ date, name: 'Non-working day' })),
    exceptions: (spec.exceptions ?? []).map((e) => ({ date: e.date, working: e.working, hours: e.hours ?? null, reason: null })),
  };
}

/** Microsoft Project allows a milestone with a duration; the domain does not, so such a task keeps its duration. */
function kindOf(task: MspdiTask): TaskKind {
  if (task.summary) return 'summary';
  return task.duration.days === 0 ? 'milestone' : 'task';
}

const lagDays = (lag: MspdiLag): number | null => (lag.unit === 'percent' ? null : lag.days);

type Apply = (command: ScheduleCommand, required: boolean, what: string) => Promise<void>;

/**
 * Decides a parsed MSPDI plan on the project's schedule, command by command, each against the state the previous ones
 * leave (one plan: one transaction, one recalculation at the end). The structure (tasks and their hierarchy) must
 * import; what the domain cannot represent (links to summaries, percentage lags, progress it refuses) is skipped and
 * reported as a warning. Returns the warnings.
 */
export async function importMspdiPlan(tx: WritePlan, streamId: string, projectId: string, project: MspdiProject, metadata: CommandMetadata): Promise<string[]> {
  const warnings: string[] = [];
  const pid = toProjectId(projectId);
  const apply: Apply = async (command, required, what) => {
    try {
      await tx.decide(scheduleAggregate, streamId, command);
    } catch (error) {
      if (required || !isDomainError(error)) throw error;
      warnings.push(`${what}: ${error.code}`);
    }
  };
  const { state } = await tx.load(scheduleAggregate, streamId);
  const projectStart = dateOf(project.properties.startDate) ?? '1970-01-01';
  const calendar = importedCalendar(project);
  if (state.status === 'open') {
    if (state.tasks.size > 0) throw conflict('SCHEDULE_NOT_EMPTY', 'Import into a schedule without tasks', { projectId });
    await apply({ type: 'DefineWorkingCalendar', data: { projectId: pid, calendar }, metadata }, true, 'calendar');
    await apply({ type: 'RescheduleProjectStart', data: { projectId: pid, projectStart }, metadata }, true, 'project start');
  } else {
    await apply({ type: 'OpenSchedule', data: { projectId: pid, projectStart, calendar }, metadata }, true, 'schedule');
  }

  const tasks = project.tasks.filter((t) => t.outlineLevel > 0);
  const parents: string[] = [];
  for (const task of tasks) {
    const taskId = toTaskId(importedTaskId(task.uid));
    const kind = kindOf(task);
    parents.length = task.outlineLevel - 1;
    const parentId = task.outlineLevel > 1 ? (parents[task.outlineLevel - 2] ?? null) : null;
    const isPackage = kind !== 'summary';
    await apply(
      {
        type: 'AddTaskToWbs',
        data: {
          projectId: pid,
          taskId,
          name: task.name.trim() === '' ? `Task ${task.uid}` : task.name.slice(0, 1000),
          kind,
          parentId: parentId === null ? null : toTaskId(parentId),
          durationDays: isPackage ? task.duration.days : 0,
          workHours: isPackage ? task.work : null,
          costBudget: isPackage ? task.cost : null,
        },
        metadata,
      },
      true,
      `task ${task.uid}`,
    );
    parents[task.outlineLevel - 1] = taskId;
    if (!isPackage) continue;
    const { type, date } = task.constraint;
    if (type !== 'ASAP') await apply({ type: 'ConstrainTask', data: { projectId: pid, taskId, constraint: { type, date: dateOf(date) } }, metadata }, false, `constraint of task ${task.uid}`);
  }

  for (const task of tasks) {
    for (const link of task.predecessors) {
      const lag = lagDays(link.lag);
      const what = `link ${link.predecessorUid} → ${task.uid}`;
      if (lag === null) {
        warnings.push(`${what}: percentage lags are not supported`);
        continue;
      }
      const data = {
        projectId: pid,
        dependencyId: toDependencyId(`l${link.predecessorUid}-${task.uid}`),
        predecessorId: toTaskId(importedTaskId(link.predecessorUid)),
        successorId: toTaskId(importedTaskId(task.uid)),
        dependencyType: link.type,
        lagDays: lag,
      };
      await apply({ type: 'LinkDependency', data, metadata }, false, what);
    }
  }

  for (const task of tasks) {
    if (task.summary) continue;
    const taskId = toTaskId(importedTaskId(task.uid));
    const actualStart = dateOf(task.actualStart);
    const actualFinish = dateOf(task.actualFinish);
    if (actualFinish !== null) {
      await apply({ type: 'FinishTask', data: { projectId: pid, taskId, actualFinish, actualStart }, metadata }, false, `finish of task ${task.uid}`);
    } else if (actualStart !== null) {
      await apply({ type: 'StartTask', data: { projectId: pid, taskId, actualStart }, metadata }, false, `start of task ${task.uid}`);
      if (task.percentComplete > 0 && task.percentComplete < 100) {
        const asOf = dateOf(project.properties.statusDate) ?? actualStart;
        await apply({ type: 'RecordTaskProgress', data: { projectId: pid, taskId, percentComplete: task.percentComplete, asOf }, metadata }, false, `progress of task ${task.uid}`);
      }
    }
  }
  await importBaselines(tasks, pid, metadata, apply);
  return warnings;
}

/** A baseline imports when every task carries its dates; work and cost are rolled up from the imported plan. */
async function importBaselines(tasks: readonly MspdiTask[], projectId: ReturnType<typeof toProjectId>, metadata: CommandMetadata, apply: Apply): Promise<void> {
  const numbers = [...new Set(tasks.flatMap((t) => t.baselines.map((b) => b.number)))].sort((a, b) => a - b);
  for (const baselineNumber of numbers) {
    const taskDates = new Map<string, TaskDates>();
    for (const task of tasks) {
      const saved = task.baselines.find((b) => b.number === baselineNumber);
      const start = dateOf(saved?.start ?? null);
      const finish = dateOf(saved?.finish ?? null);
      if (start !== null && finish !== null) taskDates.set(importedTaskId(task.uid), { start, finish });
    }
    await apply({ type: 'SaveBaseline', data: { projectId, baselineNumber, taskDates }, metadata }, false, `baseline ${baselineNumber}`);
  }
}
