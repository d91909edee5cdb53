import { concludeAtOnce } from '@pm/shared/ddd';
import { scheduleAggregate } from '../schedule/schedule.aggregate';
import type { ScheduleCommand } from '../schedule/schedule.commands';
import type { ProjectEarnedValueCalculated, ScheduleEvent, ScheduleStreamEvent } from '../schedule/schedule.events';
import { T, added, linked, meta, now, projectId, scheduleOpened } from '../schedule/schedule.spec-fixtures';
import { initialScheduleState } from '../schedule/schedule.state';
import type { ScheduleState } from '../schedule/schedule.state';
import { reorderedKeys } from '../testing/jsonb-key-order';
import { MAX_PUBLISHED_MILESTONES } from './project-earned-value';

const { decide, evolve } = scheduleAggregate.decider;
const day = ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06'];

/**
 * Decides, folds and concludes as the write path does (ADR 0008), on a fresh fold of the history every time (the fold
 * updates in place). Returns what the plan appended and the ProjectEarnedValueCalculated among it, if any.
 */
function when(history: readonly ScheduleStreamEvent[], ...commands: Array<Omit<ScheduleCommand, 'metadata'>>) {
  let state: ScheduleState = history.reduce(evolve, initialScheduleState());
  const decided: ScheduleStreamEvent[] = [];
  for (const command of commands) {
    for (const event of decide({ ...command, metadata: meta } as ScheduleCommand, state)) {
      state = evolve(state, event);
      decided.push(event);
    }
  }
  const concluded = decided.length === 0 ? [] : concludeAtOnce(scheduleAggregate, state, decided);
  const earned = concluded.filter((e): e is ProjectEarnedValueCalculated => e.type === 'ProjectEarnedValueCalculated');
  return { history: [...history, ...decided, ...concluded], earned: earned[0]?.data, count: earned.length };
}

const statusDate = (date: string) => ({ type: 'SetScheduleStatusDate', data: { projectId, statusDate: date } }) as const;
const baselineTask = (taskId: string, kind: 'task' | 'milestone' | 'summary', start: string, finish: string, cost: number) => ({
  taskId,
  kind,
  start,
  finish,
  durationDays: kind === 'task' ? 1 : 0,
  workHours: 0,
  cost,
});

/*
 * The fence exercise (the same published worked example as schedule-earned-value.spec.ts): four sides, one day and
 * $1,000 each, one after the other, then the "fence done" milestone; status at the end of day three. Side 1 complete
 * ($1,000 spent), side 2 complete ($1,200), side 3 half done ($600), side 4 not started. Published: PV 3,000,
 * EV 2,500, AC 2,800, BAC 4,000, SPI .833, CPI .893, EAC 4,480 unrounded (BAC / CPI = 4,000 × 2,800 / 2,500).
 * Source: "Earned Value Exercise", https://studylib.net/doc/5898152/earned-value-exercise
 */
const fence: ScheduleEvent[] = [
  scheduleOpened,
  ...[1, 2, 3, 4].map((n) => added(`side-${n}`, 'task', null, n - 1, { durationDays: 1, costBudget: 1000 })),
  added('done', 'milestone', null, 4, { name: 'Fence done' }),
  linked('s12', 'side-1', 'side-2'),
  linked('s23', 'side-2', 'side-3'),
  linked('s34', 'side-3', 'side-4'),
  linked('s4d', 'side-4', 'done'),
  {
    type: 'BaselineSaved',
    data: {
      projectId,
      baselineNumber: 0,
      savedAt: now,
      tasks: [...[0, 1, 2, 3].map((i) => baselineTask(`side-${i + 1}`, 'task', day[i], day[i], 1000)), baselineTask('done', 'milestone', day[3], day[3], 0)],
    },
  },
  { type: 'TaskStarted', data: { projectId, taskId: 'side-1', actualStart: day[0] } },
  { type: 'TaskFinished', data: { projectId, taskId: 'side-1', actualFinish: day[0] } },
  { type: 'TaskActualCostRecorded', data: { projectId, taskId: 'side-1', actualCost: 1000, asOf: day[0] } },
  { type: 'TaskStarted', data: { projectId, taskId: 'side-2', actualStart: day[1] } },
  { type: 'TaskFinished', data: { projectId, taskId: 'side-2', actualFinish: day[1] } },
  { type: 'TaskActualCostRecorded', data: { projectId, taskId: 'side-2', actualCost: 1200, asOf: day[1] } },
  { type: 'TaskStarted', data: { projectId, taskId: 'side-3', actualStart: day[2] } },
  { type: 'TaskProgressRecorded', data: { projectId, taskId: 'side-3', percentComplete: 50, remainingDurationDays: 0.5, asOf: day[2] } },
  { type: 'TaskActualCostRecorded', data: { projectId, taskId: 'side-3', actualCost: 600, asOf: day[2] } },
];

