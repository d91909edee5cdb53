import { ScheduleInputError } from './errors';
import { schedule } from './schedule';
import type { CalendarSpec } from './calendar';
import type { ScheduledTask, ScheduleInput } from './schedule.types';

// Mon 3 March 2025, Monday to Friday: working day 0 Mon 3/3, 4 Fri 3/7, 5 Mon 3/10, 7 Wed 3/12, 10 Mon 3/17, 13 Thu 3/20.
const weekdays: CalendarSpec = { workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8, holidays: [] };

function byId(tasks: readonly ScheduledTask[]): Record<string, ScheduledTask> {
  return Object.fromEntries(tasks.map((t) => [t.id, t]));
}

describe('schedule() with progress, reforecast from the status date (Wed 12 March)', () => {
  const input: ScheduleInput = {
    projectStart: '2025-03-03',
    statusDate: '2025-03-12',
    calendar: weekdays,
    tasks: [
      { id: 'A', duration: 5, progress: { actualStart: '2025-03-03', actualFinish: '2025-03-08' } },
      { id: 'B', duration: 6, progress: { actualStart: '2025-03-10' } },
      { id: 'C', duration: 3 },
      { id: 'D', duration: 2 },
      { id: 'E', duration: 4, progress: { actualStart: '2025-03-04', remainingDuration: 1 } },
    ],
    links: [
      { from: 'A', to: 'B', type: 'FS', lag: 0 },
      { from: 'B', to: 'C', type: 'FS', lag: 0 },
    ],
  };
  const result = schedule(input);
  const t = byId(result.tasks);

  it('keeps a finished task’s actual dates, even on a non-working day, and never calls it critical', () => {
    expect([t.A.status, t.A.earlyStart, t.A.earlyFinish, t.A.lateStart, t.A.lateFinish]).toEqual([
      'completed',
      '2025-03-03',
      '2025-03-08',
      '2025-03-03',
      '2025-03-08',
    ]);
    expect([t.A.totalFloat, t.A.freeFloat, t.A.critical]).toEqual([0, 0, false]);
  });

  it('schedules a started task’s remaining work from the status date', () => {
    // Two working days done (Mon 10, Tue 11) of six: four remain from Wed 12 -> finishes Mon 17.
    expect([t.B.status, t.B.earlyStart, t.B.earlyFinish, t.B.earlyStartOffset, t.B.earlyFinishOffset]).toEqual([
      'in-progress',
      '2025-03-10',
      '2025-03-17',
      5,
      11,
    ]);
    expect([t.B.lateStart, t.B.lateFinish, t.B.totalFloat, t.B.critical]).toEqual(['2025-03-10', '2025-03-17', 0, true]);
    // An explicit remaining duration wins over the elapsed-time estimate.
    expect([t.E.earlyStart, t.E.earlyFinish, t.E.totalFloat]).toEqual(['2025-03-04', '2025-03-12', 6]);
  });

  it('starts no unstarted work before the status date', () => {
    expect([t.D.status, t.D.earlyStart, t.D.earlyFinish, t.D.totalFloat]).toEqual(['not-started', '2025-03-12', '2025-03-13', 5]);
    expect([t.C.earlyStart, t.C.earlyFinish, t.C.totalFloat]).toEqual(['2025-03-18', '2025-03-20', 0]);
    expect([result.projectFinish, result.projectFinishOffset]).toEqual(['2025-03-20', 14]);
    expect(result.criticalPaths).toEqual([['B', 'C']]);
  });

  it('lets actual progress override logic: a finished task keeps its dates whatever its predecessor does', () => {
    const outOfSequence = schedule({
      ...input,
      tasks: [{ id: 'X', duration: 3 }, { id: 'Y', duration: 2, progress: { actualFinish: '2025-03-04' } }],
      links: [{ from: 'X', to: 'Y', type: 'FS', lag: 0 }],
    });
    const s = byId(outOfSequence.tasks);
    // Y has no actual start: it is taken as duration working days before its actual finish.
    expect([s.Y.earlyStart, s.Y.earlyFinish, s.Y.status]).toEqual(['2025-03-03', '2025-03-04', 'completed']);
    expect([s.X.earlyStart, s.X.earlyFinish, s.X.totalFloat]).toEqual(['2025-03-12', '2025-03-14', 0]);
  });

  it('treats a milestone with an actual start as reached', () => {
    const reached = schedule({ ...input, tasks: [{ id: 'M', duration: 0, progress: { actualStart: '2025-03-05' } }], links: [] });
    expect([reached.tasks[0].status, reached.tasks[0].earlyStart, reached.tasks[0].earlyFinish]).toEqual(['completed', '2025-03-05', '2025-03-05']);
  });

  it('plans an unstarted task with its re-estimated remaining duration', () => {
    const reestimated = schedule({ ...input, statusDate: undefined, tasks: [{ id: 'R', duration: 5, progress: { remainingDuration: 2.5 } }], links: [] });
    expect([reestimated.tasks[0].earlyStartOffset, reestimated.tasks[0].earlyFinishOffset]).toEqual([0, 3]);
  });

  it('needs a status date to reforecast a started task', () => {
    expect(() => schedule({ ...input, statusDate: undefined })).toThrow(ScheduleInputError);
    expect(() => schedule({ ...input, statusDate: undefined })).toThrow(/statusDate/);
  });

  it('rejects an actual finish before the actual start', () => {
    const bad = { ...input, tasks: [{ id: 'Z', duration: 1, progress: { actualStart: '2025-03-05', actualFinish: '2025-03-04' } }], links: [] };
    expect(() => schedule(bad)).toThrow(expect.objectContaining({ code: 'SCHEDULE_INVALID_INPUT', path: 'tasks[0].progress.actualFinish' }));
  });
});
