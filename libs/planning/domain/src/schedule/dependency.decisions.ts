import { findCycle } from '@pm/shared/scheduling';
import { conflict, invalid, notFound } from '@pm/shared/ddd';
import type { AdjustDependencyLag, LinkDependency, UnlinkDependency } from './schedule.commands';
import type { DependencyLagAdjusted, DependencyLinked, DependencyUnlinked } from './schedule.events';
import { scheduleMustBeOpen } from './schedule.rules';
import type { Dependency, OpenedSchedule, ScheduleState } from './schedule.state';

/** Beyond ±10,000 working days (about forty years) a lag is a unit mistake, not a plan. */
export const MAX_LAG_DAYS = 10_000;

function lagMustBeFinite(lagDays: number): void {
  if (!Number.isFinite(lagDays) || Math.abs(lagDays) > MAX_LAG_DAYS) {
    throw invalid('DEPENDENCY_LAG_INVALID', `Lag is a number of working days within ±${MAX_LAG_DAYS} (negative = lead)`, { lagDays });
  }
}

function linkedTaskMustExist(state: OpenedSchedule, taskId: string, role: 'predecessor' | 'successor'): void {
  const task = state.tasks.get(taskId);
  if (!task) throw notFound('DEPENDENCY_TASK_NOT_FOUND', `The ${role} ${taskId} is not in the WBS`, { taskId, role });
  // A link on a summary would mix implicit (parent/child) and explicit logic and hide cycles through the hierarchy.
  if (task.kind === 'summary') throw invalid('DEPENDENCY_ON_SUMMARY_TASK', `Summary ${taskId} cannot be linked; link its tasks`, { taskId, role });
}

/**
 * The network must stay acyclic, or no schedule exists; the error names the loop so the planner can break it.
 * The scheduling engine's own cycle finder decides, so the decider and CPM can never disagree about a cycle.
 */
export function dependencyMustNotCloseACycle(state: OpenedSchedule, candidate: Omit<Dependency, 'dependencyId'>): void {
  const workPackages = [...state.tasks.values()].filter((t) => t.kind !== 'summary').map((t) => t.taskId);
  const links = [...[...state.dependencies.values()], candidate].map((d) => ({ from: d.predecessorId, to: d.successorId, type: d.dependencyType, lag: d.lagDays }));
  const cycle = findCycle(workPackages, links);
  if (cycle) throw conflict('DEPENDENCY_CYCLE', `The link would close the cycle ${[...cycle, cycle[0]].join(' → ')}`, { cycle });
}

const sameLink = (d: Dependency, link: Omit<Dependency, 'dependencyId'>): boolean =>
  d.predecessorId === link.predecessorId && d.successorId === link.successorId && d.dependencyType === link.dependencyType && d.lagDays === link.lagDays;

export function linkDependency(command: LinkDependency, state: ScheduleState): DependencyLinked[] {
  scheduleMustBeOpen(state);
  const { dependencyId, predecessorId, successorId } = command.data;
  const link = { predecessorId, successorId, dependencyType: command.data.dependencyType ?? 'FS', lagDays: command.data.lagDays ?? 0 };
  const existing = state.dependencies.get(dependencyId);
  if (existing) {
    if (sameLink(existing, link)) return [];
    throw conflict('DEPENDENCY_ID_IN_USE', `Dependency ${dependencyId} links other tasks`, { dependencyId });
  }
  if (state.retiredDependencyIds.has(dependencyId)) throw conflict('DEPENDENCY_ID_RETIRED', `Dependency id ${dependencyId} was unlinked before`, { dependencyId });
  if (predecessorId === successorId) throw invalid('DEPENDENCY_SELF_LINK', `Task ${predecessorId} cannot depend on itself`, { taskId: predecessorId });
  linkedTaskMustExist(state, predecessorId, 'predecessor');
  linkedTaskMustExist(state, successorId, 'successor');
  lagMustBeFinite(link.lagDays);
  // One link per ordered pair, as in Microsoft Project: two links between the same tasks contradict each other.
  const duplicate = [...state.dependencies.values()].find((d) => d.predecessorId === predecessorId && d.successorId === successorId);
  if (duplicate) {
    throw conflict('DEPENDENCY_DUPLICATE', `${predecessorId} → ${successorId} is already linked`, { existingDependencyId: duplicate.dependencyId });
  }
  dependencyMustNotCloseACycle(state, link);
  return [{ type: 'DependencyLinked', data: { projectId: state.projectId, dependencyId, ...link } }];
}

function dependencyMustExist(state: OpenedSchedule, dependencyId: string): Dependency {
  const dependency = state.dependencies.get(dependencyId);
  if (!dependency) throw notFound('DEPENDENCY_NOT_FOUND', `Dependency ${dependencyId} does not exist`, { dependencyId });
  return dependency;
}

export function adjustDependencyLag(command: AdjustDependencyLag, state: ScheduleState): DependencyLagAdjusted[] {
  scheduleMustBeOpen(state);
  const dependency = dependencyMustExist(state, command.data.dependencyId);
  const { lagDays } = command.data;
  lagMustBeFinite(lagDays);
  if (dependency.lagDays === lagDays) return [];
  return [{ type: 'DependencyLagAdjusted', data: { projectId: state.projectId, dependencyId: dependency.dependencyId, lagDays } }];
}

export function unlinkDependency(command: UnlinkDependency, state: ScheduleState): DependencyUnlinked[] {
  scheduleMustBeOpen(state);
  if (state.retiredDependencyIds.has(command.data.dependencyId)) return [];
  const { dependencyId, predecessorId, successorId } = dependencyMustExist(state, command.data.dependencyId);
  return [{ type: 'DependencyUnlinked', data: { projectId: state.projectId, dependencyId, predecessorId, successorId } }];
}
