import fc from 'fast-check';
import { deserialize, serialize } from 'node:v8';
import { fromDayNumber } from '@pm/shared/scheduling';
import type { ScheduledTask } from '@pm/shared/scheduling';
import { DayNumbers, movedFrom, publishedEntry, publishedOf, publishedStart } from './published-schedule';
import type { PublishedTaskSchedule } from './published-schedule';
import { evolveSchedule } from './schedule.evolve';
import { added, projectId, scheduleOpened } from './schedule.spec-fixtures';
import { initialScheduleState } from './schedule.state';
import type { OpenedSchedule, ScheduleState } from './schedule.state';

const published = (taskId: string, over: Partial<PublishedTaskSchedule> = {}): PublishedTaskSchedule => ({
  projectId,
  taskId,
  name: `Task ${taskId}`,
  kind: 'task',
  start: '2025-03-03',
  finish: '2025-03-07',
  durationDays: 5,
  earlyStart: '2025-03-03',
  earlyFinish: '2025-03-07',
  lateStart: '2025-03-05',
  lateFinish: '2025-03-11',
  totalFloat: 2,
  freeFloat: 0.5,
  critical: false,
  status: 'not-started',
  previousStart: null,
  previousFinish: null,
  ...over,
});

function fold(...data: PublishedTaskSchedule[]): OpenedSchedule {
  let state: ScheduleState = evolveSchedule(initialScheduleState(), scheduleOpened);
  for (const d of data) state = evolveSchedule(state, added(d.taskId));
  for (const d of data) state = evolveSchedule(state, { type: 'TaskScheduleChanged', data: d });
  return state as OpenedSchedule;
}

describe('a published task schedule as the fold keeps it', () => {
  it('gives back what its TaskScheduleChanged said, named as the task is now', () => {
    const a = published('a', { previousStart: '2025-02-24', previousFinish: '2025-02-28', status: 'in-progress', critical: true, totalFloat: -3 });
    const m = published('m', { kind: 'milestone', start: '2025-03-07', finish: '2025-03-07', durationDays: 0, status: 'completed' });
    let state: ScheduleState = fold(a, m);
    expect(publishedOf(state as OpenedSchedule, 'a')).toEqual(a);
    expect(publishedOf(state as OpenedSchedule, 'm')).toEqual(m);
    state = evolveSchedule(state, { type: 'TaskRenamed', data: { projectId, taskId: 'a', name: 'Design' } });
    expect(publishedOf(state as OpenedSchedule, 'a')).toEqual({ ...a, name: 'Design' });
    expect(publishedOf(state as OpenedSchedule, 'never')).toBeUndefined();
    expect(publishedStart((state as OpenedSchedule).published.get('a'))).toBe('2025-03-03');
    expect(publishedStart(undefined)).toBeNull();
  });

  it('holds no string and no object: a decoded snapshot allocates nothing per task beyond the entry', () => {
    const state = fold(published('a', { previousStart: '2025-02-24', previousFinish: '2025-02-28' }), published('constructor'), published('__proto__'));
    for (const entry of state.published.values()) {
      for (const value of entry) expect(value === null || typeof value === 'number' || typeof value === 'boolean').toBe(true);
    }
    const decoded = deserialize(serialize(state)) as OpenedSchedule;
    expect(publishedOf(decoded, '__proto__')).toEqual(published('__proto__'));
  });

  // The comparison it replaced, field by field on the event's data (schedule-calculation.ts before ADR 0108).
  const FIELDS = ['start', 'finish', 'durationDays', 'earlyStart', 'earlyFinish', 'lateStart', 'lateFinish', 'totalFloat', 'freeFloat', 'critical', 'status'] as const;
  const asPublished = (t: ScheduledTask): Pick<PublishedTaskSchedule, (typeof FIELDS)[number]> => ({
    start: t.earlyStart,
    finish: t.earlyFinish,
    durationDays: t.earlyFinishOffset - t.earlyStartOffset,
    earlyStart: t.earlyStart,
    earlyFinish: t.earlyFinish,
    lateStart: t.lateStart,
    lateFinish: t.lateFinish,
    totalFloat: t.totalFloat,
    freeFloat: t.freeFloat,
    critical: t.critical,
    status: t.status,
  });

  const day = fc.integer({ min: 20_000, max: 20_010 }).map(fromDayNumber);
  const small = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.5, -0.5));
  const status = fc.constantFrom('not-started' as const, 'in-progress' as const, 'completed' as const);
  const scheduledTask = fc.record({
    id: fc.constant('a'),
    status,
    earlyStart: day,
    earlyFinish: day,
    lateStart: day,
    lateFinish: day,
    earlyStartOffset: fc.integer({ min: 0, max: 3 }),
    earlyFinishOffset: fc.integer({ min: 0, max: 3 }),
    lateStartOffset: fc.integer({ min: 0, max: 3 }),
    lateFinishOffset: fc.integer({ min: 0, max: 3 }),
    totalFloat: small,
    freeFloat: small,
    critical: fc.boolean(),
  });
  const publishedData = fc.record({
    start: day,
    finish: day,
    durationDays: fc.integer({ min: 0, max: 3 }),
    earlyStart: day,
    earlyFinish: day,
    lateStart: day,
    lateFinish: day,
    totalFloat: small,
    freeFloat: small,
    critical: fc.boolean(),
    status,
  });

  it('counts a task as moved exactly when a field its TaskScheduleChanged publishes differs (the comparison on the data it replaced)', () => {
    const days = new DayNumbers();
    fc.assert(
      fc.property(scheduledTask, publishedData, fc.boolean(), (task, before, same) => {
        // Half the cases compare a task with what it published itself, so "not moved" is tried as often as "moved".
        const data = published('a', same ? asPublished(task) : before);
        const expected = FIELDS.some((f) => data[f] !== asPublished(task)[f]);
        expect(movedFrom(publishedEntry(data), task, days)).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
    expect(movedFrom(undefined, { id: 'a', status: 'not-started', earlyStart: '2025-03-03', earlyFinish: '2025-03-03', lateStart: '2025-03-03', lateFinish: '2025-03-03', earlyStartOffset: 0, earlyFinishOffset: 0, lateStartOffset: 0, lateFinishOffset: 0, totalFloat: 0, freeFloat: 0, critical: true }, days)).toBe(true);
  });

  it('reads the day number of every label, and keeps no more than its bound of them however many days a plan spans', () => {
    const days = new DayNumbers();
    // One label read again and again is parsed once and kept.
    for (let i = 0; i < 3; i++) expect(days.of('2025-03-03')).toBe(days.of('2025-03-03'));
    expect(days.size).toBe(1);
    const first = 738_000; // a day number in 2021
    for (let n = first; n < first + 3 * DayNumbers.MAX_LABELS; n++) {
      const label = fromDayNumber(n);
      expect(days.of(label)).toBe(n);
      expect(days.of(label)).toBe(n);
      expect(days.size).toBeLessThanOrEqual(DayNumbers.MAX_LABELS);
    }
    expect(days.size).toBeGreaterThan(0);
  });
});
