import { deciderSpecification } from '@pm/shared/ddd/testing';
import { command, history, ids } from './register.spec-fixtures';
import type { FlagMitigationActionOverdue, FlagRiskReviewOverdue } from './risk.commands';
import type { RiskStreamEvent } from './risk-register.events';
import { overdueFrom } from './risk-due.decisions';
import { riskDecider } from './risk.decider';

const spec = deciderSpecification(riskDecider);
const scheduler = { actor: 'service:risk-service', tenantId: 'tenant-1' };
const at = (now: string) => ({ ...scheduler, now });
const flagReview = (reviewOn: string, now: string): FlagRiskReviewOverdue => ({ ...command<FlagRiskReviewOverdue>('FlagRiskReviewOverdue', { reviewOn }), metadata: at(now) });
const flagAction = (actionId: string, now: string): FlagMitigationActionOverdue => ({ ...command<FlagMitigationActionOverdue>('FlagMitigationActionOverdue', { actionId }), metadata: at(now) });

const reviewScheduled = (reviewOn: string): RiskStreamEvent => ({
  type: 'RiskReviewScheduled',
  data: { ...ids, reviewOn, previousReviewOn: null, scheduledBy: 'user:pm-1', scheduledAt: '2026-03-03T09:00:00.000Z' },
});
const action = { responseId: 'second-supplier', actionId: 'rfq', description: 'Request quotes', ownerId: 'user:buyer-1', dueOn: '2026-03-20', cost: null };
const pick = ({ responseId, actionId, ownerId, dueOn }: typeof action) => ({ responseId, actionId, ownerId, dueOn });
const actionAdded: RiskStreamEvent = { type: 'MitigationActionAdded', data: { ...ids, ...action, addedBy: 'user:pm-1', addedAt: '2026-03-03T09:00:00.000Z' } };
const actionCompleted: RiskStreamEvent = { type: 'MitigationActionCompleted', data: { ...ids, actionId: 'rfq', note: null, completedBy: 'user:buyer-1', completedAt: '2026-03-19T09:00:00.000Z' } };
const reviewOverdue = (reviewOn: string): RiskStreamEvent => ({
  type: 'RiskReviewOverdue',
  data: { ...ids, reviewOn, ownerId: null, flaggedBy: scheduler.actor, flaggedAt: overdueFrom(reviewOn) },
});
const actionOverdue: RiskStreamEvent = {
  type: 'MitigationActionOverdue',
  data: { ...ids, responseId: 'second-supplier', actionId: 'rfq', ownerId: 'user:buyer-1', dueOn: '2026-03-20', flaggedBy: scheduler.actor, flaggedAt: '2026-03-21T00:00:00.000Z' },
};

