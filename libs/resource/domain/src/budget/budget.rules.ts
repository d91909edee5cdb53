import { invalid } from '@pm/shared/ddd';
import { addMoney, multiplyMoney, sumMoney, zero } from '../shared/money';
import type { Money } from '../shared/money';
import type { BudgetDefinition, BudgetState } from './budget.state';

export const COST_CATEGORIES = ['labour', 'equipment', 'materials', 'other'] as const;

/** The cost baseline: the categories plus contingency. Management reserve sits outside it (PMBOK 7.3). */
export const costBaseline = (b: BudgetDefinition): Money => addMoney(sumMoney(COST_CATEGORIES.map((c) => b.categories[c]), b.currency), b.contingency);

/** EAC = AC + ETC, the "bottom-up ETC" form of the estimate at completion. */
export function forecastAtCompletion(state: BudgetState, currency: string): Money {
  return addMoney(state.actualToDate ?? zero(currency), state.estimateToComplete ?? zero(currency));
}

/** True when the forecast is strictly above threshold % of the baseline; compared in exact minor units. */
export function passesThreshold(forecast: Money, budget: BudgetDefinition): boolean {
  return forecast.amountMinor * 100 > multiplyMoney(costBaseline(budget), budget.thresholdPercent).amountMinor;
}

export function amountsMustBeNonNegative(amounts: readonly Money[]): void {
  if (amounts.some((m) => m.amountMinor < 0)) throw invalid('NEGATIVE_AMOUNT', 'budget amounts must not be negative');
}

export function thresholdMustBeSensible(percent: number): void {
  if (!Number.isInteger(percent) || percent < 1 || percent > 1000) throw invalid('THRESHOLD_OUT_OF_RANGE', 'thresholdPercent must be a whole number 1..1000');
}
