import fc from 'fast-check';
import { deciderSpecification } from '../testing/decider-specification';
import { scheduleDecider } from './schedule.decider';
import type { ScheduleEvent } from './schedule.events';
import { pertEstimate, threePointMustBeOrdered } from './schedule.rules';
import { T, meta, projectId, smallWbs } from './schedule.spec-fixtures';

const spec = deciderSpecification(scheduleDecider);

describe('Schedule', () => {
  describe('when estimating durations', () => {
    it('estimates a task duration', () => {
      spec.given(smallWbs).when({ type: 'EstimateTaskDuration', data: { projectId, taskId: T('code'), durationDays: 10 }, metadata: meta }).then([
        { type: 'TaskDurationEstimated', data: { projectId, taskId: 'code', durationDays: 10 } },
      ]);
    });

    it('does nothing for the duration it already has', () => {
      spec.given(smallWbs).when({ type: 'EstimateTaskDuration', data: { projectId, taskId: T('code'), durationDays: 5 }, metadata: meta }).thenNothingHappens();
    });

    it('rejects a duration on a summary or on a milestone', () => {
      spec.given(smallWbs).when({ type: 'EstimateTaskDuration', data: { projectId, taskId: T('build'), durationDays: 3 }, metadata: meta }).thenRejects('SUMMARY_VALUES_ARE_ROLLED_UP');
      spec.given(smallWbs).when({ type: 'EstimateTaskDuration', data: { projectId, taskId: T('release'), durationDays: 3 }, metadata: meta }).thenRejects('MILESTONE_DURATION_MUST_BE_ZERO');
    });
  });

  describe('when estimating with three points', () => {
    it('records the PERT mean and standard deviation', () => {
      spec
        .given(smallWbs)
        .when({ type: 'EstimateTaskThreePoint', data: { projectId, taskId: T('code'), optimisticDays: 4, mostLikelyDays: 6, pessimisticDays: 14 }, metadata: meta })
        .then([
          {
            type: 'TaskThreePointEstimated',
            data: { projectId, taskId: 'code', optimisticDays: 4, mostLikelyDays: 6, pessimisticDays: 14, expectedDays: 7, standardDeviationDays: 10 / 6 },
          },
        ]);
    });

    it('does nothing for the same estimate', () => {
      const estimated: ScheduleEvent = {
        type: 'TaskThreePointEstimated',
        data: { projectId, taskId: 'code', optimisticDays: 4, mostLikelyDays: 6, pessimisticDays: 14, expectedDays: 7, standardDeviationDays: 10 / 6 },
      };
      spec
        .given([...smallWbs, estimated])
        .when({ type: 'EstimateTaskThreePoint', data: { projectId, taskId: T('code'), optimisticDays: 4, mostLikelyDays: 6, pessimisticDays: 14 }, metadata: meta })
        .thenNothingHappens();
    });

    it('rejects an estimate out of order', () => {
      spec
        .given(smallWbs)
        .when({ type: 'EstimateTaskThreePoint', data: { projectId, taskId: T('code'), optimisticDays: 5, mostLikelyDays: 4, pessimisticDays: 9 }, metadata: meta })
        .thenRejects('THREE_POINT_ESTIMATE_OUT_OF_ORDER', 'invalid');
    });

    it('keeps the PERT mean between optimistic and pessimistic for every ordered estimate', () => {
      const ordered = fc
        .tuple(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.double({ min: 0, max: 1e4, noNaN: true }), fc.double({ min: 0, max: 1e4, noNaN: true }))
        .map((xs) => [...xs].sort((a, b) => a - b) as [number, number, number]);
      fc.assert(
        fc.property(ordered, ([o, m, p]) => {
          expect(() => threePointMustBeOrdered(o, m, p)).not.toThrow();
          const { expectedDays, standardDeviationDays } = pertEstimate(o, m, p);
          const slack = 1e-9 * Math.max(1, p);
          return expectedDays >= o - slack && expectedDays <= p + slack && standardDeviationDays >= 0;
        }),
      );
    });
  });

  describe('when planning work and cost', () => {
    it('plans work and budgets cost, once', () => {
      spec.given(smallWbs).when({ type: 'PlanTaskWork', data: { projectId, taskId: T('code'), workHours: 80 }, metadata: meta }).then([
        { type: 'TaskWorkPlanned', data: { projectId, taskId: 'code', workHours: 80 } },
      ]);
      spec.given(smallWbs).when({ type: 'BudgetTaskCost', data: { projectId, taskId: T('code'), costBudget: 12_000 }, metadata: meta }).then([
        { type: 'TaskCostBudgeted', data: { projectId, taskId: 'code', costBudget: 12_000 } },
      ]);
      const budgeted: ScheduleEvent = { type: 'TaskCostBudgeted', data: { projectId, taskId: 'code', costBudget: 12_000 } };
      spec.given([...smallWbs, budgeted]).when({ type: 'BudgetTaskCost', data: { projectId, taskId: T('code'), costBudget: 12_000 }, metadata: meta }).thenNothingHappens();
    });

    it('rejects a budget on a summary and negative work', () => {
      spec.given(smallWbs).when({ type: 'BudgetTaskCost', data: { projectId, taskId: T('build'), costBudget: 1 }, metadata: meta }).thenRejects('SUMMARY_VALUES_ARE_ROLLED_UP');
      spec.given(smallWbs).when({ type: 'PlanTaskWork', data: { projectId, taskId: T('code'), workHours: -8 }, metadata: meta }).thenRejects('TASK_WORK_INVALID');
    });
  });

  describe('when constraining a task', () => {
    it('sets a dated constraint', () => {
      spec.given(smallWbs).when({ type: 'ConstrainTask', data: { projectId, taskId: T('code'), constraint: { type: 'SNET', date: '2025-03-10' } }, metadata: meta }).then([
        { type: 'TaskConstrained', data: { projectId, taskId: 'code', constraint: { type: 'SNET', date: '2025-03-10' } } },
      ]);
    });

    it('does nothing for ASAP, which every task starts with', () => {
      spec.given(smallWbs).when({ type: 'ConstrainTask', data: { projectId, taskId: T('code'), constraint: { type: 'ASAP' } }, metadata: meta }).thenNothingHappens();
    });

    it('rejects a dated constraint without a date, and ASAP with one', () => {
      spec.given(smallWbs).when({ type: 'ConstrainTask', data: { projectId, taskId: T('code'), constraint: { type: 'MSO' } }, metadata: meta }).thenRejects('CONSTRAINT_DATE_REQUIRED');
      spec
        .given(smallWbs)
        .when({ type: 'ConstrainTask', data: { projectId, taskId: T('code'), constraint: { type: 'ASAP', date: '2025-03-10' } }, metadata: meta })
        .thenRejects('CONSTRAINT_DATE_NOT_APPLICABLE');
    });
  });
});
