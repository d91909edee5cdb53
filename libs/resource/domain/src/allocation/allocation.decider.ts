import type { ContractEvent } from '@pm/contracts';
import type { CommandMetadata } from '../shared/command-metadata';
import { ignoreUnknownEvent, unknownCommand, sameValue } from '@pm/shared/ddd';
import type { OverallocatedPeriod } from './overallocation';

/**
 * What was last published about one resource's over-allocation. The service re-evaluates whenever demand or
 * capacity may have moved (an assignment, a task's new dates, leave); this decider turns the fresh findings
 * into events only when they differ from what subscribers already know, so a redelivered planning event,
 * or the same evaluation twice, publishes nothing.
 */
export interface AllocationState {
  readonly periods: readonly OverallocatedPeriod[];
}

export interface EvaluateAllocation {
  readonly type: 'EvaluateAllocation';
  readonly data: { resourceId: string; periods: readonly OverallocatedPeriod[]; window: { from: string; to: string } };
  readonly metadata: CommandMetadata;
}

export type ResourceOverallocated = ContractEvent<'resource', 'ResourceOverallocated'>;

export type OverallocationResolved = ContractEvent<'resource', 'OverallocationResolved'>;

export type AllocationCommand = EvaluateAllocation;
export type AllocationEvent = ResourceOverallocated | OverallocationResolved;

export const initialAllocationState = (): AllocationState => ({ periods: [] });

const sameFindings = (a: readonly OverallocatedPeriod[], b: readonly OverallocatedPeriod[]): boolean => sameValue(a, b);

/** Findings outside the evaluated window are kept: a query for March must not clear what is known about May. */
function merged(previous: readonly OverallocatedPeriod[], fresh: readonly OverallocatedPeriod[], window: { from: string; to: string }): OverallocatedPeriod[] {
  const outside = previous.filter((p) => p.to < window.from || p.from > window.to);
  return [...outside, ...fresh].sort((x, y) => (x.from < y.from ? -1 : x.from > y.from ? 1 : 0));
}

const overlaps = (a: OverallocatedPeriod, b: OverallocatedPeriod): boolean => a.from <= b.to && b.from <= a.to;
const samePeriod = (a: OverallocatedPeriod, b: OverallocatedPeriod): boolean => sameValue(a, b);

/**
 * A period that no current finding overlaps has cleared (OverallocationResolved); anything new or changed is
 * republished as the full current list (ResourceOverallocated), so a subscriber can always replace, not patch.
 */
export function evaluateAllocation(command: EvaluateAllocation, state: AllocationState): AllocationEvent[] {
  const { resourceId, window } = command.data;
  const next = merged(state.periods, command.data.periods, window);
  if (sameFindings(next, state.periods)) return [];
  const events: AllocationEvent[] = [];
  const cleared = state.periods.filter((p) => !next.some((n) => overlaps(p, n)));
  if (cleared.length > 0) {
    events.push({
      type: 'OverallocationResolved',
      data: { resourceId, resolvedPeriods: cleared, stillOverallocated: next.length > 0, resolvedAt: command.metadata.now },
    });
  }
  if (next.some((n) => !state.periods.some((p) => samePeriod(p, n)))) {
    const totalMinutesOver = next.reduce((sum, p) => sum + p.minutesOver, 0);
    events.push({ type: 'ResourceOverallocated', data: { resourceId, periods: next, totalMinutesOver, detectedAt: command.metadata.now } });
  }
  return events;
}

export function decideAllocation(command: AllocationCommand, state: AllocationState): AllocationEvent[] {
  switch (command.type) {
    case 'EvaluateAllocation':
      return evaluateAllocation(command, state);
    default:
      // A one-member union does not narrow to never; raw JSON may still carry another type.
      return unknownCommand(command as never);
  }
}

export function evolveAllocation(state: AllocationState, event: AllocationEvent): AllocationState {
  switch (event.type) {
    case 'ResourceOverallocated':
      return { periods: event.data.periods };
    case 'OverallocationResolved':
      return { periods: state.periods.filter((p) => !event.data.resolvedPeriods.some((r) => samePeriod(p, r))) };
    default:
      return ignoreUnknownEvent(state, event);
  }
}

export const allocationDecider = { decide: decideAllocation, evolve: evolveAllocation, initialState: initialAllocationState };
