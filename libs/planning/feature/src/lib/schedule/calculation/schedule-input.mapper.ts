import { toCalendarSpec } from '@pm/planning/domain';
import type { OpenedSchedule, WbsTask } from '@pm/planning/domain';
import type { ScheduleInput, ScheduleTaskInput, TaskConstraint, TaskProgress } from '@pm/shared/scheduling';

/** ALAP has no date and the engine has no as-late-as-possible mode; such tasks are scheduled as soon as possible. */
function engineConstraint(task: WbsTask): TaskConstraint | undefined {
  const { type, date } = task.constraint;
  if (type === 'ASAP' || type === 'ALAP' || date === null) return undefined;
  return { type, date };
}

function engineProgress(task: WbsTask): TaskProgress | undefined {
  if (task.actualStart === null && task.actualFinish === null) return undefined;
  return {
    ...(task.actualStart !== null ? { actualStart: task.actualStart } : {}),
    ...(task.actualFinish !== null ? { actualFinish: task.actualFinish } : {}),
    ...(task.actualFinish === null && task.remainingDurationDays !== null ? { remainingDuration: task.remainingDurationDays } : {}),
  };
}

/** Work packages only: summaries have no logic of their own, their dates roll up from their children. */
export function scheduleInputOf(state: OpenedSchedule, statusDate: string | null): ScheduleInput {
  const tasks: ScheduleTaskInput[] = Object.values(state.tasks)
    .filter((task) => task.kind !== 'summary')
    .map((task) => {
      const constraint = engineConstraint(task);
      const progress = engineProgress(task);
      return { id: task.taskId, duration: task.durationDays, ...(constraint ? { constraint } : {}), ...(progress ? { progress } : {}) };
    });
  return {
    projectStart: state.projectStart,
    calendar: toCalendarSpec(state.calendar),
    tasks,
    links: Object.values(state.dependencies).map((d) => ({ from: d.predecessorId, to: d.successorId, type: d.dependencyType, lag: d.lagDays })),
    ...(statusDate !== null ? { statusDate } : {}),
  };
}
