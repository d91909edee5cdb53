import type { Caller, CommandMetadata } from '../shared/command-metadata';
import type { TimesheetId } from '../shared/ids';
import type { CostRate } from '../pool/resource.state';
import type { TimesheetLine } from './timesheet.events';

/** The person as the resource stream tells it; null when the resource does not exist or is not a person. */
export interface TimesheetOwner {
  readonly resourceId: string;
  readonly userId: string | null;
  readonly rates: readonly CostRate[];
}

export interface SubmitTimesheet {
  readonly type: 'SubmitTimesheet';
  readonly data: { timesheetId: TimesheetId; owner: TimesheetOwner | null; weekStart: string; lines: readonly TimesheetLine[]; caller: Caller };
  readonly metadata: CommandMetadata;
}

export interface ApproveTimesheet {
  readonly type: 'ApproveTimesheet';
  /** The owner is read again at approval: the rates in force are those known when the cost is recorded. */
  readonly data: { timesheetId: TimesheetId; owner: TimesheetOwner | null; caller: Caller };
  readonly metadata: CommandMetadata;
}

export interface RejectTimesheet {
  readonly type: 'RejectTimesheet';
  /** The owner (null when the person is gone or the timesheet unknown): nobody rejects their own time either. */
  readonly data: { timesheetId: TimesheetId; reason: string; owner: TimesheetOwner | null; caller: Caller };
  readonly metadata: CommandMetadata;
}

export type TimesheetCommand = SubmitTimesheet | ApproveTimesheet | RejectTimesheet;
