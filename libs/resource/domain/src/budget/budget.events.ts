import type { ContractEvent } from '@pm/contracts';
import type { Money } from '../shared/money';
import type { CostCategory, CostIncurred } from '../timesheet/timesheet.events';

export type CategoryAmounts = Readonly<Record<CostCategory, Money>>;

export type ProjectBudgetSet = ContractEvent<'resource', 'ProjectBudgetSet'>;

/** Labour cost of an approved timesheet, counted against this budget once per costId. */
export type ActualCostRecorded = ContractEvent<'resource', 'ActualCostRecorded'>;

export type ForecastRevised = ContractEvent<'resource', 'ForecastRevised'>;

export type BudgetThresholdExceeded = ContractEvent<'resource', 'BudgetThresholdExceeded'>;

export type BudgetForecastBackWithinThreshold = ContractEvent<'resource', 'BudgetForecastBackWithinThreshold'>;

export type BudgetEvent = ProjectBudgetSet | CostIncurred | ActualCostRecorded | ForecastRevised | BudgetThresholdExceeded | BudgetForecastBackWithinThreshold;
