import type {
  AccrueAt,
  ConstraintType,
  CostRateTableName,
  DayOfWeek,
  LinkType,
  MonthItem,
  MonthPosition,
  RateUnit,
  WorkContour,
} from '../mspdi.model';

/**
 * MSPDI integer enumerations, in the order the schema (mspdi_pj12.xsd) numbers them; the index
 * in each array is the code written in the file.
 */

/** PredecessorLink/Type: 0=FF, 1=FS, 2=SF, 3=SS (not the FS-first order most tools use). */
export const LINK_TYPES: readonly LinkType[] = ['FF', 'FS', 'SF', 'SS'];

/** ConstraintType: 0=ASAP, 1=ALAP, 2=MSO, 3=MFO, 4=SNET, 5=SNLT, 6=FNET, 7=FNLT. */
export const CONSTRAINT_TYPES: readonly ConstraintType[] = ['ASAP', 'ALAP', 'MSO', 'MFO', 'SNET', 'SNLT', 'FNET', 'FNLT'];

/** AccrueAt: 1=Start, 2=End, 3=Prorated (index 0 unused). */
export const ACCRUE_AT: readonly (AccrueAt | null)[] = [null, 'start', 'end', 'prorated'];

/** WorkContour: 0=Flat … 8=Contoured. */
export const WORK_CONTOURS: readonly WorkContour[] = [
  'flat', 'back-loaded', 'front-loaded', 'double-peak', 'early-peak', 'late-peak', 'bell', 'turtle', 'contoured',
];

/** RateTable / CostRateTable: 0=A … 4=E. */
export const COST_RATE_TABLES: readonly CostRateTableName[] = ['A', 'B', 'C', 'D', 'E'];

/** StandardRateFormat: 1=m, 2=h, 3=d, 4=w, 5=mo, 7=y, 8=material (6 unused). */
export const RATE_UNITS: readonly (RateUnit | null)[] = [null, 'minute', 'hour', 'day', 'week', 'month', null, 'year', 'material'];

/** Exception MonthPosition: 0=first … 4=last. */
export const MONTH_POSITIONS: readonly MonthPosition[] = ['first', 'second', 'third', 'fourth', 'last'];

/** Exception MonthItem: 0=day, 1=weekday, 2=weekend day, 3=Sunday … 9=Saturday. */
export const MONTH_ITEMS: readonly MonthItem[] = ['day', 'weekday', 'weekend-day', 0, 1, 2, 3, 4, 5, 6];

/** WeekDay/DayType: 1=Sunday … 7=Saturday (0 marks a legacy exception entry). */
export const dayTypeToDayOfWeek = (dayType: number): DayOfWeek => (dayType - 1) as DayOfWeek;
export const dayOfWeekToDayType = (day: DayOfWeek): number => day + 1;

/** Exception DaysOfWeek bit mask: 1=Sunday, 2=Monday … 64=Saturday. */
export function daysOfWeekFromMask(mask: number): DayOfWeek[] {
  const days: DayOfWeek[] = [];
  for (let day = 0; day < 7; day += 1) if (mask & (1 << day)) days.push(day as DayOfWeek);
  return days;
}

export const daysOfWeekToMask = (days: readonly DayOfWeek[]): number =>
  days.reduce<number>((mask, day) => mask | (1 << day), 0);

/** Index of `value` in `table`, for the writer; the tables are total over the model's unions. */
export function codeOf<T>(table: readonly T[], value: T): number {
  const code = table.indexOf(value);
  if (code < 0) throw new Error(`no MSPDI code for ${String(value)}`);
  return code;
}

export const MSPDI_NAMESPACE = 'http://schemas.microsoft.com/project';
/** ResourceUID Microsoft Project writes for an assignment without a resource. */
export const UNASSIGNED_RESOURCE_UID = -65535;
