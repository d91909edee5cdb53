import type { ScheduleInput, ScheduleLinkInput, ScheduleTaskInput, TaskConstraint } from '@pm/shared/scheduling';

import { MspdiError } from '../mspdi.errors';
import type { MspdiConstraint, MspdiLag, MspdiProject, MspdiTask } from '../mspdi.model';
import { toCalendarSpec } from './schedule-calendar.mapper';

const dateOf = (dateTime: string): string => dateTime.slice(0, 10);

const unsupported = (task: MspdiTask, what: string): MspdiError =>
  new MspdiError('MSPDI_UNSUPPORTED', `task ${task.uid} (${task.name || 'unnamed'}): ${what}`);

/**
 * The plan as the CPM engine's input. Summary tasks (including Microsoft Project's project
 * summary, UID 0) are left out: the engine schedules work packages and links between them.
 * Manually scheduled tasks are scheduled like automatic ones.
 *
 * Throws `MSPDI_UNSUPPORTED` rather than approximating what the engine cannot express in
 * working days: elapsed durations and lags, percentage lags, ALAP constraints and links that
 * touch a summary task. Silently changing any of them would change the dates.
 */
export function toScheduleInput(project: MspdiProject): ScheduleInput {
  const summaries = new Set(project.tasks.filter((task) => task.summary).map((task) => task.uid));
  const linkedSummary = project.tasks.find((task) => task.summary && task.predecessors.length > 0);
  if (linkedSummary) throw unsupported(linkedSummary, 'summary tasks with predecessors are not supported');
  const work = project.tasks.filter((task) => !task.summary);
  const tasks = work.map(toTaskInput);
  const links = work.flatMap((task) =>
    task.predecessors.map((link): ScheduleLinkInput => {
      if (summaries.has(link.predecessorUid)) {
        throw unsupported(task, `its predecessor ${link.predecessorUid} is a summary task`);
      }
      return { from: String(link.predecessorUid), to: String(task.uid), type: link.type, lag: lagDays(task, link.lag) };
    }),
  );
  const statusDate = project.properties.statusDate;
  return {
    projectStart: dateOf(project.properties.startDate),
    calendar: toCalendarSpec(project),
    tasks,
    links,
    ...(statusDate === null ? {} : { statusDate: dateOf(statusDate) }),
  };
}

function toTaskInput(task: MspdiTask): ScheduleTaskInput {
  if (task.duration.elapsed && task.duration.days !== 0) {
    throw unsupported(task, 'elapsed durations cannot be expressed in working days');
  }
  const constraint = toConstraint(task, task.constraint);
  const progress =
    task.actualStart === null
      ? undefined
      : {
          actualStart: dateOf(task.actualStart),
          ...(task.actualFinish === null ? {} : { actualFinish: dateOf(task.actualFinish) }),
        };
  return {
    id: String(task.uid),
    duration: task.duration.days,
    ...(constraint === undefined ? {} : { constraint }),
    ...(progress === undefined ? {} : { progress }),
  };
}

function toConstraint(task: MspdiTask, constraint: MspdiConstraint): TaskConstraint | undefined {
  if (constraint.type === 'ASAP') return undefined;
  if (constraint.type === 'ALAP') throw unsupported(task, 'as-late-as-possible constraints are not supported');
  // Non-null for dated constraints: the parser rejects a dated constraint without its date.
  return { type: constraint.type, date: dateOf(constraint.date ?? '') };
}

function lagDays(task: MspdiTask, lag: MspdiLag): number {
  if (lag.unit === 'percent') {
    if (lag.percent === 0) return 0;
    throw unsupported(task, 'percentage lags are not supported');
  }
  if (lag.elapsed && lag.days !== 0) throw unsupported(task, 'elapsed lags cannot be expressed in working days');
  return lag.days;
}
