import { registerRiskEvents } from './register-risk-events';
import type { RegisterRisk } from './register-risk-events';

const plan = new Set(['design', 'build', 'test']);
const risk = (overrides: Partial<RegisterRisk> = {}): RegisterRisk => ({
  riskId: 'r1',
  scheduleProbability: 4,
  costImpact: null,
  tasks: [{ taskId: 'build', delayDays: { min: 2, mostLikely: 5, max: 10 } }],
  ...overrides,
});

describe('The register’s threats as risk events', () => {
  it('takes the schedule band midpoint as probability and the link as three-point delays', () => {
    const { riskEvents, used, skipped } = registerRiskEvents([risk()], plan, null);
    expect(riskEvents).toEqual([{ id: 'register:r1', probability: 0.7, impacts: [{ taskId: 'build', days: { optimistic: 2, mostLikely: 5, pessimistic: 10 } }] }]);
    expect(used).toEqual([{ riskId: 'r1', eventId: 'register:r1', probability: 0.7, tasks: 1, tasksNotInPlan: 0, cost: null, costLeftOut: null }]);
    expect(skipped).toEqual([]);
  });

  it.each([
    [1, 0.05],
    [2, 0.2],
    [3, 0.5],
    [5, 0.9],
  ])('maps level %d to %d', (level, probability) => {
    expect(registerRiskEvents([risk({ scheduleProbability: level })], plan, null).riskEvents[0]?.probability).toBe(probability);
  });

  it('adds the cost impact in major units of the run’s currency, and names it when left out', () => {
    const eur = risk({ costImpact: { amountMinor: 1_250_050, currency: 'EUR' } });
    expect(registerRiskEvents([eur], plan, 'EUR').riskEvents[0]?.cost).toBe(12_500.5);
    expect(registerRiskEvents([risk({ costImpact: { amountMinor: 1_250, currency: 'JPY' } })], plan, 'JPY').riskEvents[0]?.cost).toBe(1_250);
    expect(registerRiskEvents([eur], plan, 'USD').used[0]).toMatchObject({ cost: null, costLeftOut: 'other-currency' });
    expect(registerRiskEvents([eur], plan, null).used[0]).toMatchObject({ cost: null, costLeftOut: 'no-currency' });
    expect(registerRiskEvents([eur], plan, null).riskEvents[0]).not.toHaveProperty('cost');
    expect(registerRiskEvents([risk({ costImpact: { amountMinor: 1e12, currency: 'EUR' } })], plan, 'EUR').used[0]).toMatchObject({ costLeftOut: 'too-large' });
  });

  it('leaves out linked tasks the plan no longer has, and skips a risk with none left or not assessed on the schedule', () => {
    const tasks = [
      { taskId: 'build', delayDays: { min: 1, mostLikely: 1, max: 2 } },
      { taskId: 'gone', delayDays: { min: 1, mostLikely: 1, max: 2 } },
    ];
    const { riskEvents, used, skipped } = registerRiskEvents(
      [risk({ tasks }), risk({ riskId: 'r2', tasks: [tasks[1]!] }), risk({ riskId: 'r3', scheduleProbability: null })],
      plan,
      null,
    );
    expect(riskEvents.map((e) => e.impacts?.map((i) => i.taskId))).toEqual([['build']]);
    expect(used[0]).toMatchObject({ tasks: 1, tasksNotInPlan: 1 });
    expect(skipped).toEqual([
      { riskId: 'r2', reason: 'no-task-in-plan' },
      { riskId: 'r3', reason: 'schedule-not-assessed' },
    ]);
  });
});
