import { LinkCycleGuard, findCycle } from '@pm/shared/scheduling';
import { conflict, invalid, isDomainError, notFound } from '@pm/shared/ddd';
import type { DomainError } from '@pm/shared/ddd';
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

/** Everything about a new link but the cycle rule: ids, tasks, lag, one link per ordered pair. */
function linkMustBeValid(state: OpenedSchedule, data: LinkDependency['data'], pairs: ReadonlyMap<string, string>): Omit<Dependency, 'dependencyId'> | null {
  const { dependencyId, predecessorId, successorId } = data;
  const link = { predecessorId, successorId, dependencyType: data.dependencyType ?? 'FS', lagDays: data.lagDays ?? 0 };
  const existing = state.dependencies.get(dependencyId);
  if (existing) {
    if (sameLink(existing, link)) return null;
    throw conflict('DEPENDENCY_ID_IN_USE', `Dependency ${dependencyId} links other tasks`, { dependencyId });
  }
  if (state.retiredDependencyIds.has(dependencyId)) throw conflict('DEPENDENCY_ID_RETIRED', `Dependency id ${dependencyId} was unlinked before`, { dependencyId });
  if (predecessorId === successorId) throw invalid('DEPENDENCY_SELF_LINK', `Task ${predecessorId} cannot depend on itself`, { taskId: predecessorId });
  linkedTaskMustExist(state, predecessorId, 'predecessor');
  linkedTaskMustExist(state, successorId, 'successor');
  lagMustBeFinite(link.lagDays);
  // One link per ordered pair, as in Microsoft Project: two links between the same tasks contradict each other.
  const duplicate = pairs.get(`${predecessorId}\u0000${successorId}`);
  if (duplicate !== undefined) throw conflict('DEPENDENCY_DUPLICATE', `${predecessorId} → ${successorId} is already linked`, { existingDependencyId: duplicate });
  return link;
}

const pairKey = (d: Pick<Dependency, 'predecessorId' | 'successorId'>): string => `${d.predecessorId}\u0000${d.successorId}`;
const pairsOf = (state: OpenedSchedule): Map<string, string> => new Map([...state.dependencies.values()].map((d) => [pairKey(d), d.dependencyId]));

export function linkDependency(command: LinkDependency, state: ScheduleState): DependencyLinked[] {
  scheduleMustBeOpen(state);
  const link = linkMustBeValid(state, command.data, pairsOf(state));
  if (link === null) return [];
  dependencyMustNotCloseACycle(state, link);
  return [{ type: 'DependencyLinked', data: { projectId: state.projectId, dependencyId: command.data.dependencyId, ...link } }];
}

/**
 * Many links at once (an import): each is checked as `linkDependency` would check it after the ones before it were
 * added, refusals reported rather than thrown, but the cycle rule is decided for all of them together in
 * near-linear time (`admitLinks`), where one search of the whole plan per link would make a large import quadratic.
 */
export function linkDependencies(commands: readonly LinkDependency[], state: ScheduleState): { events: DependencyLinked[]; refused: Array<{ command: LinkDependency; error: DomainError }> } {
  scheduleMustBeOpen(state);
  const asEngineLink = (d: Omit<Dependency, 'dependencyId'>) => ({ from: d.predecessorId, to: d.successorId, type: d.dependencyType, lag: d.lagDays });
  const known = (id: string): boolean => state.tasks.get(id)?.kind === 'task' || state.tasks.get(id)?.kind === 'milestone';
  const possible = commands.filter((c) => c.data.predecessorId !== c.data.successorId && known(c.data.predecessorId) && known(c.data.successorId));
  const workPackages = [...state.tasks.values()].filter((t) => t.kind !== 'summary').map((t) => t.taskId);
  const guard = new LinkCycleGuard(workPackages, [...state.dependencies.values()].map(asEngineLink), possible.map((c) => asEngineLink({ predecessorId: c.data.predecessorId, successorId: c.data.successorId, dependencyType: 'FS', lagDays: 0 })));
  // Links decided so far, over the schedule's own: each later one is checked against them as linkDependency would.
  const dependencies = new Map(state.dependencies);
  const pairs = pairsOf(state);
  const events: DependencyLinked[] = [];
  const refused: Array<{ command: LinkDependency; error: DomainError }> = [];
  const view: OpenedSchedule = { ...state, dependencies };
  for (const command of commands) {
    try {
      const link = linkMustBeValid(view, command.data, pairs);
      if (link === null) continue;
      const cycle = guard.wouldClose(asEngineLink(link));
      if (cycle) throw conflict('DEPENDENCY_CYCLE', `The link would close the cycle ${[...cycle, cycle[0]].join(' → ')}`, { cycle });
      guard.add(asEngineLink(link));
      const dependencyId = command.data.dependencyId;
      dependencies.set(dependencyId, { dependencyId, ...link });
      pairs.set(pairKey(link), dependencyId);
      events.push({ type: 'DependencyLinked', data: { projectId: state.projectId, dependencyId, ...link } });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      refused.push({ command, error });
    }
  }
  return { events, refused };
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
