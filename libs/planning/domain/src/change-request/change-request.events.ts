import type { ContractEvent } from '@pm/contracts';

/** Events of a change request (stream `change-request:<tenant>:<id>`), each its published contract's latest version (ADR 0008). */
type ChangeRequestEventOf<TName extends string> = ContractEvent<'planning', TName>;

export type ChangeRequestRaised = ChangeRequestEventOf<'ChangeRequestRaised'>;
export type ChangeRequestAssessed = ChangeRequestEventOf<'ChangeRequestAssessed'>;
export type ChangeRequestApproved = ChangeRequestEventOf<'ChangeRequestApproved'>;
export type ChangeRequestRejected = ChangeRequestEventOf<'ChangeRequestRejected'>;
export type ChangeRequestWithdrawn = ChangeRequestEventOf<'ChangeRequestWithdrawn'>;
export type ChangeRequestApplied = ChangeRequestEventOf<'ChangeRequestApplied'>;
export type NewBaselineRequested = ChangeRequestEventOf<'NewBaselineRequested'>;

/** Working days the finish moves and the change of the budget at completion (positive = later, dearer). */
export type ChangeImpact = ChangeRequestAssessed['data']['impact'];

export type ChangeRequestEvent =
  | ChangeRequestRaised
  | ChangeRequestAssessed
  | ChangeRequestApproved
  | ChangeRequestRejected
  | ChangeRequestWithdrawn
  | ChangeRequestApplied
  | NewBaselineRequested;

export type ChangeRequestEventType = ChangeRequestEvent['type'];
