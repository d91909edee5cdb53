import { conflict, invalid } from '@pm/shared/ddd';
import type { AcceptLevellingProposal, LevellingMove, RejectLevellingProposal } from './schedule.commands';
import type { ConstraintType, LevelledTask, LevellingProposalAccepted, LevellingProposalRejected, ScheduleEvent, TaskConstrained } from './schedule.events';
import { dateMustBeValid, scheduleMustBeOpen, summaryValuesAreRolledUp, taskMustExist } from './schedule.rules';
import type { OpenedSchedule, ScheduleState } from './schedule.state';
import { publishedStart } from './published-schedule';

export type StaleReason = 'task-not-in-plan' | 'task-started' | 'start-moved';

export interface StaleMove {
  readonly taskId: string;
  readonly reason: StaleReason;
  readonly fromStart: string;
  /** The start the plan has now (null when the task is gone or was never scheduled). */
  readonly currentStart: string | null;
}

/**
 * Constraints that only push a task later. A levelling move delays the task without changing its duration, so
 * replacing one of these by "start no earlier than" the later date keeps every bound it set (ADR 0107).
 */
const LOWER_BOUNDS: ReadonlySet<ConstraintType> = new Set(['ASAP', 'ALAP', 'SNET', 'FNET']);

/**
 * A move still applies while the task is in the plan, not started, and starts where the proposal saw it start:
 * the resource service computed the proposal from the dates planning last published, so any other start means
 * the plan moved underneath it and the levelled answer may no longer be a levelled answer.
 */
export function staleLevellingMoves(state: OpenedSchedule, moves: readonly LevellingMove[]): StaleMove[] {
  const stale: StaleMove[] = [];
  for (const move of moves) {
    const task = state.tasks.get(move.taskId);
    const currentStart = publishedStart(state.published.get(move.taskId));
    const reason: StaleReason | null = !task ? 'task-not-in-plan' : task.actualStart !== null ? 'task-started' : currentStart !== move.fromStart ? 'start-moved' : null;
    if (reason) stale.push({ taskId: move.taskId, reason, fromStart: move.fromStart, currentStart: task ? currentStart : null });
  }
  return stale;
}

/** A proposal is accepted whole or not at all: half a levelling can leave a resource more over-booked than before. */
export function levellingProposalMustStillApply(state: OpenedSchedule, proposalId: string, moves: readonly LevellingMove[]): void {
  const stale = staleLevellingMoves(state, moves);
  if (stale.length === 0) return;
  const tasks = stale.map((s) => s.taskId);
  throw conflict('LEVELLING_PROPOSAL_STALE', `The plan moved since levelling proposal ${proposalId} was made: ${tasks.join(', ')}`, { proposalId, tasks, stale });
}

/** A task pinned or bounded from above (MSO, MFO, SNLT, FNLT) is a commitment levelling must not silently drop. */
export function levellingMustNotOverrideHardConstraints(state: OpenedSchedule, proposalId: string, moves: readonly LevellingMove[]): void {
  const pinned = moves.filter((m) => {
    const task = state.tasks.get(m.taskId);
    return task !== undefined && !LOWER_BOUNDS.has(task.constraint.type);
  });
  if (pinned.length === 0) return;
  const tasks = pinned.map((m) => m.taskId);
  throw conflict('LEVELLING_MOVE_OVERRIDES_CONSTRAINT', `Levelling proposal ${proposalId} would replace a hard date constraint on ${tasks.join(', ')}`, { proposalId, tasks });
}

function levellingMoveMustDelay(move: LevellingMove): void {
  dateMustBeValid('fromStart', move.fromStart);
  dateMustBeValid('toStart', move.toStart);
  if (move.toStart <= move.fromStart) throw invalid('LEVELLING_MOVE_MUST_DELAY', `Levelling moves task ${move.taskId} later, not to ${move.toStart}`, { taskId: move.taskId });
}

function levellingProposalMustBeUndecided(state: OpenedSchedule, proposalId: string, wanted: 'accepted' | 'rejected'): 'decided' | 'undecided' {
  const decided = state.levellingDecisions.get(proposalId);
  if (decided === undefined) return 'undecided';
  if (decided === wanted) return 'decided';
  throw conflict(`LEVELLING_PROPOSAL_ALREADY_${decided.toUpperCase()}`, `Levelling proposal ${proposalId} was already ${decided}`, { proposalId });
}

export function acceptLevellingProposal(command: AcceptLevellingProposal, state: ScheduleState): ScheduleEvent[] {
  scheduleMustBeOpen(state);
  const { proposalId, moves } = command.data;
  if (levellingProposalMustBeUndecided(state, proposalId, 'accepted') === 'decided') return [];
  moves.forEach(levellingMoveMustDelay);
  levellingProposalMustStillApply(state, proposalId, moves);
  levellingMustNotOverrideHardConstraints(state, proposalId, moves);
  const constrained: TaskConstrained[] = [];
  const levelled: LevelledTask[] = [];
  for (const move of moves) {
    const task = taskMustExist(state, move.taskId);
    summaryValuesAreRolledUp(task, 'date constraint');
    levelled.push({ taskId: move.taskId, fromStart: move.fromStart, toStart: move.toStart, previousConstraint: task.constraint });
    constrained.push({ type: 'TaskConstrained', data: { projectId: state.projectId, taskId: move.taskId, constraint: { type: 'SNET', date: move.toStart } } });
  }
  const accepted: LevellingProposalAccepted = {
    type: 'LevellingProposalAccepted',
    data: { projectId: state.projectId, proposalId, moves: levelled, acceptedBy: command.metadata.actor, acceptedAt: command.metadata.now },
  };
  return [...constrained, accepted];
}

export function rejectLevellingProposal(command: RejectLevellingProposal, state: ScheduleState): LevellingProposalRejected[] {
  scheduleMustBeOpen(state);
  const { proposalId, reason } = command.data;
  if (levellingProposalMustBeUndecided(state, proposalId, 'rejected') === 'decided') return [];
  return [{ type: 'LevellingProposalRejected', data: { projectId: state.projectId, proposalId, reason, rejectedBy: command.metadata.actor, rejectedAt: command.metadata.now } }];
}
