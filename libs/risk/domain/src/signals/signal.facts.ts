import type { ContractEvent } from '@pm/contracts';
import type { MitigationActionCompleted } from '../register/risk-register.events';
import type { EarnedValueFact, FactSource, MitigationActionOverdueFact, MitigationActionSettledFact, OverallocatedCriticalTask, ResourceAllocationFact, TaskNoLongerCriticalFact } from './signal.types';

/** An event as a consumer received it: its CloudEvents id and type, and its data parsed by the contract. */
export interface ReceivedEvent<D> {
  readonly id: string;
  readonly type: string;
  readonly data: D;
}

type ResourceOverallocated = ContractEvent<'resource', 'ResourceOverallocated'>['data'];
type OverallocationResolved = ContractEvent<'resource', 'OverallocationResolved'>['data'];
type ProjectEarnedValueCalculated = ContractEvent<'planning', 'ProjectEarnedValueCalculated'>['data'];
type TaskScheduleChanged = ContractEvent<'planning', 'TaskScheduleChanged'>['data'];

/** Where the risk service finds a task id among planning's critical tasks (its copy of TaskScheduleChanged): task ids are unique per project only. */
export type CriticalTaskLookup = (taskId: string) => ReadonlyArray<{ readonly projectId: string; readonly taskId: string }>;

const sourceOf = (event: ReceivedEvent<unknown>): FactSource => ({ eventId: event.id, eventType: event.type });

export const earnedValueFact = (event: ReceivedEvent<ProjectEarnedValueCalculated>): EarnedValueFact => ({ kind: 'earned-value', source: sourceOf(event), figures: event.data });

/** Per critical task, the minutes over in all its over-allocated periods and the span they cover; tasks not critical are left out. */
export function overallocationFact(event: ReceivedEvent<ResourceOverallocated>, criticalTasks: CriticalTaskLookup): ResourceAllocationFact {
  const byTask = new Map<string, OverallocatedCriticalTask>();
  for (const period of event.data.periods) {
    for (const taskId of period.taskIds) {
      for (const task of criticalTasks(taskId)) {
        const key = JSON.stringify([task.projectId, task.taskId]);
        const seen = byTask.get(key);
        byTask.set(key, {
          projectId: task.projectId,
          taskId: task.taskId,
          minutesOver: (seen?.minutesOver ?? 0) + period.minutesOver,
          from: seen === undefined || period.from < seen.from ? period.from : seen.from,
          to: seen === undefined || period.to > seen.to ? period.to : seen.to,
        });
      }
    }
  }
  return { kind: 'resource-allocation', source: sourceOf(event), resourceId: event.data.resourceId, criticalTasks: [...byTask.values()] };
}

/** A task that moved off the critical path; null for any other schedule change (the service keeps critical flags anyway). */
export function taskCriticalityFact(event: ReceivedEvent<TaskScheduleChanged>): TaskNoLongerCriticalFact | null {
  if (event.data.critical) return null;
  return { kind: 'task-no-longer-critical', source: sourceOf(event), projectId: event.data.projectId, taskId: event.data.taskId };
}

/** Nothing over-allocated any more: every signal of the resource clears. While periods remain, the ResourceOverallocated that follows says which. */
export function overallocationResolvedFact(event: ReceivedEvent<OverallocationResolved>): ResourceAllocationFact | null {
  if (event.data.stillOverallocated) return null;
  return { kind: 'resource-allocation', source: sourceOf(event), resourceId: event.data.resourceId, criticalTasks: [] };
}

/**
 * The scheduler's MitigationActionOverdue (its contract is the risk service's, libs/contracts risk-due.contracts.ts), taken
 * as the plain fields the rule needs so that this layer does not wait for it.
 */
export interface MitigationActionOverdueInput {
  readonly eventId: string;
  readonly eventType: string;
  readonly projectId: string;
  readonly riskId: string;
  readonly actionId: string;
  readonly dueOn: string;
  /** The day on the tenant's calendar the action was found overdue. */
  readonly asOf: string;
}

export const mitigationActionOverdueFact = (input: MitigationActionOverdueInput): MitigationActionOverdueFact => ({
  kind: 'mitigation-action-overdue',
  source: { eventId: input.eventId, eventType: input.eventType },
  projectId: input.projectId,
  riskId: input.riskId,
  actionId: input.actionId,
  dueOn: input.dueOn,
  asOf: input.asOf,
});

export const mitigationActionSettledFact = (event: ReceivedEvent<MitigationActionCompleted['data']>): MitigationActionSettledFact => ({
  kind: 'mitigation-action-settled',
  source: sourceOf(event),
  projectId: event.data.projectId,
  riskId: event.data.riskId,
  actionId: event.data.actionId,
});
