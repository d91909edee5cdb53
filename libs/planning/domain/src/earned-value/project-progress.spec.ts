import { concludeAtOnce } from '@pm/shared/ddd';
import { scheduleAggregate } from '../schedule/schedule.aggregate';
import type { ScheduleCommand } from '../schedule/schedule.commands';
import type { ProjectEarnedValueCalculated, ScheduleEvent, ScheduleStreamEvent } from '../schedule/schedule.events';
import { T, added, linked, meta, now, projectId, scheduleOpened } from '../schedule/schedule.spec-fixtures';
import { initialScheduleState } from '../schedule/schedule.state';
import type { OpenedSchedule, ScheduleState } from '../schedule/schedule.state';
import { baselineSpan, curveIntervalFor, durationWeightedPercentComplete, plannedValueCurve } from './project-progress';
import { workingDayCounter } from '../schedule/project-calendar';

const { decide, evolve } = scheduleAggregate.decider;

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
  return { history: [...history, ...decided, ...concluded], earned: earned[0]?.data, count: earned.length, state: state as OpenedSchedule };
}

const statusDate = (date: string) => ({ type: 'SetScheduleStatusDate', data: { projectId, statusDate: date } }) as const;
const saved = (taskId: string, kind: 'task' | 'milestone', start: string, finish: string, durationDays: number, cost: number) => ({
  taskId,
  kind,
  start,
  finish,
  durationDays,
  workHours: 0,
  cost,
});

/*
 * Worked by hand (standard calendar, Monday to Friday). The baseline: A, 10 working days and $10,000 from Monday 3 to
 * Friday 14 March 2025; B, 5 days and $2,500 from Wednesday 12 to Tuesday 18 March (it overlapped A); the milestone M
 * on Tuesday 18. PV accrues per working day:
 *   week ending Sunday  9 March: A 5/10 of 10,000 = 5,000; B not started            =  5,000
 *   week ending Sunday 16 March: A all 10,000;  B Wed, Thu, Fri = 3/5 of 2,500 = 1,500 = 11,500
 *   week ending Sunday 23 March: A 10,000; B 2,500                                    = 12,500 (BAC)
 * The current plan runs B after A (linked). A is 60 % done with 4 days left at the status date (Sunday 16): it is
 * reforecast Monday 17 to Thursday 20, B Friday 21 to Thursday 27, M on Thursday 27: seven working days (19, 20, 21,
 * 24, 25, 26, 27) after the baseline finish, as M's own slip. B not started: duration-weighted
 * (10 x 60 + 5 x 0) / (10 + 5) = 40 %, where the unweighted mean would say 30 %.
 */
const plan: ScheduleEvent[] = [
  scheduleOpened,
  added('a', 'task', null, 0, { durationDays: 10, costBudget: 10000 }),
  added('b', 'task', null, 1, { durationDays: 5, costBudget: 2500 }),
  added('m', 'milestone', null, 2, { name: 'M' }),
  linked('ab', 'a', 'b'),
  linked('bm', 'b', 'm'),
  {
    type: 'BaselineSaved',
    data: {
      projectId,
      baselineNumber: 0,
      savedAt: now,
      tasks: [
        saved('a', 'task', '2025-03-03', '2025-03-14', 10, 10000),
        saved('b', 'task', '2025-03-12', '2025-03-18', 5, 2500),
        saved('m', 'milestone', '2025-03-18', '2025-03-18', 0, 0),
      ],
    },
  },
  { type: 'TaskStarted', data: { projectId, taskId: 'a', actualStart: '2025-03-03' } },
  { type: 'TaskProgressRecorded', data: { projectId, taskId: 'a', percentComplete: 60, remainingDurationDays: 4, asOf: '2025-03-10' } },
];

describe('Schedule', () => {
  describe('when the status date of a baselined plan is set (ProjectEarnedValueCalculated v3)', () => {
    const result = when(plan, statusDate('2025-03-16'));

    it('publishes the duration-weighted percent complete worked by hand', () => {
      expect(result.earned?.percentComplete).toBe(40);
    });

    it("publishes the baseline's start and finish, the forecast finish and the slip in working days", () => {
      expect(result.earned).toMatchObject({ baselineStart: '2025-03-03', baselineFinish: '2025-03-18' });
      expect(result.earned?.forecastFinish).toBe(result.history.findLast((e) => e.type === 'ProjectScheduleCalculated')?.data.projectFinish);
      expect(result.earned).toMatchObject({ forecastFinish: '2025-03-27', finishSlipDays: 7 });
      expect(result.earned?.finishSlipDays).toBe(result.earned?.milestones.find((m) => m.taskId === 'm')?.slipDays);
    });

    it('publishes the weekly PV curve worked by hand, ending on Sundays, ending at BAC', () => {
      expect(result.earned).toMatchObject({
        curveInterval: 'week',
        plannedValueCurve: [
          { periodEnd: '2025-03-09', pv: 5000 },
          { periodEnd: '2025-03-16', pv: 11500 },
          { periodEnd: '2025-03-23', pv: 12500 },
        ],
        bac: 12500,
      });
    });

    it('has the curve equal PV exactly at a status date that ends a period', () => {
      const point = result.earned?.plannedValueCurve.find((p) => p.periodEnd === result.earned?.statusDate);
      expect(point?.pv).toBe(result.earned?.pv);
      expect(result.earned?.pv).toBe(11500);
    });

    it('publishes nothing when a change moves no figure, the curve included (a rename)', () => {
      expect(when(result.history, { type: 'RenameTask', data: { projectId, taskId: T('b'), name: 'Bee' } }).count).toBe(0);
    });

    it('publishes the new percent complete when progress moves it', () => {
      const started = when(result.history, { type: 'StartTask', data: { projectId, taskId: T('b'), actualStart: '2025-03-14' } });
      const more = when(started.history, { type: 'RecordTaskProgress', data: { projectId, taskId: T('b'), percentComplete: 60, remainingDurationDays: 2, asOf: '2025-03-16' } });
      // (10 x 60 + 5 x 60) / 15 = 60.
      expect(more.earned?.percentComplete).toBe(60);
      expect(more.earned?.plannedValueCurve).toEqual(result.earned?.plannedValueCurve);
    });
  });

  describe('the PV curve of a long baseline', () => {
    const state = when(plan, statusDate('2025-03-16')).state;

    it('uses weeks up to 260 of them and month ends beyond', () => {
      expect(curveIntervalFor({ start: '2025-01-06', finish: '2029-12-30' })).toBe('week');
      expect(curveIntervalFor({ start: '2025-01-06', finish: '2030-01-07' })).toBe('month');
      expect(curveIntervalFor({ start: '2000-01-01', finish: '2100-01-01' })).toBeNull();
    });

    it('agrees with the PV at any status date, at each period end', () => {
      const baseline = state.baselines.get(0);
      const curve = plannedValueCurve(state, baseline, workingDayCounter(state.calendar));
      expect(baselineSpan(baseline)).toEqual({ start: '2025-03-03', finish: '2025-03-18' });
      for (const date of ['2025-03-09', '2025-03-16', '2025-03-23']) {
        const pv = when(plan, statusDate(date)).earned?.pv;
        expect(curve.points.find((p) => p.periodEnd === date)?.pv).toBe(pv);
      }
    });

    it('has no percent complete when no work package has a duration', () => {
      const milestonesOnly = when([scheduleOpened, added('x', 'milestone', null, 0)]).state;
      expect(durationWeightedPercentComplete(milestonesOnly)).toBeNull();
    });
  });
});
