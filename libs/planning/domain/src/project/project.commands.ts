import type { Approver, CommandMetadata } from '../shared/command-metadata';
import type { ProjectPriority } from './project.events';
import type { KpiId, ObjectiveId, PhaseGateId, ProjectId } from './project.ids';

export interface CreateProject {
  readonly type: 'CreateProject';
  readonly data: {
    projectId: ProjectId;
    name: string;
    code?: string | null;
    description?: string | null;
    /** YYYY-MM-DD */
    startDate?: string | null;
    targetFinishDate?: string | null;
    priority?: ProjectPriority;
    /** The sponsor's user id (the `sub` of their token): a sponsor may approve phase gates. */
    sponsor?: string | null;
    managerId?: string | null;
    currency?: string;
    calendarId?: string | null;
  };
  readonly metadata: CommandMetadata;
}

export interface RenameProject {
  readonly type: 'RenameProject';
  readonly data: { projectId: ProjectId; name: string; reason?: string | null };
  readonly metadata: CommandMetadata;
}

export interface RequestPhaseGate {
  readonly type: 'RequestPhaseGate';
  readonly data: { projectId: ProjectId; gateId: PhaseGateId; note?: string | null };
  readonly metadata: CommandMetadata;
}

export interface ApprovePhaseGate {
  readonly type: 'ApprovePhaseGate';
  readonly data: { projectId: ProjectId; gateId: PhaseGateId; approver: Approver; comment?: string | null };
  readonly metadata: CommandMetadata;
}

export interface RejectPhaseGate {
  readonly type: 'RejectPhaseGate';
  readonly data: { projectId: ProjectId; gateId: PhaseGateId; approver: Approver; reason: string };
  readonly metadata: CommandMetadata;
}

export interface PutProjectOnHold {
  readonly type: 'PutProjectOnHold';
  readonly data: { projectId: ProjectId; reason: string };
  readonly metadata: CommandMetadata;
}

export interface ResumeProject {
  readonly type: 'ResumeProject';
  readonly data: { projectId: ProjectId };
  readonly metadata: CommandMetadata;
}

export interface CancelProject {
  readonly type: 'CancelProject';
  readonly data: { projectId: ProjectId; reason: string };
  readonly metadata: CommandMetadata;
}

export interface DefineObjective {
  readonly type: 'DefineObjective';
  readonly data: {
    projectId: ProjectId;
    objectiveId: ObjectiveId;
    description: string;
    kpis: ReadonlyArray<{ kpiId: KpiId; name: string; target: number; unit: string }>;
  };
  readonly metadata: CommandMetadata;
}

export interface RecordKpiActual {
  readonly type: 'RecordKpiActual';
  readonly data: { projectId: ProjectId; objectiveId: ObjectiveId; kpiId: KpiId; actual: number; measuredOn: string };
  readonly metadata: CommandMetadata;
}

export interface DefineScopeStatement {
  readonly type: 'DefineScopeStatement';
  readonly data: {
    projectId: ProjectId;
    statement: string;
    inScope?: readonly string[];
    outOfScope?: readonly string[];
    assumptions?: readonly string[];
    constraints?: readonly string[];
  };
  readonly metadata: CommandMetadata;
}

export interface SetProjectStatusDate {
  readonly type: 'SetProjectStatusDate';
  readonly data: { projectId: ProjectId; statusDate: string };
  readonly metadata: CommandMetadata;
}

export type ProjectCommand =
  | CreateProject
  | RenameProject
  | RequestPhaseGate
  | ApprovePhaseGate
  | RejectPhaseGate
  | PutProjectOnHold
  | ResumeProject
  | CancelProject
  | DefineObjective
  | RecordKpiActual
  | DefineScopeStatement
  | SetProjectStatusDate;

export type ProjectCommandType = ProjectCommand['type'];
