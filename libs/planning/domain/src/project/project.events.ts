import type { ContractEvent } from '@pm/contracts';

/** Events of the project aggregate (stream `project:<tenant>:<projectId>`), each its published contract's latest version (ADR 0008). */
type ProjectEventOf<TName extends string> = ContractEvent<'planning', TName>;

export type ProjectCreated = ProjectEventOf<'ProjectCreated'>;
export type ProjectRenamed = ProjectEventOf<'ProjectRenamed'>;
export type PhaseGateRequested = ProjectEventOf<'PhaseGateRequested'>;
export type PhaseGateApproved = ProjectEventOf<'PhaseGateApproved'>;
export type PhaseGateRejected = ProjectEventOf<'PhaseGateRejected'>;
export type ProjectPhaseAdvanced = ProjectEventOf<'ProjectPhaseAdvanced'>;
export type ProjectClosed = ProjectEventOf<'ProjectClosed'>;
export type ProjectPutOnHold = ProjectEventOf<'ProjectPutOnHold'>;
export type ProjectResumed = ProjectEventOf<'ProjectResumed'>;
export type ProjectCancelled = ProjectEventOf<'ProjectCancelled'>;
export type ObjectiveDefined = ProjectEventOf<'ObjectiveDefined'>;
export type KpiActualRecorded = ProjectEventOf<'KpiActualRecorded'>;
export type ScopeStatementDefined = ProjectEventOf<'ScopeStatementDefined'>;
export type ProjectStatusDateSet = ProjectEventOf<'ProjectStatusDateSet'>;

export type ProjectPriority = ProjectCreated['data']['priority'];
export type ProjectPhase = ProjectPhaseAdvanced['data']['fromPhase'];
export type HoldablePhase = ProjectPutOnHold['data']['previousStatus'];
export type KpiDefinition = ObjectiveDefined['data']['kpis'][number];

export type ProjectEvent =
  | ProjectCreated
  | ProjectRenamed
  | PhaseGateRequested
  | PhaseGateApproved
  | PhaseGateRejected
  | ProjectPhaseAdvanced
  | ProjectClosed
  | ProjectPutOnHold
  | ProjectResumed
  | ProjectCancelled
  | ObjectiveDefined
  | KpiActualRecorded
  | ScopeStatementDefined
  | ProjectStatusDateSet;

export type ProjectEventType = ProjectEvent['type'];
