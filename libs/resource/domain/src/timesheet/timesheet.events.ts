import type { ContractEvent } from '@pm/contracts';
import type { Money } from '../shared/money';

export interface TimesheetLine {
  readonly date: string;
  readonly projectId: string;
  readonly taskId: string | null;
  readonly minutes: number;
  /** Minutes beyond the normal day, paid at the overtime rate. */
  readonly overtimeMinutes: number;
}

export interface PricedLine extends TimesheetLine {
  /** The rate table row in force on `date`, frozen here: later rate changes never reprice approved work. */
  readonly rateEffectiveFrom: string;
  readonly cost: Money;
}

export type TimesheetSubmitted = ContractEvent<'resource', 'TimesheetSubmitted'>;

export type TimesheetApproved = ContractEvent<'resource', 'TimesheetApproved'>;

export type TimesheetRejected = ContractEvent<'resource', 'TimesheetRejected'>;

export type CostCategory = 'labour' | 'equipment' | 'materials' | 'other';

/** Actual cost for planning's earned value (AC): one per project per approved timesheet or expense. */
export type CostIncurred = ContractEvent<'resource', 'CostIncurred'>;

export type TimesheetEvent = TimesheetSubmitted | TimesheetApproved | TimesheetRejected | CostIncurred;