describe('Schedule', () => {
  describe('when the status date of a baselined plan is set', () => {
    const result = when(fence, statusDate(day[2]));

    it('publishes the fence exercise figures with the recalculation', () => {
      expect(result.count).toBe(1);
      const ev = result.earned!;
      expect(ev).toMatchObject({ projectId, statusDate: day[2], baselineNumber: 0, bac: 4000, pv: 3000, ev: 2500, ac: 2800, actualCostSource: 'resource-service-and-tasks' });
      expect(ev.spi).toBeCloseTo(2500 / 3000, 12);
      expect(ev.cpi).toBeCloseTo(2500 / 2800, 12);
      expect(ev.eac).toBeCloseTo(4480, 9);
    });

    it('counts the unfinished work without float and records them as the baseline counts', () => {
      const counts = (n: number) => [0, 2, 5, 10, 20].map((maxTotalFloatDays) => ({ maxTotalFloatDays, count: n }));
      // side-3, side-4 and the milestone are on the only path and unfinished; sides 1 and 2 are done.
      expect(result.earned).toMatchObject({ nearCritical: counts(3), nearCriticalAtBaseline: counts(3) });
      expect(result.earned).toMatchObject({ milestoneCount: 1, overdueMilestoneCount: 0, milestonesTruncated: false });
      expect(result.earned?.milestones).toEqual([
        { taskId: 'done', name: 'Fence done', baselineFinish: day[3], forecastFinish: day[3], slipDays: 0, achieved: false, overdue: false },
      ]);
    });

    it('publishes nothing more for a change that moves no figure (a rename)', () => {
      expect(when(result.history, { type: 'RenameTask', data: { projectId, taskId: T('side-4'), name: 'The last side' } }).count).toBe(0);
    });

    it('publishes nothing either when the last figures were read back from jsonb with their keys reordered', () => {
      const stored = result.history.map((e) => (e.type === 'ProjectEarnedValueCalculated' ? reorderedKeys(e) : e));
      expect(when(stored, { type: 'RenameTask', data: { projectId, taskId: T('side-4'), name: 'The last side' } }).count).toBe(0);
    });

    it('publishes the slip of the milestone when the last side takes three days instead of one', () => {
      const slipped = when(result.history, { type: 'EstimateTaskDuration', data: { projectId, taskId: T('side-4'), durationDays: 3 } });
      // side-4 runs Thursday 6 to Monday 10 March: the milestone moves two working days (Friday, Monday).
      expect(slipped.earned?.milestones[0]).toMatchObject({ taskId: 'done', forecastFinish: '2025-03-10', slipDays: 2, overdue: false });
      expect(slipped.earned).toMatchObject({ pv: 3000, ev: 2500, ac: 2800 });
    });

    describe('with costs the resource service reported (ADR 0106)', () => {
      const report = (costId: string, entries: Array<{ taskId: string | null; date: string; amountMinor: number }>) =>
        ({ type: 'RecordReportedActualCosts', data: { projectId, costId, currency: 'USD', minorUnitDigits: 2, entries: entries.map((e) => ({ ...e, taskId: e.taskId === null ? null : T(e.taskId) })) } }) as const;

      it('counts them in AC: instead of the figure recorded on a work package they cover, and at project level for none', () => {
        // Side 3's timesheet: $700 on day 3 (replacing the $600 recorded on the task), $50 of it on day 4, after the
        // status date, not yet; and a $90 expense of the project as a whole on day 2.
        const reported = when(result.history, report('ts-1:p', [
          { taskId: 'side-3', date: day[2], amountMinor: 70000 },
          { taskId: 'side-3', date: day[3], amountMinor: 5000 },
          { taskId: null, date: day[1], amountMinor: 9000 },
        ]));
        expect(reported.earned).toMatchObject({ pv: 3000, ev: 2500, ac: 1000 + 1200 + 700 + 90, actualCostSource: 'resource-service-and-tasks' });
        expect(reported.earned?.cpi).toBeCloseTo(2500 / 2990, 12);
        // The day-4 part counts once the status date reaches it.
        expect(when(reported.history, statusDate(day[3])).earned).toMatchObject({ ac: 1000 + 1200 + 750 + 90 });
      });

      it('records a cost once, however often it is reported, and refuses a malformed one', () => {
        const once = when(result.history, report('ts-2:p', [{ taskId: 'side-1', date: day[0], amountMinor: 110000 }]));
        expect(once.earned).toMatchObject({ ac: 1100 + 1200 + 600 });
        const again = when(once.history, report('ts-2:p', [{ taskId: 'side-1', date: day[0], amountMinor: 110000 }]));
        expect(again.history).toHaveLength(once.history.length);
        expect(() => when(result.history, report('ts-3:p', [{ taskId: 'side-1', date: day[0], amountMinor: 1.5 }]))).toThrow(expect.objectContaining({ code: 'REPORTED_COST_INVALID' }));
        expect(() => when(result.history, report('ts-4:p', [{ taskId: 'side-1', date: '2025-02-30', amountMinor: 1 }]))).toThrow();
      });
    });

    it('marks the milestone overdue once the status date passes its baseline finish unachieved', () => {
      const later = when(result.history, statusDate('2025-03-07'));
      expect(later.earned).toMatchObject({ statusDate: '2025-03-07', pv: 4000, overdueMilestoneCount: 1 });
      expect(later.earned?.milestones[0]).toMatchObject({ taskId: 'done', overdue: true, achieved: false });
    });

    it('keeps the baseline counts until a baseline is saved again, then takes the counts of that plan', () => {
      const finished = when(result.history, { type: 'FinishTask', data: { projectId, taskId: T('side-3'), actualFinish: day[2] } });
      const counts = (n: number) => [0, 2, 5, 10, 20].map((maxTotalFloatDays) => ({ maxTotalFloatDays, count: n }));
      expect(finished.earned).toMatchObject({ nearCritical: counts(2), nearCriticalAtBaseline: counts(3) });
      // A copy saved as baseline 1 changes nothing measured; re-baselining (overwriting baseline 0) does.
      expect(when(finished.history, { type: 'SaveBaseline', data: { projectId, baselineNumber: 1 } }).count).toBe(0);
      const slipped = when(finished.history, { type: 'EstimateTaskDuration', data: { projectId, taskId: T('side-4'), durationDays: 3 } });
      expect(slipped.earned).toMatchObject({ nearCriticalAtBaseline: counts(3), milestones: [{ slipDays: 2 }] });
      const rebaselined = when(slipped.history, { type: 'SaveBaseline', data: { projectId, baselineNumber: 0, overwrite: true } });
      expect(rebaselined.earned).toMatchObject({ baselineNumber: 0, bac: 4000, nearCritical: counts(2), nearCriticalAtBaseline: counts(2), milestones: [{ slipDays: 0 }] });
    });
  });

  describe('when there is nothing to measure against', () => {
    it('publishes no earned value without a baseline', () => {
      const unbaselined = fence.filter((e) => e.type !== 'BaselineSaved');
      expect(when(unbaselined, statusDate(day[2])).count).toBe(0);
    });

    it('publishes no earned value before a status date or progress date', () => {
      const early = when(fence.slice(0, 10), { type: 'RenameTask', data: { projectId, taskId: T('side-4'), name: 'Side four' } });
      expect(early.count).toBe(0);
    });
  });

  describe('when the plan has more milestones than one event may carry', () => {
    const many = 250;
    const history: ScheduleEvent[] = [
      scheduleOpened,
      ...Array.from({ length: many }, (_, i) => added(`m-${String(i).padStart(3, '0')}`, 'milestone', null, i)),
      {
        type: 'BaselineSaved',
        data: {
          projectId,
          baselineNumber: 0,
          savedAt: now,
          // Every milestone was due on the project start, m-007 on the Wednesday before. Unachieved at the status date
          // (Tuesday 4 March), they are forecast on it: one working day late, m-007 four.
          tasks: Array.from({ length: many }, (_, i) => baselineTask(`m-${String(i).padStart(3, '0')}`, 'milestone', i === 7 ? '2025-02-26' : day[0], i === 7 ? '2025-02-26' : day[0], 0)),
        },
      },
    ];
    const result = when(history, statusDate(day[1]));

    it(`publishes the ${MAX_PUBLISHED_MILESTONES} with the largest slip and counts them all`, () => {
      expect(result.earned).toMatchObject({ milestoneCount: many, overdueMilestoneCount: many, milestonesTruncated: true });
      expect(result.earned?.milestones).toHaveLength(MAX_PUBLISHED_MILESTONES);
      expect(result.earned?.milestones[0]).toMatchObject({ taskId: 'm-007', slipDays: 4 });
      expect(result.earned?.milestones[1]).toMatchObject({ taskId: 'm-000', slipDays: 1 });
    });
  });
});
