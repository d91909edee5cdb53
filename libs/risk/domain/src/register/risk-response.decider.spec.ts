import { deciderSpecification } from '@pm/shared/ddd/testing';
import { command, history, ids, meta, now, otherRiskId, riskId } from './register.spec-fixtures';
import type { AddMitigationAction, CompleteMitigationAction, LinkSecondaryRisk, PlanRiskResponse } from './risk.commands';
import type { RiskStreamEvent } from './risk-register.events';
import { riskDecider } from './risk.decider';
import { toRiskId } from './risk.ids';

const spec = deciderSpecification(riskDecider);
const plan = (responseId: string, strategy: PlanRiskResponse['data']['strategy'], description = 'Order from a second supplier') =>
  command<PlanRiskResponse>('PlanRiskResponse', { responseId, strategy, description });
const action = { responseId: 'second-supplier', actionId: 'rfq', description: 'Request quotes', ownerId: 'user:buyer-1', dueOn: '2026-03-20', cost: { amountMinor: 250_000, currency: 'EUR' } };
const addAction = (overrides: Partial<AddMitigationAction['data']> = {}) => command<AddMitigationAction>('AddMitigationAction', { ...action, ...overrides });
const actionAdded = (actionId = 'rfq'): RiskStreamEvent => ({ type: 'MitigationActionAdded', data: { ...ids, ...action, actionId, addedBy: meta.actor, addedAt: now } });
const complete = (actionId: string) => command<CompleteMitigationAction>('CompleteMitigationAction', { actionId, note: ' Quotes in ' });
const link = (secondaryRiskId: string, responseId = 'second-supplier') => command<LinkSecondaryRisk>('LinkSecondaryRisk', { responseId, secondaryRiskId: toRiskId(secondaryRiskId) });

