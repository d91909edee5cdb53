import type { ProjectScheduleCalculatedV1, TaskScheduleChangedV1, TaskUnscheduledV1 } from '@pm/contracts';
import { evolveSchedule, initialScheduleState } from '@pm/planning/domain';
import type { ScheduleEvent, ScheduleState } from '@pm/planning/domain';

export type CalculationEvent =
  | { readonly type: 'TaskScheduleChanged'; readonly data: TaskScheduleChangedV1 }
  | { readonly type: 'TaskUnscheduled'; readonly data: TaskUnscheduledV1 }
  | { readonly type: 'ProjectScheduleCalculated'; readonly data: ProjectScheduleCalculatedV1 };

export type ScheduleStreamEvent = ScheduleEvent | CalculationEvent;

/**
 * The schedule stream folded twice over: the domain's schedule state, and what the last calculations
 * published. The second half is what "moved" is measured against, so it is read from the stream
 * itself rather than recomputed: a change in the engine never republishes the whole plan silently.
 */
export interface PlannedScheduleState {
  readonly schedule: ScheduleState;
  readonly published: Readonly<Record<string, TaskScheduleChangedV1>>;
  readonly lastCalculation: ProjectScheduleCalculatedV1 | null;
  /** The latest date progress was reported for (null before any progress); see `dataDateOf`. */
  readonly dataDate: string | null;
}

export const initialPlannedScheduleState = (): PlannedScheduleState => ({
  schedule: initialScheduleState(),
  published: {},
  lastCalculation: null,
  dataDate: null,
});

/**
 * The data date the schedule reforecasts from: the project's status date once one is set, else the latest
 * date progress was reported for (ADR 0105). Null before either: the plan is not yet under way.
 */
export function dataDateOf(state: PlannedScheduleState): string | null {
  const statusDate = state.schedule.status === 'open' ? (state.schedule.statusDate ?? null) : null;
  return statusDate ?? state.dataDate;
}

const later = (a: string | null, b: string): string => (a === null || b > a ? b : a);

function progressDate(event: ScheduleStreamEvent): string | null {
  switch (event.type) {
    case 'TaskStarted':
      return event.data.actualStart;
    case 'TaskFinished':
      return event.data.actualFinish;
    case 'TaskProgressRecorded':
    case 'TaskActualCostRecorded':
      return event.data.asOf;
    default:
      return null;
  }
}

export function evolvePlannedSchedule(state: PlannedScheduleState, event: ScheduleStreamEvent): PlannedScheduleState {
  switch (event.type) {
    case 'TaskScheduleChanged':
      return { ...state, published: { ...state.published, [event.data.taskId]: event.data } };
    case 'TaskUnscheduled': {
      const { [event.data.taskId]: _gone, ...published } = state.published;
      void _gone;
      return { ...state, published };
    }
    case 'ProjectScheduleCalculated':
      return { ...state, lastCalculation: event.data };
    default: {
      const date = progressDate(event);
      return { ...state, schedule: evolveSchedule(state.schedule, event), dataDate: date === null ? state.dataDate : later(state.dataDate, date) };
    }
  }
}
