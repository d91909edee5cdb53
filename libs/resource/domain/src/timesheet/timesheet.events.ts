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

export interface TimesheetSubmitted {
  readonly type: 'TimesheetSubmitted';
  readonly data: { timesheetId: string; resourceId: string; weekStart: string; lines: TimesheetLine[]; submittedBy: string; submittedAt: string };
}

export interface TimesheetApproved {
  readonly type: 'TimesheetApproved';
  readonly data: { timesheetId: string; resourceId: string; weekStart: string; lines: PricedLine[]; total: Money; approvedBy: string; approvedAt: string };
}

export interface TimesheetRejected {
  readonly type: 'TimesheetRejected';
  readonly data: { timesheetId: string; resourceId: string; reason: string; rejectedBy: string; rejectedAt: string };
}

export type CostCategory = 'labour' | 'equipment' | 'materials' | 'other';

/** Actual cost for planning's earned value (AC): one per project per approved timesheet or expense. */
export interface CostIncurred {
  readonly type: 'CostIncurred';
  readonly data: {
    costId: string;
    projectId: string;
    category: CostCategory;
    amount: Money;
    /** The work or spend happened in [from, to]. */
    from: string;
    to: string;
    source: { kind: 'timesheet' | 'expense'; id: string };
    resourceId: string | null;
    incurredAt: string;
  };
}

export type TimesheetEvent = TimesheetSubmitted | TimesheetApproved | TimesheetRejected | CostIncurred;
