import type { ProposedScheduleChange } from './proposed-change';

/** Computed by the caller (CPM run with and without the change); the decider records it and judges by it. */
export interface ChangeImpact {
  /** Working days the project finish moves (positive = later). */
  scheduleImpactDays: number;
  /** Change of the budget at completion, in the project currency (positive = dearer). */
  costImpact: number;
  notes: string | null;
}

export interface ChangeRequestRaised {
  readonly type: 'ChangeRequestRaised';
  readonly data: {
    changeRequestId: string;
    projectId: string;
    title: string;
    description: string;
    proposedChanges: readonly ProposedScheduleChange[];
    /** The baseline to save once the change is applied, or null to keep measuring against the current one. */
    rebaselineAs: number | null;
    raisedBy: string;
    raisedAt: string;
  };
}

export interface ChangeRequestAssessed {
  readonly type: 'ChangeRequestAssessed';
  readonly data: { changeRequestId: string; projectId: string; impact: ChangeImpact; assessedBy: string; assessedAt: string };
}

export interface ChangeRequestApproved {
  readonly type: 'ChangeRequestApproved';
  readonly data: {
    changeRequestId: string;
    projectId: string;
    approvedBy: string;
    /** The role under which the approval was allowed: the audit trail shows which rule applied. */
    approvedAs: 'pmo-admin' | 'project-manager';
    approvedAt: string;
    comment: string | null;
  };
}

export interface ChangeRequestRejected {
  readonly type: 'ChangeRequestRejected';
  readonly data: { changeRequestId: string; projectId: string; rejectedBy: string; rejectedAt: string; reason: string };
}

export interface ChangeRequestWithdrawn {
  readonly type: 'ChangeRequestWithdrawn';
  readonly data: { changeRequestId: string; projectId: string; withdrawnBy: string; withdrawnAt: string; reason: string | null };
}

export interface ChangeRequestApplied {
  readonly type: 'ChangeRequestApplied';
  readonly data: { changeRequestId: string; projectId: string; appliedChanges: readonly ProposedScheduleChange[]; appliedBy: string; appliedAt: string };
}

export interface NewBaselineRequested {
  readonly type: 'NewBaselineRequested';
  readonly data: { changeRequestId: string; projectId: string; baselineNumber: number; requestedAt: string };
}

export type ChangeRequestEvent =
  | ChangeRequestRaised
  | ChangeRequestAssessed
  | ChangeRequestApproved
  | ChangeRequestRejected
  | ChangeRequestWithdrawn
  | ChangeRequestApplied
  | NewBaselineRequested;

export type ChangeRequestEventType = ChangeRequestEvent['type'];
