import type { ReportedActualCost } from '@pm/planning/domain';
import type { ActualCostRow } from './actual-cost.store';

export interface UnconvertedActualCost {
  readonly currency: string;
  readonly amountMinor: number;
}

export interface ReportedCostsInProjectCurrency {
  readonly reported: ReportedActualCost[];
  /** Costs up to the status date in another currency than the project's: shown, never added (no exchange rates here). */
  readonly unconverted: UnconvertedActualCost[];
}

/** ISO 4217 minor-unit digits (EUR 2, JPY 0, KWD 3), from the runtime's currency data. */
export const minorUnitDigits = (currency: string): number => new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

/** Planning's amounts are in the project's currency units; the resource service reports exact minor units. */
export function reportedCostsInProjectCurrency(rows: readonly ActualCostRow[], projectCurrency: string, statusDate: string): ReportedCostsInProjectCurrency {
  const scale = 10 ** minorUnitDigits(projectCurrency);
  const reported: ReportedActualCost[] = [];
  const unconverted = new Map<string, number>();
  for (const row of rows) {
    if (row.currency === projectCurrency) reported.push({ taskId: row.taskId, date: row.incurredOn, amountMinor: row.amountMinor, minorPerUnit: scale });
    else if (row.incurredOn <= statusDate) unconverted.set(row.currency, (unconverted.get(row.currency) ?? 0) + row.amountMinor);
  }
  return { reported, unconverted: [...unconverted].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amountMinor]) => ({ currency, amountMinor })) };
}
