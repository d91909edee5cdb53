import type { IsoDate } from '@pm/shared/scheduling';
import type { OpenedSchedule } from '../schedule/schedule.state';

/** A cost the resource service reported (timesheets, expenses), in the project's currency. */
export interface ReportedActualCost {
  /** The task it was booked to; null for a cost of the project as a whole. */
  readonly taskId: string | null;
  readonly date: IsoDate;
  /** Exact amount in the currency's minor units (cents), as the resource service reports it. */
  readonly amountMinor: number;
  /** Minor units per currency unit (100 for EUR, 1 for JPY, 1000 for KWD). */
  readonly minorPerUnit: number;
}

export interface ActualCostsAt {
  /** AC to date of each work package the resource service reported cost for (at any date). */
  readonly byTask: ReadonlyMap<string, number>;
  /** AC to date that belongs to no work package of the plan. */
  readonly projectLevel: number;
}

/**
 * Where actual cost comes from (ADR 0106). The issue: "from the resource service's events once it exists,
 * and until then from actual costs recorded on the task". Per work package: once the resource service has
 * reported any cost for it, AC is the sum of those reported up to the status date and the figure recorded on
 * the task is ignored (it would count the same money twice); a task it never reported keeps the recorded
 * figure. Costs without a task, or booked to a task that is not a work package of the plan (a summary, a
 * removed or unknown id), are the project's: they count in the project's AC only.
 */
export function actualCostsAt(state: OpenedSchedule, reported: readonly ReportedActualCost[], statusDate: IsoDate): ActualCostsAt {
  // Sum exact integers (minor units) and divide once: adding 0.1 + 0.2 in currency units would give CPIs like
  // 0.9999999999999998 and cost variances of -5.55e-17 where there is no overrun.
  const minorByTask = new Map<string, number>();
  let projectMinor = 0;
  let perUnit = 1;
  for (const cost of reported) {
    perUnit = cost.minorPerUnit;
    const task = cost.taskId === null ? undefined : state.tasks.get(cost.taskId);
    const counts = cost.date <= statusDate ? cost.amountMinor : 0;
    if (task && task.kind !== 'summary') minorByTask.set(task.taskId, (minorByTask.get(task.taskId) ?? 0) + counts);
    else projectMinor += counts;
  }
  const byTask = new Map<string, number>();
  for (const [taskId, minor] of minorByTask) byTask.set(taskId, minor / perUnit);
  return { byTask, projectLevel: projectMinor / perUnit };
}