describe('Risk due dates', () => {
  it('are due until the end of their day in UTC', () => {
    expect(overdueFrom('2026-03-20')).toBe('2026-03-21T00:00:00.000Z');
    expect(overdueFrom('2026-12-31')).toBe('2027-01-01T00:00:00.000Z');
  });

  describe('FlagRiskReviewOverdue', () => {
    it('raises RiskReviewOverdue once the review day is over and no new review was scheduled', () => {
      spec
        .given([...history.assessed(), reviewScheduled('2026-04-01')])
        .when(flagReview('2026-04-01', '2026-04-02T00:00:00.000Z'))
        .then([{ type: 'RiskReviewOverdue', data: { ...ids, reviewOn: '2026-04-01', ownerId: null, flaggedBy: scheduler.actor, flaggedAt: '2026-04-02T00:00:00.000Z' } }]);
    });

    it('rejects a firing during the review day itself', () => {
      spec.given([...history.assessed(), reviewScheduled('2026-04-01')]).when(flagReview('2026-04-01', '2026-04-01T23:59:59.999Z')).thenRejects('RISK_REVIEW_NOT_DUE', 'conflict');
    });

    it('with the tenant calendar’s due moment, judges the firing against it (before or after the UTC day’s end)', () => {
      const berlinEnd = { reviewOn: '2026-04-01', overdueAt: '2026-03-31T22:00:00.000Z' };
      const review = (data: { reviewOn: string; overdueAt: string }, now: string): FlagRiskReviewOverdue => {
        const base = flagReview(data.reviewOn, now);
        return { ...base, data: { ...base.data, ...data } };
      };
      spec
        .given([...history.assessed(), reviewScheduled('2026-04-01')])
        .when(review(berlinEnd, '2026-03-31T22:00:00.000Z'))
        .then([{ type: 'RiskReviewOverdue', data: { ...ids, reviewOn: '2026-04-01', ownerId: null, flaggedBy: scheduler.actor, flaggedAt: '2026-03-31T22:00:00.000Z' } }]);
      spec.given([...history.assessed(), reviewScheduled('2026-04-01')]).when(review(berlinEnd, '2026-03-31T21:59:59.999Z')).thenRejects('RISK_REVIEW_NOT_DUE', 'conflict');
      // Due on a Friday before a holiday Monday: not due on the Monday although the UTC day is long over.
      spec
        .given([...history.assessed(), reviewScheduled('2026-04-03')])
        .when(review({ reviewOn: '2026-04-03', overdueAt: '2026-04-08T00:00:00.000Z' }, '2026-04-06T12:00:00.000Z'))
        .thenRejects('RISK_REVIEW_NOT_DUE', 'conflict');
    });

    it('rejects a risk that does not exist', () => {
      spec.given([]).when(flagReview('2026-04-01', '2026-04-02T00:00:00.000Z')).thenRejects('RISK_NOT_FOUND', 'not-found');
    });

    it('raises nothing for a review that was moved to another date', () => {
      spec.given([...history.assessed(), reviewScheduled('2026-04-01'), reviewScheduled('2026-04-15')]).when(flagReview('2026-04-01', '2026-04-02T00:00:00.000Z')).then([]);
    });

    it('raises nothing twice for the same review date', () => {
      spec.given([...history.assessed(), reviewScheduled('2026-04-01'), reviewOverdue('2026-04-01')]).when(flagReview('2026-04-01', '2026-04-03T00:00:00.000Z')).then([]);
    });

    it('raises nothing for a closed risk', () => {
      spec.given([...history.monitoring(), reviewScheduled('2026-04-01'), ...history.closed().slice(-1)]).when(flagReview('2026-04-01', '2026-04-02T00:00:00.000Z')).then([]);
    });

    it('flags the new date again after a review is rescheduled', () => {
      const events = spec
        .given([...history.assessed(), reviewScheduled('2026-04-01'), reviewOverdue('2026-04-01'), reviewScheduled('2026-04-15')])
        .when(flagReview('2026-04-15', '2026-04-16T00:00:00.000Z'))
        .events();
      expect(events.map((e) => e.type)).toEqual(['RiskReviewOverdue']);
    });
  });

  describe('FlagMitigationActionOverdue', () => {
    it('raises MitigationActionOverdue once the due day is over and the action is still open', () => {
      spec.given([...history.responding(), actionAdded]).when(flagAction('rfq', '2026-03-21T00:00:00.000Z')).then([actionOverdue]);
    });

    it('rejects a firing before the due day is over, and an action the risk does not have', () => {
      spec.given([...history.responding(), actionAdded]).when(flagAction('rfq', '2026-03-20T12:00:00.000Z')).thenRejects('MITIGATION_ACTION_NOT_DUE', 'conflict');
      spec.given([...history.responding(), actionAdded]).when(flagAction('constructor', '2026-03-21T00:00:00.000Z')).thenRejects('MITIGATION_ACTION_NOT_FOUND', 'not-found');
    });

    it('judges the firing against the tenant calendar’s due moment when the service gives one', () => {
      const flag = (now: string): FlagMitigationActionOverdue => {
        const base = flagAction('rfq', now);
        return { ...base, data: { ...base.data, overdueAt: '2026-03-24T00:00:00.000Z' } };
      };
      spec.given([...history.responding(), actionAdded]).when(flag('2026-03-23T23:59:59.999Z')).thenRejects('MITIGATION_ACTION_NOT_DUE', 'conflict');
      spec
        .given([...history.responding(), actionAdded])
        .when(flag('2026-03-24T00:00:00.000Z'))
        .then([{ type: 'MitigationActionOverdue', data: { ...ids, ...pick(action), flaggedBy: scheduler.actor, flaggedAt: '2026-03-24T00:00:00.000Z' } }]);
    });

    it('raises nothing for a completed action, an action already flagged, or a risk that occurred', () => {
      spec.given([...history.responding(), actionAdded, actionCompleted]).when(flagAction('rfq', '2026-03-21T00:00:00.000Z')).then([]);
      spec.given([...history.responding(), actionAdded, actionOverdue]).when(flagAction('rfq', '2026-03-22T00:00:00.000Z')).then([]);
      const occurred = history.occurred();
      spec.given([...occurred.slice(0, -2), actionAdded, ...occurred.slice(-2)]).when(flagAction('rfq', '2026-03-21T00:00:00.000Z')).then([]);
    });
  });
});
