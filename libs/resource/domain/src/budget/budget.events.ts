import type { Money } from '../shared/money';
import type { CostCategory, CostIncurred } from '../timesheet/timesheet.events';

export type CategoryAmounts = Readonly<Record<CostCategory, Money>>;

export interface ProjectBudgetSet {
  readonly type: 'ProjectBudgetSet';
  readonly data: {
    projectId: string;
    currency: string;
    categories: CategoryAmounts;
    /** For known risks; part of the cost baseline the project manager controls. */
    contingency: Money;
    /** For unknown unknowns; held by management, outside the cost baseline (PMBOK). */
    managementReserve: Money;
    /** Warn when the forecast at completion passes this percentage of the cost baseline. */
    thresholdPercent: number;
    setBy: string;
    setAt: string;
  };
}

/** Labour cost of an approved timesheet, counted against this budget once per costId. */
export interface ActualCostRecorded {
  readonly type: 'ActualCostRecorded';
  readonly data: { projectId: string; costId: string; category: CostCategory; amount: Money; recordedAt: string };
}

export interface ForecastRevised {
  readonly type: 'ForecastRevised';
  readonly data: { projectId: string; estimateToComplete: Money; forecastAtCompletion: Money; revisedAt: string };
}

export interface BudgetThresholdExceeded {
  readonly type: 'BudgetThresholdExceeded';
  readonly data: {
    projectId: string;
    forecastAtCompletion: Money;
    costBaseline: Money;
    thresholdPercent: number;
    actualToDate: Money;
    detectedAt: string;
  };
}

export interface BudgetForecastBackWithinThreshold {
  readonly type: 'BudgetForecastBackWithinThreshold';
  readonly data: { projectId: string; forecastAtCompletion: Money; costBaseline: Money; detectedAt: string };
}

export type BudgetEvent = ProjectBudgetSet | CostIncurred | ActualCostRecorded | ForecastRevised | BudgetThresholdExceeded | BudgetForecastBackWithinThreshold;
