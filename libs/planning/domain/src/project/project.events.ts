export type ProjectPriority = 'low' | 'medium' | 'high' | 'critical';
/** The phases a project moves through by gate approval, in order. */
export type ProjectPhase = 'initiating' | 'planning' | 'executing' | 'closing';
/** Phases a project may be put on hold from (and resumes to). */
export type HoldablePhase = 'planning' | 'executing';

/** Data is exactly the public contract `pm.planning.ProjectCreated` v1. */
export interface ProjectCreated {
  readonly type: 'ProjectCreated';
  readonly data: {
    projectId: string;
    name: string;
    code: string | null;
    description: string | null;
    startDate: string | null;
    targetFinishDate: string | null;
    status: 'initiating';
    priority: ProjectPriority;
    sponsor: string | null;
    managerId: string | null;
    currency: string;
    calendarId: string | null;
    createdAt: string;
  };
}

/** Data is exactly the public contract `pm.planning.ProjectRenamed` v2. */
export interface ProjectRenamed {
  readonly type: 'ProjectRenamed';
  readonly data: { projectId: string; name: string; previousName: string | null; reason: string | null };
}

interface GateFacts {
  projectId: string;
  gateId: string;
  fromPhase: ProjectPhase;
  /** `closed` for the closing gate: approving it closes the project. */
  toPhase: Exclude<ProjectPhase, 'initiating'> | 'closed';
}

export interface PhaseGateRequested {
  readonly type: 'PhaseGateRequested';
  readonly data: GateFacts & { requestedBy: string; requestedAt: string; note: string | null };
}

export interface PhaseGateApproved {
  readonly type: 'PhaseGateApproved';
  readonly data: GateFacts & { approvedBy: string; approvedAt: string; comment: string | null };
}

export interface PhaseGateRejected {
  readonly type: 'PhaseGateRejected';
  readonly data: GateFacts & { rejectedBy: string; rejectedAt: string; reason: string };
}

export interface ProjectPhaseAdvanced {
  readonly type: 'ProjectPhaseAdvanced';
  readonly data: { projectId: string; fromPhase: ProjectPhase; toPhase: Exclude<ProjectPhase, 'initiating'>; gateId: string; advancedAt: string };
}

export interface ProjectClosed {
  readonly type: 'ProjectClosed';
  readonly data: { projectId: string; gateId: string; closedAt: string };
}

export interface ProjectPutOnHold {
  readonly type: 'ProjectPutOnHold';
  readonly data: { projectId: string; previousStatus: HoldablePhase; reason: string; heldBy: string; heldAt: string };
}

export interface ProjectResumed {
  readonly type: 'ProjectResumed';
  readonly data: { projectId: string; resumedTo: HoldablePhase; resumedBy: string; resumedAt: string };
}

export interface ProjectCancelled {
  readonly type: 'ProjectCancelled';
  readonly data: { projectId: string; previousStatus: ProjectPhase | 'on-hold'; reason: string; cancelledBy: string; cancelledAt: string };
}

export interface KpiDefinition {
  kpiId: string;
  name: string;
  target: number;
  unit: string;
}

export interface ObjectiveDefined {
  readonly type: 'ObjectiveDefined';
  readonly data: { projectId: string; objectiveId: string; description: string; kpis: readonly KpiDefinition[]; definedAt: string };
}

export interface KpiActualRecorded {
  readonly type: 'KpiActualRecorded';
  readonly data: { projectId: string; objectiveId: string; kpiId: string; actual: number; measuredOn: string; recordedAt: string };
}

export interface ScopeStatementDefined {
  readonly type: 'ScopeStatementDefined';
  readonly data: {
    projectId: string;
    statement: string;
    inScope: readonly string[];
    outOfScope: readonly string[];
    assumptions: readonly string[];
    constraints: readonly string[];
    definedAt: string;
  };
}

export interface ProjectStatusDateSet {
  readonly type: 'ProjectStatusDateSet';
  readonly data: { projectId: string; statusDate: string; setAt: string };
}

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
