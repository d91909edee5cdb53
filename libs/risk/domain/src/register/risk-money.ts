import { invalid } from '@pm/shared/ddd';
import type { Assessment, Money } from './risk-register.events';

/**
 * Money on a risk (ADR 0304): a cost impact (what the risk costs, or an opportunity saves, if it occurs) and its
 * expected monetary value, EMV = probability × cost impact. The register rates probability on the 1–5 scale of the
 * tenant's matrix, so the EMV takes the midpoint of the band each level stands for.
 */

/** Probability band midpoints, in percent, of the levels 1 (very low) … 5 (very high): <10 %, 10–30, 30–70, 60–80, >80. */
export const PROBABILITY_BAND_MIDPOINT_PERCENT: Readonly<Record<number, number>> = { 1: 5, 2: 20, 3: 50, 4: 70, 5: 90 };

/** Mirrors the contract's MAX_RISK_COST_IMPACT_MINOR (a domain lib imports only types from the contracts). */
export const MAX_COST_IMPACT_MINOR = 1_000_000_000_000;

export interface ExpectedCost {
  readonly probabilityPercent: number;
  readonly amountMinor: number;
  readonly currency: string;
}

const CURRENCY = /^[A-Z]{3}$/;

/** A cost impact is a positive whole number of minor units in an ISO 4217 currency, small enough to sum exactly. */
export function costImpactMustBeValid(costImpact: Money | null | undefined): Money | null {
  if (costImpact === null || costImpact === undefined) return null;
  const { amountMinor, currency } = costImpact;
  if (typeof currency !== 'string' || !CURRENCY.test(currency)) {
    throw invalid('RISK_COST_IMPACT_CURRENCY_INVALID', 'The cost impact needs an ISO 4217 currency code', { currency });
  }
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
    throw invalid('RISK_COST_IMPACT_NOT_POSITIVE', 'The cost impact is a positive whole number of minor units (cents)', { amountMinor });
  }
  if (amountMinor > MAX_COST_IMPACT_MINOR) {
    throw invalid('RISK_COST_IMPACT_TOO_LARGE', `The cost impact is at most ${MAX_COST_IMPACT_MINOR} minor units`, { amountMinor });
  }
  return { amountMinor, currency };
}

/**
 * EMV of the current assessment (residual, else inherent): the cost dimension's probability band midpoint × the cost
 * impact, rounded half up to a minor unit (exact integer arithmetic: amount ≤ 10¹², percent ≤ 99). A cost impact
 * needs the cost dimension assessed, since that is where the probability comes from.
 */
export function expectedCostOf(costImpact: Money | null, current: Assessment): ExpectedCost | null {
  if (costImpact === null) return null;
  const cost = current.dimensions.cost;
  if (cost === null) {
    throw invalid('RISK_COST_IMPACT_WITHOUT_COST_DIMENSION', 'A cost impact in money needs the cost dimension assessed (its probability gives the expected value)');
  }
  const probabilityPercent = PROBABILITY_BAND_MIDPOINT_PERCENT[cost.probability] as number;
  const amountMinor = Math.floor((costImpact.amountMinor * probabilityPercent + 50) / 100);
  return { probabilityPercent, amountMinor, currency: costImpact.currency };
}
