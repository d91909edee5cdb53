import { invalid, sameValue } from '@pm/shared/ddd';
import type { AssessRisk, DimensionLevels } from './risk.commands';
import { higherRating, levelMustBeOnScale, ratingOf } from './risk-matrix';
import type { RiskMatrix } from './risk-matrix';
import type { Assessment, DimensionAssessment, RiskAssessed, RiskDimension, RiskKind, RiskRating, RiskStatusChanged } from './risk-register.events';
import { idsOf, statusChange } from './risk-lifecycle.decisions';
import { costImpactMustBeValid, expectedCostOf } from './risk-money';
import { riskMustBeOpen, riskMustExist } from './risk.rules';
import type { RiskState } from './risk.state';

export const RISK_DIMENSIONS: readonly RiskDimension[] = ['schedule', 'cost', 'scope', 'quality'];

/** Scores each dimension on the matrix: score = probability × impact, rating = the matrix's cell. */
export function assess(levels: DimensionLevels, matrix: RiskMatrix, basis: 'inherent' | 'residual'): Assessment {
  const dimensions: Record<RiskDimension, DimensionAssessment | null> = { schedule: null, cost: null, scope: null, quality: null };
  let score = 0;
  let rating: RiskRating = 'low';
  // Only the four known names are read: a client key such as `constructor` in the levels is never looked at.
  for (const dimension of RISK_DIMENSIONS) {
    const given = typeof levels === 'object' && levels !== null && Object.hasOwn(levels, dimension) ? levels[dimension] : undefined;
    if (given === undefined || given === null) continue;
    const probability = levelMustBeOnScale(`${basis}.${dimension}.probability`, given.probability);
    const impact = levelMustBeOnScale(`${basis}.${dimension}.impact`, given.impact);
    const assessed = { probability, impact, score: probability * impact, rating: ratingOf(matrix, probability, impact) };
    dimensions[dimension] = assessed;
    score = Math.max(score, assessed.score);
    rating = higherRating(rating, assessed.rating);
  }
  if (score === 0) throw invalid('RISK_ASSESSMENT_EMPTY', `The ${basis} assessment must rate at least one dimension`, { basis });
  return { dimensions, score, rating };
}

/**
 * Residual risk is what remains once the responses work: less than the inherent risk for a threat, more of the
 * upside for an opportunity. Anything else means the response makes matters worse, which is a new risk to record.
 */
export function residualMustImproveOnInherent(kind: RiskKind, inherent: Assessment, residual: Assessment): void {
  if (kind === 'threat' && residual.score > inherent.score) {
    throw invalid('RISK_RESIDUAL_ABOVE_INHERENT', 'The residual score of a threat cannot exceed its inherent score', { inherent: inherent.score, residual: residual.score });
  }
  if (kind === 'opportunity' && residual.score < inherent.score) {
    throw invalid('RISK_RESIDUAL_BELOW_INHERENT', 'The residual score of an opportunity cannot be below its inherent score', { inherent: inherent.score, residual: residual.score });
  }
}

/**
 * The first assessment moves an identified risk to `assessed`; an unchanged one (levels and cost impact) on the same
 * matrix changes nothing. An optional cost impact in money gives the expected monetary value (`risk-money.ts`).
 */
export function assessRisk(command: AssessRisk, state: RiskState): [RiskAssessed] | [RiskAssessed, RiskStatusChanged] | [] {
  riskMustExist(state);
  riskMustBeOpen(state);
  const { matrix } = command.settings;
  const inherent = assess(command.data.inherent, matrix, 'inherent');
  const residualLevels = command.data.residual;
  const residual = residualLevels === null || residualLevels === undefined ? null : assess(residualLevels, matrix, 'residual');
  if (residual !== null) residualMustImproveOnInherent(state.risk.kind, inherent, residual);
  const costImpact = costImpactMustBeValid(command.data.costImpact);
  const expectedCost = expectedCostOf(costImpact, residual ?? inherent);
  const assessment = { inherent, residual, rating: (residual ?? inherent).rating, matrixRevision: matrix.revision, costImpact, expectedCost };
  if (state.risk.assessment !== null && sameValue(state.risk.assessment, assessment)) return [];
  const { actor, now } = command.metadata;
  const assessed: RiskAssessed = { type: 'RiskAssessed', data: { ...idsOf(state), ...assessment, assessedBy: actor, assessedAt: now } };
  return state.status === 'identified' ? [assessed, statusChange(state, 'assessed', null, command.metadata)] : [assessed];
}
