import type { Approver } from '../shared/command-metadata';
import { hasRole } from '../shared/command-metadata';
import { conflict, forbidden, notFound } from '@pm/shared/ddd';
import type { ChangeImpact } from './change-request.events';
import type { ChangeRequestState, ExistingChangeRequest, PendingChangeRequest } from './change-request.state';

/** How big a change a project manager may approve alone; anything at or above goes to the PMO. */
export interface ChangeApprovalLimits {
  /** Absolute cost impact must stay strictly below this, in the project currency. */
  readonly costImpactBelow: number;
  /** Absolute schedule impact must stay strictly below this many working days. */
  readonly scheduleImpactDaysBelow: number;
}

/** Defaults for tenants that configured nothing: small changes stay with the project, the rest is PMO business. */
export const DEFAULT_CHANGE_APPROVAL_LIMITS: ChangeApprovalLimits = { costImpactBelow: 10_000, scheduleImpactDaysBelow: 5 };

export type ChangeApprovalAuthority = 'pmo-admin' | 'project-manager';

/**
 * The change-control policy, as one named rule:
 * - a pmo-admin may decide any change request;
 * - a project-manager may decide one only when it was assessed, its cost and schedule impact are both
 *   below the limits (in absolute value: a large saving is as much a re-plan as a large overrun), and it
 *   does not re-baseline the project (moving the yardstick is always the PMO's call).
 * Returns the authority under which the approver may decide, or null.
 */
export function changeApprovalAuthority(
  approver: Approver,
  impact: ChangeImpact | null,
  rebaselineAs: number | null,
  limits: ChangeApprovalLimits = DEFAULT_CHANGE_APPROVAL_LIMITS,
): ChangeApprovalAuthority | null {
  if (hasRole(approver, 'pmo-admin')) return 'pmo-admin';
  if (!hasRole(approver, 'project-manager') || impact === null || rebaselineAs !== null) return null;
  const small = Math.abs(impact.costImpact) < limits.costImpactBelow && Math.abs(impact.scheduleImpactDays) < limits.scheduleImpactDaysBelow;
  return small ? 'project-manager' : null;
}

export function approverMustHaveAuthority(
  approver: Approver,
  state: PendingChangeRequest,
  limits: ChangeApprovalLimits = DEFAULT_CHANGE_APPROVAL_LIMITS,
): ChangeApprovalAuthority {
  const authority = changeApprovalAuthority(approver, state.impact, state.request.rebaselineAs, limits);
  if (authority === null) {
    throw forbidden('CHANGE_APPROVER_NOT_ALLOWED', 'This change request must be decided by a pmo-admin', {
      approverId: approver.id,
      impact: state.impact,
      rebaselineAs: state.request.rebaselineAs,
      limits,
    });
  }
  return authority;
}

export function changeRequestMustExist(state: ChangeRequestState): asserts state is ExistingChangeRequest {
  if (state.status === 'not-raised') throw notFound('CHANGE_REQUEST_NOT_FOUND', 'Change request does not exist');
}

/** Once decided (or withdrawn), a change request is closed: a new decision needs a new request. */
export function changeRequestMustBePending(state: ExistingChangeRequest): asserts state is PendingChangeRequest {
  if (state.status !== 'raised' && state.status !== 'assessed') {
    throw conflict('CHANGE_REQUEST_ALREADY_DECIDED', `Change request ${state.request.changeRequestId} is ${state.status}`, {
      changeRequestId: state.request.changeRequestId,
      status: state.status,
    });
  }
}