describe('Risk responses', () => {
  describe('PlanRiskResponse', () => {
    it('plans a threat response and moves an assessed risk to responding', () => {
      spec
        .given(history.assessed())
        .when(plan('second-supplier', 'mitigate'))
        .then([
          { type: 'ResponsePlanned', data: { ...ids, responseId: 'second-supplier', strategy: 'mitigate', description: 'Order from a second supplier', plannedBy: meta.actor, plannedAt: now } },
          { type: 'RiskStatusChanged', data: { ...ids, from: 'assessed', to: 'responding', reason: null, changedBy: meta.actor, changedAt: now } },
        ]);
    });

    it.each([
      ['threat', ['avoid', 'mitigate', 'transfer', 'accept', 'escalate']],
      ['opportunity', ['exploit', 'enhance', 'share', 'accept']],
    ] as const)('takes every strategy meant for a %s', (kind, strategies) => {
      for (const strategy of strategies) expect(spec.given(history.assessed(kind)).when(plan('r', strategy)).events()[0]).toMatchObject({ data: { strategy } });
    });

    it('adds a response to a responding risk without another status change', () => {
      expect(spec.given(history.responding()).when(plan('insurance', 'transfer', 'Penalty clause')).events().map((e) => e.type)).toEqual(['ResponsePlanned']);
    });

    it('takes a monitored risk back to responding when another response is needed', () => {
      expect(spec.given(history.monitoring()).when(plan('insurance', 'transfer')).events()[1]).toMatchObject({ type: 'RiskStatusChanged', data: { from: 'monitoring', to: 'responding' } });
    });

    it('changes nothing when the same response is planned again', () => {
      spec.given(history.responding()).when(plan('second-supplier', 'mitigate')).thenNothingHappens();
    });

    it('rejects a strategy of the other kind, a response id planned differently, and an unassessed risk', () => {
      spec.given(history.assessed()).when(plan('r', 'exploit')).thenRejects('RESPONSE_STRATEGY_DOES_NOT_FIT', 'invalid');
      spec.given(history.assessed('opportunity')).when(plan('r', 'avoid')).thenRejects('RESPONSE_STRATEGY_DOES_NOT_FIT', 'invalid');
      spec.given(history.assessed('opportunity')).when(plan('r', 'escalate')).thenRejects('RESPONSE_STRATEGY_DOES_NOT_FIT');
      spec.given(history.responding()).when(plan('second-supplier', 'avoid')).thenRejects('RESPONSE_ALREADY_PLANNED', 'conflict');
      spec.given(history.identified()).when(plan('r', 'mitigate')).thenRejects('RISK_NOT_ASSESSED', 'conflict');
      spec.given(history.closed()).when(plan('r', 'mitigate')).thenRejects('RISK_CLOSED');
    });
  });

  describe('AddMitigationAction', () => {
    it('adds an action with owner, due date and cost to a response', () => {
      spec.given(history.responding()).when(addAction()).then([actionAdded()]);
    });

    it('changes nothing when the same action is added again', () => {
      spec.given([...history.responding(), actionAdded()]).when(addAction()).thenNothingHappens();
    });

    it('rejects an unknown response, a past due date, a negative or fractional cost, and an id taken by another action', () => {
      spec.given(history.responding()).when(addAction({ responseId: 'ghost' })).thenRejects('RESPONSE_NOT_FOUND', 'not-found');
      spec.given(history.responding()).when(addAction({ dueOn: '2026-03-02' })).thenRejects('MITIGATION_ACTION_DUE_IN_PAST', 'invalid');
      spec.given(history.responding()).when(addAction({ cost: { amountMinor: -1, currency: 'EUR' } })).thenRejects('MITIGATION_COST_INVALID');
      spec.given(history.responding()).when(addAction({ cost: { amountMinor: 1.5, currency: 'EUR' } })).thenRejects('MITIGATION_COST_INVALID');
      spec.given([...history.responding(), actionAdded()]).when(addAction({ description: 'Something else' })).thenRejects('MITIGATION_ACTION_ALREADY_ADDED', 'conflict');
    });
  });

  describe('CompleteMitigationAction', () => {
    it('completes an action', () => {
      spec
        .given([...history.responding(), actionAdded()])
        .when(complete('rfq'))
        .then([{ type: 'MitigationActionCompleted', data: { ...ids, actionId: 'rfq', note: 'Quotes in', completedBy: meta.actor, completedAt: now } }]);
    });

    it('changes nothing when the action is already complete', () => {
      const done: RiskStreamEvent = { type: 'MitigationActionCompleted', data: { ...ids, actionId: 'rfq', note: null, completedBy: meta.actor, completedAt: now } };
      spec.given([...history.responding(), actionAdded(), done]).when(complete('rfq')).thenNothingHappens();
    });

    it('rejects an unknown action, even one named like a prototype key', () => {
      spec.given(history.responding()).when(complete('constructor')).thenRejects('MITIGATION_ACTION_NOT_FOUND', 'not-found');
      spec.given([...history.responding(), actionAdded('constructor')]).when(complete('constructor')).then([
        { type: 'MitigationActionCompleted', data: { ...ids, actionId: 'constructor', note: 'Quotes in', completedBy: meta.actor, completedAt: now } },
      ]);
    });
  });

  describe('LinkSecondaryRisk', () => {
    it('links a secondary risk to the response that creates it', () => {
      spec
        .given(history.responding())
        .when(link(otherRiskId))
        .then([{ type: 'SecondaryRiskLinked', data: { ...ids, responseId: 'second-supplier', secondaryRiskId: otherRiskId, linkedBy: meta.actor, linkedAt: now } }]);
    });

    it('changes nothing when it is already linked to that response', () => {
      const linked = spec.given(history.responding()).when(link(otherRiskId)).events();
      spec.given([...history.responding(), ...linked]).when(link(otherRiskId)).thenNothingHappens();
    });

    it('rejects the risk itself, an unknown response, a risk linked to another response and an id that is not a risk id', () => {
      spec.given(history.responding()).when(link(riskId)).thenRejects('RISK_SECONDARY_IS_ITSELF', 'invalid');
      spec.given(history.responding()).when(link(otherRiskId, 'ghost')).thenRejects('RESPONSE_NOT_FOUND');
      const other = spec.given(history.responding()).when(plan('insurance', 'transfer')).events();
      const linked = spec.given(history.responding()).when(link(otherRiskId)).events();
      spec.given([...history.responding(), ...other, ...linked]).when(link(otherRiskId, 'insurance')).thenRejects('SECONDARY_RISK_ALREADY_LINKED', 'conflict');
      spec.given(history.responding()).when(link('constructor')).thenRejects('INVALID_ID', 'invalid');
    });
  });
});
