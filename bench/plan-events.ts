/*
 * The events of a Microsoft Project import of `taskCount` tasks, as the schedule stream holds them: the schedule
 * opened, the WBS (a summary over every 20 tasks), ~1.5 links per task (the CPM bench's random network), and what
 * the calculation published for each task. Built directly (deciding 100,000 links one by one would measure the
 * decider's cycle checks, not the fold) and passed through JSON, as the store hands them back.
 */
import type { ScheduleStreamEvent } from '@pm/planning/domain';
import { randomNetwork } from './cpm.bench';

export const BENCH_PROJECT_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

export function importEvents(taskCount: number, projectId = BENCH_PROJECT_ID): ScheduleStreamEvent[] {
  const network = randomNetwork(taskCount, 1.5, 7);
  const events: ScheduleStreamEvent[] = [
    {
      type: 'ScheduleOpened',
      data: {
        projectId,
        projectStart: '2025-01-06',
        calendar: { calendarId: 'standard', name: 'Standard', workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8, holidays: [], exceptions: [] },
        openedAt: '2025-01-01T09:00:00.000Z',
      },
    },
  ];
  const tasks = [...network.tasks].sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
  let summary = '';
  let position = 0;
  tasks.forEach((task, i) => {
    if (i % 20 === 0) {
      summary = `S${i / 20}`;
      events.push({ type: 'TaskAddedToWbs', data: { projectId, taskId: summary, name: `Phase ${i / 20}`, kind: 'summary', parentId: null, position: i / 20, durationDays: 0, workHours: null, costBudget: null } });
      position = 0;
    }
    const milestone = task.duration === 0;
    events.push({
      type: 'TaskAddedToWbs',
      data: { projectId, taskId: task.id, name: `Task ${task.id}`, kind: milestone ? 'milestone' : 'task', parentId: summary, position: position++, durationDays: task.duration, workHours: task.duration * 8, costBudget: task.duration * 800 },
    });
  });
  network.links.forEach((link, k) => {
    events.push({ type: 'DependencyLinked', data: { projectId, dependencyId: `L${k}`, predecessorId: link.from, successorId: link.to, dependencyType: link.type ?? 'FS', lagDays: link.lag ?? 0 } });
  });
  for (const task of tasks) {
    events.push({
      type: 'TaskScheduleChanged',
      data: {
        projectId,
        taskId: task.id,
        name: `Task ${task.id}`,
        kind: task.duration === 0 ? 'milestone' : 'task',
        start: '2025-01-06',
        finish: '2025-01-10',
        durationDays: task.duration,
        earlyStart: '2025-01-06',
        earlyFinish: '2025-01-10',
        lateStart: '2025-01-06',
        lateFinish: '2025-01-10',
        totalFloat: 0,
        freeFloat: 0,
        critical: false,
        status: 'not-started',
        previousStart: null,
        previousFinish: null,
      },
    });
  }
  return JSON.parse(JSON.stringify(events)) as ScheduleStreamEvent[];
}
