import type { ProjectId } from '../project/project.ids';
import type { Approver, CommandMetadata } from '../shared/command-metadata';
import type { ChangeApprovalLimits } from './change-request.rules';
import type { ChangeRequestId } from './change-request.ids';
import type { ProposedScheduleChange } from './proposed-change';

interface ChangeRequestCommandOf<Type extends string, Data> {
  readonly type: Type;
  readonly data: { changeRequestId: ChangeRequestId } & Data;
  readonly metadata: CommandMetadata;
}

export type RaiseChangeRequest = ChangeRequestCommandOf<
  'RaiseChangeRequest',
  { projectId: ProjectId; title: string; description: string; proposedChanges: readonly ProposedScheduleChange[]; rebaselineAs?: number | null }
>;
export type AssessChangeRequest = ChangeRequestCommandOf<
  'AssessChangeRequest',
  { scheduleImpactDays: number; costImpact: number; notes?: string | null }
>;
export type ApproveChangeRequest = ChangeRequestCommandOf<
  'ApproveChangeRequest',
  {
    approver: Approver;
    comment?: string | null;
    /** The tenant's configured limits (never taken from a request body); default DEFAULT_CHANGE_APPROVAL_LIMITS. */
    limits?: ChangeApprovalLimits;
  }
>;
export type RejectChangeRequest = ChangeRequestCommandOf<'RejectChangeRequest', { approver: Approver; reason: string; limits?: ChangeApprovalLimits }>;
export type WithdrawChangeRequest = ChangeRequestCommandOf<'WithdrawChangeRequest', { withdrawer: Approver; reason?: string | null }>;
export type ApplyChangeRequest = ChangeRequestCommandOf<'ApplyChangeRequest', Record<never, never>>;

export type ChangeRequestCommand =
  | RaiseChangeRequest
  | AssessChangeRequest
  | ApproveChangeRequest
  | RejectChangeRequest
  | WithdrawChangeRequest
  | ApplyChangeRequest;

export type ChangeRequestCommandType = ChangeRequestCommand['type'];
