import { DEFAULT_AUTOMATIC_RISK_RULES } from '../register/automatic-rule-settings';
import { automaticRiskId, signalKey } from './automatic-risk-id';
import { milestoneSubject, projectSubject, resourceOnTaskSubject } from './signal-evidence';
import { evaluateSignals } from './signal.evaluator';
import { context, earnedValue, milestone, nearCritical, projectId, replay, resourceId, rulesWith, summary, tenantId } from './signal.spec-fixtures';
import type { ResourceAllocationFact, SignalFact } from './signal.types';

const quiet = (facts: SignalFact[], rules = rulesWith()) => replay(facts, rules).decisions.map(summary);
const overallocated = (...tasks: Array<[string, number]>): ResourceAllocationFact => ({
  kind: 'resource-allocation',
  source: { eventId: `ro-${tasks.length}-${tasks.map((t) => t.join(':')).join(',')}`, eventType: 'pm.resource.ResourceOverallocated' },
  resourceId,
  criticalTasks: tasks.map(([taskId, minutesOver]) => ({ projectId, taskId, minutesOver, from: '2026-03-09', to: '2026-03-13' })),
});

describe('Automatic risks', () => {
  describe('given a healthy project', () => {
    it('raises nothing', () => {
      expect(quiet([earnedValue()])).toEqual([[]]);
    });
  });

  describe('SPI and CPI under the threshold', () => {
    it('raises one risk per index below it, with the figures and the threshold as evidence', () => {
      const { decisions } = replay([earnedValue({ spi: 0.85, ev: 42_500, cpi: 0.8 })]);
      expect(summary(decisions[0])).toEqual(['raise spi-below', 'raise cpi-below']);
      const spi = decisions[0][0];
      expect(spi.command.data).toMatchObject({ ruleId: 'spi-below', subject: projectSubject(projectId), categoryId: 'automatic', title: 'SPI below 0.9' });
      expect(spi.type === 'raise' && spi.command.data.evidence).toEqual({
        events: [{ eventId: expect.stringMatching(/^ev-/), type: 'pm.planning.ProjectEarnedValueCalculated' }],
        measurements: [
          { name: 'spi', value: 0.85 },
          { name: 'ev', value: 42_500 },
          { name: 'pv', value: 50_000 },
        ],
        thresholds: [{ name: 'minimum', value: 0.9 }],
        asOf: '2026-03-02',
      });
      expect(spi.record.riskId).toBe(automaticRiskId(tenantId, 'spi-below', projectSubject(projectId), 0));
    });

    it('does not fire exactly at the threshold, nor without an index', () => {
      expect(quiet([earnedValue({ spi: 0.9, cpi: null })])).toEqual([[]]);
    });

    it('follows the tenant: a higher threshold fires, a rule switched off does not', () => {
      const strict = rulesWith({ ruleId: 'spi-below', enabled: true, onClear: 'close', minimum: 0.95 }, { ...DEFAULT_AUTOMATIC_RISK_RULES['cpi-below'], enabled: false });
      expect(quiet([earnedValue({ spi: 0.92, cpi: 0.5 })], strict)).toEqual([['raise spi-below']]);
    });

    it('records new figures while the signal stays, and nothing for the same figures', () => {
      expect(quiet([earnedValue({ spi: 0.85 }), earnedValue({ spi: 0.8 }), earnedValue({ spi: 0.8 })])).toEqual([['raise spi-below'], ['record-evidence spi-below'], []]);
    });

    it('proposes closure when the signal clears, and raises nothing new when it returns but withdraws the proposal', () => {
      const { decisions, book } = replay([earnedValue({ spi: 0.85 }), earnedValue({ spi: 0.95 }), earnedValue({ spi: 0.85 })]);
      expect(decisions.map(summary)).toEqual([['raise spi-below'], ['clear spi-below'], ['record-evidence spi-below']]);
      expect(decisions[1][0].command.data).toMatchObject({ onClear: 'propose-closure' });
      expect(book.get(signalKey('spi-below', projectSubject(projectId)))).toMatchObject({ status: 'open', generation: 0 });
    });

    it('closes when the tenant says so, and raises a new risk (the next generation) when the signal returns', () => {
      const closing = rulesWith({ ruleId: 'spi-below', enabled: true, onClear: 'close', minimum: 0.9 });
      const { decisions } = replay([earnedValue({ spi: 0.85 }), earnedValue({ spi: 0.95 }), earnedValue({ spi: 0.85 })], closing);
      expect(decisions.map(summary)).toEqual([['raise spi-below'], ['clear spi-below'], ['raise spi-below']]);
      expect(decisions[1][0].command.data).toMatchObject({ onClear: 'close' });
      const [first, again] = [decisions[0][0].record, decisions[2][0].record];
      expect([first.generation, again.generation]).toEqual([0, 1]);
      expect(again.riskId).not.toBe(first.riskId);
    });

    it('decides nothing for the same event twice', () => {
      const fact = earnedValue({ spi: 0.85 }, 'ev-same');
      expect(quiet([fact, fact])).toEqual([['raise spi-below'], []]);
    });
  });

  describe('EAC over BAC', () => {
    it('fires above the percentage only (10% by default)', () => {
      expect(quiet([earnedValue({ eac: 110_000 })])).toEqual([[]]);
      expect(quiet([earnedValue({ eac: 110_001 })])).toEqual([['raise eac-over-bac']]);
    });

    it('has nothing to say without an EAC or a budget', () => {
      expect(quiet([earnedValue({ eac: null }), earnedValue({ bac: 0, eac: 5 })])).toEqual([[], []]);
    });
  });

  describe('near-critical work', () => {
    const byCount = rulesWith({ ruleId: 'near-critical-work', enabled: true, onClear: 'propose-closure', floatDays: 5, maxCount: 12, maxIncreasePercent: null });

    it('fires when the count under the float is above the limit', () => {
      expect(quiet([earnedValue(nearCritical(12, 0))], byCount)).toEqual([[]]);
      expect(quiet([earnedValue(nearCritical(13, 0))], byCount)).toEqual([['raise near-critical-work']]);
    });

    it('fires when the count grew by more than the percentage since the baseline (25% by default)', () => {
      expect(quiet([earnedValue(nearCritical(25, 20))])).toEqual([[]]);
      expect(quiet([earnedValue(nearCritical(26, 20))])).toEqual([['raise near-critical-work']]);
    });

    it('does not take growth from zero as a percentage', () => {
      expect(quiet([earnedValue(nearCritical(50, 0))])).toEqual([[]]);
    });
  });

  describe('milestone slip and overdue milestones', () => {
    it('raises one risk per milestone slipping more than N working days (5 by default)', () => {
      expect(quiet([earnedValue({ milestones: [milestone(5)] })])).toEqual([[]]);
      const { decisions } = replay([earnedValue({ milestones: [milestone(6, { forecastFinish: '2026-04-09' })] })]);
      expect(summary(decisions[0])).toEqual(['raise milestone-slip go-live']);
      expect(decisions[0][0].command.data).toMatchObject({ subject: milestoneSubject(projectId, 'go-live'), title: 'Milestone Go live forecast 6 working days late' });
    });

    it('clears a milestone once achieved, and one that left the list when the list is complete', () => {
      const slipped = earnedValue({ milestones: [milestone(8)] });
      expect(quiet([slipped, earnedValue({ milestones: [milestone(8, { achieved: true })] })])).toEqual([['raise milestone-slip go-live'], ['clear milestone-slip go-live']]);
      expect(quiet([slipped, earnedValue({ milestones: [], milestoneCount: 0 })])).toEqual([['raise milestone-slip go-live'], ['clear milestone-slip go-live']]);
    });

    it('keeps a milestone left out of a cut list open unless the smallest listed slip is within the tolerance', () => {
      const slipped = earnedValue({ milestones: [milestone(8)] });
      const cut = (lastSlip: number) => earnedValue({ milestonesTruncated: true, milestoneCount: 300, milestones: [milestone(9, { taskId: 'other', name: 'Other' }), milestone(lastSlip, { taskId: 'third', name: 'Third' })] });
      expect(quiet([slipped, cut(6)])).toEqual([['raise milestone-slip go-live'], ['raise milestone-slip other', 'raise milestone-slip third']]);
      expect(quiet([slipped, cut(5)])).toEqual([['raise milestone-slip go-live'], ['raise milestone-slip other', 'clear milestone-slip go-live']]);
    });

    it('raises an overdue milestone past its grace days, and clears it once achieved', () => {
      const overdue = { milestones: [milestone(1, { baselineFinish: '2026-03-01', forecastFinish: '2026-03-02', overdue: true })], overdueMilestoneCount: 1 };
      const grace = (graceDays: number) => rulesWith({ ruleId: 'overdue-milestone', enabled: true, onClear: 'close', graceDays });
      expect(quiet([earnedValue(overdue)], grace(1))).toEqual([[]]);
      expect(quiet([earnedValue(overdue), earnedValue({ milestones: [milestone(1, { achieved: true })] })], grace(0))).toEqual([['raise overdue-milestone go-live'], ['clear overdue-milestone go-live']]);
    });
  });

  describe('a resource over-allocated on a critical task', () => {
    it('raises one risk per resource and critical task, clears the tasks the next list leaves out', () => {
      const { decisions, book } = replay([overallocated(['build', 240], ['test', 60]), overallocated(['build', 300]), overallocated()]);
      expect(decisions.map(summary)).toEqual([
        ['raise overallocated-critical-task build', 'raise overallocated-critical-task test'],
        ['record-evidence overallocated-critical-task build', 'clear overallocated-critical-task test'],
        ['clear overallocated-critical-task build'],
      ]);
      expect(book.get(signalKey('overallocated-critical-task', resourceOnTaskSubject(projectId, resourceId, 'build')))?.status).toBe('closure-proposed');
    });

    it('clears the signal of every resource on a task that left the critical path', () => {
      const offPath: SignalFact = { kind: 'task-no-longer-critical', source: { eventId: 'tsc-1', eventType: 'pm.planning.TaskScheduleChanged' }, projectId, taskId: 'test' };
      expect(quiet([overallocated(['build', 240], ['test', 60]), offPath, offPath])).toEqual([
        ['raise overallocated-critical-task build', 'raise overallocated-critical-task test'],
        ['clear overallocated-critical-task test'],
        [],
      ]);
    });

    it('ignores over-allocations within the tolerance', () => {
      const tolerant = rulesWith({ ruleId: 'overallocated-critical-task', enabled: true, onClear: 'close', minMinutesOver: 60 });
      expect(quiet([overallocated(['build', 60])], tolerant)).toEqual([[]]);
    });
  });

  describe('an overdue mitigation action', () => {
    const riskId = '3a7c1e5b-9d2f-4b6a-8c1e-2f3a4b5c6d7e';
    const overdue = (asOf: string): SignalFact => ({ kind: 'mitigation-action-overdue', source: { eventId: `due-${asOf}`, eventType: 'pm.risk.MitigationActionOverdue' }, projectId, riskId, actionId: 'rfq', dueOn: '2026-03-01', asOf });
    const completed: SignalFact = { kind: 'mitigation-action-settled', source: { eventId: 'done', eventType: 'pm.risk.MitigationActionCompleted' }, projectId, riskId, actionId: 'rfq' };

    it('raises it past its due date, updates it as days pass and clears it once completed', () => {
      expect(quiet([overdue('2026-03-01'), overdue('2026-03-02'), overdue('2026-03-03'), completed, completed])).toEqual([
        [],
        ['raise overdue-mitigation-action rfq'],
        ['record-evidence overdue-mitigation-action rfq'],
        ['clear overdue-mitigation-action rfq'],
        [],
      ]);
    });
  });

  it('evaluates only the records it is given: a rule switched off leaves its open risks to their owners', () => {
    const { book } = replay([earnedValue({ spi: 0.5 })]);
    const off = rulesWith({ ...DEFAULT_AUTOMATIC_RISK_RULES['spi-below'], enabled: false });
    expect(evaluateSignals(earnedValue({ spi: 1 }), book, off, context)).toEqual([]);
  });
});
