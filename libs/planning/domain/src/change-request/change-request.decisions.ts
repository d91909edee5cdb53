import { hasRole } from '../shared/command-metadata';
import { conflict, forbidden, invalid, blankToNull, sameValue } from '@pm/shared/ddd';
import { baselineNumberMustBeValid } from '../schedule/baseline.decisions';
import type {
  ApplyChangeRequest,
  ApproveChangeRequest,
  AssessChangeRequest,
  RaiseChangeRequest,
  RejectChangeRequest,
  WithdrawChangeRequest,
} from './change-request.commands';
import type {
  ChangeRequestApplied,
  ChangeRequestApproved,
  ChangeRequestAssessed,
  ChangeRequestRaised,
  ChangeRequestRejected,
  ChangeRequestWithdrawn,
  NewBaselineRequested,
} from './change-request.events';
import { approverMustHaveAuthority, changeRequestMustBePending, changeRequestMustExist } from './change-request.rules';
import type { ChangeRequestState } from './change-request.state';
import { PROPOSABLE_CHANGE_TYPES } from './proposed-change';
import type { ProposedScheduleChange } from './proposed-change';

function requiredText(value: string, code: string, what: string): string {
  const text = blankToNull(value);
  if (text === null) throw invalid(code, `A change request needs ${what}`);
  return text;
}

/** Progress and baselines are facts and yardsticks, not plan changes; only plan commands may be proposed. */
export function proposedChangesMustBePlanChanges(changes: readonly ProposedScheduleChange[]): void {
  const other = changes.filter((c) => !PROPOSABLE_CHANGE_TYPES.has(c.type)).map((c) => c.type);
  if (other.length > 0) throw invalid('CHANGE_NOT_PROPOSABLE', 'Only WBS, estimate, cost, constraint and dependency changes can be proposed', { types: other });
}

export function raiseChangeRequest(command: RaiseChangeRequest, state: ChangeRequestState): ChangeRequestRaised[] {
  const { changeRequestId, projectId, proposedChanges } = command.data;
  const title = requiredText(command.data.title, 'CHANGE_REQUEST_TITLE_REQUIRED', 'a title');
  const description = requiredText(command.data.description, 'CHANGE_REQUEST_DESCRIPTION_REQUIRED', 'a description');
  const rebaselineAs = command.data.rebaselineAs ?? null;
  if (rebaselineAs !== null) baselineNumberMustBeValid(rebaselineAs);
  if (proposedChanges.length === 0 && rebaselineAs === null) throw invalid('CHANGE_REQUEST_EMPTY', 'A change request must propose something');
  proposedChangesMustBePlanChanges(proposedChanges);
  if (state.status !== 'not-raised') {
    const r = state.request;
    const same = r.projectId === projectId && r.title === title && r.description === description && r.rebaselineAs === rebaselineAs && sameValue(r.proposedChanges, proposedChanges);
    if (same) return [];
    throw conflict('CHANGE_REQUEST_ALREADY_RAISED', `Change request ${changeRequestId} already exists`, { changeRequestId });
  }
  const { actor, now } = command.metadata;
  return [
    { type: 'ChangeRequestRaised', data: { changeRequestId, projectId, title, description, proposedChanges, rebaselineAs, raisedBy: actor, raisedAt: now } },
  ];
}

export function assessChangeRequest(command: AssessChangeRequest, state: ChangeRequestState): ChangeRequestAssessed[] {
  changeRequestMustExist(state);
  changeRequestMustBePending(state);
  const { scheduleImpactDays, costImpact } = command.data;
  if (!Number.isFinite(scheduleImpactDays) || !Number.isFinite(costImpact)) {
    throw invalid('CHANGE_IMPACT_INVALID', 'Schedule and cost impact must be finite numbers', { scheduleImpactDays, costImpact });
  }
  const impact = { scheduleImpactDays, costImpact, notes: blankToNull(command.data.notes) };
  if (state.impact !== null && sameValue(state.impact, impact)) return [];
  const { changeRequestId, projectId } = state.request;
  return [{ type: 'ChangeRequestAssessed', data: { changeRequestId, projectId, impact, assessedBy: command.metadata.actor, assessedAt: command.metadata.now } }];
}

