import { deciderSpecification } from '@pm/shared/ddd/testing';
import { command, history, identified, identify, ids, meta, now, otherRiskId, settingsWith } from './register.spec-fixtures';
import type { AssignRiskOwner, ChangeRiskStatus, RecordRiskOccurrence, ScheduleRiskReview } from './risk.commands';
import { riskDecider } from './risk.decider';
import { riskStreamId } from './risk.ids';
import { mayMoveRisk } from './risk.rules';

const spec = deciderSpecification(riskDecider);
const by = { changedBy: meta.actor, changedAt: now };
const moveTo = (to: ChangeRiskStatus['data']['to'], reason?: string) => command<ChangeRiskStatus>('ChangeRiskStatus', { to, reason });

describe('Risk', () => {
  it('names its stream risk:<tenant>:<id>', () => {
    expect(riskStreamId('acme', ids.riskId)).toBe(`risk:acme:${ids.riskId}`);
  });

  describe('IdentifyRisk', () => {
    it('registers a threat with its cause, event and effect, trimmed, in a category of the tenant', () => {
      spec
        .given([])
        .when(identify({ title: '  Vendor late ', triggers: [' Order not confirmed ', '  '], ownerId: 'user:owner-1', proximity: '2026-05-01' }))
        .then([identified('threat', { ownerId: 'user:owner-1', proximity: '2026-05-01', triggers: ['Order not confirmed'], identifiedAt: now })]);
    });

    it('changes nothing when the same identification is retried', () => {
      spec.given(history.identified()).when(identify()).thenNothingHappens();
    });

    it('rejects another risk under a taken id', () => {
      spec.given(history.identified()).when(identify({ title: 'Another risk' })).thenRejects('RISK_ALREADY_IDENTIFIED', 'conflict');
    });

    it('rejects a category outside the tenant’s risk breakdown structure, even one named like a prototype key', () => {
      spec.given([]).when(identify({ categoryId: 'constructor' })).thenRejects('RISK_CATEGORY_NOT_FOUND', 'not-found');
      const withConstructor = { ...identify({ categoryId: 'constructor' }), settings: settingsWith({ categoryId: 'constructor', name: 'C' }) };
      expect(spec.given([]).when(withConstructor).events()).toMatchObject([{ data: { categoryId: 'constructor' } }]);
    });

    it('rejects a blank cause, a text over the contract’s limit, an impossible date and a bad kind', () => {
      spec.given([]).when(identify({ cause: '  ' })).thenRejects('TEXT_REQUIRED', 'invalid');
      spec.given([]).when(identify({ title: 'x'.repeat(201) })).thenRejects('TEXT_TOO_LONG', 'invalid');
      spec.given([]).when(identify({ proximity: '2026-02-30' })).thenRejects('INVALID_DATE', 'invalid');
      spec.given([]).when(identify({ kind: 'chance' as never })).thenRejects('RISK_KIND_INVALID', 'invalid');
      spec.given([]).when(identify({ triggers: Array.from({ length: 21 }, (_, i) => `t${i}`) })).thenRejects('RISK_TOO_MANY_TRIGGERS');
    });
  });

  describe('ChangeRiskStatus', () => {
    it('moves a responding risk to monitoring and back', () => {
      spec.given(history.responding()).when(moveTo('monitoring')).then([{ type: 'RiskStatusChanged', data: { ...ids, from: 'responding', to: 'monitoring', reason: null, ...by } }]);
      spec.given(history.monitoring()).when(moveTo('responding', 'Trigger seen')).then([{ type: 'RiskStatusChanged', data: { ...ids, from: 'monitoring', to: 'responding', reason: 'Trigger seen', ...by } }]);
    });

    it('closes an open risk with a reason', () => {
      spec.given(history.identified()).when(moveTo('closed', 'Out of scope now')).then([{ type: 'RiskStatusChanged', data: { ...ids, from: 'identified', to: 'closed', reason: 'Out of scope now', ...by } }]);
    });

    it('changes nothing when the risk already has that status', () => {
      spec.given(history.monitoring()).when(moveTo('monitoring')).thenNothingHappens();
      spec.given(history.closed()).when(moveTo('closed', 'again')).thenNothingHappens();
    });

    it('rejects moves the life cycle does not have', () => {
      spec.given(history.identified()).when(moveTo('monitoring')).thenRejects('RISK_TRANSITION_NOT_ALLOWED', 'conflict');
      spec.given(history.closed()).when(moveTo('responding')).thenRejects('RISK_TRANSITION_NOT_ALLOWED', 'conflict');
      expect([mayMoveRisk('occurred', 'closed'), mayMoveRisk('occurred', 'monitoring'), mayMoveRisk('closed', 'identified')]).toEqual([true, false, false]);
    });

    it('rejects responding without a response, closing without a reason, and statuses set by other commands', () => {
      spec.given(history.assessed()).when(moveTo('responding')).thenRejects('RISK_HAS_NO_RESPONSE', 'conflict');
      spec.given(history.monitoring()).when(moveTo('closed', ' ')).thenRejects('RISK_CLOSURE_REASON_REQUIRED', 'invalid');
      spec.given(history.identified()).when(moveTo('occurred' as never)).thenRejects('RISK_STATUS_NOT_SETTABLE', 'invalid');
      spec.given([]).when(moveTo('closed', 'x')).thenRejects('RISK_NOT_FOUND', 'not-found');
    });
  });

  describe('AssignRiskOwner', () => {
    const assign = (ownerId: string) => command<AssignRiskOwner>('AssignRiskOwner', { ownerId });

    it('assigns a person and remembers the previous owner', () => {
      spec
        .given([identified('threat', { ownerId: 'user:owner-1' })])
        .when(assign('user:owner-2'))
        .then([{ type: 'RiskOwnerAssigned', data: { ...ids, ownerId: 'user:owner-2', previousOwnerId: 'user:owner-1', assignedBy: meta.actor, assignedAt: now } }]);
    });

    it('changes nothing when the owner is the same', () => {
      spec.given([identified('threat', { ownerId: 'user:owner-1' })]).when(assign('user:owner-1')).thenNothingHappens();
    });

    it('rejects a blank owner and a closed or occurred risk', () => {
      spec.given(history.identified()).when(assign(' ')).thenRejects('TEXT_REQUIRED');
      spec.given(history.closed()).when(assign('user:owner-2')).thenRejects('RISK_CLOSED', 'conflict');
      spec.given(history.occurred()).when(assign('user:owner-2')).thenRejects('RISK_OCCURRED', 'conflict');
    });
  });

  describe('ScheduleRiskReview', () => {
    const review = (reviewOn: string) => command<ScheduleRiskReview>('ScheduleRiskReview', { reviewOn });

    it('schedules the next review, today or later', () => {
      spec
        .given(history.assessed())
        .when(review('2026-03-17'))
        .then([{ type: 'RiskReviewScheduled', data: { ...ids, reviewOn: '2026-03-17', previousReviewOn: null, scheduledBy: meta.actor, scheduledAt: now } }]);
    });

    it('changes nothing when the review is already on that date', () => {
      const scheduled = spec.given(history.assessed()).when(review('2026-03-17')).events();
      spec.given([...history.assessed(), ...scheduled]).when(review('2026-03-17')).thenNothingHappens();
    });

    it('rejects a date in the past and a closed risk', () => {
      spec.given(history.assessed()).when(review('2026-03-02')).thenRejects('RISK_REVIEW_IN_PAST', 'invalid');
      spec.given(history.closed()).when(review('2026-03-17')).thenRejects('RISK_CLOSED');
    });
  });

  describe('RecordRiskOccurrence', () => {
    const occur = (occurredOn: string, description = 'Delivery moved') => command<RecordRiskOccurrence>('RecordRiskOccurrence', { occurredOn, description });

    it('records what happened and moves the risk to occurred, for the issue log to take over', () => {
      spec
        .given(history.responding())
        .when(occur('2026-03-02'))
        .then([
          { type: 'RiskOccurred', data: { ...ids, kind: 'threat', title: 'Vendor late', occurredOn: '2026-03-02', description: 'Delivery moved', recordedBy: meta.actor, recordedAt: now } },
          { type: 'RiskStatusChanged', data: { ...ids, from: 'responding', to: 'occurred', reason: null, ...by } },
        ]);
    });

    it('changes nothing when the same occurrence is recorded again', () => {
      spec.given(history.occurred()).when(occur('2026-03-02')).thenNothingHappens();
    });

    it('rejects another date for an occurred risk, a future date and a closed risk', () => {
      spec.given(history.occurred()).when(occur('2026-03-01')).thenRejects('RISK_ALREADY_OCCURRED', 'conflict');
      spec.given(history.identified()).when(occur('2026-03-04')).thenRejects('RISK_OCCURRENCE_IN_FUTURE', 'invalid');
      spec.given(history.closed()).when(occur('2026-03-02')).thenRejects('RISK_CLOSED', 'conflict');
    });
  });

  it('rejects a command type it does not know', () => {
    spec.given([]).when({ type: 'ForgetRisk', data: { riskId: otherRiskId }, metadata: meta } as never).thenRejects('UNKNOWN_COMMAND');
  });
});
