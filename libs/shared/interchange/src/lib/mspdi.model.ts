/**
 * The neutral model of an MSPDI file, what the parser returns and the writer accepts. Units are
 * converted at the boundary: callers never see tenths of minutes, hundredths of currency, 0-based months.
 */

/** `YYYY-MM-DD`. */
export type IsoDate = string;
/** `YYYY-MM-DDTHH:mm:ss` in project-local time: MSPDI dates carry no zone, plans are not instants. */
export type IsoDateTime = string;
/** `HH:mm:ss`; a working time ending at `00:00:00` ends at midnight. */
export type IsoTime = string;

/** 0 = Sunday … 6 = Saturday, as the scheduling engine counts them. */
export type DayOfWeek = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export type TimeUnit = 'minutes' | 'hours' | 'days' | 'weeks' | 'months';

export interface MspdiDuration {
  /**
   * Working days at the project's minutes per day; when `elapsed`, 24-hour calendar days
   * (Microsoft Project stores elapsed durations as wall-clock time).
   */
  readonly days: number;
  /** The unit Microsoft Project displays; `null` when the file says "no explicit unit". */
  readonly unit: TimeUnit | null;
  readonly elapsed: boolean;
  readonly estimated: boolean;
}

/** A lag as a share of the predecessor's duration (LagFormat 19/20). */
export interface MspdiPercentLag {
  readonly unit: 'percent';
  readonly percent: number;
  readonly elapsed: boolean;
  readonly estimated: boolean;
}

export type MspdiLag = MspdiDuration | MspdiPercentLag;

export type LinkType = 'FF' | 'FS' | 'SF' | 'SS';

export interface MspdiLink {
  readonly predecessorUid: number;
  readonly type: LinkType;
  readonly lag: MspdiLag;
}

export type ConstraintType = 'ASAP' | 'ALAP' | 'MSO' | 'MFO' | 'SNET' | 'SNLT' | 'FNET' | 'FNLT';

export interface MspdiConstraint {
  readonly type: ConstraintType;
  /** Absent for ASAP/ALAP. */
  readonly date: IsoDateTime | null;
}

export interface MspdiTaskBaseline {
  /** 0 = "Baseline", 1…10 = "Baseline1"…"Baseline10". */
  readonly number: number;
  readonly start: IsoDateTime | null;
  readonly finish: IsoDateTime | null;
  readonly duration: MspdiDuration | null;
  /** Hours. */
  readonly work: number | null;
  /** Currency units. */
  readonly cost: number | null;
}

/** The dates and slack Microsoft Project computed when it saved the file (read-only facts). */
export interface MspdiScheduleSnapshot {
  readonly earlyStart: IsoDateTime | null;
  readonly earlyFinish: IsoDateTime | null;
  readonly lateStart: IsoDateTime | null;
  readonly lateFinish: IsoDateTime | null;
  /** Working days (TotalSlack is stored in tenths of a minute). */
  readonly totalSlackDays: number | null;
  readonly freeSlackDays: number | null;
  readonly critical: boolean | null;
}

export type MspdiCustomFieldValue =
  | { readonly fieldId: string; readonly kind: 'text'; readonly value: string }
  | { readonly fieldId: string; readonly kind: 'duration'; readonly duration: MspdiDuration };

export interface MspdiCustomFieldDefinition {
  readonly fieldId: string;
  readonly name: string;
  readonly alias: string | null;
}

export interface MspdiTask {
  readonly uid: number;
  readonly id: number | null;
  readonly name: string;
  /** 0 is the project summary task Microsoft Project writes as UID 0. */
  readonly outlineLevel: number;
  readonly outlineNumber: string | null;
  readonly wbs: string | null;
  readonly summary: boolean;
  readonly milestone: boolean;
  /** Manually scheduled (Project 2010+): Microsoft Project keeps the dates the user typed. */
  readonly manual: boolean;
  readonly duration: MspdiDuration;
  readonly start: IsoDateTime | null;
  readonly finish: IsoDateTime | null;
  readonly constraint: MspdiConstraint;
  readonly deadline: IsoDateTime | null;
  readonly percentComplete: number;
  readonly actualStart: IsoDateTime | null;
  readonly actualFinish: IsoDateTime | null;
  /** Currency units. */
  readonly cost: number | null;
  /** Hours. */
  readonly work: number | null;
  /** `null` when the task follows the project calendar. */
  readonly calendarUid: number | null;
  readonly notes: string;
  readonly predecessors: readonly MspdiLink[];
  readonly baselines: readonly MspdiTaskBaseline[];
  readonly customFields: readonly MspdiCustomFieldValue[];
  readonly schedule: MspdiScheduleSnapshot | null;
}

export interface MspdiWorkingTime {
  readonly from: IsoTime;
  readonly to: IsoTime;
}

export interface MspdiWeekDay {
  readonly dayOfWeek: DayOfWeek;
  readonly working: boolean;
  /** Empty on a working day of a base calendar means Microsoft Project's default 08-12, 13-17. */
  readonly workingTimes: readonly MspdiWorkingTime[];
}

export type MonthPosition = 'first' | 'second' | 'third' | 'fourth' | 'last';
/** What a "by position" recurrence counts: any day, weekdays, weekend days or one named weekday. */
export type MonthItem = 'day' | 'weekday' | 'weekend-day' | DayOfWeek;

export type MspdiRecurrencePattern =
  | { readonly type: 'daily'; readonly every: number }
  | { readonly type: 'weekly'; readonly every: number; readonly daysOfWeek: readonly DayOfWeek[] }
  | { readonly type: 'monthly-by-day'; readonly every: number; readonly dayOfMonth: number }
  | { readonly type: 'monthly-by-position'; readonly every: number; readonly position: MonthPosition; readonly item: MonthItem }
  /** `month` is 1-based here (MSPDI stores 0 = January). */
  | { readonly type: 'yearly-by-day'; readonly month: number; readonly dayOfMonth: number }
  | { readonly type: 'yearly-by-position'; readonly month: number; readonly position: MonthPosition; readonly item: MonthItem };

