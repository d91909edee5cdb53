import { schedule } from './schedule';
import type { CalendarSpec } from './calendar';
import type { ScheduledTask, ScheduleInput, ScheduleTaskInput } from './schedule.types';

// Monday 3 March 2025, Monday to Friday. Working day i: 0 Mon 3/3 .. 4 Fri 3/7, 5 Mon 3/10 .. 9 Fri 3/14,
// 10 Mon 3/17 .. 14 Fri 3/21, 15 Mon 3/24.
const weekdays: CalendarSpec = { workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8, holidays: [] };

function plan(tasks: ScheduleTaskInput[], links: Array<[string, string]>): ScheduleInput {
  return { projectStart: '2025-03-03', calendar: weekdays, tasks, links: links.map(([from, to]) => ({ from, to, type: 'FS', lag: 0 })) };
}

function byId(tasks: readonly ScheduledTask[]): Record<string, ScheduledTask> {
  return Object.fromEntries(tasks.map((t) => [t.id, t]));
}

describe('schedule() with constraints', () => {
  it('FNLT before the early finish gives the whole chain negative float', () => {
    const result = schedule(
      plan(
        [{ id: 'A', duration: 5 }, { id: 'B', duration: 5 }, { id: 'C', duration: 3, constraint: { type: 'FNLT', date: '2025-03-14' } }, { id: 'D', duration: 2 }],
        [['A', 'B'], ['B', 'C']],
      ),
    );
    const t = byId(result.tasks);
    // C can finish at the end of day 12 (Wed 3/19) but must by Fri 3/14 (end of day 9): three days late.
    expect([t.C.earlyFinish, t.C.lateFinish, t.C.lateFinishOffset, t.C.totalFloat]).toEqual(['2025-03-19', '2025-03-14', 10, -3]);
    expect([t.B.lateStartOffset, t.B.totalFloat, t.A.lateStartOffset, t.A.totalFloat]).toEqual([2, -3, -3, -3]);
    expect(t.A.lateStart).toBe('2025-02-26');
    expect([t.D.totalFloat, t.D.freeFloat, t.D.critical]).toEqual([11, 11, false]);
    expect(result.criticalPaths).toEqual([['A', 'B', 'C']]);
  });

  it('SNET pushes the early start, SNLT caps the late start', () => {
    const result = schedule(
      plan(
        [
          { id: 'A', duration: 5 },
          { id: 'B', duration: 2, constraint: { type: 'SNLT', date: '2025-03-11' } },
          { id: 'C', duration: 3, constraint: { type: 'SNET', date: '2025-03-12' } },
        ],
        [['A', 'B']],
      ),
    );
    const t = byId(result.tasks);
    expect([t.C.earlyStart, t.C.earlyStartOffset, t.C.earlyFinish, t.C.totalFloat]).toEqual(['2025-03-12', 7, '2025-03-14', 0]);
    // Without SNLT B could start as late as day 8; SNLT Tue 3/11 (day 6) leaves one day.
    expect([t.B.lateStart, t.B.totalFloat, t.A.totalFloat]).toEqual(['2025-03-11', 1, 1]);
    expect(result.criticalPaths).toEqual([['C']]);
  });

  it('FNET pushes the early finish; a constraint date on a weekend moves to the working day that honours it', () => {
    const result = schedule(
      plan(
        [
          { id: 'A', duration: 3, constraint: { type: 'FNET', date: '2025-03-14' } },
          { id: 'B', duration: 2, constraint: { type: 'SNET', date: '2025-03-08' } },
          { id: 'C', duration: 1, constraint: { type: 'FNLT', date: '2025-03-16' } },
        ],
        [],
      ),
    );
    const t = byId(result.tasks);
    expect([t.A.earlyStart, t.A.earlyFinish]).toEqual(['2025-03-12', '2025-03-14']);
    // SNET on Saturday: the first working day after it. FNLT on Sunday: the last working day before it.
    expect(t.B.earlyStart).toBe('2025-03-10');
    expect([t.C.lateFinish, t.C.totalFloat]).toEqual(['2025-03-14', 9]);
  });

  it('MSO pins the task against its predecessor, which gets negative float', () => {
    const result = schedule(
      plan([{ id: 'A', duration: 5 }, { id: 'B', duration: 2, constraint: { type: 'MSO', date: '2025-03-05' } }], [['A', 'B']]),
    );
    const t = byId(result.tasks);
    expect([t.B.earlyStart, t.B.earlyFinish, t.B.lateStart, t.B.totalFloat]).toEqual(['2025-03-05', '2025-03-06', '2025-03-05', 0]);
    expect([t.A.lateFinishOffset, t.A.totalFloat, t.A.critical]).toEqual([2, -3, true]);
    // The pinned start ignores the link, which therefore drives nothing: two separate critical chains.
    expect(result.criticalPaths).toEqual([['A'], ['B']]);
  });

  it('MFO pins the finish; a milestone constraint names the day the milestone is shown on', () => {
    const result = schedule(
      plan(
        [
          { id: 'G', duration: 2 },
          { id: 'F', duration: 3, constraint: { type: 'MFO', date: '2025-03-21' } },
          { id: 'M', duration: 0, constraint: { type: 'MSO', date: '2025-03-07' } },
          { id: 'N', duration: 1 },
        ],
        [['G', 'F'], ['M', 'N']],
      ),
    );
    const t = byId(result.tasks);
    expect([t.F.earlyStart, t.F.earlyFinish, t.F.earlyStartOffset, t.F.earlyFinishOffset, t.F.totalFloat]).toEqual(['2025-03-19', '2025-03-21', 12, 15, 0]);
    expect([t.G.lateFinish, t.G.totalFloat]).toEqual(['2025-03-18', 10]);
    expect([t.M.earlyStart, t.M.earlyFinish, t.M.earlyStartOffset]).toEqual(['2025-03-07', '2025-03-07', 5]);
    // The milestone marks the end of Friday: its FS successor starts on Monday.
    expect(t.N.earlyStart).toBe('2025-03-10');
    expect(result.projectFinish).toBe('2025-03-21');
  });

  it('shows a start milestone on the project start and a finish milestone on its predecessor’s finish day', () => {
    const result = schedule(
      plan(
        [{ id: 'Kickoff', duration: 0 }, { id: 'Build', duration: 5 }, { id: 'Done', duration: 0 }, { id: 'Handover', duration: 1 }],
        [['Kickoff', 'Build'], ['Build', 'Done'], ['Done', 'Handover']],
      ),
    );
    const t = byId(result.tasks);
    expect([t.Kickoff.earlyStart, t.Kickoff.earlyFinish, t.Build.earlyStart]).toEqual(['2025-03-03', '2025-03-03', '2025-03-03']);
    expect([t.Build.earlyFinish, t.Done.earlyStart, t.Done.earlyFinish, t.Handover.earlyStart]).toEqual([
      '2025-03-07',
      '2025-03-07',
      '2025-03-07',
      '2025-03-10',
    ]);
    expect(result.criticalPaths).toEqual([['Kickoff', 'Build', 'Done', 'Handover']]);
  });
});
