import type { ChangeImpact, ChangeRequestRaised } from './change-request.events';

export type ChangeRequestRecord = ChangeRequestRaised['data'];

export interface NoChangeRequest {
  readonly status: 'not-raised';
}

/** Raised, possibly assessed (re-assessment replaces the impact) and waiting for a decision. */
export interface PendingChangeRequest {
  readonly status: 'raised' | 'assessed';
  readonly request: ChangeRequestRecord;
  readonly impact: ChangeImpact | null;
}

export interface ApprovedChangeRequest {
  readonly status: 'approved';
  readonly request: ChangeRequestRecord;
  readonly impact: ChangeImpact;
  readonly approvedBy: string;
}

export interface RejectedChangeRequest {
  readonly status: 'rejected';
  readonly request: ChangeRequestRecord;
  readonly impact: ChangeImpact | null;
  readonly reason: string;
}

export interface WithdrawnChangeRequest {
  readonly status: 'withdrawn';
  readonly request: ChangeRequestRecord;
  readonly impact: ChangeImpact | null;
}

export interface AppliedChangeRequest {
  readonly status: 'applied';
  readonly request: ChangeRequestRecord;
  readonly impact: ChangeImpact;
  readonly appliedAt: string;
}

export type ExistingChangeRequest =
  | PendingChangeRequest
  | ApprovedChangeRequest
  | RejectedChangeRequest
  | WithdrawnChangeRequest
  | AppliedChangeRequest;
export type ChangeRequestState = NoChangeRequest | ExistingChangeRequest;
export type ChangeRequestStatus = ChangeRequestState['status'];

export const initialChangeRequestState = (): ChangeRequestState => ({ status: 'not-raised' });
