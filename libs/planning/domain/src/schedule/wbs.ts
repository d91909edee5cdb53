import { childrenKey } from './schedule.state';
import type { OpenedSchedule, WbsTask } from './schedule.state';

export const childrenOf = (state: OpenedSchedule, parentId: string | null): readonly string[] => state.children.get(childrenKey(parentId)) ?? [];

/** Every task in WBS order (depth first, siblings in their order): the order of a Gantt chart. */
export function wbsOrder(state: OpenedSchedule, parentId: string | null = null): string[] {
  return childrenOf(state, parentId).flatMap((id) => [id, ...wbsOrder(state, id)]);
}

export const descendantsOf = (state: OpenedSchedule, taskId: string): string[] => wbsOrder(state, taskId);

/**
 * WBS codes (1, 1.2, 1.2.3) follow from the position in the hierarchy, so they are derived, never stored:
 * inserting or moving one task renumbers its later siblings without a single extra event.
 */
export function wbsCodes(state: OpenedSchedule): Map<string, string> {
  const codes = new Map<string, string>();
  const visit = (parentId: string | null, prefix: string): void => {
    childrenOf(state, parentId).forEach((id, index) => {
      const code = `${prefix}${index + 1}`;
      codes.set(id, code);
      visit(id, `${code}.`);
    });
  };
  visit(null, '');
  return codes;
}

/** Outline level as Microsoft Project counts it: top-level tasks are level 1. */
export function outlineLevel(state: OpenedSchedule, taskId: string): number {
  let level = 0;
  for (let id: string | null = taskId; id !== null; id = state.tasks.get(id)?.parentId ?? null) level++;
  return level;
}

/** The work packages (tasks and milestones) under a node, or the node itself when it is one. */
export function workPackagesUnder(state: OpenedSchedule, taskId: string | null): WbsTask[] {
  const ids = taskId === null ? wbsOrder(state) : [taskId, ...descendantsOf(state, taskId)];
  return ids.map((id) => state.tasks.get(id)).filter((t): t is WbsTask => t !== undefined && t.kind !== 'summary');
}

/** Summaries carry no budget of their own: cost and work roll up from their work packages. */
export const rolledUpCost = (state: OpenedSchedule, taskId: string | null): number =>
  workPackagesUnder(state, taskId).reduce((sum, t) => sum + (t.costBudget ?? 0), 0);

export const rolledUpWork = (state: OpenedSchedule, taskId: string | null): number =>
  workPackagesUnder(state, taskId).reduce((sum, t) => sum + (t.workHours ?? 0), 0);
