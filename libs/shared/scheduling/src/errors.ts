/**
 * Every failure of the scheduling library is a named error with a stable `code`, so a caller
 * (an HTTP layer answering problem+json, a decider rejecting a command) can map it without
 * parsing messages.
 */
export abstract class SchedulingError extends Error {
  abstract readonly code: string;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The links form a cycle; `cycle` lists the task ids around it, each linked to the next and the last to the first. */
export class ScheduleCycleError extends SchedulingError {
  readonly code = 'SCHEDULE_CYCLE' as const;

  constructor(readonly cycle: readonly string[]) {
    super(`The task links form a cycle: ${[...cycle, cycle[0]].join(' -> ')}`);
  }
}

/** A link names a task id that is not among the tasks. */
export class ScheduleUnknownTaskError extends SchedulingError {
  readonly code = 'SCHEDULE_UNKNOWN_TASK' as const;

  constructor(
    readonly taskId: string,
    readonly linkIndex: number,
  ) {
    super(`links[${linkIndex}] refers to unknown task "${taskId}"`);
  }
}

/** Malformed input: a bad date, a negative duration, a duplicate id, progress without a status date... `path` points at the field. */
export class ScheduleInputError extends SchedulingError {
  readonly code = 'SCHEDULE_INVALID_INPUT' as const;

  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** An invalid calendar, or a date outside what the calendar can represent (years 0001-9999). */
export class CalendarError extends SchedulingError {
  readonly code = 'CALENDAR_INVALID' as const;

  constructor(message: string) {
    super(message);
  }
}
