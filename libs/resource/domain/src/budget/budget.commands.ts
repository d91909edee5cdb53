import type { CommandMetadata } from '../shared/command-metadata';
import type { Money } from '../shared/money';
import type { CostCategory } from '../timesheet/timesheet.events';
import type { CategoryAmounts } from './budget.events';

export interface SetProjectBudget {
  readonly type: 'SetProjectBudget';
  readonly data: { projectId: string; categories: CategoryAmounts; contingency: Money; managementReserve: Money; thresholdPercent: number };
  readonly metadata: CommandMetadata;
}

export interface RecordExpense {
  readonly type: 'RecordExpense';
  readonly data: { projectId: string; expenseId: string; category: CostCategory; amount: Money; incurredOn: string };
  readonly metadata: CommandMetadata;
}

export interface RecordActualCost {
  readonly type: 'RecordActualCost';
  readonly data: { projectId: string; costId: string; category: CostCategory; amount: Money };
  readonly metadata: CommandMetadata;
}

export interface ReviseForecast {
  readonly type: 'ReviseForecast';
  readonly data: { projectId: string; estimateToComplete: Money };
  readonly metadata: CommandMetadata;
}

export type BudgetCommand = SetProjectBudget | RecordExpense | RecordActualCost | ReviseForecast;
