import { barOf, dateOfDay, dayNumber, linkPath, linksByTask, ticksOf, timeScale } from '../../apps/web/src/project/gantt-geometry';
import type { ScheduleLink, ScheduleTask } from '../../apps/web/src/project/schedule.types';

const task = (taskId: string, start: string, finish: string, kind: ScheduleTask['kind'] = 'task'): ScheduleTask => ({
  taskId,
  name: taskId,
  kind,
  wbsCode: taskId,
  outlineLevel: 1,
  parentId: null,
  durationDays: 5,
  percentComplete: 0,
  start,
  finish,
});

describe('Gantt geometry', () => {
  describe('time scale (weeks: 6 px a day, a week of margin either side)', () => {
    // Mon 2 to Fri 6 March 2026: first day 23 Feb, last 13 March, 19 days.
    const scale = timeScale([task('a', '2026-03-02', '2026-03-06')], [], 'week');

    it('puts a date at its day times the pixels a day from the first day', () => {
      expect([scale.pxPerDay, scale.x('2026-03-02'), scale.width, dateOfDay(scale.firstDay)]).toEqual([6, 42, 114, '2026-02-23']);
      expect(dayNumber('1970-01-02')).toBe(1);
    });

    it('draws a five-day task over five days, its finish day included', () => {
      expect(barOf(task('a', '2026-03-02', '2026-03-06'), scale)).toEqual({ x: 42, width: 30 });
      expect(barOf({ ...task('m', '2026-03-06', '2026-03-06', 'milestone') }, scale)).toEqual({ x: 66, width: 6 });
      expect(barOf({ ...task('u', '2026-03-06', '2026-03-06'), start: undefined }, scale)).toBeNull();
    });

    it('widens for a status date or today near the plan, not for one years away', () => {
      expect(timeScale([task('a', '2026-03-02', '2026-03-06')], ['2026-03-20', null], 'week').width).toBe((18 + 14 + 1) * 6);
      expect(timeScale([task('a', '2026-03-02', '2026-03-06')], ['2030-01-01'], 'week').width).toBe(114);
    });

    it('labels the first day and each first of a month', () => {
      expect(ticksOf(scale, 'week').months.map((t) => [t.x, t.label])).toEqual([
        [0, 'Feb 2026'],
        [36, 'Mar 2026'],
      ]);
    });
  });

  describe('link routes (rows 28 px high, bars 30 px wide)', () => {
    it('FS: from the predecessor finish across into the successor start when there is room', () => {
      expect(linkPath('FS', { x: 0, width: 30, row: 0 }, { x: 60, width: 30, row: 2 })).toBe('M30,14H36V70H60');
    });
    it('FS with a lead: steps down between the rows and comes into the start from the left', () => {
      expect(linkPath('FS', { x: 0, width: 30, row: 0 }, { x: 10, width: 30, row: 1 })).toBe('M30,14H36V30H4V42H10');
    });
    it('SS leaves the predecessor start; FF enters the successor finish from the right', () => {
      expect(linkPath('SS', { x: 50, width: 30, row: 0 }, { x: 60, width: 30, row: 1 })).toBe('M50,14H44V42H60');
      // A successor starting further left than the step out: down between the rows, then in from the left.
      expect(linkPath('SS', { x: 50, width: 30, row: 0 }, { x: 40, width: 30, row: 1 })).toBe('M50,14H44V30H34V42H40');
      expect(linkPath('FF', { x: 0, width: 60, row: 0 }, { x: 0, width: 30, row: 1 })).toBe('M60,14H66V42H30');
      // A successor finishing right of the predecessor: around, so the arrow still comes in from the right.
      expect(linkPath('FF', { x: 0, width: 30, row: 0 }, { x: 20, width: 30, row: 1 })).toBe('M30,14H36V30H56V42H50');
    });
    it('SF: from the predecessor start into the successor finish', () => {
      expect(linkPath('SF', { x: 100, width: 30, row: 0 }, { x: 0, width: 30, row: 1 })).toBe('M100,14H94V42H30');
    });
  });

  it('indexes each link under both of its tasks', () => {
    const links: ScheduleLink[] = [
      { dependencyId: 'd1', predecessorId: 'a', successorId: 'b', type: 'FS', lagDays: 0 },
      { dependencyId: 'd2', predecessorId: 'b', successorId: 'c', type: 'SS', lagDays: 2 },
    ];
    const byTask = linksByTask(links);
    expect([...byTask.entries()].map(([id, ls]) => [id, ls.map((l) => l.dependencyId)])).toEqual([
      ['a', ['d1']],
      ['b', ['d1', 'd2']],
      ['c', ['d2']],
    ]);
  });
});
