import { conflict, invalid, notFound, isBlank, ignoreUnknownEvent, unknownCommand, sameValue } from '@pm/shared/ddd';
import { addMoney } from '../shared/money';
import type { Money } from '../shared/money';
import type { ApproveTimesheet, RejectTimesheet, SubmitTimesheet, TimesheetCommand } from './timesheet.commands';
import type { CostIncurred, PricedLine, TimesheetEvent } from './timesheet.events';
import { linesMustFitTheWeek, mayApprove, onlyOwnTimesheet, priceLines } from './timesheet.rules';
import type { TimesheetState } from './timesheet.state';
import { initialTimesheetState } from './timesheet.state';

function submit(command: SubmitTimesheet, state: TimesheetState): TimesheetEvent[] {
  const { timesheetId, owner, weekStart, lines, caller } = command.data;
  if (!owner) throw notFound('RESOURCE_NOT_FOUND', 'Timesheets belong to a registered person');
  onlyOwnTimesheet(caller, owner.userId);
  if (state.status === 'submitted' || state.status === 'approved') {
    if (state.status === 'submitted' && sameValue(state.timesheet.lines, lines)) return [];
    throw conflict('TIMESHEET_ALREADY_SUBMITTED', `Timesheet ${timesheetId} is ${state.status}`);
  }
  if (state.status === 'rejected' && state.timesheet.resourceId !== owner.resourceId) throw conflict('TIMESHEET_OWNER_CHANGED', 'a resubmission is for the same person');
  linesMustFitTheWeek(weekStart, lines);
  return [
    {
      type: 'TimesheetSubmitted',
      data: { timesheetId, resourceId: owner.resourceId, weekStart, lines: [...lines], submittedBy: command.metadata.actor, submittedAt: command.metadata.now },
    },
  ];
}

/** One CostIncurred per project, so planning's earned value can add actual cost to each project it concerns. */
function costsPerProject(timesheetId: string, resourceId: string, lines: readonly PricedLine[], now: string): CostIncurred[] {
  const byProject = new Map<string, { amount: Money; from: string; to: string }>();
  for (const l of lines) {
    const seen = byProject.get(l.projectId);
    byProject.set(
      l.projectId,
      seen
        ? { amount: addMoney(seen.amount, l.cost), from: l.date < seen.from ? l.date : seen.from, to: l.date > seen.to ? l.date : seen.to }
        : { amount: l.cost, from: l.date, to: l.date },
    );
  }
  return [...byProject.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([projectId, c]) => ({
      type: 'CostIncurred',
      data: { costId: `${timesheetId}:${projectId}`, projectId, category: 'labour', ...c, source: { kind: 'timesheet', id: timesheetId }, resourceId, incurredAt: now },
    }));
}

function approve(command: ApproveTimesheet, state: TimesheetState): TimesheetEvent[] {
  if (state.status === 'approved') return [];
  if (state.status !== 'submitted') throw (state.status === 'none' ? notFound('TIMESHEET_NOT_FOUND', 'Timesheet does not exist') : conflict('TIMESHEET_REJECTED', 'resubmit before approving'));
  const { caller, owner } = command.data;
  mayApprove(caller, state.timesheet.submittedBy, owner?.userId ?? null);
  if (!owner) throw notFound('RESOURCE_NOT_FOUND', 'the person of this timesheet no longer exists');
  const { timesheetId, resourceId, weekStart } = state.timesheet;
  const { lines, total } = priceLines(state.timesheet.lines, owner.rates);
  const approvedBy = command.metadata.actor;
  return [
    { type: 'TimesheetApproved', data: { timesheetId, resourceId, weekStart, lines, total, approvedBy, approvedAt: command.metadata.now } },
    ...costsPerProject(timesheetId, resourceId, lines.filter((l) => l.cost.amountMinor > 0), command.metadata.now),
  ];
}

function reject(command: RejectTimesheet, state: TimesheetState): TimesheetEvent[] {
  if (state.status === 'rejected') return [];
  if (state.status === 'none') throw notFound('TIMESHEET_NOT_FOUND', 'Timesheet does not exist');
  if (state.status === 'approved') throw conflict('TIMESHEET_ALREADY_APPROVED', 'an approved timesheet is history; correct it with a new one');
  mayApprove(command.data.caller, state.timesheet.submittedBy, command.data.owner?.userId ?? null);
  if (isBlank(command.data.reason)) throw invalid('REASON_REQUIRED', 'say why the timesheet is rejected');
  const { timesheetId, resourceId } = state.timesheet;
  return [{ type: 'TimesheetRejected', data: { timesheetId, resourceId, reason: command.data.reason.trim(), rejectedBy: command.metadata.actor, rejectedAt: command.metadata.now } }];
}

export function decideTimesheet(command: TimesheetCommand, state: TimesheetState): TimesheetEvent[] {
  switch (command.type) {
    case 'SubmitTimesheet':
      return submit(command, state);
    case 'ApproveTimesheet':
      return approve(command, state);
    case 'RejectTimesheet':
      return reject(command, state);
    default:
      return unknownCommand(command);
  }
}

export function evolveTimesheet(state: TimesheetState, event: TimesheetEvent): TimesheetState {
  switch (event.type) {
    case 'TimesheetSubmitted': {
      const { timesheetId, resourceId, weekStart, lines, submittedBy } = event.data;
      return { status: 'submitted', timesheet: { timesheetId, resourceId, weekStart, lines, submittedBy } };
    }
    case 'TimesheetApproved':
      return state.status === 'none' ? state : { status: 'approved', timesheet: state.timesheet };
    case 'TimesheetRejected':
      return state.status === 'none' ? state : { status: 'rejected', timesheet: state.timesheet };
    case 'CostIncurred':
      return state;
    default:
      return ignoreUnknownEvent(state, event);
  }
}

export const timesheetDecider = { decide: decideTimesheet, evolve: evolveTimesheet, initialState: initialTimesheetState };
