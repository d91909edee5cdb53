import { deciderSpecification } from '@pm/shared/ddd/testing';
import { assessCommand, history, ids, meta, now, settings, settingsWith } from './register.spec-fixtures';
import { PROBABILITY_BAND_MIDPOINT_PERCENT } from './risk-money';
import { riskDecider } from './risk.decider';
import type { RiskRating } from './risk-register.events';

const spec = deciderSpecification(riskDecider);
const cell = (probability: number, impact: number, rating: RiskRating) => ({ probability, impact, score: probability * impact, rating });
const none = { schedule: null, cost: null, scope: null, quality: null };

describe('Risk', () => {
  describe('AssessRisk', () => {
    it('scores each dimension on the tenant matrix, takes the worst, and moves an identified risk to assessed', () => {
      spec
        .given(history.identified())
        .when(assessCommand({ schedule: { probability: 4, impact: 4 }, cost: { probability: 4, impact: 2 } }))
        .then([
          {
            type: 'RiskAssessed',
            data: {
              ...ids,
              inherent: { dimensions: { ...none, schedule: cell(4, 4, 'high'), cost: cell(4, 2, 'medium') }, score: 16, rating: 'high' },
              residual: null,
              rating: 'high',
              matrixRevision: 0,
              costImpact: null,
              expectedCost: null,
              assessedBy: meta.actor,
              assessedAt: now,
            },
          },
          { type: 'RiskStatusChanged', data: { ...ids, from: 'identified', to: 'assessed', reason: null, changedBy: meta.actor, changedAt: now } },
        ]);
    });

    it('rates with the residual assessment once there is one, without moving a responding risk', () => {
      const events = spec
        .given(history.responding())
        .when(assessCommand({ schedule: { probability: 4, impact: 4 } }, { schedule: { probability: 2, impact: 4 } }))
        .events();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'RiskAssessed', data: { inherent: { rating: 'high' }, residual: { score: 8, rating: 'medium' }, rating: 'medium' } });
    });

    it('uses the tenant’s current matrix and names its revision', () => {
      const tenant = settingsWith({ thresholds: { medium: 2, high: 3, critical: 4 } });
      const [assessed] = spec.given(history.identified()).when(assessCommand({ quality: { probability: 2, impact: 2 } }, null, tenant)).events();
      expect(assessed).toMatchObject({ data: { inherent: { dimensions: { quality: cell(2, 2, 'critical') } }, matrixRevision: 1 } });
    });

    it('changes nothing when the same assessment is given on the same matrix, but re-rates on a new one', () => {
      const levels = { schedule: { probability: 4, impact: 4 } };
      spec.given(history.assessed()).when(assessCommand(levels)).thenNothingHappens();
      const tenant = settingsWith({ thresholds: { medium: 2, high: 3, critical: 4 } });
      expect(spec.given(history.assessed()).when(assessCommand(levels, null, tenant)).events()).toMatchObject([{ data: { rating: 'critical', matrixRevision: 1 } }]);
    });

    it('rejects a level off the 1–5 scale and an assessment of no dimension', () => {
      const error = spec.given(history.identified()).when(assessCommand({ cost: { probability: 6, impact: 1 } })).thenRejectsWith('RISK_LEVEL_OFF_SCALE', 'invalid');
      expect(error.details).toEqual({ field: 'inherent.cost.probability', value: 6 });
      spec.given(history.identified()).when(assessCommand({ cost: { probability: 2.5, impact: 1 } })).thenRejects('RISK_LEVEL_OFF_SCALE');
      spec.given(history.identified()).when(assessCommand({})).thenRejects('RISK_ASSESSMENT_EMPTY', 'invalid');
      spec.given(history.identified()).when(assessCommand(null as never)).thenRejects('RISK_ASSESSMENT_EMPTY', 'invalid');
    });

    it('never reads a dimension it does not know, whatever the client sends', () => {
      const levels = JSON.parse('{"constructor":{"probability":5,"impact":5},"__proto__":{"probability":5,"impact":5}}');
      spec.given(history.identified()).when(assessCommand(levels)).thenRejects('RISK_ASSESSMENT_EMPTY');
    });

    it('rejects a threat whose residual score exceeds its inherent one, and an opportunity the other way round', () => {
      spec
        .given(history.identified())
        .when(assessCommand({ schedule: { probability: 2, impact: 2 } }, { schedule: { probability: 3, impact: 2 } }))
        .thenRejects('RISK_RESIDUAL_ABOVE_INHERENT', 'invalid');
      spec
        .given(history.identified('opportunity'))
        .when(assessCommand({ schedule: { probability: 3, impact: 2 } }, { schedule: { probability: 2, impact: 2 } }))
        .thenRejects('RISK_RESIDUAL_BELOW_INHERENT', 'invalid');
    });

    it('rejects assessing a closed, an occurred or a missing risk', () => {
      const levels = { schedule: { probability: 1, impact: 1 } };
      spec.given(history.closed()).when(assessCommand(levels)).thenRejects('RISK_CLOSED', 'conflict');
      spec.given(history.occurred()).when(assessCommand(levels)).thenRejects('RISK_OCCURRED', 'conflict');
      spec.given([]).when(assessCommand(levels)).thenRejects('RISK_NOT_FOUND', 'not-found');
    });
  });

  describe('AssessRisk with a cost impact in money (EMV, ADR 0304)', () => {
    const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
    const costly = { cost: { probability: 4, impact: 3 } };

    it('records the cost impact and its expected monetary value: the probability band midpoint × the impact', () => {
      const [assessed] = spec.given(history.identified()).when(assessCommand(costly, null, settings, eur(12_000_000))).events();
      expect(assessed).toMatchObject({ data: { costImpact: eur(12_000_000), expectedCost: { probabilityPercent: 70, amountMinor: 8_400_000, currency: 'EUR' } } });
    });

    it('takes the probability of the residual assessment once there is one', () => {
      const [assessed] = spec.given(history.responding()).when(assessCommand(costly, { cost: { probability: 2, impact: 3 } }, settings, eur(12_000_000))).events();
      expect(assessed).toMatchObject({ data: { expectedCost: { probabilityPercent: 20, amountMinor: 2_400_000, currency: 'EUR' } } });
    });

    it('maps the five probability levels to documented band midpoints and rounds half up to a minor unit', () => {
      expect(PROBABILITY_BAND_MIDPOINT_PERCENT).toEqual({ 1: 5, 2: 20, 3: 50, 4: 70, 5: 90 });
      const [assessed] = spec.given(history.identified()).when(assessCommand({ cost: { probability: 1, impact: 1 } }, null, settings, eur(10))).events();
      expect(assessed).toMatchObject({ data: { expectedCost: { probabilityPercent: 5, amountMinor: 1 } } });
    });

    it('changes nothing for the same levels and cost impact, and records a new cost impact or its removal', () => {
      const given = [...history.identified(), ...spec.given(history.identified()).when(assessCommand(costly, null, settings, eur(100))).events()];
      spec.given(given).when(assessCommand(costly, null, settings, eur(100))).thenNothingHappens();
      expect(spec.given(given).when(assessCommand(costly, null, settings, { amountMinor: 100, currency: 'USD' })).events()).toMatchObject([
        { data: { costImpact: { currency: 'USD' }, expectedCost: { currency: 'USD', amountMinor: 70 } } },
      ]);
      expect(spec.given(given).when(assessCommand(costly, null, settings, null)).events()).toMatchObject([{ data: { costImpact: null, expectedCost: null } }]);
    });

    it('rejects a negative, zero, fractional or oversized amount and a currency that is not an ISO 4217 code', () => {
      const when = (money: unknown) => spec.given(history.identified()).when(assessCommand(costly, null, settings, money as never));
      when(eur(-1)).thenRejects('RISK_COST_IMPACT_NOT_POSITIVE', 'invalid');
      when(eur(0)).thenRejects('RISK_COST_IMPACT_NOT_POSITIVE', 'invalid');
      when(eur(1.5)).thenRejects('RISK_COST_IMPACT_NOT_POSITIVE', 'invalid');
      when(eur(1_000_000_000_001)).thenRejects('RISK_COST_IMPACT_TOO_LARGE', 'invalid');
      when({ amountMinor: 100, currency: 'eur' }).thenRejects('RISK_COST_IMPACT_CURRENCY_INVALID', 'invalid');
    });

    it('rejects a cost impact when the cost dimension is not assessed (its probability gives the EMV)', () => {
      spec.given(history.identified()).when(assessCommand({ schedule: { probability: 4, impact: 4 } }, null, settings, eur(100))).thenRejects('RISK_COST_IMPACT_WITHOUT_COST_DIMENSION', 'invalid');
    });
  });
});
