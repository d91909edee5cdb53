export { createWorkingCalendar, wholeWorkingDays, WorkingCalendar } from './calendar';
export type { CalendarException, CalendarSpec } from './calendar';
export {
  MAX_DAY,
  MIN_DAY,
  addDays,
  civilFromDays,
  dayNumber,
  daysFromCivil,
  daysInMonth,
  formatIsoDate,
  fromDayNumber,
  isIsoDate,
  isoDate,
  parseIsoDate,
  tryParseIsoDate,
  weekdayOf,
  weekdayOfDay,
} from './dates';
export type { IsoDate } from './dates';
export { CalendarError, ScheduleCycleError, ScheduleInputError, ScheduleUnknownTaskError, SchedulingError } from './errors';
export { compileNetwork, compileNetworkInSteps, findCycle } from './network';
export type { ScheduleNetwork } from './network';
export { COMPLETED, createPassBuffers, IN_PROGRESS, NOT_STARTED, runPasses, runPassesInto } from './cpm.passes';
export type { PassBuffers, PassResult, TaskPlan } from './cpm.passes';
export { compileSchedule, compileScheduleInSteps } from './schedule.compile';
export type { CompiledSchedule } from './schedule.compile';
export { schedule, scheduleInSteps } from './schedule';
export { STEP_ITERATIONS, endsStretch, runSteps } from './steps';
export type { Steps } from './steps';
export type {
  ConstraintType,
  LinkType,
  ScheduledTask,
  ScheduleInput,
  ScheduleLinkInput,
  ScheduleOptions,
  ScheduleResult,
  ScheduleTaskInput,
  TaskConstraint,
  TaskProgress,
  TaskStatus,
} from './schedule.types';
export { LinkCycleGuard, admitLinks } from './link-admission';
export { nextPeriodEnd, periodCount, periodEndOf, periodEnds } from './periods';
export type { ReportingInterval } from './periods';
