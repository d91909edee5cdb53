import type { TimesheetLine } from './timesheet.events';

export interface TimesheetRecord {
  readonly timesheetId: string;
  readonly resourceId: string;
  readonly weekStart: string;
  readonly lines: readonly TimesheetLine[];
  readonly submittedBy: string;
}

export type TimesheetState =
  | { readonly status: 'none' }
  | { readonly status: 'submitted' | 'approved' | 'rejected'; readonly timesheet: TimesheetRecord };

export const initialTimesheetState = (): TimesheetState => ({ status: 'none' });
