import { invalid } from '@pm/shared/ddd';
import type { RiskMatrixThresholds, RiskRating } from './risk-register.events';

/** The tenant's 5x5 probability-impact matrix: rows by probability 1 … 5, columns by impact 1 … 5. */
export interface RiskMatrix {
  /** 0 is the built-in matrix; a tenant's definitions count from 1. */
  readonly revision: number;
  readonly cells: ReadonlyArray<readonly RiskRating[]>;
  readonly thresholds: RiskMatrixThresholds | null;
}

export const RISK_RATINGS: readonly RiskRating[] = ['low', 'medium', 'high', 'critical'];
export const SCALE = [1, 2, 3, 4, 5] as const;

export const ratingRank = (rating: RiskRating): number => RISK_RATINGS.indexOf(rating);
export const higherRating = (a: RiskRating, b: RiskRating): RiskRating => (ratingRank(b) > ratingRank(a) ? b : a);

/** A rating from score thresholds: the score (probability × impact) at or above which each rating starts. */
export function ratingOfScore(score: number, thresholds: RiskMatrixThresholds): RiskRating {
  if (score >= thresholds.critical) return 'critical';
  if (score >= thresholds.high) return 'high';
  return score >= thresholds.medium ? 'medium' : 'low';
}

export const cellsFromThresholds = (thresholds: RiskMatrixThresholds): RiskRating[][] =>
  SCALE.map((probability) => SCALE.map((impact) => ratingOfScore(probability * impact, thresholds)));

/** Until a pmo-admin defines one: low below 5, medium from 5, high from 10, critical from 20 (a common PMO 5x5). */
export const BUILT_IN_THRESHOLDS: RiskMatrixThresholds = { medium: 5, high: 10, critical: 20 };
export const BUILT_IN_RISK_MATRIX: RiskMatrix = { revision: 0, cells: cellsFromThresholds(BUILT_IN_THRESHOLDS), thresholds: BUILT_IN_THRESHOLDS };

export const isScaleLevel = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 5;

export function levelMustBeOnScale(field: string, value: number): number {
  if (!isScaleLevel(value)) throw invalid('RISK_LEVEL_OFF_SCALE', `${field} must be a whole number from 1 to 5`, { field, value });
  return value;
}

/** The rating of a cell; levels are checked first, so the lookup never leaves the grid. */
export function ratingOf(matrix: RiskMatrix, probability: number, impact: number): RiskRating {
  levelMustBeOnScale('probability', probability);
  levelMustBeOnScale('impact', impact);
  return matrix.cells[probability - 1][impact - 1];
}

export function thresholdsMustAscend(thresholds: RiskMatrixThresholds): void {
  const { medium, high, critical } = thresholds;
  const scores = [medium, high, critical];
  if (!scores.every((s) => Number.isInteger(s) && s >= 1 && s <= 25) || !(medium < high && high < critical)) {
    throw invalid('RISK_MATRIX_THRESHOLDS_NOT_ASCENDING', 'Thresholds must be scores from 1 to 25 with medium < high < critical', { thresholds });
  }
}

export function cellsMustBeFiveByFive(cells: ReadonlyArray<readonly RiskRating[]>): void {
  const shaped = Array.isArray(cells) && cells.length === 5 && cells.every((row) => Array.isArray(row) && row.length === 5);
  if (!shaped) throw invalid('RISK_MATRIX_NOT_5X5', 'The matrix has 5 rows (probability) of 5 cells (impact)');
  if (!cells.every((row: readonly RiskRating[]) => row.every((rating: RiskRating) => RISK_RATINGS.includes(rating)))) {
    throw invalid('RISK_MATRIX_UNKNOWN_RATING', `Every cell is one of ${RISK_RATINGS.join(', ')}`);
  }
}

/**
 * A more likely or a worse outcome is never rated lower: each row and each column must not descend. A matrix that
 * broke this would rank a risk lower after its assessment got worse, and nobody could trust the register's order.
 */
export function matrixMustBeMonotone(cells: ReadonlyArray<readonly RiskRating[]>): void {
  for (let p = 0; p < 5; p++) {
    for (let i = 0; i < 5; i++) {
      const here = ratingRank(cells[p][i]);
      const descends = (p < 4 && ratingRank(cells[p + 1][i]) < here) || (i < 4 && ratingRank(cells[p][i + 1]) < here);
      if (descends) {
        throw invalid('RISK_MATRIX_NOT_MONOTONE', 'A cell is rated lower than a cell of lower probability or impact', { probability: p + 1, impact: i + 1 });
      }
    }
  }
}
