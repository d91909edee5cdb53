import fc from 'fast-check';
import { dayNumber } from '@pm/shared/scheduling';
import { capacityProfile, demandProfile } from '../capacity/capacity';
import { STANDARD_CALENDAR, WorkingMinutes, dayRange } from '../capacity/working-minutes';
import { at, deciderSpecification } from '../testing/decider-specification';
import { allocationDecider } from './allocation.decider';
import type { AllocationEvent, EvaluateAllocation } from './allocation.decider';
import { findOverallocations } from './overallocation';
import type { OverallocatedPeriod } from './overallocation';

const spec = deciderSpecification(allocationDecider);
const now = '2026-03-02T09:00:00.000Z';
const window = { from: '2026-03-01', to: '2026-03-31' };
const week10: OverallocatedPeriod = { from: '2026-03-02', to: '2026-03-06', minutesOver: 1200, taskIds: ['t-a', 't-b'] };
const week12: OverallocatedPeriod = { from: '2026-03-16', to: '2026-03-17', minutesOver: 240, taskIds: ['t-c', 't-d'] };
const evaluate = (periods: OverallocatedPeriod[], w = window): EvaluateAllocation => ({ type: 'EvaluateAllocation', data: { resourceId: 'r-ada', periods, window: w }, metadata: at(now) });
const overallocated = (periods: OverallocatedPeriod[]): AllocationEvent => ({
  type: 'ResourceOverallocated',
  data: { resourceId: 'r-ada', periods, totalMinutesOver: periods.reduce((s, p) => s + p.minutesOver, 0), detectedAt: now },
});

describe('findOverallocations', () => {
  it('finds the days two half-overlapping full-time tasks collide, across the weekend, with the tasks named', () => {
    const range = dayRange('2026-03-02', '2026-03-20');
    const items = [
      { taskId: 't-a', startDay: dayNumber('2026-03-02'), finishDay: dayNumber('2026-03-10'), load: { kind: 'units' as const, percent: 100 } },
      { taskId: 't-b', startDay: dayNumber('2026-03-05'), finishDay: dayNumber('2026-03-13'), load: { kind: 'units' as const, percent: 50 } },
    ];
    const cap = capacityProfile({ calendar: STANDARD_CALENDAR, availabilityPercent: 100, leave: [] }, range);
    const dem = demandProfile(items, range, new WorkingMinutes(STANDARD_CALENDAR));
    // Thu 5, Fri 6, Mon 9, Tue 10: four days 4 h over.
    expect(findOverallocations(range, cap, dem, items)).toEqual([{ from: '2026-03-05', to: '2026-03-10', minutesOver: 960, taskIds: ['t-a', 't-b'] }]);
  });
});

describe('Allocation', () => {
  describe('EvaluateAllocation', () => {
    it('publishes ResourceOverallocated with the periods, hours over and tasks', () => spec.given([]).when(evaluate([week10])).then([overallocated([week10])]));
    it('publishes nothing when the same findings arrive again (redelivered event, repeated evaluation)', () => spec.given([overallocated([week10])]).when(evaluate([week10])).thenNothingHappens());
    it('publishes nothing for the same findings read back from the store with reordered keys (jsonb)', () => {
      const fromStore = JSON.parse(JSON.stringify(overallocated([week10])), (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v));
      spec.given([fromStore]).when(evaluate([week10])).thenNothingHappens();
    });
    it('publishes nothing when there was and is no over-allocation', () => spec.given([]).when(evaluate([])).thenNothingHappens());
    it('publishes OverallocationResolved when it clears', () => {
      spec.given([overallocated([week10])]).when(evaluate([])).then([
        { type: 'OverallocationResolved', data: { resourceId: 'r-ada', resolvedPeriods: [week10], stillOverallocated: false, resolvedAt: now } },
      ]);
    });
    it('keeps findings outside the evaluated window', () => {
      spec.given([overallocated([week10])]).when(evaluate([], { from: '2026-04-01', to: '2026-04-30' })).thenNothingHappens();
    });
    it('resolves one period and republishes the list when another appears', () => {
      spec.given([overallocated([week10])]).when(evaluate([week12])).then([
        { type: 'OverallocationResolved', data: { resourceId: 'r-ada', resolvedPeriods: [week10], stillOverallocated: true, resolvedAt: now } },
        overallocated([week12]),
      ]);
    });
    it('rejects an unknown command', () => spec.given([]).when({ type: 'Nope' } as never).thenRejects('UNKNOWN_COMMAND'));
  });

  it('after any sequence of evaluations, the state is the latest findings and re-evaluating publishes nothing (property)', () => {
    const period = fc
      .record({ start: fc.integer({ min: 0, max: 25 }), length: fc.integer({ min: 0, max: 4 }), over: fc.integer({ min: 1, max: 999 }) })
      .map(({ start, length, over }): OverallocatedPeriod => ({
        from: `2026-03-${String(start + 1).padStart(2, '0')}`,
        to: `2026-03-${String(start + 1 + length).padStart(2, '0')}`,
        minutesOver: over,
        taskIds: ['t'],
      }));
    // Findings of one evaluation never overlap each other (they are maximal runs).
    const findings = fc.array(period, { maxLength: 5 }).map((ps) => {
      const sorted = [...ps].sort((a, b) => (a.from < b.from ? -1 : 1));
      return sorted.filter((p, i) => sorted.slice(0, i).every((q) => q.to < p.from));
    });
    fc.assert(
      fc.property(fc.array(findings, { minLength: 1, maxLength: 6 }), (evaluations) => {
        let state = allocationDecider.initialState();
        for (const periods of evaluations) {
          const events = allocationDecider.decide(evaluate(periods), state);
          state = events.reduce(allocationDecider.evolve, state);
          expect(state.periods).toEqual(periods);
          expect(allocationDecider.decide(evaluate(periods), state)).toEqual([]);
        }
      }),
    );
  });
});
