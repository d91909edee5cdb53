/** The register's matrix: probability and impact levels 1–5 (ADR 0302). */
export const RISK_MATRIX_LEVELS = [1, 2, 3, 4, 5] as const;

/** Figures of one heat-map cell, from the minutes the resource service published. */
export interface UtilisationCell {
  readonly capacityHours: number;
  readonly demandHours: number;
  /** Demand over capacity, rounded to a whole percent; null when there is no capacity (a placeholder, a day off). */
  readonly utilisationPercent: number | null;
  /** Demand exceeds capacity in the cell as a whole. */
  readonly overAllocated: boolean;
}

const hours = (minutes: number): number => Math.round((minutes / 60) * 100) / 100;

/** The same arithmetic as the resource service's utilisation report (percent = demand × 100 / capacity, rounded). */
export function utilisationCell(capacityMinutes: number, demandMinutes: number): UtilisationCell {
  return {
    capacityHours: hours(capacityMinutes),
    demandHours: hours(demandMinutes),
    utilisationPercent: capacityMinutes === 0 ? null : Math.round((demandMinutes * 100) / capacityMinutes),
    overAllocated: demandMinutes > capacityMinutes,
  };
}

/** All 25 cells of the matrix, highest probability and impact first; a cell no open risk sits in counts 0 (a true count). */
export function riskMatrix(counts: ReadonlyArray<{ probability: number; impact: number; count: number }>): Array<{ probability: number; impact: number; count: number }> {
  const byCell = new Map(counts.map((c) => [`${c.probability}x${c.impact}`, c.count]));
  return [...RISK_MATRIX_LEVELS].reverse().flatMap((probability) => [...RISK_MATRIX_LEVELS].reverse().map((impact) => ({ probability, impact, count: byCell.get(`${probability}x${impact}`) ?? 0 })));
}
