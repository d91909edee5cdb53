import fc from 'fast-check';
import type { DomainError } from '@pm/shared/ddd';
import { meta } from './register.spec-fixtures';
import { RISK_RATINGS, SCALE, cellsFromThresholds, ratingOf, ratingRank } from './risk-matrix';
import type { RiskRating } from './risk-register.events';
import { riskSettingsDecider } from './risk-settings.decider';
import type { DefineRiskMatrix, RiskSettings } from './risk-settings.decider';

/** The matrix a tenant ends up with after the command, or null when the decider refuses it. */
function defined(data: DefineRiskMatrix['data']): RiskSettings | null {
  const state = riskSettingsDecider.initialState();
  try {
    for (const event of riskSettingsDecider.decide({ type: 'DefineRiskMatrix', data, metadata: meta }, state)) riskSettingsDecider.evolve(state, event);
  } catch (error) {
    expect((error as DomainError).code).toMatch(/^RISK_MATRIX_/);
    return null;
  }
  return state;
}

function expectMonotone(settings: RiskSettings): void {
  for (const p of SCALE) {
    for (const i of SCALE) {
      const here = ratingRank(ratingOf(settings.matrix, p, i));
      if (p < 5) expect(ratingRank(ratingOf(settings.matrix, p + 1, i))).toBeGreaterThanOrEqual(here);
      if (i < 5) expect(ratingRank(ratingOf(settings.matrix, p, i + 1))).toBeGreaterThanOrEqual(here);
    }
  }
}

const rating = fc.constantFrom<RiskRating>(...RISK_RATINGS);
const grid = fc.array(fc.array(rating, { minLength: 5, maxLength: 5 }), { minLength: 5, maxLength: 5 });
/** Monotone grids are rare among random ones: build them as running maxima of random cells so both sides get tested. */
const monotoneGrid = grid.map((cells) => {
  const out = cells.map((row) => [...row]);
  for (let p = 0; p < 5; p++) {
    for (let i = 0; i < 5; i++) {
      const up = p > 0 ? ratingRank(out[p - 1][i]) : 0;
      const left = i > 0 ? ratingRank(out[p][i - 1]) : 0;
      out[p][i] = RISK_RATINGS[Math.max(ratingRank(out[p][i]), up, left)];
    }
  }
  return out;
});
const thresholds = fc
  .uniqueArray(fc.integer({ min: 1, max: 25 }), { minLength: 3, maxLength: 3 })
  .map((scores) => [...scores].sort((a, b) => a - b))
  .map(([medium, high, critical]) => ({ medium, high, critical }));

describe('Risk matrix (property)', () => {
  it('rates monotonically in probability and impact for any matrix the tenant may define from thresholds', () => {
    fc.assert(
      fc.property(thresholds, (t) => {
        const settings = defined({ thresholds: t });
        expect(settings).not.toBeNull();
        expectMonotone(settings as RiskSettings);
      }),
    );
  });

  it('rates monotonically for any grid the decider accepts, and accepts every monotone grid', () => {
    fc.assert(
      fc.property(fc.oneof(grid, monotoneGrid), (cells) => {
        const settings = defined({ cells });
        if (settings !== null) expectMonotone(settings);
      }),
    );
    fc.assert(fc.property(monotoneGrid, (cells) => expect(defined({ cells })).not.toBeNull()));
  });

  it('agrees with the score thresholds it was derived from', () => {
    fc.assert(
      fc.property(thresholds, fc.constantFrom(...SCALE), fc.constantFrom(...SCALE), (t, p, i) => {
        const score = p * i;
        const expected: RiskRating = score >= t.critical ? 'critical' : score >= t.high ? 'high' : score >= t.medium ? 'medium' : 'low';
        expect(cellsFromThresholds(t)[p - 1][i - 1]).toBe(expected);
      }),
    );
  });
});