export function approveChangeRequest(command: ApproveChangeRequest, state: ChangeRequestState): ChangeRequestApproved[] {
  changeRequestMustExist(state);
  if (state.status === 'approved' || state.status === 'applied') return [];
  changeRequestMustBePending(state);
  if (state.status !== 'assessed') {
    throw conflict('CHANGE_REQUEST_NOT_ASSESSED', 'A change request is approved on its assessed impact; assess it first', {
      changeRequestId: state.request.changeRequestId,
    });
  }
  const { approver } = command.data;
  const approvedAs = approverMustHaveAuthority(approver, state, command.data.limits);
  const { changeRequestId, projectId } = state.request;
  return [
    {
      type: 'ChangeRequestApproved',
      data: { changeRequestId, projectId, approvedBy: approver.id, approvedAs, approvedAt: command.metadata.now, comment: blankToNull(command.data.comment) },
    },
  ];
}

export function rejectChangeRequest(command: RejectChangeRequest, state: ChangeRequestState): ChangeRequestRejected[] {
  changeRequestMustExist(state);
  if (state.status === 'rejected') return [];
  changeRequestMustBePending(state);
  const { approver } = command.data;
  approverMustHaveAuthority(approver, state, command.data.limits);
  const reason = requiredText(command.data.reason, 'CHANGE_REJECTION_REASON_REQUIRED', 'a reason to be rejected');
  const { changeRequestId, projectId } = state.request;
  return [{ type: 'ChangeRequestRejected', data: { changeRequestId, projectId, rejectedBy: approver.id, rejectedAt: command.metadata.now, reason } }];
}

/** The requester may take their request back before it is decided; the PMO may withdraw any. */
export function withdrawChangeRequest(command: WithdrawChangeRequest, state: ChangeRequestState): ChangeRequestWithdrawn[] {
  changeRequestMustExist(state);
  if (state.status === 'withdrawn') return [];
  changeRequestMustBePending(state);
  const { withdrawer } = command.data;
  // raisedBy is the requester's actor (`user:<id>`, percent-encoded), so compare actors, not user ids.
  if (command.metadata.actor !== state.request.raisedBy && !hasRole(withdrawer, 'pmo-admin')) {
    throw forbidden('CHANGE_WITHDRAWAL_NOT_ALLOWED', 'Only the requester or a pmo-admin may withdraw a change request', { withdrawerId: withdrawer.id });
  }
  const { changeRequestId, projectId } = state.request;
  return [
    {
      type: 'ChangeRequestWithdrawn',
      data: { changeRequestId, projectId, withdrawnBy: withdrawer.id, withdrawnAt: command.metadata.now, reason: blankToNull(command.data.reason) },
    },
  ];
}

/**
 * Marks the approved changes as applied. The schedule events themselves come from
 * `scheduleEventsForAppliedChange`, which the handler runs against the schedule first, so a change that
 * no longer fits the schedule is rejected before this request is marked applied.
 */
export function applyChangeRequest(command: ApplyChangeRequest, state: ChangeRequestState): Array<ChangeRequestApplied | NewBaselineRequested> {
  changeRequestMustExist(state);
  if (state.status === 'applied') return [];
  if (state.status !== 'approved') {
    throw conflict('CHANGE_REQUEST_NOT_APPROVED', `Change request ${state.request.changeRequestId} is ${state.status}, not approved`, {
      changeRequestId: state.request.changeRequestId,
      status: state.status,
    });
  }
  const { changeRequestId, projectId, proposedChanges, rebaselineAs } = state.request;
  const { actor, now } = command.metadata;
  const applied: ChangeRequestApplied = {
    type: 'ChangeRequestApplied',
    data: { changeRequestId, projectId, appliedChanges: proposedChanges, appliedBy: actor, appliedAt: now },
  };
  if (rebaselineAs === null) return [applied];
  return [applied, { type: 'NewBaselineRequested', data: { changeRequestId, projectId, baselineNumber: rebaselineAs, requestedAt: now } }];
}