export interface MspdiRecurrence {
  readonly pattern: MspdiRecurrencePattern;
  /** The user ended the series after a count rather than on a date. */
  readonly enteredByOccurrences: boolean;
  readonly occurrences: number | null;
}

export interface MspdiCalendarException {
  readonly name: string;
  /** First and last day of the range (or of the recurrence series). */
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly working: boolean;
  readonly workingTimes: readonly MspdiWorkingTime[];
  /** `null`: every day from `from` to `to`. */
  readonly recurrence: MspdiRecurrence | null;
}

export interface MspdiCalendar {
  readonly uid: number;
  readonly name: string;
  readonly isBaseCalendar: boolean;
  /** The calendar this one derives from (resource calendars derive from a base calendar). */
  readonly baseCalendarUid: number | null;
  /** Only the days this calendar defines; the others come from the base calendar. */
  readonly weekDays: readonly MspdiWeekDay[];
  readonly exceptions: readonly MspdiCalendarException[];
  /** Derived from the resolved week (see `deriveHoursPerDay`), never read from the file. */
  readonly hoursPerDay: number;
}

export type ResourceType = 'work' | 'material' | 'cost';
export type RateUnit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year' | 'material';

export interface MspdiRate {
  /** MSPDI stores every rate per hour; `unit` is only how Microsoft Project displays it. */
  readonly perHour: number;
  readonly unit: RateUnit;
}

export type CostRateTableName = 'A' | 'B' | 'C' | 'D' | 'E';

export interface MspdiCostRate {
  readonly table: CostRateTableName;
  readonly from: IsoDateTime;
  readonly to: IsoDateTime;
  readonly standardRate: MspdiRate | null;
  readonly overtimeRate: MspdiRate | null;
  /** Currency units. */
  readonly costPerUse: number | null;
}

export interface MspdiAvailabilityPeriod {
  readonly from: IsoDateTime | null;
  readonly to: IsoDateTime | null;
  /** 1 = 100 %. */
  readonly units: number;
}

export interface MspdiResourceBaseline {
  readonly number: number;
  readonly work: number | null;
  readonly cost: number | null;
}

export type AccrueAt = 'start' | 'end' | 'prorated';

export interface MspdiResource {
  readonly uid: number;
  readonly id: number | null;
  readonly name: string;
  readonly type: ResourceType;
  readonly initials: string;
  readonly code: string;
  readonly group: string;
  readonly emailAddress: string;
  readonly materialLabel: string;
  /** 1 = 100 %; `null` for material and cost resources. */
  readonly maxUnits: number | null;
  readonly standardRate: MspdiRate | null;
  readonly overtimeRate: MspdiRate | null;
  readonly costPerUse: number | null;
  readonly accrueAt: AccrueAt | null;
  readonly calendarUid: number | null;
  readonly availableFrom: IsoDateTime | null;
  readonly availableTo: IsoDateTime | null;
  readonly availability: readonly MspdiAvailabilityPeriod[];
  readonly costRates: readonly MspdiCostRate[];
  readonly isGeneric: boolean;
  readonly isInactive: boolean;
  readonly notes: string;
  readonly baselines: readonly MspdiResourceBaseline[];
  readonly customFields: readonly MspdiCustomFieldValue[];
}

export type WorkContour =
  | 'flat' | 'back-loaded' | 'front-loaded' | 'double-peak' | 'early-peak' | 'late-peak' | 'bell' | 'turtle' | 'contoured';

export interface MspdiAssignmentBaseline {
  readonly number: number;
  readonly start: IsoDateTime | null;
  readonly finish: IsoDateTime | null;
  readonly work: number | null;
  readonly cost: number | null;
}

export interface MspdiAssignment {
  readonly uid: number;
  readonly taskUid: number;
  /** `null` for Microsoft Project's "unassigned" placeholder (ResourceUID -65535). */
  readonly resourceUid: number | null;
  /** 1 = 100 %. */
  readonly units: number;
  readonly work: number | null;
  readonly actualWork: number | null;
  readonly remainingWork: number | null;
  readonly start: IsoDateTime | null;
  readonly finish: IsoDateTime | null;
  readonly actualStart: IsoDateTime | null;
  readonly actualFinish: IsoDateTime | null;
  readonly percentWorkComplete: number;
  readonly cost: number | null;
  readonly costRateTable: CostRateTableName;
  readonly workContour: WorkContour;
  readonly baselines: readonly MspdiAssignmentBaseline[];
  readonly customFields: readonly MspdiCustomFieldValue[];
}

export interface MspdiProjectProperties {
  readonly name: string;
  readonly title: string;
  readonly scheduleFromStart: boolean;
  readonly startDate: IsoDateTime;
  readonly finishDate: IsoDateTime | null;
  readonly statusDate: IsoDateTime | null;
  readonly currencyCode: string;
  readonly currencySymbol: string;
  readonly defaultCalendarUid: number | null;
  readonly defaultStartTime: IsoTime;
  readonly defaultFinishTime: IsoTime;
  readonly minutesPerDay: number;
  readonly minutesPerWeek: number;
  readonly daysPerMonth: number;
}

export interface MspdiProject {
  readonly properties: MspdiProjectProperties;
  readonly customFields: readonly MspdiCustomFieldDefinition[];
  readonly calendars: readonly MspdiCalendar[];
  readonly tasks: readonly MspdiTask[];
  readonly resources: readonly MspdiResource[];
  readonly assignments: readonly MspdiAssignment[];
}
