import type { Money } from '../shared/money';
import type { ProjectBudgetSet } from './budget.events';

export type BudgetDefinition = Omit<ProjectBudgetSet['data'], 'setBy' | 'setAt'>;

/** Actual costs may arrive before anyone sets a budget (time booked on day one), so they are kept either way. */
export interface BudgetState {
  readonly budget: BudgetDefinition | null;
  /** Null until the first cost fixes the currency. */
  readonly actualToDate: Money | null;
  readonly estimateToComplete: Money | null;
  /** Cost ids already counted: a redelivered cost event is not counted twice. */
  readonly counted: readonly string[];
  readonly thresholdExceeded: boolean;
}

export const initialBudgetState = (): BudgetState => ({ budget: null, actualToDate: null, estimateToComplete: null, counted: [], thresholdExceeded: false });
